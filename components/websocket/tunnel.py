"""Connections through a proxy: the I/O edge of :mod:`components.proxy`'s handshakes.

Theory of operation
-------------------
:func:`open_tunnel` turns an nsIProxyInfo and an origin (host, port) into a
connected transport that carries the origin's bytes, ready for the origin's TLS
(wss) and the WebSocket handshake.  In order:

1. *Reach the proxy.*  Its host is resolved here (a failure is
   ``NS_ERROR_UNKNOWN_PROXY_HOST``) and connected to (``NS_ERROR_PROXY_CONNECTION_REFUSED``).
   When that fails and the proxy info names a ``failoverProxy``, the next one is
   tried, and the one that failed is passed over by later connections of the same
   trio run for its ``failoverTimeout``.  An ``https`` proxy is spoken to over TLS,
   checked against the proxy's own host name with the channel's SSL context.
2. *Open the tunnel.*  HTTP proxies get a CONNECT (Firefox sends one for ws: as
   well as wss:); a 407 is answered once, with Basic credentials from the proxy
   info (a proxy URL's userinfo) or from the nsIAuthPrompt2 behind the channel's
   notificationCallbacks, on the same connection when the proxy keeps it open,
   else on a new one.  Credentials a proxy accepted are sent with the first
   CONNECT of later connections to it in the same run (Firefox keeps an auth cache
   too), which saves those a round trip.  SOCKS proxies run the SOCKS 5 or 4a
   handshake, naming the host when the proxy resolves it, else the address
   resolved here.
3. *Hand over.*  Through an http or SOCKS proxy the socket is still plain TCP, so
   the result is the :class:`TCPTransport` itself and ws: keeps the TCP fast
   paths; through an https proxy it is a :class:`StreamTransport` over the TLS
   stream, which the origin's TLS (for wss) then nests inside.

Failures raise :class:`~components.proxy.status.ProxyError` with the status for
onStop; whatever was opened is closed first.  Cancellation (the open deadline,
close()) passes through, also after closing what was opened.
"""

from __future__ import annotations

import logging
import ssl
from typing import Any, Final

import trio

from components.proxy.connect import ConnectHandshake, Established, ProxyAuthRequired
from components.proxy.info import ProxyInfo
from components.proxy.socks import Socks4Handshake, Socks5Handshake
from components.proxy.status import ProxyError
from components.results import Cr
from components.websocket.protocol.httpauth import basic_authorization
from components.websocket.transport import (
    Transport,
    TransportClosed,
    connect_tcp,
    resolve,
    start_tls,
)

__all__ = ["open_tunnel"]

log = logging.getLogger("components.websocket")

_READ: Final = 16384
_REFUSED: Final = Cr.NS_ERROR_PROXY_CONNECTION_REFUSED


class _RunState:
    """Per-run memory: proxies passed over until a time, and accepted proxy credentials."""

    def __init__(self) -> None:
        self.bad_until: dict[tuple[str, str, int], float] = {}
        self.authorization: dict[tuple[str, str, int], str] = {}


_STATE: trio.lowlevel.RunVar[_RunState] = trio.lowlevel.RunVar("proxy_tunnel_state")


def _state() -> _RunState:
    try:
        return _STATE.get()
    except LookupError:
        state = _RunState()
        _STATE.set(state)
        return state


def _key(proxy: ProxyInfo) -> tuple[str, str, int]:
    return (proxy.type, proxy.host, proxy.port)


def _candidates(proxy: ProxyInfo) -> list[ProxyInfo]:
    """*proxy* and its failovers, those marked bad (and not the last) left out."""
    chain: list[ProxyInfo] = []
    seen: set[int] = set()
    node: ProxyInfo | None = proxy
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        chain.append(node)
        node = node.failoverProxy
    now = trio.current_time()
    bad = _state().bad_until
    usable = [p for p in chain[:-1] if bad.get(_key(p), 0.0) <= now]
    return usable + chain[-1:]


async def _reach(proxy: ProxyInfo) -> Transport:
    """A TCP connection to the proxy (TLS on top for an https proxy)."""
    try:
        infos = await resolve(proxy.host, proxy.port)
    except OSError as e:
        message = f"cannot resolve the proxy {proxy.host}: {e.strerror or e}"
        raise ProxyError(Cr.NS_ERROR_UNKNOWN_PROXY_HOST, message) from e
    try:
        tcp = await connect_tcp(infos)
    except OSError as e:
        refused = isinstance(e, ConnectionRefusedError)
        what = "refused the connection" if refused else f"failed: {e.strerror or e}"
        raise ProxyError(_REFUSED, f"the proxy {proxy.authority} {what}") from e
    return tcp


async def _secure_to_proxy(tcp: Any, proxy: ProxyInfo, context: ssl.SSLContext) -> Transport:
    try:
        return await start_tls(tcp.stream, context, proxy.host)
    except BaseException as e:
        await tcp.abort()
        if isinstance(e, (trio.BrokenResourceError, ssl.SSLError, OSError)):
            message = f"TLS to the proxy {proxy.authority} failed: {e}"
            raise ProxyError(Cr.NS_ERROR_NET_INADEQUATE_SECURITY, message) from e
        raise


async def _receive(pipe: Transport) -> bytes:
    return bytes(await pipe.receive(_READ, wait_first=True))


async def _send(pipe: Transport, data: bytes) -> None:
    try:
        await pipe.send_all(data)
    except TransportClosed as e:
        raise ProxyError(_REFUSED, f"the proxy closed the connection: {e}") from e


async def _run_socks(pipe: Transport, machine: Socks5Handshake | Socks4Handshake) -> bytes:
    """Drive a SOCKS handshake; the bytes that followed the proxy's final reply."""
    while True:
        out = machine.data_to_send()
        if out:
            await _send(pipe, out)
        if machine.established:
            return machine.leftover
        chunk = await _receive(pipe)
        if not chunk:
            machine.receive_eof()
        machine.receive_data(chunk)


async def _run_connect(pipe: Transport, hs: ConnectHandshake, early: bytes) -> Established:
    """Drive one CONNECT exchange (ProxyAuthRequired / ProxyError when refused)."""
    await _send(pipe, hs.request())
    result = hs.receive_data(early) if early else None
    while result is None:
        chunk = await _receive(pipe)
        result = hs.receive_data(chunk) if chunk else hs.receive_eof()
    return result


def _proxy_credentials(proxy: ProxyInfo, realm: str, channel: Any) -> str | None:
    """The Basic answer to a 407: the proxy info's credentials, else the prompt's."""
    if proxy.username or proxy.password:
        return basic_authorization(proxy.username, proxy.password)
    from components.websocket.credentials import prompt_credentials

    creds = prompt_credentials(channel, scheme="basic", realm=realm, proxy=True, secure=proxy.type == "https")
    return None if creds is None else basic_authorization(creds.username, creds.password)


class _Tunnel:
    """One open_tunnel: the proxy being used and the connection to it."""

    def __init__(self, proxy: ProxyInfo, context: ssl.SSLContext) -> None:
        self.proxy = proxy
        self.context = context
        self.pipe: Transport | None = None

    async def connect(self) -> Transport:
        pipe = await _reach(self.proxy)
        if self.proxy.type == "https":
            pipe = await _secure_to_proxy(pipe, self.proxy, self.context)
        self.pipe = pipe
        return pipe

    async def close(self) -> None:
        pipe, self.pipe = self.pipe, None
        if pipe is not None:
            await pipe.abort()

    async def http_connect(self, authority: str, channel: Any, user_agent: str) -> bytes:
        """CONNECT through the proxy, answering one 407; the bytes past the 2xx."""
        proxy, state = self.proxy, _state()
        cached = state.authorization.get(_key(proxy))
        authorization, answered, early = cached, False, b""
        while True:
            assert self.pipe is not None
            hs = ConnectHandshake(authority, authorization=authorization, user_agent=user_agent)
            try:
                established = await _run_connect(self.pipe, hs, early)
            except ProxyAuthRequired as e:
                if answered:
                    state.authorization.pop(_key(proxy), None)
                    message = f"the proxy {proxy.authority} refused the credentials (407)"
                    raise ProxyError(e.status, message) from e
                if e.realm is None:
                    message = f"the proxy {proxy.authority} wants an authentication scheme other than Basic"
                    raise ProxyError(e.status, message) from e
                authorization = _proxy_credentials(proxy, e.realm, channel)
                if authorization is None:
                    message = f"the proxy {proxy.authority} wants credentials (407) and none were given"
                    raise ProxyError(e.status, message) from e
                # The cached credentials, if any, were refused: the answer counts as the one.
                answered = True
                early = e.leftover
                if not e.reusable:
                    await self.close()
                    await self.connect()
                continue
            if answered or cached:
                state.authorization[_key(proxy)] = authorization or ""
            return established.leftover


async def open_tunnel(
    proxy: ProxyInfo, host: str, port: int, *, context: ssl.SSLContext, channel: Any = None,
    user_agent: str = "",
) -> tuple[Transport, ProxyInfo]:
    """A transport to *host*:*port* through *proxy* (see the module's docs), and the proxy
    used (*proxy*, or one of its failovers).

    *context* is for an https proxy's own TLS; *channel* is passed to an
    nsIAuthPrompt2 asked for proxy credentials; *user_agent* goes with a CONNECT.  ProxyError
    when it fails.
    """
    candidates = _candidates(proxy)
    tunnel: _Tunnel | None = None
    for i, candidate in enumerate(candidates):
        tunnel = _Tunnel(candidate, context)
        try:
            await tunnel.connect()
            break
        except ProxyError as e:
            if i == len(candidates) - 1 or e.status not in (_REFUSED, Cr.NS_ERROR_UNKNOWN_PROXY_HOST):
                raise
            log.debug("proxy %r failed (%s), trying its failover", candidate, e)
            if candidate.failoverTimeout:
                _state().bad_until[_key(candidate)] = trio.current_time() + candidate.failoverTimeout
    assert tunnel is not None and tunnel.pipe is not None
    try:
        chosen = tunnel.proxy
        if chosen.type in ("http", "https"):
            authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            leftover = await tunnel.http_connect(authority, channel, user_agent)
        else:
            target = host
            if not chosen.resolves_host:
                try:
                    target = str((await resolve(host, port))[0][4][0])
                except OSError as e:
                    raise ProxyError(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED,
                                     f"no such host {host} ({e.strerror or e})") from e
            machine: Socks5Handshake | Socks4Handshake
            if chosen.type == "socks":
                machine = Socks5Handshake(target, port, username=chosen.username, password=chosen.password)
            else:
                machine = Socks4Handshake(target, port, user_id=chosen.username)
            leftover = await _run_socks(tunnel.pipe, machine)
        if leftover:
            # The client speaks first in both WebSocket and TLS: nothing may come before.
            raise ProxyError(_REFUSED, f"the proxy sent {len(leftover)} bytes before the tunnel was used")
        return tunnel.pipe, chosen
    except BaseException:
        await tunnel.close()
        raise
