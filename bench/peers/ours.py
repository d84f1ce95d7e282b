"""This project's channel: Cc["@mozilla.org/network/protocol;1?name=ws"] driven by a listener.

The listener does the work the way a host application would: the next send happens inside the
onMessageAvailable callback (no coroutine per message); the benchmark's own coroutine only waits
on a trio.Event for "burst finished". Compression is switched off through the preference the
channel reads (network.websocket.extensions.permessage-deflate), although the picows server would
decline it anyway.
"""
from __future__ import annotations

import importlib.util
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

import trio

from bench.common import (
    TEXT_64,
    Clock,
    Missing,
    Params,
    Result,
    idle_result,
    mbps,
    peak_rss,
    rate,
    rss,
    scale_result,
)

WS_CONTRACT = "@mozilla.org/network/protocol;1?name=ws"
OPEN_TIMEOUT = 30.0


def _require_channel() -> None:
    # Until components/websocket/channel.py exists the contract ID is simply not registered;
    # say "missing" rather than fail with a lookup error.
    if importlib.util.find_spec("components.websocket.channel") is None:
        raise Missing("components/websocket/channel.py does not exist yet")


def _xpcom() -> tuple[Any, Any, Any]:
    from components import Cc, Ci, newURI

    prefs = Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)
    prefs.setBoolPref("network.websocket.extensions.permessage-deflate", False)
    return Cc, Ci, newURI


class Driver:
    """nsIWebSocketListener that runs bursts of echo round trips from inside its callbacks."""

    # Slots and lazily made events: the idle workload holds 1,000 of these, and the memory they
    # take is the benchmark's, not the channel's (peers' idle runs hold only their connections).
    __slots__ = ("ch", "payload", "send", "opened", "stopped", "burst_done", "received", "target",
                 "to_send", "acked", "ack_target", "acked_all", "status")

    def __init__(self, ch: Any, payload: str | bytes) -> None:
        self.ch = ch
        self.payload = payload
        self.send = ch.sendMsg if isinstance(payload, str) else ch.sendBinaryMsg
        self.opened: trio.Event | None = trio.Event()
        self.stopped = trio.Event()
        self.burst_done: trio.Event | None = None
        self.received = self.target = self.to_send = 0
        self.acked = 0
        self.ack_target = 0
        self.acked_all: trio.Event | None = None
        self.status: int | None = None

    def burst(self, count: int, window: int) -> trio.Event:
        """Send `count` messages keeping `window` in flight; the event fires on the last echo."""
        self.burst_done = done = trio.Event()
        self.received, self.target = 0, count
        first = min(window, count)
        self.to_send = count - first
        for _ in range(first):
            self.send(self.payload)
        if count == 0 or self.stopped.is_set():
            done.set()
        return done

    # -- nsIWebSocketListener -------------------------------------------------------------
    def onStart(self, ctx: object) -> None:
        if self.opened is not None:
            self.opened.set()

    def _echo(self) -> None:
        self.received += 1
        if self.to_send:
            self.to_send -= 1
            self.send(self.payload)
        if self.received == self.target and self.burst_done is not None:
            self.burst_done.set()

    def onMessageAvailable(self, ctx: object, msg: str) -> None:
        self._echo()

    def onBinaryMessageAvailable(self, ctx: object, msg: bytes) -> None:
        self._echo()

    def onAcknowledge(self, ctx: object, size: int) -> None:
        self.acked += size
        if self.acked_all is not None and self.acked >= self.ack_target:
            self.acked_all.set()

    def onServerClose(self, ctx: object, code: int, reason: str) -> None:
        pass

    def onStop(self, ctx: object, status: int) -> None:
        self.status = status
        # Unblock whatever is waiting: an open that failed, a burst or a stream cut short (the
        # callers check the counts afterwards and report the failure).
        for event in (self.opened, self.burst_done, self.acked_all, self.stopped):
            if event is not None:
                event.set()

    def onError(self) -> None:
        pass


async def _open(url: str, payload: str | bytes = TEXT_64) -> Driver:
    Cc, Ci, newURI = _xpcom()
    ch = Cc[WS_CONTRACT].createInstance(Ci.nsIWebSocketChannel)
    d = Driver(ch, payload)
    ch.asyncOpen(newURI(url), "http://127.0.0.1", d, None)
    assert d.opened is not None
    with trio.fail_after(OPEN_TIMEOUT):
        await d.opened.wait()
    d.opened = None
    if d.stopped.is_set():
        raise ConnectionError(f"open failed: onStop status {d.status:#x}")
    return d


async def _close(d: Driver) -> None:
    d.ch.close(1000, "")
    with trio.fail_after(OPEN_TIMEOUT):
        await d.stopped.wait()


async def _burst(url: str, p: Params) -> Result:
    d = await _open(url + "/echo", TEXT_64 if p.size == 64 else bytes(p.size))
    with trio.fail_after(OPEN_TIMEOUT):
        await d.burst(p.warmup, 1).wait()
    t0 = Clock()
    with trio.fail_after(600):
        await d.burst(p.count, p.window).wait()
    dt = t0.stop()
    if d.received != p.count:
        raise ConnectionError(f"channel stopped after {d.received} of {p.count} echoes (status {d.status})")
    await _close(d)
    return rate(p.count, dt, "msg/s") if p.size == 64 else mbps(p.count * p.size, dt, p.count)


