"""RFC 6455 sections 5.6 and 8.1: text messages must be valid UTF-8 (binary need not be).

Invalid UTF-8 in a text message (whole or split across fragments) fails the connection with
1007 and onStop NS_ERROR_CANNOT_CONVERT_DATA -- as soon as the invalid byte arrives, even in the
middle of one frame (Autobahn 6.4.x); valid code points split across fragment boundaries are
reassembled.
"""

from __future__ import annotations

import pytest
import trio
from support.cases import expect_failure, finish_close
from support.listener import RecordingListener, open_channel, run_channel
from support.rawserver import OP_BINARY, OP_CONT, OP_TEXT, RawServer, build_frame

from components import Cr

pytestmark = pytest.mark.timeout(30)

SAMPLE = "κόσμε €𝄞 ascii ✓"


async def _deliver(wire: bytes) -> list:
    async def script(peer):
        await peer.send(wire)
        await peer.close_handshake(1000)
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    return lis.messages


async def test_multibyte_text_whole() -> None:
    assert await _deliver(build_frame(OP_TEXT, SAMPLE.encode())) == [SAMPLE]


async def test_code_points_split_at_every_byte_across_fragments() -> None:
    data = SAMPLE.encode()
    wire = build_frame(OP_TEXT, data[:1], fin=False) + b"".join(
        build_frame(OP_CONT, data[i : i + 1], fin=i == len(data) - 1) for i in range(1, len(data)))
    assert await _deliver(wire) == [SAMPLE]


async def test_four_byte_code_point_split_two_and_two() -> None:
    data = "𝄞".encode()
    wire = build_frame(OP_TEXT, data[:2], fin=False) + build_frame(OP_CONT, data[2:])
    assert await _deliver(wire) == ["𝄞"]


async def test_binary_message_need_not_be_utf8() -> None:
    assert await _deliver(build_frame(OP_BINARY, b"\xff\xfe\xc0\x80")) == [b"\xff\xfe\xc0\x80"]


async def test_empty_text_message() -> None:
    assert await _deliver(build_frame(OP_TEXT, b"")) == [""]


INVALID = {
    "ff-byte": b"ab\xffcd",
    "lone-continuation": b"\x80",
    "overlong-nul": b"\xc0\x80",
    "overlong-slash": b"\xe0\x80\xaf",
    "surrogate": b"\xed\xa0\x80",
    "above-10ffff": b"\xf4\x90\x80\x80",
    "truncated-at-end": "€".encode()[:2],
    "bad-continuation": b"\xe2\x28\xa1",
}


@pytest.mark.parametrize("payload", INVALID.values(), ids=INVALID.keys())
async def test_invalid_utf8_text_fails_1007(payload: bytes) -> None:
    await expect_failure(build_frame(OP_TEXT, payload), status=Cr.NS_ERROR_CANNOT_CONVERT_DATA,
                         close_code=1007)


async def test_invalid_utf8_in_a_later_fragment_fails_1007() -> None:
    wire = (build_frame(OP_TEXT, b"valid start ", fin=False)
            + build_frame(OP_CONT, b"\xed\xa0\x80", fin=False) + build_frame(OP_CONT, b" end", fin=True))
    await expect_failure(wire, status=Cr.NS_ERROR_CANNOT_CONVERT_DATA, close_code=1007)


async def test_truncated_code_point_at_the_final_fragment_fails_1007() -> None:
    e = "€".encode()
    wire = build_frame(OP_TEXT, b"ok " + e, fin=False) + build_frame(OP_CONT, e[:1], fin=True)
    await expect_failure(wire, status=Cr.NS_ERROR_CANNOT_CONVERT_DATA, close_code=1007)


async def test_valid_messages_before_the_bad_one_are_delivered() -> None:
    wire = build_frame(OP_TEXT, b"good") + build_frame(OP_TEXT, b"\xc3")
    await expect_failure(wire, status=Cr.NS_ERROR_CANNOT_CONVERT_DATA, close_code=1007,
                         delivered=["good"])


