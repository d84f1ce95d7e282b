"""A raw-frame WebSocket test server on trio: it sends any bytes, and checks what the client sends.

Theory of operation
-------------------
A test starts the server itself, on 127.0.0.1 port 0, as an async context manager::

    from support.rawserver import RawServer, Frame, OP_TEXT, build_frame

    async def script(peer):                         # runs once per accepted connection,
        msg = await peer.recv_message()             # after the opening handshake
        assert msg.kind == "text" and msg.text == "hi"
        await peer.send_frame(OP_TEXT, b"hi", fin=False)          # any frame you like
        await peer.send(build_frame(0x0, b"!", length_bytes=8))   # or raw bytes
        code, reason = await peer.close_handshake(1000, "bye")    # send Close, await the echo
        await peer.expect_eof()                                   # client hangs up TCP

    async with RawServer(script) as srv:            # srv.url == "ws://127.0.0.1:<port>/"
        ...open a channel to srv.url (see support.listener.run_channel) and wait for onStop...
    # leaving the block waits (hang guard: `finish_timeout`) for every script to return and then
    # re-raises the first exception a script or handshake raised: assertions in scripts count.

The opening handshake
    Every connection's request head is read (bounded), parsed into a `Request` (method, target,
    version, headers, raw bytes) and recorded in `srv.requests` / `peer.request`. Then the server
    answers with `respond`:

    * None (default): a correct 101 (`handshake_response(request)`), with `subprotocol=` and
      `extensions=` of the RawServer put in the head (None: not sent). When `extensions` contains
      `permessage-deflate` the peer's deflate state follows those parameters.
    * bytes: sent verbatim (anything: non-101, HTTP/1.0, garbage, a redirect head...).
    * a callable(request) -> bytes | None | HANG (may be async): bytes are sent verbatim;
      None means "the default 101"; `HANG` sends nothing and keeps the socket open until the
      client closes it (the script does not run then).
    Helpers to build heads: `handshake_response(request, status=..., accept=..., omit=...,
    extra=..., subprotocol=..., extensions=..., version=...)`, `http_response(status_line,
    headers)`, `redirect_response(location, status=302)`, `accept_key(key)`.
    After a non-101 head the script still runs (it can `expect_eof()`); pass `script=None` to
    just wait for the client's EOF. Set `close_after_response=True` to hang up after the head.

The script's `Peer`
    send(bytes) raw; send_frame(opcode, payload, fin, rsv1..3, mask, length_bytes, length);
    send_text(str) / send_binary(bytes) (compressed when deflate was negotiated, unless
    compress=False; `fragments=n` splits into n frames); send_ping / send_pong / send_close(code,
    reason, raw=bytes); recv_frame() -> Frame; recv_message() -> Message (data reassembled and
    inflated; control frames that arrive between fragments are returned in arrival order, the
    partial message stays buffered); recv_data() (next text/binary, pings/pongs skipped);
    recv_close(); close_handshake(); echo_close(m); expect_eof(); drain_until_eof();
    skip_frame() (header checked, payload discarded in bounded memory: huge streams);
    receive_raw(n); aclose() (TCP close, FIN); abort() (RST). `peer.frames` is every client
    frame received, in order; `peer.request` / `peer.response` the handshake.

The server object: `url`, `url_for(path, scheme=None)`, `port`, `requests`, `peers`,
`await wait_connected()` (first TCP connection accepted). `ssl_context=` serves TLS (wss).
`rcvbuf=` fixes the accepted sockets' SO_RCVBUF (no autotuning): for tests that need the
client's writes to block while the server does not read.

Every client frame is checked as it arrives (ProtocolViolation, an AssertionError, when not):
masked, with a key different from the previous frame's (fresh random keys), minimal length
encoding, no reserved opcode, RSV2/RSV3 clear, RSV1 only on the first frame of a data message
and only when permessage-deflate was negotiated, control frames final and at most 125 bytes,
continuation frames only inside a fragmented message and no new data frame inside one, nothing
after the client's Close. Text messages must be valid UTF-8; compressed messages are inflated
with the negotiated `client_max_window_bits` and `client_no_context_takeover` rules (a client
that used a bigger window or kept the context when it must not will fail to inflate here).

Frame and deflate helpers (module level, usable without a server): `build_frame`,
`close_payload`, `deflate_message`, `Deflater`, `deflate_bomb`, `parse_extension_params`.
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import os
import ssl
import struct
import zlib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import trio

__all__ = [
    "GUID", "HANG", "OP_CONT", "OP_TEXT", "OP_BINARY", "OP_CLOSE", "OP_PING", "OP_PONG",
    "Frame", "Message", "Request", "Peer", "RawServer", "ProtocolViolation",
    "accept_key", "build_frame", "close_payload", "deflate_message", "Deflater", "deflate_bomb",
    "handshake_response", "http_response", "redirect_response", "parse_extension_params",
    "DeflateParams",
]

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA
CONTROL_OPCODES = (OP_CLOSE, OP_PING, OP_PONG)
DATA_OPCODES = (OP_TEXT, OP_BINARY)
MAX_HEAD = 64 * 1024
HANG = object()  # respond=... sentinel: send nothing, keep the socket open


class ProtocolViolation(AssertionError):
    """The client broke an RFC 6455 / RFC 7692 rule (raised in the script, re-raised at exit)."""


# ---------------------------------------------------------------------------------------------
# Frames (RFC 6455 section 5.2)


def build_frame(
    opcode: int,
    payload: bytes | bytearray | memoryview = b"",
    *,
    fin: bool = True,
    rsv1: bool = False,
    rsv2: bool = False,
    rsv3: bool = False,
    mask: bytes | bool | None = None,
    length_bytes: int | None = None,
    length: int | None = None,
) -> bytes:
    """Bytes of one frame. Anything goes, so tests can build invalid frames.

    opcode: 0..15 (any, reserved ones included). mask: None/False = unmasked (what a server
    sends), True = a random key, or the 4 key bytes. length_bytes: None = minimal encoding,
    0 = 7-bit, 2 = 16-bit (126), 8 = 64-bit (127) even when not minimal. length: the length
    to declare instead of len(payload) (e.g. with the 64-bit top bit set).
    """
    payload = bytes(payload)
    n = len(payload) if length is None else length
    b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | (0x20 if rsv2 else 0) | (0x10 if rsv3 else 0)
    b0 |= opcode & 0x0F
    if length_bytes is None:
        length_bytes = 0 if n < 126 else 2 if n < 65536 else 8
    maskbit = 0x80 if mask else 0
    if length_bytes == 0:
        head = bytes([b0, maskbit | (n & 0x7F)])
    elif length_bytes == 2:
        head = bytes([b0, maskbit | 126]) + struct.pack("!H", n & 0xFFFF)
    elif length_bytes == 8:
        head = bytes([b0, maskbit | 127]) + struct.pack("!Q", n & 0xFFFFFFFFFFFFFFFF)
    else:
        raise ValueError("length_bytes must be None, 0, 2 or 8")
    if mask:
        key = os.urandom(4) if mask is True else bytes(mask)
        return head + key + apply_mask(payload, key)
    return head + payload


def apply_mask(data: bytes, key: bytes) -> bytes:
    """XOR *data* with the 4-byte *key* (RFC 6455 section 5.3); fast for big payloads."""
    if not data:
        return b""
    n = len(data)
    k = int.from_bytes((key * (n // 4 + 1))[:n], "little")
    return (int.from_bytes(data, "little") ^ k).to_bytes(n, "little")


def close_payload(code: int | None = None, reason: str | bytes = b"") -> bytes:
    """Payload of a Close frame: 2-byte code then the reason (str is UTF-8 encoded)."""
    if code is None:
        return b""
    r = reason.encode() if isinstance(reason, str) else bytes(reason)
    return struct.pack("!H", code) + r


@dataclass
class Frame:
    """One frame the client sent, unmasked. `header` is the raw header bytes (with the key)."""

    fin: bool
    rsv1: bool
    rsv2: bool
    rsv3: bool
    opcode: int
    masked: bool
    key: bytes
    payload: bytes
    header: bytes

    @property
    def is_control(self) -> bool:
        return self.opcode >= 0x8


@dataclass
class Message:
    """A complete message from the client: kind is text/binary/ping/pong/close.

    data: the (inflated) payload; frames: the frames it came in; compressed: RSV1 was set;
    code/reason: for a close (code None when its payload was empty).
    """

    kind: str
    data: bytes
    frames: list[Frame]
    compressed: bool = False
    code: int | None = None
    reason: str = ""

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


# ---------------------------------------------------------------------------------------------
# permessage-deflate (RFC 7692)


def parse_extension_params(header: str) -> list[tuple[str, dict[str, str | None]]]:
    """'permessage-deflate; client_max_window_bits, x' -> [(name, {param: value|None}), ...]."""
    out: list[tuple[str, dict[str, str | None]]] = []
    for ext in header.split(","):
        parts = [p.strip() for p in ext.split(";")]
        if not parts[0]:
            continue
        params: dict[str, str | None] = {}
        for p in parts[1:]:
            if not p:
                continue
            k, eq, v = p.partition("=")
            params[k.strip().lower()] = v.strip().strip('"') if eq else None
        out.append((parts[0].lower(), params))
    return out


@dataclass
class DeflateParams:
    """Negotiated permessage-deflate parameters, as the server's response states them."""

    server_no_context_takeover: bool = False
    client_no_context_takeover: bool = False
    server_max_window_bits: int = 15
    client_max_window_bits: int = 15

    @classmethod
    def from_response(cls, extensions: str | None) -> DeflateParams | None:
        if not extensions:
            return None
        for name, params in parse_extension_params(extensions):
            if name != "permessage-deflate":
                continue
            p = cls()
            p.server_no_context_takeover = "server_no_context_takeover" in params
            p.client_no_context_takeover = "client_no_context_takeover" in params
            for name in ("server_max_window_bits", "client_max_window_bits"):
                value = params.get(name) or ""
                if value.isdigit():  # invalid values: the client must fail, nothing to follow
                    setattr(p, name, int(value))
            return p
        return None


