"""Fail-fast UTF-8 (RFC 6455 §8.1; Autobahn 6.4.x): invalid text fails with 1007 as soon as the
invalid byte arrives, even inside one frame whose bytes come in several reads -- a small frame
held in the tail, a large one collected as it arrives (C fill, read in place, or the pure-Python
chunk list) and the continuation frames of a fragmented message.  An unfinished character at the
end of what has arrived is not an error until the frame or message ends."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.core import opened

from components.results import Cr
from components.websocket.protocol import mask as mask_module
from components.websocket.protocol import utf8 as utf8_module
from components.websocket.protocol.connection import (
    Connection,
    ConnectionState,
    Event,
    ProtocolFailure,
    Role,
    TextMessage,
)
from components.websocket.protocol.deflate import DeflateParams
from components.websocket.protocol.frames import RSV1, encode_frame

BAD_UTF8 = (1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA)
HAS_C = mask_module._speedups is not None
KEY = b"\x9a\x01\x5c\xe3"


@pytest.fixture(params=["c", "python"])
def checker(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The prefix check: the C utf8_check, or codecs' incremental decoder."""
    if request.param == "python":
        monkeypatch.setattr(utf8_module, "_utf8_check", None)
    elif utf8_module._utf8_check is None:
        pytest.skip("the C accelerator is not active")
    return str(request.param)


def frame(role: Role, opcode: int, payload: bytes, **kw: object) -> bytes:
    """A frame as the peer of a *role* connection sends it (a client's peer does not mask)."""
    key = KEY if role is Role.SERVER else None
    return encode_frame(opcode, payload, mask_key=key, **kw)  # type: ignore[arg-type]


def header_size(role: Role, n: int) -> int:
    return (2 if n < 126 else 4 if n < 0x10000 else 10) + (4 if role is Role.SERVER else 0)


def fed(conn: Connection, chunks: list[bytes]) -> list[list[Event]]:
    return [conn.receive_data(chunk) for chunk in chunks]


def failed_at(per_chunk: list[list[Event]]) -> int | None:
    """Index of the chunk whose events end with the failure (and nothing after it)."""
    for i, events in enumerate(per_chunk):
        if events and isinstance(events[-1], ProtocolFailure):
            assert (events[-1].code, events[-1].status) == BAD_UTF8
            assert all(not e for e in per_chunk[i + 1 :])
            return i
    return None


ROLES = pytest.mark.parametrize("role", list(Role), ids=["client", "server"])


# -- (a) a small frame held in the tail -------------------------------------------------------


@ROLES
def test_small_frame_fails_at_the_chop_with_the_bad_bytes(checker: str, role: Role) -> None:
    payload = b"hello, " + b"\xff\xfe" + b" world"
    wire = frame(role, 1, payload)
    h = header_size(role, len(payload))
    chops = [wire[: h + 7], wire[h + 7 : h + 9], wire[h + 9 :]]
    conn = opened(role)
    assert failed_at(fed(conn, chops)) == 1  # not 2: the frame never had to complete
    assert conn.state is ConnectionState.FAILING


@ROLES
def test_unfinished_character_is_not_an_error_until_the_frame_ends(checker: str, role: Role) -> None:
    text = "añ€𝄞z"
    data = text.encode()
    wire = frame(role, 1, data)
    conn = opened(role)
    events: list[Event] = []
    for i in range(len(wire)):
        events += conn.receive_data(wire[i : i + 1])  # every code point split at every byte
    assert events == [TextMessage(text)]
    truncated = opened(role)
    cut = frame(role, 1, data[:-2])  # "z" and the last byte of 𝄞 dropped
    per_chunk = fed(truncated, [cut[:-1], cut[-1:]])
    assert failed_at(per_chunk) == 1  # valid so far, until the frame ends inside 𝄞


@ROLES
def test_the_tail_check_resumes_where_it_stopped(checker: str, role: Role) -> None:
    """A frame dribbled in: each read only checks the new bytes (no false alarm on a resumed
    prefix), and the failure comes with the read that brought the bad byte."""
    payload = "ü".encode() * 1000 + b"\xc0" + b"x" * 100  # 0xC0 never starts a valid sequence
    wire = frame(role, 1, payload)
    bad_at = header_size(role, len(payload)) + 2000
    chunks = [wire[i : i + 100] for i in range(0, len(wire), 100)]
    assert failed_at(fed(opened(role), chunks)) == bad_at // 100


# -- (b) a large frame collected as it arrives ------------------------------------------------


@ROLES
def test_large_frame_fails_at_the_chop_with_the_bad_bytes(checker: str, collection: str, role: Role) -> None:
    payload = b"a" * 30_000 + "ü".encode() * 20_000 + b"\xed\xa0\x80" + b"z" * 50_000  # a surrogate
    wire = frame(role, 1, payload)
    bad = header_size(role, len(payload)) + 70_000
    chops = [wire[:20_000], wire[20_000 : bad - 10], wire[bad - 10 : bad + 10], wire[bad + 10 :]]
    conn = opened(role)
    assert failed_at(fed(conn, chops)) == 2
    assert conn.receive_buffer() is None


