"""The opener: from a URI to an open transport and an accepted handshake.

Theory of operation
-------------------
One hop is resolve -> admission -> connect -> TLS -> handshake; a redirect starts
the next hop at its target, up to :data:`MAX_REDIRECTS`.  What each step owns:

* resolving and connecting are the transport module's (with its fast paths: an IP
  literal needs no resolver pass, a connect the kernel finished needs no wait);
* admission is :mod:`.admission`'s: one connection attempt per address at a time,
  and failed attempts to the same host/port/path delayed, as Firefox does;
* the handshake's bytes and rules are the core's :class:`ClientHandshake`; this
  module only moves them between it and the transport.

Every failure is an :class:`OpenFailed` carrying the nsresult that onStop will
report: nothing else escapes (cancellation aside: the channel's open deadline and
close() cancel the open from outside).  A transport that an attempt opened is
closed before the attempt's error leaves it.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

import trio

from components.proxy.info import as_proxy_info
from components.proxy.service import proxy_service
from components.results import Cr, XPCOMError
from components.websocket import admission
from components.websocket.httpchannel import HandshakeChannel, HandshakeRequests
from components.websocket.protocol.deflate import deflate_offer
from components.websocket.protocol.handshake import Accepted, ClientHandshake, HandshakeError, Redirect
from components.websocket.transport import (
    StreamTransport,
    Transport,
    TransportClosed,
    connect_tcp,
    default_ssl_context,
    resolve,
    start_tls,
)

if TYPE_CHECKING:
    from components.websocket import http2

__all__ = ["MAX_HANDSHAKE_BYTES", "MAX_REDIRECTS", "OpenFailed", "OpenRequest", "Opened", "open_websocket"]

#: Redirect hops followed before the open fails.
MAX_REDIRECTS: Final = 10
#: Upper bound on the bytes of a handshake response we accept before giving up.
MAX_HANDSHAKE_BYTES: Final = 65536

_REFUSED: Final = Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED
_DEFAULT_PORT: Final = {"ws": 80, "wss": 443}
#: What a redirect's scheme means for a WebSocket (an http: Location is the ws: one).
_REDIRECT_SCHEME: Final = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}


class OpenFailed(Exception):
    """The open failed with *status* (the nsresult for onStop)."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status


@dataclass(slots=True)
class OpenRequest:
    """What the channel asks for, fixed at asyncOpen."""

    uri: Any
    origin: str = ""
    protocols: list[str] = field(default_factory=list)
    deflate: bool = True
    ssl_context: ssl.SSLContext | None = None
    delay_failed: bool = True
    #: The nsIWebSocketChannel opening (for prompts: its notificationCallbacks).
    channel: Any = None
    #: The hops' HTTP requests: headers, cookies, credentials, observers (None: bare requests).
    http: HandshakeRequests | None = None
    #: network.http.http2.websockets: offer h2 and open over HTTP/2 where allowed (RFC 8441).
    http2: bool = True
    #: The channel's own proxy choice (its ``proxyInfo``); None: the protocol proxy service's,
    #: asked at every hop.  A "direct" proxy info means no proxy.
    proxy: Any = None


@dataclass(slots=True)
class Opened:
    """An open connection: the transport, the server's acceptance, the URI that answered."""

    transport: Transport
    accepted: Accepted
    uri: Any
    #: The proxy the connection goes through (None: direct).
    proxy: Any = None


async def open_websocket(request: OpenRequest) -> Opened:
    """Open *request.uri*, following redirects (RFC 6455 §4.1, §4.2.2 item 3)."""
    uri = request.uri
    redirects = 0
    while True:
        result = await _attempt(request, uri)
        if isinstance(result, Opened):
            return result
        if result is None:
            continue  # a 401 we can answer (once per origin): the same URI, with credentials
        redirects += 1
        if redirects > MAX_REDIRECTS:
            raise OpenFailed(_REFUSED, f"more than {MAX_REDIRECTS} redirects")
        uri = redirect_target(uri, result)


async def _attempt(request: OpenRequest, uri: Any) -> Opened | Redirect | None:
    """One hop: resolve, admission, connect, TLS, handshake; None: try *uri* again.

    The hop's HTTP side (request headers, cookies, credentials, the observers) is
    :mod:`.httpchannel`'s: asked for the request before the handshake, told the
    response head after it, and asked after a 401 whether to try again.
    """
    host = uri.asciiHost
    port = uri.port if uri.port != -1 else _DEFAULT_PORT[uri.scheme]
    proxy = _proxy_for(request, uri)
    if proxy is None:
        try:
            infos = await resolve(host, port)
        except OSError as e:
            raise OpenFailed(_REFUSED, f"no such host {host} ({e.strerror or e})") from e
        address = str(infos[0][4][0])
    else:
        # Through a proxy the origin is not resolved here, and admission is keyed by its
        # name (Firefox's rule): the proxy knows the address, we do not.
        infos, address = [], host
    fail_key = (host, port, uri.pathQueryRef or "/")
    async with admission.current().connecting(address, fail_key, delay_failed=request.delay_failed) as adm:
        transport: Transport | None = None
        http = request.http
        hop = http.begin(uri) if http is not None else None
        hs: ClientHandshake | None = None
        try:
            hs = _client_handshake(request, uri, host, port, hop)
            link = False if proxy is not None else _pooled(request, uri, host, port)
            # A live HTTP/2 connection to the origin: the channel is a new stream on it
            # (None: the server refused the stream unprocessed; a new connection, as Firefox).
            pooled = await _h2_handshake(link, hs, fresh=False) if link else None
            if pooled is not None:
                transport, result = pooled
            else:
                if proxy is None:
                    tcp = await _connect(infos, host, port)
                else:
                    tcp, proxy = await _tunnel(proxy, request, host, port, hop)
                if uri.scheme == "wss":
                    transport, result = await _secure(
                        tcp, infos, request, hs, host, port, offer_h2=link is not False
                    )
                else:
                    transport = tcp
                    result = await _handshake(transport, hs)
        except OpenFailed:
            if http is not None and hop is not None and hs is not None:
                http.examine(hop, hs.response)
                if http.answer_challenge(hop):
                    if transport is not None:
                        await transport.abort()
                    return None
            adm.failed()
            if transport is not None:
                await transport.abort()
            raise
        except BaseException:
            if transport is not None:
                await transport.abort()
            raise
        if http is not None and hop is not None:
            http.examine(hop, hs.response)
        if isinstance(result, Redirect):
            await transport.abort()
            return result
        adm.succeeded()
        return Opened(transport, result, uri, proxy)


def _proxy_for(request: OpenRequest, uri: Any) -> Any:
    """The proxy for this hop (a components.proxy.ProxyInfo), or None for a direct connection."""
    try:
        chosen = request.proxy if request.proxy is not None else proxy_service().resolve(uri, 0)
        info = as_proxy_info(chosen)
    except XPCOMError as e:
        raise OpenFailed(Cr.NS_ERROR_UNKNOWN_PROXY_HOST, f"no usable proxy configuration: {e.message}") from e
    return None if info is None or info.type == "direct" else info


async def _tunnel(
    proxy: Any, request: OpenRequest, host: str, port: int, hop: HandshakeChannel | None
) -> tuple[Transport, Any]:
    """A connection to *host*:*port* through *proxy* (see :mod:`.tunnel`), and the proxy used.

    The CONNECT carries the hop's User-Agent, as Firefox's does (some proxies filter on it).
    """
    from components.proxy.status import ProxyError
    from components.websocket.tunnel import open_tunnel

    context = request.ssl_context or default_ssl_context()
    try:
        agent = hop.getRequestHeader("User-Agent") if hop is not None else ""
    except XPCOMError:
        agent = ""  # (the host removed it)
    try:
        return await open_tunnel(
            proxy, host, port, context=context, channel=request.channel, user_agent=agent
        )
    except ProxyError as e:
        raise OpenFailed(e.status, e.message) from e


def _connect_failure(host: str, port: int, error: OSError) -> str:
    """What a failed TCP connect says to a person (the CLI prints it)."""
    if isinstance(error, ConnectionRefusedError):
        return f"connection refused by {host}:{port}"
    return f"cannot connect to {host}:{port}: {error.strerror or error}"


async def _tls(tcp: Any, context: ssl.SSLContext, host: str, alpn: tuple[str, ...]) -> StreamTransport:
    try:
        return await start_tls(tcp.stream, context, host, alpn)
    except (trio.BrokenResourceError, ssl.SSLError, OSError) as e:
        raise OpenFailed(
            Cr.NS_ERROR_NET_INADEQUATE_SECURITY, f"TLS handshake failed: {_tls_failure(e)}"
        ) from e


def _tls_failure(error: BaseException) -> str:
    """What went wrong in TLS, for a person: trio wraps the SSLError, whose verify message
    ("certificate has expired", "Hostname mismatch ...") is the useful part."""
    seen: BaseException | None = error
    while seen is not None and not isinstance(seen, ssl.SSLError):
        seen = seen.__cause__ or seen.__context__
    if isinstance(seen, ssl.SSLCertVerificationError):
        return f"certificate verify failed: {seen.verify_message}"
    if isinstance(seen, ssl.SSLError):
        return str(seen.reason or seen)
    return str(error) or type(error).__name__


def _pooled(request: OpenRequest, uri: Any, host: str, port: int) -> http2.Link | Literal[False] | None:
    """What the pool holds for a wss origin (see :func:`.http2.pooled`); False for ws or
    with the pref off (HTTP/1.1 only)."""
    if uri.scheme != "wss" or not request.http2:
        return False
    from components.websocket import http2  # (h2 is imported only by wss channels that may use it)

    return http2.pooled((host, port, request.ssl_context or default_ssl_context()))


async def _connect(infos: list[Any], host: str, port: int) -> Transport:
    try:
        return await connect_tcp(infos)
    except OSError as e:
        raise OpenFailed(_REFUSED, _connect_failure(host, port, e)) from e


async def _secure(
    tcp: Any, infos: list[Any], request: OpenRequest, hs: ClientHandshake, host: str, port: int,
    *, offer_h2: bool,
) -> tuple[Transport, Accepted | Redirect]:
    """TLS, then the handshake over HTTP/2 or HTTP/1.1 (see :mod:`.http2`).

    ALPN offers h2 when *offer_h2* (not when the pref is off, or the origin's h2 is
    known to lack extended CONNECT).  An h2 server whose SETTINGS lack extended
    CONNECT sends us to HTTP/1.1 on a new connection, as Firefox does.  Takes *tcp*
    over: on failure, what it opened is closed.
    """
    from components.websocket import http2

    context = request.ssl_context or default_ssl_context()
    try:
        tls = await _tls(tcp, context, host, http2.alpn_offer(offer_h2))
    except BaseException:
        await tcp.abort()
        raise
    if tls.alpn == "h2":
        try:
            link = await http2.start_link(tls, (host, port, context))  # (owns tls from here)
        except HandshakeError as e:
            raise OpenFailed(e.status, e.message) from e
        if link is not None:
            opened = await _h2_handshake(link, hs, fresh=True)
            assert opened is not None
            return opened
        tcp = await _connect(infos, host, port)
        try:
            tls = await _tls(tcp, context, host, http2.ALPN_HTTP11)
        except BaseException:
            await tcp.abort()
            raise
    try:
        return tls, await _handshake(tls, hs)
    except BaseException:
        await tls.abort()
        raise


async def _h2_handshake(
    link: http2.Link, hs: ClientHandshake, *, fresh: bool
) -> tuple[Transport, Accepted | Redirect] | None:
    """The extended CONNECT on *link*; None when a pooled link's server refused the stream
    without processing it (the caller then tries a new connection, once)."""
    from components.websocket import http2

    try:
        return await http2.open_stream(link, hs)
    except http2.StreamRefused as e:
        if fresh:
            raise OpenFailed(e.status, e.message) from e
        return None
    except HandshakeError as e:
        raise OpenFailed(e.status, e.message) from e


def _client_handshake(
    request: OpenRequest, uri: Any, host: str, port: int, hop: HandshakeChannel | None
) -> ClientHandshake:
    if ":" in host:
        host = f"[{host}]"
    return ClientHandshake(
        host if uri.port == -1 else f"{host}:{port}",
        uri.pathQueryRef or "/",
        origin=request.origin,
        protocols=request.protocols,
        extensions=deflate_offer() if request.deflate else None,
        extra_headers=hop.request_headers() if hop is not None else (),
    )


async def _handshake(transport: Transport, hs: ClientHandshake) -> Accepted | Redirect:
    try:
        data = hs.request()
        # The request (a few hundred bytes) nearly always fits in the empty send
        # buffer: written without send_all's checkpoint, one scheduler pass saved.
        sent = transport.try_send(data)
        if sent < len(data):
            await transport.send_all(memoryview(data)[sent:])
        total = 0
        while True:
            chunk = await transport.receive(16384, wait_first=True)
            if not chunk:
                hs.receive_eof()
            total += len(chunk)
            result = hs.receive_data(bytes(chunk))
            if result is not None:
                return result
            if total > MAX_HANDSHAKE_BYTES:
                raise OpenFailed(_REFUSED, "handshake response too big")
    except HandshakeError as e:
        raise OpenFailed(e.status, e.message) from e
    except TransportClosed as e:
        raise OpenFailed(_REFUSED, f"connection lost: {e}") from e


def redirect_target(uri: Any, redirect: Redirect) -> Any:
    """The ws:/wss: URI a redirect leads to (RFC 6455 §4.2.2 item 3 allows following).

    http(s) Locations mean ws(s); a fragment is dropped (a WebSocket request never
    carries one); wss -> ws and other schemes are refused.
    """
    from components.uri import newURI

    try:
        target = newURI(uri.resolve(redirect.location))
    except XPCOMError as e:
        raise OpenFailed(_REFUSED, f"bad redirect to {redirect.location!r}: {e}") from e
    scheme = _REDIRECT_SCHEME.get(target.scheme)
    if scheme is None:
        raise OpenFailed(_REFUSED, f"redirect to {target.scheme}: refused")
    if uri.scheme == "wss" and scheme == "ws":
        raise OpenFailed(_REFUSED, "redirect from wss: to ws: refused")
    spec = scheme + target.spec[len(target.scheme) :]
    if target.hasRef:
        spec = spec.split("#", 1)[0]
    return newURI(spec) if spec != target.spec else target
