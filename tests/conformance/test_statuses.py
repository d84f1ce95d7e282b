"""Every onStop status of REFERENCE.md's table, each produced by a real peer on loopback.

NS_OK clean close · NS_ERROR_WEBSOCKET_CONNECTION_REFUSED (refused TCP, DNS failure, non-101,
HTTP/1.0) · NS_ERROR_ILLEGAL_VALUE (handshake / framing violation) ·
NS_ERROR_CANNOT_CONVERT_DATA (UTF-8) · NS_ERROR_FILE_TOO_BIG · NS_ERROR_INVALID_CONTENT_ENCODING
· NS_ERROR_NET_TIMEOUT_EXTERNAL (open, close, ping timeouts) · NS_ERROR_NET_INADEQUATE_SECURITY
(TLS) · NS_BASE_STREAM_CLOSED (TCP closed without a Close) · NS_ERROR_NOT_CONNECTED (close()
before the connection is up; 1001 there gives NS_OK).
"""

from __future__ import annotations

import functools
import socket

import pytest
import trio
from support.cases import echo_script, expect_failure
from support.listener import RecordingListener, open_channel, run_channel, set_pref
from support.rawserver import HANG, OP_BINARY, OP_TEXT, RawServer, build_frame, handshake_response
from support.tls import client_context, server_context

from components import Cr

pytestmark = pytest.mark.timeout(30)


def _closing_listener() -> RecordingListener:
    return RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))


async def test_ok_on_clean_close() -> None:
    async with RawServer(echo_script) as srv:
        lis = await run_channel(srv.url, _closing_listener())
    lis.expect_status(Cr.NS_OK)
    assert lis.kinds()[0] == "start" and lis.kinds()[-1] == "stop"


async def test_refused_tcp_port() -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    lis = await run_channel(f"ws://127.0.0.1:{port}/")
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    assert lis.kinds() in (["stop"], ["error", "stop"])


async def test_dns_failure() -> None:
    lis = await run_channel("ws://nonexistent.invalid/")
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    assert "start" not in lis.kinds()


@pytest.mark.parametrize("respond", [
    lambda req: handshake_response(req, status="404 Not Found"),
    lambda req: handshake_response(req, version="HTTP/1.0"),
], ids=["non-101", "http-1.0"])
async def test_no_valid_101_refused(respond) -> None:
    async with RawServer(None, respond=respond) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)


async def test_handshake_violation_illegal_value() -> None:
    async with RawServer(None, respond=lambda req: handshake_response(req, accept="bogus")) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_ILLEGAL_VALUE)
    assert "start" not in lis.kinds()


async def test_framing_violation_illegal_value() -> None:
    await expect_failure(build_frame(0x7, b""), status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)


async def test_invalid_utf8_cannot_convert_data() -> None:
    await expect_failure(build_frame(OP_TEXT, b"\xff"), status=Cr.NS_ERROR_CANNOT_CONVERT_DATA,
                         close_code=1007)


async def test_too_big_file_too_big() -> None:
    with set_pref("network.websocket.max-message-size", 10):
        await expect_failure(build_frame(OP_BINARY, b"x" * 11), status=Cr.NS_ERROR_FILE_TOO_BIG,
                             close_code=1009)


async def test_inflate_error_invalid_content_encoding() -> None:
    await expect_failure(build_frame(OP_BINARY, b"\xff\xff\xff", rsv1=True),
                         status=Cr.NS_ERROR_INVALID_CONTENT_ENCODING, close_code=1002,
                         server_kw={"extensions": "permessage-deflate"})


async def test_open_timeout() -> None:
    with set_pref("network.websocket.timeout.open", 1):
        async with RawServer(None, respond=HANG) as srv:
            lis = await run_channel(srv.url, timeout=15)
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
    assert "start" not in lis.kinds()


async def test_close_timeout() -> None:
    got = {}

    async def script(peer):
        got["close"] = await peer.recv_close()
        await peer.drain_until_eof()  # never answer; the client gives up and hangs up

    with set_pref("network.websocket.timeout.close", 1):
        async with RawServer(script) as srv:
            lis = await run_channel(srv.url, _closing_listener(), timeout=15)
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
    assert got["close"].code == 1000


async def test_ping_timeout() -> None:
    got = {}

    async def script(peer):
        m = await peer.recv_message()
        got["first"] = m.kind
        got["close"] = await peer.recv_close(skip_pongs=False)
        await peer.drain_until_eof()

    def setup(ch):
        ch.pingInterval = 1
        ch.pingTimeout = 1

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, setup=setup, timeout=15)
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
    assert got["first"] == "ping"
    assert got["close"].code == 1002


async def test_peer_tcp_close_without_close_frame() -> None:
    async def script(peer):
        await peer.send(build_frame(OP_TEXT, b"last words"))
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_BASE_STREAM_CLOSED)
    assert lis.messages == ["last words"]
    assert lis.server_close is None


