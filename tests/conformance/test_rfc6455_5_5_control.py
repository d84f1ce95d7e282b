"""RFC 6455 sections 5.5, 5.5.2, 5.5.3: control frames, Ping and Pong."""

from __future__ import annotations

import pytest
import trio.testing
from support.cases import expect_failure, pattern
from support.listener import RecordingListener, run_channel
from support.rawserver import OP_PING, OP_PONG, OP_TEXT, RawServer, build_frame

from components import Cr

pytestmark = pytest.mark.timeout(30)


@pytest.mark.parametrize("payload", [b"", b"x", b"\xff\x00\xfe binary", pattern(125)],
                         ids=["empty", "1", "binary", "125"])
async def test_ping_answered_with_pong_of_the_same_payload(payload: bytes) -> None:
    got = {}

    async def script(peer):
        await peer.send_ping(payload)
        m = await peer.recv_message()
        got["pong"] = m
        await peer.close_handshake(1000)
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert got["pong"].kind == "pong" and got["pong"].data == payload
    assert lis.messages == [], "a ping is not a message"


async def test_ten_pings_answered_in_order() -> None:
    """RFC 6455 5.5.3: pongs echo their ping; a client MAY answer only the latest of a burst."""

    async def script(peer):
        await peer.send(b"".join(build_frame(OP_PING, b"%d" % i) for i in range(10)))
        seen = []
        while not seen or seen[-1] != b"9":
            m = await peer.recv_message()
            assert m.kind == "pong"
            seen.append(m.data)
        assert seen == sorted(seen, key=int) and len(set(seen)) == len(seen), seen
        assert set(seen) <= {b"%d" % i for i in range(10)}
        await peer.close_handshake(1000)
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)


async def test_unsolicited_pong_is_ignored() -> None:
    async def script(peer):
        await peer.send(build_frame(OP_PONG, b"") + build_frame(OP_PONG, b"surprise")
                        + build_frame(OP_TEXT, b"still open"))
        await peer.close_handshake(1000)
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["still open"]


@pytest.mark.parametrize("opcode", [OP_PING, OP_PONG, 0x8])
async def test_control_frame_over_125_bytes_fails_1002(opcode: int) -> None:
    payload = b"\x03\xe8" + b"r" * 124 if opcode == 0x8 else b"p" * 126
    await expect_failure(build_frame(opcode, payload), status=Cr.NS_ERROR_ILLEGAL_VALUE,
                         close_code=1002)


async def test_control_frame_with_16_bit_length_fails_1002() -> None:
    await expect_failure(build_frame(OP_PING, b"short", length_bytes=2),
                         status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)


@pytest.mark.timeout(60)
async def test_pong_goes_before_data_queued_earlier() -> None:
    """The pong jumps the queue: it is written before data the listener queued before the ping.

    Deterministic set-up: the client is made to write a message far bigger than the loopback
    socket buffers while the server does not read, so its write blocks. The server then sends
    "go" (the listener queues "queued"), then a Ping: both queued behind the blocked write.
    The Ping is sent only after the listener got "go", so the two are queued separately; a
    "sync" message after the Ping tells the server the Ping was processed. When the server
    reads again: the big message, then the Pong, then "queued" (then "sync" is not echoed).
    """
    big = pattern(24 << 20, seed=3)
    order = []

    def on_start(lis):
        lis.channel.sendBinaryMsg(big)

    def on_message(lis, msg):
        if msg == "go":
            lis.channel.sendMsg("queued")

    async def script(peer):
        first = await peer.receive_raw(1)  # the big write has begun (and cannot finish yet)
        # Until every task is blocked: the client's writer is then stuck inside the big write,
        # so "queued" cannot be coalesced into that write (it would be committed before the
        # Ping exists: the coalescing writer's only ordering limit, and not what we test).
        await trio.testing.wait_all_tasks_blocked(0.05)
        await peer.send(build_frame(OP_TEXT, b"go"))
        await lis.wait_for("message")  # "queued" is queued now, behind the blocked write
        await peer.send(build_frame(OP_PING, b"ping!") + build_frame(OP_TEXT, b"sync"))
        await lis.wait_for("message", 2)  # frames are processed in order: the pong is queued
        peer.buf[:0] = first  # put back the byte read above
        m = await peer.recv_message()
        assert m.kind == "binary" and m.data == big
        for _ in range(2):
            m = await peer.recv_message()
            order.append((m.kind, m.data))
        await peer.close_handshake(1000)
        await peer.aclose()

    lis = RecordingListener(on_start=on_start, on_message=on_message)
    async with RawServer(script, rcvbuf=64 << 10) as srv:  # small, fixed: the big write blocks
        await run_channel(srv.url, lis, timeout=50)
    lis.expect_status(Cr.NS_OK)
    assert order == [("pong", b"ping!"), ("text", b"queued")]
