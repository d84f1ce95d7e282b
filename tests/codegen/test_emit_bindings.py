"""The binding emitter: golden output, determinism, and what the generated modules do when imported.

Golden files live in tests/codegen/golden/ (``*.golden``, so neither pytest nor ruff mistakes
them for code).  After an intended change to the emitters, refresh them with
``CODEGEN_UPDATE_GOLDEN=1 python -m pytest tests/codegen/test_emit_bindings.py
tests/codegen/test_emit_tests.py`` and review the diff.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from zope.interface import implementer
from zope.interface.verify import verifyObject

from codegen import model, parse_file
from codegen.emit_bindings import (
    GENERATED_PREFIX,
    EmitError,
    _string_lines,
    clean_doc,
    docstring,
    emit_module,
    emit_package_init,
)
from codegen.regen import PROJECT_ROOT, include_dirs

IDL_DIR = PROJECT_ROOT / "idl"
GOLDEN = Path(__file__).parent / "golden"
SAMPLE_IDL = GOLDEN / "idl" / "nsIGoldenSample.idl"
SAMPLE_SOURCE = "tests/codegen/golden/idl/nsIGoldenSample.idl"
SUPPORTS_IDL = IDL_DIR / "xpcom" / "base" / "nsISupports.idl"


def parse(path: Path) -> model.IDLFile:
    return parse_file(path, [path.parent, *include_dirs(IDL_DIR)])


def sample_outputs() -> dict[str, str]:
    """The files of a bindings package holding nsISupports and the golden sample."""
    supports = parse(SUPPORTS_IDL)
    sample = parse(SAMPLE_IDL)
    return {
        "nsISupports.py": emit_module(supports, "idl/xpcom/base/nsISupports.idl"),
        "nsIGoldenSample.py": emit_module(sample, SAMPLE_SOURCE),
        "__init__.py": emit_package_init(
            [("nsISupports", ["nsISupports"]), ("nsIGoldenSample", [i.name for i in sample.interfaces])]
        ),
    }


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.golden"
    if os.environ.get("CODEGEN_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from {path} (see module doc)"


@pytest.fixture
def load_package(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], ModuleType]]:
    """load_package(files): write a generated package to a temp dir and import it."""
    loaded: list[str] = []

    def _load(files: dict[str, str]) -> ModuleType:
        name = f"gen_{uuid.uuid4().hex}"
        pkg = tmp_path / name
        pkg.mkdir()
        for fname, text in files.items():
            (pkg / fname).write_text(text, encoding="utf-8")
        sys.path.insert(0, str(tmp_path))
        try:
            module = importlib.import_module(name)
        finally:
            sys.path.remove(str(tmp_path))
        loaded.append(name)
        return module

    yield _load
    for name in loaded:
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]


# ---------------------------------------------------------------- golden and determinism


@pytest.mark.parametrize("fname", ["nsIGoldenSample.py", "__init__.py"])
def test_golden(fname: str) -> None:
    check_golden(fname, sample_outputs()[fname])


def test_first_line_names_the_idl_file() -> None:
    files = sample_outputs()
    assert files["nsIGoldenSample.py"].startswith(
        f"{GENERATED_PREFIX}{SAMPLE_SOURCE} by codegen; do not edit.\n"
    )
    assert files["__init__.py"].startswith("# Generated from idl/ by codegen; do not edit.\n")


def test_same_bytes_under_different_hash_seeds() -> None:
    # Set iteration order changes with the hash seed; the output must not.
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_emit_bindings import sample_outputs
        sys.stdout.write("".join(sample_outputs().values()))
        """
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1] == "".join(sample_outputs().values())


def test_generated_code_is_ruff_clean(tmp_path: Path) -> None:
    for fname, text in sample_outputs().items():
        (tmp_path / fname.replace("__init__", "init_module")).write_text(text, encoding="utf-8")
    targets = [str(tmp_path), str(PROJECT_ROOT / "components" / "interfaces")]
    config = str(PROJECT_ROOT / "pyproject.toml")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, *targets],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- the imported bindings


def submodule(pkg: ModuleType, name: str) -> ModuleType:
    # Not pkg.<name>: that is the interface the package re-exports, not the module.
    return importlib.import_module(f"{pkg.__name__}.{name}")


