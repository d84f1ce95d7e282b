"""The raw trio floor: what trio itself costs per round trip, with (almost) no WebSocket code.

One prebuilt, masked 64-byte text frame is sent with one send_all; the reply is "parsed" by
counting bytes (the echo of a 64-byte text frame is exactly 66 bytes: 2-byte header, unmasked
payload). A real client cannot beat this by much on a trio SocketStream; it is the yardstick
for how much the channel's own Python adds on top of trio's per-call overhead."""
from __future__ import annotations

import base64
import os
from urllib.parse import urlsplit

import trio

from bench.common import TEXT_64, Clock, Params, Result, rate

REPLY = 2 + 64


def _frame() -> bytes:
    key = os.urandom(4)
    payload = TEXT_64.encode()
    masked = bytes(b ^ key[i & 3] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + key + masked


async def _open(url: str) -> trio.SocketStream:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    stream = await trio.open_tcp_stream(parts.hostname, parts.port)
    key = base64.b64encode(os.urandom(16))
    await stream.send_all(
        b"GET /echo HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
        % (parts.hostname.encode(), parts.port, key)
    )
    head = b""
    with trio.fail_after(10):
        while b"\r\n\r\n" not in head:
            chunk = await stream.receive_some(4096)
            if not chunk:
                raise ConnectionError("server closed during the handshake")
            head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
    return stream


async def _round_trips(stream: trio.SocketStream, frame: bytes, n: int) -> None:
    for _ in range(n):
        await stream.send_all(frame)
        got = 0
        while got < REPLY:
            chunk = await stream.receive_some(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            got += len(chunk)


async def _rtt(url: str, p: Params) -> Result:
    stream = await _open(url)
    frame = _frame()
    await _round_trips(stream, frame, p.warmup)
    t0 = Clock()
    await _round_trips(stream, frame, p.count)
    dt = t0.stop()
    await stream.aclose()
    return rate(p.count, dt, "msg/s")


async def _pipe(url: str, p: Params) -> Result:
    # Same floor for the pipelined case: refill the window with one joined send_all per read.
    stream = await _open(url)
    frame = _frame()
    await _round_trips(stream, frame, p.warmup)
    t0 = Clock()
    sent = min(p.window, p.count)
    await stream.send_all(frame * sent)
    pending = 0
    received = 0
    while received < p.count:
        chunk = await stream.receive_some(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        pending += len(chunk)
        done, pending = divmod(pending, REPLY)
        received += done
        more = min(done, p.count - sent)
        if more:
            sent += more
            await stream.send_all(frame * more)
    dt = t0.stop()
    await stream.aclose()
    return rate(p.count, dt, "msg/s")


WORKLOADS = {
    "rtt": lambda url, p: trio.run(_rtt, url, p),
    "pipe": lambda url, p: trio.run(_pipe, url, p),
}
