"""WebSockets over HTTP/2 (RFC 8441): hypercorn as the real server, our h2 server for faults.

Every wss channel here trusts the test CA (client_context); hypercorn's echo app records, per
WebSocket, the HTTP version and the client's port (one port = one TCP connection).
"""

from __future__ import annotations

import hashlib
from typing import Any

import h2.errors
import pytest
import trio
from support.h2server import Answer, H2Server, hypercorn_server
from support.listener import RecordingListener, open_channel, run_channel, set_pref
from support.tls import client_context

from components import Cr
from components.websocket import http2
from components.websocket.protocol.handshake import Accepted, ClientHandshake
from components.websocket.transport import connect_tcp, resolve, start_tls

pytestmark = pytest.mark.timeout(60)

_CONTEXT = client_context()


def trust(ch: Any) -> None:
    ch.sslContext = _CONTEXT


def echo_then_close(*messages: str | bytes) -> RecordingListener:
    """Sends *messages* at onStart, closes once all came back."""
    def start(lis: RecordingListener) -> None:
        for m in messages:
            lis.channel.sendMsg(m) if isinstance(m, str) else lis.channel.sendBinaryMsg(m)

    def got(lis: RecordingListener, *_: Any) -> None:
        if len(lis.messages) == len(messages):
            lis.channel.close(1000, "done")

    return RecordingListener(on_start=start, on_message=got, on_binary=got)


def links() -> dict[Any, Any]:
    return http2._pool().links


# -- over hypercorn ---------------------------------------------------------------------------------


async def test_echo_over_h2_with_subprotocol_deflate_and_security_info() -> None:
    async with hypercorn_server() as srv:
        lis = echo_then_close("hello", b"\x00\x01" * 1000, "é" * 300)
        ch = open_channel(srv.url, lis, protocol="chat, superchat", origin="https://app.example", setup=trust)
        await lis.wait_stopped()
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["hello", b"\x00\x01" * 1000, "é" * 300]
    assert lis.acks == [5, 2000, 600]
    assert lis.server_close == (1000, "done")
    assert ch.httpVersion == "h2"
    assert ch.protocol == "chat"
    assert ch.extensions.startswith("permessage-deflate")
    assert ch.securityInfo is not None and ch.securityInfo.cipherName
    [session] = srv.sessions
    assert session["http_version"] == "2"
    assert session["subprotocols"] == ["chat", "superchat"]
    assert session["headers"]["origin"] == "https://app.example"
    assert session["headers"]["sec-websocket-version"] == "13"
    assert "permessage-deflate" in session["headers"]["sec-websocket-extensions"]
    assert links() == {}  # the last stream took the connection with it


async def test_channels_share_one_connection_and_the_last_close_ends_it() -> None:
    async with hypercorn_server() as srv:
        listeners = [RecordingListener(on_message=lambda lis, m: None) for _ in range(3)]
        channels = [open_channel(srv.url, lis, setup=trust) for lis in listeners]
        for lis in listeners:
            await lis.wait_for("start")
        assert all(ch.httpVersion == "h2" for ch in channels)
        assert len(srv.connections) == 1
        assert len(links()) == 1
        # Closing one closes its stream only: the others still echo.
        channels[0].close(1000, "")
        await listeners[0].wait_stopped()
        listeners[0].expect_status(Cr.NS_OK)
        for i, (ch, lis) in enumerate(zip(channels[1:], listeners[1:], strict=True)):
            ch.sendMsg(f"still here {i}")
            await lis.wait_for("message")
        assert len(links()) == 1
        for ch, lis in zip(channels[1:], listeners[1:], strict=True):
            ch.close(1000, "")
            await lis.wait_stopped()
            lis.expect_status(Cr.NS_OK)
        assert links() == {}
        # The connection went with the last stream: the next channel needs a new one.
        lis = await run_channel(srv.url, echo_then_close("again"), setup=trust)
        lis.expect_status(Cr.NS_OK)
        assert len(srv.connections) == 2
        assert srv.open_sessions == 0


async def test_pref_off_means_http11_upgrade() -> None:
    async with hypercorn_server() as srv:
        with set_pref("network.http.http2.websockets", False):
            lis = await run_channel(srv.url, echo_then_close("one"), setup=trust)
    lis.expect_status(Cr.NS_OK)
    assert lis.channel.httpVersion == "http/1.1"
    assert [s["http_version"] for s in srv.sessions] == ["1.1"]


