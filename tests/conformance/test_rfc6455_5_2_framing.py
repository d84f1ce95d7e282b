"""RFC 6455 section 5.2/5.3: base framing, payload length encodings, masking.

Sizes 0/125/126/127/65535/65536 (and 16 MiB once) both ways; the raw server checks every client
frame (masked, fresh key, minimal length) and each test checks the exact length encoding.
Invalid frames from the server fail the connection with 1002 / NS_ERROR_ILLEGAL_VALUE.
"""

from __future__ import annotations

import pytest
from support.cases import echo_listener, expect_failure, pattern
from support.listener import run_channel, set_pref
from support.rawserver import OP_BINARY, OP_TEXT, RawServer, build_frame

from components import Cr

pytestmark = pytest.mark.timeout(30)

SIZES = [0, 1, 125, 126, 127, 65535, 65536, 100_000]


def header_len(n: int) -> int:
    """Client header size for an n-byte payload: minimal length field + 4-byte mask key."""
    return (2 if n < 126 else 4 if n < 65536 else 10) + 4


@pytest.mark.parametrize("n", SIZES)
async def test_binary_and_text_sizes_both_directions(n: int) -> None:
    data = pattern(n)
    text = ("é" * n)[: max(0, n // 2)] + "x" * (n - 2 * (n // 2))  # n UTF-8 bytes exactly
    assert len(text.encode()) == n
    got = {}

    async def script(peer):
        await peer.send_binary(data)
        await peer.send_text(text)
        got["b"] = await peer.recv_data()
        got["t"] = await peer.recv_data()
        await lis.wait_for("ack", 2)  # acks are not reported after onServerClose
        m = await peer.close_handshake(1000, "done")
        got["close"] = (m.code, m.reason)
        await peer.aclose()

    lis = echo_listener()
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [data, text]
    b, t = got["b"], got["t"]
    assert (b.kind, b.data, t.kind, t.text) == ("binary", data, "text", text)
    for m in (b, t):
        assert len(m.frames) == 1 and m.frames[0].fin
        assert len(m.frames[0].header) == header_len(n), "length field not minimal"
    assert lis.acks == [n, n]
    assert got["close"][0] == 1000
    assert lis.server_close == (1000, "done")


@pytest.mark.timeout(90)
async def test_16_mib_binary_both_directions() -> None:
    data = pattern(16 << 20, seed=7)
    got = {}

    async def script(peer):
        await peer.send_binary(data)
        got["m"] = await peer.recv_data()
        await lis.wait_for("ack")
        m = await peer.close_handshake(1000)
        await peer.aclose()
        got["code"] = m.code

    lis = echo_listener()
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis, timeout=80)
    lis.expect_status(Cr.NS_OK)
    assert len(lis.messages) == 1 and lis.messages[0] == data
    m = got["m"]
    assert m.kind == "binary" and m.data == data
    assert len(m.frames[0].header) == 14  # 64-bit length
    assert lis.acks == [16 << 20]
    assert got["code"] == 1000


async def test_every_client_frame_masked_with_a_fresh_key() -> None:
    keys = []

    async def script(peer):
        for i in range(20):
            m = await peer.recv_data()
            assert m.text == f"m{i}"
        await peer.close_handshake(1000)
        await peer.aclose()
        keys.extend(f.key for f in peer.frames)

    def start(lis):
        for i in range(20):
            lis.channel.sendMsg(f"m{i}")

    from support.listener import RecordingListener

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url, RecordingListener(on_start=start))
    lis.expect_status(Cr.NS_OK)
    assert len(keys) == 21  # 20 messages + the Close
    assert len(set(keys)) == 21, "masking keys repeat"


@pytest.mark.parametrize("n", [0, 125])
async def test_payload_lengths_with_explicit_boundaries_arrive(n: int) -> None:
    """16-bit length 126 and 64-bit 65536 are the smallest legal non-7-bit encodings."""

    async def script(peer):
        await peer.send(build_frame(OP_BINARY, b"a" * n))
        await peer.send(build_frame(OP_BINARY, b"b" * 126, length_bytes=2))
        await peer.send(build_frame(OP_BINARY, b"c" * 65536, length_bytes=8))
        await peer.close_handshake(1000)
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [b"a" * n, b"b" * 126, b"c" * 65536]


