"""The XPIDL lexer (PLY), tokenising the way Mozilla's pyxpidl does.

Theory of operation
-------------------
PLY tries function rules in the order they are written, so the order below is the
priority order, and it matters:

* comments and ``%{C++`` blocks first, because their insides may look like anything;
* an IID (8-4-4-4-12 hex) before numbers and identifiers, so ``uuid(0c4f...)`` is one
  token even when it starts with digits or letters;
* hex (lower-case ``0x`` only) before decimal, and a decimal number carries its own
  leading minus: ``1-2`` is two numbers (a syntax error), ``1 - 2`` a subtraction;
* ``unsigned long long``, ``unsigned long``, ``unsigned short`` and ``long long`` are
  single identifiers (exactly one space between the words, as pyxpidl has it);
* ``<<`` and ``>>`` are tokens of their own, so ``Array<Array<T>>`` does not parse and
  needs a space, as in C++03.

``native Name(text)`` takes ``text`` verbatim, up to the closing parenthesis (one
nested parenthesised group allowed, no newline): after the tokens ``native`` and an
identifier, an opening parenthesis switches the lexer into the exclusive ``nativeid``
state for exactly one NATIVEID token.

Doc comments (``/** ... */``) are not tokens.  As in pyxpidl, every token except a
``%{C++`` block carries (as ``tok.docs``) the doc comments met since the previous token,
and the parser takes a declaration's doc from its first token; doc comments anywhere
else are dropped.

Positions are character offsets into the text (PLY's ``lexpos``); ``SourceText`` turns
them into 1-based line and column on demand, cheaply for the mostly increasing offsets
a parse asks about.
"""

from __future__ import annotations

from typing import Any

import ply.lex as lex

from codegen.errors import IDLError
from codegen.model import Location

KEYWORDS = {
    "cenum": "CENUM",
    "const": "CONST",
    "interface": "INTERFACE",
    "in": "IN",
    "inout": "INOUT",
    "out": "OUT",
    "attribute": "ATTRIBUTE",
    "raises": "RAISES",
    "readonly": "READONLY",
    "native": "NATIVE",
    "typedef": "TYPEDEF",
    "webidl": "WEBIDL",
}

TOKENS = (
    "IDENTIFIER",
    "IID",
    "NUMBER",
    "HEXNUM",
    "LSHIFT",
    "RSHIFT",
    "NATIVEID",
    "CDATA",
    "INCLUDE",
    *KEYWORDS.values(),
)

LITERALS = "(){}[]<>,;:=|+-*"

_HEX = "[0-9a-fA-F]"


class SourceText:
    """One file's text, with offset -> (line, column) conversion."""

    def __init__(self, filename: str, text: str):
        self.filename = filename
        self.text = text
        # A cursor (offset, line, start of that line) makes the mostly-increasing
        # lookups of a parse linear overall, without a table of every line start.
        self._pos = 0
        self._line = 1
        self._line_start = 0

    def location(self, pos: int) -> Location:
        text = self.text
        pos = max(0, min(pos, len(text)))
        if pos >= self._pos:
            newlines = text.count("\n", self._pos, pos)
            if newlines:
                self._line += newlines
                self._line_start = text.rfind("\n", self._pos, pos) + 1
        else:
            newlines = text.count("\n", pos, self._pos)
            if newlines:
                self._line -= newlines
                self._line_start = text.rfind("\n", 0, pos) + 1
        self._pos = pos
        return Location(self.filename, self._line, pos - self._line_start + 1)


