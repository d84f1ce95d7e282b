"""RFC 6455 section 4.1/4.2: the opening handshake, request and response.

Request: what the client puts on the wire. Response: a 101 that breaks the WebSocket rules
fails with NS_ERROR_ILLEGAL_VALUE (REFERENCE.md: handshake violations); no valid HTTP/1.1 101
at all (other status, HTTP/1.0, garbage, EOF) is NS_ERROR_WEBSOCKET_CONNECTION_REFUSED.
onStart only after a valid 101; never on failure.
"""

from __future__ import annotations

import base64

import pytest
from support.cases import echo_script
from support.listener import RecordingListener, open_channel, run_channel, set_pref
from support.rawserver import HANG, OP_TEXT, RawServer, build_frame, handshake_response, http_response

from components import Cr

pytestmark = pytest.mark.timeout(30)

REFUSED = Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED
ILLEGAL = Cr.NS_ERROR_ILLEGAL_VALUE


async def _request(url_path: str = "/", **kw):
    """Open a channel to a server that records the request and closes cleanly."""
    async with RawServer(echo_script, path=url_path) as srv:
        lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
        await run_channel(srv.url, lis, **kw)
    lis.expect_status(Cr.NS_OK)
    return srv.requests[0], lis


# -- the request -------------------------------------------------------------------------------


async def test_request_line_and_required_headers() -> None:
    req, _ = await _request("/chat/room?x=1&y=%20z")
    assert (req.method, req.target, req.version) == ("GET", "/chat/room?x=1&y=%20z", "HTTP/1.1")
    assert "websocket" in req.tokens("upgrade")
    assert "upgrade" in req.tokens("connection")
    assert req.header("sec-websocket-version") == "13"
    key = req.header("sec-websocket-key")
    assert key is not None and len(base64.b64decode(key, validate=True)) == 16


async def test_host_header_names_the_server() -> None:
    async with RawServer(echo_script) as srv:
        lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
        await run_channel(srv.url, lis)
    assert srv.requests[0].header("host") == f"127.0.0.1:{srv.port}"


async def test_fresh_key_per_connection() -> None:
    keys = set()
    for _ in range(3):
        req, _ = await _request()
        keys.add(req.header("sec-websocket-key"))
    assert len(keys) == 3


async def test_origin_sent_when_given_and_absent_when_empty() -> None:
    req, _ = await _request(origin="http://origin.example")
    assert req.header_list("origin") == ["http://origin.example"]
    req, _ = await _request(origin="")
    assert req.header_list("origin") == []


async def test_subprotocols_offered_when_set_and_absent_otherwise() -> None:
    req, _ = await _request(protocol="chat, superchat")
    assert [t for t in req.tokens("sec-websocket-protocol")] == ["chat", "superchat"]
    req, _ = await _request()
    assert req.header_list("sec-websocket-protocol") == []


async def test_permessage_deflate_offered_by_default_and_not_when_disabled() -> None:
    req, _ = await _request()
    ext = (req.header("sec-websocket-extensions") or "").lower()
    assert ext.startswith("permessage-deflate")
    assert "client_max_window_bits" in ext
    with set_pref("network.websocket.extensions.permessage-deflate", False):
        req, _ = await _request()
    assert req.header_list("sec-websocket-extensions") == []


async def test_nothing_sent_after_the_request_before_the_101() -> None:
    """A client must not send frames before the handshake completes (RFC 6455 4.1)."""
    seen = {}

    async def respond(req):
        import trio

        peer = srv.peers[req.index]
        with trio.move_on_after(0.2):
            peer.buf.extend(await peer.stream.receive_some(65536))
        seen["early"] = bytes(peer.buf)
        return None

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
    async with RawServer(echo_script, respond=respond) as srv:
        await run_channel(srv.url, lis)
    assert seen["early"] == b""
    lis.expect_status(Cr.NS_OK)


