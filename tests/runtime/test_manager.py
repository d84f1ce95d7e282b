"""The component manager: lookups, instances and services, overrides, failures, lazy loading."""

from __future__ import annotations

import logging
import sys
import textwrap
import threading
import uuid
from pathlib import Path

import pytest
from zope.interface import Interface, implementer

from components import Cc, Ci, Cr, XPCOMError, manager
from components.manager import Registry, component, components_providing, registry


class IGreeter(Interface):
    def greet() -> str:
        """Say hello."""


class IOther(Interface):
    pass


def _contract(tag: str) -> str:
    # Unique per call, so tests never see each other's registrations.
    return f"@test.example/{tag}-{uuid.uuid4().hex[:8]};1"


@pytest.fixture
def cleanup():
    cids: list[uuid.UUID] = []
    yield cids
    for cid in cids:
        registry.unregister(cid)


def test_unknown_contract_is_factory_not_registered() -> None:
    with pytest.raises(XPCOMError) as info:
        Cc["@example.org/no-such-component;1"]
    assert info.value.result == Cr.NS_ERROR_FACTORY_NOT_REGISTERED
    assert "NS_ERROR_FACTORY_NOT_REGISTERED (0x80040154)" in str(info.value)
    assert isinstance(info.value, KeyError)  # so Cc behaves as a mapping
    assert Cc.get("@example.org/no-such-component;1") is None
    assert Cc.get("@example.org/no-such-component;1", "dflt") == "dflt"
    assert "@example.org/no-such-component;1" not in Cc
    assert Cc.queryService("@example.org/no-such-component;1", None, "dflt") == "dflt"


def test_builtin_contracts_are_listed() -> None:
    names = Cc.contractIDs()
    assert "@mozilla.org/preferences-service;1" in names
    assert "@mozilla.org/network/io-service;1" in names
    assert names == sorted(names) == list(Cc)
    assert len(Cc) == len(names)
    assert "@mozilla.org/preferences-service;1" in Cc


def test_decorator_records_ids_and_adds_query_interface(cleanup: list[uuid.UUID]) -> None:
    contract = _contract("greeter")

    @component(classID="{0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9}", contractIDs=(contract,))
    @implementer(IGreeter)
    class Greeter:
        def greet(self) -> str:
            return "hi"

    cleanup.append(Greeter.classID)
    assert Greeter.classID == uuid.UUID("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")
    assert Greeter.contractIDs == (contract,)
    entry = Cc[contract]
    assert entry.classID == Greeter.classID and entry.contractIDs == (contract,)
    assert entry.cls is Greeter
    assert Cc.entryForClassID("{0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9}") is entry
    obj = entry.createInstance(IGreeter)
    assert obj.greet() == "hi"
    assert obj.QueryInterface(IGreeter) is obj
    assert obj.QueryInterface(Ci.nsISupports) is obj  # every component is an nsISupports
    with pytest.raises(XPCOMError) as info:
        obj.QueryInterface(IOther)
    assert info.value.result == Cr.NS_NOINTERFACE
    assert IGreeter.providedBy(obj)


def test_a_lone_string_is_one_contract_id(cleanup: list[uuid.UUID]) -> None:
    contract = _contract("lone")

    @component(classID=uuid.uuid4(), contractIDs=contract)
    class Lone:
        pass

    cleanup.append(Lone.classID)
    assert Lone.contractIDs == (contract,)
    assert Cc[contract].cls is Lone
    with registry.register(lambda: "x", contractIDs=contract):
        assert Cc[contract].createInstance() == "x"


def test_existing_query_interface_is_kept(cleanup: list[uuid.UUID]) -> None:
    @component(classID=uuid.uuid4(), contractIDs=(_contract("qi"),))
    class OwnQI:
        def QueryInterface(self, iface: object) -> str:
            return "mine"

    cleanup.append(OwnQI.classID)
    assert OwnQI().QueryInterface(IOther) == "mine"


def test_create_instance_is_new_each_time_and_checks_interfaces(cleanup: list[uuid.UUID]) -> None:
    contract = _contract("fresh")

    @component(classID=uuid.uuid4(), contractIDs=(contract,))
    @implementer(IGreeter)
    class Fresh:
        def greet(self) -> str:
            return "x"

    cleanup.append(Fresh.classID)
    a, b = Cc[contract].createInstance(), Cc[contract].createInstance()
    assert a is not b
    with pytest.raises(XPCOMError) as info:
        Cc[contract].createInstance(IOther)
    assert info.value.result == Cr.NS_NOINTERFACE
    with pytest.raises(XPCOMError) as info:
        Cc[contract].getService(IOther)
    assert info.value.result == Cr.NS_NOINTERFACE
    assert Cc[contract].queryInstance(IOther, "dflt") == "dflt"
    assert Cc[contract].queryService(IOther, "dflt") == "dflt"
    assert isinstance(Cc[contract].queryInstance(IGreeter), Fresh)
    assert Cc.queryService(contract, IGreeter) is Cc[contract].getService()
    assert [e.cls for e in components_providing(IGreeter)] == [Fresh]


