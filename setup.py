"""Build glue for the optional C accelerator; all metadata lives in pyproject.toml.

The extension is optional: when no compiler is available the build goes on and
the pure-Python fallback in components.websocket.protocol.mask is used.
"""

from pathlib import Path

from setuptools import Extension, setup

_SPEEDUPS = Path("components/websocket/protocol/_speedups.c")

ext_modules = []
if _SPEEDUPS.exists():
    ext_modules.append(
        Extension(
            "components.websocket.protocol._speedups",
            [str(_SPEEDUPS)],
            optional=True,
            extra_compile_args=["-O3"],
        )
    )

setup(ext_modules=ext_modules)
