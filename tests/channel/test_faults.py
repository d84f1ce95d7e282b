"""Injected faults on real loopback sockets: each test states the onStop status it expects.

The server is RawServer (scripts that send any bytes, reset, stop reading) with the socket-level
faults of support.faults (trickled bytes, half-close, TCP cut under TLS). Besides the status,
every test that sends checks that nothing accepted was silently lost: each message a send method
accepted is acknowledged (onAcknowledge, in order), or the connection's end reports it (onStop
not NS_OK, or the server's Close).
"""

from __future__ import annotations

import struct
import time

import pytest
import trio
from support.cases import echo_script, finish_close
from support.faults import cut_tcp, half_close, trickle
from support.listener import RecordingListener, open_channel, run_channel, set_pref
from support.rawserver import (
    OP_BINARY,
    OP_CLOSE,
    OP_CONT,
    OP_PING,
    OP_TEXT,
    RawServer,
    build_frame,
    close_payload,
    handshake_response,
)
from support.tls import client_context, server_context

from components import Cr, XPCOMError

pytestmark = pytest.mark.timeout(90)


def assert_nothing_lost(lis: RecordingListener, sent: list[int]) -> None:
    """Every accepted message (by size, in send order) acknowledged, or the end reports it."""
    acked = lis.acks
    assert acked == sent[:len(acked)], f"acknowledgements {acked[:10]} do not follow the sends {sent[:10]}"
    if len(acked) < len(sent):
        assert lis.status != Cr.NS_OK or lis.server_close is not None, (
            f"{len(sent) - len(acked)} accepted messages neither acknowledged nor reported")


def _send_three(lis: RecordingListener) -> None:
    lis.channel.sendMsg("one")
    lis.channel.sendBinaryMsg(b"two!")
    lis.channel.sendMsg("three")


# -- resets ---------------------------------------------------------------------------------


async def test_peer_reset_mid_frame_is_base_stream_closed() -> None:
    async def script(peer):
        for _ in range(3):
            await peer.recv_data()
        await peer.send(build_frame(OP_BINARY, b"x" * 1000)[:300])
        await trio.sleep(0.05)  # the half frame arrives before the RST
        await peer.abort()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, RecordingListener(on_start=_send_three))
    lis.expect_status(Cr.NS_BASE_STREAM_CLOSED)
    assert lis.messages == []
    assert lis.acks == [3, 4, 5]  # all written before the server read them
    assert_nothing_lost(lis, [3, 4, 5])


@pytest.mark.parametrize("cut", [0, 1, 20, 70])
async def test_peer_reset_mid_handshake_is_connection_refused(cut: int) -> None:
    def respond(request):
        return handshake_response(request)[:cut]  # part of the 101 head, then RST

    async def script(peer):
        await trio.sleep(0.05)
        await peer.abort()

    async with RawServer(script, respond=respond) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    assert lis.kinds() == ["error", "stop"]


# -- a server that stops reading: the send queue is bounded ----------------------------------


async def test_server_that_stops_reading_bounds_the_send_queue() -> None:
    """network.websocket.max-buffered-bytes: accepted, unacknowledged bytes stay under the
    bound; a send beyond it raises NS_ERROR_OUT_OF_MEMORY (not accepted), the connection stays
    open, and once the server reads again every accepted message arrives and is acknowledged.
    (The kernel's socket buffers take a few MiB first: those messages are acknowledged.)"""
    limit, size = 1 << 20, 64 << 10
    reading = trio.Event()
    accepted: list[bytes] = []
    refusals: list[int] = []

    async def script(peer):
        await reading.wait()
        for msg in accepted:
            got = await peer.recv_data()
            assert got.data == msg
        last = await peer.recv_data()
        assert last.text == "after"
        m = await peer.recv_close()
        await finish_close(peer, m)

    lis = RecordingListener()
    with set_pref("network.websocket.max-buffered-bytes", limit):
        async with RawServer(script, rcvbuf=4096) as srv:
            ch = open_channel(srv.url, lis)
            await lis.wait_for("start")
            with trio.fail_after(30):
                while len(refusals) < 50:  # a sender retrying while the server reads nothing
                    try:
                        msg = bytes([len(accepted) % 256]) * size
                        ch.sendBinaryMsg(msg)
                        accepted.append(msg)
                    except XPCOMError as e:
                        refusals.append(e.result)
                        await trio.sleep(0.01)
                    else:
                        await trio.lowlevel.checkpoint()
            assert set(refusals) == {Cr.NS_ERROR_OUT_OF_MEMORY}
            buffered = (len(accepted) - len(lis.acks)) * size
            assert 0 < buffered <= limit, f"{buffered} bytes accepted and not acknowledged"
            reading.set()
            await lis.wait_for("ack", len(accepted))
            ch.sendMsg("after")  # room again
            await lis.wait_for("ack", len(accepted) + 1)
            ch.close(1000, "")
            await lis.wait_stopped()
    lis.expect_status(Cr.NS_OK)
    assert lis.acks == [size] * len(accepted) + [5]


