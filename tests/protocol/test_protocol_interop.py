"""Interop with an independent implementation, without sockets: websockets' sans-I/O server.

Our handshake and Connection talk to ``websockets.server.ServerProtocol`` by
passing bytes back and forth, with and without permessage-deflate.
"""

from __future__ import annotations

import os

import pytest
from support.core import opened

websockets_server = pytest.importorskip("websockets.server")
permessage_deflate = pytest.importorskip("websockets.extensions.permessage_deflate")
ws_frames = pytest.importorskip("websockets.frames")

from components.websocket.protocol import (  # noqa: E402
    Accepted,
    BinaryMessage,
    ClientHandshake,
    CloseReceived,
    Connection,
    ConnectionState,
    DeflateParams,
    PongReceived,
    Role,
    ServerHandshake,
    TextMessage,
    deflate_offer,
    echo_code,
)


def out(server) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(server.data_to_send())


def open_pair(factory, offer: str | None, protocols: list[str] | None = None):  # type: ignore[no-untyped-def]
    server = websockets_server.ServerProtocol(
        extensions=[factory] if factory else None, subprotocols=protocols, max_size=None
    )
    hs = ClientHandshake(
        "localhost:8765", "/echo", origin="http://o.example", extensions=offer, protocols=protocols or ()
    )
    server.receive_data(hs.request())
    [request] = server.events_received()
    server.send_response(server.accept(request))
    result = hs.receive_data(out(server))
    assert isinstance(result, Accepted)
    return server, result


FACTORIES = [
    pytest.param(None, None, id="plain"),
    pytest.param(permessage_deflate.ServerPerMessageDeflateFactory(), deflate_offer(), id="deflate"),
    pytest.param(
        permessage_deflate.ServerPerMessageDeflateFactory(
            server_no_context_takeover=True,
            client_no_context_takeover=True,
            server_max_window_bits=9,
            client_max_window_bits=10,
        ),
        deflate_offer(),
        id="deflate-no-takeover-small-windows",
    ),
    pytest.param(
        permessage_deflate.ServerPerMessageDeflateFactory(client_max_window_bits=9),
        deflate_offer(client_max_window_bits=12, server_max_window_bits=12),
        id="deflate-client-limits",
    ),
]


@pytest.mark.parametrize(("factory", "offer"), FACTORIES)
def test_echo_conversation(factory, offer) -> None:  # type: ignore[no-untyped-def]
    server, result = open_pair(factory, offer)
    assert (result.deflate is None) == (factory is None)
    conn = opened(deflate=result.deflate)
    texts = ["hello", "é" * 10000, os.urandom(1000).hex() * 3]
    blobs = [os.urandom(70000), b"abc" * 100000, b""]

    wire = b"".join(conn.send_text(t) for t in texts) + b"".join(conn.send_binary(b) for b in blobs)
    wire += conn.send_fragment(b"part1-" * 1000, first=True, last=False)
    wire += conn.send_ping(b"pp")
    wire += conn.send_fragment(b"part2-" * 1000, first=False, last=True)
    server.receive_data(wire)
    received = server.events_received()
    data_frames = [fr for fr in received if fr.opcode in (ws_frames.Opcode.TEXT, ws_frames.Opcode.BINARY)]
    assert [fr.data for fr in data_frames[:6]] == [t.encode() for t in texts] + blobs
    # websockets hands over fragments as frames; join the last message's pieces
    tail = [fr for fr in received if fr.opcode in (ws_frames.Opcode.BINARY, ws_frames.Opcode.CONT)][-2:]
    assert b"".join(fr.data for fr in tail) == b"part1-" * 1000 + b"part2-" * 1000
    pong_wire = out(server)  # websockets answered our ping

    # and back: the server sends, we decode (split into awkward chunks)
    for t in texts:
        server.send_text(t.encode())
    for b in blobs:
        server.send_binary(b)
    server.send_text(b"frag-", fin=False)
    server.send_ping(b"sp")
    server.send_continuation("mént".encode(), fin=True)
    server.send_close(4001, "bye now")
    wire = pong_wire + out(server)
    events = []
    for i in range(0, len(wire), 1000):
        events += conn.receive_data(wire[i : i + 1000])
    messages = [e.data for e in events if isinstance(e, (TextMessage, BinaryMessage))]
    assert messages == [*texts, *blobs, "frag-mént"]
    assert PongReceived(b"pp") in events
    assert events[-1] == CloseReceived(4001, "bye now")

    # our pong to the server's ping, then the close echo
    server.receive_data(conn.take_control() + conn.send_close(echo_code(4001)))
    pongs = [fr for fr in server.events_received() if fr.opcode == ws_frames.Opcode.PONG]
    assert [fr.data for fr in pongs] == [b"sp"]
    assert conn.state is ConnectionState.CLOSED
    assert server.close_rcvd is not None and server.close_rcvd.code == 4001  # our echo


