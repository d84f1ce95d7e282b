"""Whole-file tests: golden JSON for a small file, and a Mozilla-style sample using most features.

To update the golden file after an intended model change:
    cd tests/codegen/data && python -m codegen parse -I include small.idl --json > small.json
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codegen import model as m
from codegen.parser import parse_file

DATA = Path(__file__).parent / "data"


@pytest.fixture
def in_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(DATA)
    return DATA


def test_small_file_matches_golden_json(in_data: Path) -> None:
    idl = parse_file("small.idl", ["include"])
    assert idl.to_json() == (in_data / "small.json").read_text()


def test_json_is_deterministic_and_plain_data(in_data: Path) -> None:
    first = parse_file("small.idl", ["include"]).to_json()
    second = parse_file("small.idl", ["include"]).to_json()
    assert first == second
    assert json.loads(first)["productions"][2]["members"][2]["qualified_name"] == "nsISmall_Mode"


@pytest.fixture
def sample(in_data: Path) -> m.IDLFile:
    return parse_file("nsIMozSample.idl", ["include"])


def test_sample_top_level(sample: m.IDLFile) -> None:
    kinds = [type(p).__name__ for p in sample.productions]
    assert kinds[:7] == ["Include", "Forward", "Forward", "Forward", "WebIDL", "WebIDL", "CDATA"]
    assert [i.name for i in sample.interfaces] == ["nsIMozSampleCallback", "nsIMozSample"]
    assert sample.cdata[-1].text == "inline nsresult NS_NewSample(nsIMozSample** aResult);\n"
    natives = {n.name: n.cpp_type for n in sample.natives}
    assert natives["StdFunction"] == "std::function<void(nsresult)>"
    assert natives["TimeStampRef"] == "const mozilla::TimeStamp"


def test_sample_interfaces(sample: m.IDLFile) -> None:
    callback, main = sample.interfaces
    assert (
        callback.function
        and callback.doc == "A callback with exactly one method, so scripts may pass a plain function."
    )
    assert main.uuid == "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9" and main.builtinclass
    assert main.doc == "The sample service.\n\nIt exists to exercise the parser."


def test_sample_constants(sample: m.IDLFile) -> None:
    consts = dict(sample.interfaces[1].constants())
    assert consts["LOAD_DEFAULT"] == 3 and consts["LOAD_HIGH_BIT"] == 0x80000000
    assert consts["SMALL"] == -24 and consts["MASK"] == 0xFFF and consts["SEPARATOR"] == 47
    assert [consts[k] for k in ("STATE_IDLE", "STATE_RUNNING", "STATE_DONE", "STATE_ALL")] == [0, 2, 3, 3]
    assert consts["PRIORITY_LOW"] == -1 and consts["PRIORITY_HIGH"] == 1 << 20


def test_sample_members(sample: m.IDLFile) -> None:
    main = sample.interfaces[1]
    attrs = {a.name: a for a in main.attributes}
    assert attrs["state"].type.kind == "cenum" and attrs["state"].infallible
    assert attrs["flags"].binaryname == "SampleFlags" and attrs["flags"].type.kind == "typedef"
    assert str(attrs["uriGrid"].type) == "Array<Array<nsIURI> >"
    assert attrs["ownerDocument"].type.kind == "webidl"
    methods = {meth.name: meth for meth in main.methods}
    assert methods["open"].raises == ["NS_ERROR_ALREADY_OPENED"] and methods["open"].can_run_script
    assert methods["open"].doc is not None and methods["open"].doc.startswith("Start a load.\n\n@param aURI")
    assert methods["getBytes"].params[1].size_is == "aCount" and methods["getBytes"].params[1].retval
    assert methods["readBytes"].params[1].const and methods["readBytes"].params[1].array
    assert methods["getInterfaceFor"].params[1].iid_is == "aIID"
    assert methods["fetchLater"].type.target.specialtype == "promise"
    assert [p.direction for p in methods["swap"].params] == ["inout", "out", "out"]
    assert methods["setDefault"].params[0].default == "null"
    assert "delete" in methods
    assert "IsRunning" in main.cdata[0].text


def test_sample_json_round_trips(sample: m.IDLFile) -> None:
    data = json.loads(sample.to_json())
    assert data["productions"][-2]["name"] == "nsIMozSample"