async def test_one_message_above_the_bound_goes_when_nothing_is_buffered() -> None:
    big = b"b" * (300 << 10)

    def start(lis):
        lis.channel.sendBinaryMsg(big)  # alone on an empty queue: accepted
        with pytest.raises(XPCOMError) as e:
            lis.channel.sendMsg("next")  # queued bytes above the bound: refused
        assert e.value.result == Cr.NS_ERROR_OUT_OF_MEMORY

    async def script(peer):
        assert (await peer.recv_data()).data == big
        await peer.close_handshake(1000)
        await peer.aclose()

    with set_pref("network.websocket.max-buffered-bytes", 100 << 10):
        async with RawServer(script, rcvbuf=4096) as srv:
            lis = await run_channel(srv.url, RecordingListener(on_start=start))
    lis.expect_status(Cr.NS_OK)
    assert lis.acks == [len(big)]


async def test_bound_applies_to_sends_from_other_threads() -> None:
    limit, size = 256 << 10, 16 << 10
    reading = trio.Event()
    results: dict[str, object] = {}

    def flood(ch):
        n, refusals = 0, set()
        while len(refusals) < 50:  # retry while the server reads nothing (kernel buffers fill)
            try:
                ch.sendBinaryMsg(b"t" * size)
                n += 1
            except XPCOMError as e:
                refusals.add((e.result, len(refusals)))
                time.sleep(0.01)
        results["errors"] = {r for r, _ in refusals}
        results["accepted"] = n

    async def script(peer):
        await reading.wait()
        for _ in range(results["accepted"]):  # type: ignore[call-overload]
            assert len((await peer.recv_data()).data) == size
        await finish_close(peer, await peer.recv_close())

    lis = RecordingListener()
    with set_pref("network.websocket.max-buffered-bytes", limit):
        async with RawServer(script, rcvbuf=4096) as srv:
            ch = open_channel(srv.url, lis)
            await lis.wait_for("start")
            await trio.to_thread.run_sync(flood, ch)
            assert results["errors"] == {Cr.NS_ERROR_OUT_OF_MEMORY}
            accepted = results["accepted"]
            assert isinstance(accepted, int) and 0 < (accepted - len(lis.acks)) * size <= limit
            reading.set()
            await lis.wait_for("ack", accepted)
            ch.close(1000, "")
            await lis.wait_stopped()
    lis.expect_status(Cr.NS_OK)
    assert lis.acks == [size] * accepted


# -- slow and piecemeal servers -----------------------------------------------------------------


async def test_handshake_trickled_one_byte_a_second_hits_the_open_timeout() -> None:
    async def script(peer):
        await trickle(peer, handshake_response(peer.request), interval=1.0)

    with set_pref("network.websocket.timeout.open", 2):
        async with RawServer(script, respond=b"") as srv:
            lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
    assert lis.kinds() == ["error", "stop"]  # no onStart although bytes kept coming


