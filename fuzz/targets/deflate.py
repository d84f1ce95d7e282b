"""Target ``deflate``: permessage-deflate negotiation and inflation (protocol/deflate.py).

Byte 0 picks the mode and its options:

* negotiation (low two bits 0): the rest, as Latin-1 text (what h11 gives a header value), is
  the server's ``Sec-WebSocket-Extensions`` answer to one of our offers (bits 2-4);
  ``negotiate`` must return parameters inside the offer or raise ``NegotiationError``, and
  parameters it returns must negotiate again to themselves from their own
  ``response_header()``;
* inflation (1): the rest is split at every ``\\xff\\x00`` into frames of messages (a frame
  ending in ``\\x01`` ends its message) and inflated with a ``Decompressor`` under the
  parameters of bits 2-3, the message budget of bits 4-5 (64 bytes to 64 KiB) and the role of
  bit 6; each frame must either produce at most the rest of its budget or raise
  ``FrameError`` 1009 NS_ERROR_FILE_TOO_BIG / 1002 NS_ERROR_INVALID_CONTENT_ENCODING, and what
  it produces must be what zlib itself inflates from those bytes;
* round trip (2): the rest, cut in messages and fragments the same way, goes through a
  ``Compressor`` (parameters of bits 2-3, role of bit 6) and back through the matching
  ``Decompressor`` unchanged.

A crash is any other exception, a broken rule above, a hang (1 s CPU), or more than 1 MiB +
64 x the input's length allocated at peak: the largest budget is 64 KiB, so an inflation bomb
(1000:1 for deflate) must be cut off by the budget, never inflated first.
"""

from __future__ import annotations

import zlib
from typing import Any

from components.results import Cr
from components.websocket.protocol import deflate
from components.websocket.protocol.frames import FrameError
from fuzz.engine import Crash

INSTRUMENT = ("components.websocket.protocol",)
MAX_LEN = 1 << 13


OFFERS = (
    deflate.deflate_offer(),
    deflate.deflate_offer(client_max_window_bits=False),
    deflate.deflate_offer(client_max_window_bits=10),
    deflate.deflate_offer(server_max_window_bits=12),
    deflate.deflate_offer(server_no_context_takeover=True, client_no_context_takeover=True),
    deflate.deflate_offer(client_max_window_bits=8, server_max_window_bits=8,
                          server_no_context_takeover=True),
    "permessage-deflate; client_max_window_bits, permessage-deflate",
    "x-webkit-deflate-frame, permessage-deflate; client_max_window_bits=15",
)
PARAMS = (
    deflate.DeflateParams(),
    deflate.DeflateParams(True, True),
    deflate.DeflateParams(server_max_window_bits=9, client_max_window_bits=9),
    deflate.DeflateParams(False, True, 8, 8),
)
BUDGETS = (64, 1024, 16384, 65536)
_TAIL = b"\x00\x00\xff\xff"


def _negotiation(options: int, text: str) -> None:
    offer = OFFERS[(options >> 2) & 7]
    try:
        params = deflate.negotiate(offer, text)
    except deflate.NegotiationError:
        return
    if params is None:
        if deflate.parse_extension_header(text):
            raise Crash("negotiate returned None for a non-empty answer")
        return
    offered = {}
    for name, values in deflate.parse_extension_header(offer):
        if name == deflate.EXTENSION_NAME:
            offered = dict(values)
            break
    for name in ("server_max_window_bits", "client_max_window_bits"):
        bits = getattr(params, name)
        limit = offered.get(name)
        if not 8 <= bits <= 15 or (limit is not None and bits > int(limit)):
            raise Crash(f"{name}={bits} outside the offer {offer!r}")
    if "client_no_context_takeover" in offered and not params.client_no_context_takeover:
        raise Crash("client_no_context_takeover offered but not in the parameters")
    again = deflate.negotiate(offer, params.response_header())
    if again != params:
        raise Crash(f"{params!r} -> {params.response_header()!r} -> {again!r}")


def _messages(data: bytes) -> list[list[bytes]]:
    """Frames separated by ``ff 00``; a frame ending in ``01`` (removed) ends its message."""
    messages: list[list[bytes]] = [[]]
    for piece in data.split(b"\xff\x00"):
        ends = piece.endswith(b"\x01")
        messages[-1].append(piece[:-1] if ends else piece)
        if ends:
            messages.append([])
    if not messages[-1]:
        messages.pop()
    return messages


