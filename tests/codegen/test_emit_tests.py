"""The conformance-test emitter, and proof that the generated tests catch drift.

The drift tests run the real generated modules (tests/generated/test_nsIWebSocketListener.py and
test_nsIWebSocketChannel.py, copied as they are) in a child pytest whose conftest swaps
``codegen.conformance.registered_components`` for a registry of fakes: one fake that conforms,
and fakes that each drift from the IDL in one way.  The conforming fake must pass every test and
each drifting one must fail the test that guards its kind of drift.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from support import conformance as support_conformance

from codegen import conformance, parse_file
from codegen.emit_tests import emit_test_modules
from codegen.regen import PROJECT_ROOT, include_dirs

GOLDEN = Path(__file__).parent / "golden"
SAMPLE_IDL = GOLDEN / "idl" / "nsIGoldenSample.idl"
SAMPLE_SOURCE = "tests/codegen/golden/idl/nsIGoldenSample.idl"
GENERATED = PROJECT_ROOT / "tests" / "generated"


def sample_tests() -> dict[str, str]:
    f = parse_file(SAMPLE_IDL, [SAMPLE_IDL.parent, *include_dirs(PROJECT_ROOT / "idl")])
    return emit_test_modules(f, SAMPLE_SOURCE)


@pytest.mark.parametrize("fname", ["test_nsIGoldenSample.py", "test_nsIGoldenDerived.py"])
def test_golden(fname: str) -> None:
    text = sample_tests()[fname]
    path = GOLDEN / f"{fname}.golden"
    if os.environ.get("CODEGEN_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


def test_one_module_per_interface() -> None:
    names = ["test_nsIGoldenCallback.py", "test_nsIGoldenDerived.py", "test_nsIGoldenSample.py"]
    assert sorted(sample_tests()) == names


def test_members_of_bases_are_flattened_in() -> None:
    namespace: dict[str, Any] = {}
    text = sample_tests()["test_nsIGoldenDerived.py"]
    exec(compile(text.split("COMPONENTS =")[0], "test_nsIGoldenDerived.py", "exec"), namespace)
    spec: conformance.IDLInterface = namespace["IDL"]
    methods = ["QueryInterface", "doIt", "exchange", "list", "configure", "import"]
    assert [m.name for m in spec.all_methods] == methods
    assert {a.name for a in spec.all_attributes} == {"name", "count", "mode", "global", "ready"}
    assert dict(spec.inherited_constants)["FLAG_B"] == 17
    do_it = spec.inherited_methods[1]
    assert (do_it.arguments, do_it.optional, do_it.required) == (("aURI", "class", "aCount"), 1, 2)


# ---------------------------------------------------------------- checks, called directly


def _spec(name: str) -> conformance.IDLInterface:
    namespace: dict[str, Any] = {}
    text = (GENERATED / f"test_{name}.py").read_text(encoding="utf-8")
    exec(compile(text.split("COMPONENTS =")[0], f"test_{name}.py", "exec"), namespace)
    spec: conformance.IDLInterface = namespace["IDL"]
    return spec


def test_binding_checks_pass_for_the_real_bindings() -> None:
    for name in ("nsIWebSocketChannel", "nsIWebSocketListener", "nsISupports"):
        conformance.check_binding_shape(_spec(name))
        conformance.check_binding_constants(_spec(name))


def test_binding_check_fails_when_the_binding_is_stale() -> None:
    spec = _spec("nsIWebSocketChannel")
    # An attribute the IDL has and the binding does not (the name is made up for the test).
    grown = replace(spec, attributes=(*spec.attributes, conformance.IDLAttribute("notInTheBinding", "long")))
    with pytest.raises(conformance.ConformanceError, match="notInTheBinding is missing from the binding"):
        conformance.check_binding_shape(grown)
    methods = tuple(
        replace(m, arguments=(*m.arguments, "aExtra")) if m.name == "sendMsg" else m for m in spec.methods
    )
    with pytest.raises(conformance.ConformanceError, match="sendMsg: binding takes"):
        conformance.check_binding_shape(replace(spec, methods=methods))
    flipped = tuple(replace(a, readonly=not a.readonly) if a.name == "URI" else a for a in spec.attributes)
    with pytest.raises(conformance.ConformanceError, match="URI: readonly tag"):
        conformance.check_binding_shape(replace(spec, attributes=flipped))
    with pytest.raises(conformance.ConformanceError, match="uuid tag"):
        conformance.check_binding_shape(replace(spec, uuid="00000000-0000-4000-8000-000000000000"))


def test_constant_check_fails_on_a_wrong_value() -> None:
    spec = _spec("nsIWebSocketChannel")
    wrong = tuple((n, 999 if n == "CLOSE_TOO_LARGE" else v) for n, v in spec.constants)
    with pytest.raises(conformance.ConformanceError, match="CLOSE_TOO_LARGE is 1009, IDL value 999"):
        conformance.check_binding_constants(replace(spec, constants=wrong))
    extra = replace(spec, constants=(*spec.constants, ("CLOSE_SERVICE_RESTART", 1012)))
    with pytest.raises(conformance.ConformanceError, match="CLOSE_SERVICE_RESTART is missing"):
        conformance.check_binding_constants(extra)


def test_no_component_means_a_skip_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conformance, "registered_components", lambda iface: [])
    [param] = support_conformance.providers(_spec("nsIWebSocketListener"))
    [mark] = param.marks
    assert mark.name == "skip"
    assert "no component is registered as providing nsIWebSocketListener" in mark.kwargs["reason"]


# ---------------------------------------------------------------- drift, end to end

FAKES = '''
from __future__ import annotations

import uuid

from zope.interface import implementer

from codegen import conformance
from components.interfaces import Ci


class Entry:
    def __init__(self, cls):
        self.cls, self.name = cls, cls.__name__
        self.contractIDs = (f"@test/{cls.__name__};1",)
        self.classID = uuid.uuid4()

    def createInstance(self, iface=None):
        return self.cls()


@implementer(Ci.nsIWebSocketListener)
class GoodListener:
    def QueryInterface(self, iid): return self
    def onStart(self, aContext): pass
    def onStop(self, aContext, aStatusCode): pass
    def onMessageAvailable(self, aContext, aMsg): pass
    def onBinaryMessageAvailable(self, aContext, aMsg): pass
    def onAcknowledge(self, aContext, aSize): pass
    def onServerClose(self, aContext, aCode, aReason): pass
    def onError(self): pass


class ListenerWithoutOnError(GoodListener):
    onError = None


class ListenerDroppingReason(GoodListener):
    def onServerClose(self, aContext, aCode): pass


class ListenerWantingMore(GoodListener):
    def onStop(self, aContext, aStatusCode, aExtra): pass


class _Channel:
    def QueryInterface(self, iid): return self
    def __init__(self):
        self.originalURI = self.notificationCallbacks = self.loadGroup = self.loadInfo = None
        self.protocol = ""
        self.pingInterval = self.pingTimeout = self.serial = 0
    URI = property(lambda self: None)
    securityInfo = property(lambda self: None)
    extensions = property(lambda self: "")
    def asyncOpen(self, aURI, aOrigin, aListener, aContext): pass
    def close(self, aCode, aReason): pass
    def sendMsg(self, aMsg): pass
    def sendBinaryMsg(self, aMsg): pass
    def sendBinaryStream(self, aStream, length): pass


GoodChannel = implementer(Ci.nsIWebSocketChannel)(type("GoodChannel", (_Channel,), {}))


@implementer(Ci.nsIWebSocketChannel)
class ChannelWithWritableURI(_Channel):
    URI = None


@implementer(Ci.nsIWebSocketChannel)
class ChannelWithReadOnlyPingInterval(_Channel):
    pingInterval = property(lambda self: 0)

    def __init__(self):
        self.originalURI = self.notificationCallbacks = self.loadGroup = self.loadInfo = None
        self.protocol = ""
        self.pingTimeout = self.serial = 0


@implementer(Ci.nsIWebSocketChannel)
class ChannelWithoutSendBinaryStream(_Channel):
    sendBinaryStream = None


ENTRIES = {
    "nsIWebSocketListener": [
        Entry(GoodListener), Entry(ListenerWithoutOnError), Entry(ListenerDroppingReason),
        Entry(ListenerWantingMore),
    ],
    "nsIWebSocketChannel": [
        Entry(GoodChannel), Entry(ChannelWithWritableURI), Entry(ChannelWithReadOnlyPingInterval),
        Entry(ChannelWithoutSendBinaryStream),
    ],
}
conformance.registered_components = lambda iface: ENTRIES.get(iface.__name__, [])
'''


@pytest.fixture(scope="module")
def drift_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Run the generated listener and channel tests against the fakes.

    Returns "module::test[id]" -> (outcome, failure text)."""
    where = tmp_path_factory.mktemp("drift")
    for name in ("test_nsIWebSocketListener.py", "test_nsIWebSocketChannel.py"):
        shutil.copy(GENERATED / name, where / name)
    (where / "conftest.py").write_text(textwrap.dedent(FAKES), encoding="utf-8")
    tests_dir = PROJECT_ROOT / "tests"  # the generated modules import support.conformance
    (where / "pytest.ini").write_text(
        f"[pytest]\naddopts = -p no:cacheprovider\npythonpath = {tests_dir}\n", encoding="utf-8"
    )
    report = where / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--import-mode=importlib", f"--junitxml={report}", str(where)],
        cwd=where,
        capture_output=True,
        text=True,
    )
    results: dict[str, tuple[str, str]] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        outcome = "passed"
        text = ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = "failed" if child.tag != "skipped" else "skipped"
                text = (child.get("message") or "") + (child.text or "")
        results[f'{case.get("classname")}::{case.get("name")}'] = (outcome, text)
    return results


