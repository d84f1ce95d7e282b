"""The independent `websockets` asyncio server, run in a background thread on 127.0.0.1.

    from support.wsserver import websockets_server, echo_handler

    with websockets_server(echo_handler, compression=None) as srv:   # any serve() keyword
        url = srv.url            # ws://127.0.0.1:<port>/  (wss:// when ssl= is given)
        ...                      # drive a channel in trio against it
    srv.errors                   # exceptions raised by handlers (re-raised at exit)
    srv.records                  # per-connection dicts a handler may fill (request, close code)

The server's own keepalive pings are off by default (ping_interval=None) so tests decide
when pings happen; max_size defaults to 64 MiB. The context manager is synchronous (the
thread starts and stops quickly) and usable from inside a trio test.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

__all__ = ["WebsocketsServer", "websockets_server", "echo_handler"]


async def echo_handler(ws: ServerConnection) -> None:
    """Echo every message with its type; record the client's close code and reason."""
    async for msg in ws:
        await ws.send(msg)


class WebsocketsServer:
    def __init__(self) -> None:
        self.port = 0
        self.scheme = "ws"
        self.errors: list[BaseException] = []
        self.connections: list[ServerConnection] = []

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/"


@contextlib.contextmanager
def websockets_server(handler: Callable[[ServerConnection], Awaitable[None]],
                      **serve_kw: Any) -> Iterator[WebsocketsServer]:
    srv = WebsocketsServer()
    if serve_kw.get("ssl") is not None:
        srv.scheme = "wss"
    serve_kw.setdefault("ping_interval", None)
    serve_kw.setdefault("max_size", 64 << 20)
    ready = threading.Event()
    loop = asyncio.new_event_loop()
    stop: asyncio.Future[None] | None = None

    async def wrapped(ws: ServerConnection) -> None:
        srv.connections.append(ws)
        try:
            await handler(ws)
        except Exception as e:  # noqa: BLE001 - reported at exit
            srv.errors.append(e)
            raise

    async def main() -> None:
        nonlocal stop
        stop = loop.create_future()
        async with serve(wrapped, "127.0.0.1", 0, **serve_kw) as server:
            srv.port = next(iter(server.sockets)).getsockname()[1]
            ready.set()
            await stop

    def run() -> None:
        try:
            loop.run_until_complete(main())
        except BaseException as e:  # noqa: BLE001
            srv.errors.append(e)
        finally:
            ready.set()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    thread = threading.Thread(target=run, name="websockets-server", daemon=True)
    thread.start()
    ready.wait(10)
    if not srv.port:
        thread.join(5)
        raise RuntimeError(f"websockets server did not start: {srv.errors!r}")
    try:
        yield srv
    finally:
        loop.call_soon_threadsafe(lambda: stop.done() or stop.set_result(None))  # type: ignore[union-attr]
        thread.join(15)
    if srv.errors:
        raise srv.errors[0]
