"""The Connection state machine: RFC 6455 §5 framing rules, §5.5 control frames, §7 closing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.core import opened

from components.results import Cr
from components.websocket.protocol.connection import (
    BinaryMessage,
    CloseReceived,
    Connection,
    ConnectionState,
    Event,
    PingReceived,
    PongReceived,
    ProtocolFailure,
    TextMessage,
    echo_code,
)
from components.websocket.protocol.deflate import DeflateParams
from components.websocket.protocol.frames import RSV1, RSV2, RSV3, Frame, decode_frames, encode_frame

ILLEGAL = (1002, Cr.NS_ERROR_ILLEGAL_VALUE)
BAD_UTF8 = (1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA)
TOO_BIG = (1009, Cr.NS_ERROR_FILE_TOO_BIG)


def f(opcode: int, payload: bytes = b"", **kw: object) -> bytes:
    """A server frame (unmasked)."""
    return encode_frame(opcode, payload, **kw)  # type: ignore[arg-type]


def sent(data: bytes) -> list[Frame]:
    """Decode what the client produced, checking every frame is masked."""
    frames, used = decode_frames(data)
    assert used == len(data)
    assert all(fr.masked for fr in frames)
    return frames


def failure(events: list[Event]) -> tuple[int, int]:
    assert isinstance(events[-1], ProtocolFailure), events
    return events[-1].code, events[-1].status


def assert_failed(conn: Connection, events: list[Event], expected: tuple[int, int]) -> None:
    """The failure ends the events; the core is FAILING and has queued no Close; fail() makes it."""
    assert failure(events) == expected
    assert conn.failure is events[-1]
    assert conn.state is ConnectionState.FAILING
    assert conn.take_control() == b""  # no Close queued behind the driver's back
    assert conn.receive_data(f(1, b"later")) == []  # input after a failure is ignored
    close = sent(conn.fail(expected[0]))
    assert [(fr.opcode, fr.payload[:2]) for fr in close] == [(8, expected[0].to_bytes(2, "big"))]
    assert conn.state is ConnectionState.CLOSED


# -- messages --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 16 << 20])
def test_frame_size_boundaries(size: int) -> None:
    conn = opened()
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    assert conn.receive_data(f(2, payload)) == [BinaryMessage(payload)]
    text = "a" * size
    assert conn.receive_data(f(1, text.encode())) == [TextMessage(text)]


def test_many_frames_in_one_chunk_and_a_partial_tail() -> None:
    conn = opened()
    wire = b"".join(f(1, str(i).encode()) for i in range(100)) + f(2, b"tail")
    events = conn.receive_data(wire[:-2])
    assert events == [TextMessage(str(i)) for i in range(100)]
    assert conn.receive_data(wire[-2:]) == [BinaryMessage(b"tail")]


def test_input_types() -> None:
    conn = opened()
    assert conn.receive_data(bytearray(f(1, b"a"))) == [TextMessage("a")]
    assert conn.receive_data(memoryview(f(2, b"b"))) == [BinaryMessage(b"b")]
    assert type(conn.receive_data(f(2, b"c"))[0].data) is bytes


def test_fragmented_messages_with_control_frames_between() -> None:
    conn = opened()
    wire = (
        f(1, b"Hel", fin=False)
        + f(9, b"ping!")
        + f(0, b"lo, ", fin=False)
        + f(10, b"pong")
        + f(0, b"world")
        + f(2, b"\x00", fin=False)
        + f(0, b"\x01")
    )
    events = conn.receive_data(wire)
    assert events == [
        PingReceived(b"ping!"),
        PongReceived(b"pong"),
        TextMessage("Hello, world"),
        BinaryMessage(b"\x00\x01"),
    ]
    assert [(fr.opcode, fr.payload) for fr in sent(conn.take_control())] == [(10, b"ping!")]


def test_empty_fragments() -> None:
    conn = opened()
    wire = f(1, b"", fin=False) + f(0, b"", fin=False) + f(0, b"")
    assert conn.receive_data(wire) == [TextMessage("")]


def test_utf8_split_across_fragments() -> None:
    conn = opened()
    data = "é€𝄞".encode()
    wire = b"".join(f(1 if i == 0 else 0, data[i : i + 1], fin=i == len(data) - 1) for i in range(len(data)))
    assert conn.receive_data(wire) == [TextMessage("é€𝄞")]


def test_invalid_utf8_prefix_fails_before_the_message_ends() -> None:
    conn = opened()
    events = conn.receive_data(f(1, b"ok \xc0\xaf", fin=False))  # overlong: invalid at once
    assert_failed(conn, events, BAD_UTF8)


@pytest.mark.parametrize(
    "payload",
    [b"\xff", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc3", b"abc\xe2\x82", b"\xc0\x80"],
)
def test_invalid_utf8_single_frame(payload: bytes) -> None:
    conn = opened()
    assert_failed(conn, conn.receive_data(f(1, payload)), BAD_UTF8)


def test_truncated_utf8_at_end_of_fragmented_message() -> None:
    conn = opened()
    events = conn.receive_data(f(1, b"ab", fin=False) + f(0, b"\xe2\x82"))
    assert_failed(conn, events, BAD_UTF8)


def test_binary_message_is_not_utf8_checked() -> None:
    assert opened().receive_data(f(2, b"\xff\xfe")) == [BinaryMessage(b"\xff\xfe")]


def _all_events(conn: Connection, chunks: list[bytes]) -> list[Event]:
    events: list[Event] = []
    for chunk in chunks:
        events += conn.receive_data(chunk)
    return events


STREAM = (
    f(1, "héllo".encode())
    + f(2, bytes(300))
    + f(1, b"frag", fin=False)
    + f(9, b"p")
    + f(0, "mént".encode())
    + f(2, bytes(70000))
    + f(1, b"")
    + f(8, b"\x03\xe8done")
)
EXPECTED = [
    TextMessage("héllo"),
    BinaryMessage(bytes(300)),
    PingReceived(b"p"),
    TextMessage("fragmént"),
    BinaryMessage(bytes(70000)),
    TextMessage(""),
    CloseReceived(1000, "done"),
]


def test_every_single_split_point() -> None:
    for cut in range(len(STREAM) + 1):
        conn = opened()
        assert _all_events(conn, [STREAM[:cut], STREAM[cut:]]) == EXPECTED, cut


def test_byte_at_a_time() -> None:
    conn = opened()
    assert _all_events(conn, [STREAM[i : i + 1] for i in range(len(STREAM))]) == EXPECTED


@settings(max_examples=200, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=12))
def test_arbitrary_splits(cuts: list[int]) -> None:
    bounds = [0, *sorted(cuts), len(STREAM)]
    chunks = [STREAM[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    assert _all_events(opened(), chunks) == EXPECTED


@settings(max_examples=100, deadline=None)
@given(
    messages=st.lists(st.one_of(st.text(max_size=300), st.binary(max_size=300)), max_size=8),
    fragment=st.integers(min_value=1, max_value=50),
    cuts=st.lists(st.integers(min_value=0, max_value=5000), max_size=8),
)
def test_fragmented_round_trip_property(messages: list, fragment: int, cuts: list[int]) -> None:
    wire = b""
    for m in messages:
        data = m.encode() if isinstance(m, str) else m
        pieces = [data[i : i + fragment] for i in range(0, len(data), fragment)] or [b""]
        for i, piece in enumerate(pieces):
            opcode = (1 if isinstance(m, str) else 2) if i == 0 else 0
            wire += f(opcode, piece, fin=i == len(pieces) - 1)
    bounds = [0, *sorted(min(c, len(wire)) for c in cuts), len(wire)]
    events = _all_events(opened(), [wire[a:b] for a, b in zip(bounds, bounds[1:], strict=False)])
    assert [e.data for e in events] == messages  # type: ignore[union-attr]


# -- framing violations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "wire",
    [
        pytest.param(f(1, b"x", rsv=RSV1), id="rsv1-without-extension"),
        pytest.param(f(1, b"x", rsv=RSV2), id="rsv2"),
        pytest.param(f(1, b"x", rsv=RSV3), id="rsv3"),
        pytest.param(f(9, b"", rsv=RSV2), id="rsv2-on-ping"),
        *[pytest.param(f(op, b"x"), id=f"reserved-opcode-{op}") for op in (*range(3, 8), *range(11, 16))],
        pytest.param(f(0, b"x"), id="continuation-with-nothing-to-continue"),
        pytest.param(f(1, b"a", fin=False) + f(1, b"b"), id="new-text-inside-fragmented"),
        pytest.param(f(2, b"a", fin=False) + f(2, b"b"), id="new-binary-inside-fragmented"),
        pytest.param(f(2, b"a", fin=False) + f(1, b"b"), id="text-inside-binary"),
        pytest.param(f(9, bytes(126)), id="ping-payload-126"),
        pytest.param(f(10, bytes(126)), id="pong-payload-126"),
        pytest.param(f(8, b"\x03\xe8" + bytes(124)), id="close-payload-126"),
        pytest.param(f(9, b"", fin=False), id="fragmented-ping"),
        pytest.param(f(8, b"", fin=False), id="fragmented-close"),
        pytest.param(f(9, b"a", length_form=16), id="control-with-16-bit-length"),
        pytest.param(f(2, b"a", length_form=16), id="non-minimal-16"),
        pytest.param(f(2, bytes(200), length_form=64), id="non-minimal-64"),
        pytest.param(f(2, b"", length=1 << 63, length_form=64), id="64-bit-top-bit"),
        pytest.param(f(1, b"hi", mask_key=b"abcd"), id="masked-server-frame"),
        pytest.param(f(8, b"\x03"), id="close-1-byte"),
        *[
            pytest.param(f(8, code.to_bytes(2, "big")), id=f"close-code-{code}")
            for code in (0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535)
        ],
    ],
)
def test_protocol_errors(wire: bytes) -> None:
    conn = opened()
    events = conn.receive_data(f(1, b"before") + wire + f(1, b"after"))
    assert events[0] == TextMessage("before")  # earlier events still delivered
    assert len(events) == 2
    assert_failed(conn, events, ILLEGAL)


def test_rsv1_on_control_and_continuation_even_with_deflate() -> None:
    for wire in (f(9, b"", rsv=RSV1), f(1, b"", fin=False) + f(0, b"", rsv=RSV1)):
        conn = opened(deflate=DeflateParams())
        assert_failed(conn, conn.receive_data(wire), ILLEGAL)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(bytes([0x89, 126]), id="control-extended-length"),
        pytest.param(bytes([0x83, 5]), id="reserved-opcode"),
        pytest.param(bytes([0x00, 5]), id="orphan-continuation"),
        pytest.param(bytes([0xC1, 5]), id="rsv1"),
        pytest.param(bytes([0x81, 0x85]), id="masked"),
    ],
)
def test_bad_headers_fail_before_the_payload_arrives(header: bytes) -> None:
    conn = opened()
    assert_failed(conn, conn.receive_data(header), ILLEGAL)


@pytest.mark.parametrize("code", [1000, 1001, 1002, 1003, 1007, 1011, 1012, 1013, 1014, 3000, 4999])
def test_valid_close_codes_accepted(code: int) -> None:
    conn = opened()
    assert conn.receive_data(f(8, code.to_bytes(2, "big") + b"r")) == [CloseReceived(code, "r")]


def test_close_reason_must_be_utf8() -> None:
    conn = opened()
    assert_failed(conn, conn.receive_data(f(8, b"\x03\xe8\xff")), BAD_UTF8)


# -- size limits -----------------------------------------------------------------------------


def test_max_message_size_single_frame_exact_and_over() -> None:
    conn = opened(max_message_size=100)
    assert conn.receive_data(f(2, bytes(100))) == [BinaryMessage(bytes(100))]
    assert conn.receive_data(f(1, b"a" * 100)) == [TextMessage("a" * 100)]
    assert_failed(conn, conn.receive_data(f(2, bytes(101))), TOO_BIG)


def test_huge_max_message_size_is_accepted() -> None:
    conn = opened(max_message_size=1 << 80)
    assert conn.receive_data(f(2, b"x") + f(1, b"y")) == [BinaryMessage(b"x"), TextMessage("y")]
    with pytest.raises(ValueError):
        opened(max_message_size=-1)


def test_max_message_size_on_reassembled_message() -> None:
    conn = opened(max_message_size=100)
    events = conn.receive_data(f(2, bytes(60), fin=False) + f(0, bytes(40), fin=False) + f(0, b"!"))
    assert_failed(conn, events, TOO_BIG)


def test_oversized_frame_fails_on_its_header_alone() -> None:
    conn = opened(max_message_size=1 << 20)
    header = f(2, b"", length=1 << 40, length_form=64)
    assert_failed(conn, conn.receive_data(header), TOO_BIG)


def test_oversized_continuation_fails_on_its_header_alone() -> None:
    conn = opened(max_message_size=1000)
    assert conn.receive_data(f(2, bytes(600), fin=False)) == []
    assert_failed(conn, conn.receive_data(f(0, b"", length=500, length_form=16)), TOO_BIG)


def test_control_frames_do_not_count_toward_the_message() -> None:
    conn = opened(max_message_size=10)
    events = conn.receive_data(f(2, bytes(10), fin=False) + f(9, bytes(100)) + f(0, b""))
    assert events == [PingReceived(bytes(100)), BinaryMessage(bytes(10))]


def test_partial_frame_is_buffered_not_reparsed_quadratically() -> None:
    conn = opened()
    wire = f(2, bytes(1 << 20))
    events: list[Event] = []
    for i in range(0, len(wire), 4096):
        events += conn.receive_data(wire[i : i + 4096])
    assert events == [BinaryMessage(bytes(1 << 20))]


@pytest.mark.parametrize("chunk", [1000, 16384, 16385, 65536])
def test_large_frames_collected_across_chunks(chunk: int) -> None:
    big_text = "é" * 40000
    wire = (
        f(1, b"small")
        + f(1, big_text.encode())
        + f(2, bytes(30000), fin=False)
        + f(9, b"between")
        + f(0, bytes(50000))
        + f(1, b"\xff" * 20000)  # invalid UTF-8 in a large frame
    )
    conn = opened()
    events = _all_events(conn, [wire[i : i + chunk] for i in range(0, len(wire), chunk)])
    assert events[:4] == [
        TextMessage("small"),
        TextMessage(big_text),
        PingReceived(b"between"),
        BinaryMessage(bytes(80000)),
    ]
    assert failure(events) == BAD_UTF8 and len(events) == 5
    assert [(fr.opcode, fr.payload) for fr in sent(conn.take_control())] == [(10, b"between")]
    assert sent(conn.fail(1007))[0].payload == b"\x03\xef"


def test_dribbled_large_frame_costs_its_size_in_memory() -> None:
    import tracemalloc

    size = 100_000
    wire = f(2, bytes(size))
    conn = opened()
    tracemalloc.start()
    try:
        for i in range(len(wire) - 1):
            assert conn.receive_data(wire[i : i + 1]) == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert conn.receive_data(wire[-1:]) == [BinaryMessage(bytes(size))]
    assert peak < 4 * size, f"peak {peak} bytes for a {size}-byte frame sent a byte at a time"


@pytest.mark.parametrize("opcode", [1, 2])
def test_tiny_fragments_cost_their_size_in_memory(opcode: int) -> None:
    import tracemalloc

    count = 50_000
    piece = "€".encode()  # not a cached one-character string
    wire = f(opcode, b"a", fin=False) + f(0, piece, fin=False) * (count - 2) + f(0, b"c")
    conn = opened()
    tracemalloc.start()
    try:
        events = conn.receive_data(wire)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    data = "a" + "€" * (count - 2) + "c"
    assert events == [TextMessage(data) if opcode == 1 else BinaryMessage(data.encode())]
    assert peak < 20 * count, f"peak {peak} bytes for a {count}-byte message in 1-byte fragments"


def test_large_frame_then_close_in_the_same_chunk() -> None:
    conn = opened()
    wire = f(2, bytes(100000)) + f(8, b"\x03\xe8") + f(1, b"ignored")
    events = conn.receive_data(wire[:50000]) + conn.receive_data(wire[50000:])
    assert events == [BinaryMessage(bytes(100000)), CloseReceived(1000, "")]


# -- pings, pongs, control queue -------------------------------------------------------------


def test_ping_answered_with_same_payload_in_order() -> None:
    conn = opened()
    events = conn.receive_data(f(9, b"one") + f(9, b"") + f(9, bytes(125)))
    assert events == [PingReceived(b"one"), PingReceived(b""), PingReceived(bytes(125))]
    frames = sent(conn.take_control())
    assert [(fr.opcode, fr.fin, fr.payload) for fr in frames] == [
        (10, True, b"one"),
        (10, True, b""),
        (10, True, bytes(125)),
    ]
    assert conn.take_control() == b""


def test_pong_received_needs_no_answer() -> None:
    conn = opened()
    assert conn.receive_data(f(10, b"x")) == [PongReceived(b"x")]
    assert conn.take_control() == b""


def test_no_pong_after_our_close() -> None:
    conn = opened()
    conn.send_close(1000)
    assert conn.receive_data(f(9, b"p")) == [PingReceived(b"p")]
    assert conn.take_control() == b""


# -- closing ---------------------------------------------------------------------------------


def test_close_initiated_by_us() -> None:
    conn = opened()
    assert conn.state is ConnectionState.OPEN
    frames = sent(conn.send_close(1000, "bye"))
    assert [(fr.opcode, fr.payload) for fr in frames] == [(8, b"\x03\xe8bye")]
    assert conn.state is ConnectionState.CLOSE_SENT
    assert conn.send_close(1001) == b""  # second close is a no-op
    events = conn.receive_data(f(2, b"late data") + f(8, b"\x03\xe8") + f(1, b"ignored"))
    assert events == [BinaryMessage(b"late data"), CloseReceived(1000, "")]
    assert conn.state is ConnectionState.CLOSED
    assert conn.receive_eof() == []


def test_close_initiated_by_server_then_echo() -> None:
    conn = opened()
    events = conn.receive_data(f(8, b"\x0f\xa0why") + f(1, b"after close"))
    assert events == [CloseReceived(4000, "why")]
    assert conn.state is ConnectionState.CLOSE_RECEIVED
    assert conn.take_control() == b""  # the core does not echo by itself
    assert conn.receive_data(f(1, b"more")) == []
    frames = sent(conn.send_close(echo_code(4000)))
    assert frames[0].payload == b"\x0f\xa0"
    assert conn.state is ConnectionState.CLOSED


def test_empty_close_is_1005_and_echoed_without_code() -> None:
    conn = opened()
    assert conn.receive_data(f(8)) == [CloseReceived(1005, "")]
    assert echo_code(1005) is None and echo_code(1006) is None and echo_code(1015) is None
    assert sent(conn.send_close(echo_code(1005)))[0].payload == b""


@pytest.mark.parametrize("code", [None, 0])
def test_close_without_code(code: int | None) -> None:
    assert sent(opened().send_close(code, "dropped"))[0].payload == b""


@pytest.mark.parametrize("code", [999, 1004, 1005, 1006, 1015, 2000, 5000])
def test_close_rejects_codes_not_for_the_wire(code: int) -> None:
    conn = opened()
    with pytest.raises(ValueError):
        conn.send_close(code)
    assert conn.state is ConnectionState.OPEN


def test_close_reason_length_limit() -> None:
    assert len(sent(opened().send_close(1000, "é" * 61 + "a"))[0].payload) == 125
    with pytest.raises(ValueError):
        opened().send_close(1000, "a" * 124)


def test_sending_data_after_close_raises() -> None:
    conn = opened()
    conn.send_close(1000)
    for call in (
        lambda: conn.send_text("x"),
        lambda: conn.send_binary(b"x"),
        lambda: conn.send_ping(),
        lambda: conn.send_fragment(b"x", first=True, last=True),
    ):
        with pytest.raises(RuntimeError):
            call()


def test_data_may_still_be_sent_after_server_close() -> None:
    conn = opened()
    conn.receive_data(f(8, b"\x03\xe8"))
    assert sent(conn.send_binary(b"last words"))[0].payload == b"last words"


def test_eof_in_the_middle_of_a_frame_is_a_failure() -> None:
    conn = opened()
    conn.receive_data(f(1, b"partial")[:3])
    events = conn.receive_eof()
    assert [(e.code, e.status) for e in events] == [(1006, Cr.NS_BASE_STREAM_CLOSED)]  # type: ignore[union-attr]


def test_eof_events() -> None:
    conn = opened()
    events = conn.receive_eof()
    assert len(events) == 1 and isinstance(events[0], ProtocolFailure)
    assert (events[0].code, events[0].status) == (1006, Cr.NS_BASE_STREAM_CLOSED)
    assert conn.take_control() == b""  # 1006 is never sent
    assert conn.state is ConnectionState.CLOSED
    after_close = opened()
    after_close.receive_data(f(8, b"\x03\xe8"))
    assert after_close.receive_eof() == []


def test_failure_after_our_close_queues_no_second_close() -> None:
    conn = opened()
    conn.send_close(1000)
    events = conn.receive_data(f(3))
    assert failure(events) == ILLEGAL
    assert conn.state is ConnectionState.CLOSED  # our Close already went: nothing to add
    assert conn.take_control() == b""
    assert conn.fail(1002) == b""


# -- sending ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 125, 126, 127, 65535, 65536, 16 << 20])
def test_send_sizes(size: int) -> None:
    conn = opened()
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    [frame] = sent(conn.send_binary(payload))
    assert (frame.fin, frame.opcode, frame.rsv, frame.payload) == (True, 2, 0, payload)
    [frame] = sent(conn.send_text("é" * (size // 2)))
    assert (frame.opcode, frame.payload) == (1, ("é" * (size // 2)).encode())


def test_send_accepts_buffers() -> None:
    conn = opened()
    for data in (bytearray(b"ab"), memoryview(b"ab")):
        assert sent(conn.send_binary(data))[0].payload == b"ab"


def test_send_fragments() -> None:
    conn = opened()
    wire = conn.send_fragment(b"ab", first=True, last=False)
    wire += conn.send_ping(b"p")  # control frames may interleave
    wire += conn.send_fragment(b"cd", first=False, last=False)
    wire += conn.send_fragment(b"", first=False, last=True)
    frames = sent(wire)
    assert [(fr.fin, fr.opcode, fr.payload) for fr in frames] == [
        (False, 2, b"ab"),
        (True, 9, b"p"),
        (False, 0, b"cd"),
        (True, 0, b""),
    ]


def test_fragment_misuse() -> None:
    conn = opened()
    with pytest.raises(RuntimeError):
        conn.send_fragment(b"x", first=False, last=True)
    conn.send_fragment(b"x", first=True, last=False, text=True)
    with pytest.raises(RuntimeError):
        conn.send_fragment(b"x", first=True, last=False)
    with pytest.raises(RuntimeError):
        conn.send_text("interleaved data message")
    assert sent(conn.send_fragment(b"y", first=False, last=True))[0].opcode == 0
    assert sent(conn.send_text("now fine"))[0].opcode == 1


def test_ping_payload_limit() -> None:
    conn = opened()
    assert sent(conn.send_ping(bytes(125)))[0].payload == bytes(125)
    with pytest.raises(ValueError):
        conn.send_ping(bytes(126))
    assert sent(conn.send_pong(b"hb"))[0].opcode == 10


# -- robustness ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=400),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=5),
    deflate=st.booleans(),
)
def test_garbage_never_raises(data: bytes, cuts: list[int], deflate: bool) -> None:
    """Any byte sequence yields events, at most one failure, and nothing after it."""
    conn = opened(max_message_size=200, deflate=DeflateParams() if deflate else None)
    bounds = [0, *sorted(min(c, len(data)) for c in cuts), len(data)]
    events: list[Event] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        events += conn.receive_data(data[a:b])
    events += conn.receive_eof()
    failures = [i for i, e in enumerate(events) if isinstance(e, ProtocolFailure)]
    closes = [i for i, e in enumerate(events) if isinstance(e, CloseReceived)]
    assert len(failures) + len(closes) <= 1
    assert all(i == len(events) - 1 for i in failures + closes)
    sent(conn.take_control())  # whatever was queued is well-formed and masked


@pytest.mark.parametrize("c_fill", [True, False], ids=["fill", "chunk-list"])
@pytest.mark.parametrize("read_size", [7, 1000, 4096, 65536])
def test_reused_receive_buffer(c_fill: bool, read_size: int) -> None:
    """The core keeps nothing it was passed: a recv_into buffer may be reused at once."""
    from components.websocket.protocol import largeframe as largeframe_module

    wire = (
        f(1, b"small")
        + f(2, bytes(range(256)) * 400)
        + f(1, "é".encode() * 3000, fin=False)
        + f(9, b"p")
        + f(0, b"!" * 9000)
        + f(2, b"tail")
    )
    buf = bytearray(read_size)
    view = memoryview(buf)
    with pytest.MonkeyPatch.context() as m:
        if not c_fill:
            m.setattr(largeframe_module, "_payload_buffer", None)
        conn = opened()
        events: list[Event] = []
        for i in range(0, len(wire), read_size):
            piece = wire[i : i + read_size]
            buf[: len(piece)] = piece
            events += conn.receive_data(view[: len(piece)])
            buf[:] = b"\xee" * read_size  # scribble over the buffer, as the next recv would
    assert events == [
        TextMessage("small"),
        BinaryMessage(bytes(range(256)) * 400),
        PingReceived(b"p"),
        TextMessage("é" * 3000 + "!" * 9000),
        BinaryMessage(b"tail"),
    ]


def test_close_flags() -> None:
    conn = opened()
    assert not conn.close_sent and not conn.close_received
    conn.receive_data(f(8, b"\x03\xe8"))
    assert conn.close_received and not conn.close_sent
    conn.send_close(1000)
    assert conn.close_sent
    failed = opened()
    failed.receive_data(f(3))
    assert not failed.close_sent and not failed.close_received  # the core queued nothing
    failed.fail(1002)
    assert failed.close_sent and not failed.close_received and not failed.closed_cleanly


# -- reading the rest of a large frame in place (receive_buffer / receive_filled) ----------------


def _feed_in_place(conn: Connection, wire: bytes, first: int, step: int) -> list[Event]:
    """Feed *wire* the way the driver does: receive_data for *first* bytes, then straight into
    receive_buffer() views *step* bytes at a time whenever one is offered."""
    events = conn.receive_data(wire[:first])
    pos = first
    while pos < len(wire):
        view = conn.receive_buffer()
        if view is None:
            events += conn.receive_data(wire[pos : pos + step])
            pos += step
            continue
        with view:
            n = min(step, len(view), len(wire) - pos)
            view[:n] = wire[pos : pos + n]
        events += conn.receive_filled(n)
        pos += n
    return events


@pytest.mark.parametrize("step", [1000, 65536, 1 << 20])
def test_large_frames_filled_in_place_give_the_same_events(step: int) -> None:
    big = bytes(range(256)) * 4096  # 1 MiB
    text = "é" * 300000
    wire = f(0x2, big) + f(0x9, b"p") + f(0x1, text.encode()) + f(0x2, b"tail") + f(0x8, b"\x03\xe8")
    expected = opened().receive_data(wire)
    got = _feed_in_place(opened(), wire, 5000, step)
    assert got == expected
    assert [type(e) for e in got] == [BinaryMessage, PingReceived, TextMessage, BinaryMessage, CloseReceived]


def test_bad_utf8_filled_in_place_fails_like_receive_data() -> None:
    wire = f(0x1, b"a" * 100000 + b"\xff")
    conn = opened()
    events = _feed_in_place(conn, wire, 3000, 40000)
    assert_failed(conn, events, BAD_UTF8)
    assert conn.receive_buffer() is None


def test_receive_filled_needs_a_view() -> None:
    conn = opened()
    assert conn.receive_buffer() is None
    with pytest.raises(ValueError):
        conn.receive_filled(1)
    conn.receive_data(f(0x2, bytes(100000))[:5000])
    view = conn.receive_buffer()
    if view is None:  # the pure-Python fallback never offers one
        return
    assert len(view) == 100010 - 5000
    view.release()
    with pytest.raises(ValueError):
        conn.receive_filled(len(view) + 1)
    assert conn.receive_eof()[0].code == 1006
    assert conn.receive_buffer() is None


def test_send_binary_into_frames_like_send_binary() -> None:
    buf = bytearray()
    for size in [100000, 10, 70000]:
        data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
        n = opened().send_binary_into(data, buf)
        (frame,) = sent(bytes(buf[:n]))
        assert frame.opcode == 0x2 and frame.fin and frame.payload == data
    conn = opened()
    conn.send_close(1000)
    with pytest.raises(RuntimeError):
        conn.send_binary_into(b"x", buf)
