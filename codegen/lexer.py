"""The XPIDL lexer, tokenising the way Mozilla's pyxpidl (a PLY lexer) does.

Theory of operation
-------------------
The rules are PLY's: one master regular expression whose alternatives are tried in the
order written (the first that matches wins), then the single-character literals.  It is
written out here rather than built by ``ply.lex``, which compiled every rule on each start
and handled each token through several layers of calls; the tokens are the same, and PLY's
parser reads them as before.  The order is the priority order, and it matters:

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
state for exactly one NATIVEID token (and its closing parenthesis).  The parenthesis must
follow the name at once: pyxpidl switches state right after the name, where nothing is
skipped, so a space, newline or comment there is an error in both.

Doc comments (``/** ... */``) are not tokens.  As in pyxpidl, every token except a
``%{C++`` block carries (as ``tok.docs``) the doc comments met since the previous token,
and the parser takes a declaration's doc from its first token; doc comments anywhere
else are dropped.

Positions are character offsets into the text (PLY's ``lexpos``); ``SourceText`` turns
them into 1-based line and column on demand, cheaply for the mostly increasing offsets
a parse asks about.
"""

from __future__ import annotations

from codegen.errors import IDLError
from codegen.model import Location

TYPE_CHECKING = False  # see codegen/__init__.py: no typing at run time
if TYPE_CHECKING:
    from re import Pattern
    from typing import Any


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


class Token:
    """One token, in the shape PLY's parser reads (``type``, ``value``, ``lexpos``, ``lineno``),
    with the doc comments met since the previous token (``docs``)."""

    __slots__ = ("type", "value", "lexpos", "lineno", "docs", "lexer")  # PLY sets .lexer on errors

    def __init__(self, type: str, value: Any, lexpos: int) -> None:
        self.type = type
        self.value = value
        self.lexpos = lexpos
        self.lineno = 0  # positions are lexpos only (SourceText gives line and column)
        self.docs: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"LexToken({self.type},{self.value!r},{self.lineno},{self.lexpos})"


# The rules, in priority order (the first alternative that matches at a position wins, as in
# PLY's master regular expression, and in PLY's verbose mode: spaces are escaped).
_RULES = (
    ("comment", r"/\*[^*]*\*+(?:[^/*][^*]*\*+)*/"),
    ("unterminated_comment", r"/\*"),
    ("line_comment", r"//[^\n]*"),
    ("CDATA", r"%\{[ ]*C\+\+[ ]*\n[\s\S]*?%\}(?:[ ]*C\+\+)?"),
    ("bad_cdata", r"%\{[^\n]*"),
    ("INCLUDE", r'\#include[ \t]+"[^"\n]+"'),
    ("directive", r"\#[^\n]*"),
    ("IID", rf"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"),
    ("HEXNUM", r"0x[0-9a-fA-F]+"),
    ("NUMBER", r"-?[0-9]+"),
    (
        "IDENTIFIER",
        r"(?:unsigned\ long\ long|unsigned\ short|unsigned\ long|long\ long)(?![A-Za-z0-9_])"
        r"|_?[A-Za-z][A-Za-z_0-9]*",
    ),
    ("LSHIFT", r"<<"),
    ("RSHIFT", r">>"),
    ("lparen", r"\("),
    ("newline", r"\n+"),
)

# Inside ``native Name(``: the verbatim type text (any text without parentheses, or with one
# parenthesised group that has text before, inside and after it, enough for
# ``std::function<void(int)>``), the closing parenthesis, or a stray opening one.
_NATIVE_RULES = (
    ("NATIVEID", r"[^()\n]+(?:\([^()\n]+\)[^()\n]+)?(?=\))"),
    ("rparen", r"\)"),
    ("stray_paren", r"\("),
)

_COMPILED: dict[str, Pattern[str]] = {}


def _compiled(which: str) -> Pattern[str]:
    """One rule set as one regular expression, compiled on first use in the process: the
    initial one by every parse, the native one only by a file that declares a native type
    (compiling costs about a millisecond each, in a run of a few tens)."""
    pattern = _COMPILED.get(which)
    if pattern is None:
        import re

        rules = _RULES if which == "initial" else _NATIVE_RULES
        pattern = _COMPILED[which] = re.compile(
            "|".join(f"(?P<{name}>{rx})" for name, rx in rules), re.VERBOSE
        )
    return pattern


