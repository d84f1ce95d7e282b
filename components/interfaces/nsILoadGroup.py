# Generated from idl/netwerk/base/nsILoadGroup.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsILoadGroup.idl: nsILoadGroup."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsILoadGroup"]


class nsILoadGroup(nsISupports):
    """A set of requests (channels) that belong together, such as everything a
    page loads, so they can be counted and watched as one. A request joins
    with addRequest and leaves, with its final status, through removeRequest.
    """

    _taggedValue("uuid", _uuid.UUID("e23d6712-22f1-4b97-b8d3-bf445335d9b3"))
    _taggedValue("flags", ("scriptable",))

    def addRequest(aRequest, aContext):
        """Add a request to the group.

        @param aRequest   the request joining; not null.
        @param aContext   an opaque value for observers of the group.

        XPIDL: void addRequest(in nsISupports aRequest, in nsISupports aContext)
        """

    def removeRequest(aRequest, aContext, aStatus):
        """Take a request out of the group.

        @param aRequest   a request added before.
        @param aContext   an opaque value for observers of the group.
        @param aStatus    how the request ended (NS_OK when it succeeded).
        @throws NS_ERROR_FAILURE when the request is not in the group.

        XPIDL: void removeRequest(in nsISupports aRequest, in nsISupports aContext, in nsresult aStatus)
        """

    activeCount = _Attribute(
        "activeCount",
        "How many requests are in the group now.",
    )

    notificationCallbacks = _Attribute(
        "notificationCallbacks",
        "Callbacks shared by the requests of the group; a request consults them\n"
        "when its own callbacks lack an interface.",
    )


_tag_members(nsILoadGroup, {
    "addRequest": {
        "returns": "void",
        "params": (("aRequest", "in", "nsISupports"), ("aContext", "in", "nsISupports")),
        "results": (),
        "flags": (),
    },
    "removeRequest": {
        "returns": "void",
        "params": (
            ("aRequest", "in", "nsISupports"),
            ("aContext", "in", "nsISupports"),
            ("aStatus", "in", "nsresult"),
        ),
        "results": (),
        "flags": (),
    },
    "activeCount": {
        "type": "unsigned long",
        "readonly": True,
        "flags": (),
    },
    "notificationCallbacks": {
        "type": "nsIInterfaceRequestor",
        "readonly": False,
        "flags": (),
    },
})
