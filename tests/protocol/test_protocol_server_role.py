"""The server role (RFC 6455 §5.1, §5.3): masked frames in, unmasked frames out; and a client
core and a server core talking to each other bytes-to-bytes."""

from __future__ import annotations

import os
import random

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
    Role,
    TextMessage,
)
from components.websocket.protocol.deflate import DeflateParams
from components.websocket.protocol.frames import RSV1, decode_frames, encode_frame

KEY = b"\x37\xfa\x21\x3d"


def c(opcode: int, payload: bytes = b"", **kw: object) -> bytes:
    """A client frame (masked)."""
    return encode_frame(opcode, payload, mask_key=KEY, **kw)  # type: ignore[arg-type]


def unmasked(data: bytes) -> list[tuple[bool, int, bytes]]:
    frames, used = decode_frames(data)
    assert used == len(data)
    assert not any(fr.masked for fr in frames)  # RFC 6455 §5.1: a server never masks
    return [(fr.fin, fr.opcode, fr.payload) for fr in frames]


def feed(conn: Connection, wire: bytes, step: int) -> list[Event]:
    events: list[Event] = []
    for i in range(0, len(wire), step):
        events += conn.receive_data(wire[i : i + step])
    return events


@pytest.mark.parametrize("step", [1, 7, 4096, 1 << 20])
def test_masked_frames_in(collection: str, step: int) -> None:
    big = os.urandom(200_000)
    text = "é€𝄞" * 3000
    wire = (
        c(1, b"hello")
        + c(2, big)
        + c(1, text.encode()[:5], fin=False)
        + c(9, b"ping!")
        + c(0, text.encode()[5:])
        + c(10, b"pong")
        + c(8, b"\x03\xe8bye")
    )
    conn = opened(Role.SERVER)
    events = feed(conn, wire, step)
    assert events == [
        TextMessage("hello"),
        BinaryMessage(big),
        PingReceived(b"ping!"),
        TextMessage(text),
        PongReceived(b"pong"),
        CloseReceived(1000, "bye"),
    ]
    assert unmasked(conn.take_control()) == [(True, 10, b"ping!")]
    assert conn.receive_buffer() is None  # a server unmasks what it reads: never read in place


def test_frames_out_are_unmasked() -> None:
    conn = opened(Role.SERVER)
    buf = bytearray(b"old contents that are longer than the frame")
    n = conn.send_binary_into(b"into", buf)
    wire = (
        conn.send_text("tëxt")
        + conn.send_binary(memoryview(b"bin"))
        + conn.send_binary(bytes(70_000))
        + conn.send_fragment(b"ab", first=True, last=False, text=True)
        + conn.send_ping(b"p")
        + conn.send_fragment(b"cd", first=False, last=True)
        + conn.send_pong(b"hb")
        + bytes(buf[:n])
        + conn.send_close(1001, "going")
    )
    assert unmasked(wire) == [
        (True, 1, "tëxt".encode()),
        (True, 2, b"bin"),
        (True, 2, bytes(70_000)),
        (False, 1, b"ab"),
        (True, 9, b"p"),
        (True, 0, b"cd"),
        (True, 10, b"hb"),
        (True, 2, b"into"),
        (True, 8, b"\x03\xe9going"),
    ]
    assert conn.state is ConnectionState.CLOSE_SENT


@pytest.mark.parametrize(
    "wire",
    [
        pytest.param(encode_frame(1, b"hi"), id="unmasked-text"),
        pytest.param(encode_frame(9, b""), id="unmasked-ping"),
        pytest.param(encode_frame(2, bytes(70_000)), id="unmasked-large"),
        pytest.param(c(1, b"x", fin=False) + encode_frame(0, b"y"), id="unmasked-continuation"),
        pytest.param(bytes([0x81, 0x05]), id="unmasked-header-alone"),
    ],
)
def test_unmasked_frame_from_a_client_fails_1002(wire: bytes) -> None:
    conn = opened(Role.SERVER)
    events = conn.receive_data(c(1, b"before") + wire)
    assert events[0] == TextMessage("before")
    assert isinstance(events[-1], ProtocolFailure) and len(events) == 2
    assert (events[-1].code, events[-1].status) == (1002, Cr.NS_ERROR_ILLEGAL_VALUE)
    assert unmasked(conn.fail(1002)) == [(True, 8, b"\x03\xea")]


def test_masked_frame_to_a_client_still_fails_1002() -> None:
    conn = opened(Role.CLIENT)
    [failure] = conn.receive_data(c(1, b"hi"))
    assert isinstance(failure, ProtocolFailure) and failure.code == 1002


def test_header_rules_apply_to_masked_frames() -> None:
    for wire, code in [
        (c(3), 1002),
        (c(9, bytes(126)), 1002),
        (c(1, b"\xff"), 1007),
        (c(2, b"", length=1 << 40, length_form=64), 1009),
    ]:
        conn = opened(Role.SERVER, max_message_size=1 << 20)
        [failure] = conn.receive_data(wire[:14])  # the header (and key) is enough
        assert isinstance(failure, ProtocolFailure) and failure.code == code, wire[:4]


