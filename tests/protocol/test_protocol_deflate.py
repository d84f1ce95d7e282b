"""RFC 7692 permessage-deflate: negotiation, compression both ways, bombs."""

from __future__ import annotations

import os
import tracemalloc
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.core import opened

from components.results import Cr
from components.websocket.protocol.connection import (
    BinaryMessage,
    ConnectionState,
    PingReceived,
    ProtocolFailure,
    TextMessage,
)
from components.websocket.protocol.deflate import (
    Compressor,
    Decompressor,
    DeflateParams,
    NegotiationError,
    deflate_offer,
    negotiate,
    parse_extension_header,
)
from components.websocket.protocol.frames import RSV1, FrameError, decode_frames, encode_frame

TAIL = b"\x00\x00\xff\xff"
DEFAULT_OFFER = "permessage-deflate; client_max_window_bits"


def server_compress(messages: list[bytes], bits: int = 15, takeover: bool = True) -> list[bytes]:
    """What a server sends: raw deflate, sync flush, tail stripped (RFC 7692 §7.2.1)."""
    out = []
    comp = zlib.compressobj(6, zlib.DEFLATED, -bits)
    for m in messages:
        if not takeover:
            comp = zlib.compressobj(6, zlib.DEFLATED, -bits)
        data = comp.compress(m) + comp.flush(zlib.Z_SYNC_FLUSH)
        assert data.endswith(TAIL)
        out.append(data[:-4])
    return out


def client_frames(wire: bytes) -> list:
    frames, used = decode_frames(wire)
    assert used == len(wire) and all(fr.masked for fr in frames)
    return frames


# -- the offer -------------------------------------------------------------------------------


def test_offers() -> None:
    assert deflate_offer() == DEFAULT_OFFER
    assert deflate_offer(client_max_window_bits=False) == "permessage-deflate"
    assert deflate_offer(client_max_window_bits=10) == "permessage-deflate; client_max_window_bits=10"
    assert deflate_offer(
        server_no_context_takeover=True, client_no_context_takeover=True, server_max_window_bits=9
    ) == (
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
        "server_max_window_bits=9; client_max_window_bits"
    )
    for bad in (7, 16):
        with pytest.raises(ValueError):
            deflate_offer(client_max_window_bits=bad)
        with pytest.raises(ValueError):
            deflate_offer(server_max_window_bits=bad)


def test_parse_extension_header() -> None:
    assert parse_extension_header('a; x=1; y="2" , b,, c;z') == [
        ("a", [("x", "1"), ("y", "2")]),
        ("b", []),
        ("c", [("z", None)]),
    ]
    for bad in ("a;", "a; =1", "a; x=", 'a; x="1', "a b", 'a; x="1 2"', "@"):
        with pytest.raises(NegotiationError):
            parse_extension_header(bad)


# -- negotiation matrix (RFC 7692 §7.1) ------------------------------------------------------


@pytest.mark.parametrize(
    ("offer", "response", "expected"),
    [
        (DEFAULT_OFFER, "permessage-deflate", DeflateParams()),
        (DEFAULT_OFFER, "Permessage-Deflate", DeflateParams()),
        (DEFAULT_OFFER, "permessage-deflate; server_no_context_takeover", DeflateParams(True, False)),
        (DEFAULT_OFFER, "permessage-deflate; client_no_context_takeover", DeflateParams(False, True)),
        (
            DEFAULT_OFFER,
            "permessage-deflate;server_max_window_bits=10",
            DeflateParams(server_max_window_bits=10),
        ),
        *[
            (
                DEFAULT_OFFER,
                f"permessage-deflate; client_max_window_bits={b}",
                DeflateParams(client_max_window_bits=b),
            )
            for b in range(8, 16)
        ],
        (
            DEFAULT_OFFER,
            'permessage-deflate; client_max_window_bits="12"',
            DeflateParams(client_max_window_bits=12),
        ),
        (
            DEFAULT_OFFER,
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
            "server_max_window_bits=8; client_max_window_bits=9",
            DeflateParams(True, True, 8, 9),
        ),
        (
            "permessage-deflate; client_max_window_bits=10",
            "permessage-deflate",
            DeflateParams(client_max_window_bits=10),
        ),
        (
            "permessage-deflate; client_max_window_bits=10",
            "permessage-deflate; client_max_window_bits=9",
            DeflateParams(client_max_window_bits=9),
        ),
        (
            "permessage-deflate; server_max_window_bits=10",
            "permessage-deflate; server_max_window_bits=10",
            DeflateParams(server_max_window_bits=10),
        ),
        (
            "permessage-deflate; client_no_context_takeover",
            "permessage-deflate",
            DeflateParams(client_no_context_takeover=True),
        ),
        (
            "permessage-deflate; server_no_context_takeover",
            "permessage-deflate; server_no_context_takeover",
            DeflateParams(server_no_context_takeover=True),
        ),
        (DEFAULT_OFFER, "", None),
    ],
)
def test_negotiation_accepts(offer: str, response: str, expected: DeflateParams | None) -> None:
    assert negotiate(offer, response) == expected