@pytest.fixture
def gen(load_package: Callable[[dict[str, str]], ModuleType]) -> ModuleType:
    return load_package(sample_outputs())


def test_interfaces_extend_their_bases(gen: ModuleType) -> None:
    Ci = gen.Ci
    assert Ci.nsIGoldenSample.extends(Ci.nsISupports)
    assert Ci.nsIGoldenDerived.extends(Ci.nsIGoldenSample)
    assert Ci.nsIGoldenCallback.__bases__ == (Ci.nsISupports,)
    assert "QueryInterface" in Ci.nsIGoldenSample.names(all=True)


def test_uuid_and_flags_are_tagged_values(gen: ModuleType) -> None:
    derived = gen.Ci.nsIGoldenDerived
    assert derived.getTaggedValue("uuid") == uuid.UUID("d9c6b4c4-d1f3-4373-8ba8-61c467c27682")
    assert derived.getTaggedValue("flags") == ("scriptable", "builtinclass")
    assert gen.Ci.nsIGoldenCallback.getTaggedValue("flags") == ("scriptable", "function")
    assert gen.Ci.nsISupports.getTaggedValue("uuid") == uuid.UUID("00000000-0000-0000-c000-000000000046")


def test_constants_read_as_ci_attributes_and_enums(gen: ModuleType) -> None:
    sample = gen.Ci.nsIGoldenSample
    assert (sample.FLAG_A, sample.FLAG_B, sample.MINUS) == (1, 17, -7)
    assert (sample.MODE_SLOW, sample.MODE_FAST, sample.MODE_FASTER) == (0, 5, 6)
    assert getattr(sample, "None") == 4
    module = submodule(gen, "nsIGoldenSample")
    consts = module.nsIGoldenSampleConstants
    assert issubclass(consts, enum.IntEnum)
    assert [m.name for m in consts] == ["FLAG_A", "FLAG_B", "MINUS", "None"]
    mode = module.nsIGoldenSample_Mode
    assert {m.name: m.value for m in mode} == {"MODE_SLOW": 0, "MODE_FAST": 5, "MODE_FASTER": 6}
    assert sample.MODE_FAST is mode.MODE_FAST


def test_constants_of_bases_are_inherited(gen: ModuleType) -> None:
    derived = gen.Ci.nsIGoldenDerived
    assert derived.EXTRA == 3
    assert (derived.FLAG_B, derived.MODE_FASTER, getattr(derived, "None")) == (17, 6, 4)
    assert not hasattr(gen.Ci.nsIGoldenSample, "EXTRA")


def test_attributes_carry_doc_type_and_readonly(gen: ModuleType) -> None:
    sample = gen.Ci.nsIGoldenSample
    name = sample["name"]
    assert name.getDoc() == "Read me, never write me."
    assert name.getTaggedValue("readonly") is True
    assert name.getTaggedValue("type") == "AUTF8String"
    assert sample["count"].getTaggedValue("readonly") is False
    assert sample["mode"].getTaggedValue("type") == "nsIGoldenSample_Mode"
    assert gen.Ci.nsIGoldenDerived["ready"].getTaggedValue("flags") == ("infallible",)


def test_noscript_members_are_left_out(gen: ModuleType) -> None:
    names = set(gen.Ci.nsIGoldenSample.names())
    assert "hidden" not in names and "internalOnly" not in names
    assert names == {"name", "count", "mode", "doIt", "exchange", "list", "configure", "global", "import"}


