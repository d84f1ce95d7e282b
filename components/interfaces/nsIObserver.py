# Generated from idl/xpcom/ds/nsIObserver.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIObserver.idl: nsIObserver."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIObserver"]


class nsIObserver(nsISupports):
    """Something told about events by topic, through the observer service
    (nsIObserverService). In Python a plain callable taking the same three
    arguments serves as well as an object with an observe method.
    """

    _taggedValue("uuid", _uuid.UUID("217c28c0-6330-470d-8334-b403bcb01981"))
    _taggedValue("flags", ("scriptable", "function"))

    def observe(aSubject, aTopic, aData):
        """An event happened.

        @param aSubject  what the event is about; its type depends on the topic
                         (for "http-on-modify-request" and
                         "http-on-examine-response", an nsIHttpChannel).
        @param aTopic    the topic the observer was added for.
        @param aData     extra text for the topic; may be empty.

        What an observer raises is logged and otherwise ignored: the next
        observer is still told, and the notifier carries on.

        XPIDL: void observe(in nsISupports aSubject, in string aTopic, in wstring aData)
        """


_tag_members(nsIObserver, {
    "observe": {
        "returns": "void",
        "params": (("aSubject", "in", "nsISupports"), ("aTopic", "in", "string"), ("aData", "in", "wstring")),
        "results": (),
        "flags": (),
    },
})
