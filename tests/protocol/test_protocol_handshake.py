"""The opening handshake (RFC 6455 §4.1, §4.2.2) over h11."""

from __future__ import annotations

import base64

import h11
import pytest

from components.results import Cr
from components.websocket.protocol.deflate import DeflateParams, deflate_offer
from components.websocket.protocol.handshake import (
    Accepted,
    ClientHandshake,
    HandshakeError,
    Redirect,
    accept_value,
)

REFUSED = Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED
ILLEGAL = Cr.NS_ERROR_ILLEGAL_VALUE


def parse_request(data: bytes) -> tuple[h11.Request, dict[str, list[str]]]:
    """Read our request with an independent parser (h11 as a server)."""
    server = h11.Connection(h11.SERVER)
    server.receive_data(data)
    request = server.next_event()
    assert isinstance(request, h11.Request)
    assert isinstance(server.next_event(), h11.EndOfMessage)
    headers: dict[str, list[str]] = {}
    for name, value in request.headers:
        headers.setdefault(name.decode(), []).append(value.decode())
    return request, headers


def response(
    hs: ClientHandshake, *extra: str, status: str = "101 Switching Protocols", accept: str | None = None
) -> bytes:
    lines = [
        f"HTTP/1.1 {status}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Accept: {accept if accept is not None else accept_value(hs.key)}",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def raw101(hs: ClientHandshake, *lines: str) -> bytes:
    head = ["HTTP/1.1 101 OK", *lines, f"Sec-WebSocket-Accept: {accept_value(hs.key)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode()


def started(**kw: object) -> ClientHandshake:
    hs = ClientHandshake("example.com:9001", "/chat?x=1", **kw)  # type: ignore[arg-type]
    hs.request()
    return hs


# -- the request -----------------------------------------------------------------------------


def test_request_headers() -> None:
    hs = ClientHandshake(
        "example.com:9001",
        "/chat?x=1",
        origin="http://o.example",
        protocols=["chat", "superchat"],
        extensions=deflate_offer(),
    )
    request, headers = parse_request(hs.request())
    assert request.method == b"GET" and request.target == b"/chat?x=1" and request.http_version == b"1.1"
    assert headers["host"] == ["example.com:9001"]
    assert headers["upgrade"] == ["websocket"]
    assert headers["connection"] == ["Upgrade"]
    assert headers["sec-websocket-version"] == ["13"]
    assert headers["origin"] == ["http://o.example"]
    assert headers["sec-websocket-protocol"] == ["chat, superchat"]
    assert headers["sec-websocket-extensions"] == ["permessage-deflate; client_max_window_bits"]
    key = headers["sec-websocket-key"][0]
    assert len(base64.b64decode(key, validate=True)) == 16 and key == hs.key


def test_minimal_request_omits_optional_headers() -> None:
    _, headers = parse_request(ClientHandshake("h", "/").request())
    for absent in ("origin", "sec-websocket-protocol", "sec-websocket-extensions"):
        assert absent not in headers


def test_keys_are_random() -> None:
    assert len({ClientHandshake("h").key for _ in range(100)}) == 100


def test_accept_value_rfc_example() -> None:
    assert accept_value("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 §1.3


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(host=""),
        dict(host="h", resource="no-slash"),
        dict(host="h", protocols=["bad proto"]),
        dict(host="h", protocols=["a", "a"]),
        dict(host="h", protocols=[""]),
    ],
)
def test_bad_request_arguments(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        ClientHandshake(**kwargs)


def test_header_injection_is_refused() -> None:
    with pytest.raises(ValueError):
        ClientHandshake("h", origin="http://o\r\nX-Evil: 1").request()


# -- accepting -------------------------------------------------------------------------------


def test_accept_minimal() -> None:
    hs = started()
    result = hs.receive_data(response(hs))
    assert result == Accepted("", "", None, b"", result.headers)  # type: ignore[union-attr]


def test_leftover_frames_after_the_head() -> None:
    hs = started()
    result = hs.receive_data(response(hs) + b"\x81\x02hi\x89")
    assert isinstance(result, Accepted) and result.leftover == b"\x81\x02hi\x89"


def test_response_split_at_every_byte() -> None:
    key = started().key
    data = response(started(key=key)) + b"\x81\x00"
    head = len(data) - 2
    for cut in range(len(data) + 1):
        hs = started(key=key)
        first = hs.receive_data(data[:cut])
        if cut < head:
            assert first is None
            result = hs.receive_data(data[cut:])
            assert isinstance(result, Accepted) and result.leftover == b"\x81\x00"
        else:
            assert isinstance(first, Accepted) and first.leftover == data[head:cut]


def test_byte_at_a_time() -> None:
    hs = started()
    data = response(hs, "X-Extra: yes", status="101 OK") + b"xy"
    results = [hs.receive_data(data[i : i + 1]) for i in range(len(data) - 2)]
    assert results[:-1] == [None] * (len(results) - 1)
    assert isinstance(results[-1], Accepted) and results[-1].leftover == b""


def test_header_tokens_are_case_insensitive_lists() -> None:
    hs = started()
    data = (
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: keep-alive, UPGRADE\r\n"
        f"Sec-WebSocket-Accept: {accept_value(hs.key)}\r\n\r\n"
    ).encode()
    assert isinstance(hs.receive_data(data), Accepted)


def test_interim_1xx_before_101() -> None:
    hs = started()
    assert isinstance(hs.receive_data(b"HTTP/1.1 100 Continue\r\n\r\n" + response(hs)), Accepted)


def test_subprotocol_chosen() -> None:
    hs = started(protocols=["chat", "superchat"])
    result = hs.receive_data(response(hs, "Sec-WebSocket-Protocol: superchat"))
    assert isinstance(result, Accepted) and result.subprotocol == "superchat"


def test_subprotocol_not_chosen_is_fine() -> None:
    hs = started(protocols=["chat"])
    result = hs.receive_data(response(hs))
    assert isinstance(result, Accepted) and result.subprotocol == ""


def test_subprotocol_ignored_when_none_offered() -> None:
    hs = started()
    result = hs.receive_data(response(hs, "Sec-WebSocket-Protocol: chat"))
    assert isinstance(result, Accepted) and result.subprotocol == ""


def test_deflate_negotiated() -> None:
    hs = started(extensions=deflate_offer())
    result = hs.receive_data(
        response(hs, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10")
    )
    assert isinstance(result, Accepted)
    assert result.deflate == DeflateParams(client_max_window_bits=10)
    assert result.extensions == "permessage-deflate; client_max_window_bits=10"


def test_deflate_declined() -> None:
    hs = started(extensions=deflate_offer())
    result = hs.receive_data(response(hs))
    assert isinstance(result, Accepted) and result.deflate is None and result.extensions == ""


# -- redirects and refusals ------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects(status: int) -> None:
    hs = started()
    data = (
        f"HTTP/1.1 {status} Moved\r\nLocation: wss://other.example/x\r\nContent-Length: 3\r\n\r\nabc".encode()
    )
    assert hs.receive_data(data) == Redirect(status, "wss://other.example/x")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", id="200"),
        pytest.param(b"HTTP/1.1 404 Not Found\r\n\r\n", id="404"),
        pytest.param(b"HTTP/1.1 302 Found\r\n\r\n", id="redirect-without-location"),
        pytest.param(b"HTTP/1.1 304 Not Modified\r\nLocation: /x\r\n\r\n", id="304-is-not-a-redirect"),
        pytest.param(b"HTTP/1.0 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", id="http-1.0"),
        pytest.param(b"SSH-2.0-OpenSSH_9.0\r\n\r\n", id="not-http"),
        pytest.param(b"HTTP/1.1 101 OK\r\nBad Header\r\n\r\n", id="malformed-header"),
    ],
)
def test_refused(data: bytes) -> None:
    hs = started()
    with pytest.raises(HandshakeError) as info:
        hs.receive_data(data)
    assert info.value.status == REFUSED


def test_oversized_head_is_refused() -> None:
    hs = ClientHandshake("h", max_head_size=1024)
    hs.request()
    with pytest.raises(HandshakeError) as info:
        hs.receive_data(b"HTTP/1.1 101 OK\r\n" + b"X-Pad: " + b"a" * 2000 + b"\r\n")
    assert info.value.status == REFUSED


def test_too_many_headers_is_refused() -> None:
    hs = ClientHandshake("h", max_headers=10)
    hs.request()
    with pytest.raises(HandshakeError) as info:
        hs.receive_data(response(hs, *[f"X-{i}: {i}" for i in range(10)]))
    assert info.value.status == REFUSED


def test_eof_before_the_head() -> None:
    hs = started()
    assert hs.receive_data(b"HTTP/1.1 101 Swi") is None
    with pytest.raises(HandshakeError) as info:
        hs.receive_eof()
    assert info.value.status == REFUSED


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda hs: response(hs, accept="wrong"), "Accept"),
        (lambda hs: response(hs, accept=accept_value("another key=")), "Accept"),
        (lambda hs: response(hs, f"Sec-WebSocket-Accept: {accept_value(hs.key)}"), "Accept"),
        (
            lambda hs: raw101(hs, "Connection: Upgrade"),
            "Upgrade",
        ),
        (
            lambda hs: (
                "HTTP/1.1 101 OK\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept_value(hs.key)}\r\n\r\n"
            ).encode(),
            "Upgrade",
        ),
        (
            lambda hs: raw101(hs, "Upgrade: websocket"),
            "Connection",
        ),
        (lambda hs: response(hs, "Sec-WebSocket-Protocol: other"), "subprotocol"),
        (lambda hs: response(hs, "Sec-WebSocket-Protocol: chat, superchat"), "subprotocol"),
        (
            lambda hs: response(hs, "Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: chat"),
            "subprotocol",
        ),
        (lambda hs: response(hs, "Sec-WebSocket-Protocol: CHAT"), "subprotocol"),
        (lambda hs: response(hs, "Sec-WebSocket-Extensions: x-unknown"), "Extensions"),
        (lambda hs: response(hs, "Sec-WebSocket-Extensions: permessage-deflate; bogus=1"), "Extensions"),
    ],
)
def test_violations(build, message: str) -> None:  # type: ignore[no-untyped-def]
    hs = started(protocols=["chat", "superchat"], extensions=deflate_offer())
    with pytest.raises(HandshakeError, match=message) as info:
        hs.receive_data(build(hs))
    assert info.value.status == ILLEGAL