@pytest.mark.parametrize(
    ("offer", "response"),
    [
        (DEFAULT_OFFER, "x-webkit-deflate-frame"),
        (DEFAULT_OFFER, "permessage-deflate, permessage-deflate"),
        (DEFAULT_OFFER, "permessage-deflate; foo"),
        (DEFAULT_OFFER, "permessage-deflate; server_no_context_takeover; server_no_context_takeover"),
        (DEFAULT_OFFER, "permessage-deflate; client_max_window_bits=9; client_max_window_bits=9"),
        (DEFAULT_OFFER, "permessage-deflate; server_no_context_takeover=1"),
        (DEFAULT_OFFER, "permessage-deflate; client_no_context_takeover=true"),
        (DEFAULT_OFFER, "permessage-deflate; server_max_window_bits"),
        (DEFAULT_OFFER, "permessage-deflate; server_max_window_bits=7"),
        (DEFAULT_OFFER, "permessage-deflate; server_max_window_bits=16"),
        (DEFAULT_OFFER, "permessage-deflate; server_max_window_bits=010"),
        (DEFAULT_OFFER, "permessage-deflate; server_max_window_bits=abc"),
        (DEFAULT_OFFER, "permessage-deflate; client_max_window_bits"),
        (DEFAULT_OFFER, "permessage-deflate; client_max_window_bits=7"),
        (DEFAULT_OFFER, "permessage-deflate; client_max_window_bits=16"),
        (DEFAULT_OFFER, 'permessage-deflate; client_max_window_bits="1 0"'),
        ("permessage-deflate", "permessage-deflate; client_max_window_bits=10"),
        ("permessage-deflate; client_max_window_bits=10", "permessage-deflate; client_max_window_bits=11"),
        ("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=11"),
        ("permessage-deflate; server_max_window_bits=10", "permessage-deflate"),
        ("permessage-deflate; server_no_context_takeover", "permessage-deflate"),
        ("x-other", "permessage-deflate"),
    ],
)
def test_negotiation_rejects(offer: str, response: str) -> None:
    with pytest.raises(NegotiationError):
        negotiate(offer, response)


def test_response_header_round_trips() -> None:
    for params in (
        DeflateParams(),
        DeflateParams(True, True, 9, 10),
        DeflateParams(client_max_window_bits=8),
    ):
        assert negotiate(DEFAULT_OFFER, params.response_header()) == params


# -- receiving (RFC 7692 §7.2.2, examples of §7.2.3) -----------------------------------------


def test_rfc7692_examples() -> None:
    conn = opened(deflate=DeflateParams())
    hello = bytes.fromhex("c107f248cdc9c90700")
    assert conn.receive_data(hello) == [TextMessage("Hello")]
    # §7.2.3.2: the same message again, referring back into the shared window.
    assert conn.receive_data(bytes.fromhex("c105f20011000000"[:14])) == [TextMessage("Hello")]
    # §7.2.3.1 fragmented; §7.2.3.3 stored block; §7.2.3.4 BFINAL block.
    fresh = opened(deflate=DeflateParams())
    wire = bytes.fromhex("4103f248cd8004c9c90700")
    wire += bytes.fromhex("c10b000500faff48656c6c6f00")
    wire += bytes.fromhex("c108f348cdc9c907000000"[:20])
    assert fresh.receive_data(wire) == [TextMessage("Hello")] * 3
    # after a BFINAL block the next message starts a new stream
    assert fresh.receive_data(bytes.fromhex("c107f248cdc9c90700")) == [TextMessage("Hello")]