# -- the response: accepted ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upgrade", "connection"),
    [("websocket", "Upgrade"), ("WebSocket", "upgrade"), ("WEBSOCKET", "keep-alive, Upgrade"),
     ("foo/1, websocket", "Upgrade")],
)
async def test_header_tokens_case_insensitive(upgrade: str, connection: str) -> None:
    def respond(req):
        return handshake_response(req, upgrade=upgrade, connection=connection)

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
    async with RawServer(echo_script, respond=respond) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert lis.kinds()[0] == "start"


async def test_chosen_subprotocol_is_exposed() -> None:
    got = {}

    def start(lis):
        got["protocol"] = lis.channel.protocol
        lis.channel.close(1000, "")

    async with RawServer(echo_script, subprotocol="superchat") as srv:
        lis = await run_channel(srv.url, RecordingListener(on_start=start), protocol="chat, superchat")
    lis.expect_status(Cr.NS_OK)
    assert got["protocol"] == "superchat"


async def test_subprotocol_header_ignored_when_none_offered() -> None:
    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
    async with RawServer(echo_script, subprotocol="chat") as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)


async def test_frames_in_the_same_segment_as_the_101_are_delivered() -> None:
    def respond(req):
        return handshake_response(req) + build_frame(OP_TEXT, b"early bird")

    async with RawServer(echo_script, respond=respond) as srv:
        lis = RecordingListener(on_message=lambda lis, m: lis.channel.close(1000, ""))
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["early bird"]
    assert lis.kinds()[:2] == ["start", "message"]


async def test_extensions_attribute_empty_without_deflate() -> None:
    got = {}

    def start(lis):
        got["ext"] = lis.channel.extensions
        lis.channel.close(1000, "")

    async with RawServer(echo_script) as srv:
        lis = await run_channel(srv.url, RecordingListener(on_start=start))
    lis.expect_status(Cr.NS_OK)
    assert got["ext"] == ""


# -- the response: refused / violations -----------------------------------------------------------


async def _fails(respond, status: int, *, protocol: str | None = None, **server_kw) -> RecordingListener:
    async with RawServer(None, respond=respond, **server_kw) as srv:
        lis = await run_channel(srv.url, protocol=protocol)
    lis.expect_status(status)
    assert "start" not in lis.kinds(), "onStart after a failed handshake"
    assert lis.messages == []
    return lis


@pytest.mark.parametrize("status", ["200 OK", "400 Bad Request", "403 Forbidden", "404 Not Found",
                                    "426 Upgrade Required", "500 Internal Server Error",
                                    "204 No Content"])
async def test_non_101_status_refused(status: str) -> None:
    await _fails(lambda req: handshake_response(req, status=status), REFUSED)


async def test_http_1_0_refused() -> None:
    await _fails(lambda req: handshake_response(req, version="HTTP/1.0"), REFUSED)


@pytest.mark.parametrize("garbage", [b"hello world\r\n\r\n", b"\x00\xff\x81\x05hello",
                                     b"HTTP/1.1 abc\r\n\r\n", b"SSH-2.0-OpenSSH_9.0\r\n"])
async def test_garbage_instead_of_http_refused(garbage: bytes) -> None:
    await _fails(garbage, REFUSED, close_after_response=True)