async def _conn(url: str, p: Params) -> Result:
    for _ in range(p.warmup):
        await _close(await _open(url + "/echo"))
    t0 = Clock()
    for _ in range(p.count):
        await _close(await _open(url + "/echo"))
    return rate(p.count, t0.stop(), "conn/s")


async def _idle(url: str, p: Params) -> Result:
    from components import Cc, Ci

    # The channel caps simultaneous connections (network.websocket.max-connections, 200 by
    # default, as in Gecko); the idle workload needs more than that.
    prefs = Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)
    prefs.setIntPref("network.websocket.max-connections", p.count + 100)
    conns = [await _open(url + "/echo")]
    base = rss()
    for _ in range(p.count):
        conns.append(await _open(url + "/echo"))
    after = rss()
    for d in conns:
        d.ch.close(1000, "")
    with trio.move_on_after(OPEN_TIMEOUT):
        for d in conns:
            await d.stopped.wait()
    return idle_result(base, after, p.count)


async def _scale(url: str, p: Params) -> Result:
    """`p.count` channels open at once, each sending one 64-byte message a second for
    `p.seconds` seconds (staggered over each second), every echo counted."""
    from components import Cc, Ci

    prefs = Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)
    prefs.setIntPref("network.websocket.max-connections", p.count + 100)
    first = await _open(url + "/echo")  # pays for lazy imports and caches
    base = rss()
    t_open = time.perf_counter()
    conns = [await _open(url + "/echo") for _ in range(p.count)]
    open_seconds = time.perf_counter() - t_open
    opened = rss()
    sent = 0
    ticks = 100  # sends every 10 ms, a hundredth of the connections each time
    t0, clock = trio.current_time(), Clock()
    for tick in range(p.seconds * ticks):
        await trio.sleep_until(t0 + tick / ticks)
        part = tick % ticks
        for d in conns[part * p.count // ticks:(part + 1) * p.count // ticks]:
            d.send(d.payload)
            sent += 1
    with trio.move_on_after(30):
        while sum(d.received for d in conns) < sent:
            await trio.sleep(0.05)
    traffic = clock.stop()
    received = sum(d.received for d in conns)
    after = rss()
    for d in [first, *conns]:
        d.ch.close(1000, "")
    with trio.move_on_after(OPEN_TIMEOUT):
        for d in [first, *conns]:
            await d.stopped.wait()
    return scale_result(p.count, base, opened, after, traffic, sent, received, open_seconds)


async def _stream(url: str, p: Params) -> Result:
    """sendBinaryStream of a sparse temporary file to the server's discarding resource."""
    from components.streams import FileInputStream

    size = p.size
    # sendBinaryStream refuses a length above network.websocket.max-message-size (64 MiB by
    # default); the stream workload is exactly about sending more than that in bounded memory.
    from components import Cc, Ci

    prefs = Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)
    prefs.setIntPref("network.websocket.max-message-size", max(size + 1, 64 << 20))
    fd, path = tempfile.mkstemp(prefix="bench-stream-", suffix=".bin")
    try:
        os.ftruncate(fd, size)        # sparse: no disk space used, reads return zeros
        os.close(fd)
        d = await _open(url + "/discard", b"")
        base_peak, base = peak_rss(), rss()
        d.ack_target = size
        d.acked_all = acked_all = trio.Event()
        stream = FileInputStream(open(path, "rb"))  # noqa: SIM115 - the stream owns the file
        t0 = Clock()
        d.ch.sendBinaryStream(stream, size)
        with trio.fail_after(600):
            await acked_all.wait()
        dt = t0.stop()
        if d.acked < size:
            raise ConnectionError(f"channel stopped after {d.acked} of {size} bytes (status {d.status})")
        await _close(d)
        peak = peak_rss()
    finally:
        os.unlink(path)
    return mbps(size, dt, max(1, size >> 20), peak_rss_mib=peak / 2**20, rss_before_mib=base / 2**20,
                peak_before_mib=base_peak / 2**20, peak_growth_mib=(peak - base) / 2**20)


def _run(fn: Callable[[str, Params], Awaitable[Result]]) -> Callable[[str, Params], Result]:
    def go(url: str, p: Params) -> Result:
        _require_channel()
        return trio.run(fn, url, p)

    return go


def _xpidl(url: str, p: Params) -> Result:
    from bench.xpidl import run_xpidl  # the compiler workload needs no server and no channel

    return run_xpidl(p)


WORKLOADS = {
    "rtt": _run(_burst),
    "pipe": _run(_burst),
    "big": _run(_burst),
    "conn": _run(_conn),
    "idle": _run(_idle),
    "scale": _run(_scale),
    "stream": _run(_stream),
    "xpidl": _xpidl,
}