@pytest.mark.parametrize("bits", [8, 9, 12, 15])
@pytest.mark.parametrize("takeover", [True, False])
def test_receive_compressed_messages(bits: int, takeover: bool) -> None:
    params = DeflateParams(server_no_context_takeover=not takeover, server_max_window_bits=bits)
    conn = opened(deflate=params)
    messages = [os.urandom(50) * 20, b"hello " * 300, b"hello " * 300, b"", bytes(70000)]
    wire = b"".join(
        encode_frame(2, payload, rsv=RSV1) for payload in server_compress(messages, max(bits, 9), takeover)
    )
    assert conn.receive_data(wire) == [BinaryMessage(m) for m in messages]


def test_server_no_context_takeover_resets_the_inflater() -> None:
    """Under server_no_context_takeover a back-reference to an earlier message cannot resolve."""
    first, second = server_compress([b"abcdefgh" * 50, b"abcdefgh" * 50], takeover=True)
    ok = opened(deflate=DeflateParams())
    assert (
        ok.receive_data(encode_frame(1, first, rsv=RSV1) + encode_frame(1, second, rsv=RSV1))
        == [TextMessage("abcdefgh" * 50)] * 2
    )
    reset = opened(deflate=DeflateParams(server_no_context_takeover=True))
    events = reset.receive_data(encode_frame(1, first, rsv=RSV1) + encode_frame(1, second, rsv=RSV1))
    assert events[0] == TextMessage("abcdefgh" * 50)
    assert isinstance(events[1], ProtocolFailure)
    assert (events[1].code, events[1].status) == (1002, Cr.NS_ERROR_INVALID_CONTENT_ENCODING)


def test_compressed_fragments_with_control_frames_between() -> None:
    [payload] = server_compress(["fragmented é".encode() * 100])
    third = len(payload) // 3
    wire = (
        encode_frame(1, payload[:third], rsv=RSV1, fin=False)
        + encode_frame(9, b"p")
        + encode_frame(0, payload[third : 2 * third], fin=False)
        + encode_frame(0, payload[2 * third :])
    )
    conn = opened(deflate=DeflateParams())
    assert conn.receive_data(wire) == [PingReceived(b"p"), TextMessage("fragmented é" * 100)]


def test_uncompressed_message_on_a_deflate_connection() -> None:
    conn = opened(deflate=DeflateParams())
    assert conn.receive_data(encode_frame(1, b"plain")) == [TextMessage("plain")]


def test_data_after_a_final_block_is_an_error() -> None:
    final = bytes.fromhex("f348cdc9c90700")  # BFINAL block "Hello" (RFC 7692 §7.2.3.4)
    for junk in (b"\x00\x01", b"\x01"):
        conn = opened(deflate=DeflateParams())
        events = conn.receive_data(encode_frame(1, final + junk, rsv=RSV1))
        assert isinstance(events[0], ProtocolFailure)
        assert (events[0].code, events[0].status) == (1002, Cr.NS_ERROR_INVALID_CONTENT_ENCODING)


def test_bfinal_block_split_across_fragments() -> None:
    final = bytes.fromhex("f348cdc9c90700")
    conn = opened(deflate=DeflateParams())
    wire = encode_frame(1, final[:3], rsv=RSV1, fin=False) + encode_frame(0, final[3:], fin=False)
    wire += encode_frame(0, b"\x00")
    assert conn.receive_data(wire) == [TextMessage("Hello")]
    assert conn.receive_data(bytes.fromhex("c107f248cdc9c90700")) == [TextMessage("Hello")]


