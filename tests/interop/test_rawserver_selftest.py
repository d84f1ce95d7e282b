"""The raw test server checked against an independent client (websockets' sync client).

The conformance suite trusts support.rawserver as its oracle, so the oracle gets its own test:
a correct client must pass all its checks, with and without permessage-deflate.
"""

from __future__ import annotations

import pytest
import trio
from support.rawserver import OP_TEXT, RawServer, build_frame, deflate_bomb
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.sync.client import connect

pytestmark = pytest.mark.timeout(30)


def _client(url: str, deflate: bool, out: list) -> None:
    ext = [ClientPerMessageDeflateFactory(client_max_window_bits=True)] if deflate else []
    with connect(url, extensions=ext, compression=None, subprotocols=["chat"]) as ws:
        ws.send("héllo" * 100)
        ws.send(b"\x00" * 70000)
        out.append(ws.recv())
        out.append(ws.recv())
        out.append(ws.subprotocol)
        ws.close(1000, "bye")


@pytest.mark.parametrize("deflate", [False, True])
async def test_rawserver_accepts_a_correct_client(deflate: bool) -> None:
    seen = {}

    async def script(peer):
        seen["req"] = peer.request
        m1 = await peer.recv_data()
        m2 = await peer.recv_data()
        seen["msgs"] = (m1, m2)
        await peer.send_text("a" * 300, fragments=3)
        await peer.send_binary(b"xyz" * 10000)
        close = await peer.recv_close()
        seen["close"] = (close.code, close.reason)
        await peer.echo_close(close)
        await peer.aclose()  # RFC 6455 7.1.1: the server closes TCP first

    ext = "permessage-deflate; client_max_window_bits=10" if deflate else None
    out: list = []
    async with RawServer(script, subprotocol="chat", extensions=ext) as srv:
        await trio.to_thread.run_sync(_client, srv.url, deflate, out)
    m1, m2 = seen["msgs"]
    assert (m1.kind, m1.text) == ("text", "héllo" * 100)
    assert (m2.kind, m2.data) == ("binary", b"\x00" * 70000)
    assert m1.compressed is deflate and m2.compressed is deflate
    assert out == ["a" * 300, b"xyz" * 10000, "chat"]
    assert seen["close"] == (1000, "bye")
    assert seen["req"].header("sec-websocket-version") == "13"
    assert "websocket" in seen["req"].tokens("upgrade")


def test_frame_builder_encodings() -> None:
    assert build_frame(OP_TEXT, b"hi") == b"\x81\x02hi"
    assert build_frame(OP_TEXT, b"hi", length_bytes=2) == b"\x81\x7e\x00\x02hi"
    assert build_frame(OP_TEXT, b"hi", length_bytes=8) == b"\x81\x7f" + b"\x00" * 7 + b"\x02hi"
    assert build_frame(0x0, b"", fin=False, rsv1=True) == b"\x40\x00"
    masked = build_frame(OP_TEXT, b"abcd", mask=b"\x01\x02\x03\x04")
    assert masked == b"\x81\x84\x01\x02\x03\x04" + bytes([0x60, 0x60, 0x60, 0x60])
    assert len(build_frame(2, b"x" * 65536)) == 65536 + 10


def test_deflate_bomb_inflates_to_the_size() -> None:
    import zlib

    bomb = deflate_bomb(8 << 20)
    assert len(bomb) < 16 << 10
    d = zlib.decompressobj(-15)
    assert len(d.decompress(bomb + b"\x00\x00\xff\xff")) == 8 << 20


@pytest.mark.parametrize(
    ("frame", "complaint"),
    [
        (build_frame(OP_TEXT, b"hi"), "not masked"),
        (build_frame(OP_TEXT, b"hi", mask=True, length_bytes=2), "16-bit length"),
        (build_frame(OP_TEXT, b"hi", mask=True, rsv1=True), "RSV1 without"),
        (build_frame(0x3, b"", mask=True), "reserved opcode"),
        (build_frame(0x0, b"x", mask=True), "nothing to continue"),
        (build_frame(0x9, b"", mask=True, fin=False), "fragmented a control"),
        (build_frame(OP_TEXT, b"\xff", mask=True), "not UTF-8"),
    ],
)
async def test_rawserver_catches_a_broken_client(frame: bytes, complaint: str) -> None:
    async def script(peer):
        await peer.recv_message()

    with pytest.raises(AssertionError, match=complaint):
        async with RawServer(script) as srv:
            stream = await trio.open_tcp_stream("127.0.0.1", srv.port)
            await stream.send_all(
                b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            head = b""
            while b"\r\n\r\n" not in head:
                head += await stream.receive_some(4096)
            assert b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head
            await stream.send_all(frame)
            await srv._idle.wait()
            await stream.aclose()
