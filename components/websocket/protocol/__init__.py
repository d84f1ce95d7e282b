"""The sans-I/O WebSocket core: RFC 6455 framing and closing, RFC 7692 permessage-deflate.

Bytes in, events out; ``send_*`` return bytes; the drivers (the channel's
session, the echo server) do all I/O.  Nothing here imports trio or touches
sockets or clocks.  Both ends of a connection are served: a client
(``Role.CLIENT``, the channel) and a server (``Role.SERVER``, the echo server).

Public API::

    from components.websocket.protocol import (
        ClientHandshake, Accepted, Redirect, HandshakeError,          # handshake.py
        ServerHandshake, OpeningRequest, RequestRejected, accept_value,
        Connection, ConnectionState, Role, InvalidTransition,         # connection.py
        TextMessage, BinaryMessage, PingReceived, PongReceived, CloseReceived,
        ProtocolFailure, echo_code,
        DeflateParams, deflate_offer,                                  # deflate.py
    )

    # client side
    hs = ClientHandshake(host="127.0.0.1:9001", resource="/path?q", origin="http://o.example",
                         protocols=["chat", "superchat"], extensions=deflate_offer())
    sock.send_all(hs.request())
    result = hs.receive_data(chunk)     # None: need more; raises HandshakeError(status, message)
    #   Accepted(subprotocol, extensions, deflate: DeflateParams | None, leftover: bytes, headers)
    #   Redirect(status, location)
    hs.receive_eof()                    # EOF before the head: raises HandshakeError (refused)

    # server side
    shs = ServerHandshake(max_request_size=16384)
    request = shs.receive_data(chunk)   # None: need more; raises RequestRejected(http_status, ...)
    #   OpeningRequest(target, host, key, origin, protocols, extensions, headers, leftover)
    sock.send_all(shs.accept(subprotocol="chat"))   # or ServerHandshake.reject(exc.http_status)

    conn = Connection(Role.CLIENT, max_message_size=64 << 20)   # state CONNECTING
    conn.establish(result.deflate)      # OPEN (conn.abandon(): the open was given up -> CLOSED)
    events = conn.receive_data(result.leftover)  # then every chunk read from the socket
    #   data: bytes, bytearray or memoryview; nothing passed in is retained after the call
    #   returns, so a recv_into() buffer may be reused at once (big payloads are then copied
    #   once, straight into the message's bytes)
    #   TextMessage(data: str) | BinaryMessage(data: bytes) | PingReceived(payload: bytes)
    #   | PongReceived(payload: bytes) | CloseReceived(code: int, reason: str)  (1005 if empty)
    #   | ProtocolFailure(code: int, status: int, reason: str)   (always last)
    control = conn.take_control()       # pongs: write BEFORE queued data
    conn.send_text(str) / conn.send_binary(bytes-like)           -> bytes of one frame
    conn.send_fragment(data, first=..., last=..., text=False)    -> bytes (fragmented message)
    conn.send_ping(payload=b"") / conn.send_pong(payload=b"")    -> bytes (payload <= 125)
    conn.send_close(code=1000, reason="")   -> bytes; b"" if a Close was already sent;
                                            code None/0: empty Close; ValueError on a bad code
    conn.send_close(echo_code(ev.code))     # the reply to CloseReceived (None for 1005/1006/1015)
    conn.fail(code)             # fail the connection: the Close to send (b"" if none) -> CLOSED
    conn.receive_eof()          # [] after a Close; else [ProtocolFailure(1006, NS_BASE_STREAM_CLOSED)]
    conn.state / conn.role / conn.can_send / conn.close_sent / conn.close_received
    conn.closed_cleanly / conn.failure

Failure rules: a ProtocolFailure ends its list of events; the events before it
are valid and in order.  The core sends nothing by itself: the state is
FAILING (data may still be sent, so the driver can dispatch those events and
let a listener answer them), then the driver calls ``conn.fail(ev.code)`` and
writes the Close it returns; input after the violation is ignored.  Sending
after our Close (or after fail()) raises RuntimeError; a call the state does
not allow raises InvalidTransition (see ``connection.TRANSITIONS``).
Statuses: 1002 / NS_ERROR_ILLEGAL_VALUE (framing), 1007 /
NS_ERROR_CANNOT_CONVERT_DATA (UTF-8, reported as soon as the invalid byte
arrives), 1009 / NS_ERROR_FILE_TOO_BIG (size, reassembled or inflated), 1002 /
NS_ERROR_INVALID_CONTENT_ENCODING (inflate), 1006 / NS_BASE_STREAM_CLOSED
(EOF without Close).

``mask.IMPLEMENTATION`` is "c" or "python" (``WSCHANNEL_NO_SPEEDUPS=1`` forces python).
"""

from components.websocket.protocol.connection import (
    TRANSITIONS,
    BinaryMessage,
    CloseReceived,
    Connection,
    ConnectionState,
    Event,
    InvalidTransition,
    PingReceived,
    PongReceived,
    ProtocolFailure,
    Role,
    TextMessage,
    Trigger,
    echo_code,
)
from components.websocket.protocol.deflate import DeflateParams, NegotiationError, deflate_offer
from components.websocket.protocol.frames import FrameError, Opcode, is_valid_close_code
from components.websocket.protocol.handshake import (
    Accepted,
    ClientHandshake,
    HandshakeError,
    OpeningRequest,
    Redirect,
    RequestRejected,
    ServerHandshake,
    accept_value,
)

__all__ = [
    "TRANSITIONS",
    "Accepted",
    "BinaryMessage",
    "ClientHandshake",
    "CloseReceived",
    "Connection",
    "ConnectionState",
    "DeflateParams",
    "Event",
    "FrameError",
    "HandshakeError",
    "InvalidTransition",
    "NegotiationError",
    "Opcode",
    "OpeningRequest",
    "PingReceived",
    "PongReceived",
    "ProtocolFailure",
    "Redirect",
    "RequestRejected",
    "Role",
    "ServerHandshake",
    "TextMessage",
    "Trigger",
    "accept_value",
    "deflate_offer",
    "echo_code",
    "is_valid_close_code",
]
