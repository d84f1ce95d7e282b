"""nsIWebSocketEventService: the frame log of WebSocket channels, for developer tools.

Theory of operation
-------------------
Firefox's devtools watch a window's WebSockets through this service; here any tool
can (``wschannel --frames`` does).  What it costs is decided by who is watching:

* **Nobody has asked for the service.**  The channel module's ``event_hook`` is
  None and channels pay nothing: no wrapper, no test on any path.  Creating the
  service installs the hook; from then on each channel, at asyncOpen, is *attached*:
  its listener is wrapped by one that reports onStart, the messages and onStop,
  and it is remembered by serial (for ``sendMessage``) until onStop.
* **No listener for the channel's window.**  The wrapper's reports stop at one dict
  lookup; the core connection is a plain :class:`Connection`, fast paths and all,
  and no frame object is ever built.
* **A listener for its window.**  The core connection is switched to
  :class:`~.protocol.observed.ObservedConnection`, which reports each frame
  (received: unmasked, inflated; sent: before compression); the service builds an
  nsIWebSocketFrame per report.  When the window's last listener goes, the
  connection is switched back.  Switches run on the channel's trio thread.

A channel's window is its ``loadInfo.innerWindowID`` (0 without a load info), as in
Firefox.  Events reach listeners as Firefox's runnables do: after the fact, in
order, on the channel's thread (queued, then delivered in one ``run_sync_soon``
callback), never from inside a channel or core call, so a listener may call the
channel.  A listener that raises is logged and skipped.  Channels opened before
the service first existed are not reported.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Final

import trio
from zope.interface import implementer

from components.interfaces import Ci
from components.manager import Supports, component
from components.results import Cr, XPCOMError

__all__ = ["WebSocketEventService", "WebSocketFrame"]

log = logging.getLogger("components.websocket")

_TYPE_STRING: Final = 0
_TYPE_ARRAYBUFFER: Final = 2


@implementer(Ci.nsIWebSocketFrame)
class WebSocketFrame(Supports):
    """One frame of the log (the interface has the meaning of each attribute)."""

    __slots__ = (
        "timeStamp", "finBit", "rsvBit1", "rsvBit2", "rsvBit3", "opCode", "maskBit", "mask", "payload",
    )

    def __init__(self, b0: int, key: bytes, payload: bytes) -> None:
        self.timeStamp = time.time() * 1000.0
        self.finBit = bool(b0 & 0x80)
        self.rsvBit1 = bool(b0 & 0x40)
        self.rsvBit2 = bool(b0 & 0x20)
        self.rsvBit3 = bool(b0 & 0x10)
        self.opCode = b0 & 0x0F
        self.maskBit = bool(key)
        self.mask = int.from_bytes(key, "big") if key else 0
        self.payload = payload

    def __repr__(self) -> str:
        return f"<WebSocketFrame opcode {self.opCode} fin {int(self.finBit)} {len(self.payload)} bytes>"


class _Watch:
    """One attached channel: its window, its event queue, its reporting listener."""

    __slots__ = ("channel", "conn", "listener", "observed", "pending", "serial", "service", "token",
                 "window", "close_code", "close_reason")

    def __init__(self, service: WebSocketEventService, channel: Any, conn: Any, listener: Any) -> None:
        self.service = service
        self.channel = channel
        self.conn = conn
        self.listener = listener
        self.serial: int = channel.serial
        self.window = _window_of(channel)
        self.token = trio.lowlevel.current_trio_token()
        self.pending: list[tuple[str, tuple[Any, ...]]] = []
        self.observed = False
        self.close_code = 1006
        self.close_reason = ""

    # -- events -----------------------------------------------------------------------------

    def report(self, method: str, *args: Any) -> None:
        """Queue ``listener.method(serial, *args)`` for every listener of the window."""
        if not self.service.hasListenerFor(self.window):
            return
        first = not self.pending
        self.pending.append((method, args))
        if first:
            self.token.run_sync_soon(self.deliver)

    def deliver(self) -> None:
        pending, self.pending = self.pending, []
        for method, args in pending:
            for listener in self.service._listeners_of(self.window):
                try:
                    getattr(listener, method)(self.serial, *args)
                except Exception:  # noqa: BLE001 - a tool's bug must not disturb the channel
                    log.exception("nsIWebSocketEventListener.%s raised", method)

    def frame(self, sent: bool, b0: int, key: bytes, payload: bytes) -> None:
        """The core's observer: a frame sent or received."""
        self.report("frameSent" if sent else "frameReceived", WebSocketFrame(b0, key, payload))

    # -- observing the core -----------------------------------------------------------------

    def update(self) -> None:
        """Observe the core while the window has listeners (on the channel's thread)."""
        want = self.service.hasListenerFor(self.window) and self.serial in self.service._live
        if want == self.observed:
            return
        from components.websocket.protocol.observed import observe, unobserve

        if want:
            observe(self.conn, self.frame)
        else:
            unobserve(self.conn)
        self.observed = want