async def test_http11_only_server() -> None:
    async with hypercorn_server(alpn=("http/1.1",)) as srv:
        lis = await run_channel(srv.url, echo_then_close("one"), setup=trust)
    lis.expect_status(Cr.NS_OK)
    assert lis.channel.httpVersion == "http/1.1"
    assert [s["http_version"] for s in srv.sessions] == ["1.1"]


async def test_ws_channels_never_use_h2() -> None:
    from components.websocket.echoserver import open_echo_server

    async with open_echo_server() as port:
        lis = await run_channel(f"ws://127.0.0.1:{port}/", echo_then_close("plain"))
    lis.expect_status(Cr.NS_OK)
    assert lis.channel.httpVersion == "http/1.1"


async def test_big_messages_both_ways_under_flow_control() -> None:
    # 5 MiB each way: more than hypercorn's 64 KiB window and our 4 MiB stream window,
    # so both sides wait for WINDOW_UPDATEs.
    payload = bytes(range(256)) * (5 * 4096)
    with set_pref("network.websocket.extensions.permessage-deflate", False):
        async with hypercorn_server() as srv:
            lis = await run_channel(srv.url, echo_then_close(payload, payload), setup=trust)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [payload, payload]
    assert lis.channel.httpVersion == "h2"


async def test_send_binary_stream_over_h2() -> None:
    size = 3 * (1 << 20) + 17
    data = hashlib.sha256(b"seed").digest() * (size // 32 + 1)
    data = data[:size]

    def start(lis: RecordingListener) -> None:
        lis.channel.sendBinaryStream(data, size)
        lis.channel.sendMsg("after")

    def got(lis: RecordingListener, *_: Any) -> None:
        if len(lis.messages) == 2:
            lis.channel.close(1000, "")

    async with hypercorn_server() as srv:
        lis = await run_channel(srv.url, RecordingListener(on_start=start, on_binary=got, on_message=got),
                                setup=trust)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [data, "after"]
    assert lis.acks == [size, 5]


async def test_keepalive_pings_are_answered_over_h2() -> None:
    async with hypercorn_server() as srv:
        lis = RecordingListener()

        def setup(ch: Any) -> None:
            trust(ch)
            ch.pingInterval = 1
            ch.pingTimeout = 1

        ch = open_channel(srv.url, lis, setup=setup)
        await lis.wait_for("start")
        await trio.sleep(2.6)  # two pings, each answered by hypercorn's Pong within a second
        assert not lis.stopped.is_set()
        ch.close(1000, "")
        await lis.wait_stopped()
    lis.expect_status(Cr.NS_OK)


async def test_many_channels_beyond_the_servers_stream_limit_queue() -> None:
    async with H2Server(max_streams=2) as srv:
        listeners = [echo_then_close(f"m{i}") for i in range(6)]
        for lis in listeners:
            open_channel(srv.url, lis, setup=trust)
        for lis in listeners:
            await lis.wait_stopped()
            lis.expect_status(Cr.NS_OK)
            assert lis.channel.httpVersion == "h2"
    assert srv.connections == ["h2"]


# -- fallbacks and faults (our h2 server) -------------------------------------------------------------


async def test_h2_without_extended_connect_falls_back_to_http11() -> None:
    async with H2Server(connect_protocol=False) as srv:
        first = await run_channel(srv.url, echo_then_close("one"), setup=trust)
        second = await run_channel(srv.url, echo_then_close("two"), setup=trust)
    for lis in (first, second):
        lis.expect_status(Cr.NS_OK)
        assert lis.channel.httpVersion == "http/1.1"
    # The first channel tried h2, saw no SETTINGS_ENABLE_CONNECT_PROTOCOL and reconnected with
    # ALPN http/1.1; the origin is remembered, so the second went to HTTP/1.1 at once.
    assert srv.connections == ["h2", "http/1.1", "http/1.1"]
    assert srv.requests == []


@pytest.mark.parametrize("answer", [
    Answer(status=403),
    Answer(status=301),  # (a redirect without a Location)
    Answer(status=500),
    Answer(reset=h2.errors.ErrorCodes.REFUSED_STREAM),
    Answer(reset=h2.errors.ErrorCodes.INTERNAL_ERROR),
    Answer(goaway=h2.errors.ErrorCodes.NO_ERROR),
    Answer(goaway=h2.errors.ErrorCodes.ENHANCE_YOUR_CALM),
], ids=["403", "301", "500", "refused-stream", "reset", "goaway", "goaway-error"])
async def test_refusals_before_the_2xx_are_connection_refused(answer: Answer) -> None:
    async with H2Server(answer=lambda request: answer) as srv:
        lis = await run_channel(srv.url, RecordingListener(), setup=trust)
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    assert "start" not in lis.kinds()
    assert srv.requests[0][":method"] == "CONNECT"
    assert srv.requests[0][":protocol"] == "websocket"
    assert links() == {}


async def test_the_extended_connect_request() -> None:
    async with H2Server(answer=lambda request: Answer(status=404)) as srv:
        await run_channel(srv.url.replace("/echo", "/chat?room=1"), RecordingListener(), protocol="a, b",
                          origin="https://o.example", setup=trust)
    request = srv.requests[0]
    assert request[":method"] == "CONNECT"
    assert request[":scheme"] == "https"
    assert request[":path"] == "/chat?room=1"
    assert request[":authority"] == f"127.0.0.1:{srv.port}"
    assert request["sec-websocket-version"] == "13"
    assert request["sec-websocket-protocol"] == "a, b"
    assert request["origin"] == "https://o.example"
    assert "permessage-deflate" in request["sec-websocket-extensions"]
    for forbidden in ("host", "upgrade", "connection", "sec-websocket-key"):
        assert forbidden not in request


@pytest.mark.parametrize("headers", [
    [("sec-websocket-protocol", "other")],
    [("sec-websocket-extensions", "x-unknown")],
], ids=["subprotocol", "extension"])
async def test_a_2xx_choosing_what_we_did_not_offer_is_illegal(headers: list[tuple[str, str]]) -> None:
    async with H2Server(answer=lambda request: Answer(headers=headers)) as srv:
        lis = await run_channel(srv.url, RecordingListener(), protocol="chat", setup=trust)
    lis.expect_status(Cr.NS_ERROR_ILLEGAL_VALUE)


@pytest.mark.parametrize("fault", ["reset", "goaway", "drop"])
async def test_losing_the_stream_mid_session_is_stream_closed(fault: str) -> None:
    def answer(request: dict[str, str]) -> Answer:
        return Answer(after_first=fault if request[":path"] == "/faulty" else None)

    async with H2Server(answer=answer) as srv:
        bystander = RecordingListener()
        other = open_channel(srv.url, bystander, setup=trust)
        await bystander.wait_for("start")
        lis = RecordingListener(on_start=lambda lis: lis.channel.sendMsg("boom"))
        open_channel(srv.url.replace("/echo", "/faulty"), lis, setup=trust)
        await lis.wait_stopped()
        lis.expect_status(Cr.NS_BASE_STREAM_CLOSED)
        if fault == "reset":
            # Only that stream: the other channel on the connection lives on.
            other.sendMsg("fine")
            await bystander.wait_for("message")
            other.close(1000, "")
        await bystander.wait_stopped()
    assert srv.connections == ["h2"]
    if fault == "reset":
        bystander.expect_status(Cr.NS_OK)
    else:
        bystander.expect_status(Cr.NS_BASE_STREAM_CLOSED)  # GOAWAY / TCP loss end every stream
    assert links() == {}


async def test_open_timeout_while_the_server_never_answers() -> None:
    with set_pref("network.websocket.timeout.open", 1):
        async with H2Server(answer=lambda request: Answer(never=True)) as srv:
            lis = await run_channel(srv.url, RecordingListener(), setup=trust)
            await trio.sleep(0.1)
            assert links() == {}  # the abandoned stream was the last: the connection is gone
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)


