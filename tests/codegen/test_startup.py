"""What keeps `python -m codegen parse` quick to start, and that it changes nothing it shows:
the written-out JSON encoder, the plain model classes, the tables bound without `yacc.yacc()`,
`inspect` deferred behind ply.yacc, and the parse cache across processes."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen import _parsetab, parser
from codegen import model as m
from codegen.includes import Loader

REPO = Path(__file__).resolve().parents[2]
IDL = REPO / "idl"


def run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60)


# ---------------------------------------------------------------- JSON


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [{}], "d": [[], [[]]]},
        ["plain", "quote \" backslash \\ slash /", "tab\tnew\nline\r", "\x00\x1f\x7f"],
        ["é ü €", "\u2028\ud83d\ude00"],
        [0, -1, 2**70, True, False, None],
        (1, "tuple", ("nested",)),
        {"float": 1.5, "inf": float("inf"), "nan": [float("nan")]},
        {"keys": {"1": 1, "": 2, "ключ": 3}},
        {1: "int key", None: "none key"},
    ],
)
def test_dumps_json_is_json_dumps_indent_2(value: Any) -> None:
    assert m.dumps_json(value) == json.dumps(value, indent=2)


def test_every_file_of_the_tree_gives_the_json_json_would() -> None:
    dirs = sorted({str(f.parent) for f in IDL.rglob("*.idl")})
    files = sorted(IDL.rglob("*.idl"))
    assert files
    loader = Loader(dirs)
    for f in files:
        idl = loader.load_root(str(f))
        assert idl.to_json() == json.dumps(idl.as_dict(), indent=2) + "\n", f


# ---------------------------------------------------------------- the model classes


def test_model_values_compare_by_their_fields_not_their_links() -> None:
    loc = m.Location("a.idl", 1, 2)
    a = m.TypeRef("nsIFoo", location=loc, kind="interface", target=object())
    b = m.TypeRef("nsIFoo", location=m.Location("a.idl", 1, 2), kind="interface", target=None)
    assert a == b  # target is a link filled in by checks, left out as dataclasses had it
    assert a != m.TypeRef("nsIBar", location=loc, kind="interface")
    assert m.NameRef("x") != m.TypeRef("x")  # another class is never equal
    assert m.Include("x.idl", "/p/x.idl") == m.Include("x.idl", "/p/x.idl", file=m.IDLFile("/p/x.idl"))
    f1, f2 = m.IDLFile("f.idl", [m.Forward("nsIFoo")]), m.IDLFile("f.idl", [m.Forward("nsIFoo")])
    f1.scope["nsIFoo"] = f1.productions[0]
    assert f1 == f2
    with pytest.raises(TypeError):
        hash(a)  # mutable values: unhashable, as before


def test_defaults_are_fresh_per_object() -> None:
    x, y = m.Interface("nsIA"), m.Interface("nsIB")
    x.members.append(m.CDATA("text"))
    x.attrs["scriptable"] = None
    assert y.members == [] and y.attrs == {}


def test_repr_shows_the_fields_in_order() -> None:
    loc = m.Location("a.idl", 3, 4)
    assert repr(loc) == "Location(file='a.idl', line=3, column=4)"
    assert repr(m.Num(7, loc)) == f"Num(value=7, location={loc!r})"
    shown = repr(m.Include("x.idl", "/p/x.idl", m.IDLFile("q")))
    assert shown == "Include(name='x.idl', path='/p/x.idl', location=None)"


def test_a_location_is_an_immutable_hashable_value() -> None:
    loc = m.Location("a.idl", 3, 4)
    assert loc == m.Location("a.idl", 3, 4) and loc != m.Location("a.idl", 3, 5)
    assert loc != ("a.idl", 3, 4)
    assert len({loc, m.Location("a.idl", 3, 4)}) == 1
    with pytest.raises(AttributeError):
        loc.line = 9  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del loc.file  # type: ignore[misc]
    assert str(loc) == "a.idl:3:4"
    copy = pickle.loads(pickle.dumps(loc, protocol=5))
    assert copy == loc and copy.column == 4


def test_a_parsed_file_pickles_to_an_equal_model() -> None:
    dirs = sorted({str(f.parent) for f in IDL.rglob("*.idl")})
    channel = next(IDL.rglob("nsIWebSocketChannel.idl"))
    idl = Loader(dirs).load_root(str(channel))
    again = pickle.loads(pickle.dumps(idl, protocol=5))
    assert again == idl and again.to_json() == idl.to_json()


# ---------------------------------------------------------------- tables and inspect


def test_the_signature_is_plys_own() -> None:
    import ply.yacc as yacc

    grammar = parser._Grammar()
    rules = grammar.__class__.__dict__ | {"p_error": grammar.p_error}
    info = yacc.ParserReflect(rules, log=yacc.NullLogger())
    info.get_all()
    assert parser.grammar_signature() == info.signature() == _parsetab._lr_signature


def test_current_tables_are_bound_without_yacc(monkeypatch: pytest.MonkeyPatch) -> None:
    import ply.yacc as yacc

    def no_yacc(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("yacc.yacc() called although the tables are current")

    monkeypatch.setattr(yacc, "yacc", no_yacc)
    _, lr = parser._build()
    assert isinstance(lr, yacc.LRParser)
    idl = parser.parse_source("typedef long X;\ninterface nsIFoo;\n", "t.idl")
    assert [type(p).__name__ for p in idl.productions] == ["Typedef", "Forward"]


def test_stale_tables_are_rebuilt_in_memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(_parsetab, "_lr_signature", "a grammar that is no more")
    assert parser._bind_tables(parser._Grammar()) is None
    grammar, lr = parser._build()
    text = "typedef long X;\nconst long Y = 1;\n"
    with pytest.raises(Exception, match="syntax error at 'const'"):
        grammar.run(lr, parser.SourceText("t.idl", text))
    assert grammar.run(lr, parser.SourceText("t.idl", "typedef long X;\n")).typedefs[0].name == "X"
    assert list(tmp_path.iterdir()) == []  # and nothing was written, here or next to the tables
    assert not (Path(parser.__file__).parent / "parser.out").exists()


def test_inspect_is_deferred_behind_ply_yacc_and_real_once_used(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import codegen.parser as p\n"
        "p.parse_source('typedef long X;', 'x.idl')\n"
        "print('inspect' in sys.modules)\n"
        "import ply.yacc\n"
        "print(ply.yacc.inspect.getmodule(p).__name__, 'inspect' in sys.modules)\n"
        "import inspect\n"
        "print(type(inspect).__name__, ply.yacc.inspect.getmodule is inspect.getmodule)\n"
    )
    proc = run(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:3] == ["False", "codegen.parser True", "module True"]


def test_re_is_deferred_behind_ply_yacc_and_its_patterns_compile_on_use(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import codegen.parser as p\n"
        "p.parse_source('typedef long X; native N(a(b)c);', 'x.idl')\n"
        "print('re' in sys.modules, 'enum' in sys.modules)\n"
        "import ply.yacc\n"
        "print(bool(ply.yacc._is_identifier.match('a_b')), ply.yacc._is_identifier.match('a b'))\n"
        "import re\n"
        "print(type(re).__name__, ply.yacc.re.sub is re.sub)\n"
    )
    proc = run(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:3] == ["False False", "True None", "module True"]


HEAVY = ("inspect", "dataclasses", "hashlib", "pickle", "json", "ast", "dis", "tokenize", "argparse",
         "pathlib", "typing", "re", "enum")
LOADED = f"' '.join(sorted(m for m in {HEAVY!r} if m in sys.modules))"


def test_a_parse_run_imports_none_of_the_heavy_modules(tmp_path: Path) -> None:
    # Those already imported by the interpreter's own start-up (site, .pth files) don't count.
    before = run(f"import sys; print({LOADED})", tmp_path)
    idl = tmp_path / "t.idl"
    idl.write_text('#include "nsISupports.idl"\n[scriptable, uuid(0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0)]\n'
                   "interface nsIT : nsISupports { attribute long x; };\n")
    dirs = sorted({str(f.parent) for f in IDL.rglob("*.idl")})
    argv = ["codegen", "parse", *(a for d in dirs for a in ("-I", d)), str(idl), "--json"]
    # main() itself, as `python -m codegen` runs it (which then ends with os._exit: no atexit).
    code = (
        "import sys\n"
        "from codegen.__main__ import main\n"
        f"status = main({argv[1:]!r})\n"
        f"sys.stderr.write('MODULES ' + {LOADED} + '\\n')\n"
        "sys.exit(status)\n"
    )
    env = {**os.environ, "XPIDL_CACHE_DIR": str(tmp_path / "cache")}
    # A cold cache (includes parsed and stored: writing an entry takes tempfile, and with it re),
    # then a warm one, which is what every run after the first is.
    for allowed in ({"re", "enum"}, set()):
        proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                              timeout=60, env=env)
        assert json.loads(proc.stdout)["productions"][1]["name"] == "nsIT", proc.stderr
        line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES"))
        assert set(line.split()[1:]) <= set(before.stdout.split()) | allowed, line


# ---------------------------------------------------------------- the cache across processes


def test_the_command_line_sees_an_edited_include_at_once(tmp_path: Path) -> None:
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "nsIDeep.idl").write_text('#include "nsISupports.idl"\n'
                                     "[uuid(11111111-2222-3333-4444-555555555555)]\n"
                                     "interface nsIDeep : nsISupports { const long A = 1; };\n")
    top = tmp_path / "nsITop.idl"
    top.write_text('#include "nsIDeep.idl"\n[uuid(11111111-2222-3333-4444-555555555556)]\n'
                   "interface nsITop : nsIDeep { const long B = A + 1; };\n")
    dirs = sorted({str(f.parent) for f in IDL.rglob("*.idl")}) + [str(inc)]
    include = [a for d in dirs for a in ("-I", d)]
    cmd = [sys.executable, "-m", "codegen", "parse", *include, str(top), "--json"]
    env = {**os.environ, "XPIDL_CACHE_DIR": str(tmp_path / "cache")}

    def value_of_b() -> int:
        proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env)
        assert proc.returncode == 0, proc.stderr
        members = json.loads(proc.stdout)["productions"][1]["members"]
        return int(members[0]["value"])

    assert value_of_b() == 2
    assert value_of_b() == 2  # the includes now come from the cache
    assert list((tmp_path / "cache").rglob("*.pickle"))
    (inc / "nsIDeep.idl").write_text((inc / "nsIDeep.idl").read_text().replace("A = 1", "A = 40"))
    assert value_of_b() == 41
    no_cache = subprocess.run([*cmd, "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    cached = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env)
    assert no_cache.stdout == cached.stdout