@pytest.mark.parametrize("partial", [b"", b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: webs"])
async def test_eof_before_the_head_ends_refused(partial: bytes) -> None:
    await _fails(partial, REFUSED, close_after_response=True)


async def test_oversized_response_head_fails_without_hanging() -> None:
    def respond(req):
        extra = [(f"X-Filler-{i}", "y" * 100) for i in range(2000)]
        return handshake_response(req, extra=extra)

    lis = await _fails(respond, REFUSED)
    assert lis.status != Cr.NS_OK


@pytest.mark.parametrize(
    "kw",
    [
        {"accept": "dGhlIHNhbXBsZSBub25jZQ=="},
        {"accept": ""},
        {"omit": ("Sec-WebSocket-Accept",)},
        {"omit": ("Upgrade",)},
        {"upgrade": "h2c"},
        {"omit": ("Connection",)},
        {"connection": "keep-alive"},
        {"extensions": "x-webkit-deflate-frame"},
        {"extensions": "permessage-foo"},
    ],
    ids=["wrong-accept", "empty-accept", "no-accept", "no-upgrade", "upgrade-h2c", "no-connection",
         "connection-keepalive", "unoffered-extension", "unknown-extension"],
)
async def test_101_violations_illegal_value(kw: dict) -> None:
    await _fails(lambda req: handshake_response(req, **kw), ILLEGAL)


async def test_accept_computed_from_another_key_illegal_value() -> None:
    from support.rawserver import accept_key

    await _fails(lambda req: handshake_response(req, accept=accept_key("AAAAAAAAAAAAAAAAAAAAAA==")),
                 ILLEGAL)


async def test_subprotocol_not_offered_illegal_value() -> None:
    await _fails(lambda req: handshake_response(req, subprotocol="other"), ILLEGAL, protocol="chat")


async def test_subprotocol_must_match_exactly() -> None:
    await _fails(lambda req: handshake_response(req, subprotocol="Chat"), ILLEGAL, protocol="chat")


async def test_two_subprotocols_chosen_illegal_value() -> None:
    await _fails(lambda req: handshake_response(req, subprotocol="chat, superchat"), ILLEGAL,
                 protocol="chat, superchat")


async def test_deflate_accepted_when_not_offered_illegal_value() -> None:
    with set_pref("network.websocket.extensions.permessage-deflate", False):
        await _fails(lambda req: handshake_response(req, extensions="permessage-deflate"), ILLEGAL)


async def test_404_with_body_refused() -> None:
    await _fails(http_response("HTTP/1.1 404 Not Found", [("Content-Length", "5")], b"nope!"), REFUSED)


async def test_channel_usable_after_open_returns_only() -> None:
    """asyncOpen returns before any callback (the listener records violations otherwise)."""
    async with RawServer(echo_script) as srv:
        lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
        open_channel(srv.url, lis)
        assert lis.events == []
        await lis.wait_stopped()
    lis.expect_status(Cr.NS_OK)


async def test_response_head_dribbled_byte_by_byte_with_a_frame_after() -> None:
    import trio

    async def respond(req):
        peer = srv.peers[req.index]
        data = handshake_response(req) + build_frame(OP_TEXT, b"after the head")
        for i in range(len(data)):
            await peer.send(data[i : i + 1])
            if i % 8 == 0:
                await trio.sleep(0.001)
        return b""  # everything was sent already

    async def script(peer):
        m = await peer.recv_close()
        await peer.echo_close(m)
        await peer.aclose()

    lis = RecordingListener(on_message=lambda lis, m: lis.channel.close(1000, ""))
    async with RawServer(script, respond=respond) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["after the head"]


async def test_two_accept_headers_illegal_value() -> None:
    from support.rawserver import accept_key

    def respond(req):
        good = accept_key(req.header("sec-websocket-key"))
        return handshake_response(req, extra=[("Sec-WebSocket-Accept", good)])

    await _fails(respond, ILLEGAL)


async def test_connection_tokens_spread_over_two_header_lines() -> None:
    def respond(req):
        return handshake_response(req, connection="keep-alive", extra=[("Connection", "Upgrade")])

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
    async with RawServer(echo_script, respond=respond) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)


@pytest.mark.parametrize(("suffix", "target"),
                         [("", "/"), ("?x=1", "/?x=1"), ("/a%20b/c?q=%2F", "/a%20b/c?q=%2F")])
async def test_request_target_from_the_uri(suffix: str, target: str) -> None:
    async with RawServer(echo_script) as srv:
        url = f"ws://127.0.0.1:{srv.port}{suffix}"
        await run_channel(url, RecordingListener(on_start=lambda lis: lis.channel.close(1000, "")))
    assert srv.requests[0].target == target


@pytest.mark.parametrize("partial", [b"", b"HTTP/1.1 101 Switching Protocols\r\n"])
async def test_reset_during_the_handshake_refused(partial: bytes) -> None:
    import trio

    async def respond(req):
        peer = srv.peers[req.index]
        if partial:
            await peer.send(partial)
            await trio.sleep(0.05)  # let the partial head be read before the reset
        await peer.abort()
        return HANG

    async with RawServer(None, respond=respond) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(REFUSED)
    assert "start" not in lis.kinds()
