"""The opening request's extra header fields: which a caller may set, and how they combine.

No I/O.  The handshake request is the protocol's (RFC 6455 §4.1): its Host,
Upgrade, Connection, key, version, subprotocol and extension offers come from
:class:`~.handshake.ClientHandshake` alone.  Everything else a host application
adds -- a token, a User-Agent, cookies, credentials -- is an *extra* field,
kept here in a :class:`HeaderList` and handed to the handshake as a list.

Refused names (:data:`PROTOCOL_OWNED`, and the prefixes ``Sec-WebSocket-`` and
``Proxy-``) are the fields whose meaning the channel owns: the WebSocket
handshake's own, the message framing (a body would break the upgrade), the
hop-by-hop fields that HTTP/2 forbids outright (RFC 9113 §8.2.2, so the same
list works over an extended CONNECT), Origin (asyncOpen's argument) and the
proxy's credentials, which must never reach the origin server.

Merging follows Firefox's header array: ``set(name, value, merge=True)`` joins
to an existing value with ``", "`` (``"; "`` for Cookie, which RFC 6265 §5.4
allows once per request); ``merge=False`` replaces, and an empty value then
removes the field; merging an empty value changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from components.websocket.protocol.handshake import _TOKEN_RE

__all__ = ["PROTOCOL_OWNED", "FieldRefused", "HeaderList", "check_field", "is_protocol_owned"]

#: Field names the channel writes itself or never lets through (lower-case).
PROTOCOL_OWNED: Final = frozenset({
    "host", "upgrade", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
    "trailer", "content-length", "expect", "origin",
})
_OWNED_PREFIXES: Final = ("sec-websocket-", "proxy-")

# RFC 9110 §5.5: field-value = *field-content, visible characters and obs-text with
# single spaces or tabs inside; the value is taken as Latin-1 (one byte per character),
# as h11 gives response values to us.
_VALUE_RE: Final = re.compile(r"(?:[\x21-\x7e\x80-\xff]+(?:[ \t]+[\x21-\x7e\x80-\xff]+)*)?")


class FieldRefused(ValueError):
    """A field the caller may not set, or one that is not valid HTTP."""


def is_protocol_owned(name: str) -> bool:
    """True for a field the WebSocket handshake owns (see the module docs)."""
    lower = name.lower()
    return lower in PROTOCOL_OWNED or lower.startswith(_OWNED_PREFIXES)


def check_field(name: str, value: str) -> str:
    """Check *name* and *value* as an extra request field; return the value trimmed.

    Raises :class:`FieldRefused` for a protocol-owned name, a name that is not
    an HTTP token (RFC 9110 §5.1) or a value that is not a field value (CR, LF,
    NUL or other controls, characters beyond Latin-1).
    """
    if not isinstance(name, str) or _TOKEN_RE.fullmatch(name) is None:
        raise FieldRefused(f"{name!r} is not an HTTP field name")
    if is_protocol_owned(name):
        raise FieldRefused(f"{name} belongs to the WebSocket handshake and cannot be set")
    if not isinstance(value, str):
        raise FieldRefused(f"the value of {name} must be a str, not {type(value).__name__}")
    value = value.strip(" \t")
    if _VALUE_RE.fullmatch(value) is None:
        raise FieldRefused(f"illegal value for {name}: {value!r}")
    return value


class HeaderList:
    """Extra request fields in the order first set, one entry per name (case-insensitive)."""

    __slots__ = ("_fields",)

    def __init__(self) -> None:
        # lower-case name -> [name as first set, value]
        self._fields: dict[str, list[str]] = {}

    def copy(self) -> HeaderList:
        new = HeaderList()
        new._fields = {k: list(v) for k, v in self._fields.items()}
        return new

    def set(self, name: str, value: str, merge: bool = False) -> None:
        """Set, merge or remove a field (see the module docs); FieldRefused for a bad one."""
        value = check_field(name, value)
        self.put(name, value, merge)

    def put(self, name: str, value: str, merge: bool = False) -> None:
        """:meth:`set` for a field the channel itself adds (no protocol-owned check)."""
        key = name.lower()
        entry = self._fields.get(key)
        if merge:
            if not value:
                return
            if entry is not None and entry[1]:
                entry[1] += ("; " if key == "cookie" else ", ") + value
                return
        elif not value:
            self._fields.pop(key, None)
            return
        if entry is None:
            self._fields[key] = [name, value]
        else:
            entry[1] = value

    def get(self, name: str) -> str | None:
        entry = self._fields.get(name.lower())
        return None if entry is None else entry[1]

    def remove(self, name: str) -> None:
        self._fields.pop(name.lower(), None)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._fields

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.items())

    def __len__(self) -> int:
        return len(self._fields)

    def items(self) -> list[tuple[str, str]]:
        """The fields as ``(name, value)`` pairs, for the handshake."""
        return [(name, value) for name, value in self._fields.values()]
