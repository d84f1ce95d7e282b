# Generated from idl/netwerk/protocol/websocket/nsIWebSocketListener.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIWebSocketListener.py, from idl/netwerk/protocol/websocket/nsIWebSocketListener.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsIWebSocketListener", "nsIWebSocketListenerInterface"]


class nsIWebSocketListener(nsISupports, Protocol):
    """What a WebSocket channel tells its user. The user implements this and
    passes it to nsIWebSocketChannel.asyncOpen; every call then arrives on
    the thread (here: the trio run) that opened the channel, and never
    before asyncOpen has returned. Apart from onError, each method gets the
    opaque context object that was given to asyncOpen as its first argument.
    """

    def onStart(self, aContext: object) -> None:
        """The opening handshake succeeded: the server answered 101 and every
        header checked out. Not called at all when the connection could not
        be set up.

        @param aContext  the context given to asyncOpen.
        """
        ...

    def onStop(self, aContext: object, aStatusCode: int) -> None:
        """The channel is finished. This is always the last call, made exactly
        once; afterwards the channel lets go of the listener.

        @param aContext     the context given to asyncOpen.
        @param aStatusCode  NS_OK after a clean close handshake, otherwise the
                            error that ended the connection.
        """
        ...

    def onMessageAvailable(self, aContext: object, aMsg: str) -> None:
        """A whole text message arrived (already reassembled and decoded).

        @param aContext  the context given to asyncOpen.
        @param aMsg      the message text.
        """
        ...

    def onBinaryMessageAvailable(self, aContext: object, aMsg: bytes) -> None:
        """A whole binary message arrived (already reassembled).

        @param aContext  the context given to asyncOpen.
        @param aMsg      the message bytes.
        """
        ...

    def onAcknowledge(self, aContext: object, aSize: int) -> None:
        """A message queued with one of the send methods has been handed to the
        operating system in full.

        @param aContext  the context given to asyncOpen.
        @param aSize     the message's payload length before any compression.
        """
        ...

    def onServerClose(self, aContext: object, aCode: int, aReason: str) -> None:
        """The server sent its Close frame. No further messages or
        acknowledgements follow; onStop comes once the connection is down.

        @param aContext  the context given to asyncOpen.
        @param aCode     the status code in the frame, or 1005 (CLOSE_NO_STATUS)
                         when the frame carried no payload.
        @param aReason   the reason text in the frame, possibly empty.
        """
        ...

    def onError(self) -> None:
        """Something went wrong and the connection is about to be torn down;
        onStop will report the status.
        """
        ...


class nsIWebSocketListenerInterface(InterfaceObject[nsIWebSocketListener], Protocol):
    """The interface object ``Ci.nsIWebSocketListener`` (a zope.interface InterfaceClass)."""