@pytest.mark.parametrize("where", ["start", "end"])
async def test_invalid_utf8_in_a_large_single_frame_fails_1007(where: str) -> None:
    """Large frames arrive over many reads (a different decoding path than small ones).

    With the bad byte at the start only the first 64 KiB of the frame are sent: the client
    fails as soon as the byte arrives and stops reading, so it must not need the rest.
    """
    body = "ü" * 150_000
    bad = (b"\xff" + body.encode()) if where == "start" else (body.encode() + b"\xff")
    wire = build_frame(OP_TEXT, bad)
    await expect_failure(wire[:65536] if where == "start" else wire, status=Cr.NS_ERROR_CANNOT_CONVERT_DATA,
                         close_code=1007)


async def test_invalid_utf8_in_a_large_compressed_frame_fails_1007() -> None:
    import random

    from support.rawserver import deflate_message

    rnd = random.Random(4)
    text = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyzäöü") for _ in range(400_000)).encode()
    payload = deflate_message(text + b"\xc3")
    assert len(payload) > 200_000
    await expect_failure(build_frame(OP_TEXT, payload, rsv1=True), status=Cr.NS_ERROR_CANNOT_CONVERT_DATA,
                         close_code=1007, server_kw={"extensions": "permessage-deflate"})


async def test_large_compressed_valid_text_single_frame() -> None:
    import random

    from support.rawserver import deflate_message

    rnd = random.Random(5)
    text = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyzäöü€") for _ in range(300_000))
    wire = build_frame(OP_TEXT, deflate_message(text.encode()), rsv1=True)

    async def script(peer):
        await peer.send(wire)
        await peer.close_handshake(1000)
        await peer.aclose()

    async with RawServer(script, extensions="permessage-deflate") as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [text]


async def test_byte_order_mark_is_kept() -> None:
    assert await _deliver(build_frame(OP_TEXT, b"\xef\xbb\xbfbom")) == ["\ufeffbom"]


async def test_nul_and_noncharacters_are_valid_text() -> None:
    text = "a\x00b\ufffe\uffff\U0010ffff"
    assert await _deliver(build_frame(OP_TEXT, text.encode())) == [text]


@pytest.mark.parametrize("size", [40, 200_000], ids=["small-frame", "large-frame"])
async def test_invalid_utf8_inside_one_frame_fails_before_the_frame_is_complete(size: int) -> None:
    """Autobahn 6.4.3/6.4.4: one text frame in three chops with pauses, the invalid bytes in the
    second.  The client must fail (Close 1007, onStop NS_ERROR_CANNOT_CONVERT_DATA) as soon as
    the second chop arrives: its Close has to be here before the third chop would be sent."""
    pause = 1.0
    head = "κόσμε".encode() * (size // 10)
    payload = head + b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64"
    payload += b"edited" * (size // 10)
    wire = build_frame(OP_TEXT, payload)
    bad = wire.index(b"\xed\xa0\x80")
    chops = [wire[: bad - 4], wire[bad - 4 : bad + 8], wire[bad + 8 :]]
    got: dict[str, object] = {}

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.send(chops[0])
        await trio.sleep(pause)
        await peer.send(chops[1])
        with trio.move_on_after(pause):  # the third chop is due after this pause
            got["close"] = await peer.recv_close()
        if "close" not in got:
            await peer.send(chops[2])  # too late: the client waited for the whole frame
            got["late"] = await peer.recv_close()
        await finish_close(peer, got.get("close") or got["late"])  # type: ignore[arg-type]

    lis = RecordingListener()
    async with RawServer(script) as srv:
        open_channel(srv.url, lis)
        await lis.wait_stopped(10)
    assert "close" in got, f"the client's Close came only after the third chop: {got.get('late')}"
    assert got["close"].code == 1007  # type: ignore[attr-defined]
    lis.expect_status(Cr.NS_ERROR_CANNOT_CONVERT_DATA)
    assert lis.messages == []