class _Rules:
    """PLY token rules.  One instance per lexed file holds that file's state."""

    tokens = TOKENS
    literals = LITERALS
    states = (("nativeid", "exclusive"),)

    t_ignore = " \t"
    t_nativeid_ignore = ""

    def __init__(self, source: SourceText | None = None):
        self.source = source
        self.doc_comments: list[tuple[int, str]] = []
        # 0: nothing; 1: just saw `native`; 2: saw `native Name`, so `(` opens verbatim text.
        self.native_step = 0

    def _error(self, message: str, pos: int) -> IDLError:
        assert self.source is not None
        return IDLError(message, self.source.location(pos))

    # -- comments and verbatim blocks ------------------------------------------------

    def t_comment(self, t: Any) -> None:
        r"/\*[^*]*\*+(?:[^/*][^*]*\*+)*/"
        if t.value.startswith("/**") and t.value != "/**/":
            self.doc_comments.append((t.lexpos, t.value))

    def t_unterminated_comment(self, t: Any) -> None:
        r"/\*"
        raise self._error("unterminated comment", t.lexpos)

    def t_line_comment(self, t: Any) -> None:
        r"//[^\n]*"

    def t_CDATA(self, t: Any) -> Any:
        r"%\{[ ]*C\+\+[ ]*\n[\s\S]*?%\}(?:[ ]*C\+\+)?"
        start = t.value.index("\n") + 1
        end = t.value.rindex("%}")
        t.value = t.value[start:end]
        return t

    def t_bad_cdata(self, t: Any) -> None:
        r"%\{[^\n]*"
        opener = t.value
        if opener[2:].strip(" ") == "C++":
            raise self._error("unterminated %{C++ block (no closing '%}')", t.lexpos)
        raise self._error("'%{' must be followed by 'C++' and a newline", t.lexpos)

    # -- directives ------------------------------------------------------------------

    def t_INCLUDE(self, t: Any) -> Any:
        r'\#include[ \t]+"[^"\n]+"'
        t.value = t.value[t.value.index('"') + 1 : -1]
        return t

    def t_directive(self, t: Any) -> None:
        r"\#[^\n]*"
        word = t.value[1:].split(None, 1)[0] if t.value[1:].strip() else ""
        if word == "include":
            raise self._error("#include needs a file name in double quotes", t.lexpos)
        raise self._error(f"unrecognized directive '#{word}'", t.lexpos)

    # -- values ----------------------------------------------------------------------

    def t_IID(self, t: Any) -> Any:
        return t

    t_IID.__doc__ = rf"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"

    def t_HEXNUM(self, t: Any) -> Any:
        r"0x[0-9a-fA-F]+"
        t.value = int(t.value, 16)
        return t

    def t_NUMBER(self, t: Any) -> Any:
        r"-?[0-9]+"
        t.value = int(t.value)
        return t

    def t_IDENTIFIER(self, t: Any) -> Any:
        r"(?:unsigned\ long\ long|unsigned\ short|unsigned\ long|long\ long)(?![A-Za-z0-9_])|_?[A-Za-z][A-Za-z_0-9]*"  # noqa: E501
        keyword = KEYWORDS.get(t.value)
        if keyword is not None:
            t.type = keyword
        elif t.value.startswith("_"):
            # A leading underscore escapes a name (e.g. one that is a keyword) and is dropped.
            t.value = t.value[1:]
        return t

    def t_LSHIFT(self, t: Any) -> Any:
        r"<<"
        return t

    def t_RSHIFT(self, t: Any) -> Any:
        r">>"
        return t

    def t_lparen(self, t: Any) -> Any:
        r"\("
        t.type = "("
        if self.native_step == 2:
            t.lexer.begin("nativeid")
        return t

    def t_newline(self, t: Any) -> None:
        r"\n+"
        t.lexer.lineno += len(t.value)

    def t_error(self, t: Any) -> None:
        raise self._error(f"unexpected character {_show(t.value[0])}", t.lexpos)

    # -- the verbatim text of `native Name(...)` -------------------------------------

    def t_nativeid_NATIVEID(self, t: Any) -> Any:
        # Any text without parentheses, or with one parenthesised group that has text
        # before, inside and after it (enough for `std::function<void(int)>`).
        r"[^()\n]+(?:\([^()\n]+\)[^()\n]+)?(?=\))"
        return t

    def t_nativeid_rparen(self, t: Any) -> Any:
        r"\)"
        t.type = ")"
        t.lexer.begin("INITIAL")
        return t

    def t_nativeid_stray_paren(self, t: Any) -> None:
        r"\("
        # Without this rule PLY would hand out '(' as a literal even in this state.
        raise self._error(
            "unexpected '(' in native type (one parenthesised group, with text before, in and after it)",
            t.lexpos,
        )

    def t_nativeid_error(self, t: Any) -> None:
        raise self._error("unterminated native type (expected ')' on the same line)", t.lexpos)


def _show(ch: str) -> str:
    if ch.isprintable():
        return repr(ch)
    return f"U+{ord(ch):04X}"


_MASTER: Any = None


def _master() -> Any:
    """The PLY lexer, built once per process (compiling its regular expressions)."""
    global _MASTER
    if _MASTER is None:
        _MASTER = lex.lex(module=_Rules(), optimize=False, errorlog=lex.NullLogger())
    return _MASTER


class Lexer:
    """Tokens of one file, in the interface PLY's parser expects (``input``/``token``)."""

    def __init__(self, source: SourceText):
        self.source = source
        self.rules = _Rules(source)
        self._lexer = _master().clone(object=self.rules)
        self._lexer.begin("INITIAL")
        self._lexer.lineno = 1
        self._lexer.input(source.text)
        self._docs_taken = 0
        self.previous: Any = None
        self.current: Any = None

    @property
    def doc_comments(self) -> list[tuple[int, str]]:
        return self.rules.doc_comments

    def input(self, text: str) -> None:  # PLY's parser calls this; the text is already set
        pass

    def token(self) -> Any:
        tok = self._lexer.token()
        if tok is None:
            if self._lexer.current_state() == "nativeid":
                raise self.rules._error("unterminated native type", len(self.source.text))
            return None
        # The parser's error handler sees only the offending token; the one before it
        # lets it say what was probably meant.
        self.previous, self.current = self.current, tok
        rules = self.rules
        if tok.type == "CDATA" or len(rules.doc_comments) == self._docs_taken:
            tok.docs = ()
        else:
            tok.docs = tuple(text for _, text in rules.doc_comments[self._docs_taken :])
            self._docs_taken = len(rules.doc_comments)
        if tok.type == "NATIVE":
            rules.native_step = 1
        elif tok.type == "IDENTIFIER" and rules.native_step == 1:
            rules.native_step = 2
        else:
            rules.native_step = 0
        return tok

    def __iter__(self) -> Any:
        while (tok := self.token()) is not None:
            yield tok


def tokenize(text: str, filename: str = "<string>") -> list[tuple[str, Any]]:
    """(type, value) pairs for ``text``: a convenience for tests and debugging."""
    return [(t.type, t.value) for t in Lexer(SourceText(filename, text))]
