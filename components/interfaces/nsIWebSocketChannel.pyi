# Generated from idl/netwerk/protocol/websocket/nsIWebSocketChannel.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIWebSocketChannel.py, from idl/netwerk/protocol/websocket/nsIWebSocketChannel.idl: see codegen.emit_stubs."""

import enum as _enum
from typing import ClassVar, Protocol

from components.bindings import InterfaceObject

from .nsIInputStream import nsIInputStream
from .nsIInterfaceRequestor import nsIInterfaceRequestor
from .nsILoadGroup import nsILoadGroup
from .nsILoadInfo import nsILoadInfo
from .nsISupports import nsISupports
from .nsITransportSecurityInfo import nsITransportSecurityInfo
from .nsIURI import nsIURI
from .nsIWebSocketListener import nsIWebSocketListener

__all__ = ["nsIWebSocketChannelConstants", "nsIWebSocketChannel", "nsIWebSocketChannelInterface"]


class nsIWebSocketChannelConstants(_enum.IntEnum):
    """The constants of nsIWebSocketChannel."""

    CLOSE_NORMAL = 1000
    CLOSE_GOING_AWAY = 1001
    CLOSE_PROTOCOL_ERROR = 1002
    CLOSE_UNSUPPORTED_DATATYPE = 1003
    CLOSE_NO_STATUS = 1005
    CLOSE_ABNORMAL = 1006
    CLOSE_INVALID_PAYLOAD = 1007
    CLOSE_POLICY_VIOLATION = 1008
    CLOSE_TOO_LARGE = 1009
    CLOSE_EXTENSION_MISSING = 1010
    CLOSE_INTERNAL_ERROR = 1011
    CLOSE_TLS_FAILED = 1015


class nsIWebSocketChannel(nsISupports, Protocol):
    """The network half of a WebSocket: one client connection speaking the
    RFC 6455 protocol. It is the layer underneath the DOM WebSocket object,
    exposed to scripts as well. A channel is opened at most once; whatever
    it receives is passed to the nsIWebSocketListener given to asyncOpen.
    """

    originalURI: nsIURI | None
    """The URI the channel was created for, before any redirect or other
    rewriting changed where it actually connects; kept so that callers
    can always tell what was first asked for. Never null.
    """

    @property
    def URI(self) -> nsIURI | None:
        """The URI the connection ended up using once every redirect has been
        followed.
        """
        ...

    notificationCallbacks: nsIInterfaceRequestor | None
    """Callbacks the channel consults while connecting, for instance to
    obtain credentials.
    """

    @property
    def securityInfo(self) -> nsITransportSecurityInfo | None:
        """What the transport knows about the connection's security (TLS
        parameters, certificate), or null for an unencrypted connection.
        """
        ...

    loadGroup: nsILoadGroup | None
    """The load group this channel belongs to."""

    loadInfo: nsILoadInfo | None
    """The load info describing who started this load and why."""

    protocol: str
    """The subprotocol(s) sent as Sec-WebSocket-Protocol. Set it before
    asyncOpen to offer protocols; once the handshake is done it holds the
    one the server picked.
    """

    @property
    def extensions(self) -> str:
        """The Sec-WebSocket-Extensions header of the server's handshake
        response, i.e. the extensions actually in use.
        """
        ...

    def asyncOpen(
        self,
        aURI: nsIURI | None,
        aOrigin: str,
        aListener: nsIWebSocketListener | None,
        aContext: object,
    ) -> None:
        """Open the connection without blocking. Messages are passed to the
        listener as they come in. Listener methods run on the thread that
        called asyncOpen, and only after asyncOpen has returned. Once
        asyncOpen returns without error, the listener's onStop is guaranteed
        to be called eventually.

        A channel opens only once: a second call fails with
        NS_ERROR_ALREADY_OPENED.

        @param aURI       the ws: or wss: URI to connect to; redirects may
                          lead elsewhere.
        @param aOrigin    the origin of the resource opening the connection,
                          sent as the Origin header when not empty.
        @param aListener  receives the channel's notifications.
        @param aContext   any object; handed back unchanged as the first
                          argument of the listener's methods.
        """
        ...

    def close(self, aCode: int, aReason: str) -> None:
        """Start the closing handshake by sending a Close frame.

        @param aCode    the status code for the frame (one of the CLOSE_*
                        values or an application code); 0 sends no code.
        @param aReason  a short explanation, at most 123 bytes once encoded
                        as UTF-8.
        """
        ...

    def sendMsg(self, aMsg: str) -> None:
        """Queue a text message for the peer.

        @param aMsg  the text; sent as UTF-8.
        """
        ...

    def sendBinaryMsg(self, aMsg: bytes) -> None:
        """Queue a binary message for the peer.

        @param aMsg  the bytes to send.
        """
        ...

    def sendBinaryStream(self, aStream: nsIInputStream | None, length: int) -> None:
        """Queue the contents of a stream (a Blob, say) as one binary message.

        @param aStream  where the bytes are read from.
        @param length   how many bytes to read from it.
        """
        ...

    pingInterval: int
    """Seconds between keepalive pings; 0, the default, sends none. It can
    only be changed before asyncOpen (afterwards setting it throws
    NS_ERROR_IN_PROGRESS). Pings cost power and bandwidth over time, so
    choose the interval with care.
    """

    pingTimeout: int
    """Seconds to wait for the answer to a ping before the connection is
    declared dead. Like pingInterval, only settable before asyncOpen
    (NS_ERROR_IN_PROGRESS afterwards).
    """

    serial: int
    """A number naming this channel in the frame log's events
    (nsIWebSocketEventService). Each channel gets the next value of a
    per-process counter starting at 1 when it is created, as in Firefox's
    parent process. Writable so a host that relays channels between
    processes can carry the number across.
    """


class nsIWebSocketChannelInterface(InterfaceObject[nsIWebSocketChannel], Protocol):
    """The interface object ``Ci.nsIWebSocketChannel`` (a zope.interface InterfaceClass)."""

    CLOSE_NORMAL: ClassVar[int]
    CLOSE_GOING_AWAY: ClassVar[int]
    CLOSE_PROTOCOL_ERROR: ClassVar[int]
    CLOSE_UNSUPPORTED_DATATYPE: ClassVar[int]
    CLOSE_NO_STATUS: ClassVar[int]
    CLOSE_ABNORMAL: ClassVar[int]
    CLOSE_INVALID_PAYLOAD: ClassVar[int]
    CLOSE_POLICY_VIOLATION: ClassVar[int]
    CLOSE_TOO_LARGE: ClassVar[int]
    CLOSE_EXTENSION_MISSING: ClassVar[int]
    CLOSE_INTERNAL_ERROR: ClassVar[int]
    CLOSE_TLS_FAILED: ClassVar[int]