def test_large_compressed_message_two_call_path() -> None:
    data = os.urandom(70_000) + bytes(50_000)  # compresses to just over 64 KiB
    [payload] = server_compress([data])
    assert 65536 < len(payload) < 100_000
    conn = opened(deflate=DeflateParams())
    assert conn.receive_data(encode_frame(2, payload, rsv=RSV1)) == [BinaryMessage(data)]
    conn = opened(max_message_size=100_000, deflate=DeflateParams())
    events = conn.receive_data(encode_frame(2, payload, rsv=RSV1))
    assert [(e.code, e.status) for e in events] == [(1009, Cr.NS_ERROR_FILE_TOO_BIG)]  # type: ignore[union-attr]


def test_compressed_size_itself_is_limited() -> None:
    [payload] = server_compress([os.urandom(50)])
    conn = opened(max_message_size=40, deflate=DeflateParams())
    events = conn.receive_data(encode_frame(2, payload, rsv=RSV1))
    assert [(e.code, e.status) for e in events] == [(1009, Cr.NS_ERROR_FILE_TOO_BIG)]  # type: ignore[union-attr]


def test_corrupt_deflate_data() -> None:
    conn = opened(deflate=DeflateParams())
    events = conn.receive_data(encode_frame(2, b"\xff\xff\xff\xff", rsv=RSV1))
    assert isinstance(events[0], ProtocolFailure)
    assert (events[0].code, events[0].status) == (1002, Cr.NS_ERROR_INVALID_CONTENT_ENCODING)
    assert conn.state is ConnectionState.FAILING
    assert conn.take_control() == b""
    assert client_frames(conn.fail(events[0].code))[0].payload == b"\x03\xea"


def test_compressed_invalid_utf8() -> None:
    [payload] = server_compress([b"ok\xff"])
    conn = opened(deflate=DeflateParams())
    events = conn.receive_data(encode_frame(1, payload, rsv=RSV1))
    assert isinstance(events[0], ProtocolFailure)
    assert (events[0].code, events[0].status) == (1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA)


# -- bombs -----------------------------------------------------------------------------------


def test_inflated_size_exactly_at_the_limit_passes() -> None:
    [payload] = server_compress([bytes(1000)])
    conn = opened(max_message_size=1000, deflate=DeflateParams())
    assert conn.receive_data(encode_frame(2, payload, rsv=RSV1)) == [BinaryMessage(bytes(1000))]
    conn = opened(max_message_size=999, deflate=DeflateParams())
    events = conn.receive_data(encode_frame(2, payload, rsv=RSV1))
    assert isinstance(events[0], ProtocolFailure) and events[0].code == 1009


def test_decompression_bomb_fails_without_allocating_its_size() -> None:
    limit = 1 << 20
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    bomb = b"".join(comp.compress(chunk) for _ in range(256)) + comp.flush(zlib.Z_SYNC_FLUSH)[:-4]
    assert len(bomb) < limit  # 256 MiB of zeros fits under the compressed limit
    conn = opened(max_message_size=limit, deflate=DeflateParams())
    frame = encode_frame(2, bomb, rsv=RSV1)
    tracemalloc.start()
    try:
        events = conn.receive_data(frame)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(e.code, e.status) for e in events] == [(1009, Cr.NS_ERROR_FILE_TOO_BIG)]  # type: ignore[union-attr]
    assert peak < 4 * limit, f"peak {peak} bytes while inflating a 256 MiB bomb"


def test_bomb_spread_over_fragments() -> None:
    limit = 100_000
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [comp.compress(bytes(60_000)) + comp.flush(zlib.Z_SYNC_FLUSH) for _ in range(2)]
    parts[-1] = parts[-1][:-4]
    wire = encode_frame(2, parts[0], rsv=RSV1, fin=False) + encode_frame(0, parts[1])
    conn = opened(max_message_size=limit, deflate=DeflateParams())
    events = conn.receive_data(wire)
    assert [(e.code, e.status) for e in events] == [(1009, Cr.NS_ERROR_FILE_TOO_BIG)]  # type: ignore[union-attr]