@ROLES
def test_large_frame_bad_in_its_first_read(checker: str, collection: str, role: Role) -> None:
    payload = b"\xff" + b"a" * 100_000
    assert failed_at(fed(opened(role), [frame(role, 1, payload)[:5000], b"a" * 10])) == 0


@pytest.mark.skipif(not HAS_C, reason="the C accelerator is not active")
def test_large_frame_read_in_place_fails_at_the_read(checker: str) -> None:
    payload = "€".encode() * 40_000 + b"\xf8" + b"b" * 10_000
    wire = frame(Role.CLIENT, 1, payload)
    conn = opened()
    assert conn.receive_data(wire[:3000]) == []
    pos, results = 3000, []
    while pos < len(wire):
        view = conn.receive_buffer()
        assert view is not None
        with view:
            n = min(20_000, len(view))
            view[:n] = wire[pos : pos + n]
        results.append(conn.receive_filled(n))
        pos += n
        if results[-1]:
            break
    assert failed_at(results) == (header_size(Role.CLIENT, len(payload)) + 120_000 - 3000) // 20_000
    assert pos < len(wire)  # the rest of the frame was never needed
    assert conn.receive_buffer() is None


@ROLES
def test_large_valid_frame_split_inside_characters(checker: str, collection: str, role: Role) -> None:
    text = "𝄞€ü" * 20_000
    wire = frame(role, 1, text.encode())
    conn = opened(role)
    events: list[Event] = []
    for i in range(0, len(wire), 4093):  # a prime step: every split position inside a character
        events += conn.receive_data(wire[i : i + 4093])
    assert events == [TextMessage(text)]


# -- (c) the continuation frames of a fragmented message -------------------------------------


@ROLES
@pytest.mark.parametrize("size", [10, 20_000], ids=["tail", "large"])
def test_continuation_frame_checked_as_it_arrives_with_the_carry(
    checker: str, collection: str, role: Role, size: int
) -> None:
    """The first fragment ends inside '€'; the continuation completes it (no false alarm), then
    carries a bad byte: the failure comes with that byte's read, before the frame ends."""
    euro = "€".encode()
    first = frame(role, 1, b"abc" + euro[:1], fin=False)
    cont_payload = euro[1:] + b"d" * size + b"\x80" + b"e" * size
    cont = frame(role, 0, cont_payload)
    bad = header_size(role, len(cont_payload)) + 2 + size
    chops = [first + cont[: bad - 3], cont[bad - 3 : bad + 1], cont[bad + 1 :]]
    assert failed_at(fed(opened(role), chops)) == 1
    good = frame(role, 0, euro[1:] + b"d" * size)
    conn = opened(role)
    events = conn.receive_data(first + good[:7]) + conn.receive_data(good[7:])
    assert events == [TextMessage("abc€" + "d" * size)]


def test_compressed_text_is_checked_once_inflated() -> None:
    """Compressed frames are not checked while they arrive (their bytes are not the text)."""
    conn = opened(deflate=DeflateParams())
    wire = encode_frame(1, b"\xff" * 100, rsv=RSV1)  # not deflate data either
    assert conn.receive_data(wire[:50]) == []
    [failure] = conn.receive_data(wire[50:])
    assert isinstance(failure, ProtocolFailure)


# -- the property: the failure comes with the first read that makes the prefix invalid ---------


def prefix_valid(data: bytes, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final)
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(min_size=1, max_size=3000),
    repeat=st.sampled_from([1, 4]),
    bad=st.sampled_from([b"", b"\xff", b"\xc1\x81", b"\xe0\x80", b"\xed\xb0", b"\xf4\x90", b"\x80", b"\xc3"]),
    where=st.floats(0, 1),
    cuts=st.lists(st.integers(0, 20_000), max_size=6),
    role=st.sampled_from(list(Role)),
    python_checker=st.booleans(),
)
def test_failure_read_matches_the_first_invalid_prefix(
    text: str, repeat: int, bad: bytes, where: float, cuts: list[int], role: Role, python_checker: bool
) -> None:
    data = text.encode() * repeat
    at = int(len(data) * where)
    payload = data[:at] + bad + data[at:]
    wire = frame(role, 1, payload)
    h = header_size(role, len(payload))
    bounds = [0, *sorted(min(c, len(wire)) for c in cuts), len(wire)]
    chunks = [wire[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    expected = None
    for i, end in enumerate(bounds[1:]):
        got = payload[: max(0, end - h)]
        if not prefix_valid(got, final=len(got) == len(payload) and end >= h):
            expected = i
            break
    with pytest.MonkeyPatch.context() as m:
        if python_checker:
            m.setattr(utf8_module, "_utf8_check", None)
        per_chunk = fed(opened(role), chunks)
    assert failed_at(per_chunk) == expected
    if expected is None:
        assert [e for events in per_chunk for e in events] == [TextMessage(payload.decode())]


@pytest.mark.skipif(not HAS_C, reason="the C accelerator is not active")
@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=64), cut=st.integers(0, 64))
def test_c_utf8_check_agrees_with_codecs(data: bytes, cut: int) -> None:
    check = mask_module._speedups.utf8_check
    state = check(0, data[:cut])
    if state >= 0:
        state = check(state, data[cut:])
    assert (state >= 0) == prefix_valid(data, final=False)
    assert (state == 0) == prefix_valid(data, final=True)
