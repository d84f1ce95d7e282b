"""The generated PLY tables: present, current, and loaded without any output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ply.yacc as yacc

from codegen import _parsetab, parser


def test_tables_match_the_grammar() -> None:
    # PLY reads _parsetab only when its signature matches the grammar; after a grammar
    # change run `python -m codegen.parser` to regenerate it.
    grammar = parser._Grammar()
    info = yacc.ParserReflect(
        grammar.__class__.__dict__ | {"p_error": grammar.p_error}, log=yacc.NullLogger()
    )
    info.get_all()
    assert info.signature() == _parsetab._lr_signature, (
        "codegen/_parsetab.py is stale: run python -m codegen.parser"
    )


def test_building_the_parser_is_silent_and_writes_nothing(tmp_path: Path) -> None:
    code = "import codegen.parser as p; p._parser(); p.parse_source('typedef long X;', 'x.idl')"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert (proc.stdout, proc.stderr) == ("", "")
    assert list(tmp_path.iterdir()) == []
    assert not (Path(parser.__file__).parent / "parser.out").exists()