def test_methods_take_in_and_inout_params_in_order(gen: ModuleType) -> None:
    sample = gen.Ci.nsIGoldenSample
    do_it = sample["doIt"]
    assert do_it.positional == ("aURI", "class_", "aCount")
    assert do_it.required == ("aURI", "class_")  # aCount is [optional]
    assert do_it.getTaggedValue("returns") == "boolean"
    assert do_it.getTaggedValue("flags") == ("must_use",)
    assert do_it.getDoc().startswith("Do it.\n")
    exchange = sample["exchange"]
    assert exchange.positional == ("aValue",)
    assert exchange.getTaggedValue("results") == ("aValue", "aName")
    assert exchange.getTaggedValue("params") == (("aValue", "inout", "long"), ("aName", "out", "AString"))
    assert sample["list"].positional == ()
    assert sample["list"].getTaggedValue("returns") == "Array<AString>"
    configure = sample["configure"]
    assert configure.positional == ("aFirstValue", "aSecondValue", "aThirdValue", "aFourthValue")
    doc = inspect.cleandoc(configure.getDoc()).split("\n")
    assert doc[-4:] == [
        "XPIDL: void configure(in unsigned long aFirstValue,",
        "                      in unsigned long aSecondValue,",
        "                      in AUTF8String aThirdValue,",
        "                      [optional] in boolean aFourthValue)",
    ]
    qi = gen.Ci.nsISupports["QueryInterface"]
    assert qi.positional == ("uuid",)
    assert qi.getTaggedValue("results") == ("result",)


def test_python_keywords_keep_their_idl_names(gen: ModuleType) -> None:
    sample = gen.Ci.nsIGoldenSample
    assert sample["global"].getTaggedValue("readonly") is True
    assert sample["import"].positional == ("from_",)
    assert sample["import"].getTaggedValue("params") == (("from", "in", "long"),)


def test_docs_survive_escaping(gen: ModuleType) -> None:
    expected = clean_doc(parse(SAMPLE_IDL).interfaces[0].doc)
    assert "\\" in expected and '"""' in expected
    assert inspect.cleandoc(gen.Ci.nsIGoldenSample.__doc__) == expected


def test_awkward_doc_characters(tmp_path: Path, load_package: Callable[[dict[str, str]], ModuleType]) -> None:
    doc = 'Ends with a quote "x"\n\ttab, form\x0cfeed, back\\slash, \'single\', unicode é'
    idl = tmp_path / "nsIAwkward.idl"
    idl.write_text(
        '#include "nsISupports.idl"\n'
        f"/** {doc} */\n"
        "[scriptable, uuid(2b4c1d9e-0000-4000-8000-000000000001)]\n"
        "interface nsIAwkward : nsISupports {\n"
        f'  /** {doc} */\n  attribute long value;\n'
        f'  /** {doc} */\n  void run();\n'
        "};\n",
        encoding="utf-8",
    )
    f = parse(idl)
    pkg = load_package(
        {
            "nsISupports.py": emit_module(parse(SUPPORTS_IDL), "idl/xpcom/base/nsISupports.idl"),
            "nsIAwkward.py": emit_module(f, "nsIAwkward.idl"),
            "__init__.py": emit_package_init(
                [("nsISupports", ["nsISupports"]), ("nsIAwkward", ["nsIAwkward"])]
            ),
        }
    )
    iface = pkg.Ci.nsIAwkward
    want = clean_doc(f.interfaces[0].doc)
    assert inspect.cleandoc(iface.__doc__) == want
    assert iface["value"].getDoc() == want
    assert inspect.cleandoc(iface["run"].getDoc()).startswith(want)


def test_ci_is_a_read_only_mapping_of_every_interface(gen: ModuleType) -> None:
    Ci = gen.Ci
    assert list(Ci) == sorted(["nsISupports", "nsIGoldenSample", "nsIGoldenDerived", "nsIGoldenCallback"])
    assert len(Ci) == 4
    assert Ci["nsIGoldenDerived"] is Ci.nsIGoldenDerived is submodule(gen, "nsIGoldenSample").nsIGoldenDerived
    # The package re-exports each interface under its name (shadowing the module of the same name).
    assert gen.nsIGoldenSample is Ci.nsIGoldenSample
    assert "nsIGoldenSample" in Ci and Ci.nsIGoldenSample in Ci
    assert "nsIMissing" not in Ci and object() not in Ci
    with pytest.raises(AttributeError, match="nsIMissing"):
        Ci.nsIMissing  # noqa: B018
    with pytest.raises(KeyError, match="nsIMissing"):
        Ci["nsIMissing"]
    with pytest.raises(TypeError):
        Ci["nsIFoo"] = Ci.nsISupports  # type: ignore[index]


def test_verify_object_against_a_generated_binding(gen: ModuleType) -> None:
    @implementer(gen.Ci.nsIGoldenCallback)
    class Callback:
        def QueryInterface(self, iid: Any) -> Any:
            return self

        def call(self, source: Any) -> None:
            pass

    assert verifyObject(gen.Ci.nsIGoldenCallback, Callback())
    assert gen.Ci.nsIGoldenCallback.providedBy(Callback())


