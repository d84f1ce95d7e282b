"""Our nsIWebSocketChannel under test, used exactly as a host application uses it.

The channel is resolved by contract ID and driven only through its XPCOM surface: asyncOpen
with a listener, sendMsg / sendBinaryMsg from onMessageAvailable / onBinaryMessageAvailable,
and the end of each case is onStop. Nothing of components.websocket is imported directly.
The listener does not call close() in onServerClose: the channel then echoes the server's
close code itself (documented in the README), which is what the suite expects of a client.
"""
from __future__ import annotations

import trio

from compliance.testees._driver import drive, parse_args, trio_deadline
from components import Cc, Ci, XPCOMError, newURI

ORIGIN = "http://127.0.0.1"

# Section 9 sends single messages of up to 16 MiB (and 12/13 inflate to that much). The
# default (64 MiB) already allows it; it is set here so the suite keeps measuring framing and
# not our limit if that default ever shrinks.
MAX_MESSAGE_SIZE = 64 << 20


class EchoListener:
    """Echoes every message; remembers the first text message; `done` is set by onStop."""

    def __init__(self, channel: object, echo: bool) -> None:
        self.channel = channel
        self.echo = echo
        self.first_text: str | None = None
        self.status: int | None = None
        self.done = trio.Event()

    def onStart(self, aContext: object) -> None:
        pass

    def onMessageAvailable(self, aContext: object, aMsg: str) -> None:
        if self.first_text is None:
            self.first_text = aMsg
        if self.echo:
            self._send(self.channel.sendMsg, aMsg)  # type: ignore[attr-defined]

    def onBinaryMessageAvailable(self, aContext: object, aMsg: bytes) -> None:
        if self.echo:
            self._send(self.channel.sendBinaryMsg, aMsg)  # type: ignore[attr-defined]

    @staticmethod
    def _send(send: object, msg: object) -> None:
        try:
            send(msg)  # type: ignore[operator]
        except XPCOMError:
            pass  # the connection is already closing (the server closed first): nothing to echo into

    def onAcknowledge(self, aContext: object, aSize: int) -> None:
        pass

    def onServerClose(self, aContext: object, aCode: int, aReason: str) -> None:
        pass

    def onError(self) -> None:
        pass

    def onStop(self, aContext: object, aStatusCode: int) -> None:
        self.status = aStatusCode
        self.done.set()


async def session(url: str, echo: bool) -> str | None:
    channel = Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance(Ci.nsIWebSocketChannel)
    listener = EchoListener(channel, echo)
    channel.asyncOpen(newURI(url), ORIGIN, listener, None)
    try:
        await listener.done.wait()
    finally:
        if not listener.done.is_set():
            # Abandoned by the driver's deadline: tell the channel, give it a moment to stop.
            try:
                channel.close(Ci.nsIWebSocketChannel.CLOSE_GOING_AWAY, "")
            except XPCOMError:
                pass
            with trio.move_on_after(2, shield=True):
                await listener.done.wait()
    return listener.first_text


def main() -> None:
    args = parse_args()
    prefs = Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)
    prefs.setIntPref("network.websocket.max-message-size", MAX_MESSAGE_SIZE)
    trio.run(drive, args, session, trio_deadline)


if __name__ == "__main__":
    main()
