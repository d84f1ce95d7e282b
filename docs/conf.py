"""Sphinx configuration: ``python -m sphinx -W -b html docs docs/_build/html`` (the README's command).

Pages are MyST Markdown; the API reference is drawn from the code: module and class docstrings
through autodoc, the XPCOM interfaces from their generated zope.interface bindings (the IDL doc
comments) through the small extension in ``_ext/xpcomdoc.py``, which also renders the statuses and
preferences tables from their single sources (README's status list, ``components.prefs.DEFAULTS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).parent / "_ext")]

project = "xpcom-websocket"
author = "the xpcom-websocket developers"
copyright = "2026, the xpcom-websocket developers"  # noqa: A001 - Sphinx's setting name

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "xpcomdoc",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

html_theme = "furo"
html_title = "xpcom-websocket"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
suppress_warnings = ["myst.xref_missing"]