def _compressobj(wbits: int, level: int = 6) -> Any:
    # zlib refuses raw deflate with an 8-bit window; 9 is what every implementation uses then.
    return zlib.compressobj(level, zlib.DEFLATED, -max(wbits, 9))


class Deflater:
    """Server-side message compressor: one compressor, reset per message when no_context."""

    def __init__(self, wbits: int = 15, no_context_takeover: bool = False, level: int = 6) -> None:
        self.wbits, self.no_context, self.level = wbits, no_context_takeover, level
        self._c = _compressobj(wbits, level)

    def compress(self, data: bytes) -> bytes:
        if self.no_context:
            self._c = _compressobj(self.wbits, self.level)
        out = self._c.compress(data) + self._c.flush(zlib.Z_SYNC_FLUSH)
        assert out.endswith(b"\x00\x00\xff\xff")
        return out[:-4]


def deflate_message(data: bytes, *, wbits: int = 15, level: int = 6) -> bytes:
    """Compress one message alone (fresh context), sync flush, trailing 00 00 FF FF stripped."""
    return Deflater(wbits, True, level).compress(data)


def deflate_bomb(size: int, chunk: int = 16 << 20) -> bytes:
    """A compressed message that inflates to *size* zero bytes, built fast in bounded memory.

    Each chunk is compressed by a fresh compressor ending in a full flush, so the pieces have
    no back-references between them and identical pieces can simply be repeated.
    """

    def piece(n: int) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(bytes(n)) + c.flush(zlib.Z_FULL_FLUSH)

    full, rest = divmod(size, chunk)
    out = piece(min(chunk, size)) * full + (piece(rest) if rest else b"")
    if not out:
        out = piece(0)
    assert out.endswith(b"\x00\x00\xff\xff")
    return out[:-4]