async def test_keepalive_timeout_over_h2() -> None:
    def setup(ch: Any) -> None:
        trust(ch)
        ch.pingInterval = 1
        ch.pingTimeout = 1

    async with H2Server(answer=lambda request: Answer(silent=True)) as srv:
        lis = await run_channel(srv.url, RecordingListener(), setup=setup)
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
    assert lis.channel.httpVersion == "h2"


async def test_close_timeout_over_h2() -> None:
    with set_pref("network.websocket.timeout.close", 1):
        async with H2Server(answer=lambda request: Answer(silent=True)) as srv:
            lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
            start = trio.current_time()
            await run_channel(srv.url, lis, setup=trust)
            assert trio.current_time() - start < 5
    lis.expect_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)


async def test_a_slow_reader_closes_the_window_and_reading_opens_it() -> None:
    # The stream transport as the session uses it, with nobody reading for a while.
    flood = 16 << 20
    async with H2Server(answer=lambda request: Answer(flood=flood)) as srv:
        tcp = await connect_tcp(await resolve("127.0.0.1", srv.port))
        tls = await start_tls(tcp.stream, _CONTEXT, "127.0.0.1", http2.ALPN_H2)
        link = await http2.start_link(tls, ("127.0.0.1", srv.port, _CONTEXT))
        assert link is not None
        stream, accepted = await http2.open_stream(link, ClientHandshake(f"127.0.0.1:{srv.port}", "/echo"))
        assert isinstance(accepted, Accepted)
        await trio.sleep(0.5)  # the server sends what our window allows, then has to wait
        assert 0 < stream.buffered <= http2.STREAM_WINDOW
        assert srv.flooded <= http2.STREAM_WINDOW
        received, expected = 0, flood // 65536 * (65536 + 10)  # (+ each frame's 10-byte header)
        with trio.fail_after(30):
            while received < expected:
                data = await stream.receive(1 << 20)
                assert data
                received += len(data)
        assert received == srv.flooded == expected
        await stream.aclose(1.0)
    assert links() == {}


