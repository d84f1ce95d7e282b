"""Sans-I/O core helpers for tests: a Connection already past its opening handshake."""

from __future__ import annotations

from typing import Any

from components.websocket.protocol.connection import Connection, Role
from components.websocket.protocol.deflate import DeflateParams


def opened(role: Role = Role.CLIENT, *, deflate: DeflateParams | None = None, **kw: Any) -> Connection:
    """``Connection(role, **kw)`` moved to OPEN with *deflate* (what a driver does after the 101)."""
    conn = Connection(role, **kw)
    conn.establish(deflate)
    return conn