async def test_one_byte_reads_handshake_and_frames() -> None:
    """Every byte of the 101 and of the frames in its own segment: the client reads one byte at
    a time and still sees exactly the messages, answers the ping and completes the close."""
    fragments = [build_frame(OP_TEXT, "héllo".encode()[:2], fin=False),
                 build_frame(OP_PING, b"p1"),
                 build_frame(OP_CONT, "héllo".encode()[2:])]

    async def script(peer):
        out = handshake_response(peer.request) + build_frame(OP_BINARY, b"\x00\x01" * 200)
        out += b"".join(fragments) + build_frame(OP_TEXT, b"x" * 70_000)[:200]
        await trickle(peer, out, interval=0.0005)
        await peer.send(build_frame(OP_TEXT, b"x" * 70_000)[200:])
        assert (await peer.recv_data()).data == b"\x00\x01" * 200
        assert (await peer.recv_message()).kind == "pong"
        assert (await peer.recv_data()).text == "héllo"
        assert (await peer.recv_data()).text == "x" * 70_000
        await trickle(peer, build_frame(OP_CLOSE, close_payload(1000, "done")), interval=0.0005)
        m = await peer.recv_close()
        assert m.code == 1000
        await peer.aclose()

    lis = RecordingListener(on_message=lambda lis, m: lis.channel.sendMsg(m),
                            on_binary=lambda lis, m: lis.channel.sendBinaryMsg(m))
    async with RawServer(script, respond=b"") as srv:
        await run_channel(srv.url, lis, timeout=60)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [b"\x00\x01" * 200, "héllo", "x" * 70_000]
    assert lis.server_close == (1000, "done")
    assert_nothing_lost(lis, [400, 6, 70_000])


async def test_half_close_without_a_close_frame_is_base_stream_closed() -> None:
    async def script(peer):
        assert (await peer.recv_data()).text == "one"
        await peer.send_text("bye")
        await half_close(peer)  # FIN, but we keep reading
        await peer.expect_eof()  # the client hangs up without a Close (1006 never goes out)

    lis = RecordingListener(on_start=lambda lis: lis.channel.sendMsg("one"))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_BASE_STREAM_CLOSED)
    assert lis.messages == ["bye"]
    assert_nothing_lost(lis, [3])


async def test_half_close_after_the_servers_close_is_clean() -> None:
    """The server sends Close and shuts its side at once: our echoed Close still reaches it."""
    async def script(peer):
        await peer.send_close(1000, "half")
        await half_close(peer)
        m = await peer.recv_close()
        assert m.code == 1000
        await peer.expect_eof()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.server_close == (1000, "half")


async def test_tls_cut_without_close_notify_is_base_stream_closed() -> None:
    async def script(peer):
        assert (await peer.recv_data()).text == "one"
        await peer.send_text("last")
        await trio.sleep(0.05)
        await cut_tcp(peer)  # no close_notify, no Close frame

    lis = RecordingListener(on_start=lambda lis: lis.channel.sendMsg("one"))
    async with RawServer(script, ssl_context=server_context()) as srv:
        await run_channel(srv.url, lis, setup=lambda ch: setattr(ch, "sslContext", client_context()))
    lis.expect_status(Cr.NS_BASE_STREAM_CLOSED)
    assert lis.messages == ["last"]
    assert_nothing_lost(lis, [3])


async def test_tls_cut_without_close_notify_after_the_close_handshake_is_clean() -> None:
    """Truncation after both Closes crossed loses nothing: the close handshake is what counts."""
    async def script(peer):
        await peer.send_close(1000, "")
        await peer.recv_close()
        await cut_tcp(peer)

    async with RawServer(script, ssl_context=server_context()) as srv:
        lis = await run_channel(srv.url, setup=lambda ch: setattr(ch, "sslContext", client_context()))
    lis.expect_status(Cr.NS_OK)


# -- what comes after the 101 ---------------------------------------------------------------


@pytest.mark.parametrize("garbage", [b"GARBAGE\r\n\r\n", b"HTTP/1.1 200 OK\r\n\r\n", b"\xff" * 16])
async def test_101_followed_by_garbage_is_illegal_value(garbage: bytes) -> None:
    """The bytes after the 101 in the same segment are frames: garbage there fails with 1002."""
    async def script(peer):
        m = await peer.recv_close()
        assert m.code == 1002
        await finish_close(peer, m)

    async with RawServer(script, respond=lambda req: handshake_response(req) + garbage) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_ILLEGAL_VALUE)
    assert lis.kinds() == ["start", "error", "stop"]


# -- control frames at their limits -----------------------------------------------------------


