"""A client connection that reports every frame: the frame log's half in the core.

Theory of operation
-------------------
The frame log (``nsIWebSocketEventService``) must cost nothing while nobody is
watching, so :class:`~.connection.Connection` has no test for an observer on any
path.  A watched connection instead has its class switched to
:class:`ObservedConnection` by :func:`observe` (the subclass adds no slots, so
the switch is one assignment, either way, at any point of the connection's life)
and back by :func:`unobserve`.  The subclass:

* sends every received frame through the core's general path (``_frame``): the
  loop runs without its C scanner and inline fast paths, and a whole compressed
  message takes the same path as a fragmented one.  ``_frame`` is where a frame
  is reported, after the core has taken it in: with its payload unmasked and,
  under permessage-deflate, inflated, as Firefox shows it;
* reports every frame it produces with the payload it was given, before
  compression (the header bits and masking key read back from the frame's
  bytes), including the Pongs the core queues itself.

The observer is any ``callable(sent, b0, mask, payload)``: *b0* the frame's first
byte (FIN, RSV1-3, opcode), *mask* the 4-byte key (``b""`` when unmasked).
Timestamps, frame objects and listeners are the event service's business.
Only the client role is supported (the server's masked loop keeps its fast paths).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeAlias

from components.websocket.protocol.connection import Connection, Event, Role
from components.websocket.protocol.deflate import Decompressor, DeflateParams
from components.websocket.protocol.mask import Buffer, mask

__all__ = ["FrameObserver", "ObservedConnection", "observe", "unobserve"]

FrameObserver: TypeAlias = Callable[[bool, int, bytes, bytes], None]

_CONTROL: Final = 0x08


def _header(frame: Buffer) -> tuple[int, bytes, int]:
    """(first byte, masking key or b"", payload offset) of one encoded frame."""
    view = memoryview(frame)
    b1 = view[1]
    length = b1 & 0x7F
    offset = 2 if length < 126 else 4 if length == 126 else 10
    if b1 & 0x80:
        return view[0], bytes(view[offset : offset + 4]), offset + 4
    return view[0], b"", offset


class _Inflating:
    """The connection's Decompressor, remembering the last frame's output for the report."""

    __slots__ = ("inner", "last")

    def __init__(self, inner: Decompressor) -> None:
        self.inner = inner
        self.last = b""

    def decompress(self, data: Buffer, last: bool, limit: int) -> bytes:
        self.last = out = self.inner.decompress(data, last, limit)
        return out


class ObservedConnection(Connection):
    """A Connection whose frames are reported to ``self._observer`` (see the module docs)."""

    __slots__ = ()

    _observer: FrameObserver

    # -- received ----------------------------------------------------------------------------

    def _decode(self, src: bytes, events: list[Event], resume: int = 0, fast: bool = True) -> None:
        Connection._decode(self, src, events, resume, False)

    # (The whole-compressed-message shortcut of _other_frame is skipped too.)
    _other_frame = Connection._general_frame

    def _deliver(self, b0: int, payload: bytes, events: list[Event]) -> None:
        event = self._frame(b0, payload)
        if event is not None:
            events.append(event)

    def _frame(self, b0: int, payload: bytes) -> Event | None:
        control = self._control
        queued = len(control)
        inflating = self._decompressor
        compressed = b0 & 0x0F < _CONTROL and (b0 & 0x40 if b0 & 0x0F else self._msg_compressed)
        event = Connection._frame(self, b0, payload)
        data: Buffer = payload
        if compressed and isinstance(inflating, _Inflating):
            data, inflating.last = inflating.last, b""
        self._observer(False, b0, b"", bytes(data))
        for frame in control[queued:]:  # the Pong answering a Ping
            self._sent(frame, None)
        return event

    # -- sent --------------------------------------------------------------------------------

    def _sent(self, frame: Buffer, payload: Buffer | None) -> None:
        b0, key, offset = _header(frame)
        if payload is None:  # a control frame: its own bytes, unmasked
            body = memoryview(frame)[offset:]
            payload = mask(body, key) if key else bytes(body)
        self._observer(True, b0, key, bytes(payload))

    def _send_message(self, b0: int, payload: Buffer) -> bytes:
        frame = Connection._send_message(self, b0, payload)
        self._sent(frame, payload)
        return frame

    def send_binary_into(self, data: Buffer, buffer: bytearray) -> int:
        n = Connection.send_binary_into(self, data, buffer)
        self._sent(memoryview(buffer)[:n], data)
        return n

    def send_fragment(self, data: Buffer, *, first: bool, last: bool, text: bool = False) -> bytes:
        frame = Connection.send_fragment(self, data, first=first, last=last, text=text)
        self._sent(frame, data)
        return frame

    def _send_control(self, b0: int, payload: Buffer) -> bytes:
        frame = Connection._send_control(self, b0, payload)
        self._sent(frame, None)
        return frame

    def send_close(self, code: int | None = 1000, reason: str = "") -> bytes:
        frame = Connection.send_close(self, code, reason)
        if frame:
            self._sent(frame, None)
        return frame

    def fail(self, code: int | None, reason: str = "") -> bytes:
        frame = Connection.fail(self, code, reason)
        if frame:
            self._sent(frame, None)
        return frame

    def establish(self, deflate: DeflateParams | None = None) -> None:
        Connection.establish(self, deflate)
        _wrap_decompressor(self)


def _wrap_decompressor(conn: Connection) -> None:
    inner = conn._decompressor
    if inner is not None and not isinstance(inner, _Inflating):
        conn._decompressor = _Inflating(inner)  # type: ignore[assignment]


def observe(conn: Connection, observer: FrameObserver) -> None:
    """Report *conn*'s frames to *observer* from now on (client role only)."""
    if conn.role is not Role.CLIENT:
        raise ValueError("only a client connection can be observed")
    conn._observer = observer  # type: ignore[attr-defined]
    if type(conn) is Connection:
        conn.__class__ = ObservedConnection
        _wrap_decompressor(conn)


def unobserve(conn: Connection) -> None:
    """Stop reporting: *conn* is a plain Connection again, fast paths and all."""
    if type(conn) is ObservedConnection:
        inner: Any = conn._decompressor
        if isinstance(inner, _Inflating):
            conn._decompressor = inner.inner
        conn.__class__ = Connection  # type: ignore[assignment]
        del conn._observer