def test_extension_without_offer() -> None:
    hs = started()
    with pytest.raises(HandshakeError) as info:
        hs.receive_data(response(hs, "Sec-WebSocket-Extensions: permessage-deflate"))
    assert info.value.status == ILLEGAL


def test_no_more_input_after_completion() -> None:
    hs = started()
    hs.receive_data(response(hs))
    with pytest.raises(RuntimeError):
        hs.receive_data(b"more")


def test_extra_headers_are_sent() -> None:
    hs = ClientHandshake("h", extra_headers=[("User-Agent", "wschannel/0.1"), ("X-Trace", "1")])
    _, headers = parse_request(hs.request())
    assert headers["user-agent"] == ["wschannel/0.1"] and headers["x-trace"] == ["1"]


# -- the request template (request() without extra headers) against the h11-built request ------

_TEMPLATE_CASES = [
    dict(host="h", resource="/"),
    dict(host="example.com:9001", resource="/chat?x=1", origin="http://o.example"),
    dict(host="[::1]:80", resource="/a/b?c=d&e", protocols=["chat", "superchat"], extensions=deflate_offer()),
    dict(host="h", resource="/", origin="null", protocols=["x"]),
    dict(
        host="h",
        resource="/",
        extensions="permessage-deflate; client_max_window_bits; server_no_context_takeover",
    ),
]


@pytest.mark.parametrize("kwargs", _TEMPLATE_CASES)
def test_template_request_is_what_h11_writes(kwargs: dict) -> None:
    key = "dGhlIHNhbXBsZSBub25jZQ=="
    fast = ClientHandshake(**kwargs, key=key)
    slow = ClientHandshake(**kwargs, key=key)
    assert fast.request() == slow._request_via_h11()
    # ... and the h11 state it leaves behind accepts the 101 the same way.
    assert isinstance(fast.receive_data(response(fast)), Accepted)
    assert isinstance(slow.receive_data(response(slow)), Accepted)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(host="h", resource="/a b"),
        dict(host="h", resource="/\x7f"),
        dict(host="h\r\nX: y"),
        dict(host=" h"),
        dict(host="h", origin="http://o "),
        dict(host="h", origin="http://o\x00"),
        dict(host="h", origin="http://ö.example"),
        dict(host="h", resource="/é"),
        dict(host="h", extensions="permessage-deflate\n"),
    ],
)
def test_template_refuses_what_h11_refuses(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        ClientHandshake(**kwargs).request()
    with pytest.raises(ValueError):
        ClientHandshake(**kwargs)._request_via_h11()
