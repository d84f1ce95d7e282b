# Generated from idl/netwerk/protocol/http/nsIHttpChannel.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIHttpChannel.idl: nsIHttpChannel."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIHttpChannel"]


class nsIHttpChannel(nsISupports):
    """One HTTP request and its response, as observers of
    "http-on-modify-request" and "http-on-examine-response" see them. For a
    WebSocket channel, each hop of the opening handshake (the first request,
    a retry with credentials, each redirect's target) is one nsIHttpChannel.

    This is the subset of Firefox's nsIHttpChannel that a handshake needs.
    Request headers can be changed until the request is written (during
    "http-on-modify-request"); response values exist once the response head
    has arrived (from "http-on-examine-response" on).
    """

    _taggedValue("uuid", _uuid.UUID("c5390775-320b-4e7a-a036-addeba8792d3"))
    _taggedValue("flags", ("scriptable",))

    requestMethod = _Attribute(
        "requestMethod",
        "The request method: \"GET\" for a WebSocket handshake.",
    )

    URI = _Attribute(
        "URI",
        "The URI this request is for (ws: or wss:).",
    )

    notificationCallbacks = _Attribute(
        "notificationCallbacks",
        "The callbacks of the WebSocket channel that makes the request (its\n"
        "notificationCallbacks); null when it has none.",
    )

    def setRequestHeader(aHeader, aValue, aMerge):
        """Set, add to or clear a request header.

        @param aHeader  the field name, an HTTP token; case-insensitive.
        @param aValue   the value (surrounding spaces are dropped). With
                        aMerge false and an empty value the header is removed.
        @param aMerge   true: append to an existing value with ", " ("; " for
                        Cookie); an empty value then changes nothing. false:
                        replace it.
        @throws NS_ERROR_ILLEGAL_VALUE for a name that is not a token, a value
                with CR, LF, NUL or another control character, or a header the
                WebSocket handshake owns: Host, Upgrade, Connection, Keep-Alive,
                Proxy-Connection, Transfer-Encoding, TE, Trailer,
                Content-Length, Expect, Origin, Sec-WebSocket-*, Proxy-*.
        @throws NS_ERROR_IN_PROGRESS once the request has been written.

        XPIDL: void setRequestHeader(in ACString aHeader, in ACString aValue, in boolean aMerge)
        """

    def getRequestHeader(aHeader):
        """A request header's value.

        @throws NS_ERROR_NOT_AVAILABLE when the request has no such header.

        XPIDL: ACString getRequestHeader(in ACString aHeader)
        """

    def visitRequestHeaders(aVisitor):
        """Call aVisitor.visitHeader for each request header, in order.

        XPIDL: void visitRequestHeaders(in nsIHttpHeaderVisitor aVisitor)
        """

    responseStatus = _Attribute(
        "responseStatus",
        "The response's status code (101 for an accepted WebSocket).\n"
        "\n"
        "@throws NS_ERROR_NOT_AVAILABLE before the response head has arrived.",
    )

    responseStatusText = _Attribute(
        "responseStatusText",
        "The response's reason phrase.\n"
        "\n"
        "@throws NS_ERROR_NOT_AVAILABLE before the response head has arrived.",
    )

    def getResponseHeader(header):
        """A response header's value; several fields of that name are joined with
        ", " (Set-Cookie and WWW-Authenticate with "\\n").

        @throws NS_ERROR_NOT_AVAILABLE when there is no such header or no
                response yet.

        XPIDL: ACString getResponseHeader(in ACString header)
        """

    def visitResponseHeaders(aVisitor):
        """Call aVisitor.visitHeader for each response header field as received.

        @throws NS_ERROR_NOT_AVAILABLE before the response head has arrived.

        XPIDL: void visitResponseHeaders(in nsIHttpHeaderVisitor aVisitor)
        """


_tag_members(nsIHttpChannel, {
    "requestMethod": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
    "URI": {
        "type": "nsIURI",
        "readonly": True,
        "flags": (),
    },
    "notificationCallbacks": {
        "type": "nsIInterfaceRequestor",
        "readonly": True,
        "flags": (),
    },
    "setRequestHeader": {
        "returns": "void",
        "params": (("aHeader", "in", "ACString"), ("aValue", "in", "ACString"), ("aMerge", "in", "boolean")),
        "results": (),
        "flags": (),
    },
    "getRequestHeader": {
        "returns": "ACString",
        "params": (("aHeader", "in", "ACString"),),
        "results": (),
        "flags": (),
    },
    "visitRequestHeaders": {
        "returns": "void",
        "params": (("aVisitor", "in", "nsIHttpHeaderVisitor"),),
        "results": (),
        "flags": (),
    },
    "responseStatus": {
        "type": "unsigned long",
        "readonly": True,
        "flags": (),
    },
    "responseStatusText": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
    "getResponseHeader": {
        "returns": "ACString",
        "params": (("header", "in", "ACString"),),
        "results": (),
        "flags": (),
    },
    "visitResponseHeaders": {
        "returns": "void",
        "params": (("aVisitor", "in", "nsIHttpHeaderVisitor"),),
        "results": (),
        "flags": (),
    },
})
