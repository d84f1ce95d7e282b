"""The C receive fast path (``_speedups.scan_frames``) is invisible: same events as pure Python."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.core import opened

from components.websocket.protocol import connection as connection_module
from components.websocket.protocol.connection import BinaryMessage, Event, TextMessage
from components.websocket.protocol.frames import RSV1, decode_frames, encode_frame

try:
    from components.websocket.protocol import _speedups  # type: ignore[attr-defined]
except ImportError:
    _speedups = None

needs_c = pytest.mark.skipif(_speedups is None, reason="C accelerator not built")

FRAMES = st.one_of(
    st.text(max_size=200).map(lambda t: encode_frame(1, t.encode())),
    st.binary(max_size=300).map(lambda b: encode_frame(2, b)),
    st.binary(max_size=20).map(lambda b: encode_frame(1, b)),  # often invalid UTF-8
    st.integers(126, 70000).map(lambda n: encode_frame(2, bytes(n))),
    st.integers(126, 70000).map(lambda n: encode_frame(1, b"a" * n)),
    st.binary(max_size=125).map(lambda b: encode_frame(9, b)),
    st.binary(max_size=125).map(lambda b: encode_frame(10, b)),
    st.just(encode_frame(1, b"frag", fin=False) + encode_frame(0, b"ment")),
    st.just(encode_frame(2, b"x", fin=False)),  # unfinished: the next data frame is an error
    st.just(encode_frame(0, b"cont")),
    st.just(encode_frame(1, b"short", length_form=16)),  # non-minimal
    st.just(encode_frame(2, bytes(300), length_form=64)),  # non-minimal
    st.just(encode_frame(1, b"masked", mask_key=b"abcd")),
    st.just(encode_frame(2, b"r", rsv=RSV1)),
    st.just(encode_frame(2, bytes(2000))),  # over the limit used below
    st.just(encode_frame(8, b"\x03\xe8bye")),
)


def run(chunks: list[bytes], *, c: bool) -> tuple[list[Event], list, int]:
    with pytest.MonkeyPatch.context() as m:
        if not c:
            m.setattr(connection_module, "_scan_frames", None)
        conn = opened(max_message_size=1500 + 70000 * (len(chunks) % 2))
        events: list[Event] = []
        for chunk in chunks:
            events += conn.receive_data(chunk)
        control, _ = decode_frames(conn.take_control())
        return events, [(fr.opcode, fr.payload) for fr in control], conn.state


@needs_c
@settings(max_examples=300, deadline=None)
@given(frames=st.lists(FRAMES, max_size=12), cuts=st.lists(st.integers(0, 200_000), max_size=6))
def test_c_scanner_matches_python(frames: list[bytes], cuts: list[int]) -> None:
    wire = b"".join(frames)
    bounds = [0, *sorted(min(c, len(wire)) for c in cuts), len(wire)]
    chunks = [wire[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    assert run(chunks, c=True) == run(chunks, c=False)


def test_scanner_active_unless_disabled() -> None:
    forced = os.environ.get("WSCHANNEL_NO_SPEEDUPS", "") not in ("", "0")
    assert (connection_module._scan_frames is not None) == (_speedups is not None and not forced)


@needs_c
def test_scan_frames_direct() -> None:
    _speedups.set_event_types(TextMessage, BinaryMessage)  # done at import unless forced off
    wire = encode_frame(1, "é".encode()) + encode_frame(2, bytes(300)) + encode_frame(9, b"") + b"\x81"
    events: list[Event] = []
    pos = _speedups.scan_frames(wire, 0, 1 << 20, events)
    assert events == [TextMessage("é"), BinaryMessage(bytes(300))]
    assert type(events[0]) is TextMessage and type(events[1].data) is bytes
    assert wire[pos] == 0x89  # stopped at the ping for the Python loop
    assert _speedups.scan_frames(wire, pos, 1 << 20, events) == pos
    assert _speedups.scan_frames(encode_frame(2, bytes(301)), 0, 300, events) == 0  # over the limit
    assert _speedups.scan_frames(encode_frame(1, b"\xff"), 0, 300, events) == 0  # bad UTF-8: declined
    assert len(events) == 2


@needs_c
def test_scan_frames_argument_checks() -> None:
    _speedups.set_event_types(TextMessage, BinaryMessage)
    with pytest.raises(TypeError):
        _speedups.scan_frames(bytearray(b"\x81\x00"), 0, 10, [])
    with pytest.raises(TypeError):
        _speedups.scan_frames(b"\x81\x00", 0, 10, ())
    with pytest.raises(ValueError):
        _speedups.scan_frames(b"\x81\x00", 3, 10, [])


@needs_c
def test_set_event_types_rejects_unsupported_classes() -> None:
    class WithDict:
        data = None

    class Slotted:
        __slots__ = ("data",)

    class Subclass(Slotted):
        pass  # has a __dict__

    for bad in (WithDict, Subclass, int):
        with pytest.raises(TypeError):
            _speedups.set_event_types(bad, BinaryMessage)
    with pytest.raises(TypeError):
        _speedups.set_event_types("not a class", BinaryMessage)
    _speedups.set_event_types(TextMessage, BinaryMessage)  # restore the real ones


@needs_c
def test_payload_buffer_and_fill() -> None:
    buf = _speedups.payload_buffer(10)
    assert type(buf) is bytes and len(buf) == 10
    assert _speedups.fill(buf, 0, b"abc") == 3
    assert _speedups.fill(buf, 3, memoryview(b"defghij")) == 10
    assert buf == b"abcdefghij"
    with pytest.raises(ValueError):
        _speedups.fill(buf, 8, b"xyz")
    with pytest.raises(ValueError):
        _speedups.fill(buf, -1, b"")
    with pytest.raises(TypeError):
        _speedups.fill(bytearray(4), 0, b"")
    with pytest.raises(ValueError):
        _speedups.payload_buffer(-1)
