# Generated from idl/xpcom/ds/nsIObserverService.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIObserverService.idl: nsIObserverService."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIObserverService"]


class nsIObserverService(nsISupports):
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

    _taggedValue("uuid", _uuid.UUID("eba8fb56-ae8d-45d1-9081-ed9b4716280d"))
    _taggedValue("flags", ("scriptable",))

    def addObserver(anObserver, aTopic, ownsWeak=None):
        """Start telling anObserver about aTopic.

        @param anObserver  the observer (in Python, also a plain callable).
        @param aTopic      the topic; "*" observes every topic.
        @param ownsWeak    false: the service holds the observer until it is
                           removed. true: only a weak reference, so the observer
                           goes away with its last other reference.
        @throws NS_ERROR_ILLEGAL_VALUE when anObserver is null or aTopic empty.
        @throws NS_NOINTERFACE when ownsWeak is true and the observer cannot be
                referenced weakly.

        XPIDL: void addObserver(in nsIObserver anObserver, in string aTopic, [optional] in boolean ownsWeak)
        """

    def removeObserver(anObserver, aTopic):
        """Stop telling anObserver about aTopic. During a notification the
        removal takes effect at once: a removed observer not yet told is not.

        @throws NS_ERROR_FAILURE when anObserver was not observing aTopic.

        XPIDL: void removeObserver(in nsIObserver anObserver, in string aTopic)
        """

    def notifyObservers(aSubject, aTopic, someData=None):
        """Tell the observers of aTopic (and of "*") about aSubject.

        @param aSubject   what the event is about, passed to every observer.
        @param aTopic     the topic; not empty.
        @param someData   extra text, passed as aData.
        @throws NS_ERROR_ILLEGAL_VALUE when aTopic is empty.

        XPIDL: void notifyObservers(in nsISupports aSubject, in string aTopic, [optional] in wstring someData)
        """

    def enumerateObservers(aTopic):
        """The observers of aTopic now, in the order they would be told. (Firefox
        returns an nsISimpleEnumerator; here it is an array.)

        XPIDL: Array<nsIObserver> enumerateObservers(in string aTopic)
        """


_tag_members(nsIObserverService, {
    "addObserver": {
        "returns": "void",
        "params": (
            ("anObserver", "in", "nsIObserver"),
            ("aTopic", "in", "string"),
            ("ownsWeak", "in", "boolean"),
        ),
        "results": (),
        "flags": (),
    },
    "removeObserver": {
        "returns": "void",
        "params": (("anObserver", "in", "nsIObserver"), ("aTopic", "in", "string")),
        "results": (),
        "flags": (),
    },
    "notifyObservers": {
        "returns": "void",
        "params": (
            ("aSubject", "in", "nsISupports"),
            ("aTopic", "in", "string"),
            ("someData", "in", "wstring"),
        ),
        "results": (),
        "flags": (),
    },
    "enumerateObservers": {
        "returns": "Array<nsIObserver>",
        "params": (("aTopic", "in", "string"),),
        "results": (),
        "flags": (),
    },
})
