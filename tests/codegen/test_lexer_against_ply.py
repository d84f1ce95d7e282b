"""The written-out lexer against ``ply.lex`` running the same rules.

``codegen.lexer`` replaced ``ply.lex`` (which rebuilt its master expression at every start)
with its own scanning loop over one master expression.  Here ``ply.lex`` is given the very
rules of ``codegen.lexer._RULES`` / ``_NATIVE_RULES`` as token functions, in that order, with
the literals, the ignored characters and the exclusive ``native`` state, and the two must agree
token for token (type, value, offset, doc comments) and on where an error is, over every IDL file
we have and over seeded hostile inputs: truncations of real files, splices of them, and strings
of the characters that switch lexer modes.
"""

from __future__ import annotations

import atexit
import importlib.util
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from ply import lex

from codegen import lexer as lx_rules
from codegen.errors import IDLError

REPO = Path(__file__).resolve().parents[2]
CORPUS = sorted(REPO.glob("idl/**/*.idl")) + sorted((REPO / "tests" / "codegen" / "data").rglob("*.idl"))

SKIPPED = {"comment", "line_comment", "newline"}
ERRORS = {"unterminated_comment", "bad_cdata", "directive", "stray_paren"}


def _reference() -> Any:
    """ply.lex over the same rules, written out as a module (PLY reads its rules' source): one
    function per rule, defined in priority order (PLY orders function rules by their line)."""
    source = [
        "class Failed(Exception):\n    def __init__(self, pos):\n        self.pos = pos\n",
        f"tokens = {[name for name, _ in lx_rules._RULES + lx_rules._NATIVE_RULES]!r}\n",
        f"literals = {lx_rules.LITERALS!r}\n",
        "states = (('native', 'exclusive'),)\n",
        "t_ignore = ' \\t'\n",
        "t_native_ignore = ''\n",
        "def t_ANY_error(t):\n    raise Failed(t.lexpos)\n",
    ]
    for state, rules in (("", lx_rules._RULES), ("native_", lx_rules._NATIVE_RULES)):
        for name, rx in rules:
            source.append(f"def t_{state}{name}(t):\n    {rx!r}\n    return t\n")
    folder = Path(tempfile.mkdtemp(prefix="ply-reference-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "idl_lexer_reference.py"
    path.write_text("".join(source), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("idl_lexer_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module, lex.lex(module=module, optimize=False, debug=False, errorlog=lex.NullLogger())


RULES, REFERENCE = _reference()
Failed = RULES.Failed


def reference_tokens(text: str) -> tuple[list[tuple[Any, ...]], int | None]:
    """(tokens as (type, value, offset, docs), offset of the first error or None), as
    codegen.lexer must give them, from ply.lex's raw matches."""
    lx = REFERENCE.clone()
    lx.input(text)
    lx.begin("INITIAL")
    out: list[tuple[Any, ...]] = []
    docs: list[str] = []
    step = 0  # 1 after `native`, 2 after `native Name`: then '(' opens verbatim text
    try:
        while True:
            tok = lx.token()
            if tok is None:
                if lx.current_state() == "native":
                    return out, len(text)  # the file ends inside `native Name(`
                return out, None
            kind, value, pos = tok.type, tok.value, tok.lexpos
            if kind in SKIPPED:
                if kind == "comment" and value.startswith("/**") and value != "/**/":
                    docs.append(value)
                continue
            if kind in ERRORS:
                return out, pos
            if lx.current_state() == "native":
                if kind == "rparen":
                    lx.begin("INITIAL")
                    kind = value = ")"
                elif kind != "NATIVEID":  # a literal: codegen.lexer has none in this state
                    return out, pos
            elif kind == "IDENTIFIER":
                keyword = lx_rules.KEYWORDS.get(value)
                kind = keyword or "IDENTIFIER"
                value = value if keyword or not value.startswith("_") else value[1:]
            elif kind == "NUMBER":
                value = int(value)
            elif kind == "HEXNUM":
                value = int(value, 16)
            elif kind == "CDATA":
                value = value[value.index("\n") + 1 : value.rindex("%}")]
            elif kind == "INCLUDE":
                value = value[value.index('"') + 1 : -1]
            elif kind == "lparen":
                kind = "("
                if step == 2:
                    lx.begin("native")
            shown_docs: tuple[str, ...] = ()
            if kind != "CDATA" and docs:
                shown_docs, docs = tuple(docs), []
            out.append((kind, value, pos, shown_docs))
            step = 1 if kind == "NATIVE" else 2 if kind == "IDENTIFIER" and step == 1 else 0
            after = lx.lexpos  # pyxpidl skips nothing between a native's name and its '('
            gap = text[after : after + 1] in (" ", "\t", "\n") or text.startswith(("/*", "//"), after)
            if step == 2 and gap:
                return out, after
    except Failed as failed:
        return out, failed.pos


def our_tokens(text: str) -> tuple[list[tuple[Any, ...]], int | None]:
    source = lx_rules.SourceText("t.idl", text)
    lexer = lx_rules.Lexer(source)
    out: list[tuple[Any, ...]] = []
    try:
        for tok in lexer:
            out.append((tok.type, tok.value, tok.lexpos, tok.docs))
    except IDLError as err:
        assert err.location is not None
        return out, _offset(text, err.location.line, err.location.column)
    return out, None


def _offset(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def agree(text: str) -> None:
    ours, theirs = our_tokens(text), reference_tokens(text)
    assert ours == theirs, text[:200]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_idl_file_lexes_as_ply_lexes_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tokens, error = our_tokens(text)
    assert error is None and tokens
    agree(text)


def test_truncated_files_fail_where_ply_fails() -> None:
    rng = random.Random(14)
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        for cut in sorted(rng.sample(range(len(text)), min(len(text), 40))):
            agree(text[:cut])


def test_spliced_files_and_mode_switching_noise() -> None:
    rng = random.Random(1414)
    texts = [p.read_text(encoding="utf-8") for p in CORPUS]
    pieces = ["/*", "*/", "/**", "//", "%{C++\n", "%{", "%}", "#include \"x.idl\"", "#if 0", "#", "(", ")",
              "native T(", "native T (a(b)c)", "native X(\n", "\n", " ", "\t", "\r", "0x", "-1", "1-2", "<<",
              ">>", "unsigned long long", "unsigned  long", "_in", "0c4f5a2d-1b3e-4c5d-8e9f-a0b1c2d3e4f5",
              "é", "\x00", "\ufeff", "&", "\\", "'", '"', "[", "]", ";", "{", "}", "interface", "native"]
    for _ in range(600):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.3:
                t = rng.choice(texts)
                start = rng.randrange(len(t))
                parts.append(t[start : start + rng.randint(1, 120)])
            else:
                parts.append(rng.choice(pieces))
        agree("".join(parts))
