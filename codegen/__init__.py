"""The XPIDL compiler: lexer -> parser -> model -> checks -> emitters -> CLI.

Public entry points (the front end):

- ``codegen.parse_file(path, include_dirs=(), cache_dir=None) -> model.IDLFile``: parse a file,
  resolve its ``#include`` lines through the include directories (each file parsed once), run
  the semantic checks, and return the model.  Raises ``codegen.IDLError`` for any bad input.
  Includes unchanged since an earlier call in the process are not parsed again; with
  ``cache_dir`` they are kept there for other processes too (``codegen.cache``).
- ``codegen.parse_string(text, filename="<string>", include_dirs=()) -> model.IDLFile``: the same
  for source text held in memory.
- ``codegen.includes.Loader(include_dirs, cache=None)``: one loader for many roots
  (``.load_root(path)``), sharing the parsed includes between them.
- ``codegen.IDLError``: ``.message``, ``.location`` (``model.Location``); ``str()`` gives
  ``path:line:column: message``, the source line and a caret.

Stages, each usable alone: ``codegen.lexer`` (``tokenize``), ``codegen.parser``
(``parse_source``: syntax only), ``codegen.checks`` (``check_file``), ``codegen.model``.
Command line: ``python -m codegen parse [-I DIR]... FILE [--json]``, ``regen``, ``check``, ``watch``.
"""

from __future__ import annotations

# typing is for the type checker only: importing it costs ~6 ms, and every
# `python -m codegen parse` (one process per file in a build) would pay it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from codegen.errors import IDLError as IDLError
    from codegen.parser import parse_file as parse_file
    from codegen.parser import parse_string as parse_string

__all__ = ["IDLError", "parse_file", "parse_string"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import codegen.model` (what emitters need) does not build the parser.
    if name == "IDLError":
        from codegen.errors import IDLError

        return IDLError
    if name in ("parse_file", "parse_string"):
        from codegen import parser

        return getattr(parser, name)
    raise AttributeError(f"module 'codegen' has no attribute {name!r}")
