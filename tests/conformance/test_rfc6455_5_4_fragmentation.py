"""RFC 6455 section 5.4: fragmentation, with control frames between fragments."""

from __future__ import annotations

import pytest
from support.cases import expect_failure, pattern
from support.listener import run_channel
from support.rawserver import OP_BINARY, OP_CONT, OP_PING, OP_PONG, OP_TEXT, RawServer, build_frame

from components import Cr

pytestmark = pytest.mark.timeout(30)


def fragments(opcode: int, data: bytes, sizes: list[int]) -> bytes:
    out, pos = [], 0
    for i, n in enumerate(sizes):
        last = i == len(sizes) - 1
        chunk = data[pos:] if last else data[pos : pos + n]
        pos += n
        out.append(build_frame(opcode if i == 0 else OP_CONT, chunk, fin=last))
    return b"".join(out)


async def _deliver(wire: bytes) -> list:
    async def script(peer):
        await peer.send(wire)
        await peer.close_handshake(1000)
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    return lis.messages


async def test_text_in_three_fragments_is_one_message() -> None:
    data = b"fragmented message"
    assert await _deliver(fragments(OP_TEXT, data, [4, 6, 100])) == ["fragmented message"]


async def test_binary_in_300_one_byte_fragments() -> None:
    data = pattern(300)
    assert await _deliver(fragments(OP_BINARY, data, [1] * 300)) == [data]


async def test_empty_fragments_anywhere() -> None:
    wire = (build_frame(OP_TEXT, b"", fin=False) + build_frame(OP_CONT, b"abc", fin=False)
            + build_frame(OP_CONT, b"", fin=False) + build_frame(OP_CONT, b"", fin=True))
    assert await _deliver(wire) == ["abc"]


async def test_fragmented_message_of_16_bit_and_64_bit_fragments() -> None:
    data = pattern(200_000)
    assert await _deliver(fragments(OP_BINARY, data, [70_000, 130, 0, 129_870])) == [data]


async def test_message_delivered_only_after_its_final_fragment() -> None:
    seen = {}
    from support.listener import RecordingListener

    lis = RecordingListener()

    async def script(peer):
        await peer.send(build_frame(OP_TEXT, b"par", fin=False) + build_frame(OP_PING, b"sync"))
        m = await peer.recv_message()
        assert (m.kind, m.data) == ("pong", b"sync")
        seen["before_final"] = list(lis.messages)  # the client processed frame 1 already
        await peer.send(build_frame(OP_CONT, b"tial", fin=True))
        await peer.close_handshake(1000)
        await peer.aclose()

    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert seen["before_final"] == []
    assert lis.messages == ["partial"]


async def test_ping_between_fragments_answered_and_message_intact() -> None:
    got = {}

    async def script(peer):
        await peer.send(build_frame(OP_BINARY, b"one-", fin=False) + build_frame(OP_PING, b"p1")
                        + build_frame(OP_CONT, b"two-", fin=False) + build_frame(OP_PING, b"p2")
                        + build_frame(OP_PONG, b"unsolicited")
                        + build_frame(OP_CONT, b"three", fin=True))
        got["pongs"] = []
        while b"p2" not in got["pongs"]:
            got["pongs"].append((await peer.recv_message()).data)
        await peer.close_handshake(1000)
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert got["pongs"] in ([b"p1", b"p2"], [b"p2"])  # RFC 6455 5.5.3 allows answering the latest
    assert lis.messages == [b"one-two-three"]


async def test_close_between_fragments_ends_without_the_message() -> None:
    async def script(peer):
        await peer.send(build_frame(OP_TEXT, b"never ", fin=False) + build_frame(0x8, b"\x03\xe8bye"))
        m = await peer.recv_close()
        assert m.code == 1000
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == []
    assert lis.server_close == (1000, "bye")


async def test_continuation_with_nothing_to_continue_fails_1002() -> None:
    await expect_failure(build_frame(OP_CONT, b"orphan"), status=Cr.NS_ERROR_ILLEGAL_VALUE,
                         close_code=1002)


async def test_continuation_after_a_complete_message_fails_1002() -> None:
    wire = build_frame(OP_TEXT, b"done") + build_frame(OP_CONT, b"more", fin=True)
    await expect_failure(wire, status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002, delivered=["done"])


@pytest.mark.parametrize("second", [OP_TEXT, OP_BINARY])
async def test_new_data_frame_inside_a_fragmented_message_fails_1002(second: int) -> None:
    wire = build_frame(OP_BINARY, b"first", fin=False) + build_frame(second, b"intruder")
    await expect_failure(wire, status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)


async def test_fragmented_control_frame_fails_1002() -> None:
    wire = build_frame(OP_PING, b"pi", fin=False) + build_frame(OP_CONT, b"ng", fin=True)
    await expect_failure(wire, status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)


@pytest.mark.parametrize("opcode", [OP_PING, OP_PONG])
async def test_control_frame_without_fin_fails_even_alone(opcode: int) -> None:
    wire = build_frame(opcode, b"pi", fin=False) + build_frame(OP_TEXT, b"after")
    await expect_failure(wire, status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)


async def test_close_frame_without_fin_fails_1002() -> None:
    lis, _ = await expect_failure(build_frame(0x8, b"\x03\xe8", fin=False),
                                  status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)
    assert lis.server_close is None


async def test_reassembled_size_over_limit_fails_1009() -> None:
    from support.listener import set_pref

    with set_pref("network.websocket.max-message-size", 1000):
        wire = fragments(OP_BINARY, b"q" * 1200, [400, 400, 400])
        await expect_failure(wire, status=Cr.NS_ERROR_FILE_TOO_BIG, close_code=1009)


async def test_reassembled_size_exactly_at_limit_is_fine() -> None:
    from support.listener import set_pref

    with set_pref("network.websocket.max-message-size", 1000):
        assert await _deliver(fragments(OP_BINARY, b"q" * 1000, [400, 400, 200])) == [b"q" * 1000]


async def test_size_limit_applies_per_message_not_per_connection() -> None:
    from support.listener import set_pref

    with set_pref("network.websocket.max-message-size", 1000):
        wire = b"".join(fragments(OP_BINARY, bytes([i]) * 800, [300, 300, 200]) for i in range(5))
        assert await _deliver(wire) == [bytes([i]) * 800 for i in range(5)]
