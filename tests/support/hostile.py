"""A hostile server for the channel end to end: after a correct opening handshake it sends random
and mutated frames, and every connection is checked.

    from support.hostile import run_hostile

    report = await run_hostile(1000, seed=6455)      # 1000 connections, 20 at a time
    assert report.problems == [], report.summary()

Each connection gets its own stream from :func:`random_stream` (seeded, so a run is
repeatable): valid frames of every kind (text, binary, fragments with control frames between
them, pings, pongs, closes with valid and invalid codes and reasons, compressed messages),
then mutations of them (a flipped bit, a truncated or duplicated piece, bytes inserted), raw
garbage, lying lengths; cut at random points into writes, with pauses between some.  Every
other connection negotiates permessage-deflate, so compressed frames are valid on some and
violations on others.  The client is the channel, through ``Cc``/``Ci``, with a listener that
echoes every message back (the send path runs while the receive path fails), and the raw
server checks every frame the client sends (masking, lengths, no frame after its Close...).

What :func:`run_hostile` reports as a problem (``HostileReport.problems``):

* a connection whose listener saw anything but exactly one onStop, last (the listener
  contract of ``support.listener``: no callback after onStop, none before asyncOpen returned,
  onError at most once, ...), or that never stopped (hang guard);
* an onStop status that is not one of :data:`DOCUMENTED` (the README's statuses a server can
  cause; NS_ERROR_FAILURE is never one: the listener never raises);
* a frame from the client that breaks RFC 6455 (the raw server's checks);
* a record of level ERROR or above logged under ``components`` (a traceback).

``python -m fuzz channel --connections N`` runs the same thing at any size.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import trio

from components import Cr
from support.listener import RecordingListener, run_channel, status_name
from support.rawserver import (
    OP_BINARY,
    OP_CLOSE,
    OP_CONT,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    Peer,
    RawServer,
    build_frame,
    close_payload,
    deflate_message,
)

__all__ = ["DOCUMENTED", "HostileReport", "random_stream", "run_hostile"]

#: The statuses the README documents for what a server can cause.
DOCUMENTED = frozenset({
    Cr.NS_OK,
    Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED,
    Cr.NS_ERROR_ILLEGAL_VALUE,
    Cr.NS_ERROR_CANNOT_CONVERT_DATA,
    Cr.NS_ERROR_FILE_TOO_BIG,
    Cr.NS_ERROR_INVALID_CONTENT_ENCODING,
    Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL,
    Cr.NS_BASE_STREAM_CLOSED,
})

_TEXTS = ("", "héllo", "ascii text", "€uro 😀", "x" * 130)
_CLOSE_CODES = (1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1011, 1015, 1016, 2999, 3000, 4999, 5000, 0)


def _valid_piece(rng: random.Random) -> bytes:
    """One well-formed frame or fragmented message of the kinds a server sends."""
    kind = rng.random()
    if kind < 0.25:
        return build_frame(OP_TEXT, rng.choice(_TEXTS).encode())
    if kind < 0.4:
        return build_frame(OP_BINARY, rng.randbytes(rng.choice((0, 1, 125, 126, 300, 70000))))
    if kind < 0.55:
        # A fragmented message, control frames between its fragments.
        opcode = rng.choice((OP_TEXT, OP_BINARY))
        data = rng.choice(_TEXTS).encode() if opcode == OP_TEXT else rng.randbytes(rng.randint(0, 50))
        cuts = sorted(rng.sample(range(len(data) + 1), min(len(data) + 1, rng.randint(1, 4))))
        parts = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
        out = b""
        for i, part in enumerate(parts):
            out += build_frame(opcode if i == 0 else OP_CONT, part, fin=i == len(parts) - 1)
            if rng.random() < 0.3:
                out += build_frame(rng.choice((OP_PING, OP_PONG)), rng.randbytes(rng.randint(0, 10)))
        return out
    if kind < 0.7:
        return build_frame(rng.choice((OP_PING, OP_PONG)), rng.randbytes(rng.choice((0, 1, 125))))
    if kind < 0.85:
        # Compressed (RSV1): valid where permessage-deflate was negotiated, a violation elsewhere.
        data = rng.choice(_TEXTS).encode() * rng.randint(1, 50)
        return build_frame(rng.choice((OP_TEXT, OP_BINARY)), deflate_message(data), rsv1=True)
    code = rng.choice(_CLOSE_CODES)
    reason = rng.choice(("", "bye", "é" * 61, "x" * 124)).encode()
    if rng.random() < 0.1:
        reason = b"\xff\xfe"  # not UTF-8
    return build_frame(OP_CLOSE, close_payload(code, reason) if code else b"")


def _mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        if not out:
            break
        pos = rng.randrange(len(out))
        op = rng.random()
        if op < 0.4:
            out[pos] ^= 1 << rng.randrange(8)  # one flipped bit
        elif op < 0.55:
            out[pos] = rng.choice((0x00, 0x7E, 0x7F, 0x80, 0xFF))
        elif op < 0.7:
            del out[pos : pos + rng.randint(1, 8)]
        elif op < 0.85:
            out[pos:pos] = rng.randbytes(rng.randint(1, 8))
        else:
            out[pos:pos] = out[pos : pos + rng.randint(1, 16)]
    return bytes(out)


def random_stream(rng: random.Random) -> list[bytes]:
    """The writes of one hostile server after the handshake (see the module docs)."""
    pieces: list[bytes] = []
    for _ in range(rng.randint(1, 8)):
        kind = rng.random()
        if kind < 0.55:
            pieces.append(_valid_piece(rng))
        elif kind < 0.85:
            pieces.append(_mutate(rng, _valid_piece(rng)))
        elif kind < 0.92:
            # A lying length: declared longer than sent, or with the 64-bit top bit set.
            pieces.append(build_frame(rng.choice((OP_TEXT, OP_BINARY, OP_PING)), b"ab",
                                      length=rng.choice((3, 200, 1 << 40, 1 << 63)),
                                      length_bytes=rng.choice((None, 2, 8))))
        else:
            pieces.append(rng.randbytes(rng.randint(1, 40)))
    data = b"".join(pieces)
    if rng.random() < 0.2:
        data = _mutate(rng, data)
    if len(data) < 2:
        return [data]
    cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randint(0, 4))))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


@dataclass
class HostileReport:
    connections: int = 0
    stops: int = 0
    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        statuses = ", ".join(f"{status_name(s)} {n}" for s, n in self.statuses.most_common())
        rate = self.connections / self.seconds if self.seconds else 0.0
        head = (f"{self.connections} connections in {self.seconds:.1f} s ({rate:.0f}/s), "
                f"{self.stops} onStop; statuses: {statuses}")
        if not self.problems:
            return head + "; no problem"
        return head + f"; {len(self.problems)} problems:\n  " + "\n  ".join(self.problems[:20])


class _Errors(logging.Handler):
    def __init__(self, report: HostileReport) -> None:
        super().__init__(logging.ERROR)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        self.report.problems.append(f"logged: {record.name}: {record.getMessage()}"
                                    + (" (with a traceback)" if record.exc_info else ""))


def _echo(lis: RecordingListener, msg: str | bytes) -> None:
    if isinstance(msg, str):
        lis.channel.sendMsg(msg)
    else:
        lis.channel.sendBinaryMsg(msg)


async def run_hostile(connections: int, seed: int = 6455, concurrency: int = 20) -> HostileReport:
    """Open *connections* channels to hostile servers (see the module docs) and check each one."""
    rng = random.Random(seed)
    streams = [random_stream(rng) for _ in range(connections)]
    pauses = [rng.random() < 0.3 for _ in range(connections)]
    report = HostileReport(connections)
    handler = _Errors(report)
    logger = logging.getLogger("components")
    logger.addHandler(handler)
    start = time.monotonic()

    async def script(peer: Peer) -> None:
        assert peer.request is not None
        index = int(peer.request.target.lstrip("/"))  # each connection asks for its own stream
        try:
            for piece in streams[index]:
                await peer.send(piece)
                await (trio.sleep(0.001) if pauses[index] else trio.sleep(0))
            with trio.move_on_after(2):
                await peer.drain_until_eof()
        except trio.BrokenResourceError:
            pass  # the client closed first: that is its right after a failure
        except Exception as exc:  # noqa: BLE001 - a client frame broke the protocol
            report.problems.append(f"connection {index}: the client sent {type(exc).__name__}: {exc}")

    try:
        async with (RawServer(script, finish_timeout=60) as plain,
                    RawServer(script, finish_timeout=60, extensions="permessage-deflate") as deflating):
            limiter = trio.CapacityLimiter(concurrency)

            async def one(index: int) -> None:
                # Even connections plain, odd ones with permessage-deflate negotiated.
                url = (deflating if index % 2 else plain).url_for(f"/{index}")
                async with limiter:
                    lis = RecordingListener(on_message=_echo, on_binary=_echo)
                    try:
                        await run_channel(url, lis, timeout=20)
                    except (AssertionError, trio.TooSlowError) as exc:
                        report.problems.append(f"connection {index}: {type(exc).__name__}: {exc}")
                    stops = lis.of("stop")
                    report.stops += len(stops)
                    if lis.status is not None:
                        report.statuses[lis.status] += 1
                        if lis.status not in DOCUMENTED:
                            report.problems.append(
                                f"connection {index}: undocumented status {status_name(lis.status)}, "
                                f"stream {streams[index]!r:.200}")

            async with trio.open_nursery() as nursery:
                for index in range(connections):
                    nursery.start_soon(one, index)
    finally:
        logger.removeHandler(handler)
        report.seconds = time.monotonic() - start
    if report.stops != connections:
        report.problems.append(f"{report.stops} onStop calls for {connections} connections")
    return report
