"""aiohttp's client websocket (ClientSession.ws_connect), on uvloop, compress=0."""
from __future__ import annotations

import aiohttp

from bench.common import TEXT_64, Clock, Params, Result, idle_result, mbps, rate, rss
from bench.peers.aio import run


def _session() -> aiohttp.ClientSession:
    # limit=0: the default connector caps concurrent connections at 100, which would stall idle.
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))


def _connect(s: aiohttp.ClientSession, url: str) -> aiohttp.client._WSRequestContextManager:
    # compress=0 disables permessage-deflate; max_msg_size=0 lifts the 4 MiB cap (not needed at
    # 1 MiB, but keeps the configuration identical across peers).
    return s.ws_connect(url + "/echo", compress=0, max_msg_size=0)


async def _ping_pong(ws: aiohttp.ClientWebSocketResponse, msg: str | bytes, n: int) -> None:
    if isinstance(msg, str):
        for _ in range(n):
            await ws.send_str(msg)
            await ws.receive_str()
    else:
        for _ in range(n):
            await ws.send_bytes(msg)
            await ws.receive_bytes()


async def _rtt(url: str, p: Params) -> Result:
    msg: str | bytes = TEXT_64 if p.size == 64 else bytes(p.size)
    async with _session() as s, _connect(s, url) as ws:
        await _ping_pong(ws, msg, p.warmup)
        t0 = Clock()
        await _ping_pong(ws, msg, p.count)
        dt = t0.stop()
    return rate(p.count, dt, "msg/s") if p.size == 64 else mbps(p.count * p.size, dt, p.count)


async def _pipe(url: str, p: Params) -> Result:
    async with _session() as s, _connect(s, url) as ws:
        await _ping_pong(ws, TEXT_64, p.warmup)
        t0 = Clock()
        sent = min(p.window, p.count)
        for _ in range(sent):
            await ws.send_str(TEXT_64)
        for _ in range(p.count):
            await ws.receive_str()
            if sent < p.count:
                await ws.send_str(TEXT_64)
                sent += 1
        dt = t0.stop()
    return rate(p.count, dt, "msg/s")


async def _conn(url: str, p: Params) -> Result:
    async with _session() as s:
        for _ in range(p.warmup):
            async with _connect(s, url):
                pass
        t0 = Clock()
        for _ in range(p.count):
            async with _connect(s, url):
                pass
        dt = t0.stop()
    return rate(p.count, dt, "conn/s")


async def _idle(url: str, p: Params) -> Result:
    async with _session() as s:
        conns = [await _connect(s, url)]
        base = rss()
        for _ in range(p.count):
            conns.append(await _connect(s, url))
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