def test_get_service_is_one_object_across_threads(cleanup: list[uuid.UUID]) -> None:
    contract = _contract("service")
    made: list[object] = []
    entered = threading.Event()
    release = threading.Event()

    @component(classID=uuid.uuid4(), contractIDs=(contract,))
    class Slow:
        def __init__(self) -> None:
            made.append(self)
            entered.set()
            release.wait()  # hold every other caller at the door while this one builds

    cleanup.append(Slow.classID)
    entry = Cc[contract]
    results: list[object] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        results.append(entry.getService())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    entered.wait()
    release.set()
    for t in threads:
        t.join()
    assert len(made) == 1
    assert len(results) == 8 and all(r is made[0] for r in results)


def test_failing_constructor_is_xpcom_error_with_cause(cleanup: list[uuid.UUID]) -> None:
    contract = _contract("broken")
    calls: list[int] = []

    @component(classID=uuid.uuid4(), contractIDs=(contract,))
    class Broken:
        def __init__(self) -> None:
            calls.append(1)
            if len(calls) < 3:
                raise RuntimeError("boom")

    cleanup.append(Broken.classID)
    with pytest.raises(XPCOMError) as info:
        Cc[contract].createInstance()
    assert info.value.result == Cr.NS_ERROR_FAILURE
    assert isinstance(info.value.__cause__, RuntimeError)
    with pytest.raises(XPCOMError):
        Cc[contract].getService()
    # A failed getService caches nothing: the next call builds again, and succeeds.
    assert isinstance(Cc[contract].getService(), Broken)
    assert Cc[contract].getService() is Cc[contract].getService()


def test_a_service_asking_for_itself_fails_instead_of_hanging(cleanup: list[uuid.UUID]) -> None:
    contract = _contract("selfish")

    @component(classID=uuid.uuid4(), contractIDs=(contract,))
    class Selfish:
        def __init__(self) -> None:
            Cc[contract].getService()

    cleanup.append(Selfish.classID)
    with pytest.raises(XPCOMError) as info:
        Cc[contract].getService()
    assert info.value.result == Cr.NS_ERROR_FAILURE
    assert "its own service" in str(info.value)


def test_constructor_xpcom_errors_pass_through(cleanup: list[uuid.UUID]) -> None:
    contract = _contract("refuses")

    @component(classID=uuid.uuid4(), contractIDs=(contract,))
    class Refuses:
        def __init__(self) -> None:
            raise XPCOMError(Cr.NS_ERROR_NOT_AVAILABLE, "not today")

    cleanup.append(Refuses.classID)
    with pytest.raises(XPCOMError) as info:
        Cc[contract].createInstance()
    assert info.value.result == Cr.NS_ERROR_NOT_AVAILABLE


def test_bad_declarations_register_nothing() -> None:
    contract = _contract("bad")
    with pytest.raises(XPCOMError) as info:
        component(classID="not-a-uuid", contractIDs=(contract,))
    assert info.value.result == Cr.NS_ERROR_INVALID_ARG
    with pytest.raises(XPCOMError):
        component(classID=uuid.uuid4(), contractIDs=("",))
    with pytest.raises(XPCOMError):
        component(classID=uuid.uuid4(), contractIDs=())
    with pytest.raises(XPCOMError):
        registry.register(object(), contract)  # type: ignore[arg-type]
    assert contract not in Cc


def test_override_and_undo() -> None:
    prefs_contract = "@mozilla.org/preferences-service;1"
    real = Cc[prefs_contract].getService()
    fake = object()
    handle = registry.register_instance(fake, prefs_contract)
    assert Cc[prefs_contract].getService() is fake
    handle.undo()
    handle.undo()  # idempotent
    assert Cc[prefs_contract].getService() is real
    with registry.register(lambda: "made", prefs_contract) as entry:
        assert Cc[prefs_contract] is entry
        assert Cc[prefs_contract].createInstance() == "made"
    assert Cc[prefs_contract].getService() is real


def test_overrides_undo_in_any_order() -> None:
    contract = _contract("stack")
    base = registry.register(lambda: "base", contract)
    a = registry.register(lambda: "a", contract)
    b = registry.register(lambda: "b", contract)
    assert Cc[contract].createInstance() == "b"
    a.undo()
    assert Cc[contract].createInstance() == "b"
    b.undo()
    assert Cc[contract].createInstance() == "base"
    base.undo()
    assert contract not in Cc