async def test_peer_tcp_reset_is_not_clean() -> None:
    async def script(peer):
        await lis.wait_for("start")  # a RST may discard the unread 101 otherwise
        await peer.abort()

    lis = RecordingListener()
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    assert lis.status in (Cr.NS_BASE_STREAM_CLOSED, Cr.NS_ERROR_NET_RESET), lis.status


async def test_peer_tcp_close_mid_frame() -> None:
    async def script(peer):
        await peer.send(build_frame(OP_BINARY, b"x" * 1000)[:500])
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_BASE_STREAM_CLOSED)
    assert lis.messages == []


async def test_tls_untrusted_certificate_inadequate_security() -> None:
    async with RawServer(echo_script, ssl_context=server_context()) as srv:
        lis = await run_channel(srv.url)  # the system trust store does not know the test CA
    lis.expect_status(Cr.NS_ERROR_NET_INADEQUATE_SECURITY)
    assert "start" not in lis.kinds()


async def test_tls_hostname_mismatch_inadequate_security() -> None:
    async with RawServer(echo_script, ssl_context=server_context("other.example")) as srv:
        lis = await run_channel(srv.url, setup=lambda ch: setattr(ch, "sslContext", client_context()))
    lis.expect_status(Cr.NS_ERROR_NET_INADEQUATE_SECURITY)


async def test_tls_to_a_plain_server_inadequate_security() -> None:
    async def plain(stream):
        await stream.send_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        await stream.aclose()

    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(functools.partial(trio.serve_tcp, plain, 0, host="127.0.0.1"))
        port = listeners[0].socket.getsockname()[1]
        lis = await run_channel(f"wss://127.0.0.1:{port}/")
        nursery.cancel_scope.cancel()
    lis.expect_status(Cr.NS_ERROR_NET_INADEQUATE_SECURITY)


async def test_tls_trusted_ok() -> None:
    async with RawServer(echo_script, ssl_context=server_context()) as srv:
        lis = await run_channel(srv.url, _closing_listener(),
                                setup=lambda ch: setattr(ch, "sslContext", client_context()))
    lis.expect_status(Cr.NS_OK)


@pytest.mark.parametrize(("code", "status"), [(1000, Cr.NS_ERROR_NOT_CONNECTED), (1001, Cr.NS_OK)])
async def test_close_before_connected(code: int, status: int) -> None:
    async with RawServer(None, respond=HANG) as srv:
        lis = RecordingListener()
        ch = open_channel(srv.url, lis)
        await srv.wait_connected()
        ch.close(code, "")
        await lis.wait_stopped(10)  # well before the 20 s open timeout
    lis.expect_status(status)
    assert "start" not in lis.kinds()


async def test_open_timeout_covers_the_tls_handshake() -> None:
    async def silent(stream):
        with trio.move_on_after(15):
            while await stream.receive_some(65536):
                pass  # swallow the ClientHello, never answer

    with set_pref("network.websocket.timeout.open", 1):
        async with trio.open_nursery() as nursery:
            listeners = await nursery.start(functools.partial(trio.serve_tcp, silent, 0, host="127.0.0.1"))
            port = listeners[0].socket.getsockname()[1]
            lis = await run_channel(f"wss://127.0.0.1:{port}/", timeout=15)
            nursery.cancel_scope.cancel()
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)


async def test_open_timeout_with_a_stalled_partial_head() -> None:
    async def respond(req):
        peer = srv.peers[req.index]
        await peer.send(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n")
        return HANG

    with set_pref("network.websocket.timeout.open", 1):
        async with RawServer(None, respond=respond) as srv:
            lis = await run_channel(srv.url, timeout=15)
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)


async def test_close_timeout_not_reset_by_incoming_traffic() -> None:
    """The close timer runs from our Close; a server that keeps talking cannot extend it."""
    async def script(peer):
        await peer.recv_close()
        with trio.move_on_after(15):
            try:
                while True:
                    await peer.send(build_frame(OP_TEXT, b"chatter"))
                    await trio.sleep(0.05)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                pass

    with set_pref("network.websocket.timeout.close", 1):
        async with RawServer(script) as srv:
            lis = await run_channel(srv.url, _closing_listener(), timeout=10)
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)


async def test_failing_client_hangs_up_when_the_server_never_answers_its_close() -> None:
    async def script(peer):
        await peer.send(build_frame(0x3, b""))
        m = await peer.recv_close()
        assert m.code == 1002
        await peer.expect_eof()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, timeout=25)
    lis.expect_status(Cr.NS_ERROR_ILLEGAL_VALUE)


async def test_violation_then_immediate_tcp_close_keeps_the_violation_status() -> None:
    async def script(peer):
        await peer.send(build_frame(0x3, b""))
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_ILLEGAL_VALUE)
