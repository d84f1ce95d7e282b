"""The sans-I/O WebSocket core: RFC 6455 framing and closing, RFC 7692 permessage-deflate.

Bytes in, events out; ``send_*`` return bytes; the driver (``channel.py``) does
all I/O.  Nothing here imports trio or touches sockets or clocks.

Public API::

    from components.websocket.protocol import (
        ClientHandshake, Accepted, Redirect, HandshakeError,          # handshake.py
        Connection, ConnectionState, TextMessage, BinaryMessage,      # connection.py
        PingReceived, PongReceived, CloseReceived, ProtocolFailure, echo_code,
        DeflateParams, deflate_offer,                                  # deflate.py
    )

    hs = ClientHandshake(host="127.0.0.1:9001", resource="/path?q", origin="http://o.example",
                         protocols=["chat", "superchat"], extensions=deflate_offer())
    sock.send_all(hs.request())
    result = hs.receive_data(chunk)     # None: need more; raises HandshakeError(status, message)
    #   Accepted(subprotocol, extensions, deflate: DeflateParams | None, leftover: bytes, headers)
    #   Redirect(status, location)
    hs.receive_eof()                    # EOF before the head: raises HandshakeError (refused)

    conn = Connection(max_message_size=64 << 20, deflate=result.deflate)
    events = conn.receive_data(result.leftover)  # then every chunk read from the socket
    #   data: bytes, bytearray or memoryview; nothing passed in is retained after the call
    #   returns, so a recv_into() buffer may be reused at once (big payloads are then copied
    #   once, straight into the message's bytes)
    #   TextMessage(data: str) | BinaryMessage(data: bytes) | PingReceived(payload: bytes)
    #   | PongReceived(payload: bytes) | CloseReceived(code: int, reason: str)  (1005 if empty)
    #   | ProtocolFailure(code: int, status: int, reason: str)
    control = conn.take_control()       # pongs (and a failure's Close): write BEFORE queued data
    conn.send_text(str) / conn.send_binary(bytes-like)           -> bytes of one masked frame
    conn.send_fragment(data, first=..., last=..., text=False)    -> bytes (fragmented message)
    conn.send_ping(payload=b"") / conn.send_pong(payload=b"")    -> bytes (payload <= 125)
    conn.send_close(code=1000, reason="")   -> bytes; b"" if a Close was already sent;
                                            code None/0: empty Close; ValueError on a bad code
    conn.send_close(echo_code(ev.code))     # the reply to CloseReceived (None for 1005/1006/1015)
    conn.receive_eof()          # [] after a Close; else [ProtocolFailure(1006, NS_BASE_STREAM_CLOSED)]
    conn.state                          # ConnectionState.OPEN / CLOSE_SENT / CLOSE_RECEIVED / CLOSED

Failure rules: on ProtocolFailure the core has already queued the Close frame
(code ``ev.code``; none for 1006) in ``take_control()`` and the state is
CLOSED; later input is ignored.  Sending after our Close (or after a failure)
raises RuntimeError.  Statuses: 1002 / NS_ERROR_ILLEGAL_VALUE (framing),
1007 / NS_ERROR_CANNOT_CONVERT_DATA (UTF-8), 1009 / NS_ERROR_FILE_TOO_BIG
(size, reassembled or inflated), 1002 / NS_ERROR_INVALID_CONTENT_ENCODING
(inflate), 1006 / NS_BASE_STREAM_CLOSED (EOF without Close).

``mask.IMPLEMENTATION`` is "c" or "python" (``WSCHANNEL_NO_SPEEDUPS=1`` forces python).
"""

from components.websocket.protocol.connection import (
    BinaryMessage,
    CloseReceived,
    Connection,
    ConnectionState,
    Event,
    PingReceived,
    PongReceived,
    ProtocolFailure,
    TextMessage,
    echo_code,
)
from components.websocket.protocol.deflate import DeflateParams, NegotiationError, deflate_offer
from components.websocket.protocol.frames import FrameError, Opcode, is_valid_close_code
from components.websocket.protocol.handshake import (
    Accepted,
    ClientHandshake,
    HandshakeError,
    Redirect,
    accept_value,
)

__all__ = [
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
    "NegotiationError",
    "Opcode",
    "PingReceived",
    "PongReceived",
    "ProtocolFailure",
    "Redirect",
    "TextMessage",
    "accept_value",
    "deflate_offer",
    "echo_code",
    "is_valid_close_code",
]
