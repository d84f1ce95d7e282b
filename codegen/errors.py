"""Compiler diagnostics.

Every problem with the input, from a stray byte to a semantic rule, is an ``IDLError``
carrying the ``Location`` it is about.  Its text is the usual compiler form::

    idl/foo.idl:12:5: unknown type 'nsIBar'
      attribute nsIBar bar;
                ^

The source line is attached by whoever holds the text (the parse driver fills it in
when the error passes through it), so the checks can raise with a location alone.
"""

from __future__ import annotations

from codegen.model import Location


class IDLError(Exception):
    """Bad XPIDL input: a message about one place in one file."""

    def __init__(self, message: str, location: Location | None = None, source_line: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.source_line = source_line

    def attach_source(self, text: str) -> None:
        """Remember the offending line, taken from ``text`` (the whole file)."""
        if self.source_line is not None or self.location is None:
            return
        lines = text.split("\n")
        if 1 <= self.location.line <= len(lines):
            self.source_line = lines[self.location.line - 1]

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        if self.source_line is None or self.location is None:
            return head
        # Very long lines (minified or hostile input) are shown as a window around the
        # column.  Tabs are kept in the caret's indentation so that it lines up under the
        # column whatever the terminal's tab width.
        line = self.source_line
        index = max(self.location.column, 1) - 1
        start = max(0, index - _WINDOW // 2)
        shown = line[start : start + _WINDOW]
        prefix = "..." if start else ""
        suffix = "..." if start + _WINDOW < len(line) else ""
        pad = " " * len(prefix) + "".join(c if c == "\t" else " " for c in shown[: index - start])
        return f"{head}\n{prefix}{shown}{suffix}\n{pad}^"


_WINDOW = 200  # characters of a source line shown around the column
