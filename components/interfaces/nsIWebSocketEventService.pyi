# Generated from idl/netwerk/protocol/websocket/nsIWebSocketEventService.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIWebSocketEventService.py, from idl/netwerk/protocol/websocket/nsIWebSocketEventService.idl: see codegen.emit_stubs."""

import enum as _enum
from typing import ClassVar, Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsIWebSocketFrameConstants", "nsIWebSocketFrame", "nsIWebSocketFrameInterface", "nsIWebSocketEventListenerConstants", "nsIWebSocketEventListener", "nsIWebSocketEventListenerInterface", "nsIWebSocketEventService", "nsIWebSocketEventServiceInterface"]


class nsIWebSocketFrameConstants(_enum.IntEnum):
    """The constants of nsIWebSocketFrame."""

    OPCODE_CONTINUATION = 0
    OPCODE_TEXT = 1
    OPCODE_BINARY = 2
    OPCODE_CLOSE = 8
    OPCODE_PING = 9
    OPCODE_PONG = 10


class nsIWebSocketFrame(nsISupports, Protocol):
    """One WebSocket frame as the frame log shows it: the header's bits and the
    payload as the application sees it. A received frame's payload is
    unmasked and, under permessage-deflate, inflated; a sent frame's payload
    is what was handed to the channel, before compression and masking.
    Frames are only built while a listener wants them.
    """

    @property
    def timeStamp(self) -> float:
        """When the frame was sent or received, in milliseconds since the epoch."""
        ...

    @property
    def finBit(self) -> bool:
        """The FIN bit: the last frame of its message."""
        ...

    @property
    def rsvBit1(self) -> bool:
        """RSV1: set on the first frame of a compressed message."""
        ...

    @property
    def rsvBit2(self) -> bool:
        """RSV2 (no extension here uses it)."""
        ...

    @property
    def rsvBit3(self) -> bool:
        """RSV3 (no extension here uses it)."""
        ...

    @property
    def opCode(self) -> int:
        """The opcode: one of the OPCODE_* values."""
        ...

    @property
    def maskBit(self) -> bool:
        """The MASK bit: set on every frame a client sends."""
        ...

    @property
    def mask(self) -> int:
        """The masking key as a 32-bit number (0 for an unmasked frame)."""
        ...

    @property
    def payload(self) -> bytes:
        """The payload, unmasked and uncompressed; the raw bytes (a Close
        frame's code and reason included).
        """
        ...


class nsIWebSocketFrameInterface(InterfaceObject[nsIWebSocketFrame], Protocol):
    """The interface object ``Ci.nsIWebSocketFrame`` (a zope.interface InterfaceClass)."""

    OPCODE_CONTINUATION: ClassVar[int]
    OPCODE_TEXT: ClassVar[int]
    OPCODE_BINARY: ClassVar[int]
    OPCODE_CLOSE: ClassVar[int]
    OPCODE_PING: ClassVar[int]
    OPCODE_PONG: ClassVar[int]


class nsIWebSocketEventListenerConstants(_enum.IntEnum):
    """The constants of nsIWebSocketEventListener."""

    TYPE_STRING = 0
    TYPE_BLOB = 1
    TYPE_ARRAYBUFFER = 2


