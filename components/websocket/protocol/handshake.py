"""The opening handshake (RFC 6455 §4), both sides, over h11; no I/O.

Client (§4.1, §4.2.2)
---------------------

:class:`ClientHandshake` builds the GET request and reads the server's answer
byte by byte until the response head is complete; it performs no I/O.  The
answer is one of

* :class:`Accepted`: a valid ``101 Switching Protocols``; ``leftover`` holds
  any bytes after the head (frames can share the packet with the 101) and
  must be fed to the :class:`~.connection.Connection` first;
* :class:`Redirect`: 301/302/303/307/308 with a ``Location`` (the driver
  decides whether to follow it);
* :class:`HandshakeError` raised with ``status``: NS_ERROR_WEBSOCKET_CONNECTION_REFUSED
  when there is no valid HTTP/1.1 101 at all (unparseable response, HTTP/1.0,
  any other status, head over the size bound, EOF), NS_ERROR_ILLEGAL_VALUE when
  a 101 arrives that breaks the WebSocket rules (Upgrade/Connection tokens,
  Sec-WebSocket-Accept, a subprotocol or extension we did not offer).

The response head is bounded: h11's ``max_incomplete_event_size`` caps its
size (16 KiB by default) and at most ``max_headers`` header lines are taken.

Server (§4.2)
-------------

:class:`ServerHandshake` reads the client's request the same way (h11 as the
server-side parser, the head bounded alike) and returns an
:class:`OpeningRequest` -- target, headers, key, offered subprotocols and
extensions, and ``leftover``: frames the client sent right behind its request,
to be fed to a server-role :class:`~.connection.Connection` first.  A request
that is not a valid WebSocket opening raises :class:`RequestRejected` carrying
the HTTP status to answer with; :meth:`ServerHandshake.reject` builds that
answer (426 with ``Sec-WebSocket-Version: 13`` for a version we do not speak,
§4.4) and :meth:`ServerHandshake.accept` the ``101 Switching Protocols``, with
``Sec-WebSocket-Accept`` from :func:`accept_value` and the chosen subprotocol.
The server side negotiates no extension by itself: the caller chooses from
``OpeningRequest.extensions`` and passes the agreed header value to ``accept``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Final

import h11

from components.results import Cr
from components.websocket.protocol.deflate import DeflateParams, NegotiationError, negotiate

__all__ = [
    "WEBSOCKET_GUID",
    "ClientHandshake",
    "Accepted",
    "Redirect",
    "ResponseHead",
    "HandshakeError",
    "ServerHandshake",
    "OpeningRequest",
    "RequestRejected",
    "accept_value",
    "REDIRECT_STATUSES",
]

WEBSOCKET_GUID: Final = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
_TOKEN_RE: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


# The grammar h11 checks outgoing requests against (RFC 9110 §5.5 field values,
# RFC 9112 §3.2 request-target as h11 accepts it); the template path applies the same.
_FIELD_VALUE_RE: Final = re.compile(rb"(?:[^\x00\s]+(?:[ \t]+[^\x00\s]+)*)?")
_TARGET_RE: Final = re.compile(rb"[\x21-\x7e]+")
# What h11 is told we sent when the request comes from the template: it only tracks
# the method, the body framing and the Upgrade proposal, which are the same.
_TEMPLATE: Final = (
    b"Host: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
    b"Sec-WebSocket-Version: 13\r\n"
)
_REQUEST_STATE: Final = h11.Request(
    method="GET", target="/", headers=[("Host", "h"), ("Upgrade", "websocket"), ("Connection", "Upgrade")]
)


def _ascii(value: str) -> bytes:
    # Like h11's bytesify: non-ASCII text is a ValueError (UnicodeEncodeError).
    return value.encode("ascii")


def accept_value(key: str | bytes) -> str:
    """``Sec-WebSocket-Accept`` for a ``Sec-WebSocket-Key`` (RFC 6455 §4.2.2 step 5.4)."""
    if isinstance(key, str):
        key = key.encode("ascii")
    return base64.b64encode(hashlib.sha1(key + WEBSOCKET_GUID.encode("ascii")).digest()).decode("ascii")


class HandshakeError(Exception):
    """The opening handshake failed; ``status`` is the nsresult for onStop."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Accepted:
    """A valid 101 (RFC 6455 §4.1): the connection is open."""

    subprotocol: str
    extensions: str
    deflate: DeflateParams | None
    leftover: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Redirect:
    """A redirect status with a Location (RFC 9110 §15.4)."""

    status: int
    location: str


@dataclass(frozen=True, slots=True)
class ResponseHead:
    """A response's status, reason phrase and fields (names lower-case), whatever it says.

    :attr:`ClientHandshake.response` keeps it for the driver (observers, Set-Cookie,
    a 401's challenges) even when the answer is a HandshakeError.
    """

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]


def _head_size(conn: h11.Connection, fed: int, head_end: int) -> tuple[int, int]:
    """(where the head h11 just parsed ends, its size) in the bytes fed to it so far.

    h11 enforces ``max_incomplete_event_size`` only on a head still incomplete, so a head
    over the bound that arrives in one read would pass: the bound is checked here as well,
    and a head is refused by its size whatever the reads were.
    """
    end = fed - len(conn.trailing_data[0])
    return end, end - head_end


def _refused(message: str) -> HandshakeError:
    return HandshakeError(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED, message)


def _illegal(message: str) -> HandshakeError:
    return HandshakeError(Cr.NS_ERROR_ILLEGAL_VALUE, message)


def _tokens(values: Iterable[str]) -> list[str]:
    return [t.strip().lower() for v in values for t in v.split(",") if t.strip()]


class ClientHandshake:
    """Builds the opening request and validates the response (RFC 6455 §4.1).

    *host* is the Host header value (``host[:port]``, port omitted when it is
    the scheme default), *resource* the request target (path and query),
    *protocols* the subprotocols to offer, *extensions* the
    Sec-WebSocket-Extensions offer (e.g. :func:`.deflate.deflate_offer`) or None.
    """

    def __init__(
        self,
        host: str,
        resource: str = "/",
        *,
        origin: str = "",
        protocols: Sequence[str] = (),
        extensions: str | None = None,
        extra_headers: Sequence[tuple[str, str]] = (),
        key: str | None = None,
        max_head_size: int = 16384,
        max_headers: int = 128,
    ) -> None:
        if not host:
            raise ValueError("a Host is required")
        if not resource.startswith("/"):
            raise ValueError("the resource must start with '/'")
        protocols = list(protocols)
        for p in protocols:
            if not _TOKEN_RE.fullmatch(p):
                raise ValueError(f"subprotocol {p!r} is not an HTTP token")  # RFC 6455 §4.1 item 10
        if len(set(protocols)) != len(protocols):
            raise ValueError("duplicate subprotocol")
        self.host = host
        self.resource = resource
        self.origin = origin
        self.protocols = protocols
        self.extensions = extensions or None
        self.extra_headers = list(extra_headers)
        self.key = key if key is not None else base64.b64encode(os.urandom(16)).decode("ascii")
        self.max_headers = max_headers
        self.max_head_size = max_head_size
        self._h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=max_head_size)
        self._fed = self._head_end = 0  # bytes given to h11; where the last head it parsed ended
        self._done = False
        #: The final response head (the 101 or the refusal) once it has arrived.
        self.response: ResponseHead | None = None

    def request(self) -> bytes:
        """The bytes of the GET request (RFC 6455 §4.1, client requirements 1–12)."""
        # The request is a fixed template and the extra fields: written by us (h11's
        # event construction and per-header validation cost ~20 µs, about a third of
        # a loopback connection's handshake CPU) after checking every name and value
        # against the same HTTP grammar h11 applies (extra values may be Latin-1, as
        # h11 gives response values to us).  h11 still parses the response, so it is
        # told about the request with a prebuilt event that has the same
        # framing-relevant content (GET, no body, an Upgrade proposal).
        target = _ascii(self.resource)
        if _TARGET_RE.fullmatch(target) is None:
            raise ValueError(f"cannot build the handshake request: illegal target {self.resource!r}")
        values = [_ascii(self.host), _ascii(self.key)]
        template = _TEMPLATE
        if self.origin:
            values.append(_ascii(self.origin))
            template += b"Origin: %s\r\n"
        if self.protocols:
            values.append(", ".join(self.protocols).encode("ascii"))
            template += b"Sec-WebSocket-Protocol: %s\r\n"
        if self.extensions:
            values.append(_ascii(self.extensions))
            template += b"Sec-WebSocket-Extensions: %s\r\n"
        for value in values:
            if _FIELD_VALUE_RE.fullmatch(value) is None:
                raise ValueError(f"cannot build the handshake request: illegal header value {value!r}")
        data = b"GET %s HTTP/1.1\r\n" % target + template % tuple(values)
        for name, text in self.extra_headers:
            value = text.encode("latin-1")
            if _TOKEN_RE.fullmatch(name) is None or _FIELD_VALUE_RE.fullmatch(value) is None:
                raise ValueError(f"cannot build the handshake request: illegal header {name!r}: {text!r}")
            data += b"%s: %s\r\n" % (name.encode("ascii"), value)
        data += b"\r\n"
        self._h11.send(_REQUEST_STATE)
        self._h11.send(h11.EndOfMessage())
        return data

    def _request_via_h11(self) -> bytes:
        headers = [
            ("Host", self.host),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", self.key),
            ("Sec-WebSocket-Version", "13"),
            *self._offers(),
            *self.extra_headers,
        ]
        try:
            data = self._h11.send(h11.Request(method="GET", target=self.resource, headers=headers))
            data += self._h11.send(h11.EndOfMessage()) or b""
        except h11.LocalProtocolError as exc:
            raise ValueError(f"cannot build the handshake request: {exc}") from None
        return data or b""

    def receive_data(self, data: bytes) -> Accepted | Redirect | None:
        """Feed response bytes; ``None`` until the response head is complete.

        Raises HandshakeError (see the module docs).
        """
        if self._done:
            raise RuntimeError("the handshake is already complete")
        if not data:
            return None  # h11 reads b"" as EOF; ours is receive_eof()
        try:
            self._fed += len(data)
            self._h11.receive_data(data)
            while True:
                event = self._h11.next_event()
                if event is h11.NEED_DATA:
                    return None
                if isinstance(event, h11.InformationalResponse | h11.Response):
                    self._head_end, size = _head_size(self._h11, self._fed, self._head_end)
                    if size > self.max_head_size:
                        self._done = True
                        raise _refused(f"response head over {self.max_head_size} bytes")
                if isinstance(event, h11.InformationalResponse):
                    if event.status_code == 101:
                        self._done = True
                        return self._accept(event)
                    continue  # 1xx other than 101: wait for the final answer
                if isinstance(event, h11.Response):
                    self._done = True
                    return self._not_upgraded(event)
                raise _refused(f"unexpected HTTP event {type(event).__name__}")
        except h11.RemoteProtocolError as exc:
            self._done = True
            raise _refused(f"invalid HTTP response: {exc}") from None

    def receive_eof(self) -> None:
        """The server closed before a complete response: always a HandshakeError."""
        self._done = True
        raise _refused("connection closed before the handshake response was complete")

    def _headers(self, event: h11.InformationalResponse | h11.Response) -> list[tuple[str, str]]:
        if len(event.headers) > self.max_headers:
            raise _refused(f"more than {self.max_headers} response headers")
        headers = [(name.decode("ascii"), value.decode("latin-1")) for name, value in event.headers]
        self.response = ResponseHead(event.status_code, event.reason.decode("latin-1"), tuple(headers))
        return headers

    def _not_upgraded(self, event: h11.Response) -> Redirect:
        return _redirect_or_refused(event.status_code, self._headers(event), "101")

    def _accept(self, event: h11.InformationalResponse) -> Accepted:
        """The checks of RFC 6455 §4.1 (client requirements for the response, 1–6)."""
        if event.http_version != b"1.1":
            raise _refused(f"HTTP/{event.http_version.decode('ascii', 'replace')} 101 is not acceptable")
        headers = self._headers(event)

        def values(name: str) -> list[str]:
            return [v for n, v in headers if n == name]

        if "websocket" not in _tokens(values("upgrade")):
            raise _illegal("response Upgrade header lacks 'websocket'")
        if "upgrade" not in _tokens(values("connection")):
            raise _illegal("response Connection header lacks 'Upgrade'")
        accepts = values("sec-websocket-accept")
        if len(accepts) != 1 or accepts[0].strip() != accept_value(self.key):
            raise _illegal("wrong or missing Sec-WebSocket-Accept")
        leftover, _closed = self._h11.trailing_data
        return self._negotiated(headers, bytes(leftover))

    def _negotiated(self, headers: list[tuple[str, str]], leftover: bytes) -> Accepted:
        """The subprotocol and extension checks shared by HTTP/1.1 and HTTP/2 (RFC 6455
        §4.1 items 5-6): only what we offered may be chosen."""

        def values(name: str) -> list[str]:
            return [v for n, v in headers if n == name]

        subprotocol = ""
        chosen = values("sec-websocket-protocol")
        if self.protocols and chosen:
            if len(chosen) != 1 or chosen[0].strip() not in self.protocols:
                raise _illegal(f"server chose a subprotocol we did not offer: {', '.join(chosen)!r}")
            subprotocol = chosen[0].strip()

        extensions = ", ".join(v.strip() for v in values("sec-websocket-extensions") if v.strip())
        deflate: DeflateParams | None = None
        if extensions:
            if not self.extensions:
                raise _illegal(f"server accepted extensions we did not offer: {extensions!r}")
            try:
                deflate = negotiate(self.extensions, extensions)
            except NegotiationError as exc:
                raise _illegal(f"bad Sec-WebSocket-Extensions: {exc}") from None
        return Accepted(subprotocol, extensions, deflate, leftover, tuple(headers))

    # -- over HTTP/2 (RFC 8441) -------------------------------------------------------------------
    #
    # The same offers and the same rules for the answer; what changes is the envelope: an
    # extended CONNECT on a stream instead of a GET with Upgrade, a 2xx instead of the 101,
    # and no key/accept pair (the stream itself is proof that the server understood).

    def connect_headers(self) -> list[tuple[str, str]]:
        """The extended CONNECT's header block (RFC 8441 §4-5): pseudo-headers first, then
        ``sec-websocket-version: 13``, Origin, the subprotocol and extension offers and the
        extra headers, names lower-cased (RFC 9113 §8.2.1).  What HTTP/2 forbids or replaces
        is left out: Host (``:authority`` carries it), the connection-specific fields and the
        key.  ValueError for a value the HTTP field grammar refuses."""
        target = _ascii(self.resource)
        if _TARGET_RE.fullmatch(target) is None:
            raise ValueError(f"cannot build the handshake request: illegal target {self.resource!r}")
        headers = [
            (":method", "CONNECT"),
            (":protocol", "websocket"),
            (":scheme", "https"),
            (":path", self.resource),
            (":authority", self.host),
            ("sec-websocket-version", "13"),
            *((name.lower(), value) for name, value in self._offers()),
        ]
        for name, value in self.extra_headers:
            name = name.lower()
            if name not in _NOT_OVER_H2:
                headers.append((name, value))
        for name, value in headers[4:]:
            if (name != ":authority" and _TOKEN_RE.fullmatch(name) is None) or (
                _FIELD_VALUE_RE.fullmatch(_ascii(value)) is None
            ):
                raise ValueError(f"cannot build the handshake request: illegal header {name!r}: {value!r}")
        return headers

    def _offers(self) -> list[tuple[str, str]]:
        """Origin and what we offer (subprotocols, extensions), as request fields."""
        fields = []
        if self.origin:
            fields.append(("Origin", self.origin))
        if self.protocols:
            fields.append(("Sec-WebSocket-Protocol", ", ".join(self.protocols)))
        if self.extensions:
            fields.append(("Sec-WebSocket-Extensions", self.extensions))
        return fields

    def receive_h2_response(self, status: int, headers: Sequence[tuple[str, str]]) -> Accepted | Redirect:
        """The answer to :meth:`connect_headers` (names lower-case, pseudo-headers allowed
        and ignored): a 2xx is :class:`Accepted` after the subprotocol and extension checks;
        redirects as over HTTP/1.1; anything else raises HandshakeError (refused)."""
        if self._done:
            raise RuntimeError("the handshake is already complete")
        self._done = True
        if len(headers) > self.max_headers:
            raise _refused(f"more than {self.max_headers} response headers")
        fields = [(n, v) for n, v in headers if not n.startswith(":")]
        self.response = ResponseHead(status, "", tuple(fields))  # (HTTP/2 has no reason phrase)
        if 200 <= status < 300:
            return self._negotiated(fields, b"")
        return _redirect_or_refused(status, fields, "a 2xx to the extended CONNECT")


