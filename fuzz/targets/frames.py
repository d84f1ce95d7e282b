"""Target ``frames``: the core's frame decoder, C accelerator against pure Python.

One input is an options byte, a byte that picks the read boundaries, and the bytes a peer
sends after the handshake.  The same bytes, cut at the same places, go to two copies of the
sans-I/O core in this process: the one with the C accelerator (``_speedups``: ``scan_frames``,
``fill``/``payload_buffer``, ``utf8_check``, the C ``mask``) and a second import of the same
modules under ``WSCHANNEL_NO_SPEEDUPS=1``, the pure-Python fallback.  A third run gives the
pure-Python copy the whole stream in one read.

Options (byte 0): bit 0 the role (server: frames must be masked), bits 1-2 permessage-deflate
(none, default, no context takeover, 9-bit windows), bits 3-4 the message size limit (125,
4096, 65536, 1 MiB).  Byte 1: bit 0 the C copy reads large payloads in place
(``receive_buffer``/``receive_filled``, as the channel's session does), the other bits seed the
read boundaries.  After the last read: ``receive_eof``, and the close the driver would send
(``fail(code)`` after a failure, the echo after a Close).

A crash is:

* any exception from ``receive_data``, ``receive_buffer``/``receive_filled``, ``receive_eof``,
  ``take_control`` or ``fail``/``send_close`` (the documented outcome of bad input is a
  ``ProtocolFailure`` event, never an exception);
* a ``ProtocolFailure`` that is not the last event, or with a code/status pair the core does
  not document (1002 ILLEGAL_VALUE or INVALID_CONTENT_ENCODING, 1007 CANNOT_CONVERT_DATA,
  1009 FILE_TOO_BIG, 1006 BASE_STREAM_CLOSED), or any event after a failure or a Close;
* a message larger than the limit;
* the two copies disagreeing (events, pongs, the close they send, the final state), or the
  result depending on how the stream was cut into reads (reasons aside);
* a hang (1 s CPU) or, per input, more than 4 MiB + 64 x the input's length allocated at
  peak (tracemalloc): the decoder may hold one message of at most 1 MiB and the chunks
  around it, never something proportional to a declared length.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import Any

from components.results import Cr
from components.websocket.protocol import connection as c_connection
from components.websocket.protocol import deflate as c_deflate
from components.websocket.protocol import frames as c_frames
from components.websocket.protocol import mask as c_mask
from fuzz.engine import Crash, read_boundaries

INSTRUMENT = ("components.websocket.protocol",)
MAX_LEN = 1 << 14

_PACKAGE = "components.websocket.protocol"


def _load_pure_core() -> dict[str, ModuleType]:
    """A second, pure-Python import of the core, beside the accelerated one.

    The modules of ``components.websocket.protocol`` are taken out of ``sys.modules``, imported
    again with ``WSCHANNEL_NO_SPEEDUPS=1`` (each binds its dependencies at import time, so the
    copy is self-contained), and the originals put back.
    """
    importlib.import_module(f"{_PACKAGE}.connection")  # the accelerated copy, first
    saved = {k: v for k, v in sys.modules.items() if k == _PACKAGE or k.startswith(_PACKAGE + ".")}
    parent = sys.modules["components.websocket"]
    old_env = os.environ.get("WSCHANNEL_NO_SPEEDUPS")
    for key in saved:
        del sys.modules[key]
    os.environ["WSCHANNEL_NO_SPEEDUPS"] = "1"
    try:
        pure = {
            name: importlib.import_module(f"{_PACKAGE}.{name}")
            for name in ("connection", "deflate", "frames", "mask", "events")
        }
    finally:
        for key in [k for k in sys.modules if k == _PACKAGE or k.startswith(_PACKAGE + ".")]:
            del sys.modules[key]
        sys.modules.update(saved)
        parent.protocol = saved[_PACKAGE]  # type: ignore[attr-defined]
        if old_env is None:
            del os.environ["WSCHANNEL_NO_SPEEDUPS"]
        else:
            os.environ["WSCHANNEL_NO_SPEEDUPS"] = old_env
    if pure["mask"].IMPLEMENTATION != "python":
        raise RuntimeError("the second copy of the core is not the pure-Python one")
    return pure


_PURE = _load_pure_core()
ACCELERATED = c_mask.IMPLEMENTATION == "c"

LIMITS = (125, 4096, 65536, 1 << 20)
DOCUMENTED = {
    (1002, Cr.NS_ERROR_ILLEGAL_VALUE),
    (1002, Cr.NS_ERROR_INVALID_CONTENT_ENCODING),
    (1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA),
    (1009, Cr.NS_ERROR_FILE_TOO_BIG),
    (1006, Cr.NS_BASE_STREAM_CLOSED),
}


def _params(deflate: ModuleType, choice: int) -> Any:
    if choice == 0:
        return None
    if choice == 1:
        return deflate.DeflateParams()
    if choice == 2:
        return deflate.DeflateParams(server_no_context_takeover=True, client_no_context_takeover=True)
    return deflate.DeflateParams(server_max_window_bits=9, client_max_window_bits=9)


def _normal(event: Any, with_reason: bool = True) -> tuple[Any, ...]:
    """An event as a plain tuple (the two copies have distinct classes)."""
    name = type(event).__name__
    fields = tuple(getattr(event, f) for f in type(event).__slots__ if with_reason or f != "reason")
    return (name, *fields)


def _pongs(frames: ModuleType, data: bytes) -> list[tuple[Any, ...]]:
    """Control frames the core queued (a client's are masked with random keys: unmask them)."""
    decoded, used = frames.decode_frames(data)
    if used != len(data):
        raise Crash(f"take_control returned a partial frame: {data!r:.200}")
    return [(f.fin, f.rsv, f.opcode, f.payload) for f in decoded]


def _run(core: dict[str, ModuleType], role: int, deflate: int, limit: int, stream: bytes,
         boundaries: list[int], in_place: bool) -> tuple[list[tuple[Any, ...]], list[Any], Any]:
    """Feed *stream* read by read; returns (events, control frames sent, final state name)."""
    connection, frames = core["connection"], core["frames"]
    conn = connection.Connection(connection.Role(role), max_message_size=limit)
    conn.establish(_params(core["deflate"], deflate))
    events: list[Any] = []
    control: list[Any] = []

    def take(evs: list[Any]) -> None:
        events.extend(evs)
        data = conn.take_control()
        if evs:
            # What the driver answers at once: fail(code) after a failure, the echo of a Close.
            name = type(evs[-1]).__name__
            if name == "ProtocolFailure":
                data += conn.fail(evs[-1].code)
            elif name == "CloseReceived":
                data += conn.send_close(connection.echo_code(evs[-1].code))
        if data:
            control.extend(_pongs(frames, data))

    prev = 0
    for end in boundaries:
        chunk = memoryview(stream)[prev:end]
        prev = end
        while len(chunk):
            span = conn.receive_buffer() if in_place else None
            if span is None:
                take(conn.receive_data(chunk))
                break
            with span:
                n = min(len(span), len(chunk))
                span[:n] = chunk[:n]
            take(conn.receive_filled(n))
            chunk = chunk[n:]
    take(conn.receive_eof())
    return [_normal(e) for e in events], control, conn.state.name


def _check(events: list[tuple[Any, ...]], limit: int) -> None:
    for i, ev in enumerate(events):
        kind = ev[0]
        if kind == "ProtocolFailure":
            if (ev[1], ev[2]) not in DOCUMENTED:
                raise Crash(f"undocumented failure {ev!r}")
            if i != len(events) - 1:
                raise Crash(f"events after a failure: {events[i:]!r:.300}")
        elif kind == "CloseReceived":
            if i != len(events) - 1:
                raise Crash(f"events after a Close: {events[i:]!r:.300}")
        elif kind == "TextMessage":
            if len(ev[1].encode("utf-8")) > limit:
                raise Crash(f"a text message of {len(ev[1])} characters over the limit {limit}")
        elif kind == "BinaryMessage" and len(ev[1]) > limit:
            raise Crash(f"a binary message of {len(ev[1])} bytes over the limit {limit}")


_C_CORE = {"connection": c_connection, "deflate": c_deflate, "frames": c_frames}


def one_input(data: bytes) -> None:
    if len(data) < 2:
        return
    options, cut_byte, stream = data[0], data[1], data[2:]
    role = options & 1  # Role.CLIENT (0) or Role.SERVER (1)
    deflate = (options >> 1) & 3
    limit = LIMITS[(options >> 3) & 3]
    boundaries = read_boundaries(cut_byte >> 1, len(stream))
    got_c = _run(_C_CORE, role, deflate, limit, stream, boundaries, bool(cut_byte & 1))
    got_py = _run(_PURE, role, deflate, limit, stream, boundaries, False)
    _check(got_c[0], limit)
    if got_c != got_py:
        raise Crash(f"C and pure Python disagree:\n  C:  {got_c!r:.600}\n  py: {got_py!r:.600}")
    whole = _run(_PURE, role, deflate, limit, stream, [len(stream)], False)
    if _strip(whole) != _strip(got_py):
        raise Crash(f"the result depends on the reads:\n  cut:   {got_py!r:.600}\n  whole: {whole!r:.600}")


def _strip(result: tuple[list[tuple[Any, ...]], list[Any], Any]) -> tuple[Any, ...]:
    events, control, state = result
    return tuple(e[:-1] if e[0] in ("ProtocolFailure",) else e for e in events), tuple(control), state


def memory_bound(data: bytes) -> int:
    return (4 << 20) + 64 * len(data)


def seeds() -> dict[str, bytes]:
    """Valid and borderline streams for both roles, with and without permessage-deflate."""
    frames = c_frames
    enc = frames.encode_frame
    key = b"\x37\xfa\x21\x3d"
    out: dict[str, bytes] = {}

    def add(name: str, options: int, cut: int, stream: bytes) -> None:
        out[name] = bytes((options, cut)) + stream

    text, binary, close, ping, pong = 0x1, 0x2, 0x8, 0x9, 0xA
    basic = (enc(text, "héllo".encode()) + enc(binary, b"\x00\x01\x02") + enc(ping, b"p")
             + enc(pong, b"") + enc(close, frames.encode_close_payload(1000, "bye")))
    add("client-basic", 0x18, 0, basic)
    add("client-basic-cut", 0x18, 0x0B, basic)
    add("client-bytewise", 0x18, 2, basic)
    fragmented = (enc(text, b"fr", fin=False) + enc(ping, b"in-between") + enc(0x0, "ägm".encode(), fin=False)
                  + enc(0x0, b"ent") + enc(binary, b"b1", fin=False) + enc(0x0, b"b2"))
    add("client-fragmented", 0x18, 0x15, fragmented)
    big = enc(binary, bytes(range(256)) * 40) + enc(text, ("x" * 5000).encode())
    add("client-large-in-place", 0x18, 0x21, big)
    add("client-large-read", 0x18, 0x20, big)
    add("client-extended-lengths", 0x18, 0x07, enc(binary, b"a" * 126) + enc(binary, b"b" * 65536)[:300])
    add("client-bad-utf8", 0x18, 0x09, enc(text, b"ok\xce") + enc(text, b"\xed\xa0\x80"))
    add("client-non-minimal", 0x18, 0, enc(binary, b"x", length_form=16) + enc(binary, b"y", length_form=64))
    add("client-over-limit", 0x00, 0x05, enc(binary, b"z" * 200))
    add("client-close-codes", 0x18, 0, enc(close, b"\x03\xe8") + enc(close, b"\x03\xed"))
    add("client-reserved", 0x18, 0, enc(0x3, b"") + enc(text, b"r", rsv=0x20))
    add("server-masked", 0x19, 0x0D, b"".join(enc(op, p, mask_key=key) for op, p in
                                              ((text, "mäsk".encode()), (binary, b"\xff" * 130),
                                               (ping, b"q"), (close, b"\x03\xe8ok"))))
    add("server-unmasked", 0x19, 0, enc(text, b"no mask"))
    add("server-large-masked", 0x19, 0x31, enc(binary, bytes(range(256)) * 24, mask_key=key))
    for choice, (name, params) in enumerate(
        (("default", c_deflate.DeflateParams()),
         ("nct", c_deflate.DeflateParams(server_no_context_takeover=True, client_no_context_takeover=True)),
         ("bits9", c_deflate.DeflateParams(server_max_window_bits=9, client_max_window_bits=9))),
        start=1,
    ):
        for role_bit, server in ((0, False), (1, True)):
            # What the peer sends: compressed with the peer's parameters.
            comp = c_deflate.Compressor(params, server=not server)
            m1 = comp.compress(b"compressed text " * 20)
            m2 = comp.compress(b"\x00" * 3000)
            first = comp.compress(b"frag-one ", last=False)
            second = comp.compress(b"frag-two")
            k = key if server else None
            stream = (enc(text, m1, rsv=0x40, mask_key=k) + enc(binary, m2, rsv=0x40, mask_key=k)
                      + enc(binary, first, rsv=0x40, fin=False, mask_key=k) + enc(0x0, second, mask_key=k)
                      + enc(text, b"plain", mask_key=k))
            side = "server" if server else "client"
            add(f"{side}-deflate-{name}", role_bit | choice << 1 | 0x18, 0x0F, stream)
    bomb = c_deflate.Compressor(c_deflate.DeflateParams(), server=True).compress(b"\x00" * (4 << 20))
    add("client-deflate-bomb", 0x02 | 0x10, 0x13, enc(binary, bomb, rsv=0x40))
    add("client-deflate-corrupt", 0x1A, 0, enc(text, b"\xff\xfe\xfd", rsv=0x40))
    return out
