# Generated from idl/netwerk/protocol/websocket/nsIWebSocketListener.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIWebSocketListener.idl: nsIWebSocketListener."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIWebSocketListener"]


class nsIWebSocketListener(nsISupports):
    """What a WebSocket channel tells its user. The user implements this and
    passes it to nsIWebSocketChannel.asyncOpen; every call then arrives on
    the thread (here: the trio run) that opened the channel, and never
    before asyncOpen has returned. Apart from onError, each method gets the
    opaque context object that was given to asyncOpen as its first argument.
    """

    _taggedValue("uuid", _uuid.UUID("e01821e4-1e08-4042-9f4d-893a1174aeaf"))
    _taggedValue("flags", ("scriptable",))

    def onStart(aContext):
        """The opening handshake succeeded: the server answered 101 and every
        header checked out. Not called at all when the connection could not
        be set up.

        @param aContext  the context given to asyncOpen.

        XPIDL: [must_use] void onStart(in nsISupports aContext)
        """

    def onStop(aContext, aStatusCode):
        """The channel is finished. This is always the last call, made exactly
        once; afterwards the channel lets go of the listener.

        @param aContext     the context given to asyncOpen.
        @param aStatusCode  NS_OK after a clean close handshake, otherwise the
                            error that ended the connection.

        XPIDL: [must_use] void onStop(in nsISupports aContext, in nsresult aStatusCode)
        """

    def onMessageAvailable(aContext, aMsg):
        """A whole text message arrived (already reassembled and decoded).

        @param aContext  the context given to asyncOpen.
        @param aMsg      the message text.

        XPIDL: [must_use] void onMessageAvailable(in nsISupports aContext, in AUTF8String aMsg)
        """

    def onBinaryMessageAvailable(aContext, aMsg):
        """A whole binary message arrived (already reassembled).

        @param aContext  the context given to asyncOpen.
        @param aMsg      the message bytes.

        XPIDL: [must_use] void onBinaryMessageAvailable(in nsISupports aContext, in ACString aMsg)
        """

    def onAcknowledge(aContext, aSize):
        """A message queued with one of the send methods has been handed to the
        operating system in full.

        @param aContext  the context given to asyncOpen.
        @param aSize     the message's payload length before any compression.

        XPIDL: [must_use] void onAcknowledge(in nsISupports aContext, in unsigned long aSize)
        """

    def onServerClose(aContext, aCode, aReason):
        """The server sent its Close frame. No further messages or
        acknowledgements follow; onStop comes once the connection is down.

        @param aContext  the context given to asyncOpen.
        @param aCode     the status code in the frame, or 1005 (CLOSE_NO_STATUS)
                         when the frame carried no payload.
        @param aReason   the reason text in the frame, possibly empty.

        XPIDL: [must_use] void onServerClose(in nsISupports aContext,
                                             in unsigned short aCode,
                                             in AUTF8String aReason)
        """

    def onError():  # type: ignore[misc]
        """Something went wrong and the connection is about to be torn down;
        onStop will report the status.

        XPIDL: [must_use] void onError()
        """


_tag_members(nsIWebSocketListener, {
    "onStart": {
        "returns": "void",
        "params": (("aContext", "in", "nsISupports"),),
        "results": (),
        "flags": ("must_use",),
    },
    "onStop": {
        "returns": "void",
        "params": (("aContext", "in", "nsISupports"), ("aStatusCode", "in", "nsresult")),
        "results": (),
        "flags": ("must_use",),
    },
    "onMessageAvailable": {
        "returns": "void",
        "params": (("aContext", "in", "nsISupports"), ("aMsg", "in", "AUTF8String")),
        "results": (),
        "flags": ("must_use",),
    },
    "onBinaryMessageAvailable": {
        "returns": "void",
        "params": (("aContext", "in", "nsISupports"), ("aMsg", "in", "ACString")),
        "results": (),
        "flags": ("must_use",),
    },
    "onAcknowledge": {
        "returns": "void",
        "params": (("aContext", "in", "nsISupports"), ("aSize", "in", "unsigned long")),
        "results": (),
        "flags": ("must_use",),
    },
    "onServerClose": {
        "returns": "void",
        "params": (
            ("aContext", "in", "nsISupports"),
            ("aCode", "in", "unsigned short"),
            ("aReason", "in", "AUTF8String"),
        ),
        "results": (),
        "flags": ("must_use",),
    },
    "onError": {
        "returns": "void",
        "params": (),
        "results": (),
        "flags": ("must_use",),
    },
})
