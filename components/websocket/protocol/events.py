"""What the connection reports: the events ``receive_data`` returns (RFC 6455 §5.5, §5.6, §7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, TypeAlias

__all__ = [
    "NO_WIRE_CODES",
    "BinaryMessage",
    "CloseReceived",
    "Event",
    "PingReceived",
    "PongReceived",
    "ProtocolFailure",
    "TextMessage",
    "echo_code",
]


@dataclass(slots=True)
class TextMessage:
    """A complete text message (RFC 6455 §5.6), decoded from UTF-8."""

    data: str


@dataclass(slots=True)
class BinaryMessage:
    """A complete binary message (RFC 6455 §5.6)."""

    data: bytes


@dataclass(slots=True)
class PingReceived:
    """A Ping arrived (RFC 6455 §5.5.2); its Pong is already in the control queue."""

    payload: bytes


@dataclass(slots=True)
class PongReceived:
    """A Pong arrived (RFC 6455 §5.5.3)."""

    payload: bytes


@dataclass(slots=True)
class CloseReceived:
    """The peer's Close frame (RFC 6455 §5.5.1); code 1005 when its payload was empty."""

    code: int
    reason: str


@dataclass(slots=True)
class ProtocolFailure:
    """The connection failed (RFC 6455 §7.1.7); always the last event of its list.

    ``code`` is the close code to fail the connection with (the driver passes
    it to :meth:`Connection.fail`; 1006: none, the TCP connection is simply
    gone), ``status`` the nsresult for onStop.
    """

    code: int
    status: int
    reason: str


Event: TypeAlias = TextMessage | BinaryMessage | PingReceived | PongReceived | CloseReceived | ProtocolFailure

# Codes that name a condition but never appear in a Close frame (RFC 6455 §7.4.1).
NO_WIRE_CODES: Final = (1005, 1006, 1015)


def echo_code(code: int) -> int | None:
    """The code to answer a received Close with (RFC 6455 §5.5.1): the same code,
    or no code for 1005/1006/1015, which never appear on the wire."""
    return None if code in NO_WIRE_CODES else code
