"""websockets' asyncio client (websockets.asyncio.client), on uvloop, compression=None."""
from __future__ import annotations

from websockets.asyncio.client import ClientConnection, connect

from bench.common import TEXT_64, Clock, Params, Result, idle_result, mbps, rate, rss
from bench.peers.aio import run


def _connect(url: str) -> connect:
    # max_size=None: the 1 MiB messages must not trip the 1 MiB default limit.
    return connect(url + "/echo", compression=None, max_size=None)


async def _ping_pong(ws: ClientConnection, msg: str | bytes, n: int) -> None:
    for _ in range(n):
        await ws.send(msg)
        await ws.recv()


async def _rtt(url: str, p: Params) -> Result:
    msg: str | bytes = TEXT_64 if p.size == 64 else bytes(p.size)
    async with _connect(url) as ws:
        await _ping_pong(ws, msg, p.warmup)
        t0 = Clock()
        await _ping_pong(ws, msg, p.count)
        dt = t0.stop()
    return rate(p.count, dt, "msg/s") if p.size == 64 else mbps(p.count * p.size, dt, p.count)


async def _pipe(url: str, p: Params) -> Result:
    async with _connect(url) as ws:
        await _ping_pong(ws, TEXT_64, p.warmup)
        t0 = Clock()
        # Keep `window` messages in flight: prime the window, then one send per echo received.
        sent = min(p.window, p.count)
        for _ in range(sent):
            await ws.send(TEXT_64)
        for _ in range(p.count):
            await ws.recv()
            if sent < p.count:
                await ws.send(TEXT_64)
                sent += 1
        dt = t0.stop()
    return rate(p.count, dt, "msg/s")


async def _connect_close(url: str, n: int) -> None:
    for _ in range(n):
        async with _connect(url):
            pass


async def _conn(url: str, p: Params) -> Result:
    await _connect_close(url, p.warmup)      # first connections pay for lazy imports and caches
    t0 = Clock()
    await _connect_close(url, p.count)
    return rate(p.count, t0.stop(), "conn/s")


async def _idle(url: str, p: Params) -> Result:
    conns = [await _connect(url)]        # first connection pays for lazy imports and caches
    base = rss()
    for _ in range(p.count):
        conns.append(await _connect(url))
    after = rss()
    for ws in conns:
        await ws.close()
    return idle_result(base, after, p.count)


WORKLOADS = {
    "rtt": lambda url, p: run(_rtt(url, p)),
    "pipe": lambda url, p: run(_pipe(url, p)),
    "big": lambda url, p: run(_rtt(url, p)),
    "conn": lambda url, p: run(_conn(url, p)),
    "idle": lambda url, p: run(_idle(url, p)),
}
