"""RFC 7692: permessage-deflate negotiation, both directions of every parameter, and limits.

The raw server inflates the client's messages under the negotiated rules: with a window of
exactly client_max_window_bits and a fresh inflater per message under
client_no_context_takeover, so a client that used a bigger window or kept its context fails
to inflate there. Server-to-client messages are compressed with the negotiated server window,
with context takeover unless server_no_context_takeover.
"""

from __future__ import annotations

import random
import resource
import sys
from functools import cache

import pytest
from support.cases import expect_failure
from support.listener import RecordingListener, run_channel, set_pref
from support.rawserver import (
    OP_BINARY,
    OP_CONT,
    OP_PING,
    OP_TEXT,
    Deflater,
    RawServer,
    build_frame,
    deflate_bomb,
    deflate_message,
    handshake_response,
)

from components import Cr

pytestmark = pytest.mark.timeout(30)

PMD = "permessage-deflate"


def repeated_block(block: int, copies: int = 2, seed: int = 1) -> bytes:
    """Random bytes repeated: compresses only with back-references at distance *block*."""
    import random

    rnd = random.Random(seed)
    b = bytes(rnd.getrandbits(8) for _ in range(block))
    return b * copies


# -- negotiation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ext",
    [
        PMD,
        f"{PMD}; server_no_context_takeover",
        f"{PMD}; client_no_context_takeover",
        f"{PMD}; server_max_window_bits=10",
        f"{PMD}; client_max_window_bits=9",
        f"{PMD}; server_no_context_takeover; client_no_context_takeover; "
        "server_max_window_bits=12; client_max_window_bits=11",
        f'{PMD}; server_max_window_bits="10"',
    ],
)
async def test_accepted_configurations_are_reflected_in_extensions(ext: str) -> None:
    got = {}

    def start(lis):
        got["ext"] = lis.channel.extensions
        lis.channel.close(1000, "")

    from support.cases import echo_script

    async with RawServer(echo_script, extensions=ext) as srv:
        lis = await run_channel(srv.url, RecordingListener(on_start=start))
    lis.expect_status(Cr.NS_OK)
    assert got["ext"].lower().startswith(PMD)
    for p in ("server_no_context_takeover", "client_no_context_takeover", "server_max_window_bits",
              "client_max_window_bits"):
        assert (p in got["ext"]) == (p in ext), f"{p} in extensions {got['ext']!r} vs response {ext!r}"


@pytest.mark.parametrize(
    "ext",
    [
        f"{PMD}; foo",
        f"{PMD}; server_no_context_takeover; server_no_context_takeover",
        f"{PMD}; server_max_window_bits=7",
        f"{PMD}; server_max_window_bits=16",
        f"{PMD}; server_max_window_bits=abc",
        f"{PMD}; server_max_window_bits",
        f"{PMD}; client_max_window_bits=7",
        f"{PMD}; client_max_window_bits=16",
        f"{PMD}; server_no_context_takeover=1",
        f"{PMD}, {PMD}",
        f"{PMD}; server_max_window_bits=010",
    ],
    ids=["unknown-param", "duplicate-param", "server-bits-7", "server-bits-16", "server-bits-abc",
         "server-bits-no-value", "client-bits-7", "client-bits-16", "flag-with-value", "twice",
         "leading-zero"],
)
async def test_invalid_negotiation_response_fails_handshake(ext: str) -> None:
    async with RawServer(None, respond=lambda req: handshake_response(req, extensions=ext)) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_ILLEGAL_VALUE)
    assert "start" not in lis.kinds()


async def test_offer_omitted_when_pref_off_and_no_compression() -> None:
    got = {}

    async def script(peer):
        m = await peer.recv_data()
        got["m"] = m
        await peer.send_text("x" * 1000)  # plain, as nothing was negotiated
        c = await peer.recv_close()
        await peer.echo_close(c)
        await peer.aclose()

    lis = RecordingListener(on_start=lambda lis: lis.channel.sendMsg("y" * 5000),
                            on_message=lambda lis, m: lis.channel.close(1000, ""))
    with set_pref("network.websocket.extensions.permessage-deflate", False):
        async with RawServer(script) as srv:
            await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert srv.requests[0].header_list("sec-websocket-extensions") == []
    assert not got["m"].compressed and got["m"].text == "y" * 5000


# -- client -> server --------------------------------------------------------------------------------


