# Generated from idl/netwerk/protocol/websocket/nsIWebSocketEventService.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
# Doc comments keep the IDL's line breaks, however long the lines.
# ruff: noqa: E501
"""XPCOM interface bindings for nsIWebSocketEventService.idl: nsIWebSocketFrame, nsIWebSocketEventListener, nsIWebSocketEventService."""

from __future__ import annotations

import enum as _enum
import uuid as _uuid
from typing import ClassVar as _ClassVar

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = [
    "nsIWebSocketFrameConstants",
    "nsIWebSocketFrame",
    "nsIWebSocketEventListenerConstants",
    "nsIWebSocketEventListener",
    "nsIWebSocketEventService",
]


class nsIWebSocketFrameConstants(_enum.IntEnum):
    """The constants of nsIWebSocketFrame."""

    #: A continuation of a fragmented message.
    OPCODE_CONTINUATION = 0
    #: The first (or only) frame of a text message.
    OPCODE_TEXT = 1
    #: The first (or only) frame of a binary message.
    OPCODE_BINARY = 2
    #: A Close frame.
    OPCODE_CLOSE = 8
    #: A Ping.
    OPCODE_PING = 9
    #: A Pong.
    OPCODE_PONG = 10


class nsIWebSocketFrame(nsISupports):
    """One WebSocket frame as the frame log shows it: the header's bits and the
    payload as the application sees it. A received frame's payload is
    unmasked and, under permessage-deflate, inflated; a sent frame's payload
    is what was handed to the channel, before compression and masking.
    Frames are only built while a listener wants them.
    """

    _taggedValue("uuid", _uuid.UUID("497304b1-3e94-4833-95b4-8b943631798b"))
    _taggedValue("flags", ("scriptable", "builtinclass"))

    OPCODE_CONTINUATION: _ClassVar[int]
    OPCODE_TEXT: _ClassVar[int]
    OPCODE_BINARY: _ClassVar[int]
    OPCODE_CLOSE: _ClassVar[int]
    OPCODE_PING: _ClassVar[int]
    OPCODE_PONG: _ClassVar[int]

    timeStamp = _Attribute(
        "timeStamp",
        "When the frame was sent or received, in milliseconds since the epoch.",
    )

    finBit = _Attribute(
        "finBit",
        "The FIN bit: the last frame of its message.",
    )

    rsvBit1 = _Attribute(
        "rsvBit1",
        "RSV1: set on the first frame of a compressed message.",
    )

    rsvBit2 = _Attribute(
        "rsvBit2",
        "RSV2 (no extension here uses it).",
    )

    rsvBit3 = _Attribute(
        "rsvBit3",
        "RSV3 (no extension here uses it).",
    )

    opCode = _Attribute(
        "opCode",
        "The opcode: one of the OPCODE_* values.",
    )

    maskBit = _Attribute(
        "maskBit",
        "The MASK bit: set on every frame a client sends.",
    )

    mask = _Attribute(
        "mask",
        "The masking key as a 32-bit number (0 for an unmasked frame).",
    )

    payload = _Attribute(
        "payload",
        "The payload, unmasked and uncompressed; the raw bytes (a Close\n"
        "frame's code and reason included).",
    )


_tag_members(nsIWebSocketFrame, {
    "timeStamp": {
        "type": "double",
        "readonly": True,
        "flags": ("infallible",),
    },
    "finBit": {
        "type": "boolean",
        "readonly": True,
        "flags": ("infallible",),
    },
    "rsvBit1": {
        "type": "boolean",
        "readonly": True,
        "flags": ("infallible",),
    },
    "rsvBit2": {
        "type": "boolean",
        "readonly": True,
        "flags": ("infallible",),
    },
    "rsvBit3": {
        "type": "boolean",
        "readonly": True,
        "flags": ("infallible",),
    },
    "opCode": {
        "type": "unsigned short",
        "readonly": True,
        "flags": ("infallible",),
    },
    "maskBit": {
        "type": "boolean",
        "readonly": True,
        "flags": ("infallible",),
    },
    "mask": {
        "type": "unsigned long",
        "readonly": True,
        "flags": ("infallible",),
    },
    "payload": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
})
nsIWebSocketFrame.OPCODE_CONTINUATION = nsIWebSocketFrameConstants.OPCODE_CONTINUATION
nsIWebSocketFrame.OPCODE_TEXT = nsIWebSocketFrameConstants.OPCODE_TEXT
nsIWebSocketFrame.OPCODE_BINARY = nsIWebSocketFrameConstants.OPCODE_BINARY
nsIWebSocketFrame.OPCODE_CLOSE = nsIWebSocketFrameConstants.OPCODE_CLOSE
nsIWebSocketFrame.OPCODE_PING = nsIWebSocketFrameConstants.OPCODE_PING
nsIWebSocketFrame.OPCODE_PONG = nsIWebSocketFrameConstants.OPCODE_PONG