class _ReportingListener:
    """The channel's listener, wrapped: reports to the service, then forwards."""

    __slots__ = ("_inner", "_watch")

    def __init__(self, watch: _Watch, inner: Any) -> None:
        self._watch = watch
        self._inner = inner

    def onStart(self, aContext: Any) -> None:
        ch = self._watch.channel
        self._watch.report("webSocketOpened", ch.URI.spec, ch.protocol, ch.extensions, 0)
        self._inner.onStart(aContext)

    def onMessageAvailable(self, aContext: Any, aMsg: str) -> None:
        self._watch.report("webSocketMessageAvailable", aMsg, _TYPE_STRING)
        self._inner.onMessageAvailable(aContext, aMsg)

    def onBinaryMessageAvailable(self, aContext: Any, aMsg: bytes) -> None:
        self._watch.report("webSocketMessageAvailable", aMsg, _TYPE_ARRAYBUFFER)
        self._inner.onBinaryMessageAvailable(aContext, aMsg)

    def onAcknowledge(self, aContext: Any, aSize: int) -> None:
        self._inner.onAcknowledge(aContext, aSize)

    def onServerClose(self, aContext: Any, aCode: int, aReason: str) -> None:
        self._watch.close_code, self._watch.close_reason = aCode, aReason
        self._inner.onServerClose(aContext, aCode, aReason)

    def onError(self) -> None:
        self._inner.onError()

    def onStop(self, aContext: Any, aStatusCode: int) -> None:
        watch = self._watch
        watch.service._detach(watch)
        watch.report("webSocketClosed", aStatusCode == Cr.NS_OK, watch.close_code, watch.close_reason)
        self._inner.onStop(aContext, aStatusCode)


def _window_of(channel: Any) -> int:
    info = channel.loadInfo
    if info is None:
        return 0
    try:
        return int(info.innerWindowID)
    except Exception:  # noqa: BLE001 - a load info without a window
        return 0


def _check_window(window: object) -> int:
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window < 2**64:
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not an unsigned long long: {window!r}")
    return window


@component(
    classID="{d2a7c1f5-3b84-4e0a-9c61-7f5e2b9d4a13}",
    contractIDs=("@mozilla.org/websocketevent/service;1",),
)
@implementer(Ci.nsIWebSocketEventService)
class WebSocketEventService:
    """The frame log (see the module docs).  Creating it installs the channels' hook."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[int, list[Any]] = {}
        self._live: dict[int, _Watch] = {}  # serial -> attached channel, until its onStop
        from components.websocket import channel

        channel.event_hook = self._attach

    # -- the channels' side -------------------------------------------------------------------

    def _attach(self, channel: Any, conn: Any, listener: Any) -> Any:
        watch = _Watch(self, channel, conn, listener)
        with self._lock:
            self._live[watch.serial] = watch
        watch.report("webSocketCreated", channel.URI.spec, channel.protocol)
        watch.update()
        return _ReportingListener(watch, listener)

    def _detach(self, watch: _Watch) -> None:
        with self._lock:
            if self._live.get(watch.serial) is watch:
                del self._live[watch.serial]

    def _listeners_of(self, window: int) -> list[Any]:
        with self._lock:
            return list(self._listeners.get(window, ()))

    def _update_window(self, window: int) -> None:
        with self._lock:
            watches = [w for w in self._live.values() if w.window == window]
        for watch in watches:
            try:
                watch.token.run_sync_soon(watch.update)
            except trio.RunFinishedError:
                pass

    # -- nsIWebSocketEventService -------------------------------------------------------------

    def addListener(self, aInnerWindowID: int, aListener: Any) -> None:
        window = _check_window(aInnerWindowID)
        if aListener is None:
            raise XPCOMError(Cr.NS_ERROR_FAILURE, "addListener needs a listener")
        with self._lock:
            listeners = self._listeners.setdefault(window, [])
            first = not listeners
            listeners.append(aListener)
        if first:
            self._update_window(window)

    def removeListener(self, aInnerWindowID: int, aListener: Any) -> None:
        window = _check_window(aInnerWindowID)
        if aListener is None:
            raise XPCOMError(Cr.NS_ERROR_FAILURE, "removeListener needs a listener")
        with self._lock:
            listeners = self._listeners.get(window, [])
            if aListener not in listeners:
                raise XPCOMError(Cr.NS_ERROR_FAILURE, "that listener is not registered for this window")
            listeners.remove(aListener)
            last = not listeners
            if last:
                del self._listeners[window]
        if last:
            self._update_window(window)

    def hasListenerFor(self, aInnerWindowID: int) -> bool:
        return aInnerWindowID in self._listeners

    def sendMessage(self, aWebSocketSerialID: int, aMessage: str) -> None:
        with self._lock:
            watch = self._live.get(aWebSocketSerialID)
        if watch is None:
            raise XPCOMError(Cr.NS_ERROR_NOT_AVAILABLE, f"no open channel has serial {aWebSocketSerialID!r}")
        watch.channel.sendMsg(aMessage)