async def _client_sends(ext: str, messages: list[bytes | str]) -> list:
    got: list = []

    async def script(peer):
        for _ in messages:
            got.append(await peer.recv_data())
        await lis.wait_for("ack", len(messages))  # acks are not reported after onServerClose
        c = await peer.close_handshake(1000)
        assert c.code == 1000
        await peer.aclose()

    def start(lis):
        for m in messages:
            (lis.channel.sendMsg if isinstance(m, str) else lis.channel.sendBinaryMsg)(m)

    lis = RecordingListener(on_start=start)
    async with RawServer(script, extensions=ext) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert [m.text if m.kind == "text" else m.data for m in got] == messages
    assert lis.acks == [len(m.encode() if isinstance(m, str) else m) for m in messages]
    return got


async def test_client_compresses_compressible_messages() -> None:
    text = "hello compression " * 500
    got = await _client_sends(PMD, [text, text.encode()])
    for m in got:
        assert m.compressed and m.frames[0].rsv1
        assert len(m.frames[0].payload) < len(text) // 10


@pytest.mark.parametrize("bits", [8, 9, 10, 11, 12, 15])
async def test_client_max_window_bits_honoured(bits: int) -> None:
    # Back-references at distance 3000 fit a 4 KiB+ window, not a 2 KiB or smaller one.
    msgs = [repeated_block(3000, 3, seed=bits), repeated_block(600, 5, seed=bits + 50)]
    got = await _client_sends(f"{PMD}; client_max_window_bits={bits}", msgs)
    if bits >= 12:
        assert got[0].compressed and len(got[0].frames[0].payload) < 4000, "window not used"
    if bits >= 10:
        assert got[1].compressed and len(got[1].frames[0].payload) < 1500


async def test_client_context_takeover_kept_by_default_is_consistent() -> None:
    block = repeated_block(2000, 1, seed=9)
    got = await _client_sends(PMD, [block, block, block])  # the server inflates with context
    assert all(m.compressed or len(m.data) == 2000 for m in got)


async def test_client_no_context_takeover_honoured() -> None:
    # Each message alone has nothing to reference; with context the 2nd and 3rd would refer
    # back into the 1st, and the server's fresh inflater would fail on them.
    block = repeated_block(2000, 1, seed=11)
    got = await _client_sends(f"{PMD}; client_no_context_takeover", [block, block, block + b"!"])
    assert len(got) == 3


@pytest.mark.parametrize("ext", [PMD, f"{PMD}; client_no_context_takeover; client_max_window_bits=9",
                                 f"{PMD}; client_max_window_bits=11"])
async def test_rsv1_only_on_the_first_fragment_of_a_compressed_stream(tmp_path, ext: str) -> None:
    data = repeated_block(1500, 2, seed=2) + b"stream me " * 200_000 + repeated_block(3000, 3, seed=3)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    got = {}

    async def script(peer):
        got["m"] = await peer.recv_data()  # the server rejects RSV1 on a continuation
        got["after"] = await peer.recv_data()
        await lis.wait_for("ack", 2)
        c = await peer.close_handshake(1000)
        assert c.code == 1000
        await peer.aclose()

    f = open(path, "rb")  # noqa: SIM115 - the channel reads it in the background
    try:
        def start(lis):
            lis.channel.sendBinaryStream(f, len(data))
            lis.channel.sendBinaryMsg(data[:5000])  # after the stream: context rules still hold

        lis = RecordingListener(on_start=start)
        async with RawServer(script, extensions=ext) as srv:
            await run_channel(srv.url, lis)
    finally:
        f.close()
    lis.expect_status(Cr.NS_OK)
    m = got["m"]
    assert m.data == data
    assert all(not fr.rsv1 for fr in m.frames[1:])
    assert len(m.frames) > 1 and m.compressed
    assert got["after"].data == data[:5000]
    assert lis.acks == [len(data), 5000]


# -- server -> client ---------------------------------------------------------------------------------


async def _server_sends(ext: str, wire_fn) -> RecordingListener:
    async def script(peer):
        await peer.send(wire_fn(peer))
        c = await peer.close_handshake(1000)
        assert c.code == 1000
        await peer.aclose()

    async with RawServer(script, extensions=ext) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    return lis


async def test_server_context_takeover_across_messages() -> None:
    block = repeated_block(3000, 1, seed=3)
    d = Deflater(15, no_context_takeover=False)
    p1, p2 = d.compress(block), d.compress(block)
    assert len(p2) < len(deflate_message(block)) // 4  # p2 really refers into message 1
    lis = await _server_sends(PMD, lambda peer: build_frame(OP_BINARY, p1, rsv1=True)
                              + build_frame(OP_BINARY, p2, rsv1=True))
    assert lis.messages == [block, block]