# ---------------------------------------------------------------------------------------------
# The opening handshake (RFC 6455 section 4)


@dataclass
class Request:
    """The client's opening-handshake request as received."""

    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]  # (lower-case name, value), in order, duplicates kept
    raw: bytes
    index: int = 0  # which connection of this server (0 = first)

    def header(self, name: str) -> str | None:
        """All values of *name* joined with ', ' (None when absent)."""
        vals = self.header_list(name)
        return ", ".join(vals) if vals else None

    def header_list(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self.headers if k == name]

    def tokens(self, name: str) -> list[str]:
        """Comma-separated tokens of *name*, lower-cased."""
        return [t.strip().lower() for v in self.header_list(name) for t in v.split(",") if t.strip()]


def parse_request(raw: bytes) -> Request:
    text = raw.decode("iso-8859-1")
    lines = text.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        raise ProtocolViolation(f"bad request line {lines[0]!r}")
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        k, colon, v = line.partition(":")
        if not colon:
            raise ProtocolViolation(f"bad header line {line!r}")
        headers.append((k.strip().lower(), v.strip()))
    return Request(parts[0], parts[1], parts[2], headers, raw)


def accept_key(key: str | bytes) -> str:
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key."""
    k = key.encode() if isinstance(key, str) else key
    return base64.b64encode(hashlib.sha1(k + GUID).digest()).decode()


def http_response(status_line: str, headers: Iterable[tuple[str, str]] = (), body: bytes = b"") -> bytes:
    """A response head verbatim: 'HTTP/1.1 404 Not Found' + headers + CRLF CRLF (+ body)."""
    head = status_line + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode("latin-1") + body


def handshake_response(
    request: Request,
    *,
    status: str = "101 Switching Protocols",
    version: str = "HTTP/1.1",
    accept: str | None = None,
    subprotocol: str | None = None,
    extensions: str | None = None,
    omit: Sequence[str] = (),
    extra: Sequence[tuple[str, str]] = (),
    upgrade: str = "websocket",
    connection: str = "Upgrade",
) -> bytes:
    """A 101 for *request*, correct unless told otherwise.

    accept: override the Sec-WebSocket-Accept value; omit: header names to leave out
    (e.g. ("Upgrade",)); extra: headers appended; subprotocol / extensions: add
    Sec-WebSocket-Protocol / Sec-WebSocket-Extensions.
    """
    key = request.header("sec-websocket-key") or ""
    headers = [("Upgrade", upgrade), ("Connection", connection),
               ("Sec-WebSocket-Accept", accept if accept is not None else accept_key(key))]
    if subprotocol is not None:
        headers.append(("Sec-WebSocket-Protocol", subprotocol))
    if extensions is not None:
        headers.append(("Sec-WebSocket-Extensions", extensions))
    low = {o.lower() for o in omit}
    headers = [(k, v) for k, v in headers if k.lower() not in low] + list(extra)
    return http_response(f"{version} {status}", headers)


def redirect_response(location: str, status: int = 302) -> bytes:
    reasons = {301: "Moved Permanently", 302: "Found", 303: "See Other",
               307: "Temporary Redirect", 308: "Permanent Redirect"}
    return http_response(f"HTTP/1.1 {status} {reasons.get(status, 'Redirect')}",
                         [("Location", location), ("Content-Length", "0")])


# ---------------------------------------------------------------------------------------------
# One connection, as the script sees it


class Peer:
    """The server end of one accepted connection. See the module docstring."""

    def __init__(self, server: RawServer, stream: trio.abc.Stream, index: int) -> None:
        self.server = server
        self.stream = stream
        self.index = index
        self.request: Request | None = None
        self.response: bytes = b""
        self.buf = bytearray()
        self.frames: list[Frame] = []
        self.deflate: DeflateParams | None = None
        self._deflater: Deflater | None = None
        self._inflater: Any = None
        self._partial: list[Frame] = []  # fragments of the data message being received
        self._last_key: bytes | None = None
        self.close_received = False
        self.eof = False
        self.closed = False

    # -- raw I/O ------------------------------------------------------------------------------
    async def send(self, data: bytes) -> None:
        await self.stream.send_all(data)

    async def _fill(self, n: int) -> None:
        while len(self.buf) < n:
            chunk = await self.stream.receive_some(1 << 20)
            if not chunk:
                self.eof = True
                raise EOFError(f"client closed TCP ({len(self.buf)} of {n} bytes buffered)")
            self.buf.extend(chunk)

    async def receive_raw(self, n: int) -> bytes:
        """Exactly n raw bytes from the client (after the handshake head)."""
        await self._fill(n)
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    async def expect_eof(self) -> None:
        """Assert the client closes TCP and sends nothing more (no frames are left unread)."""
        if self.eof and not self.buf:
            return
        while True:
            if self.buf:
                raise ProtocolViolation(f"expected EOF, got {bytes(self.buf[:40])!r}")
            try:
                chunk = await self.stream.receive_some(65536)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                chunk = b""
            if not chunk:
                self.eof = True
                return
            self.buf.extend(chunk)

    async def drain_until_eof(self) -> list[Frame]:
        """Read (and check) frames until the client closes TCP; returns them."""
        got = []
        while True:
            try:
                got.append(await self.recv_frame())
            except EOFError:
                if self.buf:
                    raise ProtocolViolation(f"EOF inside a frame: {bytes(self.buf[:40])!r}") from None
                return got
            except trio.BrokenResourceError:
                return got

    async def aclose(self) -> None:
        """Close TCP (FIN after any TLS close_notify)."""
        self.closed = True
        await self.stream.aclose()

    async def abort(self) -> None:
        """Close TCP with a RST (SO_LINGER 0), when the stream is a plain socket."""
        sock = getattr(self.stream, "socket", None)
        if sock is not None:
            sock.setsockopt(trio.socket.SOL_SOCKET, trio.socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.closed = True
        await self.stream.aclose()

    # -- sending ------------------------------------------------------------------------------
    async def send_frame(self, opcode: int, payload: bytes = b"", **kw: Any) -> None:
        """build_frame(opcode, payload, **kw) and send it (unmasked unless mask= is given)."""
        await self.send(build_frame(opcode, payload, **kw))

    def compress(self, data: bytes) -> bytes:
        """Compress one message with the negotiated server window/context rules."""
        if self._deflater is None:
            p = self.deflate or DeflateParams()
            self._deflater = Deflater(p.server_max_window_bits, p.server_no_context_takeover)
        return self._deflater.compress(data)

    async def send_message(self, opcode: int, data: bytes, *, compress: bool | None = None,
                           fragments: int = 1) -> None:
        if compress is None:
            compress = self.deflate is not None
        payload = self.compress(data) if compress else data
        n = max(1, fragments)
        size = -(-len(payload) // n) if payload else 0
        chunks = [payload[i * size:(i + 1) * size] for i in range(n)] if size else [b""] * n
        out = []
        for i, chunk in enumerate(chunks):
            out.append(build_frame(opcode if i == 0 else OP_CONT, chunk, fin=i == n - 1,
                                   rsv1=compress and i == 0))
        await self.send(b"".join(out))

    async def send_text(self, text: str, **kw: Any) -> None:
        await self.send_message(OP_TEXT, text.encode(), **kw)

    async def send_binary(self, data: bytes, **kw: Any) -> None:
        await self.send_message(OP_BINARY, bytes(data), **kw)

    async def send_ping(self, payload: bytes = b"") -> None:
        await self.send_frame(OP_PING, payload)

    async def send_pong(self, payload: bytes = b"") -> None:
        await self.send_frame(OP_PONG, payload)

    async def send_close(self, code: int | None = 1000, reason: str | bytes = b"", *,
                         raw: bytes | None = None) -> None:
        await self.send_frame(OP_CLOSE, close_payload(code, reason) if raw is None else raw)

    # -- receiving ----------------------------------------------------------------------------
    async def _read_header(self) -> tuple[int, int, int, int]:
        """(b0, b1, payload length, header length without the key), checked for minimality."""
        await self._fill(2)
        b0, b1 = self.buf[0], self.buf[1]
        n, pos = b1 & 0x7F, 2
        if n == 126:
            await self._fill(4)
            n, pos = struct.unpack("!H", self.buf[2:4])[0], 4
            if n < 126:
                raise ProtocolViolation(f"client used a 16-bit length for {n} bytes")
        elif n == 127:
            await self._fill(10)
            n, pos = struct.unpack("!Q", self.buf[2:10])[0], 10
            if n < 65536:
                raise ProtocolViolation(f"client used a 64-bit length for {n} bytes")
            if n >> 63:
                raise ProtocolViolation("client set the top bit of a 64-bit length")
        if not b1 & 0x80:
            raise ProtocolViolation("client frame not masked (RFC 6455 5.1)")
        await self._fill(pos + 4)
        return b0, b1, n, pos

    def _frame(self, b0: int, key: bytes, payload: bytes, header: bytes) -> Frame:
        return Frame(bool(b0 & 0x80), bool(b0 & 0x40), bool(b0 & 0x20), bool(b0 & 0x10),
                     b0 & 0x0F, True, key, payload, header)

    async def recv_frame(self) -> Frame:
        """The next client frame, unmasked and checked against the framing rules."""
        b0, _, n, pos = await self._read_header()
        await self._fill(pos + 4 + n)
        key = bytes(self.buf[pos:pos + 4])
        header = bytes(self.buf[:pos + 4])
        payload = apply_mask(bytes(self.buf[pos + 4:pos + 4 + n]), key)
        del self.buf[:pos + 4 + n]
        f = self._frame(b0, key, payload, header)
        self._check_frame(f)
        self.frames.append(f)
        self._last_key = key
        return f

    async def skip_frame(self) -> tuple[Frame, int]:
        """Like recv_frame for a data frame, but the payload is discarded as it streams in
        (bounded memory, not unmasked, not kept): returns (frame with empty payload, length).
        Do not mix with recv_message() inside one fragmented message."""
        b0, _, n, pos = await self._read_header()
        key = bytes(self.buf[pos:pos + 4])
        header = bytes(self.buf[:pos + 4])
        del self.buf[:pos + 4]
        f = self._frame(b0, key, b"", header)
        self._check_frame(f)
        if not f.is_control:
            if f.fin:
                self._partial = []
            else:
                self._partial.append(f)
        left = n
        while left:
            if not self.buf:
                chunk = await self.stream.receive_some(1 << 20)
                if not chunk:
                    self.eof = True
                    raise EOFError(f"client closed TCP with {left} payload bytes missing")
                self.buf.extend(chunk)
            take = min(left, len(self.buf))
            del self.buf[:take]
            left -= take
        self.frames.append(f)
        self._last_key = key
        return f, n

    def _check_frame(self, f: Frame) -> None:
        if self.close_received:
            raise ProtocolViolation(f"client sent opcode {f.opcode} after its Close")
        if self._last_key is not None and f.key == self._last_key:
            raise ProtocolViolation(f"client reused the masking key {f.key.hex()}")
        if f.rsv2 or f.rsv3:
            raise ProtocolViolation("client set RSV2/RSV3")
        if f.opcode not in (OP_CONT, *DATA_OPCODES, *CONTROL_OPCODES):
            raise ProtocolViolation(f"client used reserved opcode {f.opcode}")
        if f.is_control:
            if not f.fin:
                raise ProtocolViolation("client fragmented a control frame")
            if len(f.payload) > 125:
                raise ProtocolViolation(f"client control frame of {len(f.payload)} bytes")
            if f.rsv1:
                raise ProtocolViolation("client set RSV1 on a control frame")
            if f.opcode == OP_CLOSE:
                self.close_received = True
            return
        if f.opcode == OP_CONT:
            if not self._partial:
                raise ProtocolViolation("client sent a continuation with nothing to continue")
            if f.rsv1:
                raise ProtocolViolation("client set RSV1 on a continuation frame")
        else:
            if self._partial:
                raise ProtocolViolation("client started a new data message inside a fragmented one")
            if f.rsv1 and self.deflate is None:
                raise ProtocolViolation("client set RSV1 without permessage-deflate")

    def _inflate(self, data: bytes) -> bytes:
        p = self.deflate
        assert p is not None
        if self._inflater is None or p.client_no_context_takeover:
            self._inflater = zlib.decompressobj(-p.client_max_window_bits)
        # zlib only checks a distance against the window plus what the *current* call has
        # output, so inflate in small steps: then a back-reference beyond the negotiated window
        # (more than 128 bytes of slack) fails with "invalid distance too far back".
        d, buf, out = self._inflater, data + b"\x00\x00\xff\xff", []
        try:
            while True:
                chunk = d.decompress(buf, 128)
                out.append(chunk)
                buf = d.unconsumed_tail
                if not buf and not chunk:
                    return b"".join(out)
        except zlib.error as e:
            raise ProtocolViolation(
                f"client's compressed message does not inflate with window "
                f"{p.client_max_window_bits}, no_context={p.client_no_context_takeover}: {e}"
            ) from None

    async def recv_message(self) -> Message:
        """The next complete message or control frame (see the module docstring)."""
        while True:
            f = await self.recv_frame()
            if f.is_control:
                kind = {OP_CLOSE: "close", OP_PING: "ping", OP_PONG: "pong"}[f.opcode]
                m = Message(kind, f.payload, [f])
                if kind == "close":
                    if len(f.payload) == 1:
                        raise ProtocolViolation("client sent a 1-byte Close payload")
                    if len(f.payload) >= 2:
                        m.code = struct.unpack("!H", f.payload[:2])[0]
                        try:
                            m.reason = f.payload[2:].decode("utf-8")
                        except UnicodeDecodeError:
                            raise ProtocolViolation("client Close reason is not UTF-8") from None
                        if not _valid_close_code_to_send(m.code):
                            raise ProtocolViolation(f"client sent invalid close code {m.code}")
                return m
            self._partial.append(f)
            if not f.fin:
                continue
            frames, self._partial = self._partial, []
            data = b"".join(fr.payload for fr in frames)
            compressed = frames[0].rsv1
            if compressed:
                data = self._inflate(data)
            kind = "text" if frames[0].opcode == OP_TEXT else "binary"
            if kind == "text":
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError:
                    raise ProtocolViolation("client text message is not UTF-8") from None
            return Message(kind, data, frames, compressed)

    async def recv_data(self) -> Message:
        """The next text/binary message; pings and pongs before it are skipped, Close fails."""
        while True:
            m = await self.recv_message()
            if m.kind in ("text", "binary"):
                return m
            if m.kind == "close":
                raise ProtocolViolation(f"expected a data message, got Close {m.code} {m.reason!r}")

    async def recv_close(self, *, skip_pongs: bool = True) -> Message:
        """The client's Close (pongs skipped); any other message is a failure."""
        while True:
            m = await self.recv_message()
            if m.kind == "close":
                return m
            if m.kind == "pong" and skip_pongs:
                continue
            raise ProtocolViolation(f"expected Close, got {m.kind} {m.data[:60]!r}")

    async def close_handshake(self, code: int | None = 1000, reason: str | bytes = b"") -> Message:
        """Server-initiated close: send Close, return the client's Close reply."""
        await self.send_close(code, reason)
        return await self.recv_close()

    async def echo_close(self, m: Message) -> None:
        """Answer the client's Close *m* with the same payload (as a polite server does)."""
        await self.send_frame(OP_CLOSE, m.data)