class Lexer:
    """Tokens of one file, in the interface PLY's parser expects (``input``/``token``)."""

    def __init__(self, source: SourceText):
        self.source = source
        self.doc_comments: list[tuple[int, str]] = []
        self._docs_taken = 0
        self._pos = 0
        self._native_state = False
        # 0: nothing; 1: just saw `native`; 2: saw `native Name`, so `(` opens verbatim text.
        self.native_step = 0
        self.previous: Any = None
        self.current: Any = None

    def _error(self, message: str, pos: int) -> IDLError:
        return IDLError(message, self.source.location(pos))

    def input(self, text: str) -> None:  # PLY's parser calls this; the text is already set
        pass

    def token(self) -> Any:
        tok = self._next()
        if tok is None:
            return None
        # The parser's error handler sees only the offending token; the one before it
        # lets it say what was probably meant.
        self.previous, self.current = self.current, tok
        if tok.type != "CDATA" and len(self.doc_comments) != self._docs_taken:
            tok.docs = tuple(text for _, text in self.doc_comments[self._docs_taken :])
            self._docs_taken = len(self.doc_comments)
        if tok.type == "NATIVE":
            self.native_step = 1
        elif tok.type == "IDENTIFIER" and self.native_step == 1:
            self.native_step = 2
        else:
            self.native_step = 0
        return tok

    def _next(self) -> Token | None:
        text = self.source.text
        end = len(text)
        initial = _COMPILED.get("initial") or _compiled("initial")
        while True:
            pos = self._pos
            if self._native_state:
                if pos >= end:
                    raise self._error("unterminated native type", end)
                m = _compiled("native").match(text, pos)
                if m is None:
                    raise self._error("unterminated native type (expected ')' on the same line)", pos)
                self._pos = m.end()
                kind = m.lastgroup
                if kind == "NATIVEID":
                    return Token("NATIVEID", m.group(), pos)
                if kind == "rparen":
                    self._native_state = False
                    return Token(")", ")", pos)
                raise self._error(
                    "unexpected '(' in native type "
                    "(one parenthesised group, with text before, in and after it)",
                    pos,
                )
            if self.native_step == 2 and pos < end and (
                text[pos] in " \t\n" or text.startswith(("/*", "//"), pos)
            ):
                raise self._error("nothing may come between a native's name and its '(' "
                                  "(write 'native Name(type)')", pos)
            while pos < end and text[pos] in " \t":
                pos += 1
            if pos >= end:
                self._pos = pos
                return None
            m = initial.match(text, pos)
            if m is None:
                ch = text[pos]
                if ch in LITERALS:
                    self._pos = pos + 1
                    return Token(ch, ch, pos)
                raise self._error(f"unexpected character {_show(ch)}", pos)
            self._pos = m.end()
            kind = m.lastgroup
            value = m.group()
            if kind == "IDENTIFIER":
                keyword = KEYWORDS.get(value)
                if keyword is not None:
                    return Token(keyword, value, pos)
                # A leading underscore escapes a name (e.g. one that is a keyword) and is dropped.
                return Token("IDENTIFIER", value[1:] if value.startswith("_") else value, pos)
            if kind in ("newline", "line_comment"):
                continue
            if kind == "comment":
                if value.startswith("/**") and value != "/**/":
                    self.doc_comments.append((pos, value))
                continue
            if kind == "NUMBER":
                return Token("NUMBER", int(value), pos)
            if kind == "HEXNUM":
                return Token("HEXNUM", int(value, 16), pos)
            if kind == "lparen":
                if self.native_step == 2:
                    self._native_state = True
                return Token("(", "(", pos)
            if kind in ("IID", "LSHIFT", "RSHIFT"):
                return Token(kind, value, pos)
            if kind == "CDATA":
                start = value.index("\n") + 1
                return Token("CDATA", value[start : value.rindex("%}")], pos)
            if kind == "INCLUDE":
                return Token("INCLUDE", value[value.index('"') + 1 : -1], pos)
            if kind == "unterminated_comment":
                raise self._error("unterminated comment", pos)
            if kind == "bad_cdata":
                if value[2:].strip(" ") == "C++":
                    raise self._error("unterminated %{C++ block (no closing '%}')", pos)
                raise self._error("'%{' must be followed by 'C++' and a newline", pos)
            assert kind == "directive", kind
            word = value[1:].split(None, 1)[0] if value[1:].strip() else ""
            if word == "include":
                raise self._error("#include needs a file name in double quotes", pos)
            raise self._error(f"unrecognized directive '#{word}'", pos)

    def __iter__(self) -> Any:
        while (tok := self.token()) is not None:
            yield tok


def _show(ch: str) -> str:
    if ch.isprintable():
        return repr(ch)
    return f"U+{ord(ch):04X}"


def tokenize(text: str, filename: str = "<string>") -> list[tuple[str, Any]]:
    """(type, value) pairs for ``text``: a convenience for tests and debugging."""
    return [(t.type, t.value) for t in Lexer(SourceText(filename, text))]
