# Generated from idl/netwerk/protocol/http/nsIHttpChannel.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIHttpChannel.py, from idl/netwerk/protocol/http/nsIHttpChannel.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

from .nsIHttpHeaderVisitor import nsIHttpHeaderVisitor
from .nsIInterfaceRequestor import nsIInterfaceRequestor
from .nsISupports import nsISupports
from .nsIURI import nsIURI

__all__ = ["nsIHttpChannel", "nsIHttpChannelInterface"]


class nsIHttpChannel(nsISupports, Protocol):
    """One HTTP request and its response, as observers of
    "http-on-modify-request" and "http-on-examine-response" see them. For a
    WebSocket channel, each hop of the opening handshake (the first request,
    a retry with credentials, each redirect's target) is one nsIHttpChannel.

    This is the subset of Firefox's nsIHttpChannel that a handshake needs.
    Request headers can be changed until the request is written (during
    "http-on-modify-request"); response values exist once the response head
    has arrived (from "http-on-examine-response" on).
    """

    @property
    def requestMethod(self) -> str:
        """The request method: "GET" for a WebSocket handshake."""
        ...

    @property
    def URI(self) -> nsIURI | None:
        """The URI this request is for (ws: or wss:)."""
        ...

    @property
    def notificationCallbacks(self) -> nsIInterfaceRequestor | None:
        """The callbacks of the WebSocket channel that makes the request (its
        notificationCallbacks); null when it has none.
        """
        ...

    def setRequestHeader(self, aHeader: str, aValue: str, aMerge: bool) -> None:
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
        """
        ...

    def getRequestHeader(self, aHeader: str) -> str:
        """A request header's value.

        @throws NS_ERROR_NOT_AVAILABLE when the request has no such header.
        """
        ...

    def visitRequestHeaders(self, aVisitor: nsIHttpHeaderVisitor | None) -> None:
        """Call aVisitor.visitHeader for each request header, in order."""
        ...

    @property
    def responseStatus(self) -> int:
        """The response's status code (101 for an accepted WebSocket).

        @throws NS_ERROR_NOT_AVAILABLE before the response head has arrived.
        """
        ...

    @property
    def responseStatusText(self) -> str:
        """The response's reason phrase.

        @throws NS_ERROR_NOT_AVAILABLE before the response head has arrived.
        """
        ...

    def getResponseHeader(self, header: str) -> str:
        """A response header's value; several fields of that name are joined with
        ", " (Set-Cookie and WWW-Authenticate with "\\n").

        @throws NS_ERROR_NOT_AVAILABLE when there is no such header or no
                response yet.
        """
        ...

    def visitResponseHeaders(self, aVisitor: nsIHttpHeaderVisitor | None) -> None:
        """Call aVisitor.visitHeader for each response header field as received.

        @throws NS_ERROR_NOT_AVAILABLE before the response head has arrived.
        """
        ...


class nsIHttpChannelInterface(InterfaceObject[nsIHttpChannel], Protocol):
    """The interface object ``Ci.nsIHttpChannel`` (a zope.interface InterfaceClass)."""