def _inflation(options: int, data: bytes) -> None:
    params = PARAMS[(options >> 2) & 3]
    budget = BUDGETS[(options >> 4) & 3]
    server = bool(options & 0x40)
    ours = deflate.Decompressor(params, server=server)
    # zlib's own reading of the same bytes, with the same window and context rule.
    bits = max(9, params.client_max_window_bits if server else params.server_max_window_bits)
    reset = params.client_no_context_takeover if server else params.server_no_context_takeover
    ref: Any = zlib.decompressobj(-bits)
    for frames in _messages(data):
        left = budget
        for i, frame in enumerate(frames):
            last = i == len(frames) - 1
            try:
                out = ours.decompress(frame, last, left)
            except FrameError as exc:
                if (exc.code, exc.status) not in ((1009, Cr.NS_ERROR_FILE_TOO_BIG),
                                                  (1002, Cr.NS_ERROR_INVALID_CONTENT_ENCODING)):
                    raise Crash(f"undocumented inflate failure {exc.code} {exc.status:#x}") from None
                return  # the connection fails here: nothing after it is read
            if len(out) > left:
                raise Crash(f"{len(out)} bytes inflated with {left} left in the budget")
            left -= len(out)
            if ref.eof:
                expected = b""  # a BFINAL block ended this message's stream: the rest is ignored
            else:
                try:
                    expected = ref.decompress(frame + (_TAIL if last else b""), budget + 1)
                except zlib.error:
                    raise Crash("zlib rejects what the decompressor accepted") from None
            if expected != out:
                raise Crash(f"inflated {out[:60]!r}... ({len(out)}) but zlib gives {expected[:60]!r}... "
                            f"({len(expected)})")
        if reset or ref.eof:  # a finished stream: the next message starts a new one
            ref = zlib.decompressobj(-bits)


def _round_trip(options: int, data: bytes) -> None:
    params = PARAMS[(options >> 2) & 3]
    server = bool(options & 0x40)
    comp = deflate.Compressor(params, server=server)
    decomp = deflate.Decompressor(params, server=not server)
    if not comp.enabled:
        return
    for frames in _messages(data):
        for i, frame in enumerate(frames):
            last = i == len(frames) - 1
            wire = comp.compress(frame, last)
            back = decomp.decompress(wire, last, len(frame))
            if back != frame:
                raise Crash(f"round trip under {params!r}: {frame[:40]!r} -> {back[:40]!r}")


def one_input(data: bytes) -> None:
    if not data:
        return
    options, rest = data[0], data[1:]
    mode = options & 3
    if mode == 0:
        _negotiation(options, rest.decode("latin-1"))
    elif mode == 1:
        _inflation(options, rest)
    elif mode == 2:
        _round_trip(options, rest)


def memory_bound(data: bytes) -> int:
    return (1 << 20) + 64 * len(data)


def seeds() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    answers = (
        "permessage-deflate",
        "permessage-deflate; client_max_window_bits=10",
        "permessage-deflate; server_max_window_bits=9; client_max_window_bits",
        'permessage-deflate; server_no_context_takeover; client_max_window_bits="12"',
        "permessage-deflate; client_no_context_takeover, ",
        "PerMessage-Deflate; SERVER_MAX_WINDOW_BITS=15",
        "permessage-deflate; server_max_window_bits=08",
        'permessage-deflate; x="a\\"b"',
        "",
    )
    for i, answer in enumerate(answers):
        for offer in (0, 3, 4):
            out[f"negotiate-{i}-{offer}"] = bytes((offer << 2,)) + answer.encode("latin-1")
    for p, params in enumerate(PARAMS):
        comp = deflate.Compressor(params, server=True)
        if not comp.enabled:
            comp = deflate.Compressor(deflate.DeflateParams(), server=True)
        msgs = [comp.compress(b"hello " * 30), comp.compress(b"hello again"),
                comp.compress(b"frag", last=False) + b"\xff\x00" + comp.compress(b"ment")]
        out[f"inflate-{p}"] = bytes((1 | p << 2 | 1 << 4,)) + b"\x01\xff\x00".join(msgs) + b"\x01"
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bomb.compress(b"\x00" * (1 << 20)) + bomb.flush(zlib.Z_SYNC_FLUSH)
    out["inflate-bomb"] = bytes((1 | 3 << 4,)) + zeros[:-4] + b"\x01"
    final = zlib.compressobj(6, zlib.DEFLATED, -15)
    out["inflate-bfinal"] = bytes((1 | 1 << 4,)) + final.compress(b"end") + final.flush() + b"\x00\x01"
    out["inflate-garbage"] = bytes((1,)) + b"\xff\xfe\x00\x01"
    for p in range(4):
        out[f"round-trip-{p}"] = (bytes((2 | p << 2 | (p & 1) << 6,)) + b"text " * 50 + b"\x01\xff\x00"
                                  + bytes(range(256)) + b"\xff\x00\x01")
    return out