def test_decompressor_cap_direct() -> None:
    [payload] = server_compress([bytes(10_000)])
    with pytest.raises(FrameError) as info:
        Decompressor(DeflateParams()).decompress(payload, True, 9_999)
    assert info.value.code == 1009
    assert Decompressor(DeflateParams()).decompress(payload, True, 10_000) == bytes(10_000)


# -- sending (RFC 7692 §7.2.1) ---------------------------------------------------------------


@pytest.mark.parametrize("bits", [9, 10, 12, 15])
@pytest.mark.parametrize("takeover", [True, False])
def test_send_compressed_round_trip_with_zlib(bits: int, takeover: bool) -> None:
    conn = opened(
        deflate=DeflateParams(client_no_context_takeover=not takeover, client_max_window_bits=bits)
    )
    text = os.urandom(100).hex()  # fits the smallest window tested
    messages = [text, text, "", "é" * 5000]
    frames = [client_frames(conn.send_text(m))[0] for m in messages]
    assert all(fr.rsv == RSV1 and fr.opcode == 1 and fr.fin for fr in frames)
    inflater = zlib.decompressobj(-bits)
    for fr, m in zip(frames, messages, strict=True):
        if not takeover:
            inflater = zlib.decompressobj(-bits)  # each message must stand alone
        assert inflater.decompress(fr.payload + TAIL).decode() == m
    if takeover:
        assert len(frames[1].payload) < len(frames[0].payload) // 2  # the window was kept
    else:
        assert frames[1].payload == frames[0].payload  # fresh compressor every message


def test_window_bits_8_sends_uncompressed() -> None:
    conn = opened(deflate=DeflateParams(client_max_window_bits=8))
    [frame] = client_frames(conn.send_binary(b"abc" * 100))
    assert frame.rsv == 0 and frame.payload == b"abc" * 100
    [frame] = client_frames(conn.send_fragment(b"abc", first=True, last=True))
    assert frame.rsv == 0 and frame.payload == b"abc"


def test_send_fragments_share_one_deflate_stream() -> None:
    conn = opened(deflate=DeflateParams())
    chunks = [b"stream chunk %d " % i * 50 for i in range(5)]
    wire = b"".join(
        conn.send_fragment(c, first=i == 0, last=i == len(chunks) - 1) for i, c in enumerate(chunks)
    )
    frames = client_frames(wire)
    assert [fr.rsv for fr in frames] == [RSV1, 0, 0, 0, 0]
    assert [fr.opcode for fr in frames] == [2, 0, 0, 0, 0]
    assert [fr.fin for fr in frames] == [False] * 4 + [True]
    assert not frames[-1].payload.endswith(TAIL)
    inflater = zlib.decompressobj(-15)
    assert inflater.decompress(b"".join(fr.payload for fr in frames) + TAIL) == b"".join(chunks)
    # and the stream continues into the next message (context takeover)
    [nxt] = client_frames(conn.send_binary(chunks[0]))
    assert inflater.decompress(nxt.payload + TAIL) == chunks[0]


@settings(max_examples=60, deadline=None)
@given(
    messages=st.lists(st.binary(max_size=3000), min_size=1, max_size=6),
    server_takeover=st.booleans(),
    client_takeover=st.booleans(),
)
def test_round_trip_through_a_peer(
    messages: list[bytes], server_takeover: bool, client_takeover: bool
) -> None:
    """Our compressor feeds our decompressor (as a peer with the mirrored parameters would)."""
    params = DeflateParams(not server_takeover, not client_takeover)
    mirrored = DeflateParams(not client_takeover, not server_takeover)
    sender = Compressor(mirrored)
    conn = opened(deflate=params)
    wire = b"".join(encode_frame(2, sender.compress(m), rsv=RSV1) for m in messages)
    assert conn.receive_data(wire) == [BinaryMessage(m) for m in messages]


def test_zlib_objects_are_created_lazily() -> None:
    conn = opened(deflate=DeflateParams())
    assert conn._compressor is not None and conn._compressor._obj is None
    assert conn._decompressor is not None and conn._decompressor._obj is None
