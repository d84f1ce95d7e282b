"""The workloads for clients used the coroutine way: connect, ``await send``, ``await recv``.

websockets (asyncio and trio flavours), trio-websocket and aiohttp differ only in how a
connection is opened and what their send/receive methods are called, so the workloads are
written once here and each peer module describes its library with a :class:`CoroutineClient`.
The send and receive callables are looked up once per connection and called directly in the
loops, so no peer pays for an adapter per message.
"""
from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from bench.common import TEXT_64, Clock, Params, Result, idle_result, mbps, rate, rss, scale_result

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


def asyncio_scale(c: CoroutineClient) -> Callable[[str, Params], Result]:
    """The scale workload for an asyncio client: a task per connection, the idiomatic way
    (await send, await recv, sleep until its next second)."""
    return lambda url, p: c.run(lambda: _scale(c, url, p))


async def _scale(c: CoroutineClient, url: str, p: Params) -> Result:
    import asyncio

    loop = asyncio.get_running_loop()
    received = 0

    async def talk(ws: Any, start: float) -> None:
        nonlocal received
        send, recv = c.io(ws, False)
        for k in range(p.seconds):
            await asyncio.sleep(max(0.0, start + k - loop.time()))
            await send(TEXT_64)
            await recv()
            received += 1

    async with c.session() as s, contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(c.connect(s, url))  # pays for lazy imports and caches
        base = rss()
        t_open = time.perf_counter()
        conns = [await stack.enter_async_context(c.connect(s, url)) for _ in range(p.count)]
        open_seconds = time.perf_counter() - t_open
        opened = rss()
        t0, clock = loop.time(), Clock()
        tasks = [asyncio.ensure_future(talk(ws, t0 + i / p.count)) for i, ws in enumerate(conns)]
        done, pending = await asyncio.wait(tasks, timeout=p.seconds + 30)
        traffic = clock.stop()
        for t in pending:
            t.cancel()
        after = rss()
        for t in done:
            t.result()  # a connection that failed fails the run
    return scale_result(p.count, base, opened, after, traffic, p.count * p.seconds, received, open_seconds)


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