class nsIWebSocketEventListenerConstants(_enum.IntEnum):
    """The constants of nsIWebSocketEventListener."""

    #: The data of a text message.
    TYPE_STRING = 0
    #: The data of a binary message delivered as a Blob.
    TYPE_BLOB = 1
    #: The data of a binary message delivered as an ArrayBuffer.
    TYPE_ARRAYBUFFER = 2


class nsIWebSocketEventListener(nsISupports):
    """Told what the WebSocket channels of a window do. Register it with
    nsIWebSocketEventService.addListener; every method is then called on
    the thread (here: the trio run) of the channel concerned, after the
    fact and in order, never from inside one of the channel's own calls.
    """

    _taggedValue("uuid", _uuid.UUID("9c3a603d-a6a9-4231-9197-e522813ad91e"))
    _taggedValue("flags", ("scriptable",))

    TYPE_STRING: _ClassVar[int]
    TYPE_BLOB: _ClassVar[int]
    TYPE_ARRAYBUFFER: _ClassVar[int]

    def webSocketCreated(aWebSocketSerialID, aURI, aProtocols):
        """A channel was opened with asyncOpen.

        @param aWebSocketSerialID  the channel's serial.
        @param aURI                the URI it connects to.
        @param aProtocols          the subprotocols it offers.

        XPIDL: void webSocketCreated(in unsigned long aWebSocketSerialID,
                                     in AString aURI,
                                     in ACString aProtocols)
        """

    def webSocketOpened(aWebSocketSerialID, aEffectiveURI, aProtocols, aExtensions, aHttpChannelId):
        """The opening handshake of a channel succeeded.

        @param aWebSocketSerialID  the channel's serial.
        @param aEffectiveURI       the URI that answered, after redirects.
        @param aProtocols          the subprotocol the server chose.
        @param aExtensions         the extensions in use.
        @param aHttpChannelId      the HTTP channel of the handshake (0: none).

        XPIDL: void webSocketOpened(in unsigned long aWebSocketSerialID,
                                    in AString aEffectiveURI,
                                    in ACString aProtocols,
                                    in ACString aExtensions,
                                    in unsigned long long aHttpChannelId)
        """

    def webSocketMessageAvailable(aWebSocketSerialID, aMessage, aMessageType):
        """A message was handed to the channel's listener.

        @param aWebSocketSerialID  the channel's serial.
        @param aMessage            the message: text, or the bytes of a
                                   binary message.
        @param aMessageType        TYPE_STRING or TYPE_ARRAYBUFFER.

        XPIDL: void webSocketMessageAvailable(in unsigned long aWebSocketSerialID,
                                              in ACString aMessage,
                                              in unsigned short aMessageType)
        """

    def webSocketClosed(aWebSocketSerialID, aWasClean, aCode, aReason):
        """A channel has stopped.

        @param aWebSocketSerialID  the channel's serial.
        @param aWasClean           whether the closing handshake completed.
        @param aCode               the server's close code (1006: it sent
                                   no Close frame).
        @param aReason             the server's close reason.

        XPIDL: void webSocketClosed(in unsigned long aWebSocketSerialID,
                                    in boolean aWasClean,
                                    in unsigned short aCode,
                                    in AString aReason)
        """

    def frameReceived(aWebSocketSerialID, aFrame):
        """A frame arrived.

        @param aWebSocketSerialID  the channel's serial.
        @param aFrame              the frame, payload unmasked and inflated.

        XPIDL: void frameReceived(in unsigned long aWebSocketSerialID, in nsIWebSocketFrame aFrame)
        """

    def frameSent(aWebSocketSerialID, aFrame):
        """A frame was queued for sending.

        @param aWebSocketSerialID  the channel's serial.
        @param aFrame              the frame, payload before compression.

        XPIDL: void frameSent(in unsigned long aWebSocketSerialID, in nsIWebSocketFrame aFrame)
        """