def test_override_beats_a_later_declaration(cleanup: list[uuid.UUID]) -> None:
    # A test may install a fake before the module that declares the real one is imported.
    contract = _contract("late")
    with registry.register(lambda: "fake", contract):

        @component(classID=uuid.uuid4(), contractIDs=(contract,))
        class Real:
            pass

        cleanup.append(Real.classID)
        assert Cc[contract].createInstance() == "fake"
    assert isinstance(Cc[contract].createInstance(), Real)


def test_reregistering_a_contract_replaces_it(cleanup: list[uuid.UUID]) -> None:
    contract = _contract("again")

    @component(classID=uuid.uuid4(), contractIDs=(contract,))
    class First:
        pass

    @component(classID=uuid.uuid4(), contractIDs=(contract,))
    class Second:
        pass

    cleanup.extend([First.classID, Second.classID])
    assert Cc[contract].cls is Second
    assert registry.unregister(Second.classID) == 1
    assert Cc[contract].cls is First


def _write_module(directory: Path, name: str, body: str) -> None:
    (directory / f"{name}.py").write_text(textwrap.dedent(body))


def test_lazy_load_isolates_a_failing_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    tag = uuid.uuid4().hex[:8]
    good, bad = f"rt_good_{tag}", f"rt_bad_{tag}"
    _write_module(tmp_path, good, f"""
        from components.manager import component

        @component(classID="{uuid.uuid4()}", contractIDs=("@test.example/good;1",))
        class Good:
            pass
    """)
    _write_module(tmp_path, bad, f"""
        from components.manager import component

        @component(classID="{uuid.uuid4()}", contractIDs=("@test.example/half;1",))
        class Half:
            pass

        raise ImportError("this module is broken after registering Half")
    """)
    monkeypatch.syspath_prepend(str(tmp_path))
    reg = Registry(builtin_modules=(bad, good), contract_hints={"@test.example/hinted;1": bad})
    assert bad not in sys.modules  # nothing was imported before the first lookup
    with caplog.at_level(logging.WARNING, logger="components.manager"):
        assert reg["@test.example/good;1"].cls.__name__ == "Good"
    assert any(bad in r.getMessage() for r in caplog.records)
    # What the broken module registered before failing was rolled back...
    assert "@test.example/half;1" not in reg
    # ... and asking for it names the failure, chained.
    for contract in ("@test.example/half;1", "@test.example/hinted;1"):
        with pytest.raises(XPCOMError) as info:
            reg[contract]
        assert info.value.result == Cr.NS_ERROR_FACTORY_NOT_REGISTERED
        assert isinstance(info.value.__cause__, ImportError)
        assert bad in str(info.value)
    assert set(reg.load_failures()) == {bad}
    # None of it leaked into the global registry.
    assert "@test.example/good;1" not in Cc


def test_global_builtin_modules() -> None:
    for name in ("components.prefs", "components.uri", "components.streams", "components.netobjects",
                 "components.security", "components.websocket.channel"):
        assert name in manager.BUILTIN_MODULES
    assert manager.ENTRY_POINT_GROUP == "xpcom.components"
    failed = set(Cc.load_failures()) - {"components.websocket.channel"}  # until the channel lands
    assert not failed


def test_query_interface_rejects_non_interfaces() -> None:
    obj = Cc["@mozilla.org/preferences-service;1"].getService()
    with pytest.raises(XPCOMError) as info:
        obj.QueryInterface("nsIPrefBranch")
    assert info.value.result == Cr.NS_ERROR_INVALID_ARG


def test_every_builtin_hint_names_a_registered_contract() -> None:
    # The hints explain failed lookups; a stale one would blame the wrong module.
    for contract, module in manager._BUILTIN_CONTRACTS.items():
        entry = Cc[contract]
        assert (entry.cls or entry.factory).__module__ == module, contract


def test_unreadable_entry_point_metadata_does_not_break_builtins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real (broken) installed distribution: its entry_points.txt has a line without "=".
    group = f"xpcom.test.broken{uuid.uuid4().hex[:6]}"
    info = tmp_path / "brokendist-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: brokendist\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{group}]\nthis line has no equals sign\n")
    tag = uuid.uuid4().hex[:8]
    _write_module(tmp_path, f"rt_fine_{tag}", f"""
        from components.manager import component

        @component(classID="{uuid.uuid4()}", contractIDs=("@test.example/fine;1",))
        class Fine:
            pass
    """)
    monkeypatch.syspath_prepend(str(tmp_path))
    reg = Registry(builtin_modules=(f"rt_fine_{tag}",), entry_point_group=group)
    assert repr(reg) == "<Registry: 0 contract IDs, not loaded yet>"
    assert "@test.example/fine;1" in reg
    assert list(reg.load_failures()) == [f"entry points {group!r}"]
    assert repr(reg) == "<Registry: 1 contract IDs, loaded>"