def _valid_close_code_to_send(code: int) -> bool:
    return code in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014) or (
        3000 <= code <= 4999
    )


# ---------------------------------------------------------------------------------------------
# The server


Script = Callable[[Peer], Awaitable[None]]
Respond = bytes | Callable[[Request], Any] | None


class RawServer:
    """See the module docstring. Attributes after start: port, url, requests, peers."""

    def __init__(
        self,
        script: Script | None = None,
        *,
        respond: Respond = None,
        subprotocol: str | None = None,
        extensions: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        close_after_response: bool = False,
        finish_timeout: float = 15.0,
        path: str = "/",
        rcvbuf: int | None = None,
    ) -> None:
        self.script = script
        self.respond = respond
        self.subprotocol = subprotocol
        self.extensions = extensions
        self.ssl_context = ssl_context
        self.close_after_response = close_after_response
        self.finish_timeout = finish_timeout
        self.path = path
        self.rcvbuf = rcvbuf
        self.requests: list[Request] = []
        self.peers: list[Peer] = []
        self.errors: list[BaseException] = []
        self.port = 0
        self._running = 0
        self._idle = trio.Event()
        self._idle.set()
        self._connected = trio.Event()

    @property
    def url(self) -> str:
        scheme = "wss" if self.ssl_context else "ws"
        return f"{scheme}://127.0.0.1:{self.port}{self.path}"

    def url_for(self, path: str, scheme: str | None = None) -> str:
        scheme = scheme or ("wss" if self.ssl_context else "ws")
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    async def wait_connected(self) -> None:
        await self._connected.wait()

    async def __aenter__(self) -> RawServer:
        self._nursery_cm = trio.open_nursery()
        self._nursery = await self._nursery_cm.__aenter__()
        listeners = await trio.open_tcp_listeners(0, host="127.0.0.1")
        if self.rcvbuf is not None:
            # Set on the listener, inherited by accepted sockets; also stops the kernel's
            # receive-buffer autotuning (which can absorb tens of MiB on loopback).
            for lst in listeners:
                lst.socket.setsockopt(trio.socket.SOL_SOCKET, trio.socket.SO_RCVBUF, self.rcvbuf)
        self._listeners = listeners
        self.port = listeners[0].socket.getsockname()[1]
        self._nursery.start_soon(self._accept_loop, listeners[0])
        return self

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        try:
            if exc is None:
                with trio.move_on_after(self.finish_timeout) as scope:
                    await self._idle.wait()
                if scope.cancelled_caught:
                    self.errors.append(AssertionError(
                        f"server script(s) still running {self.finish_timeout}s after the test body"))
            self._nursery.cancel_scope.cancel()
        finally:
            await self._nursery_cm.__aexit__(None, None, None)
            for lst in self._listeners:
                await lst.aclose()
        if exc is None and self.errors:
            raise self.errors[0]
        if exc is not None:
            for e in self.errors:
                exc.add_note(f"raw server error: {e!r}")
        return False

    async def _accept_loop(self, listener: trio.SocketListener) -> None:
        while True:
            stream = await listener.accept()
            self._running += 1
            self._idle = trio.Event()
            self.peers.append(None)  # type: ignore[arg-type]  # slot, filled in _handle
            self._nursery.start_soon(self._handle, stream, len(self.peers) - 1)

    async def _handle(self, stream: trio.abc.Stream, index: int) -> None:
        try:
            if self.ssl_context is not None:
                stream = trio.SSLStream(stream, self.ssl_context, server_side=True)
            peer = Peer(self, stream, index)
            self.peers[index] = peer
            self._connected.set()
            async with stream:
                await self._serve(peer)
        except EOFError as e:
            # A script read past the client's hang-up: it expected more than the client sent.
            self.errors.append(AssertionError(f"connection {index}: unexpected EOF: {e}"))
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            pass  # the client went away while we wrote: scripts that care assert it themselves
        except ssl.SSLError:
            pass  # TLS failure tests: the client refused our certificate
        except Exception as e:  # noqa: BLE001 - reported at __aexit__
            self.errors.append(e)
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    async def _serve(self, peer: Peer) -> None:
        # Read the request head (bounded).
        while b"\r\n\r\n" not in peer.buf:
            if len(peer.buf) > MAX_HEAD:
                raise ProtocolViolation("request head too large")
            chunk = await peer.stream.receive_some(65536)
            if not chunk:
                return  # the client went away before sending a request
            peer.buf.extend(chunk)
        head, _, rest = bytes(peer.buf).partition(b"\r\n\r\n")
        peer.buf = bytearray(rest)
        req = parse_request(head + b"\r\n\r\n")
        req.index = peer.index
        peer.request = req
        self.requests.append(req)

        respond = self.respond
        if callable(respond):
            result = respond(req)
            if inspect.isawaitable(result):
                result = await result
        else:
            result = respond
        if result is HANG:
            while await peer.stream.receive_some(65536):
                pass  # say nothing until the client gives up
            return
        if result is None:
            result = handshake_response(req, subprotocol=self.subprotocol, extensions=self.extensions)
        assert isinstance(result, bytes | bytearray)
        peer.response = bytes(result)
        await peer.send(peer.response)
        if self.close_after_response:
            return
        status_line = peer.response.split(b"\r\n", 1)[0]
        if status_line.startswith(b"HTTP/1.1 101"):
            ext = _response_header(peer.response, "sec-websocket-extensions")
            peer.deflate = DeflateParams.from_response(ext)
        if self.script is None:
            await peer.drain_until_eof()
            return
        await self.script(peer)


def _response_header(head: bytes, name: str) -> str | None:
    for line in head.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == name.encode():
            return v.strip().decode("latin-1")
    return None
