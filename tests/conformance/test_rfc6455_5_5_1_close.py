"""RFC 6455 sections 5.5.1 and 7.1: the Close frame and the closing handshake.

Server-initiated: onServerClose(code, reason) (1005 for an empty payload), the channel answers
with the server's code (no code for 1005) when the listener does not call close() itself, and
onStop(NS_OK). Client-initiated: close(code, reason) puts exactly that on the wire.
Malformed Close payloads fail the connection.
"""

from __future__ import annotations

import pytest
from support.cases import expect_failure
from support.listener import RecordingListener, run_channel
from support.rawserver import OP_CLOSE, OP_TEXT, RawServer, build_frame, close_payload

from components import Cr

pytestmark = pytest.mark.timeout(30)


async def _server_closes(payload: bytes, listener: RecordingListener | None = None):
    got = {}

    async def script(peer):
        await peer.send_frame(OP_CLOSE, payload)
        m = await peer.recv_close()
        got["reply"] = m
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, listener)
    return lis, got["reply"]


async def test_server_close_reported_and_code_echoed() -> None:
    lis, reply = await _server_closes(close_payload(1000, "bye"))
    lis.expect_status(Cr.NS_OK)
    assert lis.server_close == (1000, "bye")
    assert reply.code == 1000
    assert lis.kinds() == ["start", "server_close", "stop"]


async def test_server_close_with_application_code_is_echoed() -> None:
    lis, reply = await _server_closes(close_payload(4321, "app says bye"))
    lis.expect_status(Cr.NS_OK)
    assert lis.server_close == (4321, "app says bye")
    assert reply.code == 4321


async def test_empty_close_reports_1005_and_reply_has_no_code() -> None:
    lis, reply = await _server_closes(b"")
    lis.expect_status(Cr.NS_OK)
    assert lis.server_close == (1005, "")
    assert reply.data == b"", f"reply to an empty Close carries {reply.data!r}"


async def test_close_with_code_only() -> None:
    lis, reply = await _server_closes(close_payload(1001))
    lis.expect_status(Cr.NS_OK)
    assert lis.server_close == (1001, "")
    assert reply.code == 1001


async def test_close_reason_of_123_bytes_utf8() -> None:
    reason = "é" * 61 + "x"  # 123 bytes
    assert len(reason.encode()) == 123
    lis, reply = await _server_closes(close_payload(1000, reason))
    lis.expect_status(Cr.NS_OK)
    assert lis.server_close == (1000, reason)


async def test_listener_close_in_onServerClose_sends_its_own_code_once() -> None:
    lis = RecordingListener(on_server_close=lambda lis, code, reason: lis.channel.close(3001, "mine"))
    got = {}

    async def script(peer):
        await peer.send_close(1000, "server")
        m = await peer.recv_close()
        got["reply"] = m
        await peer.aclose()

    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert (got["reply"].code, got["reply"].reason) == (3001, "mine")
    closes = [f for f in srv.peers[0].frames if f.opcode == OP_CLOSE]
    assert len(closes) == 1, "the channel sent more than one Close"


async def test_one_byte_close_payload_fails_1002() -> None:
    lis, _ = await expect_failure(build_frame(OP_CLOSE, b"\x03"), status=Cr.NS_ERROR_ILLEGAL_VALUE,
                                  close_code=1002)
    assert lis.server_close is None


async def test_invalid_utf8_close_reason_fails_1007() -> None:
    lis, _ = await expect_failure(build_frame(OP_CLOSE, b"\x03\xe8bad \xc3\x28"),
                                  status=Cr.NS_ERROR_CANNOT_CONVERT_DATA, close_code=1007)
    assert lis.server_close is None


async def test_no_messages_after_the_server_close() -> None:
    wire = (build_frame(OP_TEXT, b"before") + build_frame(OP_CLOSE, close_payload(1000))
            + build_frame(OP_TEXT, b"after"))

    async def script(peer):
        await peer.send(wire)
        m = await peer.recv_close()
        assert m.code == 1000
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["before"]
    assert lis.kinds() == ["start", "message", "server_close", "stop"]


