"""The host's own component: a WebSocket listener that greets, collects replies and closes.

Registered under ``@example.org/hostapp/message-log;1`` when the component manager imports this
module, which it does because the distribution names it in the ``xpcom.components`` entry-point
group.  The channel it listens to arrives as the listener context (``asyncOpen``'s last
argument), so the component needs nothing at construction time.
"""

from __future__ import annotations

import trio
from zope.interface import implementer

from components import Cc, Ci
from components.manager import component

CONTRACT = "@example.org/hostapp/message-log;1"

#: The preference holding the greeting the log sends first (a host's own preference name).
GREETING_PREF = "hostapp.greeting"


@component(classID="4f1d3c2b-8a6e-4e0f-9c7d-5b2a1e0f3d64", contractIDs=CONTRACT)
@implementer(Ci.nsIWebSocketListener)
class MessageLog:
    """Sends the greeting (the ``hostapp.greeting`` preference), then ``replies - 1`` numbered
    messages, records every reply and closes normally once ``replies`` came back."""

    replies = 3

    def __init__(self) -> None:
        self.received: list[str] = []
        self.status: int | None = None
        self.finished = trio.Event()

    def onStart(self, aContext: object) -> None:
        if not Ci.nsIWebSocketChannel.providedBy(aContext):
            raise TypeError("the listener context must be the channel")
        prefs = Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)
        aContext.sendMsg(prefs.getStringPref(GREETING_PREF, "hello"))
        for n in range(1, self.replies):
            aContext.sendMsg(f"message {n}")

    def onMessageAvailable(self, aContext: object, aMsg: str) -> None:
        self.received.append(aMsg)
        if len(self.received) == self.replies and Ci.nsIWebSocketChannel.providedBy(aContext):
            aContext.close(Ci.nsIWebSocketChannel.CLOSE_NORMAL, "done")

    def onBinaryMessageAvailable(self, aContext: object, aMsg: bytes) -> None:
        self.received.append(aMsg.hex())

    def onAcknowledge(self, aContext: object, aSize: int) -> None:
        pass

    def onServerClose(self, aContext: object, aCode: int, aReason: str) -> None:
        pass

    def onError(self) -> None:
        pass

    def onStop(self, aContext: object, aStatusCode: int) -> None:
        self.status = aStatusCode
        self.finished.set()
