"""sendBinaryStream, the open/close timeouts and keepalive, against real loopback servers."""

from __future__ import annotations

import io
import threading

import pytest
import trio
from support.listener import RecordingListener, open_channel, run_channel, set_pref
from support.rawserver import HANG, RawServer

from components import Cr
from components.websocket import session as session_module
from components.websocket.echoserver import open_echo_server

pytestmark = pytest.mark.timeout(60)


class RecordingStream(io.RawIOBase):
    """A binary file object that records the size and thread of every read."""

    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)
        self.pos = 0
        self.reads: list[tuple[int, int]] = []
        self.closed_by_channel = False

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        self.reads.append((n, threading.get_ident()))
        chunk = bytes(self.data[self.pos : self.pos + n])
        self.pos += len(chunk)
        return chunk

    def close(self) -> None:
        self.closed_by_channel = True
        super().close()


async def test_stream_is_sent_as_one_message_read_in_chunks_off_thread() -> None:
    data = bytes(range(256)) * (3 * 4096 + 7)  # ~3 MiB, not a multiple of the chunk
    src = RecordingStream(data)

    def start(lis: RecordingListener) -> None:
        lis.channel.sendBinaryStream(src, len(data))
        lis.channel.sendMsg("after")  # queued behind the stream, never interleaved
        lis.channel.close(1000, "")  # likewise: the close waits for the stream

    async with open_echo_server() as port:
        lis = await run_channel(f"ws://127.0.0.1:{port}/", RecordingListener(on_start=start))
    assert lis.status == Cr.NS_OK
    assert lis.messages == [data, "after"]
    assert lis.acks == [len(data), 5]
    trio_thread = threading.get_ident()
    assert all(n <= session_module.STREAM_CHUNK for n, _ in src.reads)
    assert all(t != trio_thread for _, t in src.reads)
    assert len(src.reads) >= 3
    assert src.closed_by_channel


async def test_stream_accepts_bytes_and_zero_length() -> None:
    def start(lis: RecordingListener) -> None:
        lis.channel.sendBinaryStream(b"abc", 3)
        lis.channel.sendBinaryStream(io.BytesIO(b""), 0)
        lis.channel.close(1000, "")

    async with open_echo_server() as port:
        lis = await run_channel(f"ws://127.0.0.1:{port}/", RecordingListener(on_start=start))
    assert lis.messages == [b"abc", b""]
    assert lis.acks == [3, 0]


async def test_short_stream_fails_with_1009_file_too_big() -> None:
    got: list[object] = []

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        frames = await peer.drain_until_eof()
        got.extend(f for f in frames if f.opcode == 8)

    lis = RecordingListener(on_start=lambda lis: lis.channel.sendBinaryStream(io.BytesIO(b"x" * 10), 100))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_ERROR_FILE_TOO_BIG)
    assert got and got[0].payload[:2] == (1009).to_bytes(2, "big")


async def test_bad_stream_argument() -> None:
    async with open_echo_server() as port:
        def start(lis: RecordingListener) -> None:
            from components import XPCOMError

            for bad in ((object(), 1), (None, 1), (b"x", -1)):
                with pytest.raises(XPCOMError) as e:
                    lis.channel.sendBinaryStream(*bad)
                assert e.value.result == Cr.NS_ERROR_ILLEGAL_VALUE
            lis.channel.close(1000, "")

        lis = await run_channel(f"ws://127.0.0.1:{port}/", RecordingListener(on_start=start))
    assert lis.status == Cr.NS_OK


# -- timeouts ---------------------------------------------------------------------------------------


async def test_open_timeout() -> None:
    with set_pref("network.websocket.timeout.open", 1):
        async with RawServer(None, respond=lambda req: HANG) as srv:
            lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
    assert "start" not in lis.kinds()


async def test_close_timeout_when_server_never_answers() -> None:
    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.recv_close()
        await peer.expect_eof()  # never answers; the client gives up and hangs up

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
    with set_pref("network.websocket.timeout.close", 1):
        async with RawServer(script) as srv:
            await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)


async def test_client_hangs_up_after_close_handshake_if_server_keeps_tcp_open() -> None:
    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.recv_close()
        await peer.send_close(1000, "")
        await peer.expect_eof()  # the server waits for the client's FIN instead of closing first

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)


# -- keepalive --------------------------------------------------------------------------------------


