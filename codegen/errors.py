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
        # Keep tabs in the caret's indentation so it lines up under the column
        # whatever the terminal's tab width; very long lines are clipped.
        line = self.source_line[:400]
        col = max(self.location.column, 1)
        pad = "".join(c if c == "\t" else " " for c in line[: col - 1])
        return f"{head}\n{line}\n{pad}^"
