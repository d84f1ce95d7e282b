"""websockets' native trio client (websockets.trio.client, new in websockets 16/17), compression=None."""
from __future__ import annotations

import contextlib

import trio
from websockets.trio.client import ClientConnection, connect

from bench.common import TEXT_64, Clock, Params, Result, idle_result, mbps, rate, rss


def _connect(url: str) -> connect:
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
    # websockets.trio connections live inside their own nursery, hence context managers all the
    # way; the exit stack closes them all (close handshakes) at the end.
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(_connect(url))
        base = rss()
        for _ in range(p.count):
            await stack.enter_async_context(_connect(url))
        after = rss()
    return idle_result(base, after, p.count)


WORKLOADS = {
    "rtt": lambda url, p: trio.run(_rtt, url, p),
    "pipe": lambda url, p: trio.run(_pipe, url, p),
    "big": lambda url, p: trio.run(_rtt, url, p),
    "conn": lambda url, p: trio.run(_conn, url, p),
    "idle": lambda url, p: trio.run(_idle, url, p),
}