def test_ws_channels_and_the_pref_off_do_not_import_h2() -> None:
    # h2 costs ~30 ms to import: only a wss channel that may use it pays for it.
    script = """
import sys, trio
from components import Cc, Ci, newURI
from components.websocket.echoserver import open_echo_server

class L:
    def __init__(self): self.done = trio.Event()
    def onStart(self, ctx): ch.close(1000, "")
    def onStop(self, ctx, status): self.done.set()
    def __getattr__(self, name): return lambda *args: None

async def main():
    global ch
    async with open_echo_server() as port:
        ch = Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance(Ci.nsIWebSocketChannel)
        lis = L()
        ch.asyncOpen(newURI(f"ws://127.0.0.1:{port}/"), "", lis, None)
        await lis.done.wait()
    print("h2" in sys.modules, "components.websocket.http2" in sys.modules, ch.httpVersion)

trio.run(main)
"""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert out.split() == ["False", "False", "http/1.1"]


async def test_a_redirect_answered_over_h2_is_followed() -> None:
    def answer(request: dict[str, str]) -> Answer:
        if request[":path"] == "/old":
            return Answer(status=307, headers=[("location", "/echo")])
        return Answer()

    async with H2Server(answer=answer) as srv:
        lis = await run_channel(srv.url.replace("/echo", "/old"), echo_then_close("moved"), setup=trust)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["moved"]
    assert lis.channel.URI.spec == srv.url
    assert [r[":path"] for r in srv.requests] == ["/old", "/echo"]
    # The redirect's stream was the connection's last: the next hop opens a new one.
    assert srv.connections == ["h2", "h2"]


async def test_request_headers_go_into_the_extended_connect() -> None:
    def setup(ch: Any) -> None:
        trust(ch)
        ch.setRequestHeader("X-Trace", "abc 123", False)

    async with hypercorn_server() as srv:
        lis = await run_channel(srv.url, echo_then_close("h"), setup=setup)
    lis.expect_status(Cr.NS_OK)
    headers = srv.sessions[0]["headers"]
    assert headers["x-trace"] == "abc 123"
    assert headers["user-agent"].startswith("xpcom-websocket/")
    assert "connection" not in headers and "upgrade" not in headers


async def test_a_refused_stream_on_a_shared_connection_is_retried_on_a_new_one() -> None:
    count = 0

    def answer(request: dict[str, str]) -> Answer:
        nonlocal count
        count += 1
        return Answer(reset=h2.errors.ErrorCodes.REFUSED_STREAM) if count == 2 else Answer()

    async with H2Server(answer=answer) as srv:
        first = RecordingListener()
        ch = open_channel(srv.url, first, setup=trust)
        await first.wait_for("start")
        second = await run_channel(srv.url, echo_then_close("retried"), setup=trust)
        second.expect_status(Cr.NS_OK)
        assert second.messages == ["retried"] and second.channel.httpVersion == "h2"
        ch.close(1000, "")
        await first.wait_stopped()
    first.expect_status(Cr.NS_OK)
    assert srv.connections == ["h2", "h2"]
    assert len(srv.requests) == 3
