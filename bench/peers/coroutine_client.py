"""The workloads for clients used the coroutine way: connect, ``await send``, ``await recv``.

websockets (asyncio and trio flavours), trio-websocket and aiohttp differ only in how a
connection is opened and what their send/receive methods are called, so the workloads are
written once here and each peer module describes its library with a :class:`CoroutineClient`.
The send and receive callables are looked up once per connection and called directly in the
loops, so no peer pays for an adapter per message.
"""
from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from bench.common import TEXT_64, Clock, Params, Result, idle_result, mbps, rate, rss

Send = Callable[[Any], Awaitable[Any]]
Recv = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class CoroutineClient:
    #: Per-run shared state, yielded to ``connect`` (aiohttp's ClientSession; None elsewhere).
    session: Callable[[], AbstractAsyncContextManager[Any]]
    #: ``(session, url) -> async context manager`` yielding an open connection.
    connect: Callable[[Any, str], AbstractAsyncContextManager[Any]]
    #: ``(connection, binary) -> (send, recv)``: the library's own bound methods.
    io: Callable[[Any, bool], tuple[Send, Recv]]
    #: Runs a coroutine to completion on the library's event loop.
    run: Callable[[Callable[[], Coroutine[Any, Any, Result]]], Result]

    def workloads(self) -> dict[str, Callable[[str, Params], Result]]:
        def bind(workload: Callable[[CoroutineClient, str, Params], Coroutine[Any, Any, Result]]) -> Any:
            return lambda url, p: self.run(lambda: workload(self, url, p))

        return {"rtt": bind(_rtt), "pipe": bind(_pipe), "big": bind(_rtt), "conn": bind(_conn),
                "idle": bind(_idle)}


def no_session() -> AbstractAsyncContextManager[None]:
    return contextlib.nullcontext()  # type: ignore[return-value]


async def _ping_pong(send: Send, recv: Recv, msg: str | bytes, n: int) -> None:
    for _ in range(n):
        await send(msg)
        await recv()


async def _rtt(c: CoroutineClient, url: str, p: Params) -> Result:
    msg: str | bytes = TEXT_64 if p.size == 64 else bytes(p.size)
    async with c.session() as s, c.connect(s, url) as ws:
        send, recv = c.io(ws, isinstance(msg, bytes))
        await _ping_pong(send, recv, msg, p.warmup)
        t0 = Clock()
        await _ping_pong(send, recv, msg, p.count)
        dt = t0.stop()
    return rate(p.count, dt, "msg/s") if p.size == 64 else mbps(p.count * p.size, dt, p.count)


async def _pipe(c: CoroutineClient, url: str, p: Params) -> Result:
    async with c.session() as s, c.connect(s, url) as ws:
        send, recv = c.io(ws, False)
        await _ping_pong(send, recv, TEXT_64, p.warmup)
        t0 = Clock()
        # Keep `window` messages in flight: prime the window, then one send per echo received.
        sent = min(p.window, p.count)
        for _ in range(sent):
            await send(TEXT_64)
        for _ in range(p.count):
            await recv()
            if sent < p.count:
                await send(TEXT_64)
                sent += 1
        dt = t0.stop()
    return rate(p.count, dt, "msg/s")


async def _conn(c: CoroutineClient, url: str, p: Params) -> Result:
    async with c.session() as s:
        for _ in range(p.warmup):  # first connections pay for lazy imports and caches
            async with c.connect(s, url):
                pass
        t0 = Clock()
        for _ in range(p.count):
            async with c.connect(s, url):
                pass
        dt = t0.stop()
    return rate(p.count, dt, "conn/s")


async def _idle(c: CoroutineClient, url: str, p: Params) -> Result:
    # Context managers all the way (trio clients keep a nursery per connection); the exit
    # stack closes every connection, with its close handshake, at the end.
    async with c.session() as s, contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(c.connect(s, url))  # pays for lazy imports and caches
        base = rss()
        for _ in range(p.count):
            await stack.enter_async_context(c.connect(s, url))
        after = rss()
    return idle_result(base, after, p.count)
