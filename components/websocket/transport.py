"""Transports: the byte pipes a channel runs over, and how they are opened.

Theory of operation
-------------------
Everything above this module -- the opener's handshake, the session's read loop,
the send queue -- talks to one small interface, :class:`Transport`, and never asks
which implementation it has.  There are two today:

* :class:`TCPTransport`, the fast path: a non-blocking stdlib socket driven
  directly.  ``receive`` is a ``recv()`` after a checkpoint, waiting for
  readability only on EAGAIN; ``try_send`` is one ``send()`` that returns what the
  kernel took, so the send queue writes without a task; ``receive_into`` reads a
  large frame's payload in place.
* :class:`StreamTransport`, any ``trio.abc.Stream``: TLS (``trio.SSLStream``), and
  later proxy tunnels and HTTP/2 streams.  ``try_send`` takes nothing, so the send
  queue's writer task does the writing with ``send_all``.

Why the TCP path reads first and waits second: on loopback request/response
traffic the reply usually lands while the scheduler passes the checkpoint, so the
task then never sleeps in epoll at all; waiting first (to save the failing recv)
measured a quarter fewer round trips per second.  The exception is the opening
handshake's answer, which cannot be there yet (the server has to wake up and
compute it): ``receive(wait_first=True)`` skips the doomed ``recv``.

Opening is here too, because its fast paths are TCP's: an IP literal is resolved
without trio's checkpoint (:func:`resolve`), and a connect the kernel completed
inside ``connect()`` (always on loopback) is not waited on (:func:`connect_tcp`).

Closing: ``abort()`` at once, ``aclose()`` politely (TLS close_notify; callers bound
it in time).  Errors: a transport raises :class:`TransportClosed` from ``send_all``/``try_send``
when the peer is gone, and returns ``b""`` / 0 from the receive methods at EOF or
on a broken connection; callers catch nothing else.
"""

from __future__ import annotations

import abc
import logging
import os
import socket
import ssl
import threading
from typing import Any, Final

import trio

from components.websocket.protocol.mask import Buffer

log = logging.getLogger("components.websocket")

__all__ = [
    "BULK_UNSENT",
    "StreamTransport",
    "TCPTransport",
    "Transport",
    "TransportClosed",
    "connect_tcp",
    "default_ssl_context",
    "resolve",
    "set_default_ssl_context",
    "start_tls",
]

#: Unsent bytes the kernel may hold before the socket stops being writable.  trio's
#: SocketStream caps this at 16 KiB (TCP_NOTSENT_LOWAT) to keep send_all latency low;
#: for a 1 MiB message that means dozens of partial sends.  We keep our own queue and
#: want the kernel to take whole frames.
BULK_UNSENT: Final = 4 << 20


class TransportClosed(Exception):
    """The connection under the transport is gone (reset, closed, broken pipe)."""


class Transport(abc.ABC):
    """A connected byte stream, as the channel needs it."""

    __slots__ = ()

    #: nsITransportSecurityInfo of the TLS layer, or None for a plain connection.
    security_info: Any = None
    #: Can ``try_send`` take bytes?  (False: it always returns 0, and the send queue's
    #: writer stays parked between bursts instead of being started for each.)
    writes_inline: bool = True
    #: The HTTP version that carried the opening handshake ("h2": an RFC 8441 stream).
    http_version: str = "http/1.1"
    #: After the close handshake, wait for the peer to end the connection first (RFC 6455
    #: §7.1.1: the server closes TCP)?  An HTTP/2 stream does not: nothing is left to wait for.
    lingers: bool = True

    @abc.abstractmethod
    async def receive(self, size: int, *, wait_first: bool = False) -> bytes | bytearray:
        """Up to *size* bytes; ``b""`` at EOF or when the connection broke.

        *wait_first*: the caller knows nothing can have arrived yet (a transport
        may then skip a read attempt).
        """

    @abc.abstractmethod
    async def receive_into(self, view: memoryview) -> int:
        """Read into *view* (released by the caller); 0 at EOF or when broken."""

    @abc.abstractmethod
    def try_send(self, data: Buffer) -> int:
        """Write what can be written now without blocking; the count taken (maybe 0).

        Raises :class:`TransportClosed` when the peer is gone.
        """

    @abc.abstractmethod
    async def send_all(self, data: Buffer) -> None:
        """Write all of *data*; :class:`TransportClosed` when the peer is gone."""

    @abc.abstractmethod
    async def aclose(self, timeout: float) -> None:
        """Close politely (TLS close_notify), within *timeout* seconds, even when the
        caller is being cancelled; never raises for a peer already gone."""

    @abc.abstractmethod
    async def abort(self) -> None:
        """Close at once (no goodbye); idempotent, never raises.  The TCP transport does
        it without a checkpoint: the end of every connection pays for it."""

    def end_after_close(self) -> None:  # noqa: B027 - a hook: most transports have nothing to do
        """Our Close frame is queued: nothing follows it.  A transport that can end its
        direction with that write (an HTTP/2 stream's END_STREAM flag on the DATA frame
        that carries the Close) does so; TCP and TLS wait for the peer to close first."""


