"""Target ``handshake``: the opening handshake parsers (``ClientHandshake.receive_data``, and the
server side's ``ServerHandshake.receive_data``).

One input is an options byte, a byte that picks the read boundaries, and what the peer sends.
Options (byte 0): bit 0 the side (client: a response is parsed; server: a request), bits 1-3
the offer (subprotocols, and none / the default / a narrow permessage-deflate offer), bit 4 a
small head bound (512 bytes, 8 headers) instead of the default (16 KiB, 128).  The client's key
is fixed, so a seed can carry the right ``Sec-WebSocket-Accept``.  The bytes are fed read by
read until an answer; if none comes, ``receive_eof``.

A crash is:

* any exception but ``HandshakeError`` with NS_ERROR_WEBSOCKET_CONNECTION_REFUSED or
  NS_ERROR_ILLEGAL_VALUE (client), ``RequestRejected`` with a 4xx status (or 501, h11's
  answer to a transfer coding it does not implement, RFC 9112 §6.1), or
  ``HandshakeError`` NS_BASE_STREAM_CLOSED from the server's ``receive_eof``;
* an answer that breaks what it promises: ``Accepted`` with a subprotocol or extension that
  was not offered, negotiated deflate parameters outside the offer, a leftover that is not
  the tail of the input; a ``Redirect`` with another status than 301/302/303/307/308 or an
  empty Location; an ``OpeningRequest`` without a key, or whose leftover is not the tail;
* the answer depending on where the reads were cut (for the server, which 4xx aside);
* a hang (1 s CPU), or more than 2 MiB + 64 x the input's length allocated at peak (the head
  is bounded, whatever follows it).
"""

from __future__ import annotations

from typing import Any

from components.results import Cr
from components.websocket.protocol import deflate, handshake
from fuzz.engine import Crash, read_boundaries

INSTRUMENT = ("components.websocket.protocol", "h11")
MAX_LEN = 1 << 13


KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455 §1.3's example key
ACCEPT = handshake.accept_value(KEY)
PROTOCOLS = ((), ("chat",), ("chat", "superchat"), ("v1.proto",))
OFFERS = (None, deflate.deflate_offer(),
          deflate.deflate_offer(client_max_window_bits=10, server_max_window_bits=12,
                                server_no_context_takeover=True, client_no_context_takeover=True))
CLIENT_STATUSES = {Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED, Cr.NS_ERROR_ILLEGAL_VALUE}


def _feed(side: Any, stream: bytes, boundaries: list[int]) -> tuple[Any, bytes]:
    """(result or ("error", status), the bytes not yet fed when the answer came)."""
    prev = 0
    try:
        for end in boundaries:
            result = side.receive_data(stream[prev:end])
            prev = end
            if result is not None:
                return result, stream[prev:]
        side.receive_eof()
    except handshake.RequestRejected as exc:
        if not (400 <= exc.http_status < 500 or exc.http_status == 501):  # 501: h11, unknown coding
            raise Crash(f"request rejected with HTTP status {exc.http_status}") from None
        return ("rejected", exc.http_status), b""
    except handshake.HandshakeError as exc:
        return ("error", exc.status), b""
    raise Crash("receive_eof returned instead of raising")


def _check_client(hs: handshake.ClientHandshake, result: Any, stream: bytes, rest: bytes) -> None:
    if isinstance(result, tuple):
        if result[1] not in CLIENT_STATUSES:
            raise Crash(f"undocumented handshake status {result[1]:#x}")
    elif isinstance(result, handshake.Accepted):
        if result.subprotocol and result.subprotocol not in hs.protocols:
            raise Crash(f"subprotocol {result.subprotocol!r} was not offered")
        if result.deflate is not None:
            if hs.extensions is None:
                raise Crash("deflate negotiated without an offer")
            offered = dict(deflate.parse_extension_header(hs.extensions)[0][1])
            for name in ("client_max_window_bits", "server_max_window_bits"):
                bits = getattr(result.deflate, name)
                limit = offered.get(name)
                if not 8 <= bits <= 15 or (limit is not None and bits > int(limit)):
                    raise Crash(f"{name}={bits} outside the offer {hs.extensions!r}")
        if not stream.endswith(result.leftover + rest):
            raise Crash("the leftover is not the tail of the input")
    elif isinstance(result, handshake.Redirect):
        if result.status not in handshake.REDIRECT_STATUSES or not result.location:
            raise Crash(f"bad redirect {result!r}")
    else:
        raise Crash(f"unexpected answer {result!r}")


