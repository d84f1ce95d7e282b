"""A small, fast WebSocket echo server on trio, bound to loopback.

It exists for three users: the CLI (``wschannel`` without a URL talks to one it
starts itself, so the "run the main job" command works on a fresh machine), the
tests (a real peer that needs no extra package), and the benchmarks (a peer
whose own cost is small).  It is *not* a general server: no TLS, no
extensions, one handler shape.

Theory of operation
-------------------
Per connection: read the HTTP/1.1 upgrade request (bounded to 16 KiB), answer
101 with the computed ``Sec-WebSocket-Accept`` (and the first offered
subprotocol that the server was told to accept), then loop: receive whatever
bytes are available, cut every complete frame out of the buffer, unmask it and
queue the echo, and write all echoes of that receive with one ``send_all``.
Frames are echoed frame by frame (opcode and FIN kept), so a fragmented message
comes back fragmented and memory stays bounded by the largest frame.  Pings are
answered with pongs, a Close is echoed as it came and then the server closes TCP (the
server closes first, as RFC 6455 §7.1.1 asks).  A protocol error (unmasked
frame, reserved opcode) gets Close 1002.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import partial
from typing import Final

import trio

from components.websocket.protocol.mask import mask

__all__ = ["MAX_REQUEST", "handle_connection", "open_echo_server", "serve_echo"]

GUID: Final = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_REQUEST: Final = 16384
RECEIVE_SIZE: Final = 262144
MAX_FRAME: Final = 1 << 30


def _accept(key: bytes) -> bytes:
    return base64.b64encode(hashlib.sha1(key + GUID).digest())


def _header(b0: int, n: int) -> bytes:
    if n < 126:
        return bytes((b0, n))
    if n < 65536:
        return struct.pack("!BBH", b0, 126, n)
    return struct.pack("!BBQ", b0, 127, n)


async def _read_request(stream: trio.abc.Stream) -> tuple[dict[bytes, bytes], bytes] | None:
    buf = bytearray()
    while (end := buf.find(b"\r\n\r\n")) < 0:
        if len(buf) > MAX_REQUEST:
            return None
        chunk = await stream.receive_some(MAX_REQUEST)
        if not chunk:
            return None
        buf += chunk
    headers: dict[bytes, bytes] = {}
    for line in bytes(buf[:end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        # Repeated headers are joined with commas, as HTTP allows for list headers.
        headers[name] = headers[name] + b", " + value.strip() if name in headers else value.strip()
    return headers, bytes(buf[end + 4 :])


async def handle_connection(stream: trio.abc.Stream, protocols: Sequence[str] = ()) -> None:
    """Serve one echo connection on *stream* (closed on return)."""
    async with stream:
        try:
            await _handle(stream, protocols)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            pass


async def _handle(stream: trio.abc.Stream, protocols: Sequence[str]) -> None:
    request = await _read_request(stream)
    if request is None:
        return
    headers, rest = request
    key = headers.get(b"sec-websocket-key")
    if key is None or b"websocket" not in headers.get(b"upgrade", b"").lower():
        await stream.send_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return
    response = [
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + _accept(key) + b"\r\n"
    ]
    offered = [p.strip() for p in headers.get(b"sec-websocket-protocol", b"").decode("latin-1").split(",")]
    chosen = next((p for p in offered if p and p in protocols), None)
    if chosen:
        response.append(b"Sec-WebSocket-Protocol: " + chosen.encode("latin-1") + b"\r\n")
    response.append(b"\r\n")
    await stream.send_all(b"".join(response))

    buf = bytearray(rest)
    while True:
        out: list[bytes] = []
        pos, size = 0, len(buf)
        closing = False
        while size - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            n = b1 & 0x7F
            head = 2
            if n == 126:
                if size - pos < 4:
                    break
                n = (buf[pos + 2] << 8) | buf[pos + 3]
                head = 4
            elif n == 127:
                if size - pos < 10:
                    break
                (n,) = struct.unpack_from("!Q", buf, pos + 2)
                head = 10
            if not b1 & 0x80 or b0 & 0x70 or (b0 & 0x0F) not in (0, 1, 2, 8, 9, 10):
                out.append(b"\x88\x02\x03\xea")  # 1002: unmasked, RSV or reserved opcode
                closing = True
                break
            if n > MAX_FRAME:
                out.append(b"\x88\x02\x03\xf1")  # 1009: bigger than we buffer
                closing = True
                break
            if size - pos < head + 4 + n:
                break
            key = bytes(buf[pos + head : pos + head + 4])
            start = pos + head + 4
            payload = mask(memoryview(buf)[start : start + n], key)
            pos = start + n
            opcode = b0 & 0x0F
            if opcode == 9:  # ping -> pong, same payload
                out.append(_header(0x8A, n) + payload)
            elif opcode == 10:  # unsolicited pong: ignore
                pass
            elif opcode == 8:  # close: echo it (code and reason) and hang up
                out.append(_header(0x88, n) + payload)
                closing = True
                break
            else:
                out.append(_header(b0 & 0x8F, n) + payload)
        if pos:
            del buf[:pos]
        if out:
            await stream.send_all(b"".join(out))
        if closing:
            return
        chunk = await stream.receive_some(RECEIVE_SIZE)
        if not chunk:
            return
        buf += chunk


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
