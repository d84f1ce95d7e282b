"""The observer service: topics, and the observers that want to hear about them.

``Cc["@mozilla.org/observer-service;1"].getService(Ci.nsIObserverService)`` is one
object per process, as in Firefox.  Notifiers need not know their observers: the
WebSocket channel notifies ``http-on-modify-request`` (subject: the hop's
nsIHttpChannel, whose request headers may still change) and
``http-on-examine-response`` for every handshake hop, whether or not anyone listens.

Rules (the interface has them in full): the most recently added observer is told
first; ``"*"`` observes every topic; an observer is added to a topic once; what an
observer raises is logged and ignored, so one broken add-on cannot break the
channel or the observers after it; a weakly held observer goes away with its last
other reference.  A notification takes a snapshot of the list but checks each entry
again before calling it, so an observer removed during a notification (by itself or
another) is not called afterwards.

Cost when nobody observes a topic: one dict lookup and no subject built --
:func:`has_observers` lets a notifier skip building its subject.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any, Final

from zope.interface import implementer

from components.interfaces import Ci
from components.manager import component
from components.results import Cr, XPCOMError

__all__ = ["ObserverService", "has_observers", "observer_service"]

log = logging.getLogger("components.observers")

#: The topic every observer of which is told about every notification.
ALL_TOPICS: Final = "*"


class _Entry:
    """One registration: the observer, held strongly or through a weak reference."""

    __slots__ = ("_ref", "_strong", "live")

    def __init__(self, observer: Any, weak: bool) -> None:
        self._strong: Any = None
        self._ref: Callable[[], Any] | None = None
        if weak:
            try:
                bound = hasattr(observer, "__self__")  # a bound method dies at once unless held so
                self._ref = weakref.WeakMethod(observer) if bound else weakref.ref(observer)
            except TypeError:
                raise XPCOMError(
                    Cr.NS_NOINTERFACE, f"{type(observer).__name__} cannot be referenced weakly"
                ) from None
        else:
            self._strong = observer
        self.live = True  # cleared by removal, so a snapshot skips it

    def get(self) -> Any:
        return self._strong if self._ref is None else self._ref()


def _call(observer: Any, subject: Any, topic: str, data: str) -> None:
    observe = getattr(observer, "observe", None)
    if observe is None:
        observe = observer  # nsIObserver is a [function] interface: a callable will do
    observe(subject, topic, data)


@component(
    classID="{caf0fb1c-d7d2-426b-b2f7-4994c5feb88b}",
    contractIDs=("@mozilla.org/observer-service;1",),
)
@implementer(Ci.nsIObserverService)
class ObserverService:
    """nsIObserverService (see the module docs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._topics: dict[str, list[_Entry]] = {}

    def addObserver(self, anObserver: Any, aTopic: str, ownsWeak: bool = False) -> None:
        if anObserver is None or not (callable(anObserver) or hasattr(anObserver, "observe")):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "an observer has an observe method or is callable")
        if not isinstance(aTopic, str) or not aTopic:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a topic is a non-empty string")
        entry = _Entry(anObserver, bool(ownsWeak))
        with self._lock:
            entries = self._topics.setdefault(aTopic, [])
            self._prune(entries)
            if any(e.get() is anObserver for e in entries):
                return
            entries.append(entry)

    def removeObserver(self, anObserver: Any, aTopic: str) -> None:
        with self._lock:
            entries = self._topics.get(aTopic, [])
            for i, entry in enumerate(entries):
                if entry.get() is anObserver:
                    entry.live = False
                    del entries[i]
                    if not entries:
                        del self._topics[aTopic]
                    return
        raise XPCOMError(Cr.NS_ERROR_FAILURE, f"not an observer of {aTopic!r}")

    def enumerateObservers(self, aTopic: str) -> list[Any]:
        entries = self._snapshot(aTopic, every_topic=False)
        return [observer for entry in entries if (observer := entry.get()) is not None]

    def notifyObservers(self, aSubject: Any, aTopic: str, someData: str = "") -> None:
        if not isinstance(aTopic, str) or not aTopic:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a topic is a non-empty string")
        data = "" if someData is None else str(someData)
        for entry in self._snapshot(aTopic):
            if not entry.live:
                continue  # removed by an observer told before it
            observer = entry.get()
            if observer is None:
                continue
            try:
                _call(observer, aSubject, aTopic, data)
            except Exception:  # noqa: BLE001 - Firefox ignores what an observer returns
                log.exception("observer of %r raised", aTopic)

    # -- helpers ---------------------------------------------------------------------------------

    def has_observers(self, topic: str) -> bool:
        """True when a notification of *topic* would reach someone (it may still find them gone)."""
        topics = self._topics
        return bool(topics) and (topic in topics or ALL_TOPICS in topics)

    def _snapshot(self, topic: str, every_topic: bool = True) -> list[_Entry]:
        # The topic's observers, then those of every topic; each list the most recent first.
        with self._lock:
            entries = self._topics.get(topic, [])[::-1]
            if every_topic and topic != ALL_TOPICS:
                entries += self._topics.get(ALL_TOPICS, [])[::-1]
        return entries

    @staticmethod
    def _prune(entries: list[_Entry]) -> None:
        entries[:] = [e for e in entries if e.get() is not None]


def observer_service() -> Any:
    """The observer service, as a host replacing it registered (``Cc[...].getService``).

    Not queried for nsIObserverService (a notifier only calls notifyObservers, and every
    connection pays for this lookup).
    """
    from components.manager import Cc

    return Cc["@mozilla.org/observer-service;1"].getService()


def has_observers(service: Any, topic: str) -> bool:
    """Whether notifying *topic* on *service* can matter; True for a service not ours."""
    check = getattr(service, "has_observers", None)
    return True if check is None else bool(check(topic))
