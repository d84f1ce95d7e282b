"""The WebSocket connection after the handshake: RFC 6455 §5–§7 and RFC 7692 §6–§7.

Theory of operation
===================

:class:`Connection` is a sans-I/O state machine for either end of a
connection (:class:`Role`).  The driver feeds it bytes read from the socket
(:meth:`Connection.receive_data`, :meth:`Connection.receive_eof`) and gets
back a list of events; it asks it for the bytes of outgoing frames
(``send_*``, :meth:`Connection.fail`) and writes them itself.  There is no
socket, task, clock or lock in here; nothing blocks; nothing is written
behind the driver's back.

States
------

One :class:`ConnectionState`, changed only by ``_advance(trigger)``, which
looks the pair up in :data:`TRANSITIONS`; a pair that is not there raises
:class:`InvalidTransition` (a bug in the caller, never a peer's doing)::

    CONNECTING --establish--> OPEN               the opening handshake succeeded
    CONNECTING --abandon | fail--> CLOSED        the open was given up
    OPEN --send_close--> CLOSE_SENT --receive_close--> CLOSED
    OPEN --receive_close--> CLOSE_RECEIVED --send_close--> CLOSED
    OPEN --violation--> FAILING --fail--> CLOSED
    CLOSE_SENT --violation--> CLOSED             our Close already went: nothing to add
    OPEN | CLOSE_SENT | CLOSE_RECEIVED --fail | eof--> CLOSED
    FAILING --eof--> FAILING                     the driver's fail() still closes it
    CLOSED --fail | eof--> CLOSED                both are idempotent

A *violation* is the peer breaking a rule in its input; *fail* is the
driver failing the connection (RFC 6455 §7.1.7), after a violation or for a
reason of its own (a timeout, a listener that raised); *eof* is the TCP
connection ending.  Data frames may be sent in OPEN, CLOSE_RECEIVED and
FAILING (:attr:`Connection.can_send`); frames are decoded in OPEN and
CLOSE_SENT only.

Invariants
----------

* **One pass per chunk.**  ``receive_data`` decodes every complete frame in
  the chunk in a single loop over offsets into that one ``bytes`` object: no
  per-frame buffer juggling, no ``bytes +=`` accumulation, no per-byte
  Python.  Unfragmented text and binary frames without RSV bits take an
  inline fast path: one slice (the ``bytes`` of the message, or decoded
  straight to ``str``) and one event object per message.  What is left at the
  end is either a short tail (at most 4 KiB), prepended to the next chunk, or
  the start of a large frame, whose payload a :class:`~.largeframe.LargeFrame`
  then collects as the reads arrive: with the C accelerator copied straight
  into its final ``bytes`` (``payload_buffer``/``fill``), otherwise as a list
  of chunks joined once (small dribbled reads merged).  Either way a 1 MiB message arriving in
  64 KiB reads is copied once, never re-buffered.  With the C accelerator
  the client-role driver can do better still: :meth:`Connection.receive_buffer`
  offers a writable view of the missing bytes of that final ``bytes``, the
  driver reads into it (``recv_into``) and reports the count with
  ``receive_filled`` -- the rest of the payload is then read in place, with
  no read buffer and no copy.  Nothing passed to ``receive_data`` is
  retained after it returns, so the driver may reuse a ``recv_into`` buffer.
  With the C accelerator, runs of simple unmasked frames (what a client
  receives) are decoded by ``_speedups.scan_frames``, which builds the same
  event objects and declines (returns to the Python loop) at the first frame
  that needs any check beyond the fast path's.
* **Both roles (RFC 6455 §5.1, §5.3).**  A client masks every frame it sends
  with a fresh key and fails on a masked frame; a server sends unmasked
  frames and fails on an unmasked one (1002).  The server's loop
  (``_decode_masked``) unmasks each payload with the C ``mask`` (or its
  pure-Python twin) as it cuts it out; it shares every check and every
  event with the client's loop, whose fast paths are untouched by it.  A
  large masked frame is unmasked chunk by chunk as it arrives, the key
  rotated to each chunk's offset: with the C accelerator on its way into the
  final ``bytes`` (``fill_unmask``, one pass), so it is never read in place.
* **Bounded memory.**  A frame header is checked as soon as it is complete,
  before its payload is waited for: a control frame over 125 bytes, or a data
  frame that would take the message past ``max_message_size``, fails at once,
  so the buffer never holds more than one allowed message plus one chunk.
  Compressed messages are bounded twice: the compressed bytes by the same
  rule, and the inflated output by :class:`~.deflate.Decompressor`, which
  never produces more than the remaining budget plus one byte.
* **Failure keeps the order of events.**  A violation (RFC 6455 §7.1.7
  "_Fail the WebSocket Connection_") ends the list ``receive_data`` returns:
  the events decoded before it come first, in order, then one
  :class:`ProtocolFailure` carrying the close code and the nsresult for
  onStop.  The core queues no Close: it goes FAILING (CLOSED if our Close
  was already sent), ignores all later input, and still lets data be sent,
  so the driver can deliver the earlier events -- and a listener can answer
  them -- before it calls :meth:`Connection.fail` with the failure's code,
  which returns the Close frame and closes.  EOF without the peer's Close is
  a failure too (1006, nothing to send), reported by ``receive_eof``.
* **Fail-fast UTF-8 (RFC 6455 §8.1).**  A text frame is rejected as soon as
  the bytes that have arrived cannot be the start of valid UTF-8, not when
  it is complete: the part of a frame held in the tail or collected as a
  large payload is checked as each read arrives (``Utf8Prefix``: the C
  ``utf8_check``, which builds no text, or codecs' incremental decoder), and
  the continuation frames of a fragmented message are decoded one by one.
  An unfinished character at the end of what has arrived is not an error
  until the frame (or message) ends.  Only partial frames pay for this;
  complete frames are decoded once, as before.  Compressed text is checked
  once inflated, frame by frame.
* **Control before data.**  Pings are answered by the core: the Pong (same
  payload, RFC 6455 §5.5.3) goes to a control queue that the driver drains
  with :meth:`Connection.take_control` after every ``receive_data`` and
  writes *before* any queued data frames.  Control frames received between
  the fragments of a message are handled without disturbing the reassembly.
* **Closing (RFC 6455 §5.5.1, §7).**  ``send_close`` is the normal close: a
  second call returns ``b""``.  Code ``None`` or 0 sends an empty Close.
  Receiving a Close yields :class:`CloseReceived` (1005 for an empty one) and
  stops decoding: nothing after a Close is processed.  The core does not echo
  the Close itself; Firefox leaves that to the layer above and so do we (the
  channel calls ``send_close(echo_code(code))``).
* **Sending.**  With permessage-deflate, whole messages and each fragment of
  a fragmented message are compressed through the message's one deflate
  stream, RSV1 on the first frame only; the direction of the negotiated
  parameters follows the role (RFC 7692 §7.1).

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
from typing import Final

from components.results import Cr
from components.websocket.protocol import mask as mask_module
from components.websocket.protocol.deflate import Compressor, Decompressor, DeflateParams
from components.websocket.protocol.events import (
    NO_WIRE_CODES,
    BinaryMessage,
    CloseReceived,
    Event,
    PingReceived,
    PongReceived,
    ProtocolFailure,
    TextMessage,
    echo_code,
)
from components.websocket.protocol.frames import (
    FIN,
    MAX_CONTROL_PAYLOAD,
    RSV1,
    FrameError,
    encode_close_payload,
    encode_server_frame,
    encode_server_frame_into,
    is_valid_close_code,
    parse_close_payload,
    parse_extended_length,
    protocol_error,
)
from components.websocket.protocol.largeframe import LargeFrame, unmask_at
from components.websocket.protocol.mask import Buffer, encode_client_frame, encode_client_frame_into
from components.websocket.protocol.states import (
    CLOSE_RECEIVED,
    CLOSE_SENT,
    CLOSED,
    CONNECTING,
    FAILING,
    OPEN,
    TRANSITIONS,
    ConnectionState,
    InvalidTransition,
    Role,
    Trigger,
)
from components.websocket.protocol.utf8 import Utf8Prefix, new_utf8_decoder

__all__ = [
    "Role",
    "ConnectionState",
    "Trigger",
    "TRANSITIONS",
    "InvalidTransition",
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
    "CONNECTING",
    "OPEN",
    "CLOSE_SENT",
    "CLOSE_RECEIVED",
    "FAILING",
    "CLOSED",
]

DEFAULT_MAX_MESSAGE_SIZE: Final = 64 << 20


_TEXT: Final = 0x1
_BINARY: Final = 0x2
_CLOSE: Final = 0x8
_PING: Final = 0x9
_PONG: Final = 0xA
# An incomplete frame up to this size is kept as bytes and prepended to the next
# chunk (one copy of that chunk); a larger one collects its payload chunk by
# chunk and is joined once, so big messages are copied once, never re-buffered.
_TAIL_LIMIT: Final = 4096
_SMALL_CHUNK: Final = 4096  # binary fragments shorter than this are merged while reassembling
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
_mask: Final = mask_module.mask


class Connection:
    """One end of an open WebSocket connection (see the module docs).

    Starts in CONNECTING: call :meth:`establish` once the opening handshake
    succeeded (or :meth:`abandon`).  *max_message_size* bounds every received
    message, reassembled and inflated; the compression settings apply when
    permessage-deflate is negotiated.
    """

    __slots__ = (
        "max_message_size",
        "deflate",
        "_role",
        "_state",
        "_receiving",
        "_sending",
        "_failure",
        "_server",
        "_level",
        "_mem_level",
        "_tail",
        "_tail_checked",
        "_partial",
        "_pending",
        "_control",
        "_close_sent",
        "_close_received",
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
        "_observer",  # (read only by protocol.observed.ObservedConnection: the frame log)
    )

    def __init__(
        self,
        role: Role = Role.CLIENT,
        *,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        compression_level: int = 6,
        compression_mem_level: int = 8,
    ) -> None:
        if max_message_size < 0:
            raise ValueError("max_message_size must be >= 0")
        self._role = Role(role)
        self.max_message_size = min(max_message_size, sys.maxsize)  # no message can be larger
        self.deflate: DeflateParams | None = None
        self._state = CONNECTING
        # Derived from _state by _advance, read on every receive/send call.
        self._receiving = False
        self._sending = False
        self._failure: ProtocolFailure | None = None
        # A client masks what it sends and refuses masked frames; a server the reverse (§5.1).
        # A plain flag, tested where frames are encoded and decoded: an encoder function kept
        # in a slot would cost more per call than the branch.
        self._server = self._role is Role.SERVER
        self._level = compression_level
        self._mem_level = compression_mem_level
        # Unparsed input: a short tail (prepended to the next chunk), or, for a
        # frame larger than _TAIL_LIMIT, the chunks of its payload so far.
        self._tail = b""
        self._tail_checked = 0  # payload bytes of a text frame in the tail already UTF-8 checked
        self._partial: Utf8Prefix | None = None  # the UTF-8 check of a text frame still arriving
        self._pending: LargeFrame | None = None  # a frame over _TAIL_LIMIT, still arriving
        self._control: list[bytes] = []
        self._close_sent = False
        self._close_received = False
        # The message being reassembled (0: none).
        self._msg_opcode = 0
        self._msg_parts: list[bytes | bytearray] | list[str] = []
        self._msg_size = 0
        self._msg_inflated = 0
        self._msg_compressed = False
        self._utf8: codecs.IncrementalDecoder | None = None
        self._rsv_allowed = 0
        self._compressor: Compressor | None = None
        self._decompressor: Decompressor | None = None
        # The fragmented message being sent, if any.
        self._out_fragmenting = False
        self._out_compressed = False

    # -- state -------------------------------------------------------------------------------

    def _advance(self, trigger: Trigger) -> ConnectionState:
        """The one place the state changes: look ``(state, trigger)`` up in TRANSITIONS."""
        state = self._state
        new = TRANSITIONS.get((state, trigger))
        if new is None:
            raise InvalidTransition(state, trigger)
        self._state = new
        self._receiving = new is OPEN or new is CLOSE_SENT
        self._sending = new is OPEN or new is CLOSE_RECEIVED or new is FAILING
        return new

    def establish(self, deflate: DeflateParams | None = None) -> None:
        """The opening handshake succeeded (RFC 6455 §4.1, §4.2.2): CONNECTING -> OPEN.

        *deflate* is the negotiated permessage-deflate configuration
        (``Accepted.deflate`` on the client) or None.
        """
        self._advance(Trigger.ESTABLISH)
        self.deflate = deflate
        if deflate is not None:
            self._rsv_allowed = RSV1
            self._compressor = Compressor(deflate, self._level, self._mem_level, server=self._server)
            self._decompressor = Decompressor(deflate, server=self._server)

    def abandon(self) -> None:
        """The open was given up before the handshake completed: CONNECTING -> CLOSED."""
        self._advance(Trigger.ABANDON)

    @property
    def state(self) -> ConnectionState:
        """CONNECTING, OPEN, CLOSE_SENT, CLOSE_RECEIVED, FAILING or CLOSED (see TRANSITIONS)."""
        return self._state

    @property
    def role(self) -> Role:
        """CLIENT or SERVER."""
        return self._role

    @property
    def close_sent(self) -> bool:
        """Has a Close frame been produced (by send_close or fail)?"""
        return self._close_sent

    @property
    def close_received(self) -> bool:
        """Has the peer's Close frame arrived?"""
        return self._close_received

    @property
    def closed_cleanly(self) -> bool:
        """Have both Close frames crossed (RFC 6455 §7.1.4: the closing handshake completed)?"""
        return self._close_sent and self._close_received

    @property
    def can_send(self) -> bool:
        """May data frames be sent? True in OPEN, CLOSE_RECEIVED and FAILING."""
        return self._sending

    @property
    def failure(self) -> ProtocolFailure | None:
        """The ProtocolFailure the core reported (a violation or EOF), or None."""
        return self._failure

    # -- receiving ---------------------------------------------------------------------------

    def receive_data(self, data: Buffer) -> list[Event]:
        """Decode every complete frame in *data* (plus buffered bytes): RFC 6455 §5.2, §6.2.

        Returns the events in order; a ProtocolFailure is always the last one.
        After a Close or a failure the rest of the input is ignored.
        """
        if not self._receiving:
            if self._state is CONNECTING:
                raise InvalidTransition(CONNECTING, None, "receive_data() before establish()")
            return []
        events: list[Event] = []
        try:
            pending = self._pending
            if pending is not None:
                # The payload of a large frame is still arriving.
                need = pending.need
                payload = pending.feed(data)
                if payload is None:
                    return events
                self._pending = None
                self._deliver(pending.b0, payload, events)
                if not self._receiving or need == len(data):
                    return events
                data = memoryview(data)[need:]
            if type(data) is not bytes:
                data = bytes(data)
            if self._tail:
                resume = self._tail_checked
                self._tail_checked = 0
                data = self._tail + data
                self._tail = b""
            else:
                resume = 0
            if self._server:
                self._decode_masked(data, events, resume)
            else:
                self._decode(data, events, resume)
        except FrameError as exc:
            events.append(self._violation(exc.code, exc.status, exc.reason))
        except UnicodeDecodeError:
            events.append(self._violation(1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA, "text is not valid UTF-8"))
        return events

    def receive_buffer(self) -> memoryview | None:
        """Writable room for the rest of the large frame being received, or None.

        While the payload of a large frame is still arriving (C accelerator,
        client role only: a server must unmask what it reads), this is a view
        of exactly the missing bytes of its final ``bytes`` object: the driver
        may ``recv_into`` it and report the count with :meth:`receive_filled`,
        so the rest of a 1 MiB message costs no read buffer and no copy at
        all.  None otherwise: then use :meth:`receive_data`.  The view is only
        valid until the next call into the connection; the driver must release
        it before that.
        """
        pending = self._pending
        return pending.view() if pending is not None else None

    def receive_filled(self, n: int) -> list[Event]:
        """*n* bytes were written at the start of the last :meth:`receive_buffer` view.

        Returns the events, as :meth:`receive_data` would for the same bytes.
        """
        pending = self._pending
        if pending is None:
            raise ValueError("receive_filled() without a matching receive_buffer()")
        events: list[Event] = []
        try:
            payload = pending.filled(n)
            if payload is not None:
                self._pending = None
                self._deliver(pending.b0, payload, events)
        except FrameError as exc:
            events.append(self._violation(exc.code, exc.status, exc.reason))
        except UnicodeDecodeError:
            events.append(self._violation(1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA, "text is not valid UTF-8"))
        return events

    def _decode(self, src: bytes, events: list[Event], resume: int = 0, fast: bool = True) -> None:
        """The one-pass frame loop over *src*, client role (see the theory of operation).

        *resume*: how many payload bytes of the frame at offset 0 (the tail of
        the previous chunk) were already UTF-8 checked.  *fast* False sends every
        frame through ``_other_frame`` (an observed connection reports each one).
        """
        n = len(src)
        pos = 0
        append = events.append
        limit = self.max_message_size if fast else -1  # (-1: no frame takes the inline paths)
        scan = _scan_frames if fast else None
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
                    # The length itself is still arriving.  A control frame cannot have one
                    # (1002 at once); for a data frame, check what does not depend on it, so the
                    # outcome does not depend on where the reads were cut (a non-minimal length
                    # is 1002, not an over-size 1009).
                    self._check_header(b0, 126 if b0 & 0x08 else 0)
                    break
                start = pos + parsed[1]
                end = start + parsed[0]
            else:
                raise protocol_error("masked frame from the server")  # RFC 6455 §5.1
            if end > n:
                self._check_header(b0, end - start)
                if end - pos > _TAIL_LIMIT:
                    # Large frame: collect its payload until complete (one copy in all).
                    self._begin_pending(b0, end - start, memoryview(src)[start:], None)
                    return
                done = resume if pos == 0 else 0
                if n - start > done and self._plain_text(b0):
                    self._check_partial(memoryview(src)[start + done : n], done)
                    self._tail_checked = n - start
                break
            # Fast path: a whole text/binary message in one frame, no RSV bits.
            if b0 == 0x81 and not self._msg_opcode and end - start <= limit:
                append(TextMessage(src[start:end].decode()))
            elif b0 == 0x82 and not self._msg_opcode and end - start <= limit:
                append(BinaryMessage(src[start:end]))
            elif not self._other_frame(b0, src[start:end], events):
                return
            pos = end
        if pos < n:
            self._tail = src[pos:]

    def _decode_masked(self, src: bytes, events: list[Event], resume: int = 0) -> None:
        """The frame loop for the server role: every frame masked (RFC 6455 §5.1, §5.3).

        The same steps as :meth:`_decode`, with the 4-byte key after the length
        and each payload unmasked as it is cut out.
        """
        n = len(src)
        pos = 0
        append = events.append
        limit = self.max_message_size
        view = memoryview(src)
        while n - pos >= 2:
            b0 = src[pos]
            b1 = src[pos + 1]
            if b1 < 128:
                raise protocol_error("unmasked frame from the client")  # RFC 6455 §5.1
            b1 &= 0x7F
            if b1 < 126:
                start = pos + 6
                end = start + b1
            else:
                parsed = parse_extended_length(src, pos, n - pos, b1)
                if parsed is None:
                    self._check_header(b0, 126 if b0 & 0x08 else 0)  # (as in _decode)
                    break
                start = pos + parsed[1] + 4
                end = start + parsed[0]
            if end > n:
                self._check_header(b0, end - start)
                if start > n:
                    break  # the masking key is not all here yet
                key = src[start - 4 : start]
                if end - pos > _TAIL_LIMIT:
                    self._begin_pending(b0, end - start, view[start:], key)
                    return
                done = resume if pos == 0 else 0
                if n - start > done and self._plain_text(b0):
                    self._check_partial(unmask_at(view[start + done : n], key, done), done)
                    self._tail_checked = n - start
                break
            payload = _mask(view[start:end], src[start - 4 : start])
            if b0 == 0x81 and not self._msg_opcode and end - start <= limit:
                append(TextMessage(payload.decode()))
            elif b0 == 0x82 and not self._msg_opcode and end - start <= limit:
                append(BinaryMessage(payload))
            elif not self._other_frame(b0, payload, events):
                return
            pos = end
        if pos < n:
            self._tail = src[pos:]

    def _other_frame(self, b0: int, payload: bytes, events: list[Event]) -> bool:
        """A complete frame the loops' inline fast paths did not take; False after a Close
        (nothing after it is decoded)."""
        if (b0 == 0xC1 or b0 == 0xC2) and self._decompressor is not None and not self._msg_opcode:
            # A whole compressed message in one frame (RFC 7692 §7.2.2).
            limit = self.max_message_size
            if len(payload) > limit:
                self._check_header(b0, len(payload))  # raises 1009
            data = self._decompressor.decompress(payload, True, limit)
            events.append(TextMessage(data.decode()) if b0 == 0xC1 else BinaryMessage(data))
            return True
        return self._general_frame(b0, payload, events)

    def _general_frame(self, b0: int, payload: bytes, events: list[Event]) -> bool:
        """A complete frame through the general path (``_frame``); False after a Close."""
        self._check_header(b0, len(payload))
        event = self._frame(b0, payload)
        if event is not None:
            events.append(event)
            if type(event) is CloseReceived:
                return False
        return True

    def _plain_text(self, b0: int) -> bool:
        """Is the frame with first byte *b0* uncompressed text (UTF-8 checkable as it arrives)?"""
        if b0 & 0x0F:
            return (b0 & 0x4F) == _TEXT  # a text frame starting a message, RSV1 clear
        return self._msg_opcode == _TEXT and not self._msg_compressed

    def _carry(self) -> bytes:
        """The unfinished character the message's previous fragment ended with (b"" if none)."""
        decoder = self._utf8
        return decoder.getstate()[0] if decoder is not None and self._msg_opcode else b""

    def _check_partial(self, new: Buffer, done: int) -> None:
        """Fail-fast UTF-8: check *new* bytes of a frame whose first *done* bytes passed."""
        partial = self._partial
        if not done or partial is None:
            partial = self._partial = Utf8Prefix(self._carry())
        partial.feed(new)

    def _begin_pending(self, b0: int, length: int, arrived: memoryview, key: bytes | None) -> None:
        """Start collecting the payload of a large frame; *arrived* is what is already here."""
        self._partial = None  # (the tail's check; a large frame carries its own)
        utf8 = Utf8Prefix(self._carry()) if self._plain_text(b0) else None
        self._pending = LargeFrame(b0, length, arrived, key, utf8)

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
        """The peer closed the TCP connection (RFC 6455 §7.1.5).

        Clean if its Close frame arrived first (returns ``[]``); otherwise a
        :class:`ProtocolFailure` with code 1006 (nothing to send) and
        NS_BASE_STREAM_CLOSED.  The state becomes CLOSED, except in FAILING,
        which the driver's :meth:`fail` ends (``[]``: the failure was reported).
        """
        state = self._state
        reported = self._close_received or state is CLOSED or state is FAILING
        self._advance(Trigger.EOF)
        self._drop_input()
        if reported:
            return []
        failure = self._failure = ProtocolFailure(
            1006, Cr.NS_BASE_STREAM_CLOSED, "connection closed without a close frame"
        )
        return [failure]

    def take_control(self) -> bytes:
        """Control frames produced while receiving (the Pongs answering Pings).

        The driver writes them before any queued data frames.  ``b""`` when none.
        """
        control = self._control
        if not control:
            return b""
        out = b"".join(control)
        control.clear()
        return out

    def _violation(self, code: int, status: int, reason: str) -> ProtocolFailure:
        """The peer broke a rule: FAILING (CLOSED after our Close), later input ignored.

        No Close is queued: the driver delivers the events before the failure,
        then calls fail(code).
        """
        failure = self._failure = ProtocolFailure(code, status, reason)
        self._advance(Trigger.VIOLATION)
        self._drop_input()
        return failure

    def _drop_input(self) -> None:
        self._tail = b""
        self._tail_checked = 0
        self._partial = None
        self._pending = None
        self._reset_message()

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
                    self._control.append(self._frame_bytes(0x8A, data))
                return PingReceived(data)
            if opcode == _PONG:
                return PongReceived(bytes(payload))
            code, reason = parse_close_payload(payload)
            self._advance(Trigger.RECEIVE_CLOSE)
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
                    decoder = self._utf8 = new_utf8_decoder()
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

    def _frame_bytes(self, b0: int, payload: Buffer) -> bytes:
        """One frame as our role sends it: masked with a fresh key (client) or not (server)."""
        if self._server:
            return encode_server_frame(b0, payload)
        return encode_client_frame(b0, payload)

    def _check_can_send_data(self) -> None:
        if not self._sending:
            raise RuntimeError(f"cannot send data in state {self._state.name}")

    def send_text(self, text: str) -> bytes:
        """One text message (RFC 6455 §5.6), compressed when negotiated (RFC 7692 §7.2.1).

        Masked in the client role (RFC 6455 §5.3), unmasked in the server role;
        the same holds for every ``send_*`` method.
        """
        return self._send_message(0x81, text.encode("utf-8"))

    def send_binary(self, data: Buffer) -> bytes:
        """One binary message (RFC 6455 §5.6), compressed when negotiated."""
        return self._send_message(0x82, data)

    def send_binary_into(self, data: Buffer, buffer: bytearray) -> int:
        """:meth:`send_binary` written into *buffer* (grown when too small, never shrunk).

        Returns the frame's length: the bytes to write are ``buffer[:n]``.  For a
        driver that keeps one buffer for big messages instead of allocating each
        frame; it must not pass a buffer whose previous frame is still unsent.
        """
        b0, payload = self._message_frame(0x82, data)
        if self._server:
            return encode_server_frame_into(buffer, b0, payload)
        return encode_client_frame_into(buffer, b0, payload)

    def _send_message(self, b0: int, payload: Buffer) -> bytes:
        b0, payload = self._message_frame(b0, payload)
        if self._server:
            return encode_server_frame(b0, payload)
        return encode_client_frame(b0, payload)

    def _message_frame(self, b0: int, payload: Buffer) -> tuple[int, Buffer]:
        if not self._sending or self._out_fragmenting:
            self._check_can_send_data()
            raise RuntimeError("a fragmented message is being sent; finish it first")
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
        return self._frame_bytes(b0, data)

    def send_ping(self, payload: Buffer = b"") -> bytes:
        """A Ping (RFC 6455 §5.5.2); payload at most 125 bytes."""
        return self._send_control(0x89, payload)

    def send_pong(self, payload: Buffer = b"") -> bytes:
        """An unsolicited Pong (RFC 6455 §5.5.3, a unidirectional heartbeat)."""
        return self._send_control(0x8A, payload)

    def _send_control(self, b0: int, payload: Buffer) -> bytes:
        if not self._sending:
            raise RuntimeError(f"cannot send control frames in state {self._state.name}")
        if len(memoryview(payload)) > MAX_CONTROL_PAYLOAD:
            raise ValueError("control frame payload longer than 125 bytes")
        return self._frame_bytes(b0, payload)

    @staticmethod
    def _check_close(code: int, reason: str) -> None:
        if not is_valid_close_code(code):
            raise ValueError(f"close code {code} may not be sent")
        if len(reason.encode("utf-8")) > MAX_CONTROL_PAYLOAD - 2:
            raise ValueError("close reason longer than 123 UTF-8 bytes")

    def send_close(self, code: int | None = 1000, reason: str = "") -> bytes:
        """Our Close frame, the normal close (RFC 6455 §5.5.1, §7.1.2).

        OPEN -> CLOSE_SENT, CLOSE_RECEIVED -> CLOSED; ``b""`` if a Close was
        already produced.  Code None or 0 sends an empty Close (the reason is
        then dropped); otherwise *code* must be valid on the wire and *reason*
        at most 123 UTF-8 bytes (ValueError).  In FAILING use :meth:`fail`.
        """
        if self._close_sent:
            return b""
        if code:
            self._check_close(code, reason)
        self._advance(Trigger.SEND_CLOSE)
        self._close_sent = True
        return self._frame_bytes(0x88, encode_close_payload(code, reason))

    def fail(self, code: int | None, reason: str = "") -> bytes:
        """Fail the WebSocket connection (RFC 6455 §7.1.7) from any state: -> CLOSED.

        Returns the Close frame with *code* to write before closing TCP, or
        ``b""`` when there is none to send: a Close was already produced, the
        connection was never established, it is already CLOSED (so a second
        call is harmless), or *code* is None, 1005, 1006 or 1015 (never on the
        wire).  Other codes must be valid on the wire (ValueError).  Nothing
        may be sent afterwards and all input is ignored.
        """
        on_wire = code is not None and code not in NO_WIRE_CODES
        if on_wire:
            assert code is not None
            self._check_close(code, reason)
        state = self._state
        self._advance(Trigger.FAIL)
        self._drop_input()
        self._out_fragmenting = False
        if not on_wire or self._close_sent or state is CONNECTING or state is CLOSED:
            return b""
        self._close_sent = True
        return self._frame_bytes(0x88, encode_close_payload(code, reason))