async def test_close_with_a_123_byte_reason_is_the_largest_allowed() -> None:
    """2 + 123 = 125 bytes, the control frame limit (RFC 6455 5.5): accepted whole."""
    reason = "é" * 61 + "r"  # 123 bytes of UTF-8

    async def script(peer):
        await peer.send_close(1000, reason)
        m = await peer.recv_close()
        assert m.code == 1000
        await peer.aclose()

    assert len(reason.encode()) == 123
    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.server_close == (1000, reason)


async def test_close_with_a_124_byte_reason_is_a_protocol_error() -> None:
    async def script(peer):
        await peer.send_frame(OP_CLOSE, struct.pack("!H", 1000) + b"r" * 124)  # 126 bytes
        m = await peer.recv_close()
        assert m.code == 1002
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_ILLEGAL_VALUE)
    assert lis.server_close is None


async def test_our_close_reason_of_123_bytes_goes_124_is_refused() -> None:
    got = {}

    async def script(peer):
        got["close"] = m = await peer.recv_close()
        await finish_close(peer, m)

    def start(lis):
        with pytest.raises(XPCOMError) as e:
            lis.channel.close(1000, "é" * 62)  # 124 bytes
        assert e.value.result == Cr.NS_ERROR_ILLEGAL_VALUE
        lis.channel.close(1000, "é" * 61 + "r")

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, RecordingListener(on_start=start))
    lis.expect_status(Cr.NS_OK)
    assert got["close"].reason == "é" * 61 + "r" and len(got["close"].data) == 125


async def test_ping_flood_from_a_server_that_does_not_read() -> None:
    """100,000 pings while the server reads nothing: the client answers, but a Pong not yet
    begun is replaced by the newer one (RFC 6455 5.5.3 allows answering only the latest), so
    its queue stays bounded; the newest ping is answered and the connection closes cleanly."""
    n = 100_000
    reading = trio.Event()
    pongs: list[bytes] = []

    async def script(peer):
        pings = b"".join(build_frame(OP_PING, b"%08d" % i + b"." * 117) for i in range(n))
        await peer.send(pings)
        await peer.send_text("after the flood")
        await reading.wait()
        while True:
            m = await peer.recv_message()
            if m.kind == "pong":
                pongs.append(m.data[:8])
            elif m.kind == "text":
                assert m.text == "after the flood"
                break
        await finish_close(peer, await peer.close_handshake(1000))

    lis = RecordingListener(on_message=lambda lis, m: lis.channel.sendMsg(m))
    async with RawServer(script, rcvbuf=4096) as srv:
        open_channel(srv.url, lis)
        await lis.wait_for("message")
        reading.set()
        await lis.wait_stopped(60)
    lis.expect_status(Cr.NS_OK)
    assert pongs and pongs[-1] == b"%08d" % (n - 1), "the newest ping must be answered"
    assert pongs == sorted(pongs), "pongs out of order"
    assert len(pongs) < n, "every ping answered although the server read nothing: unbounded queue"


async def test_100000_one_byte_fragments_make_one_message() -> None:
    n = 100_000
    text = "".join(chr(ord("a") + i % 26) for i in range(n))

    async def script(peer):
        data = text.encode()
        frames = [build_frame(OP_TEXT, data[:1], fin=False)]
        frames += [build_frame(OP_CONT, data[i:i + 1], fin=False) for i in range(1, n - 1)]
        frames.append(build_frame(OP_CONT, data[-1:], fin=True))
        await peer.send(b"".join(frames))
        assert (await peer.recv_data()).text == text
        await finish_close(peer, await peer.close_handshake(1000))

    lis = RecordingListener(on_message=lambda lis, m: lis.channel.sendMsg(m))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis, timeout=60)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [text]
    assert_nothing_lost(lis, [n])


async def test_echo_script_sanity_under_the_bound() -> None:
    """The default bound (64 MiB) does not get in the way of ordinary pipelining."""
    sent = [10] * 5000

    def start(lis):
        for _ in sent:
            lis.channel.sendMsg("0123456789")
        lis.channel.close(1000, "")

    async with RawServer(echo_script) as srv:
        lis = await run_channel(srv.url, RecordingListener(on_start=start))
    lis.expect_status(Cr.NS_OK)
    assert_nothing_lost(lis, sent)
    assert lis.acks == sent