def _outcomes(results: dict[str, tuple[str, str]], fake: str) -> dict[str, tuple[str, str]]:
    return {key.split("::")[-1].split("[")[0]: r for key, r in results.items() if f"[@test/{fake};1]" in key}


@pytest.mark.parametrize("fake", ["GoodListener", "GoodChannel"])
def test_conforming_fakes_pass(drift_run: dict[str, tuple[str, str]], fake: str) -> None:
    results = _outcomes(drift_run, fake)
    assert set(results) == {"test_component_verifies", "test_component_attributes", "test_component_methods"}
    assert all(outcome == "passed" for outcome, _ in results.values()), results


@pytest.mark.parametrize(
    ("fake", "failing", "message"),
    [
        ("ListenerWithoutOnError", {"test_component_verifies", "test_component_methods"}, "onError"),
        ("ListenerDroppingReason", {"test_component_verifies", "test_component_methods"}, "onServerClose"),
        ("ListenerWantingMore", {"test_component_verifies", "test_component_methods"}, "onStop"),
        ("ChannelWithWritableURI", {"test_component_attributes"}, "readonly URI accepted an assignment"),
        ("ChannelWithReadOnlyPingInterval", {"test_component_attributes"}, "pingInterval is writable"),
        ("ChannelWithoutSendBinaryStream", {"test_component_verifies", "test_component_methods"},
         "sendBinaryStream"),
    ],
)
def test_drifting_fakes_fail(
    drift_run: dict[str, tuple[str, str]], fake: str, failing: set[str], message: str
) -> None:
    results = _outcomes(drift_run, fake)
    assert len(results) == 3, drift_run.keys()
    failed = {name for name, (outcome, _) in results.items() if outcome == "failed"}
    assert failed == failing, results
    assert any(message in text for name, (_, text) in results.items() if name in failing), results


def test_the_generated_binding_tests_pass_in_the_same_run(drift_run: dict[str, tuple[str, str]]) -> None:
    binding_tests = {n: r for n, r in drift_run.items() if "[" not in n}
    assert len(binding_tests) == 4  # two per module
    assert all(outcome == "passed" for outcome, _ in binding_tests.values()), binding_tests


def test_the_compiler_package_does_not_import_pytest() -> None:
    # The generated tests depend on the test side (support.conformance), never the shipped
    # compiler on pytest: importing every codegen module must leave pytest unloaded.
    code = (
        "import pkgutil, importlib, sys, codegen\n"
        "for m in pkgutil.iter_modules(codegen.__path__):\n"
        "    importlib.import_module('codegen.' + m.name)\n"
        "assert 'pytest' not in sys.modules and '_pytest' not in sys.modules, 'pytest imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_generated_modules_take_their_parameters_from_the_test_side() -> None:
    text = sample_tests()["test_nsIGoldenSample.py"]
    assert "from support.conformance import providers" in text
    assert "COMPONENTS = providers(IDL)" in text