_BROKEN: Final = (trio.BrokenResourceError, trio.ClosedResourceError, OSError)


class TCPTransport(Transport):
    """Plain TCP on a non-blocking stdlib socket, driven without trio's stream layers."""

    __slots__ = ("_raw", "_stream")

    def __init__(self, raw: socket.socket) -> None:
        self._raw = raw
        # Kept for send_all under backpressure and for anything layered on top (TLS):
        # trio's SocketStream owns the wait-writable logic we do not want to redo.
        self._stream = trio.SocketStream(trio.socket.from_stdlib_socket(raw))
        if hasattr(socket, "TCP_NOTSENT_LOWAT"):
            try:
                raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NOTSENT_LOWAT, BULK_UNSENT)
            except OSError:
                pass

    @property
    def stream(self) -> trio.SocketStream:
        """This connection as a trio stream (to run TLS or a tunnel over it)."""
        return self._stream

    async def receive(self, size: int, *, wait_first: bool = False) -> bytes | bytearray:
        raw = self._raw
        try:
            if wait_first:
                await trio.lowlevel.wait_readable(raw)
            else:
                await trio.lowlevel.checkpoint()
            while True:
                try:
                    return raw.recv(size)
                except (BlockingIOError, InterruptedError):
                    await trio.lowlevel.wait_readable(raw)
        except _BROKEN:
            return b""

    async def receive_into(self, view: memoryview) -> int:
        raw = self._raw
        try:
            await trio.lowlevel.checkpoint()
            while True:
                try:
                    return raw.recv_into(view)
                except (BlockingIOError, InterruptedError):
                    await trio.lowlevel.wait_readable(raw)
        except _BROKEN:
            return 0

    def try_send(self, data: Buffer) -> int:
        try:
            return self._raw.send(data)
        except (BlockingIOError, InterruptedError):
            return 0
        except OSError as e:
            raise TransportClosed(str(e)) from e

    async def send_all(self, data: Buffer) -> None:
        try:
            await self._stream.send_all(data)
        except _BROKEN as e:
            raise TransportClosed(str(e)) from e

    async def aclose(self, timeout: float) -> None:
        # Plain TCP has nothing to say: a FIN is all there is, sent at once (and with no
        # cancel scope: each costs about 20 us of a connection's life).
        self._stream.socket.close()

    async def abort(self) -> None:
        # What SocketStream.aclose() does, minus its two checkpoints.
        self._stream.socket.close()


class StreamTransport(Transport):
    """Any trio stream: TLS today, proxy tunnels and HTTP/2 streams tomorrow."""

    __slots__ = ("_stream", "alpn", "security_info")
    writes_inline = False

    def __init__(self, stream: trio.abc.Stream, security_info: Any = None, alpn: str | None = None) -> None:
        self._stream = stream
        self.security_info = security_info
        #: The protocol the TLS server chose by ALPN (None: none negotiated).
        self.alpn = alpn

    @property
    def stream(self) -> trio.abc.Stream:
        """The stream underneath (what an HTTP/2 connection runs on)."""
        return self._stream

    async def receive(self, size: int, *, wait_first: bool = False) -> bytes | bytearray:
        try:
            return await self._stream.receive_some(size)
        except (*_BROKEN, ssl.SSLError):
            return b""

    async def receive_into(self, view: memoryview) -> int:
        data = await self.receive(len(view))
        n = len(data)
        view[:n] = data
        return n

    def try_send(self, data: Buffer) -> int:
        return 0  # a stream only writes from a task: the send queue's writer

    async def send_all(self, data: Buffer) -> None:
        try:
            await self._stream.send_all(data)
        except (*_BROKEN, ssl.SSLError) as e:
            raise TransportClosed(str(e)) from e

    async def aclose(self, timeout: float) -> None:
        with trio.move_on_after(timeout, shield=True):
            try:
                await self._stream.aclose()
            except (*_BROKEN, ssl.SSLError):
                pass  # the peer is already gone: nothing left to be polite to

    async def abort(self) -> None:
        await trio.aclose_forcefully(self._stream)


# -- opening ---------------------------------------------------------------------------------------