@pytest.mark.parametrize("bits", [9, 10, 12, 15])
async def test_server_max_window_bits(bits: int) -> None:
    msgs = [repeated_block(300, 4, seed=bits), repeated_block(3000, 2, seed=bits)]
    d = Deflater(bits)

    def wire(peer):
        return b"".join(build_frame(OP_BINARY, d.compress(m), rsv1=True) for m in msgs)

    lis = await _server_sends(f"{PMD}; server_max_window_bits={bits}", wire)
    assert lis.messages == msgs


async def test_server_no_context_takeover() -> None:
    block = repeated_block(1000, 2, seed=5)
    lis = await _server_sends(f"{PMD}; server_no_context_takeover", lambda peer: b"".join(
        build_frame(OP_BINARY, deflate_message(block), rsv1=True) for _ in range(3)))
    assert lis.messages == [block] * 3


async def test_compressed_fragmented_with_control_frame_between() -> None:
    text = "fragmented and compressed ✓ " * 100
    payload = deflate_message(text.encode())
    a, b, c = payload[:10], payload[10:20], payload[20:]
    lis = await _server_sends(PMD, lambda peer: build_frame(OP_TEXT, a, fin=False, rsv1=True)
                              + build_frame(OP_PING, b"x") + build_frame(OP_CONT, b, fin=False)
                              + build_frame(OP_CONT, c))
    assert lis.messages == [text]


async def test_uncompressed_message_allowed_when_negotiated() -> None:
    lis = await _server_sends(PMD, lambda peer: build_frame(OP_TEXT, b"plain")
                              + build_frame(OP_TEXT, deflate_message(b"packed"), rsv1=True))
    assert lis.messages == ["plain", "packed"]


async def test_empty_compressed_message() -> None:
    lis = await _server_sends(PMD, lambda peer: build_frame(OP_BINARY, deflate_message(b""), rsv1=True)
                              + build_frame(OP_TEXT, b"\x00", rsv1=True))
    assert lis.messages == [b"", ""]


async def test_compressed_payload_keeping_the_sync_tail_is_accepted() -> None:
    """RFC 7692 7.2.3.4: a sender may leave an empty stored block at the end."""
    import zlib

    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    payload = c.compress(b"tail kept") + c.flush(zlib.Z_SYNC_FLUSH)  # 00 00 ff ff not stripped
    lis = await _server_sends(PMD, lambda peer: build_frame(OP_TEXT, payload, rsv1=True))
    assert lis.messages == ["tail kept"]


# -- failures ---------------------------------------------------------------------------------------


async def test_rsv1_on_continuation_fails_1002() -> None:
    payload = deflate_message(b"abcdef" * 50)
    wire = build_frame(OP_BINARY, payload[:5], fin=False, rsv1=True) + build_frame(
        OP_CONT, payload[5:], rsv1=True)
    await expect_failure(wire, status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002,
                         server_kw={"extensions": PMD})


async def test_rsv1_on_control_frame_fails_1002() -> None:
    await expect_failure(build_frame(OP_PING, b"", rsv1=True), status=Cr.NS_ERROR_ILLEGAL_VALUE,
                         close_code=1002, server_kw={"extensions": PMD})


@pytest.mark.parametrize("rsv", ["rsv2", "rsv3"])
async def test_rsv2_rsv3_fail_even_with_deflate(rsv: str) -> None:
    await expect_failure(build_frame(OP_TEXT, b"x", **{rsv: True}), status=Cr.NS_ERROR_ILLEGAL_VALUE,
                         close_code=1002, server_kw={"extensions": PMD})


@pytest.mark.parametrize("garbage", [b"\xff\xff\xff\xff", b"\x07\x00", random.Random(0).randbytes(64)],
                         ids=["ff", "reserved-block-type", "random"])
async def test_inflate_error_invalid_content_encoding(garbage: bytes) -> None:
    import zlib

    with pytest.raises(zlib.error):  # the bytes really do not inflate
        zlib.decompressobj(-15).decompress(garbage + b"\x00\x00\xff\xff")
    await expect_failure(build_frame(OP_BINARY, garbage, rsv1=True),
                         status=Cr.NS_ERROR_INVALID_CONTENT_ENCODING, close_code=1002,
                         server_kw={"extensions": PMD})


async def test_compressed_invalid_utf8_text_fails_1007() -> None:
    await expect_failure(build_frame(OP_TEXT, deflate_message(b"ok \xed\xa0\x80"), rsv1=True),
                         status=Cr.NS_ERROR_CANNOT_CONVERT_DATA, close_code=1007,
                         server_kw={"extensions": PMD})


async def test_inflated_size_over_the_limit_fails_1009() -> None:
    with set_pref("network.websocket.max-message-size", 1000):
        ok = build_frame(OP_BINARY, deflate_message(b"a" * 1000), rsv1=True)
        big = build_frame(OP_BINARY, deflate_message(b"a" * 1001), rsv1=True)
        assert len(big) < 100
        await expect_failure(ok + big, status=Cr.NS_ERROR_FILE_TOO_BIG, close_code=1009,
                             server_kw={"extensions": PMD}, delivered=[b"a" * 1000])


