"""The core's one state model: the transition table, the public calls that drive it, and the
order-preserving failure (FAILING until the driver's fail())."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support.core import opened

from components.results import Cr
from components.websocket.protocol.connection import (
    TRANSITIONS,
    BinaryMessage,
    CloseReceived,
    Connection,
    ConnectionState,
    InvalidTransition,
    PingReceived,
    ProtocolFailure,
    Role,
    TextMessage,
    Trigger,
)
from components.websocket.protocol.frames import decode_frames, encode_frame

S = ConnectionState
T = Trigger

# Written out again, independently of the module: changing the table must be deliberate.
EXPECTED = {
    (S.CONNECTING, T.ESTABLISH): S.OPEN,
    (S.CONNECTING, T.ABANDON): S.CLOSED,
    (S.CONNECTING, T.FAIL): S.CLOSED,
    (S.OPEN, T.SEND_CLOSE): S.CLOSE_SENT,
    (S.OPEN, T.RECEIVE_CLOSE): S.CLOSE_RECEIVED,
    (S.OPEN, T.VIOLATION): S.FAILING,
    (S.OPEN, T.FAIL): S.CLOSED,
    (S.OPEN, T.EOF): S.CLOSED,
    (S.CLOSE_SENT, T.RECEIVE_CLOSE): S.CLOSED,
    (S.CLOSE_SENT, T.VIOLATION): S.CLOSED,
    (S.CLOSE_SENT, T.FAIL): S.CLOSED,
    (S.CLOSE_SENT, T.EOF): S.CLOSED,
    (S.CLOSE_RECEIVED, T.SEND_CLOSE): S.CLOSED,
    (S.CLOSE_RECEIVED, T.FAIL): S.CLOSED,
    (S.CLOSE_RECEIVED, T.EOF): S.CLOSED,
    (S.FAILING, T.FAIL): S.CLOSED,
    (S.FAILING, T.EOF): S.FAILING,
    (S.CLOSED, T.FAIL): S.CLOSED,
    (S.CLOSED, T.EOF): S.CLOSED,
}


def server_frame(opcode: int, payload: bytes = b"", **kw: object) -> bytes:
    return encode_frame(opcode, payload, **kw)  # type: ignore[arg-type]


CLOSE_1000 = server_frame(8, b"\x03\xe8")
VIOLATION = server_frame(3)  # reserved opcode


def reach(state: ConnectionState) -> Connection:
    """A client connection brought to *state* through the public API only."""
    conn = Connection()
    if state is S.CONNECTING:
        return conn
    conn.establish()
    if state is S.CLOSE_SENT:
        conn.send_close(1000)
    elif state is S.CLOSE_RECEIVED:
        conn.receive_data(CLOSE_1000)
    elif state is S.FAILING:
        conn.receive_data(VIOLATION)
    elif state is S.CLOSED:
        conn.send_close(1000)
        conn.receive_data(CLOSE_1000)
    assert conn.state is state
    return conn


APPLY: dict[Trigger, Callable[[Connection], object]] = {
    T.ESTABLISH: lambda c: c.establish(),
    T.ABANDON: lambda c: c.abandon(),
    T.SEND_CLOSE: lambda c: c.send_close(1000),
    T.RECEIVE_CLOSE: lambda c: c.receive_data(CLOSE_1000),
    T.VIOLATION: lambda c: c.receive_data(VIOLATION),
    T.FAIL: lambda c: c.fail(1002),
    T.EOF: lambda c: c.receive_eof(),
}

# Pairs outside the table that the public API treats as no-ops rather than errors: input after
# our Close was answered, after a Close arrived or after a failure is ignored, and a second
# send_close returns b"".
IGNORED = {
    (S.CLOSE_SENT, T.SEND_CLOSE),
    (S.CLOSED, T.SEND_CLOSE),
    (S.CLOSE_RECEIVED, T.RECEIVE_CLOSE),
    (S.CLOSE_RECEIVED, T.VIOLATION),
    (S.FAILING, T.RECEIVE_CLOSE),
    (S.FAILING, T.VIOLATION),
    (S.CLOSED, T.RECEIVE_CLOSE),
    (S.CLOSED, T.VIOLATION),
}

PAIRS = [(s, t) for s in ConnectionState for t in Trigger]


def test_the_table_is_exactly_the_documented_one() -> None:
    assert dict(TRANSITIONS) == EXPECTED
    with pytest.raises(TypeError):
        TRANSITIONS[(S.OPEN, T.ESTABLISH)] = S.OPEN  # type: ignore[index]


@pytest.mark.parametrize(("state", "trigger"), PAIRS, ids=[f"{s.name}-{t.value}" for s, t in PAIRS])
def test_advance_follows_the_table(state: ConnectionState, trigger: Trigger) -> None:
    conn = reach(state)
    if (state, trigger) in EXPECTED:
        assert conn._advance(trigger) is EXPECTED[state, trigger]
        assert conn.state is EXPECTED[state, trigger]
    else:
        with pytest.raises(InvalidTransition) as info:
            conn._advance(trigger)
        assert (info.value.state, info.value.trigger) == (state, trigger)
        assert state.name in str(info.value) and trigger.value in str(info.value)
        assert conn.state is state  # nothing changed


@pytest.mark.parametrize(("state", "trigger"), PAIRS, ids=[f"{s.name}-{t.value}" for s, t in PAIRS])
def test_public_calls_follow_the_table(state: ConnectionState, trigger: Trigger) -> None:
    conn = reach(state)
    apply = APPLY[trigger]
    if (state, trigger) in EXPECTED:
        apply(conn)
        assert conn.state is EXPECTED[state, trigger]
    elif (state, trigger) in IGNORED:
        result = apply(conn)
        assert result in ([], b"")
        assert conn.state is state
    else:
        with pytest.raises(InvalidTransition):
            apply(conn)
        assert conn.state is state


def test_connecting_refuses_frames_and_sends() -> None:
    conn = Connection()
    assert conn.state is S.CONNECTING and not conn.can_send
    with pytest.raises(InvalidTransition):
        conn.receive_data(server_frame(1, b"x"))
    for call in (lambda: conn.send_text("x"), lambda: conn.send_ping(), lambda: conn.send_close(1000)):
        with pytest.raises(RuntimeError):
            call()
    assert conn.fail(1002) == b""  # never established: no Close frame before a handshake
    assert conn.state is S.CLOSED


def test_abandon() -> None:
    conn = Connection(Role.SERVER)
    conn.abandon()
    assert conn.state is S.CLOSED and not conn.close_sent and conn.failure is None
    with pytest.raises(InvalidTransition):
        conn.establish()


@pytest.mark.parametrize("state", list(ConnectionState))
def test_properties_per_state(state: ConnectionState) -> None:
    conn = reach(state)
    assert conn.can_send == (state in (S.OPEN, S.CLOSE_RECEIVED, S.FAILING))
    assert conn.close_sent == (state in (S.CLOSE_SENT, S.CLOSED))
    assert conn.close_received == (state in (S.CLOSE_RECEIVED, S.CLOSED))
    assert conn.closed_cleanly == (state is S.CLOSED)  # reach(CLOSED) is the clean handshake
    assert (conn.failure is not None) == (state is S.FAILING)
    assert conn.role is Role.CLIENT


# -- order-preserving failure ---------------------------------------------------------------


def frames(wire: bytes, *, masked: bool) -> list[tuple[int, bytes]]:
    decoded, used = decode_frames(wire)
    assert used == len(wire) and all(fr.masked == masked for fr in decoded)
    return [(fr.opcode, fr.payload) for fr in decoded]


@pytest.mark.parametrize("role", list(Role))
def test_message_then_violation_in_one_chunk(role: Role) -> None:
    """The listener may answer the message decoded before the violation; then fail() closes."""
    key = b"abcd" if role is Role.SERVER else None
    wire = (encode_frame(1, b"question", mask_key=key) + encode_frame(9, b"p", mask_key=key)
            + encode_frame(2, b"x", rsv=0x20, mask_key=key)  # RSV2: a violation
            + encode_frame(1, b"never decoded", mask_key=key))
    conn = opened(role)
    events = conn.receive_data(wire)
    assert events[:2] == [TextMessage("question"), PingReceived(b"p")]
    assert isinstance(events[2], ProtocolFailure) and len(events) == 3
    assert (events[2].code, events[2].status) == (1002, Cr.NS_ERROR_ILLEGAL_VALUE)
    assert conn.state is S.FAILING and conn.failure is events[2]
    assert not conn.close_sent  # the core queued no Close
    masked = role is Role.CLIENT
    assert frames(conn.take_control(), masked=masked) == [(10, b"p")]
    # Dispatching the earlier events: replies are allowed.
    wire_out = conn.send_text("answer") + conn.send_binary(b"b") + conn.send_ping(b"q")
    wire_out += conn.send_fragment(b"f", first=True, last=True)
    buf = bytearray()
    n = conn.send_binary_into(b"into", buf)
    wire_out += bytes(buf[:n])
    assert frames(wire_out, masked=masked) == [(1, b"answer"), (2, b"b"), (9, b"q"), (2, b"f"), (2, b"into")]
    with pytest.raises(InvalidTransition):
        conn.send_close(1000)  # in FAILING the driver uses fail()
    assert conn.receive_data(encode_frame(1, b"more", mask_key=key)) == []
    assert conn.receive_eof() == []  # the failure was reported already; fail() ends FAILING
    assert conn.state is S.FAILING
    assert frames(conn.fail(events[2].code), masked=masked) == [(8, b"\x03\xea")]
    assert conn.state is S.CLOSED and conn.close_sent and not conn.closed_cleanly
    for call in (lambda: conn.send_text("late"), lambda: conn.send_ping(), lambda: conn.send_binary(b"")):
        with pytest.raises(RuntimeError):
            call()
    assert conn.fail(1002) == b""  # idempotent


def test_violation_after_our_close_is_closed_at_once() -> None:
    conn = opened()
    conn.send_close(1000)
    events = conn.receive_data(server_frame(2, b"ok") + VIOLATION)
    assert events[0] == BinaryMessage(b"ok") and isinstance(events[1], ProtocolFailure)
    assert conn.state is S.CLOSED and not conn.can_send
    assert conn.fail(events[1].code) == b""  # our Close already went


@pytest.mark.parametrize("code", [None, 1005, 1006, 1015])
def test_fail_without_a_code_on_the_wire(code: int | None) -> None:
    conn = opened()
    assert conn.fail(code) == b""
    assert conn.state is S.CLOSED and not conn.close_sent


def test_fail_validates_like_send_close() -> None:
    conn = opened()
    for bad in (0, 999, 1004, 5000):
        with pytest.raises(ValueError):
            conn.fail(bad)
    with pytest.raises(ValueError):
        conn.fail(1011, "x" * 124)
    assert conn.state is S.OPEN
    assert frames(conn.fail(1011, "oops"), masked=True) == [(8, b"\x03\xf3oops")]


def test_fail_after_the_peer_closed_answers_with_the_failure_code() -> None:
    conn = opened()
    assert conn.receive_data(CLOSE_1000) == [CloseReceived(1000, "")]
    assert frames(conn.fail(1011), masked=True) == [(8, b"\x03\xf3")]
    assert conn.state is S.CLOSED and conn.closed_cleanly  # both Closes crossed


def test_eof_without_a_close() -> None:
    conn = opened()
    [failure] = conn.receive_eof()
    assert isinstance(failure, ProtocolFailure) and failure.code == 1006
    assert conn.failure is failure and conn.state is S.CLOSED
    assert conn.fail(failure.code) == b""
