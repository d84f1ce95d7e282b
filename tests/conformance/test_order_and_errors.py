"""RFC 6455 §7.1.7 with order kept: what precedes a violation in the byte stream is delivered,
and the listener's replies to it leave before the failing Close; whatever the server sends,
onStop's status is a documented one.

The Autobahn|Testsuite's cases 3.2-3.4, 4.1.3-4.2.4 and 5.15 have this shape: a message, then a
frame that breaks the protocol, in one TCP segment; the suite waits for the echo of the message
before it accepts the Close.
"""

from __future__ import annotations

import logging
import random

import pytest
import trio
from support.listener import RecordingListener, run_channel, status_name
from support.rawserver import OP_BINARY, OP_TEXT, RawServer, build_frame

from components import Cr

pytestmark = pytest.mark.timeout(60)

#: The statuses the README documents for what a server can cause.
DOCUMENTED = {
    Cr.NS_OK,
    Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED,
    Cr.NS_ERROR_ILLEGAL_VALUE,
    Cr.NS_ERROR_CANNOT_CONVERT_DATA,
    Cr.NS_ERROR_FILE_TOO_BIG,
    Cr.NS_ERROR_INVALID_CONTENT_ENCODING,
    Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL,
    Cr.NS_BASE_STREAM_CLOSED,
}


def _echo(lis: RecordingListener, msg: str | bytes) -> None:
    if isinstance(msg, str):
        lis.channel.sendMsg(msg)
    else:
        lis.channel.sendBinaryMsg(msg)


def _echoing() -> RecordingListener:
    return RecordingListener(on_message=_echo, on_binary=_echo)


@pytest.mark.parametrize(
    "violation",
    [
        build_frame(OP_TEXT, b"rsv", rsv2=True),  # 3.2: reserved bit
        build_frame(0x3, b""),  # 4.1.x: reserved data opcode
        build_frame(0xB, b""),  # 4.2.x: reserved control opcode
        build_frame(0x0, b"!"),  # 5.15-like: a continuation with nothing to continue
    ],
    ids=["rsv2", "opcode-3", "opcode-11", "stray-continuation"],
)
async def test_the_reply_to_a_message_before_a_violation_goes_out_before_the_close(violation: bytes) -> None:
    got: dict[str, object] = {}

    async def script(peer):
        # Message, violation and a ping in one write: one read on the client side.
        await peer.send(build_frame(OP_TEXT, b"hello") + build_frame(OP_BINARY, b"\x00\x01") + violation
                        + build_frame(0x9, b"late"))
        got["first"] = await peer.recv_frame()
        got["second"] = await peer.recv_frame()
        got["close"] = await peer.recv_frame()
        await peer.drain_until_eof()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, _echoing())
    lis.expect_status(Cr.NS_ERROR_ILLEGAL_VALUE)
    assert lis.messages == ["hello", b"\x00\x01"]
    first, second, close = got["first"], got["second"], got["close"]
    assert (first.opcode, first.payload) == (OP_TEXT, b"hello")
    assert (second.opcode, second.payload) == (OP_BINARY, b"\x00\x01")
    assert close.opcode == 0x8 and close.payload[:2] == (1002).to_bytes(2, "big")


async def test_a_reply_after_the_failure_is_refused_with_an_xpcom_error() -> None:
    # Once the failing Close is queued, the channel cannot send: NS_ERROR_UNEXPECTED, and the
    # exception is an XPCOMError, never the core's RuntimeError.
    from components import XPCOMError

    seen: list[int] = []

    def on_stop(lis: RecordingListener, status: int) -> None:
        try:
            lis.channel.sendMsg("too late")
        except XPCOMError as e:
            seen.append(e.result)

    async def script(peer):
        await peer.send(build_frame(0x3, b""))
        await peer.drain_until_eof()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, RecordingListener(on_stop=on_stop))
    lis.expect_status(Cr.NS_ERROR_ILLEGAL_VALUE)
    assert seen == [Cr.NS_ERROR_NOT_CONNECTED]


def _random_stream(rng: random.Random) -> list[bytes]:
    """A few writes of frames a hostile or broken server might send after the handshake."""
    pieces: list[bytes] = []
    for _ in range(rng.randint(1, 8)):
        kind = rng.random()
        payload = rng.randbytes(rng.choice((0, 1, 5, 125, 126, 300)))
        if kind < 0.3:
            pieces.append(build_frame(OP_TEXT, "héllo".encode() * rng.randint(0, 3)))
        elif kind < 0.45:
            pieces.append(build_frame(OP_BINARY, payload, fin=rng.random() < 0.7))
        elif kind < 0.55:
            pieces.append(build_frame(rng.choice((0x8, 0x9, 0xA)), payload[:125]))
        elif kind < 0.8:
            frame = bytearray(build_frame(rng.choice((0, 1, 2, 8, 9, 10)), payload))
            frame[rng.randrange(len(frame))] ^= 1 << rng.randrange(8)  # one flipped bit
            pieces.append(bytes(frame))
        else:
            pieces.append(rng.randbytes(rng.randint(1, 40)))
    # Cut the concatenation at random points: one write or several.
    data = b"".join(pieces)
    cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randint(0, 3))))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


async def test_random_frames_always_end_in_one_documented_status(caplog: pytest.LogCaptureFixture) -> None:
    # A server that completes the handshake and then sends random and mutated frames: every
    # connection ends with exactly one onStop, its status documented, never NS_ERROR_FAILURE,
    # and no traceback is logged.
    rng = random.Random(6455)
    streams = [_random_stream(rng) for _ in range(300)]
    statuses: list[int] = []

    async def script(peer):
        for piece in streams[peer.index]:
            await peer.send(piece)
            await trio.sleep(0)
        with trio.move_on_after(2):
            await peer.drain_until_eof()

    caplog.set_level(logging.ERROR, logger="components.websocket")
    async with RawServer(script, finish_timeout=30) as srv:
        limiter = trio.CapacityLimiter(20)

        async def one() -> None:
            async with limiter:
                lis = await run_channel(srv.url, _echoing(), timeout=10)
                statuses.append(lis.status)

        async with trio.open_nursery() as nursery:
            for _ in streams:
                nursery.start_soon(one)
    undocumented = [status_name(s) for s in statuses if s not in DOCUMENTED]
    assert len(statuses) == len(streams)
    assert undocumented == []
    assert [r.getMessage() for r in caplog.records] == []