_tag_members(nsIWebSocketEventListener, {
    "webSocketCreated": {
        "returns": "void",
        "params": (
            ("aWebSocketSerialID", "in", "unsigned long"),
            ("aURI", "in", "AString"),
            ("aProtocols", "in", "ACString"),
        ),
        "results": (),
        "flags": (),
    },
    "webSocketOpened": {
        "returns": "void",
        "params": (
            ("aWebSocketSerialID", "in", "unsigned long"),
            ("aEffectiveURI", "in", "AString"),
            ("aProtocols", "in", "ACString"),
            ("aExtensions", "in", "ACString"),
            ("aHttpChannelId", "in", "unsigned long long"),
        ),
        "results": (),
        "flags": (),
    },
    "webSocketMessageAvailable": {
        "returns": "void",
        "params": (
            ("aWebSocketSerialID", "in", "unsigned long"),
            ("aMessage", "in", "ACString"),
            ("aMessageType", "in", "unsigned short"),
        ),
        "results": (),
        "flags": (),
    },
    "webSocketClosed": {
        "returns": "void",
        "params": (
            ("aWebSocketSerialID", "in", "unsigned long"),
            ("aWasClean", "in", "boolean"),
            ("aCode", "in", "unsigned short"),
            ("aReason", "in", "AString"),
        ),
        "results": (),
        "flags": (),
    },
    "frameReceived": {
        "returns": "void",
        "params": (("aWebSocketSerialID", "in", "unsigned long"), ("aFrame", "in", "nsIWebSocketFrame")),
        "results": (),
        "flags": (),
    },
    "frameSent": {
        "returns": "void",
        "params": (("aWebSocketSerialID", "in", "unsigned long"), ("aFrame", "in", "nsIWebSocketFrame")),
        "results": (),
        "flags": (),
    },
})
nsIWebSocketEventListener.TYPE_STRING = nsIWebSocketEventListenerConstants.TYPE_STRING
nsIWebSocketEventListener.TYPE_BLOB = nsIWebSocketEventListenerConstants.TYPE_BLOB
nsIWebSocketEventListener.TYPE_ARRAYBUFFER = nsIWebSocketEventListenerConstants.TYPE_ARRAYBUFFER


class nsIWebSocketEventService(nsISupports):
    """The frame log of WebSocket channels, for developer tools: listeners
    registered for a window hear about the channels whose load info names
    that inner window (0 for channels without one). Frames are built only
    while some listener is registered for the channel's window, so channels
    nobody watches pay nothing.
    """

    _taggedValue("uuid", _uuid.UUID("b65b042b-6917-4c01-bccc-821364e71aea"))
    _taggedValue("flags", ("scriptable", "builtinclass"))

    def addListener(aInnerWindowID, aListener):
        """Start telling aListener about the channels of a window. Fails with
        NS_ERROR_FAILURE for a null listener.

        @param aInnerWindowID  the window (0: channels without a window).
        @param aListener       the listener.

        XPIDL: void addListener(in unsigned long long aInnerWindowID, in nsIWebSocketEventListener aListener)
        """

    def removeListener(aInnerWindowID, aListener):
        """Stop telling aListener about a window's channels. Fails with
        NS_ERROR_FAILURE when it was not registered for that window.

        @param aInnerWindowID  the window given to addListener.
        @param aListener       the listener.

        XPIDL: void removeListener(in unsigned long long aInnerWindowID,
                                   in nsIWebSocketEventListener aListener)
        """

    def hasListenerFor(aInnerWindowID):
        """Whether any listener is registered for a window.

        @param aInnerWindowID  the window.

        XPIDL: boolean hasListenerFor(in unsigned long long aInnerWindowID)
        """

    def sendMessage(aWebSocketSerialID, aMessage):
        """Send a text message on a live channel, as if its user had called
        sendMsg. Fails with NS_ERROR_NOT_AVAILABLE when no open channel has
        that serial.

        @param aWebSocketSerialID  the channel's serial.
        @param aMessage            the text to send.

        XPIDL: void sendMessage(in unsigned long aWebSocketSerialID, in AString aMessage)
        """


_tag_members(nsIWebSocketEventService, {
    "addListener": {
        "returns": "void",
        "params": (
            ("aInnerWindowID", "in", "unsigned long long"),
            ("aListener", "in", "nsIWebSocketEventListener"),
        ),
        "results": (),
        "flags": (),
    },
    "removeListener": {
        "returns": "void",
        "params": (
            ("aInnerWindowID", "in", "unsigned long long"),
            ("aListener", "in", "nsIWebSocketEventListener"),
        ),
        "results": (),
        "flags": (),
    },
    "hasListenerFor": {
        "returns": "boolean",
        "params": (("aInnerWindowID", "in", "unsigned long long"),),
        "results": (),
        "flags": (),
    },
    "sendMessage": {
        "returns": "void",
        "params": (("aWebSocketSerialID", "in", "unsigned long"), ("aMessage", "in", "AString")),
        "results": (),
        "flags": (),
    },
})