def test_masking_key_split_across_reads() -> None:
    wire = c(1, b"split key")
    for cut in range(1, len(wire)):
        conn = opened(Role.SERVER)
        assert conn.receive_data(wire[:cut]) + conn.receive_data(wire[cut:]) == [TextMessage("split key")]


# -- a client core and a server core, bytes to bytes ----------------------------------------------


def chop(data: bytes, rnd: random.Random) -> list[bytes]:
    cuts = sorted(rnd.randrange(len(data) + 1) for _ in range(rnd.randrange(4)))
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def pump(sender_wire: bytes, receiver: Connection, rnd: random.Random) -> list[Event]:
    events: list[Event] = []
    for piece in chop(sender_wire, rnd):
        events += receiver.receive_data(piece)
    return events


def send(conn: Connection, message: str | bytes, fragment: int) -> bytes:
    data = message.encode() if isinstance(message, str) else message
    if fragment <= 0 or len(data) <= fragment:
        return conn.send_text(message) if isinstance(message, str) else conn.send_binary(message)
    pieces = [data[i : i + fragment] for i in range(0, len(data), fragment)]
    return b"".join(
        conn.send_fragment(p, first=i == 0, last=i == len(pieces) - 1, text=isinstance(message, str))
        for i, p in enumerate(pieces)
    )


DEFLATE = st.one_of(
    st.none(),
    st.builds(
        DeflateParams,
        server_no_context_takeover=st.booleans(),
        client_no_context_takeover=st.booleans(),
        server_max_window_bits=st.integers(8, 15),
        client_max_window_bits=st.integers(8, 15),
    ),
)
MESSAGES = st.lists(
    st.one_of(st.text(max_size=2000), st.binary(max_size=6000), st.just(os.urandom(700) * 40)),
    min_size=1, max_size=6,
)


@settings(max_examples=80, deadline=None)
@given(messages=MESSAGES, fragment=st.integers(0, 3000), deflate=DEFLATE, seed=st.integers(0, 2**32))
def test_client_and_server_cores_round_trip(
    messages: list[str | bytes], fragment: int, deflate: DeflateParams | None, seed: int
) -> None:
    """Client -> server -> echo -> client, with fragmentation, pings and the close handshake.

    Both sides get the same negotiated parameters; a direction mix-up (window bits or context
    takeover applied to the wrong sender) breaks the inflate of long-distance back-references.
    """
    rnd = random.Random(seed)
    client, server = opened(Role.CLIENT, deflate=deflate), opened(Role.SERVER, deflate=deflate)
    wire = b"".join(send(client, m, fragment) for m in messages) + client.send_ping(b"cping")
    got = pump(wire, server, rnd)
    assert got == [TextMessage(m) if isinstance(m, str) else BinaryMessage(m) for m in messages] + [
        PingReceived(b"cping")
    ]
    back = server.take_control() + b"".join(send(server, m, fragment) for m in messages)
    back += server.send_ping(b"sping")
    echoed = pump(back, client, rnd)
    assert echoed[0] == PongReceived(b"cping")
    assert [e.data for e in echoed[1:-1]] == messages  # type: ignore[union-attr]
    assert echoed[-1] == PingReceived(b"sping")
    assert pump(client.take_control(), server, rnd) == [PongReceived(b"sping")]
    # Close both ways: the side that closes first is chosen by the seed.
    first, second = (client, server) if seed % 2 else (server, client)
    assert pump(first.send_close(1000, "done"), second, rnd) == [CloseReceived(1000, "done")]
    assert second.state is ConnectionState.CLOSE_RECEIVED
    assert pump(second.send_close(1000), first, rnd) == [CloseReceived(1000, "")]
    assert client.closed_cleanly and server.closed_cleanly
    assert client.state is server.state is ConnectionState.CLOSED


@pytest.mark.parametrize("first", [Role.CLIENT, Role.SERVER])
def test_empty_close_both_ways(first: Role) -> None:
    client, server = opened(Role.CLIENT), opened(Role.SERVER)
    a, b = (client, server) if first is Role.CLIENT else (server, client)
    assert b.receive_data(a.send_close(None)) == [CloseReceived(1005, "")]
    assert a.receive_data(b.send_close(None)) == [CloseReceived(1005, "")]
    assert a.state is b.state is ConnectionState.CLOSED


def test_server_deflate_uses_the_server_parameters_to_send() -> None:
    """server_max_window_bits=8 limits what the server sends: it sends uncompressed (see deflate.py),
    while the client, allowed 15 bits, compresses."""
    params = DeflateParams(server_max_window_bits=8)
    client, server = opened(Role.CLIENT, deflate=params), opened(Role.SERVER, deflate=params)
    [(_, _, rsv_s)] = [(f.fin, f.opcode, f.rsv) for f in decode_frames(server.send_text("a" * 100))[0]]
    [(_, _, rsv_c)] = [(f.fin, f.opcode, f.rsv) for f in decode_frames(client.send_text("a" * 100))[0]]
    assert rsv_s == 0 and rsv_c == RSV1
    assert client.receive_data(server.send_text("x" * 5000)) == [TextMessage("x" * 5000)]
    assert server.receive_data(client.send_text("y" * 5000)) == [TextMessage("y" * 5000)]
