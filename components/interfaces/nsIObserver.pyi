# Generated from idl/xpcom/ds/nsIObserver.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIObserver.py, from idl/xpcom/ds/nsIObserver.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsIObserver", "nsIObserverInterface"]


class nsIObserver(nsISupports, Protocol):
    """Something told about events by topic, through the observer service
    (nsIObserverService). In Python a plain callable taking the same three
    arguments serves as well as an object with an observe method.
    """

    def observe(self, aSubject: object, aTopic: str, aData: str) -> None:
        """An event happened.

        @param aSubject  what the event is about; its type depends on the topic
                         (for "http-on-modify-request" and
                         "http-on-examine-response", an nsIHttpChannel).
        @param aTopic    the topic the observer was added for.
        @param aData     extra text for the topic; may be empty.

        What an observer raises is logged and otherwise ignored: the next
        observer is still told, and the notifier carries on.
        """
        ...


class nsIObserverInterface(InterfaceObject[nsIObserver], Protocol):
    """The interface object ``Ci.nsIObserver`` (a zope.interface InterfaceClass)."""