class nsIWebSocketEventListener(nsISupports, Protocol):
    """Told what the WebSocket channels of a window do. Register it with
    nsIWebSocketEventService.addListener; every method is then called on
    the thread (here: the trio run) of the channel concerned, after the
    fact and in order, never from inside one of the channel's own calls.
    """

    def webSocketCreated(self, aWebSocketSerialID: int, aURI: str, aProtocols: str) -> None:
        """A channel was opened with asyncOpen.

        @param aWebSocketSerialID  the channel's serial.
        @param aURI                the URI it connects to.
        @param aProtocols          the subprotocols it offers.
        """
        ...

    def webSocketOpened(
        self,
        aWebSocketSerialID: int,
        aEffectiveURI: str,
        aProtocols: str,
        aExtensions: str,
        aHttpChannelId: int,
    ) -> None:
        """The opening handshake of a channel succeeded.

        @param aWebSocketSerialID  the channel's serial.
        @param aEffectiveURI       the URI that answered, after redirects.
        @param aProtocols          the subprotocol the server chose.
        @param aExtensions         the extensions in use.
        @param aHttpChannelId      the HTTP channel of the handshake (0: none).
        """
        ...

    def webSocketMessageAvailable(
        self,
        aWebSocketSerialID: int,
        aMessage: str | bytes,
        aMessageType: int,
    ) -> None:
        """A message was handed to the channel's listener.

        @param aWebSocketSerialID  the channel's serial.
        @param aMessage            the message: text, or the bytes of a
                                   binary message.
        @param aMessageType        TYPE_STRING or TYPE_ARRAYBUFFER.
        """
        ...

    def webSocketClosed(self, aWebSocketSerialID: int, aWasClean: bool, aCode: int, aReason: str) -> None:
        """A channel has stopped.

        @param aWebSocketSerialID  the channel's serial.
        @param aWasClean           whether the closing handshake completed.
        @param aCode               the server's close code (1006: it sent
                                   no Close frame).
        @param aReason             the server's close reason.
        """
        ...

    def frameReceived(self, aWebSocketSerialID: int, aFrame: nsIWebSocketFrame | None) -> None:
        """A frame arrived.

        @param aWebSocketSerialID  the channel's serial.
        @param aFrame              the frame, payload unmasked and inflated.
        """
        ...

    def frameSent(self, aWebSocketSerialID: int, aFrame: nsIWebSocketFrame | None) -> None:
        """A frame was queued for sending.

        @param aWebSocketSerialID  the channel's serial.
        @param aFrame              the frame, payload before compression.
        """
        ...


class nsIWebSocketEventListenerInterface(InterfaceObject[nsIWebSocketEventListener], Protocol):
    """The interface object ``Ci.nsIWebSocketEventListener`` (a zope.interface InterfaceClass)."""

    TYPE_STRING: ClassVar[int]
    TYPE_BLOB: ClassVar[int]
    TYPE_ARRAYBUFFER: ClassVar[int]


class nsIWebSocketEventService(nsISupports, Protocol):
    """The frame log of WebSocket channels, for developer tools: listeners
    registered for a window hear about the channels whose load info names
    that inner window (0 for channels without one). Frames are built only
    while some listener is registered for the channel's window, so channels
    nobody watches pay nothing.
    """

    def addListener(self, aInnerWindowID: int, aListener: nsIWebSocketEventListener | None) -> None:
        """Start telling aListener about the channels of a window. Fails with
        NS_ERROR_FAILURE for a null listener.

        @param aInnerWindowID  the window (0: channels without a window).
        @param aListener       the listener.
        """
        ...

    def removeListener(self, aInnerWindowID: int, aListener: nsIWebSocketEventListener | None) -> None:
        """Stop telling aListener about a window's channels. Fails with
        NS_ERROR_FAILURE when it was not registered for that window.

        @param aInnerWindowID  the window given to addListener.
        @param aListener       the listener.
        """
        ...

    def hasListenerFor(self, aInnerWindowID: int) -> bool:
        """Whether any listener is registered for a window.

        @param aInnerWindowID  the window.
        """
        ...

    def sendMessage(self, aWebSocketSerialID: int, aMessage: str) -> None:
        """Send a text message on a live channel, as if its user had called
        sendMsg. Fails with NS_ERROR_NOT_AVAILABLE when no open channel has
        that serial.

        @param aWebSocketSerialID  the channel's serial.
        @param aMessage            the text to send.
        """
        ...


class nsIWebSocketEventServiceInterface(InterfaceObject[nsIWebSocketEventService], Protocol):
    """The interface object ``Ci.nsIWebSocketEventService`` (a zope.interface InterfaceClass)."""