async def test_server_close_then_immediate_tcp_close_is_clean() -> None:
    async def script(peer):
        await peer.send_close(1000, "gone")
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.server_close == (1000, "gone")


@pytest.mark.parametrize(
    ("code", "reason", "wire"),
    [(1000, "bye", close_payload(1000, "bye")), (3000, "", close_payload(3000)),
     (4999, "é", close_payload(4999, "é")), (0, "", b"")],
    ids=["1000-bye", "3000", "4999-utf8", "0-means-no-code"],
)
async def test_client_close_puts_code_and_reason_on_the_wire(code: int, reason: str, wire: bytes) -> None:
    got = {}

    async def script(peer):
        m = await peer.recv_close()
        got["payload"] = m.data
        await peer.echo_close(m)
        await peer.aclose()

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(code, reason))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert got["payload"] == wire


async def test_client_close_is_sent_after_queued_messages() -> None:
    got = []

    async def script(peer):
        while True:
            m = await peer.recv_message()
            got.append((m.kind, m.data))
            if m.kind == "close":
                await lis.wait_for("ack", 2)  # acks are not reported after onServerClose
                await peer.echo_close(m)
                await peer.aclose()
                return

    def start(lis):
        lis.channel.sendMsg("one")
        lis.channel.sendBinaryMsg(b"two")
        lis.channel.close(1000, "")

    lis = RecordingListener(on_start=start)
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert got == [("text", b"one"), ("binary", b"two"), ("close", b"\x03\xe8")]
    assert lis.acks == [3, 3]


async def test_simultaneous_close_is_clean() -> None:
    """Both sides send Close without waiting (RFC 6455 7.1.3 allows the crossing)."""
    got = {}

    async def script(peer):
        await peer.send_close(1001, "server going")
        got["client"] = await peer.recv_close()
        await peer.aclose()

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, "client going"))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert got["client"].code in (1000, 1001)
    closes = [f for f in srv.peers[0].frames if f.opcode == OP_CLOSE]
    assert len(closes) == 1


async def test_client_hangs_up_tcp_when_server_keeps_it_open_after_close_handshake() -> None:
    """Server-initiated close where the server never sends FIN: the client closes TCP itself."""
    async def script(peer):
        await peer.send_close(1000, "")
        m = await peer.recv_close()
        assert m.code == 1000
        await peer.expect_eof()  # the client must not wait forever for our FIN

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)


async def test_client_close_answered_but_tcp_left_open_still_clean() -> None:
    async def script(peer):
        m = await peer.recv_close()
        await peer.echo_close(m)
        await peer.expect_eof()

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)


async def test_messages_before_the_echo_of_our_close_do_not_break_the_close() -> None:
    """After our Close the server may still send data before its own Close (RFC 6455 7.1.2)."""
    async def script(peer):
        m = await peer.recv_close()
        await peer.send(build_frame(OP_TEXT, b"late message") + build_frame(OP_CLOSE, m.data))
        await peer.aclose()

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages in ([], ["late message"])


async def test_no_pong_after_our_close() -> None:
    """Nothing may follow the client's Close, not even a pong (RFC 6455 5.5.1)."""
    async def script(peer):
        m = await peer.recv_close()
        await peer.send_ping(b"still there?")
        await peer.echo_close(m)
        await peer.drain_until_eof()  # the raw server fails on any frame after the Close

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)


async def test_reply_queued_just_before_the_server_close_is_not_acknowledged_after_it() -> None:
    """A message and the server's Close in one segment; the listener answers the message.
    Whatever happens to the answer, no onAcknowledge may follow onServerClose."""
    got = []

    async def script(peer):
        await peer.send(build_frame(OP_TEXT, b"answer me") + build_frame(OP_CLOSE, close_payload(1000)))
        while True:
            m = await peer.recv_message()
            got.append((m.kind, m.data))
            if m.kind == "close":
                break
        await peer.aclose()

    lis = RecordingListener(on_message=lambda lis, m: lis.channel.sendMsg("answer"))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)  # the listener contract (checked in wait_stopped) covers acks
    assert got in ([("text", b"answer"), ("close", b"\x03\xe8")], [("close", b"\x03\xe8")])
