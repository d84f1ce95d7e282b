"""The observer service (@mozilla.org/observer-service;1) on its own."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from components import Cc, Ci, Cr, XPCOMError
from components.observers import ObserverService


def test_it_is_one_service() -> None:
    a = Cc["@mozilla.org/observer-service;1"].getService(Ci.nsIObserverService)
    b = Cc["@mozilla.org/observer-service;1"].getService(Ci.nsIObserverService)
    assert a is b and Ci.nsIObserverService.providedBy(a)


class Recorder:
    def __init__(self, name: str, log: list[Any]) -> None:
        self.name, self.log = name, log

    def observe(self, subject: Any, topic: str, data: str) -> None:
        self.log.append((self.name, subject, topic, data))


def test_most_recent_first_then_wildcard_observers() -> None:
    svc = ObserverService()
    log: list[Any] = []
    a, b, star = Recorder("a", log), Recorder("b", log), Recorder("*", log)
    svc.addObserver(a, "t")
    svc.addObserver(star, "*")
    svc.addObserver(b, "t")
    svc.addObserver(a, "t")  # a second add is a no-op
    subject = object()
    svc.notifyObservers(subject, "t", "data")
    assert log == [("b", subject, "t", "data"), ("a", subject, "t", "data"), ("*", subject, "t", "data")]
    log.clear()
    svc.notifyObservers(None, "other")
    assert log == [("*", None, "other", "")]
    assert svc.enumerateObservers("t") == [b, a]
    assert svc.enumerateObservers("nobody") == []


def test_removal_and_its_errors() -> None:
    svc = ObserverService()
    log: list[Any] = []
    a = Recorder("a", log)
    svc.addObserver(a, "t")
    svc.removeObserver(a, "t")
    svc.notifyObservers(None, "t")
    assert log == []
    with pytest.raises(XPCOMError) as info:
        svc.removeObserver(a, "t")
    assert info.value.result == Cr.NS_ERROR_FAILURE


def test_an_observer_removed_during_a_notification_is_not_called() -> None:
    svc = ObserverService()
    log: list[str] = []

    def later(s: Any, t: str, d: str) -> None:
        log.append("later")

    def remover(s: Any, t: str, d: str) -> None:
        log.append("remover")
        svc.removeObserver(later, "t")
        svc.addObserver(lambda *a: log.append("new"), "t")  # added now: told next time

    svc.addObserver(later, "t")
    svc.addObserver(remover, "t")
    svc.notifyObservers(None, "t")
    assert log == ["remover"]
    log.clear()
    svc.notifyObservers(None, "t")
    assert log == ["new", "remover"]


def test_exceptions_are_logged_and_the_rest_still_told(caplog: pytest.LogCaptureFixture) -> None:
    svc = ObserverService()
    log: list[str] = []

    def broken(s: Any, t: str, d: str) -> None:
        raise ValueError("boom")

    svc.addObserver(lambda *a: log.append("first added"), "t")
    svc.addObserver(broken, "t")
    svc.notifyObservers(None, "t")
    assert log == ["first added"]
    assert "boom" in caplog.text


def test_weak_observers_go_with_their_last_reference() -> None:
    svc = ObserverService()
    log: list[Any] = []
    weak = Recorder("weak", log)
    svc.addObserver(weak, "t", True)
    svc.addObserver(Recorder("strong", log), "t", False)  # held by the service alone
    svc.notifyObservers(None, "t")
    assert [e[0] for e in log] == ["strong", "weak"]
    del weak
    gc.collect()
    log.clear()
    svc.notifyObservers(None, "t")
    assert [e[0] for e in log] == ["strong"]
    bound = Recorder("bound", log)
    svc.addObserver(bound.observe, "u", True)  # a bound method is held through its object
    svc.notifyObservers(None, "u")
    assert log[-1][0] == "bound"
    with pytest.raises(XPCOMError) as info:
        svc.addObserver(len, "t", True)  # a builtin cannot be weakly referenced
    assert info.value.result == Cr.NS_NOINTERFACE


@pytest.mark.parametrize(("observer", "topic"), [(None, "t"), (object(), "t"), (lambda *a: None, "")])
def test_bad_arguments(observer: Any, topic: str) -> None:
    with pytest.raises(XPCOMError) as info:
        ObserverService().addObserver(observer, topic)
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE


def test_notify_needs_a_topic() -> None:
    with pytest.raises(XPCOMError) as info:
        ObserverService().notifyObservers(None, "")
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE
