"""The WebSocket connection after the handshake: RFC 6455 §5–§7 and RFC 7692 §6–§7.

Theory of operation
===================

:class:`Connection` is a sans-I/O state machine.  The driver feeds it bytes
read from the socket (:meth:`Connection.receive_data`, :meth:`Connection.receive_eof`)
and gets back a list of events; it asks it for the bytes of outgoing frames
(``send_*``) and writes them itself.  There is no socket, task, clock or lock
in here; nothing blocks; nothing is written behind the driver's back.

Invariants
----------

* **One pass per chunk.**  ``receive_data`` decodes every complete frame in
  the chunk in a single loop over offsets into that one ``bytes`` object: no
  per-frame buffer juggling, no ``bytes +=`` accumulation, no per-byte
  Python.  Unfragmented text and binary frames without RSV bits take an
  inline fast path: one slice (the ``bytes`` of the message, or decoded
  straight to ``str``) and one event object per message.  What is left at the
  end is either a short tail (at most 4 KiB), prepended to the next chunk, or
  the start of a large frame, whose payload is then collected as the reads
  arrive: with the C accelerator copied straight into its final ``bytes``
  (``payload_buffer``/``fill``), otherwise as a list of chunks joined once
  (small dribbled reads merged).  Either way a 1 MiB message arriving in
  64 KiB reads is copied once, never re-buffered.  With the C accelerator
  the driver can do better still: :meth:`Connection.receive_buffer` offers a
  writable view of the missing bytes of that final ``bytes``, the driver reads
  into it (``recv_into``) and reports the count with ``receive_filled`` -- the rest
  of the payload is then read in place, with no read buffer and no copy.
  Nothing passed to
  ``receive_data`` is retained after it returns, so the driver may reuse a
  ``recv_into`` buffer.  With the C accelerator, runs of simple frames are
  decoded by ``_speedups.scan_frames``, which builds the same event objects
  and declines (returns to the Python loop) at the first frame that needs
  any check beyond the fast path's.
* **Bounded memory.**  A frame header is checked as soon as it is complete,
  before its payload is waited for: a control frame over 125 bytes, or a data
  frame that would take the message past ``max_message_size``, fails at once,
  so the buffer never holds more than one allowed message plus one chunk.
  Compressed messages are bounded twice: the compressed bytes by the same
  rule, and the inflated output by :class:`~.deflate.Decompressor`, which
  never produces more than the remaining budget plus one byte.
* **Failure is terminal.**  Any violation (RFC 6455 §7.1.7 "_Fail the
  WebSocket Connection_") yields one :class:`ProtocolFailure` carrying the
  close code to send and the nsresult for onStop; the core has already queued
  that Close frame in the control queue (unless we had sent a Close), the
  state becomes CLOSED, and later input is ignored.  Events decoded earlier in
  the same chunk are still delivered, in order, before the failure.
* **Control before data.**  Pings are answered by the core: the Pong (same
  payload, RFC 6455 §5.5.3) goes to a control queue that the driver drains
  with :meth:`Connection.take_control` after every ``receive_data`` and
  writes *before* any queued data frames.  Control frames received between
  the fragments of a message are handled without disturbing the reassembly.
* **Closing (RFC 6455 §5.5.1, §7).**  ``send_close`` is idempotent: the
  second call returns ``b""``.  Code ``None`` or 0 sends an empty Close.
  Receiving a Close yields :class:`CloseReceived` (1005 for an empty one) and
  stops decoding: nothing after a Close is processed.  The core does not echo
  the Close itself; Firefox leaves that to the layer above and so do we (the
  channel calls ``send_close(echo_code(code))``).  States::

      OPEN --send_close--> CLOSE_SENT --Close received--> CLOSED
      OPEN --Close received--> CLOSE_RECEIVED --send_close--> CLOSED
      any --failure or EOF without a Close--> CLOSED

* **Sending.**  Every client frame is masked with a fresh key (RFC 6455
  §5.3), built by the C accelerator in one allocation when available.  Data
  may be sent in OPEN and CLOSE_RECEIVED, nothing after our Close.  With
  permessage-deflate, whole messages and each fragment of a fragmented
  message are compressed through the message's one deflate stream, RSV1 on
  the first frame only.

Status codes: framing violations 1002 / NS_ERROR_ILLEGAL_VALUE; invalid UTF-8
1007 / NS_ERROR_CANNOT_CONVERT_DATA; over-size (reassembled or inflated)
1009 / NS_ERROR_FILE_TOO_BIG; corrupt deflate data 1002 /
NS_ERROR_INVALID_CONTENT_ENCODING (Firefox sends 1002 for every failure that
is not UTF-8 or size); TCP closed without a Close: code 1006 (nothing is
sent) / NS_BASE_STREAM_CLOSED.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Final, TypeAlias

from components.results import Cr
from components.websocket.protocol import mask as mask_module
from components.websocket.protocol.deflate import Compressor, Decompressor, DeflateParams
from components.websocket.protocol.frames import (
    FIN,
    MAX_CONTROL_PAYLOAD,
    RSV1,
    FrameError,
    encode_close_payload,
    is_valid_close_code,
    parse_close_payload,
    parse_extended_length,
    protocol_error,
)
from components.websocket.protocol.mask import Buffer, encode_client_frame, encode_client_frame_into

__all__ = [
    "ConnectionState",
    "Connection",
    "TextMessage",
    "BinaryMessage",
    "PingReceived",
    "PongReceived",
    "CloseReceived",
    "ProtocolFailure",
    "Event",
    "echo_code",
    "DEFAULT_MAX_MESSAGE_SIZE",
]

DEFAULT_MAX_MESSAGE_SIZE: Final = 64 << 20


class ConnectionState(IntEnum):
    """Where the closing handshake stands (RFC 6455 §7)."""

    OPEN = 1
    CLOSE_SENT = 2
    CLOSE_RECEIVED = 3
    CLOSED = 4


OPEN: Final = ConnectionState.OPEN
CLOSE_SENT: Final = ConnectionState.CLOSE_SENT
CLOSE_RECEIVED: Final = ConnectionState.CLOSE_RECEIVED
CLOSED: Final = ConnectionState.CLOSED


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
    """The server's Close frame (RFC 6455 §5.5.1); code 1005 when its payload was empty."""

    code: int
    reason: str


@dataclass(slots=True)
class ProtocolFailure:
    """The connection failed (RFC 6455 §7.1.7).

    ``code`` is the close code the core has queued (1006: none, the TCP
    connection is simply gone), ``status`` the nsresult for onStop.
    """

    code: int
    status: int
    reason: str


Event: TypeAlias = TextMessage | BinaryMessage | PingReceived | PongReceived | CloseReceived | ProtocolFailure


def echo_code(code: int) -> int | None:
    """The code to answer a received Close with (RFC 6455 §5.5.1): the same code,
    or no code for 1005/1006/1015, which never appear on the wire."""
    return None if code in (1005, 1006, 1015) else code


_TEXT: Final = 0x1
_BINARY: Final = 0x2
_CLOSE: Final = 0x8
_PING: Final = 0x9
_PONG: Final = 0xA
_new_utf8_decoder: Final = codecs.getincrementaldecoder("utf-8")
# An incomplete frame up to this size is kept as bytes and prepended to the next
# chunk (one copy of that chunk); a larger one collects its payload chunk by
# chunk and is joined once, so big messages are copied once, never re-buffered.
_TAIL_LIMIT: Final = 4096
_SMALL_CHUNK: Final = 4096
_SMALL_TEXT: Final = 1024  # characters; merging re-copies the last piece, so keep it short


def _load_scanner() -> Callable[[bytes, int, int, list[Event]], int] | None:
    """The C receive fast path, when the accelerator is active and accepts our event classes."""
    speedups = mask_module._speedups
    if speedups is None:
        return None
    try:
        speedups.set_event_types(TextMessage, BinaryMessage)
    except (TypeError, AttributeError):  # an unexpected class layout: stay in Python
        return None
    scan: Callable[[bytes, int, int, list[Event]], int] = speedups.scan_frames
    return scan


