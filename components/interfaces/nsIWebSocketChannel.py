# Generated from idl/netwerk/protocol/websocket/nsIWebSocketChannel.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIWebSocketChannel.idl: nsIWebSocketChannel."""

from __future__ import annotations

import enum as _enum
import uuid as _uuid
from typing import ClassVar as _ClassVar

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIWebSocketChannelConstants", "nsIWebSocketChannel"]


class nsIWebSocketChannelConstants(_enum.IntEnum):
    """The constants of nsIWebSocketChannel."""

    #: The purpose of the connection was fulfilled.
    CLOSE_NORMAL = 1000
    #: The endpoint is going away (server shutdown, page navigated away).
    CLOSE_GOING_AWAY = 1001
    #: The peer broke the protocol.
    CLOSE_PROTOCOL_ERROR = 1002
    #: The endpoint received a kind of data it cannot accept.
    CLOSE_UNSUPPORTED_DATATYPE = 1003
    #: No status code was present. Reported locally only, never put in a
    #: Close frame.
    CLOSE_NO_STATUS = 1005
    #: The connection ended without a Close frame. Reported locally only,
    #: never put in a Close frame.
    CLOSE_ABNORMAL = 1006
    #: Message data did not match its type (e.g. invalid UTF-8 text).
    CLOSE_INVALID_PAYLOAD = 1007
    #: A message broke the endpoint's policy.
    CLOSE_POLICY_VIOLATION = 1008
    #: A message was too big to process.
    CLOSE_TOO_LARGE = 1009
    #: The client closes because the server did not agree to an extension
    #: the client needs.
    CLOSE_EXTENSION_MISSING = 1010
    #: The server hit an unexpected condition.
    CLOSE_INTERNAL_ERROR = 1011
    #: The TLS handshake failed. Reported locally only, never put in a Close
    #: frame.
    CLOSE_TLS_FAILED = 1015


