"""``connect()`` for scripts and REPLs: the same channel, behind blocking calls.

    from components.websocket.sync import connect

    with connect("ws://127.0.0.1:9001/") as ws:
        ws.send("hello")
        print(ws.recv(timeout=5))

Theory of operation
-------------------
The channel lives in a trio run, so each connection gets one thread running
``trio.run`` around :func:`components.websocket.connect` (websockets.sync also
gives each connection a thread of its own; a shared loop thread would save a
thread per connection but couple unrelated connections' fates).  The methods
hand their work to that run with ``trio.from_thread.run``, so they may be called
from any thread: concurrent ``send()`` calls are each queued whole, in the order
they reach the trio thread.  ``recv(timeout=...)`` is the async ``recv()`` under
``trio.move_on_after``, which loses no message when it times out.

The thread is a daemon thread: a connection never closed does not keep the
interpreter from exiting.  ``close()`` (and leaving the ``with`` block, which
closes with 1000, or 1011 when an exception leaves it) runs the closing handshake,
ends the run and joins the thread.  Options and exceptions are those of the async
:func:`~components.websocket.client.connect`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

import trio

from components.results import Cr
from components.websocket.client import ConnectionClosedError, ConnectionClosedOK, Message, WebSocket
from components.websocket.client import connect as _async_connect

__all__ = ["ClientConnection", "connect"]

class ClientConnection:
    """A blocking WebSocket (see the module docs); made by :func:`connect`."""

    def __init__(self, url: str, options: dict[str, Any]) -> None:
        self._url, self._options = url, options
        self._ws: WebSocket | None = None
        self._token: trio.lowlevel.TrioToken | None = None
        self._finish: trio.Event | None = None
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(
            target=trio.run, args=(self._main,), name=f"websocket {url}", daemon=True
        )
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            raise self._error

    async def _main(self) -> None:
        try:
            async with _async_connect(self._url, **self._options) as ws:
                self._ws, self._token, self._finish = ws, trio.lowlevel.current_trio_token(), trio.Event()
                self._ready.set()
                await self._finish.wait()
        except BaseException as e:  # noqa: BLE001 - handed to the thread that called connect()
            if not self._ready.is_set():
                self._error = e
                self._ready.set()
            elif not isinstance(e, (trio.Cancelled, ConnectionClosedOK, ConnectionClosedError)):
                raise

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return trio.from_thread.run(fn, *args, trio_token=self._token)
        except trio.RunFinishedError:
            raise ConnectionClosedOK(
                Cr.NS_OK, "the connection was closed", self.close_code, self.close_reason
            ) from None

    @property
    def _socket(self) -> WebSocket:
        assert self._ws is not None
        return self._ws

    # -- the WebSocket's surface --------------------------------------------------------------

    @property
    def channel(self) -> Any:
        """The nsIWebSocketChannel underneath."""
        return self._socket.channel

    @property
    def subprotocol(self) -> str:
        return self._socket.subprotocol

    @property
    def extensions(self) -> str:
        return self._socket.extensions

    @property
    def url(self) -> str:
        return self._socket.url

    @property
    def close_code(self) -> int | None:
        return self._socket.close_code

    @property
    def close_reason(self) -> str:
        return self._socket.close_reason

    def send(self, message: Message) -> None:
        """Send a text (str) or binary (bytes) message; blocks while the write limit is reached."""
        self._call(self._socket.send, message)

    def recv(self, timeout: float | None = None) -> Message:
        """The next message; TimeoutError after *timeout* seconds without one."""
        return self._call(_recv, self._socket, timeout)  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Message]:
        while True:
            try:
                yield self.recv()
            except ConnectionClosedOK:
                return

    def close(self, code: int = 1000, reason: str = "") -> None:
        """The closing handshake; then the connection's thread ends."""
        if self._thread.is_alive() and self._token is not None:
            try:
                self._call(self._socket.close, code, reason)
            finally:
                self._end()

    def _end(self) -> None:
        finish = self._finish
        if finish is not None:
            try:
                trio.from_thread.run_sync(finish.set, trio_token=self._token)
            except trio.RunFinishedError:
                pass
        self._thread.join()

    def __enter__(self) -> ClientConnection:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self.close(1000 if exc is None else 1011 if isinstance(exc, Exception) else 1001)
        except (ConnectionClosedOK, ConnectionClosedError):
            pass


async def _recv(ws: WebSocket, timeout: float | None) -> Message:
    if timeout is None:
        return await ws.recv()
    with trio.move_on_after(timeout):
        return await ws.recv()
    raise TimeoutError(f"no message within {timeout} s")


def connect(url: str, **options: Any) -> ClientConnection:
    """Open a blocking WebSocket: ``with connect(url) as ws``.  Takes the keyword options of
    :func:`components.websocket.connect`; a failed open raises ConnectionClosedError."""
    return ClientConnection(url, options)

