"""RFC 6455 §5: opcodes, frame headers, close payloads.

The receive hot path lives in :mod:`connection` (it parses short headers
inline); this module holds the shared vocabulary, the slow-path header parser
for extended lengths, the frame encoders (the masked client encoders live in
:mod:`mask`, the unmasked server ones here), and :func:`decode_frames`, a
plain general-purpose decoder for tests and test servers (it accepts masked
and unmasked frames alike, which no endpoint may do).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from components.results import Cr
from components.websocket.protocol.mask import Buffer, encode_client_frame, mask

__all__ = [
    "Opcode",
    "FrameError",
    "Frame",
    "FIN",
    "RSV1",
    "RSV2",
    "RSV3",
    "MAX_CONTROL_PAYLOAD",
    "is_valid_close_code",
    "parse_extended_length",
    "encode_client_frame",
    "encode_server_frame",
    "encode_server_frame_into",
    "encode_frame",
    "decode_frames",
    "encode_close_payload",
    "parse_close_payload",
]


class Opcode(IntEnum):
    """Frame opcodes (RFC 6455 §5.2, §11.8); 3–7 and 11–15 are reserved."""

    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    CLOSE = 0x8
    PING = 0x9
    PONG = 0xA


FIN: Final = 0x80
RSV1: Final = 0x40
RSV2: Final = 0x20
RSV3: Final = 0x10
MAX_CONTROL_PAYLOAD: Final = 125  # RFC 6455 §5.5


class FrameError(Exception):
    """The peer broke the framing rules: fail the connection with ``code``.

    ``status`` is the nsresult the channel reports in onStop.
    """

    def __init__(self, code: int, status: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.status = status
        self.reason = reason


def protocol_error(reason: str) -> FrameError:
    """A framing violation: close 1002, NS_ERROR_ILLEGAL_VALUE (RFC 6455 §7.4.1)."""
    return FrameError(1002, Cr.NS_ERROR_ILLEGAL_VALUE, reason)


def is_valid_close_code(code: int) -> bool:
    """May *code* appear in a Close frame on the wire? (RFC 6455 §7.4, IANA registry)

    Valid: 1000–1003, 1007–1011, the registered 1012–1014, and 3000–4999.
    1004 is reserved; 1005, 1006 and 1015 are never sent.
    """
    return 1000 <= code <= 1003 or 1007 <= code <= 1014 or 3000 <= code <= 4999


_U16: Final = struct.Struct("!H")
_U64: Final = struct.Struct("!Q")
_HEAD2: Final = struct.Struct("!BB")
_HEAD4: Final = struct.Struct("!BBH")
_HEAD10: Final = struct.Struct("!BBQ")


def parse_extended_length(buf: Buffer, pos: int, avail: int, b1: int) -> tuple[int, int] | None:
    """Decode a 16- or 64-bit payload length (RFC 6455 §5.2).

    *buf[pos]* is the first header byte, *b1* the second (MASK bit already
    clear), *avail* the bytes available from *pos*.  Returns ``(length,
    header_size_without_key)`` or ``None`` when the length bytes have not all
    arrived.  Raises :class:`FrameError` for a non-minimal length or a 64-bit
    length with its top bit set.
    """
    if b1 == 126:
        if avail < 4:
            return None
        (length,) = _U16.unpack_from(buf, pos + 2)
        if length < 126:
            raise protocol_error("non-minimal 16-bit payload length")
        return length, 4
    if avail < 10:
        return None
    (length,) = _U64.unpack_from(buf, pos + 2)
    if length >> 63:
        raise protocol_error("64-bit payload length with the most significant bit set")
    if length < 0x10000:
        raise protocol_error("non-minimal 64-bit payload length")
    return length, 10


def encode_server_frame(first_byte: int, payload: Buffer) -> bytes:
    """An unmasked frame, as a server sends it (RFC 6455 §5.1, §5.2): minimal length, then payload.

    *first_byte* is FIN, RSV and opcode.  One concatenation: the payload is
    copied once, whatever buffer type it is.
    """
    n = len(memoryview(payload))
    if n < 126:
        return _HEAD2.pack(first_byte, n) + payload
    if n < 0x10000:
        return _HEAD4.pack(first_byte, 126, n) + payload
    return _HEAD10.pack(first_byte, 127, n) + payload


def encode_server_frame_into(buf: bytearray, first_byte: int, payload: Buffer) -> int:
    """:func:`encode_server_frame` written into *buf* (grown when too small); returns the length."""
    n = len(memoryview(payload))
    if n < 126:
        header = _HEAD2.pack(first_byte, n)
    elif n < 0x10000:
        header = _HEAD4.pack(first_byte, 126, n)
    else:
        header = _HEAD10.pack(first_byte, 127, n)
    total = len(header) + n
    if len(buf) < total:
        buf.extend(bytes(total - len(buf)))
    h = len(header)
    buf[:h] = header
    buf[h:total] = payload
    return total


def encode_frame(
    opcode: int,
    payload: Buffer = b"",
    *,
    fin: bool = True,
    rsv: int = 0,
    mask_key: bytes | None = None,
    length: int | None = None,
    length_form: int | None = None,
) -> bytes:
    """Encode any frame, valid or not (RFC 6455 §5.2): for tests and test servers.

    ``rsv`` is the raw RSV bits (e.g. :data:`RSV1`).  ``mask_key`` masks the
    payload (what clients send); ``None`` sends it unmasked (what servers send).
    ``length`` overrides the declared length and ``length_form`` (7, 16 or 64)
    forces an encoding, so non-minimal and lying headers can be produced.
    """
    data = bytes(payload)
    n = len(data) if length is None else length
    if length_form is None:
        length_form = 7 if n < 126 else 16 if n < 0x10000 else 64
    b0 = (FIN if fin else 0) | rsv | opcode
    mbit = 0x80 if mask_key is not None else 0
    if length_form == 7:
        header = _HEAD2.pack(b0, mbit | n)
    elif length_form == 16:
        header = _HEAD4.pack(b0, mbit | 126, n)
    else:
        header = _HEAD10.pack(b0, mbit | 127, n)
    if mask_key is not None:
        return header + mask_key + mask(data, mask_key)
    return header + data


@dataclass(slots=True)
class Frame:
    """One decoded frame (RFC 6455 §5.2), payload already unmasked."""

    fin: bool
    rsv: int
    opcode: int
    payload: bytes
    masked: bool = False


def decode_frames(data: Buffer) -> tuple[list[Frame], int]:
    """Decode every complete frame in *data*: ``(frames, bytes consumed)``.

    A general-purpose, permissive decoder (masked or not, any opcode, no
    fragmentation rules) for tests and test servers; it only rejects what
    cannot be parsed (non-minimal and top-bit lengths raise FrameError).
    """
    view = memoryview(data)
    n = len(view)
    pos = 0
    frames: list[Frame] = []
    while n - pos >= 2:
        b0 = view[pos]
        b1 = view[pos + 1]
        masked = bool(b1 & 0x80)
        short = b1 & 0x7F
        if short < 126:
            length, hlen = short, 2
        else:
            parsed = parse_extended_length(view, pos, n - pos, short)
            if parsed is None:
                break
            length, hlen = parsed
        start = pos + hlen + (4 if masked else 0)
        end = start + length
        if end > n:
            break
        payload = bytes(view[start:end])
        if masked:
            payload = mask(payload, bytes(view[start - 4 : start]))
        frames.append(Frame(bool(b0 & FIN), b0 & 0x70, b0 & 0x0F, payload, masked))
        pos = end
    return frames, pos


def encode_close_payload(code: int | None, reason: str = "") -> bytes:
    """The payload of a Close frame (RFC 6455 §5.5.1): 2-byte code then UTF-8 reason.

    ``None`` or 0 gives an empty payload (no code; the reason is dropped).
    """
    if not code:
        return b""
    return _U16.pack(code) + reason.encode("utf-8")


def parse_close_payload(payload: Buffer) -> tuple[int, str]:
    """``(code, reason)`` of a received Close frame (RFC 6455 §5.5.1, §7.1.5).

    An empty payload is code 1005.  Raises :class:`FrameError`: a 1-byte
    payload or a code not allowed on the wire -> 1002; a reason that is not
    UTF-8 -> 1007 (NS_ERROR_CANNOT_CONVERT_DATA).
    """
    n = len(payload)
    if n == 0:
        return 1005, ""
    if n == 1:
        raise protocol_error("close frame with a 1-byte payload")
    (code,) = _U16.unpack_from(payload, 0)
    if not is_valid_close_code(code):
        raise protocol_error(f"invalid close code {code}")
    try:
        reason = str(memoryview(payload)[2:], "utf-8")
    except UnicodeDecodeError:
        raise FrameError(1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA, "close reason is not valid UTF-8") from None
    return code, reason
