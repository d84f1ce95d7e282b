"""picows client on uvloop: frame-level callbacks, Cython; no permessage-deflate support at all.

The workloads are written the way picows is meant to be used: the next send happens inside
on_ws_frame, no coroutine per message. A message here is one frame (picows never fragments what
it sends, and the echo server returns each frame as it came)."""
from __future__ import annotations

import asyncio
import time

from picows import WSCloseCode, WSFrame, WSListener, WSMsgType, WSTransport, ws_connect

from bench.common import TEXT_64, Clock, Params, Result, idle_result, mbps, rate, rss, scale_result
from bench.peers.aio import run


class Client(WSListener):  # type: ignore[misc]
    def __init__(self) -> None:
        self.msg_type = WSMsgType.TEXT
        self.payload: bytes = TEXT_64.encode()
        self.received = 0
        self.target = 0
        self.to_send = 0
        self.done: asyncio.Future[None] | None = None

    def burst(self, transport: WSTransport, count: int, window: int) -> asyncio.Future[None]:
        """Send `count` messages keeping `window` in flight; the future resolves on the last echo."""
        self.done = asyncio.get_running_loop().create_future()
        self.received, self.target = 0, count
        first = min(window, count)
        self.to_send = count - first
        for _ in range(first):
            transport.send(self.msg_type, self.payload)
        return self.done

    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        mt = frame.msg_type
        if mt is WSMsgType.TEXT or mt is WSMsgType.BINARY:
            self.received += 1
            if self.to_send:
                self.to_send -= 1
                transport.send(self.msg_type, self.payload)
            if self.received == self.target and self.done is not None:
                self.done.set_result(None)
        elif mt is WSMsgType.CLOSE:
            transport.disconnect()


async def _connect(url: str) -> tuple[WSTransport, Client]:
    transport, client = await ws_connect(Client, url + "/echo", max_frame_size=1 << 24)
    return transport, client


async def _close(transport: WSTransport) -> None:
    transport.send_close(WSCloseCode.OK)
    await transport.wait_disconnected()


async def _burst(url: str, p: Params) -> Result:
    transport, client = await _connect(url)
    if p.size != 64:
        client.msg_type, client.payload = WSMsgType.BINARY, bytes(p.size)
    await client.burst(transport, p.warmup, 1)
    t0 = Clock()
    await client.burst(transport, p.count, p.window)
    dt = t0.stop()
    await _close(transport)
    return rate(p.count, dt, "msg/s") if p.size == 64 else mbps(p.count * p.size, dt, p.count)


async def _conn(url: str, p: Params) -> Result:
    for _ in range(p.warmup):
        await _close((await _connect(url))[0])
    t0 = Clock()
    for _ in range(p.count):
        await _close((await _connect(url))[0])
    return rate(p.count, t0.stop(), "conn/s")


async def _idle(url: str, p: Params) -> Result:
    conns = [(await _connect(url))[0]]
    base = rss()
    for _ in range(p.count):
        conns.append((await _connect(url))[0])
    after = rss()
    for t in conns:
        t.disconnect()
    return idle_result(base, after, p.count)


async def _scale(url: str, p: Params) -> Result:
    """`p.count` connections, each sending one message a second for `p.seconds` s (staggered)."""
    loop = asyncio.get_running_loop()
    first = await _connect(url)
    base = rss()
    t_open = time.perf_counter()
    conns = [await _connect(url) for _ in range(p.count)]
    open_seconds = time.perf_counter() - t_open
    opened = rss()
    payload, sent, ticks = TEXT_64.encode(), 0, 100
    t0, clock = loop.time(), Clock()
    for tick in range(p.seconds * ticks):
        await asyncio.sleep(max(0.0, t0 + tick / ticks - loop.time()))
        part = tick % ticks
        for transport, _ in conns[part * p.count // ticks:(part + 1) * p.count // ticks]:
            transport.send(WSMsgType.TEXT, payload)
            sent += 1
    deadline = loop.time() + 30
    while sum(c.received for _, c in conns) < sent and loop.time() < deadline:
        await asyncio.sleep(0.05)
    traffic = clock.stop()
    received = sum(c.received for _, c in conns)
    after = rss()
    for transport, _ in [first, *conns]:
        transport.disconnect()
    return scale_result(p.count, base, opened, after, traffic, sent, received, open_seconds)


WORKLOADS = {
    "rtt": lambda url, p: run(_burst(url, p)),
    "pipe": lambda url, p: run(_burst(url, p)),
    "big": lambda url, p: run(_burst(url, p)),
    "conn": lambda url, p: run(_conn(url, p)),
    "idle": lambda url, p: run(_idle(url, p)),
    "scale": lambda url, p: run(_scale(url, p)),
}
