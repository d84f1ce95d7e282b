# Generated from idl/xpcom/ds/nsIObserverService.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIObserverService.py, from idl/xpcom/ds/nsIObserverService.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

from .nsIObserver import nsIObserver
from .nsISupports import nsISupports

__all__ = ["nsIObserverService", "nsIObserverServiceInterface"]


class nsIObserverService(nsISupports, Protocol):
    """Topics and the observers that want to hear about them: one service per
    process (@mozilla.org/observer-service;1), so that a notifier and its
    observers need not know each other. The WebSocket channel notifies
    "http-on-modify-request" before each handshake request is written and
    "http-on-examine-response" when each response head has arrived.

    Observers of a topic are told in the reverse order of their addition,
    the most recent first. One observer may be added to a topic once; adding
    it again does nothing. The service may be used from any thread; an
    observer is called on the notifying thread.
    """

    def addObserver(self, anObserver: nsIObserver | None, aTopic: str, ownsWeak: bool = ...) -> None:
        """Start telling anObserver about aTopic.

        @param anObserver  the observer (in Python, also a plain callable).
        @param aTopic      the topic; "*" observes every topic.
        @param ownsWeak    false: the service holds the observer until it is
                           removed. true: only a weak reference, so the observer
                           goes away with its last other reference.
        @throws NS_ERROR_ILLEGAL_VALUE when anObserver is null or aTopic empty.
        @throws NS_NOINTERFACE when ownsWeak is true and the observer cannot be
                referenced weakly.
        """
        ...

    def removeObserver(self, anObserver: nsIObserver | None, aTopic: str) -> None:
        """Stop telling anObserver about aTopic. During a notification the
        removal takes effect at once: a removed observer not yet told is not.

        @throws NS_ERROR_FAILURE when anObserver was not observing aTopic.
        """
        ...

    def notifyObservers(self, aSubject: object, aTopic: str, someData: str = ...) -> None:
        """Tell the observers of aTopic (and of "*") about aSubject.

        @param aSubject   what the event is about, passed to every observer.
        @param aTopic     the topic; not empty.
        @param someData   extra text, passed as aData.
        @throws NS_ERROR_ILLEGAL_VALUE when aTopic is empty.
        """
        ...

    def enumerateObservers(self, aTopic: str) -> list[nsIObserver | None]:
        """The observers of aTopic now, in the order they would be told. (Firefox
        returns an nsISimpleEnumerator; here it is an array.)
        """
        ...


class nsIObserverServiceInterface(InterfaceObject[nsIObserverService], Protocol):
    """The interface object ``Ci.nsIObserverService`` (a zope.interface InterfaceClass)."""