_scan_frames = _load_scanner()
_speedups = mask_module._speedups
_payload_buffer: Callable[[int], bytes] | None = _speedups.payload_buffer if _speedups else None
_fill: Callable[[bytes, int, Buffer], int] | None = _speedups.fill if _speedups else None
_payload_view: Callable[[bytes, int, int], memoryview] | None = (
    getattr(_speedups, "payload_view", None) if _speedups else None
)


class Connection:
    """Client side of an open WebSocket connection (see the module docs).

    *deflate* is the negotiated permessage-deflate configuration
    (``Accepted.deflate``) or None.  *max_message_size* bounds every received
    message, reassembled and inflated.
    """

    __slots__ = (
        "max_message_size",
        "_tail",
        "_pending",
        "_pending_need",
        "_pending_off",
        "_pending_b0",
        "_control",
        "_close_sent",
        "_close_received",
        "_failed",
        "_msg_opcode",
        "_msg_parts",
        "_msg_size",
        "_msg_inflated",
        "_msg_compressed",
        "_utf8",
        "_rsv_allowed",
        "_compressor",
        "_decompressor",
        "_out_fragmenting",
        "_out_compressed",
        "deflate",
    )

    def __init__(
        self,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        deflate: DeflateParams | None = None,
        *,
        compression_level: int = 6,
        compression_mem_level: int = 8,
    ) -> None:
        if max_message_size < 0:
            raise ValueError("max_message_size must be >= 0")
        self.max_message_size = min(max_message_size, sys.maxsize)  # no message can be larger
        self.deflate = deflate
        # Unparsed input: a short tail (prepended to the next chunk), or, for a
        # frame larger than _TAIL_LIMIT, the chunks of its payload so far.
        self._tail = b""
        self._pending: bytes | list[bytes | bytearray] | None = None
        self._pending_off = 0
        self._pending_need = 0
        self._pending_b0 = 0
        self._control: list[bytes] = []
        self._close_sent = False
        self._close_received = False
        self._failed = False
        # The message being reassembled (0: none).
        self._msg_opcode = 0
        self._msg_parts: list[bytes | bytearray] | list[str] = []
        self._msg_size = 0
        self._msg_inflated = 0
        self._msg_compressed = False
        self._utf8: codecs.IncrementalDecoder | None = None
        self._rsv_allowed = RSV1 if deflate is not None else 0
        self._compressor = (
            Compressor(deflate, compression_level, compression_mem_level) if deflate is not None else None
        )
        self._decompressor = Decompressor(deflate) if deflate is not None else None
        # The fragmented message being sent, if any.
        self._out_fragmenting = False
        self._out_compressed = False

    # -- state -------------------------------------------------------------------------------

    @property
    def state(self) -> ConnectionState:
        """OPEN, CLOSE_SENT, CLOSE_RECEIVED or CLOSED (RFC 6455 §7)."""
        if self._failed or (self._close_sent and self._close_received):
            return CLOSED
        if self._close_sent:
            return CLOSE_SENT
        if self._close_received:
            return CLOSE_RECEIVED
        return OPEN

    @property
    def close_sent(self) -> bool:
        """Has a Close frame been produced (by send_close or by a failure)?"""
        return self._close_sent

    @property
    def close_received(self) -> bool:
        """Has the server's Close frame arrived?"""
        return self._close_received

    # -- receiving ---------------------------------------------------------------------------

    def receive_data(self, data: Buffer) -> list[Event]:
        """Decode every complete frame in *data* (plus buffered bytes): RFC 6455 §5.2, §6.2.

        Returns the events in order.  After a Close or a failure the rest of
        the input is ignored.
        """
        if self._close_received or self._failed:
            return []
        events: list[Event] = []
        try:
            pending = self._pending
            if pending is not None:
                # The payload of a large frame is still arriving.
                need = self._pending_need
                size = len(data)
                if isinstance(pending, bytes):
                    # C: copy straight into the final bytes object (any buffer type).
                    fill = _fill
                    assert fill is not None
                    if size < need:
                        self._pending_off = fill(pending, self._pending_off, data)
                        self._pending_need = need - size
                        return events
                    fill(pending, self._pending_off, memoryview(data)[:need])
                    payload = pending
                else:
                    if type(data) is not bytes:
                        data = bytes(data)
                    if size < need:
                        self._collect(pending, data)
                        self._pending_need = need - size
                        return events
                    pending.append(data[:need] if need < size else data)
                    payload = b"".join(pending)
                self._pending = None
                self._deliver(self._pending_b0, payload, events)
                if self._close_received or self._failed or need == size:
                    return events
                data = memoryview(data)[need:]
            if type(data) is not bytes:
                data = bytes(data)
            if self._tail:
                data = self._tail + data
                self._tail = b""
            self._decode(data, events)
        except FrameError as exc:
            events.append(self._fail(exc.code, exc.status, exc.reason))
        except UnicodeDecodeError:
            events.append(self._fail(1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA, "text is not valid UTF-8"))
        return events

    def receive_buffer(self) -> memoryview | None:
        """Writable room for the rest of the large frame being received, or None.

        While the payload of a large frame is still arriving (C accelerator
        only), this is a view of exactly the missing bytes of its final
        ``bytes`` object: the driver may ``recv_into`` it and report the count
        with :meth:`receive_filled`, so the rest of a 1 MiB message costs no read
        buffer and no copy at all.  None otherwise: then use :meth:`receive_data`.
        The view is only valid until the next call into the connection; the
        driver must release it before that.
        """
        pending = self._pending
        if _payload_view is None or type(pending) is not bytes:
            return None
        return _payload_view(pending, self._pending_off, self._pending_need)

    def receive_filled(self, n: int) -> list[Event]:
        """*n* bytes were written at the start of the last :meth:`receive_buffer` view.

        Returns the events, as :meth:`receive_data` would for the same bytes.
        """
        pending = self._pending
        need = self._pending_need
        if type(pending) is not bytes or not 0 < n <= need:
            raise ValueError("receive_filled() without a matching receive_buffer()")
        events: list[Event] = []
        if n < need:
            self._pending_off += n
            self._pending_need = need - n
            return events
        self._pending = None
        try:
            self._deliver(self._pending_b0, pending, events)
        except FrameError as exc:
            events.append(self._fail(exc.code, exc.status, exc.reason))
        except UnicodeDecodeError:
            events.append(self._fail(1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA, "text is not valid UTF-8"))
        return events

    def _decode(self, src: bytes, events: list[Event]) -> None:
        """The one-pass frame loop over *src* (see the theory of operation)."""
        n = len(src)
        pos = 0
        append = events.append
        limit = self.max_message_size
        scan = _scan_frames
        decompressor = self._decompressor
        while n - pos >= 2:
            if scan is not None and not self._msg_opcode:
                # C fast path: runs of simple text/binary frames, stops at anything else.
                pos = scan(src, pos, limit, events)
                if n - pos < 2:
                    break
            b0 = src[pos]
            b1 = src[pos + 1]
            if b1 < 126:
                start = pos + 2
                end = start + b1
            elif b1 < 128:
                parsed = parse_extended_length(src, pos, n - pos, b1)
                if parsed is None:
                    self._check_header(b0, 126)
                    break
                start = pos + parsed[1]
                end = start + parsed[0]
            else:
                raise protocol_error("masked frame from the server")  # RFC 6455 §5.1
            if end > n:
                self._check_header(b0, end - start)
                if end - pos > _TAIL_LIMIT:
                    # Large frame: collect its payload until complete (one copy in all).
                    if _payload_buffer is not None:
                        buf = _payload_buffer(end - start)
                        self._pending_off = _fill(buf, 0, memoryview(src)[start:])  # type: ignore[misc]
                        self._pending = buf
                    else:
                        self._pending = [src[start:]]
                    self._pending_need = end - n
                    self._pending_b0 = b0
                    return
                break
            # Fast path: a whole text/binary message in one frame, no RSV bits.
            if b0 == 0x81 and not self._msg_opcode and end - start <= limit:
                append(TextMessage(src[start:end].decode()))
            elif b0 == 0x82 and not self._msg_opcode and end - start <= limit:
                append(BinaryMessage(src[start:end]))
            elif (b0 == 0xC1 or b0 == 0xC2) and decompressor is not None and not self._msg_opcode:
                # Fast path for a whole compressed message in one frame (RFC 7692 §7.2.2).
                if end - start > limit:
                    self._check_header(b0, end - start)  # raises 1009
                data = decompressor.decompress(src[start:end], True, limit)
                append(TextMessage(data.decode()) if b0 == 0xC1 else BinaryMessage(data))
            else:
                self._check_header(b0, end - start)
                event = self._frame(b0, src[start:end])
                if event is not None:
                    append(event)
                    if type(event) is CloseReceived:
                        return
            pos = end
        if pos < n:
            self._tail = src[pos:]

    @staticmethod
    def _collect(pending: list[bytes | bytearray], data: bytes) -> None:
        """Pure-Python large-frame collection: big reads kept as they are, small ones merged.

        Dribbled input (a few bytes per read) then costs its size in memory,
        not an object per read; the chunks are joined once at the end.
        """
        if len(data) < _SMALL_CHUNK:
            last = pending[-1]
            if type(last) is bytearray:
                last += data
            else:
                pending.append(bytearray(data))
        else:
            pending.append(data)

    def _deliver(self, b0: int, payload: bytes, events: list[Event]) -> None:
        """A large frame whose header passed the checks and whose payload is now complete."""
        if b0 == 0x81 and not self._msg_opcode:
            events.append(TextMessage(payload.decode()))
        elif b0 == 0x82 and not self._msg_opcode:
            events.append(BinaryMessage(payload))
        else:
            event = self._frame(b0, payload)
            if event is not None:
                events.append(event)

    def receive_eof(self) -> list[Event]:
        """The server closed the TCP connection (RFC 6455 §7.1.5).

        Clean if its Close frame arrived first (returns ``[]``); otherwise a
        :class:`ProtocolFailure` with code 1006 (nothing to send) and
        NS_BASE_STREAM_CLOSED.
        """
        self._tail = b""
        self._pending = None
        if self._close_received or self._failed:
            self._failed = self._failed or not self._close_sent
            return []
        self._failed = True
        return [ProtocolFailure(1006, Cr.NS_BASE_STREAM_CLOSED, "connection closed without a close frame")]

    def take_control(self) -> bytes:
        """Control frames produced while receiving (Pongs, the Close of a failure).

        The driver writes them before any queued data frames.  ``b""`` when none.
        """
        control = self._control
        if not control:
            return b""
        out = b"".join(control)
        control.clear()
        return out

    def _fail(self, code: int, status: int, reason: str) -> ProtocolFailure:
        """Fail the WebSocket connection (RFC 6455 §7.1.7): queue a Close unless one was sent."""
        if not self._close_sent:
            self._close_sent = True
            self._control.append(encode_client_frame(0x88, encode_close_payload(code)))
        self._failed = True
        self._reset_message()
        self._tail = b""
        self._pending = None
        return ProtocolFailure(code, status, reason)

    def _check_header(self, b0: int, length: int) -> None:
        """Header checks that do not need the payload (RFC 6455 §5.2, §5.5).

        Run as soon as a header is complete, so bad or oversized frames fail
        before their payload is buffered.
        """
        opcode = b0 & 0x0F
        rsv = b0 & 0x70
        if rsv & ~self._rsv_allowed:
            raise protocol_error("reserved bits set without a negotiated extension")
        if opcode >= 8:
            if opcode > _PONG:
                raise protocol_error(f"reserved control opcode {opcode}")
            if not b0 & FIN:
                raise protocol_error("fragmented control frame")
            if length > MAX_CONTROL_PAYLOAD:
                raise protocol_error("control frame payload longer than 125 bytes")
            if rsv:
                raise protocol_error("RSV1 set on a control frame")
            return
        if opcode == 0:
            if not self._msg_opcode:
                raise protocol_error("continuation frame with no message to continue")
            if rsv:
                raise protocol_error("RSV1 set on a continuation frame")
        elif opcode > _BINARY:
            raise protocol_error(f"reserved data opcode {opcode}")
        elif self._msg_opcode:
            raise protocol_error("new data frame inside a fragmented message")
        size = (self._msg_size if opcode == 0 else 0) + length
        if size > self.max_message_size:
            raise FrameError(1009, Cr.NS_ERROR_FILE_TOO_BIG, "message exceeds the size limit")

    def _frame(self, b0: int, payload: bytes) -> Event | None:
        """One complete frame that passed :meth:`_check_header` (slow path)."""
        opcode = b0 & 0x0F
        if opcode >= 8:
            if opcode == _PING:
                data = bytes(payload)
                if not self._close_sent:
                    self._control.append(encode_client_frame(0x8A, data))
                return PingReceived(data)
            if opcode == _PONG:
                return PongReceived(bytes(payload))
            code, reason = parse_close_payload(payload)
            self._close_received = True
            self._reset_message()
            return CloseReceived(code, reason)
        fin = b0 & FIN
        if opcode:
            self._msg_opcode = opcode
            self._msg_compressed = bool(b0 & RSV1)
            self._msg_size = 0
            self._msg_inflated = 0
        self._msg_size += len(payload)
        chunk: Buffer = payload
        if self._msg_compressed:
            assert self._decompressor is not None
            chunk = self._decompressor.decompress(
                payload, bool(fin), self.max_message_size - self._msg_inflated
            )
            self._msg_inflated += len(chunk)
        event: Event | None = None
        if self._msg_opcode == _TEXT:
            parts_s: list[str] = self._msg_parts  # type: ignore[assignment]
            if fin and not parts_s and self._utf8 is None:
                event = TextMessage(str(chunk, "utf-8"))
            else:
                decoder = self._utf8
                if decoder is None:
                    decoder = self._utf8 = _new_utf8_decoder()
                try:
                    text = decoder.decode(chunk, bool(fin))
                except UnicodeDecodeError:
                    raise FrameError(
                        1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA, "text message is not valid UTF-8"
                    ) from None
                if text:
                    if len(text) < _SMALL_TEXT and parts_s and len(parts_s[-1]) < _SMALL_TEXT:
                        parts_s[-1] += text  # tiny fragments: bounded re-copy, no per-piece object
                    else:
                        parts_s.append(text)
                if fin:
                    event = TextMessage("".join(parts_s))
        else:
            parts_b: list[bytes | bytearray] = self._msg_parts  # type: ignore[assignment]
            if fin and not parts_b:
                event = BinaryMessage(bytes(chunk))
            else:
                if len(chunk) < _SMALL_CHUNK:
                    # Many tiny fragments cost their size, not an object each.
                    last = parts_b[-1] if parts_b else None
                    if isinstance(last, bytearray):
                        last += chunk
                    else:
                        parts_b.append(bytearray(chunk))
                else:
                    parts_b.append(bytes(chunk))
                if fin:
                    event = BinaryMessage(b"".join(parts_b))
        if fin:
            self._reset_message()
        return event

    def _reset_message(self) -> None:
        self._msg_opcode = 0
        self._msg_parts = []
        self._msg_size = 0
        self._msg_inflated = 0
        self._msg_compressed = False
        self._utf8 = None

    # -- sending -----------------------------------------------------------------------------

    def _check_can_send_data(self) -> None:
        if self._close_sent or self._failed:
            raise RuntimeError(f"cannot send data in state {self.state.name}")

    def send_text(self, text: str) -> bytes:
        """One masked text message (RFC 6455 §5.6), compressed when negotiated (RFC 7692 §7.2.1)."""
        return self._send_message(0x81, text.encode("utf-8"))

    def send_binary(self, data: Buffer) -> bytes:
        """One masked binary message (RFC 6455 §5.6), compressed when negotiated."""
        return self._send_message(0x82, data)

    def send_binary_into(self, data: Buffer, buffer: bytearray) -> int:
        """:meth:`send_binary` written into *buffer* (grown when too small, never shrunk).

        Returns the frame's length: the bytes to write are ``buffer[:n]``.  For a
        driver that keeps one buffer for big messages instead of allocating each
        frame; it must not pass a buffer whose previous frame is still unsent.
        """
        b0, payload = self._message_frame(0x82, data)
        return encode_client_frame_into(buffer, b0, payload)

    def _send_message(self, b0: int, payload: Buffer) -> bytes:
        b0, payload = self._message_frame(b0, payload)
        return encode_client_frame(b0, payload)

    def _message_frame(self, b0: int, payload: Buffer) -> tuple[int, Buffer]:
        if self._close_sent or self._failed or self._out_fragmenting:
            if self._out_fragmenting and not (self._close_sent or self._failed):
                raise RuntimeError("a fragmented message is being sent; finish it first")
            self._check_can_send_data()
        compressor = self._compressor
        if compressor is not None and compressor.enabled:
            payload = compressor.compress(payload)
            b0 |= RSV1
        return b0, payload

    def send_fragment(self, data: Buffer, *, first: bool, last: bool, text: bool = False) -> bytes:
        """One frame of a fragmented message (RFC 6455 §5.4): binary unless *text*.

        Under permessage-deflate each fragment goes through the message's
        single deflate stream, RSV1 on the first frame only (RFC 7692 §6.1).
        """
        self._check_can_send_data()
        if first == self._out_fragmenting:
            raise RuntimeError(
                "a fragmented message is already being sent" if first else "no fragmented message to continue"
            )
        if first:
            b0 = 0x01 if text else 0x02  # FIN only on the last fragment
            compressor = self._compressor
            self._out_compressed = compressor is not None and compressor.enabled
            if self._out_compressed:
                b0 |= RSV1
        else:
            b0 = 0x00
        if last:
            b0 |= FIN
        if self._out_compressed:
            assert self._compressor is not None
            data = self._compressor.compress(data, last)
        self._out_fragmenting = not last
        return encode_client_frame(b0, data)

    def send_ping(self, payload: Buffer = b"") -> bytes:
        """A masked Ping (RFC 6455 §5.5.2); payload at most 125 bytes."""
        return self._send_control(0x89, payload)

    def send_pong(self, payload: Buffer = b"") -> bytes:
        """An unsolicited masked Pong (RFC 6455 §5.5.3, a unidirectional heartbeat)."""
        return self._send_control(0x8A, payload)

    def _send_control(self, b0: int, payload: Buffer) -> bytes:
        if self._close_sent or self._failed:
            raise RuntimeError(f"cannot send control frames in state {self.state.name}")
        if len(memoryview(payload)) > MAX_CONTROL_PAYLOAD:
            raise ValueError("control frame payload longer than 125 bytes")
        return encode_client_frame(b0, payload)

    def send_close(self, code: int | None = 1000, reason: str = "") -> bytes:
        """Our Close frame (RFC 6455 §5.5.1, §7.1.2); ``b""`` if one was already sent.

        ``code`` None or 0 sends an empty Close (the reason is then dropped).
        Otherwise *code* must be valid on the wire and *reason* at most 123
        UTF-8 bytes (ValueError).
        """
        if self._close_sent:
            return b""
        if code:
            if not is_valid_close_code(code):
                raise ValueError(f"close code {code} may not be sent")
            if len(reason.encode("utf-8")) > MAX_CONTROL_PAYLOAD - 2:
                raise ValueError("close reason longer than 123 UTF-8 bytes")
        self._close_sent = True
        return encode_client_frame(0x88, encode_close_payload(code, reason))
