"""The preferences service: defaults, typed access, user values, observers."""

from __future__ import annotations

import pytest
from zope.interface.verify import verifyObject

from components import Cc, Ci, Cr, XPCOMError
from components.prefs import DEFAULTS, PrefBranch

CONTRACT = "@mozilla.org/preferences-service;1"


@pytest.fixture
def prefs() -> PrefBranch:
    return PrefBranch()  # a private branch: tests never leak values into the shared service


def test_service_is_shared_and_conforms() -> None:
    service = Cc[CONTRACT].getService(Ci.nsIPrefBranch)
    assert service is Cc[CONTRACT].getService()
    assert verifyObject(Ci.nsIPrefBranch, service)
    assert service.root == ""


def test_websocket_defaults() -> None:
    p = PrefBranch()
    assert p.getIntPref("network.websocket.timeout.open") == 20
    assert p.getIntPref("network.websocket.timeout.close") == 20
    assert p.getIntPref("network.websocket.timeout.ping.request") == 0
    assert p.getIntPref("network.websocket.timeout.ping.response") == 10
    assert p.getIntPref("network.websocket.max-message-size") == 67108864  # 64 MiB, not Firefox's 2 GiB
    assert p.getIntPref("network.websocket.max-connections") == 200
    assert p.getIntPref("network.websocket.max-buffered-bytes") == 67108864  # ours: the send-queue bound
    assert p.getBoolPref("network.websocket.extensions.permessage-deflate") is True
    assert p.getBoolPref("network.websocket.delay-failed-reconnects") is True
    websocket = sorted(n for n in DEFAULTS if n.startswith("network.websocket."))
    assert p.getChildList("network.websocket.") == websocket  # (DEFAULTS holds network.proxy.* too)
    for name in DEFAULTS:
        assert p.prefHasDefaultValue(name) and not p.prefHasUserValue(name)


def test_constants_and_types(prefs: PrefBranch) -> None:
    assert (Ci.nsIPrefBranch.PREF_INVALID, Ci.nsIPrefBranch.PREF_STRING) == (0, 32)
    assert (Ci.nsIPrefBranch.PREF_INT, Ci.nsIPrefBranch.PREF_BOOL) == (64, 128)
    assert prefs.getPrefType("network.websocket.timeout.open") == prefs.PREF_INT
    assert prefs.getPrefType("network.websocket.delay-failed-reconnects") == prefs.PREF_BOOL
    assert prefs.getPrefType("nope") == prefs.PREF_INVALID
    prefs.setCharPref("app.name", "x")
    assert prefs.getPrefType("app.name") == prefs.PREF_STRING


def test_user_values_hide_defaults_until_cleared(prefs: PrefBranch) -> None:
    name = "network.websocket.timeout.open"
    prefs.setIntPref(name, 5)
    assert prefs.getIntPref(name) == 5 and prefs.prefHasUserValue(name)
    prefs.clearUserPref(name)
    assert prefs.getIntPref(name) == 20 and not prefs.prefHasUserValue(name)
    prefs.clearUserPref(name)  # nothing to clear: no error
    prefs.setBoolPref("app.flag", False)
    prefs.clearUserPref("app.flag")  # no default: the pref disappears
    assert prefs.getPrefType("app.flag") == prefs.PREF_INVALID


def test_strings(prefs: PrefBranch) -> None:
    prefs.setCharPref("app.greeting", "hello")
    assert prefs.getCharPref("app.greeting") == "hello"
    prefs.setStringPref("app.greeting", "grüß dich")
    assert prefs.getStringPref("app.greeting") == "grüß dich"


@pytest.mark.parametrize("getter", ["getBoolPref", "getCharPref", "getStringPref"])
def test_wrong_type_read_is_unexpected(prefs: PrefBranch, getter: str) -> None:
    with pytest.raises(XPCOMError) as info:
        getattr(prefs, getter)("network.websocket.max-message-size")
    assert info.value.result == Cr.NS_ERROR_UNEXPECTED


def test_wrong_type_write_is_unexpected(prefs: PrefBranch) -> None:
    with pytest.raises(XPCOMError) as info:
        prefs.setBoolPref("network.websocket.max-message-size", True)
    assert info.value.result == Cr.NS_ERROR_UNEXPECTED
    with pytest.raises(XPCOMError) as info:
        prefs.setCharPref("network.websocket.extensions.permessage-deflate", "yes")
    assert info.value.result == Cr.NS_ERROR_UNEXPECTED
    assert prefs.getIntPref("network.websocket.max-message-size") == 67108864


def test_missing_prefs(prefs: PrefBranch) -> None:
    with pytest.raises(XPCOMError) as info:
        prefs.getIntPref("no.such.pref")
    assert info.value.result == Cr.NS_ERROR_UNEXPECTED
    assert prefs.getIntPref("no.such.pref", 3) == 3
    assert prefs.getBoolPref("no.such.pref", False) is False
    assert prefs.getCharPref("no.such.pref", "d") == "d"
    # A fallback does not excuse a type mismatch.
    with pytest.raises(XPCOMError):
        prefs.getBoolPref("network.websocket.timeout.open", True)


@pytest.mark.parametrize(("setter", "value"), [
    ("setIntPref", True), ("setIntPref", "1"), ("setIntPref", 1.0), ("setIntPref", 2**31),
    ("setIntPref", -(2**31) - 1), ("setBoolPref", 1), ("setCharPref", b"bytes"),
])
def test_bad_values_are_illegal(prefs: PrefBranch, setter: str, value: object) -> None:
    with pytest.raises(XPCOMError) as info:
        getattr(prefs, setter)("app.value", value)
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE
    assert prefs.getPrefType("app.value") == prefs.PREF_INVALID


def test_int_range_edges(prefs: PrefBranch) -> None:
    prefs.setIntPref("app.max", 2**31 - 1)
    prefs.setIntPref("app.min", -(2**31))
    assert (prefs.getIntPref("app.max"), prefs.getIntPref("app.min")) == (2**31 - 1, -(2**31))


def test_observers(prefs: PrefBranch) -> None:
    seen: list[tuple[object, str, str]] = []

    class Observer:
        def observe(self, subject: object, topic: str, data: str) -> None:
            seen.append((subject, topic, data))

    obs = Observer()
    prefs.addObserver("network.websocket.", obs)
    prefs.setIntPref("network.websocket.timeout.open", 3)
    prefs.setIntPref("network.websocket.timeout.open", 3)  # no change, no notification
    prefs.setIntPref("other.pref", 1)  # outside the domain
    prefs.clearUserPref("network.websocket.timeout.open")
    assert seen == [(prefs, "nsPref:changed", "network.websocket.timeout.open")] * 2
    calls: list[str] = []
    prefs.addObserver("", lambda subject, topic, data: calls.append(data))
    prefs.removeObserver("network.websocket.", obs)
    prefs.setBoolPref("network.websocket.delay-failed-reconnects", False)
    assert len(seen) == 2 and calls == ["network.websocket.delay-failed-reconnects"]


def test_observer_may_touch_prefs(prefs: PrefBranch) -> None:
    # Observers run without the lock held, so reading back (or writing) cannot deadlock.
    got: list[int] = []
    prefs.addObserver("a.", lambda s, t, name: got.append(prefs.getIntPref(name)))
    prefs.setIntPref("a.b", 9)
    assert got == [9]
