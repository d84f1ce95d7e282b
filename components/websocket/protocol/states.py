"""The connection's states and the one table of legal transitions (RFC 6455 §4, §7).

:class:`~.connection.Connection` changes state only through this table: a call
the table does not allow raises :class:`InvalidTransition` (a bug in the caller,
never a peer's doing).  The connection module's docstring draws it as a diagram.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, IntEnum
from types import MappingProxyType
from typing import Final

__all__ = [
    "CLOSED",
    "CLOSE_RECEIVED",
    "CLOSE_SENT",
    "CONNECTING",
    "FAILING",
    "OPEN",
    "TRANSITIONS",
    "ConnectionState",
    "InvalidTransition",
    "Role",
    "Trigger",
]


class Role(IntEnum):
    """Which end of the connection the core is (RFC 6455 §5.1: clients mask, servers do not)."""

    CLIENT = 0
    SERVER = 1


class ConnectionState(IntEnum):
    """Where the connection stands (RFC 6455 §4, §7); see the transition table."""

    CONNECTING = 0
    OPEN = 1
    CLOSE_SENT = 2
    CLOSE_RECEIVED = 3
    FAILING = 4
    CLOSED = 5


class Trigger(Enum):
    """What may change the state: one name per row kind of :data:`TRANSITIONS`."""

    ESTABLISH = "establish"  # establish(): the opening handshake succeeded
    ABANDON = "abandon"  # abandon(): the open was given up
    SEND_CLOSE = "send_close"  # send_close(): our Close frame
    RECEIVE_CLOSE = "receive_close"  # the peer's Close frame arrived
    VIOLATION = "violation"  # the peer broke a rule (ProtocolFailure)
    FAIL = "fail"  # fail(): the driver fails the connection
    EOF = "eof"  # receive_eof(): the TCP connection ended


CONNECTING: Final = ConnectionState.CONNECTING
OPEN: Final = ConnectionState.OPEN
CLOSE_SENT: Final = ConnectionState.CLOSE_SENT
CLOSE_RECEIVED: Final = ConnectionState.CLOSE_RECEIVED
FAILING: Final = ConnectionState.FAILING
CLOSED: Final = ConnectionState.CLOSED

_ESTABLISH: Final = Trigger.ESTABLISH
_ABANDON: Final = Trigger.ABANDON
_SEND_CLOSE: Final = Trigger.SEND_CLOSE
_RECEIVE_CLOSE: Final = Trigger.RECEIVE_CLOSE
_VIOLATION: Final = Trigger.VIOLATION
_FAIL: Final = Trigger.FAIL
_EOF: Final = Trigger.EOF

#: Every legal state change: ``(state, trigger) -> new state``.  Anything else raises
#: InvalidTransition.  The module docstring draws the same table as a diagram.
TRANSITIONS: Final[Mapping[tuple[ConnectionState, Trigger], ConnectionState]] = MappingProxyType({
    (CONNECTING, _ESTABLISH): OPEN,
    (CONNECTING, _ABANDON): CLOSED,
    (CONNECTING, _FAIL): CLOSED,
    (OPEN, _SEND_CLOSE): CLOSE_SENT,
    (OPEN, _RECEIVE_CLOSE): CLOSE_RECEIVED,
    (OPEN, _VIOLATION): FAILING,
    (OPEN, _FAIL): CLOSED,
    (OPEN, _EOF): CLOSED,
    (CLOSE_SENT, _RECEIVE_CLOSE): CLOSED,
    (CLOSE_SENT, _VIOLATION): CLOSED,
    (CLOSE_SENT, _FAIL): CLOSED,
    (CLOSE_SENT, _EOF): CLOSED,
    (CLOSE_RECEIVED, _SEND_CLOSE): CLOSED,
    (CLOSE_RECEIVED, _FAIL): CLOSED,
    (CLOSE_RECEIVED, _EOF): CLOSED,
    (FAILING, _FAIL): CLOSED,
    (FAILING, _EOF): FAILING,
    (CLOSED, _FAIL): CLOSED,
    (CLOSED, _EOF): CLOSED,
})


class InvalidTransition(RuntimeError):
    """A call that the connection's state does not allow (see :data:`TRANSITIONS`)."""

    def __init__(self, state: ConnectionState, trigger: Trigger | None, message: str = "") -> None:
        what = trigger.value if trigger is not None else "call"
        super().__init__(message or f"{what} is not allowed in state {state.name}")
        self.state = state
        self.trigger = trigger