@cache
def _gib_bomb() -> bytes:
    return deflate_bomb(1 << 30, chunk=16 << 20)


def _maxrss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


@pytest.mark.timeout(120)
async def test_decompression_bomb_fails_1009_without_inflating_it() -> None:
    """1 GiB of zeros in ~1 MiB: the default 64 MiB limit must stop it, in bounded memory."""
    bomb = _gib_bomb()
    assert len(bomb) < 2 << 20
    before = _maxrss_bytes()
    await expect_failure(build_frame(OP_BINARY, bomb, rsv1=True), status=Cr.NS_ERROR_FILE_TOO_BIG,
                         close_code=1009, server_kw={"extensions": PMD}, timeout=100)
    grown = _maxrss_bytes() - before
    assert grown < 400 << 20, f"peak RSS grew by {grown >> 20} MiB while refusing a bomb"


async def test_bomb_split_over_fragments_fails_1009() -> None:
    bomb = deflate_bomb(8 << 20)
    parts = [bomb[i : i + 1000] for i in range(0, len(bomb), 1000)]
    wire = build_frame(OP_BINARY, parts[0], fin=False, rsv1=True) + b"".join(
        build_frame(OP_CONT, p, fin=i == len(parts) - 2) for i, p in enumerate(parts[1:]))
    with set_pref("network.websocket.max-message-size", 1 << 20):
        await expect_failure(wire, status=Cr.NS_ERROR_FILE_TOO_BIG, close_code=1009,
                             server_kw={"extensions": PMD})


# -- RFC 7692 section 7.2.3: the RFC's own examples, byte for byte -------------------------------------

RFC_EXAMPLES = {
    # 7.2.3.1 "Hello" in one compressed frame, then fragmented over two frames
    "7.2.3.1-single": ["c107f248cdc9c90700"],
    "7.2.3.1-fragmented": ["4103f248cd", "8004c9c90700"],
    # 7.2.3.2 two "Hello" messages sharing the LZ77 sliding window
    "7.2.3.2-context": ["c107f248cdc9c90700", "c105f200110001"],
    # 7.2.3.3 a DEFLATE block with no compression
    "7.2.3.3-stored": ["c10b0005 00faff48656c6c6f00"],
    # 7.2.3.4 a DEFLATE block with BFINAL set, then a message after it
    "7.2.3.4-bfinal": ["c108f348cdc9c9070000", "c107f248cdc9c90700"],
    # 7.2.3.5 two DEFLATE blocks in one message
    "7.2.3.5-two-blocks": ["c10df2480500 0000ffffcac9c90700"],
}


@pytest.mark.parametrize("frames", RFC_EXAMPLES.values(), ids=RFC_EXAMPLES.keys())
async def test_rfc7692_examples(frames: list[str]) -> None:
    wire = b"".join(bytes.fromhex(f.replace(" ", "")) for f in frames)
    n_messages = sum(1 for f in frames if bytes.fromhex(f.replace(" ", ""))[0] & 0x80)
    lis = await _server_sends(PMD, lambda peer: wire)
    assert lis.messages == ["Hello"] * n_messages


async def test_compressed_frames_in_the_same_segment_as_the_101() -> None:
    def respond(req):
        d = Deflater(15)
        return handshake_response(req, extensions=PMD) + b"".join(
            build_frame(OP_TEXT, d.compress(b"early compressed %d" % i), rsv1=True) for i in range(3))

    async def script(peer):
        m = await peer.recv_close()
        await peer.echo_close(m)
        await peer.aclose()

    def got(lis, _m):
        if len(lis.messages) == 3:
            lis.channel.close(1000, "")

    lis = RecordingListener(on_message=got)
    async with RawServer(script, respond=respond) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [f"early compressed {i}" for i in range(3)]


@pytest.mark.parametrize("ext", [PMD, f"{PMD}; client_no_context_takeover"])
async def test_client_sends_empty_and_tiny_messages_with_deflate(ext: str) -> None:
    await _client_sends(ext, ["", b"", "a", b"\x00", "", "é" * 3])


async def test_inflated_limit_applies_per_message() -> None:
    d = Deflater(15)
    msgs = [bytes([65 + i]) * 800 for i in range(5)]
    with set_pref("network.websocket.max-message-size", 1000):
        lis = await _server_sends(PMD, lambda peer: b"".join(
            build_frame(OP_BINARY, d.compress(m), rsv1=True) for m in msgs))
    assert lis.messages == msgs
