"""Interop with an independent implementation: the `websockets` package's asyncio server.

Echo of text and binary messages of several sizes, plain and over TLS (trustme), with and
without permessage-deflate (websockets' default offer answer, and explicit parameter sets);
server-initiated close; subprotocol selection; a ping from the server.
"""

from __future__ import annotations

import asyncio

import pytest
from support.cases import pattern
from support.listener import RecordingListener, run_channel
from support.tls import client_context, server_context
from support.wsserver import echo_handler, websockets_server
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

from components import Cr

pytestmark = pytest.mark.timeout(60)

SIZES = [0, 1, 125, 126, 65535, 65536, 1 << 20]


def _payloads() -> list[str | bytes]:
    out: list[str | bytes] = []
    for n in SIZES:
        out.append(pattern(n, seed=n & 0xFF))
        out.append(("wörld " * (n // 7 + 1))[: max(n // 2, 0)])
    return out


def _echo_listener(messages: list[str | bytes]) -> RecordingListener:
    """Sends every message on start; closes with 1000 "done" after the last echo."""

    def start(lis):
        for m in messages:
            (lis.channel.sendMsg if isinstance(m, str) else lis.channel.sendBinaryMsg)(m)

    def got(lis, _msg):
        if len(lis.messages) == len(messages):
            lis.channel.close(1000, "done")

    return RecordingListener(on_start=start, on_message=got, on_binary=got)


async def _echo_round_trip(*, tls: bool = False, expect_deflate: bool | None = None, **serve_kw) -> dict:
    messages = _payloads()
    info: dict = {}

    async def handler(ws):
        info["ext"] = ws.response.headers.get("Sec-WebSocket-Extensions")
        await echo_handler(ws)
        info["close"] = (ws.close_code, ws.close_reason)

    lis = _echo_listener(messages)
    kw = {}
    if tls:
        serve_kw["ssl"] = server_context()
        kw["setup"] = lambda ch: setattr(ch, "sslContext", client_context())

    def on_start_ext(lis_):
        info["client_ext"] = lis_.channel.extensions

    orig_start = lis.hooks["on_start"]
    lis.hooks["on_start"] = lambda l_: (on_start_ext(l_), orig_start(l_))
    with websockets_server(handler, **serve_kw) as srv:
        await run_channel(srv.url, lis, timeout=50, **kw)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == messages
    assert lis.acks == [len(m.encode() if isinstance(m, str) else m) for m in messages]
    assert info["close"] == (1000, "done")
    if expect_deflate is not None:
        assert (info["ext"] is not None and "permessage-deflate" in info["ext"]) == expect_deflate
        assert ("permessage-deflate" in info["client_ext"]) == expect_deflate
    return info


async def test_echo_plain_no_compression() -> None:
    await _echo_round_trip(compression=None, expect_deflate=False)


async def test_echo_plain_with_deflate_defaults() -> None:
    # websockets answers with server_max_window_bits=12; client_max_window_bits=12.
    info = await _echo_round_trip(expect_deflate=True)
    assert "client_max_window_bits=12" in info["ext"]


@pytest.mark.parametrize("params", [
    {"server_no_context_takeover": True, "client_no_context_takeover": True},
    {"server_max_window_bits": 9, "client_max_window_bits": 9},
    {"server_max_window_bits": 15, "client_max_window_bits": 15, "client_no_context_takeover": True},
], ids=["no-context-both", "window-9", "window-15-client-no-context"])
async def test_echo_with_deflate_parameters(params: dict) -> None:
    info = await _echo_round_trip(compression=None, extensions=[ServerPerMessageDeflateFactory(**params)],
                                  expect_deflate=True)
    for k in params:
        assert k in info["ext"]


async def test_echo_tls_no_compression() -> None:
    await _echo_round_trip(tls=True, compression=None, expect_deflate=False)


async def test_echo_tls_with_deflate() -> None:
    await _echo_round_trip(tls=True, expect_deflate=True)


async def test_security_info_over_tls() -> None:
    got = {}

    def start(lis):
        got["info"] = lis.channel.securityInfo
        lis.channel.close(1000, "")

    with websockets_server(echo_handler, ssl=server_context()) as srv:
        lis = await run_channel(srv.url, RecordingListener(on_start=start),
                                setup=lambda ch: setattr(ch, "sslContext", client_context()))
    lis.expect_status(Cr.NS_OK)
    assert got["info"] is not None


async def test_server_initiated_close() -> None:
    async def handler(ws):
        await ws.send("about to close")
        await ws.close(4000, "server bye")

    with websockets_server(handler) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["about to close"]
    assert lis.server_close == (4000, "server bye")
    assert lis.kinds()[-2:] == ["server_close", "stop"]
    ws = srv.connections[0]
    assert ws.protocol.close_rcvd is not None and ws.protocol.close_rcvd.code == 4000  # our echo of its code


async def test_subprotocol_selection() -> None:
    got = {}

    async def handler(ws):
        got["server"] = ws.subprotocol
        got["offered"] = ws.request.headers.get("Sec-WebSocket-Protocol")
        await echo_handler(ws)

    def start(lis):
        got["client"] = lis.channel.protocol
        lis.channel.close(1000, "")

    with websockets_server(handler, subprotocols=["superchat"]) as srv:
        lis = await run_channel(srv.url, RecordingListener(on_start=start), protocol="chat, superchat")
    lis.expect_status(Cr.NS_OK)
    assert got["server"] == "superchat" and got["client"] == "superchat"
    assert [p.strip() for p in got["offered"].split(",")] == ["chat", "superchat"]


async def test_ping_from_the_server_is_answered() -> None:
    async def handler(ws):
        waiter = await ws.ping(b"are you there?")
        await asyncio.wait_for(waiter, 10)  # resolved only by a pong with this payload
        await ws.send("pong seen")
        await echo_handler(ws)

    lis = RecordingListener(on_message=lambda lis, m: lis.channel.close(1000, ""))
    with websockets_server(handler) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["pong seen"]


async def test_oversized_message_from_websockets_fails_1009() -> None:
    from support.listener import set_pref

    async def handler(ws):
        await ws.send(b"z" * 2000)
        await ws.wait_closed()

    with set_pref("network.websocket.max-message-size", 1000):
        with websockets_server(handler) as srv:
            lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_FILE_TOO_BIG)
    assert srv.connections[0].protocol.close_rcvd.code == 1009


@pytest.mark.parametrize("compression", [None, "deflate"])
async def test_fragmented_messages_from_websockets(compression) -> None:
    async def handler(ws):
        await ws.send(["frag", "men", "ted ✓"])  # one text message in three frames
        await ws.send([b"\x00" * 70000, b"\x01" * 10, b""])
        await echo_handler(ws)

    def got(lis, _m):
        if len(lis.messages) == 2:
            lis.channel.close(1000, "")

    lis = RecordingListener(on_message=got, on_binary=got)
    with websockets_server(handler, compression=compression) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["fragmented ✓", b"\x00" * 70000 + b"\x01" * 10]


async def test_websockets_keepalive_pings_get_pongs() -> None:
    """websockets records a latency only when a pong answers its keepalive ping."""

    async def handler(ws):
        while ws.latency == 0:
            await asyncio.sleep(0.02)
        await ws.send("keepalive answered")
        await echo_handler(ws)

    lis = RecordingListener(on_message=lambda lis, m: lis.channel.close(1000, ""))
    with websockets_server(handler, ping_interval=0.05, ping_timeout=20) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["keepalive answered"]


async def test_handshake_rejected_by_websockets_is_refused() -> None:
    from http import HTTPStatus

    def process_request(connection, request):
        return connection.respond(HTTPStatus.FORBIDDEN, "go away\n")

    with websockets_server(echo_handler, process_request=process_request) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    assert "start" not in lis.kinds()


async def test_request_path_and_origin_seen_by_websockets() -> None:
    got = {}

    async def handler(ws):
        got["path"] = ws.request.path
        got["origin"] = ws.request.headers.get("Origin")
        await echo_handler(ws)

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
    with websockets_server(handler) as srv:
        await run_channel(srv.url + "chat/room?id=7", lis, origin="https://app.example")
    lis.expect_status(Cr.NS_OK)
    assert got == {"path": "/chat/room?id=7", "origin": "https://app.example"}