#: Request fields that do not go into the extended CONNECT (RFC 9113 §8.2.2, RFC 8441 §5).
_NOT_OVER_H2: Final = frozenset({
    "host", "connection", "upgrade", "keep-alive", "proxy-connection", "transfer-encoding", "te",
    "sec-websocket-key", "sec-websocket-version",
})


def _redirect_or_refused(status: int, headers: list[tuple[str, str]], wanted: str) -> Redirect:
    if status in REDIRECT_STATUSES:
        locations = [v for n, v in headers if n == "location"]
        if len(locations) == 1 and locations[0].strip():
            return Redirect(status, locations[0].strip())
    try:
        phrase = f" {HTTPStatus(status).phrase}"  # what a person reads: "403 Forbidden"
    except ValueError:
        phrase = ""
    raise _refused(f"server answered {status}{phrase} instead of {wanted}")


# -- the server side ------------------------------------------------------------------------------


class RequestRejected(HandshakeError):
    """The client's request is not a valid opening handshake (RFC 6455 §4.2.1).

    ``http_status`` is the answer to send (:meth:`ServerHandshake.reject`):
    400 for a malformed request, 426 for a WebSocket version we do not
    speak, 431 for a head over the size bound.
    """

    def __init__(self, http_status: int, message: str) -> None:
        super().__init__(Cr.NS_ERROR_ILLEGAL_VALUE, message)
        self.http_status = http_status


@dataclass(frozen=True, slots=True)
class OpeningRequest:
    """A valid opening request (RFC 6455 §4.2.1), as the server received it.

    ``target`` is the request-target (path and query), ``protocols`` the
    offered subprotocols in the client's order of preference, ``extensions``
    the Sec-WebSocket-Extensions offer as one comma-joined value
    (:func:`.deflate.parse_extension_header` reads it), ``headers`` every
    header (names lower-case), ``leftover`` the bytes after the request head.
    """

    target: str
    host: str
    key: str
    origin: str
    protocols: tuple[str, ...]
    extensions: str
    headers: tuple[tuple[str, str], ...]
    leftover: bytes

    @property
    def path(self) -> str:
        """The target without its query."""
        return self.target.split("?", 1)[0]


def _rejected(message: str, status: int = 400) -> RequestRejected:
    return RequestRejected(status, message)


class ServerHandshake:
    """Reads the client's opening request and writes the answer (RFC 6455 §4.2).

    Feed request bytes to :meth:`receive_data` until it returns the
    :class:`OpeningRequest`; then write :meth:`accept` (or :meth:`reject`).
    *max_request_size* bounds the request head (h11's incomplete-event
    limit), *max_headers* the number of header lines.
    """

    def __init__(self, *, max_request_size: int = 16384, max_headers: int = 128) -> None:
        self.max_headers = max_headers
        self.max_request_size = max_request_size
        self._h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=max_request_size)
        self._fed = 0
        self._request: OpeningRequest | None = None
        self._done = False

    @property
    def request(self) -> OpeningRequest | None:
        """The request once :meth:`receive_data` has returned it."""
        return self._request

    def receive_data(self, data: bytes | bytearray) -> OpeningRequest | None:
        """Feed request bytes; ``None`` until the request head is complete.

        Raises :class:`RequestRejected` for a request that is not a valid
        WebSocket opening (answer it with :meth:`reject` and close).
        """
        if self._done:
            raise RuntimeError("the request has already been read")
        if not data:
            return None  # h11 reads b"" as EOF; ours is receive_eof()
        conn = self._h11
        try:
            self._fed += len(data)
            conn.receive_data(bytes(data))
            event = conn.next_event()
            if event is h11.NEED_DATA:
                return None
            self._done = True
            if not isinstance(event, h11.Request):
                raise _rejected(f"unexpected HTTP event {type(event).__name__}")
            if _head_size(conn, self._fed, 0)[1] > self.max_request_size:
                raise _rejected(f"request head over {self.max_request_size} bytes", 431)
            request = self._check(event)  # before reading on: a body is refused, not awaited
            if type(conn.next_event()) is not h11.EndOfMessage:
                raise _rejected("the request has a body")
        except h11.RemoteProtocolError as exc:
            self._done = True
            raise _rejected(f"invalid HTTP request: {exc}", exc.error_status_hint) from None
        leftover, _closed = conn.trailing_data
        self._request = request = replace(request, leftover=bytes(leftover))
        return request

    def receive_eof(self) -> None:
        """The client closed before a complete request: always a HandshakeError."""
        self._done = True
        raise HandshakeError(Cr.NS_BASE_STREAM_CLOSED, "connection closed before the request was complete")

    def _check(self, event: h11.Request) -> OpeningRequest:
        """The server's checks of the client's request (RFC 6455 §4.2.1, items 1-10)."""
        if len(event.headers) > self.max_headers:
            raise _rejected(f"more than {self.max_headers} request headers", 431)
        if event.method != b"GET":
            raise _rejected(f"method {event.method.decode('ascii', 'replace')} instead of GET")  # item 1
        if event.http_version != b"1.1":
            raise _rejected(f"HTTP/{event.http_version.decode('ascii', 'replace')} instead of HTTP/1.1")
        headers = [(name.decode("ascii"), value.decode("latin-1")) for name, value in event.headers]

        def values(name: str) -> list[str]:
            return [v for n, v in headers if n == name]

        if any(n == "transfer-encoding" for n, _ in headers) or any(
            v.strip() != "0" for v in values("content-length")
        ):
            raise _rejected("the request has a body")
        if "websocket" not in _tokens(values("upgrade")):  # item 3
            raise _rejected("request Upgrade header lacks 'websocket'")
        if "upgrade" not in _tokens(values("connection")):  # item 4
            raise _rejected("request Connection header lacks 'Upgrade'")
        keys = values("sec-websocket-key")  # item 5: base64 of 16 bytes
        if len(keys) != 1:
            raise _rejected("missing or repeated Sec-WebSocket-Key")
        key = keys[0].strip()
        try:
            raw = base64.b64decode(key.encode("latin-1"), validate=True)  # non-ASCII: binascii.Error
        except binascii.Error:
            raw = b""
        if len(raw) != 16:
            raise _rejected("Sec-WebSocket-Key is not the base64 of 16 bytes")
        versions = values("sec-websocket-version")  # item 6
        if not versions:
            raise _rejected("missing Sec-WebSocket-Version")
        if [v.strip() for v in versions] != ["13"]:
            raise _rejected(f"unsupported Sec-WebSocket-Version {', '.join(versions)!r}", 426)  # §4.4
        protocols = [p.strip() for v in values("sec-websocket-protocol") for p in v.split(",") if p.strip()]
        for p in protocols:  # item 8: tokens
            if not _TOKEN_RE.fullmatch(p):
                raise _rejected(f"subprotocol {p!r} is not an HTTP token")
        hosts = values("host")  # item 2 (h11 already requires exactly one for HTTP/1.1)
        origins = values("origin")
        return OpeningRequest(
            target=event.target.decode("ascii"),
            host=hosts[0].strip() if hosts else "",
            key=key,
            origin=origins[0].strip() if origins else "",
            protocols=tuple(protocols),
            extensions=", ".join(v.strip() for v in values("sec-websocket-extensions") if v.strip()),
            headers=tuple(headers),
            leftover=b"",
        )

    def accept(
        self,
        *,
        subprotocol: str | None = None,
        extensions: str | None = None,
        extra_headers: Sequence[tuple[str, str]] = (),
    ) -> bytes:
        """The ``101 Switching Protocols`` answer (RFC 6455 §4.2.2, step 5).

        *subprotocol* must be one the client offered (ValueError otherwise;
        None selects none), *extensions* the agreed Sec-WebSocket-Extensions
        value, if any.  Written from a template like the client's request:
        every value is checked against the HTTP field grammar first.
        """
        request = self._request
        if request is None:
            raise RuntimeError("accept() before a valid request was received")
        lines = [
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: %s\r\n" % accept_value(request.key).encode("ascii")
        ]
        if subprotocol is not None:
            if subprotocol not in request.protocols:
                raise ValueError(f"subprotocol {subprotocol!r} was not offered")  # §4.2.2 /subprotocol/
            lines.append(b"Sec-WebSocket-Protocol: %s\r\n" % subprotocol.encode("ascii"))
        fields = list(extra_headers)
        if extensions:
            fields.insert(0, ("Sec-WebSocket-Extensions", extensions))
        for name, value in fields:
            raw_name, raw_value = _ascii(name), _ascii(value)
            if _TOKEN_RE.fullmatch(name) is None or _FIELD_VALUE_RE.fullmatch(raw_value) is None:
                raise ValueError(f"illegal response header {name!r}: {value!r}")
            lines.append(b"%s: %s\r\n" % (raw_name, raw_value))
        lines.append(b"\r\n")
        return b"".join(lines)

    @staticmethod
    def reject(http_status: int = 400) -> bytes:
        """An error answer that ends the connection (RFC 6455 §4.2.2 step 4, §4.4).

        426 carries ``Sec-WebSocket-Version: 13``, the version we understand.
        """
        try:
            phrase = HTTPStatus(http_status).phrase
        except ValueError:
            phrase = "Error"
        head = b"HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n" % (
            http_status, phrase.encode("ascii"),
        )
        if http_status == 426:
            head += b"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        return head + b"\r\n"
