"""permessage-deflate (RFC 7692): the offer, the response check, and the codecs.

Negotiation (RFC 7692 §5, §7.1).  The client offers one configuration (by
default ``permessage-deflate; client_max_window_bits``, meaning "server, you
may limit my window").  :func:`negotiate` checks the server's answer against
what was offered and returns the agreed :class:`DeflateParams`, or raises
:class:`NegotiationError` (the handshake then fails with
NS_ERROR_ILLEGAL_VALUE): an unknown extension, the extension twice, an unknown
or duplicated parameter, a value out of 8–15 or where none is allowed, a
``client_max_window_bits`` we did not offer or larger than we offered.

Compression (RFC 7692 §7.2).  Each message is raw DEFLATE ending in a sync
flush whose trailing ``00 00 FF FF`` is stripped; RSV1 marks the first frame
of a compressed message.  The parameters are named after the side whose
*sending* they govern (RFC 7692 §7.1): a client compresses with
``client_max_window_bits`` and inflates with ``server_max_window_bits``, a
server the other way round (``server=True`` on :class:`Compressor` and
:class:`Decompressor`).  Under ``*_no_context_takeover`` the sender ends every
message with a full flush, which resets the window.  zlib refuses an
8-bit window for raw deflate (older versions silently used 9, producing
back-references a peer that honours the 8 bits may reject), so when we are
limited to 8 bits we send messages uncompressed: RSV1 clear is always
allowed (RFC 7692 §6.1).

Decompression inflates with the peer's window (never less than 9 bits:
a 512-byte window reads any 256-byte-window stream) and is bounded: every
``decompress`` call is given ``max_length`` = what is left of the message
budget plus one, so a decompression bomb is stopped after at most that many
output bytes, never by allocating first and checking later.

zlib objects are created lazily: an idle connection that never sends or
receives a compressed message carries no zlib state (a compressor costs
about 256 KiB, an inflater 32 KiB).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Final

from components.results import Cr
from components.websocket.protocol.frames import FrameError
from components.websocket.protocol.mask import Buffer

__all__ = [
    "EXTENSION_NAME",
    "DeflateParams",
    "NegotiationError",
    "deflate_offer",
    "parse_extension_header",
    "negotiate",
    "Compressor",
    "Decompressor",
]

EXTENSION_NAME: Final = "permessage-deflate"
_TAIL: Final = b"\x00\x00\xff\xff"


@dataclass(frozen=True, slots=True)
class DeflateParams:
    """The agreed permessage-deflate parameters (RFC 7692 §7.1).

    ``client_*`` govern what the client sends, ``server_*`` what the server
    sends, whichever side we are.
    """

    server_no_context_takeover: bool = False
    client_no_context_takeover: bool = False
    server_max_window_bits: int = 15
    client_max_window_bits: int = 15

    def response_header(self) -> str:
        """The Sec-WebSocket-Extensions value a server would send to agree to these."""
        parts = [EXTENSION_NAME]
        if self.server_no_context_takeover:
            parts.append("server_no_context_takeover")
        if self.client_no_context_takeover:
            parts.append("client_no_context_takeover")
        if self.server_max_window_bits != 15:
            parts.append(f"server_max_window_bits={self.server_max_window_bits}")
        if self.client_max_window_bits != 15:
            parts.append(f"client_max_window_bits={self.client_max_window_bits}")
        return "; ".join(parts)


class NegotiationError(ValueError):
    """The server's Sec-WebSocket-Extensions answer is not acceptable (RFC 7692 §5, §7.1)."""


def deflate_offer(
    *,
    client_max_window_bits: int | bool = True,
    server_max_window_bits: int | None = None,
    client_no_context_takeover: bool = False,
    server_no_context_takeover: bool = False,
) -> str:
    """The Sec-WebSocket-Extensions offer for permessage-deflate (RFC 7692 §7.1).

    ``client_max_window_bits=True`` sends the parameter without a value (the
    server may then choose our window); an int sends that limit; False omits it.
    """
    parts = [EXTENSION_NAME]
    if server_no_context_takeover:
        parts.append("server_no_context_takeover")
    if client_no_context_takeover:
        parts.append("client_no_context_takeover")
    if server_max_window_bits is not None:
        _check_bits(server_max_window_bits, ValueError)
        parts.append(f"server_max_window_bits={server_max_window_bits}")
    if client_max_window_bits is True:
        parts.append("client_max_window_bits")
    elif client_max_window_bits is not False:
        _check_bits(client_max_window_bits, ValueError)
        parts.append(f"client_max_window_bits={client_max_window_bits}")
    return "; ".join(parts)


def _check_bits(bits: int, error: type[ValueError]) -> None:
    if not 8 <= bits <= 15:
        raise error(f"window bits must be 8..15, got {bits}")