async def test_keepalive_pings_and_fails_without_answer() -> None:
    got: list[object] = []

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        frames = await peer.drain_until_eof()  # reads but never answers the ping
        got.extend(frames)

    def setup(ch) -> None:  # type: ignore[no-untyped-def]
        ch.pingInterval = 1
        ch.pingTimeout = 1

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, setup=setup)
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
    opcodes = [f.opcode for f in got]
    assert opcodes == [9, 8]
    assert got[1].payload[:2] == (1002).to_bytes(2, "big")


async def test_keepalive_answered_keeps_the_connection() -> None:
    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        for _ in range(2):
            f = await peer.recv_frame()
            assert f.opcode == 9
            await peer.send_pong(f.payload)
        await peer.close_handshake(1000, "")
        await peer.aclose()

    def setup(ch) -> None:  # type: ignore[no-untyped-def]
        ch.pingInterval = 1
        ch.pingTimeout = 5

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, setup=setup)
    lis.expect_status(Cr.NS_OK)


async def test_keepalive_timer_is_reset_by_received_bytes() -> None:
    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        # Traffic every 0.2 s for 2.5 s: with pingInterval 1 the client never needs a ping.
        for i in range(12):
            await peer.send_text(str(i))
            await trio.sleep(0.2)
        await peer.close_handshake(1000, "")
        await peer.aclose()

    def setup(ch) -> None:  # type: ignore[no-untyped-def]
        ch.pingInterval = 1

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, setup=setup)
    lis.expect_status(Cr.NS_OK)
    assert all(f.opcode != 9 for f in srv.peers[0].frames)


async def test_no_pings_by_default() -> None:
    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await trio.sleep(1.5)
        await peer.close_handshake(1000, "")
        await peer.aclose()

    with set_pref("network.websocket.timeout.ping.request", 0):
        async with RawServer(script) as srv:
            lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert [f.opcode for f in srv.peers[0].frames] == [8]


async def test_pings_from_server_are_answered() -> None:
    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.send_ping(b"p1")
        f = await peer.recv_frame()
        assert (f.opcode, f.payload) == (10, b"p1")
        await peer.close_handshake(1000, "")
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = RecordingListener()
        open_channel(srv.url, lis)
        await lis.wait_stopped()
    lis.expect_status(Cr.NS_OK)


async def test_pong_goes_before_data_queued_in_the_same_dispatch() -> None:
    from support.rawserver import OP_PING, OP_TEXT, build_frame

    order: list[tuple[int, bytes]] = []

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        # One write: a message (the listener answers it) then a ping.  The pong, produced
        # while decoding the same bytes, must still go out before the listener's reply.
        await peer.send(build_frame(OP_TEXT, b"go") + build_frame(OP_PING, b"pp"))
        for _ in range(2):
            f = await peer.recv_frame()
            order.append((f.opcode, f.payload))
        await peer.close_handshake(1000, "")
        await peer.aclose()

    lis = RecordingListener(on_message=lambda lis, m: lis.channel.sendMsg("reply"))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert order == [(10, b"pp"), (1, b"reply")]


async def test_messages_after_our_close_are_delivered_and_no_acks_after_server_close() -> None:
    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.send_text("first")
        await peer.recv_message()  # "x"
        await peer.recv_close()
        await peer.send_text("after your close")
        await peer.send_close(1000, "")
        await peer.aclose()

    def on_message(lis: RecordingListener, m: str) -> None:
        if m == "first":
            lis.channel.sendMsg("x")
            lis.channel.close(1000, "")

    lis = RecordingListener(on_message=on_message)
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["first", "after your close"]
    kinds = lis.kinds()
    assert kinds.index("server_close") > kinds.index("ack")
    assert "ack" not in kinds[kinds.index("server_close"):]


async def test_stream_and_close_from_another_thread() -> None:
    data = bytes(range(256)) * 8192  # 2 MiB

    async with open_echo_server() as port:
        lis = RecordingListener(on_binary=lambda lis, m: threading.Thread(
            target=lis.channel.close, args=(1000, "")).start())
        ch = open_channel(f"ws://127.0.0.1:{port}/", lis)
        await lis.wait_for("start")
        thread = threading.Thread(target=ch.sendBinaryStream, args=(io.BytesIO(data), len(data)))
        thread.start()
        assert await lis.wait_stopped() == Cr.NS_OK
        await trio.to_thread.run_sync(thread.join)
    assert lis.messages == [data]
    assert lis.acks == [len(data)]
