"""The server's side of the opening handshake (RFC 6455 §4.2) over h11."""

from __future__ import annotations

import h11
import pytest

from components.results import Cr
from components.websocket.protocol.handshake import (
    ClientHandshake,
    HandshakeError,
    RequestRejected,
    ServerHandshake,
    accept_value,
)

KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455 §1.3's example


def request(*extra: str, first: str = "GET /chat?room=1 HTTP/1.1", drop: tuple[str, ...] = ()) -> bytes:
    """A request; the standard headers named in *drop* are left out (the *extra* ones never are)."""
    headers = [
        "Host: server.example.com",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {KEY}",
        "Sec-WebSocket-Version: 13",
    ]
    kept = [h for h in headers if h.split(":", 1)[0] not in drop] + list(extra)
    return (first + "\r\n" + "".join(h + "\r\n" for h in kept) + "\r\n").encode()


def rejected(data: bytes) -> RequestRejected:
    with pytest.raises(RequestRejected) as info:
        ServerHandshake().receive_data(data)
    assert info.value.status == Cr.NS_ERROR_ILLEGAL_VALUE  # a HandshakeError like the client's
    return info.value


def parse_response(data: bytes) -> h11.InformationalResponse | h11.Response:
    """Read our answer with an independent parser (h11 as a client)."""
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "x"), ("Upgrade", "websocket"),
                                                                ("Connection", "Upgrade")]))
    client.send(h11.EndOfMessage())
    client.receive_data(data)
    event = client.next_event()
    assert isinstance(event, h11.InformationalResponse | h11.Response)
    return event


def test_valid_request_byte_by_byte_with_leftover_frames() -> None:
    hs = ServerHandshake()
    data = request("Origin: http://example.com", "Sec-WebSocket-Protocol: chat, superchat",
                   "Sec-WebSocket-Protocol: v3", "Sec-WebSocket-Extensions: permessage-deflate; "
                   "client_max_window_bits") + b"\x81\x85frame"
    head = len(data) - 7
    for i in range(head - 1):
        assert hs.receive_data(data[i : i + 1]) is None
    got = hs.receive_data(data[head - 1 :])
    assert got is not None and hs.request is got
    assert got.target == "/chat?room=1" and got.path == "/chat"
    assert got.host == "server.example.com" and got.origin == "http://example.com" and got.key == KEY
    assert got.protocols == ("chat", "superchat", "v3")
    assert got.extensions == "permessage-deflate; client_max_window_bits"
    assert ("sec-websocket-version", "13") in got.headers
    assert got.leftover == b"\x81\x85frame"  # frames sent right behind the request
    with pytest.raises(RuntimeError):
        hs.receive_data(b"more")


def test_accept_builds_the_101() -> None:
    hs = ServerHandshake()
    hs.receive_data(request("Sec-WebSocket-Protocol: chat, superchat"))
    data = hs.accept(subprotocol="superchat", extensions="permessage-deflate", extra_headers=[("X-A", "1")])
    event = parse_response(data)
    assert isinstance(event, h11.InformationalResponse) and event.status_code == 101
    headers = {n.decode(): v.decode() for n, v in event.headers}
    assert headers["sec-websocket-accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" == accept_value(KEY)  # §1.3
    assert headers["upgrade"] == "websocket" and headers["connection"] == "Upgrade"
    assert headers["sec-websocket-protocol"] == "superchat"
    assert headers["sec-websocket-extensions"] == "permessage-deflate" and headers["x-a"] == "1"


def test_accept_without_a_subprotocol_and_its_misuse() -> None:
    hs = ServerHandshake()
    with pytest.raises(RuntimeError):
        hs.accept()
    hs.receive_data(request("Sec-WebSocket-Protocol: chat"))
    assert b"Sec-WebSocket-Protocol" not in hs.accept()
    with pytest.raises(ValueError):
        hs.accept(subprotocol="other")  # never one the client did not offer (§4.2.2)
    with pytest.raises(ValueError):
        hs.accept(extra_headers=[("Bad Name", "x")])
    with pytest.raises(ValueError):
        hs.accept(extra_headers=[("X", "line\r\nbreak")])


def test_our_client_handshake_accepts_our_server_handshake() -> None:
    client = ClientHandshake("localhost:9", "/p", protocols=["a", "b"])
    server = ServerHandshake()
    offer = server.receive_data(client.request())
    assert offer is not None and offer.protocols == ("a", "b")
    result = client.receive_data(server.accept(subprotocol="b"))
    assert result is not None and result.subprotocol == "b"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        pytest.param(request(drop=("Sec-WebSocket-Key",)), 400, id="missing-key"),
        pytest.param(request(f"Sec-WebSocket-Key: {KEY}"), 400, id="two-keys"),
        pytest.param(request("Sec-WebSocket-Key: c2hvcnQ=", drop=("Sec-WebSocket-Key",)), 400,
                     id="key-not-16-bytes"),
        pytest.param(request("Sec-WebSocket-Key: !!notbase64!!!!!!!!!!!", drop=("Sec-WebSocket-Key",)), 400,
                     id="key-not-base64"),
        pytest.param(request(drop=("Upgrade",)), 400, id="missing-upgrade"),
        pytest.param(request(drop=("Connection",)), 400, id="missing-connection"),
        pytest.param(request(drop=("Host",)), 400, id="missing-host"),
        pytest.param(request(drop=("Sec-WebSocket-Version",)), 400, id="missing-version"),
        pytest.param(request(first="POST / HTTP/1.1"), 400, id="not-get"),
        pytest.param(request(first="GET / HTTP/1.0"), 400, id="http-1.0"),
        pytest.param(request("Content-Length: 4"), 400, id="with-a-body"),
        pytest.param(request("Sec-WebSocket-Protocol: a b"), 400, id="subprotocol-not-a-token"),
        pytest.param(b"NOT HTTP AT ALL\r\n\r\n", 400, id="garbage"),
        pytest.param(request(*[f"X-{i}: {'v' * 100}" for i in range(200)]), 431, id="head-too-large"),
    ],
)
def test_bad_requests(data: bytes, status: int) -> None:
    assert rejected(data).http_status == status


@pytest.mark.parametrize("version", ["8", "14", "13, 8"])
def test_wrong_version_is_426_with_ours(version: str) -> None:
    error = rejected(request(f"Sec-WebSocket-Version: {version}", drop=("Sec-WebSocket-Version",)))
    assert error.http_status == 426
    event = parse_response(ServerHandshake.reject(error.http_status))
    assert isinstance(event, h11.Response) and event.status_code == 426
    assert (b"sec-websocket-version", b"13") in list(event.headers)  # RFC 6455 §4.4


def test_too_many_headers() -> None:
    hs = ServerHandshake(max_headers=6)
    with pytest.raises(RequestRejected) as info:
        hs.receive_data(request("X-One: 1", "X-Two: 2"))
    assert info.value.http_status == 431


def test_reject_answer_is_a_complete_response() -> None:
    event = parse_response(ServerHandshake.reject(400))
    assert isinstance(event, h11.Response) and event.status_code == 400
    assert (b"connection", b"close") in list(event.headers)
    assert b"Sec-WebSocket-Version" not in ServerHandshake.reject(400)


def test_eof_before_the_request() -> None:
    hs = ServerHandshake()
    assert hs.receive_data(b"GET / HTTP/1.1\r\n") is None
    assert hs.receive_data(b"") is None
    with pytest.raises(HandshakeError) as info:
        hs.receive_eof()
    assert info.value.status == Cr.NS_BASE_STREAM_CLOSED