def _numeric_addrinfo(host: str, port: int) -> list[Any] | None:
    """getaddrinfo for an IP literal, or None for a name that needs resolving.

    trio.socket.getaddrinfo does exactly this first (numeric lookups never block
    and never consult a custom resolver), but behind a checkpoint: one scheduler
    pass per connection that an IP-literal URI does not need.
    """
    try:
        # A plain dotted quad (what the URI parser makes of any IPv4 spelling) needs no
        # resolver call at all: this is the one entry getaddrinfo would return.
        if socket.inet_ntop(socket.AF_INET, socket.inet_pton(socket.AF_INET, host)) == host:
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (host, port))]
    except OSError:
        pass
    try:
        return socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV
        )
    except (socket.gaierror, UnicodeError):
        return None


async def resolve(host: str, port: int) -> list[Any]:
    """The addresses of *host* (resolver order); OSError when there are none."""
    infos = _numeric_addrinfo(host, port)
    if infos is None:
        infos = await trio.socket.getaddrinfo(host, port, type=trio.socket.SOCK_STREAM)
    if not infos:
        raise OSError(f"no address for {host}")
    return infos


async def _connect_raw(raw: socket.socket, sockaddr: Any) -> None:
    """Connect the non-blocking *raw* socket; OSError when the address does not answer.

    What trio's ``socket.connect`` does, minus one wait: on loopback (and whenever
    the SYN-ACK is processed before connect() returns) the socket is already
    established when the kernel reports EINPROGRESS.  ``getpeername`` tells
    (ENOTCONN while the handshake is pending), which saves the writability wait --
    an epoll registration and a scheduler pass -- per connection.
    """
    try:
        raw.connect(sockaddr)
        return
    except BlockingIOError:
        pass
    try:
        raw.getpeername()
        return
    except OSError:
        pass
    await trio.lowlevel.wait_writable(raw)
    err = raw.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err:
        raise OSError(err, f"Error connecting to {sockaddr!r}: {os.strerror(err)}")


async def connect_tcp(infos: list[Any]) -> TCPTransport:
    """Connect to the first of *infos* that answers (resolver order, one at a time).

    OSError (the last address's) when none does.
    """
    last: OSError = OSError("no address to connect to")
    for family, type_, proto, _canon, sockaddr in infos:
        try:
            raw = socket.socket(family, type_, proto)
        except OSError as e:  # out of descriptors, family not supported...
            last = e
            continue
        raw.setblocking(False)
        try:
            await _connect_raw(raw, sockaddr)
        except OSError as e:
            raw.close()
            last = e
            continue
        except BaseException:
            raw.close()
            raise
        return TCPTransport(raw)
    raise last


# -- TLS -------------------------------------------------------------------------------------------
#
# wss uses ssl.create_default_context(): the system trust store, hostname check on.
# Host applications (and tests using trustme certificates) can install their own
# context for every channel with set_default_ssl_context(), or for one channel by
# setting its ``sslContext`` attribute before asyncOpen.

_default_ssl_context: ssl.SSLContext | None = None
_ssl_lock = threading.Lock()


def set_default_ssl_context(context: ssl.SSLContext | None) -> ssl.SSLContext | None:
    """Use *context* for wss channels without their own ``sslContext``; None restores the
    system default.  Returns the previous setting (so tests can restore it)."""
    global _default_ssl_context
    with _ssl_lock:
        previous, _default_ssl_context = _default_ssl_context, context
    return previous


def default_ssl_context() -> ssl.SSLContext:
    """The context wss channels use by default (created on first use: loading the system
    trust store takes milliseconds, so it is done once)."""
    global _default_ssl_context
    with _ssl_lock:
        if _default_ssl_context is None:
            _default_ssl_context = ssl.create_default_context()
        return _default_ssl_context


async def start_tls(
    stream: trio.abc.Stream, context: ssl.SSLContext, host: str, alpn: tuple[str, ...] | None = None
) -> StreamTransport:
    """TLS over *stream* to *host* (SNI and certificate name), offering *alpn*.

    ssl.SSLError / OSError / trio.BrokenResourceError when the handshake fails;
    the caller closes *stream*.  The ALPN list is a property of the context that
    OpenSSL copies into each connection when it is created, so it is set on
    *context* right before the wrap: every channel sets the list it needs.
    """
    from components.security import from_ssl

    if alpn is not None:
        context.set_alpn_protocols(list(alpn))
    tls = trio.SSLStream(stream, context, server_hostname=host, https_compatible=True)
    await tls.do_handshake()
    try:
        # trio.SSLStream forwards cipher(), version(), getpeercert()... to its SSLObject.
        info = from_ssl(tls)
    except Exception:  # noqa: BLE001 - a describing failure must not fail the connection
        log.exception("could not build securityInfo")
        info = None
    return StreamTransport(tls, info, tls.selected_alpn_protocol())