def test_interface_without_uuid_is_an_emitter_error() -> None:
    f = model.IDLFile("x.idl", [model.Interface("nsIBare", None, {"scriptable": None})])
    with pytest.raises(EmitError, match="nsIBare"):
        emit_module(f, "x.idl")


def test_one_interface_in_two_modules_is_an_error() -> None:
    with pytest.raises(EmitError, match="nsIFoo"):
        emit_package_init([("a", ["nsIFoo"]), ("b", ["nsIFoo"])])


# ---------------------------------------------------------------- the real bindings


def test_real_websocket_channel_binding() -> None:
    from components.interfaces import Ci

    ch = Ci.nsIWebSocketChannel
    assert ch.extends(Ci.nsISupports)
    closes = {
        "CLOSE_NORMAL": 1000, "CLOSE_GOING_AWAY": 1001, "CLOSE_PROTOCOL_ERROR": 1002,
        "CLOSE_UNSUPPORTED_DATATYPE": 1003, "CLOSE_NO_STATUS": 1005, "CLOSE_ABNORMAL": 1006,
        "CLOSE_INVALID_PAYLOAD": 1007, "CLOSE_POLICY_VIOLATION": 1008, "CLOSE_TOO_LARGE": 1009,
        "CLOSE_EXTENSION_MISSING": 1010, "CLOSE_INTERNAL_ERROR": 1011, "CLOSE_TLS_FAILED": 1015,
    }  # fmt: skip
    assert {name: getattr(ch, name) for name in closes} == closes
    attributes = [n for n in ch.names() if not hasattr(ch[n], "positional")]
    readonly = {n for n in attributes if ch[n].getTaggedValue("readonly")}
    assert readonly == {"URI", "securityInfo", "extensions"}
    assert ch["asyncOpen"].positional == ("aURI", "aOrigin", "aListener", "aContext")
    assert ch["close"].positional == ("aCode", "aReason")
    assert ch["sendBinaryStream"].positional == ("aStream", "length")
    assert ch["protocol"].getTaggedValue("type") == "ACString"
    assert ch["pingInterval"].getTaggedValue("type") == "unsigned long"
    listener = Ci.nsIWebSocketListener
    assert listener["onServerClose"].positional == ("aContext", "aCode", "aReason")
    assert listener["onError"].positional == ()
    assert listener["onStop"].getTaggedValue("params")[1] == ("aStatusCode", "in", "nsresult")


def test_every_idl_file_has_a_module_and_every_interface_is_in_ci() -> None:
    from components.interfaces import Ci

    folder = PROJECT_ROOT / "components" / "interfaces"
    for idl in IDL_DIR.rglob("*.idl"):
        module = folder / f"{idl.stem}.py"
        first = module.read_text(encoding="utf-8").split("\n", 1)[0]
        source = idl.relative_to(PROJECT_ROOT).as_posix()
        assert first == f"# Generated from {source} by codegen; do not edit."
        for iface in parse(idl).interfaces:
            assert iface.name in Ci


# ---------------------------------------------------------------- properties

_DOC_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=200, deadline=None)
@given(_DOC_TEXT)
def test_any_doc_text_survives_the_docstring(raw: str) -> None:
    text = clean_doc(raw)
    source = "def f():\n" + "\n".join(docstring(text or "x", "    ")) + "\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<doc>", "exec"), namespace)
    assert inspect.cleandoc(namespace["f"].__doc__) == (text or "x")


@settings(max_examples=200, deadline=None)
@given(_DOC_TEXT)
def test_any_doc_text_survives_as_attribute_doc(raw: str) -> None:
    text = clean_doc(raw)
    expr = "(\n" + "\n".join(_string_lines(text, "    ")) + "\n)"
    assert eval(compile(expr, "<doc>", "eval")) == text


