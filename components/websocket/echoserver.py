"""A small, fast WebSocket echo server on trio, bound to loopback.

It exists for three users: the CLI (``wschannel`` without a URL talks to one it
starts itself, so the "run the main job" command works on a fresh machine), the
tests (a real peer that needs no extra package), and the benchmarks (a peer
whose own cost is small).  It is *not* a general server: no TLS of its own (a
caller may wrap it, as ``serve_ssl_over_tcp`` does), no extensions, one handler
shape.

Theory of operation
-------------------
The protocol is the sans-I/O core's, exactly as the channel's is: this module
only moves bytes.  Per connection: :class:`~.protocol.handshake.ServerHandshake`
reads the upgrade request (at most :data:`MAX_REQUEST` bytes) and writes the
101 (with the first subprotocol the client offered that the server was told to
accept) or the error answer (400, or 426 for a WebSocket version other than
13); then a server-role :class:`~.protocol.connection.Connection` decodes
whatever each ``receive_some`` returned, and everything that answers that
batch -- the Pongs the core produced, then the echoes -- goes out in one
``send_all``.

* Messages are echoed as *messages*: a fragmented message is reassembled by
  the core and comes back as one frame, of the same type (text or binary).
* Pings are answered by the core (a Pong with the same payload); unsolicited
  Pongs are ignored.
* A Close is echoed with its code and reason (none for an empty one), then the
  server closes TCP: the server closes first, as RFC 6455 §7.1.1 asks.
* A protocol error (an unmasked frame, a reserved opcode, invalid UTF-8, ...)
  gets the Close the core's failure names (1002, 1007, 1009), after the echoes
  of the messages before it, then TCP is closed.
* Memory is bounded per connection: a message may be at most
  :data:`MAX_MESSAGE` (64 MiB, the channel's default
  ``network.websocket.max-message-size``, so whatever a channel with default
  preferences may send comes back); a bigger one gets Close 1009 as soon as its
  header says so.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import partial
from typing import Final

import trio

from components.websocket.protocol.connection import (
    DEFAULT_MAX_MESSAGE_SIZE,
    BinaryMessage,
    CloseReceived,
    Connection,
    ProtocolFailure,
    Role,
    TextMessage,
    echo_code,
)
from components.websocket.protocol.handshake import RequestRejected, ServerHandshake

__all__ = ["MAX_MESSAGE", "MAX_REQUEST", "handle_connection", "open_echo_server", "serve_echo"]

MAX_REQUEST: Final = 16384
MAX_MESSAGE: Final = DEFAULT_MAX_MESSAGE_SIZE
RECEIVE_SIZE: Final = 262144


async def handle_connection(stream: trio.abc.Stream, protocols: Sequence[str] = ()) -> None:
    """Serve one echo connection on *stream* (closed on return)."""
    async with stream:
        try:
            await _handle(stream, protocols)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            pass


async def _handle(stream: trio.abc.Stream, protocols: Sequence[str]) -> None:
    handshake = ServerHandshake(max_request_size=MAX_REQUEST)
    try:
        while True:
            chunk = await stream.receive_some(MAX_REQUEST)
            if not chunk:
                return  # gone before a complete request: nobody to answer
            request = handshake.receive_data(chunk)
            if request is not None:
                break
    except RequestRejected as exc:
        await stream.send_all(handshake.reject(exc.http_status))
        return
    chosen = next((p for p in request.protocols if p in protocols), None)
    await stream.send_all(handshake.accept(subprotocol=chosen))

    conn = Connection(Role.SERVER, max_message_size=MAX_MESSAGE)
    conn.establish()
    data: bytes | bytearray = request.leftover
    while True:
        out: list[bytes] = []
        closing = False
        for ev in conn.receive_data(data) if data else ():
            if isinstance(ev, TextMessage):
                out.append(conn.send_text(ev.data))
            elif isinstance(ev, BinaryMessage):
                out.append(conn.send_binary(ev.data))
            elif isinstance(ev, CloseReceived):
                code = echo_code(ev.code)
                out.append(conn.send_close(code, ev.reason if code else ""))
                closing = True
            elif isinstance(ev, ProtocolFailure):
                out.append(conn.fail(ev.code))  # after the echoes of what came before it
                closing = True
        wire = conn.take_control()
        if out:
            wire += b"".join(out)
        if wire:
            await stream.send_all(wire)
        if closing:
            return
        data = await stream.receive_some(RECEIVE_SIZE)
        if not data:
            return


async def serve_echo(
    port: int = 0,
    host: str = "127.0.0.1",
    *,
    protocols: Sequence[str] = (),
    task_status: trio.TaskStatus[int] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Serve echo connections forever; ``task_status.started(port)`` once listening."""
    listeners = await trio.open_tcp_listeners(port, host=host)
    async with trio.open_nursery() as nursery:
        # serve_listeners reports the listeners; we report the bound port, which is what
        # callers want when they asked for port 0.
        await nursery.start(partial(trio.serve_listeners, partial(handle_connection, protocols=protocols),
                                    listeners))
        task_status.started(listeners[0].socket.getsockname()[1])


@asynccontextmanager
async def open_echo_server(
    port: int = 0, host: str = "127.0.0.1", *, protocols: Sequence[str] = ()
) -> AsyncIterator[int]:
    """``async with open_echo_server() as port:`` -- an echo server for the block's duration."""
    async with trio.open_nursery() as nursery:
        bound = await nursery.start(partial(serve_echo, port, host, protocols=protocols))
        try:
            yield bound
        finally:
            nursery.cancel_scope.cancel()


def main() -> None:  # pragma: no cover - manual use: python -m components.websocket.echoserver [PORT]
    import sys

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9001

    async def run() -> None:
        async with trio.open_nursery() as nursery:
            got = await nursery.start(partial(serve_echo, port))
            print(f"echo server on ws://127.0.0.1:{got}/", flush=True)

    try:
        trio.run(run)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":  # pragma: no cover
    main()