def test_client_initiated_close() -> None:
    server, result = open_pair(None, None)
    conn = opened()
    server.receive_data(conn.send_close(1000, "done"))
    server.events_received()
    assert conn.state is ConnectionState.CLOSE_SENT
    assert conn.receive_data(out(server)) == [CloseReceived(1000, "done")]
    assert conn.state is ConnectionState.CLOSED


def test_subprotocol_negotiated_by_websockets() -> None:
    server, result = open_pair(None, None, protocols=["superchat", "chat"])
    assert result.subprotocol == "superchat"


# -- our server core against websockets' sans-I/O client ------------------------------------------

websockets_client = pytest.importorskip("websockets.client")
websockets_uri = pytest.importorskip("websockets.uri")

SERVER_DEFLATE = [
    pytest.param(None, None, id="plain"),
    pytest.param(permessage_deflate.ClientPerMessageDeflateFactory(), DeflateParams(), id="deflate"),
    pytest.param(
        permessage_deflate.ClientPerMessageDeflateFactory(client_max_window_bits=True),
        DeflateParams(server_no_context_takeover=True, client_no_context_takeover=True,
                      server_max_window_bits=10, client_max_window_bits=9),
        id="deflate-no-takeover-small-windows",
    ),
]


@pytest.mark.parametrize(("factory", "params"), SERVER_DEFLATE)
def test_our_server_core_with_the_websockets_client(factory, params) -> None:  # type: ignore[no-untyped-def]
    client = websockets_client.ClientProtocol(
        websockets_uri.parse_uri("ws://localhost:8765/chat?room=1"),
        extensions=[factory] if factory else None, subprotocols=["v2", "v1"], max_size=None,
    )
    request = client.connect()
    client.send_request(request)
    handshake = ServerHandshake()
    wire = b"".join(client.data_to_send())
    offer = handshake.receive_data(wire[:10]) or handshake.receive_data(wire[10:])
    assert offer is not None and offer.target == "/chat?room=1" and offer.protocols == ("v2", "v1")
    assert ("permessage-deflate" in offer.extensions) == (factory is not None)
    client.receive_data(handshake.accept(
        subprotocol="v1", extensions=params.response_header() if params else None))
    [response] = client.events_received()
    assert response.status_code == 101 and client.subprotocol == "v1"
    conn = Connection(Role.SERVER)
    conn.establish(params)

    texts = ["hello", "é" * 10000, os.urandom(1000).hex() * 3]
    blobs = [os.urandom(70000), b"abc" * 100000, b""]
    for t in texts:
        client.send_text(t.encode())
    for b in blobs:
        client.send_binary(b)
    client.send_text(b"frag-", fin=False)
    client.send_ping(b"cp")
    client.send_continuation("mént".encode(), fin=True)
    wire = b"".join(client.data_to_send())
    events = []
    for i in range(0, len(wire), 999):
        events += conn.receive_data(wire[i : i + 999])
    messages = [e.data for e in events if isinstance(e, (TextMessage, BinaryMessage))]
    assert messages == [*texts, *blobs, "frag-mént"]

    # and back: our unmasked (and, when negotiated, compressed) frames
    back = conn.take_control() + b"".join(conn.send_text(t) for t in texts)
    back += b"".join(conn.send_binary(b) for b in blobs) + conn.send_close(1001, "bye")
    client.receive_data(back)
    received = client.events_received()
    assert [fr.data for fr in received if fr.opcode == ws_frames.Opcode.PONG] == [b"cp"]
    data = [fr.data for fr in received if fr.opcode in (ws_frames.Opcode.TEXT, ws_frames.Opcode.BINARY)]
    assert data == [t.encode() for t in texts] + blobs
    assert client.close_rcvd is not None and client.close_rcvd.code == 1001
    assert conn.receive_data(b"".join(client.data_to_send())) == [CloseReceived(1001, "bye")]
    assert conn.closed_cleanly
