"""RFC 6455 §7.1.7 with order kept: what precedes a violation in the byte stream is delivered,
and the listener's replies to it leave before the failing Close; whatever the server sends,
onStop's status is a documented one (support.hostile: 1000 connections of random and mutated
frames).

The Autobahn|Testsuite's cases 3.2-3.4, 4.1.3-4.2.4 and 5.15 have this shape: a message, then a
frame that breaks the protocol, in one TCP segment; the suite waits for the echo of the message
before it accepts the Close.
"""

from __future__ import annotations

import pytest
from support.hostile import run_hostile
from support.listener import RecordingListener, run_channel
from support.rawserver import OP_BINARY, OP_TEXT, RawServer, build_frame

from components import Cr

pytestmark = pytest.mark.timeout(240)

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


async def test_random_frames_always_end_in_one_documented_status() -> None:
    # A server that completes the handshake and then sends random and mutated frames (half the
    # connections with permessage-deflate negotiated): every connection ends with exactly one
    # onStop, its status documented, never NS_ERROR_FAILURE, the client's frames stay valid and
    # no traceback is logged.  `python -m fuzz channel --connections N` runs it at any size.
    report = await run_hostile(1000, seed=6455)
    assert report.problems == [], report.summary()
    assert report.stops == 1000
    assert len(report.statuses) >= 5, report.summary()  # the streams reach most of the statuses