def _check_server(result: Any, stream: bytes, rest: bytes) -> None:
    if isinstance(result, tuple):
        if result[0] == "error" and result[1] != Cr.NS_BASE_STREAM_CLOSED:
            raise Crash(f"undocumented server handshake status {result[1]:#x}")
    elif isinstance(result, handshake.OpeningRequest):
        if not result.key:
            raise Crash("an opening request without a key")
        if not stream.endswith(result.leftover + rest):
            raise Crash("the leftover is not the tail of the input")
    else:
        raise Crash(f"unexpected answer {result!r}")


def _summary(result: Any, rest: bytes) -> Any:
    """What must not depend on the reads: the answer, with the leftover and what was not fed."""
    if isinstance(result, tuple):
        # Which 4xx may depend on the reads: h11 parses a head only once it is complete, so a
        # malformed head over the bound is a 400 in one read and a 431 when it trickles in.
        return result[:1] if result[0] == "rejected" else result
    if isinstance(result, handshake.Accepted | handshake.OpeningRequest):
        return type(result).__name__, result.headers, result.leftover + rest
    return result


def one_input(data: bytes) -> None:
    if len(data) < 2:
        return
    options, cut_byte, stream = data[0], data[1], data[2:]
    small = bool(options & 0x10)
    answers = []
    for boundaries in (read_boundaries(cut_byte, len(stream), most=8), [len(stream)]):
        if options & 1:
            shs = handshake.ServerHandshake(max_request_size=512 if small else 16384,
                                            max_headers=8 if small else 128)
            result, rest = _feed(shs, stream, boundaries)
            _check_server(result, stream, rest)
        else:
            hs = handshake.ClientHandshake(
                "127.0.0.1:9001", "/chat?x=1", origin="http://o.example",
                protocols=PROTOCOLS[(options >> 1) & 3], extensions=OFFERS[(options >> 3) % 3],
                key=KEY, max_head_size=512 if small else 16384, max_headers=8 if small else 128,
            )
            hs.request()
            result, rest = _feed(hs, stream, boundaries)
            _check_client(hs, result, stream, rest)
        answers.append(_summary(result, rest))
    if answers[0] != answers[1]:
        raise Crash(f"the answer depends on the reads: {answers[0]!r:.300} vs {answers[1]!r:.300}")


def memory_bound(data: bytes) -> int:
    return (2 << 20) + 64 * len(data)


def seeds() -> dict[str, bytes]:
    ok = (f"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          f"Sec-WebSocket-Accept: {ACCEPT}\r\n")
    out = {
        "client-101": b"\x00\x00" + (ok + "\r\n").encode() + b"\x81\x02hi",
        "client-101-cut": b"\x00\x09" + (ok + "\r\n").encode(),
        "client-101-bytewise": b"\x00\x01" + (ok + "\r\n").encode(),
        "client-subprotocol": b"\x02\x05" + (ok + "Sec-WebSocket-Protocol: chat\r\n\r\n").encode(),
        "client-deflate": b"\x08\x00" + (ok + "Sec-WebSocket-Extensions: permessage-deflate; "
                                         "client_max_window_bits=12\r\n\r\n").encode(),
        "client-deflate-narrow": b"\x10\x00" + (ok + "Sec-WebSocket-Extensions: permessage-deflate; "
                                                "server_no_context_takeover; server_max_window_bits=9; "
                                                "client_max_window_bits=10\r\n\r\n").encode(),
        "client-deflate-quoted": b"\x08\x03" + (ok + 'Sec-WebSocket-Extensions: permessage-deflate; '
                                                'client_max_window_bits="10", x\r\n\r\n').encode(),
        "client-redirect": b"\x00\x00HTTP/1.1 302 Found\r\nLocation: ws://other.example/x\r\n"
                           b"Content-Length: 0\r\n\r\n",
        "client-100-then-101": b"\x00\x07HTTP/1.1 100 Continue\r\n\r\n" + (ok + "\r\n").encode(),
        "client-http10": b"\x00\x00HTTP/1.0 101 Switching Protocols\r\n\r\n",
        "client-404": b"\x00\x00HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno!",
        "client-folded": b"\x00\x00" + (ok + "X-Folded: a\r\n b\r\n\r\n").encode(),
        "client-small-bound": b"\x10\x00" + (ok + "".join(f"X-{i}: {i}\r\n" for i in range(10))
                                             + "\r\n").encode(),
        "client-garbage": b"\x00\x00\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    }
    request = (b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
               b"Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY.encode() + b"\r\n"
               b"Origin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\n"
               b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
               b"Sec-WebSocket-Version: 13\r\n\r\n")
    out["server-request"] = b"\x01\x00" + request + b"\x81\x82abcd\x09\x0b"
    out["server-request-cut"] = b"\x01\x0c" + request
    out["server-version-8"] = b"\x01\x00" + request.replace(b"Version: 13", b"Version: 8")
    out["server-post"] = b"\x01\x00" + request.replace(b"GET", b"POST")
    return out
