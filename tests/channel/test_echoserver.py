"""The built-in echo server, driven with raw bytes (and by the channel with a subprotocol)."""

from __future__ import annotations

import pytest
import trio
from support.listener import RecordingListener, run_channel
from support.rawserver import accept_key, apply_mask

from components import Cr
from components.websocket.echoserver import open_echo_server

pytestmark = pytest.mark.timeout(30)

KEY = "dGhlIHNhbXBsZSBub25jZQ=="


async def _read_until(stream: trio.SocketStream, marker: bytes) -> bytes:
    buf = b""
    while marker not in buf:
        chunk = await stream.receive_some(65536)
        assert chunk, f"EOF before {marker!r}: {buf!r}"
        buf += chunk
    return buf


def _client_frame(b0: int, payload: bytes, key: bytes = b"\x01\x02\x03\x04") -> bytes:
    assert len(payload) < 126
    return bytes([b0, 0x80 | len(payload)]) + key + apply_mask(payload, key)


async def test_handshake_ping_fragments_and_close() -> None:
    async with open_echo_server() as port:
        stream = await trio.open_tcp_stream("127.0.0.1", port)
        async with stream:
            await stream.send_all(
                b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Key: " + KEY.encode() + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
            head = await _read_until(stream, b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 101")
            assert b"Sec-WebSocket-Accept: " + accept_key(KEY).encode() in head
            await stream.send_all(_client_frame(0x89, b"p") + _client_frame(0x01, b"ab")
                                  + _client_frame(0x80, b"c") + _client_frame(0x88, b"\x03\xe8bye"))
            got = await _read_until(stream, b"bye")
            assert got == b"\x8a\x01p" + b"\x01\x02ab" + b"\x80\x01c" + b"\x88\x05\x03\xe8bye"
            assert await stream.receive_some(10) == b""  # the server closes TCP first


async def test_not_a_websocket_request_gets_400() -> None:
    async with open_echo_server() as port:
        stream = await trio.open_tcp_stream("127.0.0.1", port)
        async with stream:
            await stream.send_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert (await _read_until(stream, b"\r\n\r\n")).startswith(b"HTTP/1.1 400")


async def test_unmasked_frame_gets_1002() -> None:
    async with open_echo_server() as port:
        stream = await trio.open_tcp_stream("127.0.0.1", port)
        async with stream:
            await stream.send_all(
                b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Key: " + KEY.encode() + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
            await _read_until(stream, b"\r\n\r\n")
            await stream.send_all(b"\x81\x01x")
            assert await _read_until(stream, b"\x03\xea") == b"\x88\x02\x03\xea"


async def test_subprotocol_is_chosen_from_the_offer() -> None:
    async with open_echo_server(protocols=["two"]) as port:
        lis = await run_channel(f"ws://127.0.0.1:{port}/", RecordingListener(
            on_start=lambda lis: lis.channel.close(1000, "")), protocol="one, two")
    assert lis.status == Cr.NS_OK
    assert lis.channel.protocol == "two"
