"""The built-in echo server, driven with raw bytes (and by the channel with a subprotocol)."""

from __future__ import annotations

import pytest
import trio
from support.listener import RecordingListener, run_channel
from support.rawserver import accept_key, apply_mask

from components import Cr
from components.websocket.echoserver import MAX_MESSAGE, open_echo_server
from components.websocket.protocol.frames import decode_frames, encode_frame

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


REQUEST = (b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Key: " + KEY.encode() + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")


async def _read_all(stream: trio.SocketStream) -> bytes:
    """Everything until the server closes TCP."""
    buf = b""
    while chunk := await stream.receive_some(1 << 20):
        buf += chunk
    return buf


async def _session(first_write: bytes, *more: bytes) -> bytes:
    """Open a connection, write the request (and whatever follows it), return all the server sent
    after its 101 head, up to its TCP close."""
    async with open_echo_server() as port:
        stream = await trio.open_tcp_stream("127.0.0.1", port)
        async with stream:
            await stream.send_all(REQUEST + first_write)
            for data in more:
                await stream.send_all(data)
            got = await _read_all(stream)
    head, sep, rest = got.partition(b"\r\n\r\n")
    assert sep and head.startswith(b"HTTP/1.1 101"), got[:200]
    return rest


def _frames(wire: bytes) -> list[tuple[int, bool, bytes]]:
    frames, used = decode_frames(wire)
    assert used == len(wire) and not any(fr.masked for fr in frames)  # RFC 6455 5.1: servers never mask
    return [(fr.opcode, fr.fin, fr.payload) for fr in frames]


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
            # The fragmented message comes back as one message (one unmasked frame).
            assert got == b"\x8a\x01p" + b"\x81\x03abc" + b"\x88\x05\x03\xe8bye"
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


async def test_frames_in_the_request_packet_and_large_fragmented_binary() -> None:
    big = bytes(range(256)) * 12000  # ~3 MiB, reassembled and echoed as one message
    wire = (encode_frame(2, big[:1_000_000], fin=False, mask_key=b"abcd")
            + encode_frame(0, big[1_000_000:], mask_key=b"wxyz")
            + encode_frame(8, b"", mask_key=b"abcd"))
    frames = _frames(await _session(wire[:1000], wire[1000:]))
    assert frames == [(2, True, big), (8, True, b"")]  # an empty Close is echoed empty


async def test_wrong_version_gets_426_with_the_version_we_speak() -> None:
    async with open_echo_server() as port:
        stream = await trio.open_tcp_stream("127.0.0.1", port)
        async with stream:
            await stream.send_all(REQUEST.replace(b"Version: 13", b"Version: 8"))
            head = await _read_all(stream)
    assert head.startswith(b"HTTP/1.1 426")
    assert b"Sec-WebSocket-Version: 13\r\n" in head


async def test_message_then_violation_in_one_write_echo_first_then_1002() -> None:
    wire = _client_frame(0x81, b"first") + bytes([0x83, 0x80]) + b"abcd" + _client_frame(0x81, b"never")
    assert _frames(await _session(wire)) == [(1, True, b"first"), (8, True, b"\x03\xea")]


async def test_invalid_utf8_gets_1007() -> None:
    assert _frames(await _session(_client_frame(0x81, b"ok\xff")))[-1] == (8, True, b"\x03\xef")


async def test_message_over_the_limit_gets_1009_on_its_header() -> None:
    header = encode_frame(2, b"", length=MAX_MESSAGE + 1, length_form=64, mask_key=b"abcd")
    assert _frames(await _session(header)) == [(8, True, b"\x03\xf1")]  # no payload was needed