# RFC 7230 §3.2.6 token and quoted-string; RFC 6455 §9.1 extension grammar.
_TOKEN: Final = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED: Final = r'"(?:[^"\\]|\\.)*"'
_PARAM_RE: Final = re.compile(rf"\s*({_TOKEN})\s*(?:=\s*({_TOKEN}|{_QUOTED})\s*)?")
_TOKEN_RE: Final = re.compile(_TOKEN)

Extension = tuple[str, list[tuple[str, str | None]]]


def parse_extension_header(value: str) -> list[Extension]:
    """Parse a Sec-WebSocket-Extensions value (RFC 6455 §9.1).

    Returns ``[(name, [(param, value or None), ...]), ...]``; quoted values are
    unquoted (RFC 7692 §7.1: the unquoted value must still be a token).  Raises
    NegotiationError on bad syntax.
    """
    extensions: list[Extension] = []
    for item in _split_outside_quotes(value, ","):
        if not item.strip():
            continue  # RFC 7230 §7: empty list elements are allowed
        pieces = _split_outside_quotes(item, ";")
        name = pieces[0].strip()
        if not _TOKEN_RE.fullmatch(name):
            raise NegotiationError(f"bad extension name {name!r}")
        params: list[tuple[str, str | None]] = []
        for piece in pieces[1:]:
            match = _PARAM_RE.fullmatch(piece)
            if match is None:
                raise NegotiationError(f"bad extension parameter {piece.strip()!r}")
            pname, pvalue = match.group(1), match.group(2)
            if pvalue is not None and pvalue.startswith('"'):
                pvalue = re.sub(r"\\(.)", r"\1", pvalue[1:-1])
                if not _TOKEN_RE.fullmatch(pvalue):
                    raise NegotiationError(f"bad quoted value for {pname}")
            params.append((pname, pvalue))
        extensions.append((name, params))
    return extensions


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)
    out: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            out.append("".join(current))
            current = []
            continue
        current.append(ch)
    if quoted:
        raise NegotiationError("unterminated quoted string in extension header")
    out.append("".join(current))
    return out


def _bits_value(name: str, value: str | None) -> int:
    if value is None or not value.isdigit() or (len(value) > 1 and value[0] == "0"):
        raise NegotiationError(f"{name} needs a value 8..15, got {value!r}")
    bits = int(value)
    _check_bits(bits, NegotiationError)
    return bits


def negotiate(offer: str, response: str) -> DeflateParams | None:
    """Check the server's Sec-WebSocket-Extensions *response* against *offer* (RFC 7692 §7.1).

    Returns the agreed DeflateParams, or None when the server declined
    (empty response).  Raises NegotiationError for anything unacceptable.
    """
    accepted = parse_extension_header(response)
    if not accepted:
        return None
    offered = {name: params for name, params in parse_extension_header(offer)}
    if len(accepted) > 1:
        raise NegotiationError("more than one extension in the response")
    name, params = accepted[0]
    if name.lower() != EXTENSION_NAME or EXTENSION_NAME not in offered:
        raise NegotiationError(f"server accepted an extension we did not offer: {name!r}")
    offered_params = dict(offered[EXTENSION_NAME])
    seen: set[str] = set()
    server_nct = client_nct = False
    server_bits = client_bits = 15
    for pname, pvalue in params:
        key = pname.lower()
        if key in seen:
            raise NegotiationError(f"duplicate parameter {pname}")
        seen.add(key)
        if key == "server_no_context_takeover":
            if pvalue is not None:
                raise NegotiationError("server_no_context_takeover takes no value")
            server_nct = True
        elif key == "client_no_context_takeover":
            if pvalue is not None:
                raise NegotiationError("client_no_context_takeover takes no value")
            client_nct = True
        elif key == "server_max_window_bits":
            server_bits = _bits_value(pname, pvalue)
            limit = offered_params.get("server_max_window_bits")
            if limit is not None and server_bits > int(limit):
                raise NegotiationError("server_max_window_bits larger than offered")
        elif key == "client_max_window_bits":
            if "client_max_window_bits" not in offered_params:
                raise NegotiationError("client_max_window_bits in the response but not in the offer")
            client_bits = _bits_value(pname, pvalue)
            limit = offered_params["client_max_window_bits"]
            if limit is not None and client_bits > int(limit):
                raise NegotiationError("client_max_window_bits larger than offered")
        else:
            raise NegotiationError(f"unknown permessage-deflate parameter {pname}")
    if "server_no_context_takeover" in offered_params and not server_nct:
        # RFC 7692 §7.1.1.1: the server must not decline this request and still accept.
        raise NegotiationError("server ignored our server_no_context_takeover")
    if "server_max_window_bits" in offered_params and "server_max_window_bits" not in seen:
        raise NegotiationError("server ignored our server_max_window_bits")  # §7.1.2.1
    if "client_no_context_takeover" in offered_params:
        client_nct = True  # §7.1.1.2: we promised it whatever the server says
    if client_bits == 15 and offered_params.get("client_max_window_bits") is not None:
        client_bits = int(offered_params["client_max_window_bits"] or 15)
    return DeflateParams(server_nct, client_nct, server_bits, client_bits)


