"""Installing a distribution the way a user would, offline, for tests of entry-point discovery.

pip builds and installs it (no dependencies, no build isolation: setuptools comes from this
environment) into a scratch folder; a fresh interpreter with that folder on PYTHONPATH then sees
its modules and its metadata exactly as an installed distribution's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def install_offline(source: Path, work: Path) -> Path:
    """Build ``source`` (a folder with a pyproject.toml) from a copy in ``work`` and install it
    into ``work/site``, which is returned.  A failed build fails the calling test."""
    pytest.importorskip("setuptools", reason="building a distribution offline needs setuptools")
    src = work / "src"
    shutil.copytree(source, src)  # build from a copy: no build/ or egg-info in the repository
    target = work / "site"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "--no-index", "--target", str(target), str(src)],
        capture_output=True,
        text=True,
    )
    if built.returncode:
        pytest.fail(f"pip could not install {source.name}:\n{built.stderr}")
    return target


def env_with(target: Path) -> dict[str, str]:
    """This process's environment with ``target`` first on PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(target), env.get("PYTHONPATH", "")) if p)
    return env
