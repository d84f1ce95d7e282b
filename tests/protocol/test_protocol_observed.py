"""ObservedConnection (the frame log's core half): the same events as a plain Connection for the same
bytes, every frame reported with the payload the application sees, and the switch both ways."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.websocket.protocol.connection import Connection, Role
from components.websocket.protocol.deflate import DeflateParams
from components.websocket.protocol.observed import ObservedConnection, observe, unobserve


def _pair(deflate: bool) -> tuple[Connection, Connection]:
    params = DeflateParams() if deflate else None
    server, client = Connection(Role.SERVER), Connection(Role.CLIENT)
    server.establish(params)
    client.establish(params)
    return server, client


def _script(server: Connection, messages: list[tuple[str, Any, int]]) -> bytes:
    """What a server sends: each message whole, or in *n* fragments, with a Ping after each."""
    out = []
    for kind, data, n in messages:
        if n <= 1:
            out.append(server.send_text(data) if kind == "text" else server.send_binary(data))
        else:
            raw = data.encode() if kind == "text" else data
            size = -(-len(raw) // n) or 1
            pieces = [raw[i : i + size] for i in range(0, len(raw), size)] or [b""]
            for i, piece in enumerate(pieces):
                out.append(server.send_fragment(piece, first=i == 0, last=i == len(pieces) - 1,
                                                text=kind == "text"))
        out.append(server.send_ping(b"p"))
    out.append(server.send_close(1000, "done"))
    return b"".join(out)


def _feed(client: Connection, data: bytes, cut: int) -> list[Any]:
    events = []
    for i in range(0, len(data), cut):
        events.extend(client.receive_data(data[i : i + cut]))
    return events


messages = st.lists(
    st.one_of(
        st.tuples(st.just("text"), st.text(max_size=3000), st.integers(1, 4)),
        st.tuples(st.just("binary"), st.binary(max_size=9000), st.integers(1, 4)),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(messages=messages, deflate=st.booleans(), cut=st.sampled_from([1, 7, 4096, 1 << 20]))
def test_same_events_and_every_frame_reported(messages: list[Any], deflate: bool, cut: int) -> None:
    plain_server, plain = _pair(deflate)
    watched_server, watched = _pair(deflate)
    reports: list[tuple[bool, int, bytes, bytes]] = []
    observe(watched, lambda *report: reports.append(report))
    assert type(watched) is ObservedConnection
    wire_plain = _script(plain_server, messages)
    wire_watched = _script(watched_server, messages)
    assert _feed(plain, wire_plain, cut) == _feed(watched, wire_watched, cut)
    received = [r for r in reports if not r[0]]
    sent = [r for r in reports if r[0]]
    # Data frames: their payloads, inflated, put together are the messages.
    data = [(b0, payload) for _, b0, _, payload in received if b0 & 0x0F < 8]
    joined, current = [], b""
    for b0, payload in data:
        current += payload
        if b0 & 0x80:
            joined.append(current)
            current = b""
    assert joined == [m.encode() if kind == "text" else m for kind, m, _ in messages]
    assert all(key == b"" for _, _, key, _ in received)
    assert [p for _, b0, _, p in received if b0 & 0x0F == 9] == [b"p"] * len(messages)
    # The Pongs the core queued answer them, masked, reported as sent.
    assert [(b0, p) for _, b0, _, p in sent] == [(0x8A, b"p")] * len(messages)
    assert all(len(key) == 4 for _, _, key, _ in sent)


def test_sent_frames_are_reported_before_compression_with_their_key() -> None:
    _, client = _pair(deflate=True)
    reports: list[Any] = []
    observe(client, lambda *report: reports.append(report))
    frame = client.send_text("abc" * 100)
    buf = bytearray()
    n = client.send_binary_into(b"\x00" * 70000, buf)
    client.send_fragment(b"part", first=True, last=False)
    client.send_fragment(b"rest", first=False, last=True)
    client.send_close(1001, "bye")
    (text, binary, first, last, close) = reports
    assert text == (True, 0xC1, frame[2:6], b"abc" * 100)
    assert (binary[1], binary[3], binary[2]) == (0xC2, b"\x00" * 70000, bytes(buf[2:6])) and n < 125
    assert (first[1], first[3], last[1], last[3]) == (0x42, b"part", 0x80, b"rest")
    assert close[1] == 0x88 and close[3] == b"\x03\xe9bye"


def test_unobserve_restores_the_plain_connection() -> None:
    server, client = _pair(deflate=True)
    reports: list[Any] = []
    observe(client, lambda *report: reports.append(report))
    client.receive_data(server.send_text("seen"))
    unobserve(client)
    assert type(client) is Connection and type(client._decompressor).__name__ == "Decompressor"
    events = client.receive_data(server.send_text("unseen"))
    assert [getattr(e, "data", None) for e in events] == ["unseen"] and len(reports) == 1
    with pytest.raises(ValueError):
        observe(server, lambda *report: None)  # the server role is not supported
