"""The XPIDL lexer, tokenising the way Mozilla's pyxpidl (a PLY lexer) does.

Theory of operation
-------------------
The rules are PLY's, written as regular expressions in ``_RULES``: alternatives tried in
the order written (the first that matches wins), then the single-character literals.  They
are the specification; the scanner below is their hand-compiled form (a branch per first
character), held to the very tokens and errors of ``ply.lex`` running ``_RULES`` by
tests/codegen/test_lexer_against_ply.py.  ``ply.lex`` compiled every rule at each start and
handled each token through several layers of calls, and even one master expression cost
``re`` and ``enum`` their import and a compile at every ``python -m codegen parse``; the
scanner needs neither and is no slower per token.  PLY's parser reads its tokens as before.
The order is the priority order, and it matters:

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

_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")
_NAME_CHARS = _LETTERS | _DIGITS | {"_"}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_MULTIWORD = {"u": ("unsigned long long", "unsigned short", "unsigned long"), "l": ("long long",)}
_NATIVE_STOPS = frozenset("()\n")
_NEWLINES = frozenset("\n")
_SPACES = frozenset(" ")
_BLANKS = frozenset(" \t")


def is_iid(text: str, pos: int = 0) -> bool:
    """Whether ``text[pos:pos + 36]`` is an IID, 8-4-4-4-12 hex digits (either case)."""
    s = text[pos : pos + 36]
    return (
        len(s) == 36
        and s[8] == s[13] == s[18] == s[23] == "-"
        and _HEX_DIGITS.issuperset(s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:])
    )


def _span(text: str, pos: int, chars: frozenset[str]) -> int:
    """The end of the run of ``chars`` starting at ``pos``."""
    end = len(text)
    while pos < end and text[pos] in chars:
        pos += 1
    return pos


def _span_outside(text: str, pos: int, chars: frozenset[str]) -> int:
    """The end of the run of characters other than ``chars`` starting at ``pos``."""
    end = len(text)
    while pos < end and text[pos] not in chars:
        pos += 1
    return pos


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

    # The rules above, compiled by hand: each branch below is the alternative the master
    # expression would pick at a position starting with that character, and
    # tests/codegen/test_lexer_against_ply.py holds the two to the same tokens and errors
    # (ply.lex running _RULES).  Written out because `re` (with `enum`) and compiling the
    # expression were a sixth of a `python -m codegen parse` run, paid before the first token.
    def _next(self) -> Token | None:
        text = self.source.text
        end = len(text)
        while True:
            pos = self._pos
            if self._native_state:
                return self._native_text(text, pos, end)
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
            ch = text[pos]
            nxt = text[pos + 1 : pos + 2]
            if ch in _LETTERS or (ch == "_" and nxt in _LETTERS):
                if ch in _HEX_DIGITS and text[pos + 8 : pos + 9] == "-" and is_iid(text, pos):
                    self._pos = pos + 36
                    return Token("IID", text[pos : pos + 36], pos)
                for words in _MULTIWORD.get(ch, ()):
                    after = pos + len(words)
                    if text.startswith(words, pos) and text[after : after + 1] not in _NAME_CHARS:
                        self._pos = after
                        return Token("IDENTIFIER", words, pos)
                self._pos = stop = _span(text, pos + (2 if ch == "_" else 1), _NAME_CHARS)
                value = text[pos:stop]
                keyword = KEYWORDS.get(value)
                if keyword is not None:
                    return Token(keyword, value, pos)
                # A leading underscore escapes a name (e.g. one that is a keyword) and is dropped.
                return Token("IDENTIFIER", value[1:] if ch == "_" else value, pos)
            if ch in _DIGITS or (ch == "-" and nxt in _DIGITS):
                if text[pos + 8 : pos + 9] == "-" and is_iid(text, pos):
                    self._pos = pos + 36
                    return Token("IID", text[pos : pos + 36], pos)
                if ch == "0" and nxt == "x":
                    stop = _span(text, pos + 2, _HEX_DIGITS)
                    if stop > pos + 2:
                        self._pos = stop
                        return Token("HEXNUM", int(text[pos + 2 : stop], 16), pos)
                self._pos = stop = _span(text, pos + 1, _DIGITS)
                return Token("NUMBER", int(text[pos:stop]), pos)
            if ch == "\n":
                self._pos = _span(text, pos, _NEWLINES)
                continue
            if ch == "/" and nxt == "*":
                close = text.find("*/", pos + 2)
                if close < 0:
                    raise self._error("unterminated comment", pos)
                self._pos = close + 2
                if text.startswith("/**", pos) and close > pos + 2:
                    self.doc_comments.append((pos, text[pos : close + 2]))
                continue
            if ch == "/" and nxt == "/":
                newline = text.find("\n", pos)
                self._pos = end if newline < 0 else newline
                continue
            if ch == "(":
                self._pos = pos + 1
                if self.native_step == 2:
                    self._native_state = True
                return Token("(", "(", pos)
            if ch in "<>" and nxt == ch:
                self._pos = pos + 2
                return Token("LSHIFT" if ch == "<" else "RSHIFT", ch + ch, pos)
            if ch == "%" and nxt == "{":
                return self._cdata(text, pos, end)
            if ch == "#":
                return self._directive(text, pos, end)
            if ch in LITERALS:
                self._pos = pos + 1
                return Token(ch, ch, pos)
            raise self._error(f"unexpected character {_show(ch)}", pos)

    def _cdata(self, text: str, pos: int, end: int) -> Token:
        """``%{C++``, spaces, a newline, then everything up to ``%}`` (optionally ``%} C++``)."""
        q = _span(text, pos + 2, _SPACES)
        if text.startswith("C++", q):
            q = _span(text, q + 3, _SPACES)
            if text[q : q + 1] == "\n":
                close = text.find("%}", q + 1)
                if close >= 0:
                    stop = close + 2
                    suffix = _span(text, stop, _SPACES)
                    self._pos = suffix + 3 if text.startswith("C++", suffix) else stop
                    return Token("CDATA", text[q + 1 : close], pos)
        newline = text.find("\n", pos)
        line = text[pos : end if newline < 0 else newline]
        if line[2:].strip(" ") == "C++":
            raise self._error("unterminated %{C++ block (no closing '%}')", pos)
        raise self._error("'%{' must be followed by 'C++' and a newline", pos)

    def _directive(self, text: str, pos: int, end: int) -> Token:
        """``#include "name"``; any other directive is an error."""
        if text.startswith("#include", pos):
            q = _span(text, pos + 8, _BLANKS)
            if q > pos + 8 and text[q : q + 1] == '"':
                close = text.find('"', q + 1)
                if close > q + 1 and "\n" not in text[q + 1 : close]:
                    self._pos = close + 1
                    return Token("INCLUDE", text[q + 1 : close], pos)
        newline = text.find("\n", pos)
        line = text[pos + 1 : end if newline < 0 else newline]
        word = line.split(None, 1)[0] if line.strip() else ""
        if word == "include":
            raise self._error("#include needs a file name in double quotes", pos)
        raise self._error(f"unrecognized directive '#{word}'", pos)

    def _native_text(self, text: str, pos: int, end: int) -> Token:
        """Inside ``native Name(``: the verbatim text (one inner parenthesised group allowed,
        with text before, in and after it), then the closing parenthesis."""
        if pos >= end:
            raise self._error("unterminated native type", end)
        stop = _span_outside(text, pos, _NATIVE_STOPS)
        if stop > pos:
            if text[stop : stop + 1] == "(":  # the one inner group: (text)text, then ')'
                inner = _span_outside(text, stop + 1, _NATIVE_STOPS)
                if inner > stop + 1 and text[inner : inner + 1] == ")":
                    after = _span_outside(text, inner + 1, _NATIVE_STOPS)
                    if after > inner + 1 and text[after : after + 1] == ")":
                        stop = after
            if text[stop : stop + 1] == ")":
                self._pos = stop
                return Token("NATIVEID", text[pos:stop], pos)
        elif text[pos] == ")":
            self._pos = pos + 1
            self._native_state = False
            return Token(")", ")", pos)
        elif text[pos] == "(":
            raise self._error(
                "unexpected '(' in native type (one parenthesised group, with text before, in and after it)",
                pos,
            )
        raise self._error("unterminated native type (expected ')' on the same line)", pos)

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