_NAMES = st.from_regex(r"[A-Z][A-Z0-9_]{0,12}", fullmatch=True)


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(_NAMES, st.integers(-(2**31), 2**32 - 1), min_size=1, max_size=8))
def test_any_constant_set_reads_back(
    tmp_path_factory: pytest.TempPathFactory, consts: dict[str, int]
) -> None:
    iface = model.Interface(
        "nsIProp",
        "nsISupports",
        {"scriptable": None, "uuid": "5f0c6b1e-0000-4000-8000-000000000002"},
        [model.Const(n, model.TypeRef("long long"), model.Num(v), v) for n, v in consts.items()],
    )
    supports = parse(SUPPORTS_IDL)
    f = model.IDLFile("nsIProp.idl", [iface])
    f.productions.insert(0, model.Include("nsISupports.idl", supports.path, supports))
    files = {
        "nsISupports.py": emit_module(supports, "idl/xpcom/base/nsISupports.idl"),
        "nsIProp.py": emit_module(f, "nsIProp.idl"),
        "__init__.py": emit_package_init([("nsISupports", ["nsISupports"]), ("nsIProp", ["nsIProp"])]),
    }
    root = tmp_path_factory.mktemp("prop")
    name = f"prop_{uuid.uuid4().hex}"
    (root / name).mkdir()
    for fname, text in files.items():
        (root / name / fname).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        pkg = importlib.import_module(name)
        enum_cls = importlib.import_module(f"{name}.nsIProp").nsIPropConstants
        assert {n: getattr(pkg.Ci.nsIProp, n) for n in consts} == consts
        assert {n: enum_cls[n].value for n in consts} == consts
    finally:
        sys.path.remove(str(root))
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]


def test_bases_from_transitively_included_files(
    tmp_path: Path, load_package: Callable[[dict[str, str]], ModuleType]
) -> None:
    child = tmp_path / "nsIGoldenChild.idl"
    child.write_text(
        '#include "nsIGoldenSample.idl"\n'  # which includes nsISupports.idl in turn
        "[scriptable, builtinclass, uuid(8a0e5a52-0000-4000-8000-000000000003)]\n"
        "interface nsIGoldenChild : nsIGoldenDerived { const long OWN = 9; };\n",
        encoding="utf-8",
    )
    f = parse_file(child, [tmp_path, SAMPLE_IDL.parent, *include_dirs(IDL_DIR)])
    text = emit_module(f, "nsIGoldenChild.idl")
    # The base and the interface declaring inherited constants are imported from their own modules.
    assert "from .nsIGoldenSample import nsIGoldenDerived, nsIGoldenSample\n" in text
    sample = parse(SAMPLE_IDL)
    pkg = load_package(
        {
            "nsISupports.py": emit_module(parse(SUPPORTS_IDL), "idl/xpcom/base/nsISupports.idl"),
            "nsIGoldenSample.py": emit_module(sample, SAMPLE_SOURCE),
            "nsIGoldenChild.py": text,
            "__init__.py": emit_package_init(
                [
                    ("nsISupports", ["nsISupports"]),
                    ("nsIGoldenSample", [i.name for i in sample.interfaces]),
                    ("nsIGoldenChild", ["nsIGoldenChild"]),
                ]
            ),
        }
    )
    child_iface = pkg.Ci.nsIGoldenChild
    assert child_iface.extends(pkg.Ci.nsIGoldenDerived) and child_iface.extends(pkg.Ci.nsISupports)
    assert (child_iface.OWN, child_iface.EXTRA, child_iface.FLAG_B, child_iface.MODE_FASTER) == (9, 3, 17, 6)


def test_mypy_sees_constants_as_ints(tmp_path: Path) -> None:
    # "Type-annotated so mypy can check code that uses it": the ClassVar annotations and Ci's
    # class attributes give Ci.nsIFoo.NAME the type int, so misuse is a type error.
    use = tmp_path / "use_bindings.py"
    use.write_text(
        "from components import Ci\n"
        "reveal_type(Ci.nsIWebSocketChannel.CLOSE_TOO_LARGE)\n"
        'wrong: str = Ci.nsIWebSocketChannel.CLOSE_NORMAL\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), str(use)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert 'use_bindings.py:2: note: Revealed type is "int"' in result.stdout, result.stdout
    assert "use_bindings.py:3: error: Incompatible types in assignment" in result.stdout, result.stdout
    assert "Found 1 error in 1 file" in result.stdout
