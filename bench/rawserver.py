"""Fallback echo server when picows is not installed: plain asyncio (uvloop when available).

Same two resources as bench/server.py (echo everything; /discard swallows data frames), same
"PORT <n>" line and stdin-EOF exit. Never negotiates permessage-deflate. Slower than picows
(unmasking is done with Python big-int XOR), so the runner says which server it used.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import struct
import sys
from typing import Any

from bench.common import raise_nofile

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_FRAME = 1 << 30


def unmask(data: bytes | bytearray | memoryview, key: bytes) -> bytes:
    # One XOR of two big integers: C speed without a C extension (the key tiled to the length).
    n = len(data)
    if not n:
        return b""
    tiled = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "little") ^ int.from_bytes(tiled, "little")).to_bytes(n, "little")


def header(b0: int, n: int) -> bytes:
    if n < 126:
        return bytes((b0, n))
    if n < 65536:
        return struct.pack("!BBH", b0, 126, n)
    return struct.pack("!BBQ", b0, 127, n)


class Echo(asyncio.Protocol):
    def __init__(self) -> None:
        self.buf = bytearray()
        self.upgraded = False
        self.discard = False
        self.transport: Any = None    # asyncio's or uvloop's transport (not a common subclass)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if not self.upgraded:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > 65536 and self.transport is not None:
                    self.transport.close()
                return
            head = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
            del self.buf[: end + 4]
            key = b""
            for line in head[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "sec-websocket-key":
                    key = value.strip().encode()
            self.discard = head[0].split(" ")[1].startswith("/discard") if " " in head[0] else False
            accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
            assert self.transport is not None
            self.transport.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                 b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
            self.upgraded = True
        self.frames()

    def frames(self) -> None:
        buf, t = self.buf, self.transport
        assert t is not None
        pos, n = 0, len(buf)
        while n - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            length, hdr = b1 & 0x7F, 2
            if length == 126:
                if n - pos < 4:
                    break
                length, hdr = struct.unpack_from("!H", buf, pos + 2)[0], 4
            elif length == 127:
                if n - pos < 10:
                    break
                length, hdr = struct.unpack_from("!Q", buf, pos + 2)[0], 10
            if length > MAX_FRAME:
                t.close()
                return
            start = pos + hdr + 4
            if n < start + length:
                break
            key = bytes(buf[pos + hdr : start])
            opcode = b0 & 0x0F
            if opcode == 8:                       # close: echo, then hang up
                t.write(header(b0, length) + unmask(memoryview(buf)[start : start + length], key))
                t.close()
                del buf[:]
                return
            if opcode == 9:                       # ping -> pong
                t.write(header(0x8A, length) + unmask(memoryview(buf)[start : start + length], key))
            elif opcode in (0, 1, 2) and not self.discard:
                t.write(header(b0, length) + unmask(memoryview(buf)[start : start + length], key))
            pos = start + length
        del buf[:pos]


async def serve(port: int, lifetime: float) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, "127.0.0.1", port, backlog=2048)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    stdin_closed = loop.create_future()

    def on_stdin() -> None:
        if not sys.stdin.buffer.read1(4096) and not stdin_closed.done():
            stdin_closed.set_result(None)

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    try:
        await asyncio.wait_for(stdin_closed, timeout=lifetime)
    except TimeoutError:
        pass
    finally:
        loop.remove_reader(sys.stdin.fileno())
        server.close()


def main(port: int = 0, lifetime: float = 7200.0) -> None:
    raise_nofile()
    try:
        import uvloop

        uvloop.run(serve(port, lifetime))
    except ImportError:
        asyncio.run(serve(port, lifetime))