@pytest.mark.parametrize(
    ("n", "length_bytes"),
    [(0, 2), (5, 2), (125, 2), (0, 8), (126, 8), (65535, 8)],
    ids=["0-as-16", "5-as-16", "125-as-16", "0-as-64", "126-as-64", "65535-as-64"],
)
async def test_non_minimal_length_fails_1002(n: int, length_bytes: int) -> None:
    frame = build_frame(OP_BINARY, b"z" * n, length_bytes=length_bytes)
    await expect_failure(frame, status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)


async def test_64_bit_length_with_top_bit_fails_1002_without_waiting_for_payload() -> None:
    frame = build_frame(OP_BINARY, b"", length_bytes=8, length=(1 << 63) | 5)
    await expect_failure(frame, status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)


async def test_declared_length_over_the_limit_fails_1009_before_the_payload() -> None:
    # Only the header is sent: a client waiting for 1 TiB of payload would hang here.
    frame = build_frame(OP_BINARY, b"", length_bytes=8, length=1 << 40)
    await expect_failure(frame, status=Cr.NS_ERROR_FILE_TOO_BIG, close_code=1009)


async def test_frame_over_max_message_size_pref_fails_1009() -> None:
    with set_pref("network.websocket.max-message-size", 1000):
        frames = build_frame(OP_BINARY, b"k" * 1000) + build_frame(OP_BINARY, b"k" * 1001)
        lis, _ = await expect_failure(
            frames, status=Cr.NS_ERROR_FILE_TOO_BIG, close_code=1009, delivered=[b"k" * 1000]
        )


async def test_masked_server_frame_fails_1002() -> None:
    """RFC 6455 5.1: a client MUST close the connection if it receives a masked frame."""
    frame = build_frame(OP_TEXT, b"hello", mask=True)
    await expect_failure(frame, status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)


async def test_frames_split_byte_by_byte_reassemble() -> None:
    """A frame header and payload may arrive in any number of TCP segments."""
    import trio

    wire = build_frame(OP_TEXT, "héllo wörld".encode()) + build_frame(OP_BINARY, b"x" * 300)

    async def script(peer):
        for i in range(len(wire)):
            await peer.send(wire[i : i + 1])
            if i % 16 == 0:
                await trio.sleep(0.001)  # give the segments a chance to arrive apart
        await peer.close_handshake(1000)
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == ["héllo wörld", b"x" * 300]


async def test_many_frames_in_one_segment_all_delivered_in_order() -> None:
    wire = b"".join(build_frame(OP_TEXT, f"m{i}".encode()) for i in range(500))

    async def script(peer):
        await peer.send(wire + build_frame(0x8, b"\x03\xe8"))
        m = await peer.recv_close()
        assert m.code == 1000
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [f"m{i}" for i in range(500)]
    assert lis.kinds()[-2:] == ["server_close", "stop"]


@pytest.mark.timeout(90)
async def test_full_duplex_large_messages_do_not_deadlock() -> None:
    """Both sides write 16 MiB at once: more than the socket buffers hold, so a client that
    stopped reading while writing (or the reverse) would deadlock here."""
    import trio
    from support.listener import RecordingListener

    up, down = pattern(16 << 20, seed=1), pattern(16 << 20, seed=2)
    got = {}

    async def script(peer):
        async with trio.open_nursery() as n:
            n.start_soon(peer.send_binary, down)
            got["up"] = await peer.recv_data()
        await lis.wait_for("ack")
        await lis.wait_for("binary")
        await peer.close_handshake(1000)
        await peer.aclose()

    lis = RecordingListener(on_start=lambda lis: lis.channel.sendBinaryMsg(up))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis, timeout=80)
    lis.expect_status(Cr.NS_OK)
    assert got["up"].data == up
    assert lis.messages == [down]