class nsIWebSocketChannel(nsISupports):
    """The network half of a WebSocket: one client connection speaking the
    RFC 6455 protocol. It is the layer underneath the DOM WebSocket object,
    exposed to scripts as well. A channel is opened at most once; whatever
    it receives is passed to the nsIWebSocketListener given to asyncOpen.
    """

    _taggedValue("uuid", _uuid.UUID("44cc508b-84e3-4d3a-a1b9-16449e374943"))
    _taggedValue("flags", ("scriptable",))

    CLOSE_NORMAL: _ClassVar[int]
    CLOSE_GOING_AWAY: _ClassVar[int]
    CLOSE_PROTOCOL_ERROR: _ClassVar[int]
    CLOSE_UNSUPPORTED_DATATYPE: _ClassVar[int]
    CLOSE_NO_STATUS: _ClassVar[int]
    CLOSE_ABNORMAL: _ClassVar[int]
    CLOSE_INVALID_PAYLOAD: _ClassVar[int]
    CLOSE_POLICY_VIOLATION: _ClassVar[int]
    CLOSE_TOO_LARGE: _ClassVar[int]
    CLOSE_EXTENSION_MISSING: _ClassVar[int]
    CLOSE_INTERNAL_ERROR: _ClassVar[int]
    CLOSE_TLS_FAILED: _ClassVar[int]

    originalURI = _Attribute(
        "originalURI",
        "The URI the channel was created for, before any redirect or other\n"
        "rewriting changed where it actually connects; kept so that callers\n"
        "can always tell what was first asked for. Never null.",
    )

    URI = _Attribute(
        "URI",
        "The URI the connection ended up using once every redirect has been\n"
        "followed.",
    )

    notificationCallbacks = _Attribute(
        "notificationCallbacks",
        "Callbacks the channel consults while connecting, for instance to\n"
        "obtain credentials.",
    )

    securityInfo = _Attribute(
        "securityInfo",
        "What the transport knows about the connection's security (TLS\n"
        "parameters, certificate), or null for an unencrypted connection.",
    )

    loadGroup = _Attribute(
        "loadGroup",
        "The load group this channel belongs to.",
    )

    loadInfo = _Attribute(
        "loadInfo",
        "The load info describing who started this load and why.",
    )

    protocol = _Attribute(
        "protocol",
        "The subprotocol(s) sent as Sec-WebSocket-Protocol. Set it before\n"
        "asyncOpen to offer protocols; once the handshake is done it holds the\n"
        "one the server picked.",
    )

    extensions = _Attribute(
        "extensions",
        "The Sec-WebSocket-Extensions header of the server's handshake\n"
        "response, i.e. the extensions actually in use.",
    )

    def asyncOpen(aURI, aOrigin, aListener, aContext):
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

        XPIDL: [must_use] void asyncOpen(in nsIURI aURI,
                                         in ACString aOrigin,
                                         in nsIWebSocketListener aListener,
                                         in nsISupports aContext)
        """

    def close(aCode, aReason):
        """Start the closing handshake by sending a Close frame.

        @param aCode    the status code for the frame (one of the CLOSE_*
                        values or an application code); 0 sends no code.
        @param aReason  a short explanation, at most 123 bytes once encoded
                        as UTF-8.

        XPIDL: [must_use] void close(in unsigned short aCode, in AUTF8String aReason)
        """

    def sendMsg(aMsg):
        """Queue a text message for the peer.

        @param aMsg  the text; sent as UTF-8.

        XPIDL: [must_use] void sendMsg(in AUTF8String aMsg)
        """

    def sendBinaryMsg(aMsg):
        """Queue a binary message for the peer.

        @param aMsg  the bytes to send.

        XPIDL: [must_use] void sendBinaryMsg(in ACString aMsg)
        """

    def sendBinaryStream(aStream, length):
        """Queue the contents of a stream (a Blob, say) as one binary message.

        @param aStream  where the bytes are read from.
        @param length   how many bytes to read from it.

        XPIDL: [must_use] void sendBinaryStream(in nsIInputStream aStream, in unsigned long length)
        """

    pingInterval = _Attribute(
        "pingInterval",
        "Seconds between keepalive pings; 0, the default, sends none. It can\n"
        "only be changed before asyncOpen (afterwards setting it throws\n"
        "NS_ERROR_IN_PROGRESS). Pings cost power and bandwidth over time, so\n"
        "choose the interval with care.",
    )

    pingTimeout = _Attribute(
        "pingTimeout",
        "Seconds to wait for the answer to a ping before the connection is\n"
        "declared dead. Like pingInterval, only settable before asyncOpen\n"
        "(NS_ERROR_IN_PROGRESS afterwards).",
    )

    serial = _Attribute(
        "serial",
        "A number naming this channel in the frame log's events\n"
        "(nsIWebSocketEventService). Each channel gets the next value of a\n"
        "per-process counter starting at 1 when it is created, as in Firefox's\n"
        "parent process. Writable so a host that relays channels between\n"
        "processes can carry the number across.",
    )


_tag_members(nsIWebSocketChannel, {
    "originalURI": {
        "type": "nsIURI",
        "readonly": False,
        "flags": ("must_use",),
    },
    "URI": {
        "type": "nsIURI",
        "readonly": True,
        "flags": ("must_use",),
    },
    "notificationCallbacks": {
        "type": "nsIInterfaceRequestor",
        "readonly": False,
        "flags": ("must_use",),
    },
    "securityInfo": {
        "type": "nsITransportSecurityInfo",
        "readonly": True,
        "flags": ("must_use",),
    },
    "loadGroup": {
        "type": "nsILoadGroup",
        "readonly": False,
        "flags": ("must_use",),
    },
    "loadInfo": {
        "type": "nsILoadInfo",
        "readonly": False,
        "flags": ("must_use",),
    },
    "protocol": {
        "type": "ACString",
        "readonly": False,
        "flags": ("must_use",),
    },
    "extensions": {
        "type": "ACString",
        "readonly": True,
        "flags": ("must_use",),
    },
    "asyncOpen": {
        "returns": "void",
        "params": (
            ("aURI", "in", "nsIURI"),
            ("aOrigin", "in", "ACString"),
            ("aListener", "in", "nsIWebSocketListener"),
            ("aContext", "in", "nsISupports"),
        ),
        "results": (),
        "flags": ("must_use",),
    },
    "close": {
        "returns": "void",
        "params": (("aCode", "in", "unsigned short"), ("aReason", "in", "AUTF8String")),
        "results": (),
        "flags": ("must_use",),
    },
    "sendMsg": {
        "returns": "void",
        "params": (("aMsg", "in", "AUTF8String"),),
        "results": (),
        "flags": ("must_use",),
    },
    "sendBinaryMsg": {
        "returns": "void",
        "params": (("aMsg", "in", "ACString"),),
        "results": (),
        "flags": ("must_use",),
    },
    "sendBinaryStream": {
        "returns": "void",
        "params": (("aStream", "in", "nsIInputStream"), ("length", "in", "unsigned long")),
        "results": (),
        "flags": ("must_use",),
    },
    "pingInterval": {
        "type": "unsigned long",
        "readonly": False,
        "flags": ("must_use",),
    },
    "pingTimeout": {
        "type": "unsigned long",
        "readonly": False,
        "flags": ("must_use",),
    },
    "serial": {
        "type": "unsigned long",
        "readonly": False,
        "flags": ("must_use",),
    },
})
nsIWebSocketChannel.CLOSE_NORMAL = nsIWebSocketChannelConstants.CLOSE_NORMAL
nsIWebSocketChannel.CLOSE_GOING_AWAY = nsIWebSocketChannelConstants.CLOSE_GOING_AWAY
nsIWebSocketChannel.CLOSE_PROTOCOL_ERROR = nsIWebSocketChannelConstants.CLOSE_PROTOCOL_ERROR
nsIWebSocketChannel.CLOSE_UNSUPPORTED_DATATYPE = nsIWebSocketChannelConstants.CLOSE_UNSUPPORTED_DATATYPE
nsIWebSocketChannel.CLOSE_NO_STATUS = nsIWebSocketChannelConstants.CLOSE_NO_STATUS
nsIWebSocketChannel.CLOSE_ABNORMAL = nsIWebSocketChannelConstants.CLOSE_ABNORMAL
nsIWebSocketChannel.CLOSE_INVALID_PAYLOAD = nsIWebSocketChannelConstants.CLOSE_INVALID_PAYLOAD
nsIWebSocketChannel.CLOSE_POLICY_VIOLATION = nsIWebSocketChannelConstants.CLOSE_POLICY_VIOLATION
nsIWebSocketChannel.CLOSE_TOO_LARGE = nsIWebSocketChannelConstants.CLOSE_TOO_LARGE
nsIWebSocketChannel.CLOSE_EXTENSION_MISSING = nsIWebSocketChannelConstants.CLOSE_EXTENSION_MISSING
nsIWebSocketChannel.CLOSE_INTERNAL_ERROR = nsIWebSocketChannelConstants.CLOSE_INTERNAL_ERROR
nsIWebSocketChannel.CLOSE_TLS_FAILED = nsIWebSocketChannelConstants.CLOSE_TLS_FAILED