class Compressor:
    """Compresses outgoing messages (RFC 7692 §7.2.1) under our side's parameters.

    The client's (``client_*``) by default; the server's when *server* is true.
    """

    __slots__ = ("_bits", "_reset", "_level", "_mem_level", "_obj", "enabled")

    def __init__(
        self, params: DeflateParams, level: int = 6, mem_level: int = 8, *, server: bool = False
    ) -> None:
        if server:
            self._bits = params.server_max_window_bits
            self._reset = params.server_no_context_takeover
        else:
            self._bits = params.client_max_window_bits
            self._reset = params.client_no_context_takeover
        self._level = level
        self._mem_level = mem_level
        self._obj: zlib._Compress | None = None
        #: False when messages must go out uncompressed (8-bit window, see module docs).
        self.enabled = self._bits >= 9

    def _compressor(self) -> zlib._Compress:
        obj = self._obj
        if obj is None:
            obj = self._obj = zlib.compressobj(self._level, zlib.DEFLATED, -self._bits, self._mem_level)
        return obj

    def compress(self, data: Buffer, last: bool = True) -> bytes:
        """Compress one message, or one fragment of it when *last* is false.

        Fragments of a message go through the same stream; each is sync-flushed
        so it can be sent at once, and only the message's end loses its
        ``00 00 FF FF`` (RFC 7692 §7.2.1).
        """
        obj = self._compressor()
        # Under no_context_takeover the message ends with a full flush: it
        # emits the same 00 00 FF FF ending and forgets the window, so the next
        # message cannot refer back, at about 2 us instead of the 80 us a fresh
        # compressobj costs.
        mode = zlib.Z_FULL_FLUSH if last and self._reset else zlib.Z_SYNC_FLUSH
        out = obj.compress(data) + obj.flush(mode)
        if last and out.endswith(_TAIL):
            out = out[:-4]
        return out


class Decompressor:
    """Inflates incoming messages (RFC 7692 §7.2.2) with a hard output cap.

    Under the peer's parameters: the server's (``server_*``) by default, the
    client's when *server* is true (we are the server, the client sends).
    """

    __slots__ = ("_bits", "_reset", "_obj")

    def __init__(self, params: DeflateParams, *, server: bool = False) -> None:
        if server:
            self._bits = max(9, params.client_max_window_bits)
            self._reset = params.client_no_context_takeover
        else:
            self._bits = max(9, params.server_max_window_bits)
            self._reset = params.server_no_context_takeover
        self._obj: zlib._Decompress | None = None

    def decompress(self, data: Buffer, last: bool, limit: int) -> bytes:
        """Inflate one frame's payload of a compressed message.

        *limit* is how many output bytes the message may still produce;
        exceeding it raises FrameError 1009 / NS_ERROR_FILE_TOO_BIG without
        producing more than ``limit + 1`` bytes.  Corrupt data raises
        FrameError 1002 / NS_ERROR_INVALID_CONTENT_ENCODING.
        """
        obj = self._obj
        if obj is None:
            obj = self._obj = zlib.decompressobj(-self._bits)
        try:
            if last and len(data) <= 65536:
                # One call for the common small message: payload and tail together.
                out = obj.decompress(bytes(data) + _TAIL, limit + 1)
                if len(out) > limit:
                    raise _too_big()
            else:
                out = obj.decompress(data, limit + 1) if len(data) else b""
                if len(out) > limit:
                    raise _too_big()
                if last:
                    more = obj.decompress(_TAIL, limit + 1 - len(out))
                    if more:
                        out += more
                        if len(out) > limit:
                            raise _too_big()
            # Output below max_length means all input was consumed: no unconsumed_tail.
            if obj.eof:
                # A BFINAL block ended the stream.  What follows may only be the first
                # byte of the empty stored block the sender appended (RFC 7692 §7.2.1,
                # the example of §7.2.3.4), then our own tail.
                rest = obj.unused_data
                if last and rest.endswith(_TAIL):
                    rest = rest[:-4]
                if len(rest) > 1 or rest.strip(b"\x00"):
                    raise _bad_stream("data after the end of the deflate stream")
            if last and (self._reset or obj.eof):
                self._obj = None  # no context takeover, or a finished stream: start afresh
        except zlib.error as exc:
            self._obj = None
            raise _bad_stream(f"inflate failed: {exc}") from None
        return out


def _too_big() -> FrameError:
    return FrameError(1009, Cr.NS_ERROR_FILE_TOO_BIG, "inflated message exceeds the size limit")


def _bad_stream(reason: str) -> FrameError:
    return FrameError(1002, Cr.NS_ERROR_INVALID_CONTENT_ENCODING, reason)
