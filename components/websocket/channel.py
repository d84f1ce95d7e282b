"""The trio driver: nsIWebSocketChannel for ``ws:`` and ``wss:``.

Theory of operation
-------------------
The protocol lives in the sans-I/O core (:mod:`.protocol`): the handshake object
turns response bytes into Accepted/Redirect, the :class:`Connection` turns
received bytes into events and messages into masked frame bytes.  This module
only does what the core cannot: sockets, TLS, timers, the send queue, and calling
the listener.  Everything runs inside the trio run that called ``asyncOpen``.

One channel = one *system task* (``trio.lowlevel.spawn_system_task``).  A system
task needs no nursery from the caller -- ``asyncOpen`` is synchronous, as in
Firefox -- yet it is still structured: trio cancels system tasks when the main
task returns, so nothing outlives the run, and the task's ``finally`` closes the
socket and calls ``onStop`` exactly once, last.  An idle open channel is that one
task, waiting for its socket to be readable: no nursery, no writer task, no timer task
(issue 5 counts the bytes of an idle connection).  The few helpers a channel may
need -- a writer under backpressure or over TLS, the keepalive timer when
pingInterval > 0, the stream sender during sendBinaryStream -- are started on
demand as system tasks in their own cancel scopes; the session cancels them and
*waits* for them before it closes the socket, which is the guarantee a nursery
would give, without paying for one per connection.

Why the hot paths look the way they do (issue 5 measures them):

* Receiving: each read goes to ``Connection.receive_data``, which returns
  *every* complete event in it; the loop calls the listener directly for each.
  No per-message task, memory channel, or lock.  On plain TCP the read is a
  ``recv()`` on the socket itself after a checkpoint, waiting for readability
  only on EAGAIN (see ``_read_loop`` for why that order).  The receive size
  adapts (64 KiB doubling to 1 MiB while reads come back full, halving when
  they come back mostly empty) so small-message traffic does not allocate big
  buffers and bulk traffic does not take 16 trips per MiB.  While the payload
  of a large frame is arriving, the reads go straight into its final ``bytes``
  (``Connection.receive_buffer``): no read buffer, no copy.
* Sending: ``sendMsg`` & co. are synchronous.  They frame and mask the
  message at once (the core is cheap; masking is in C) and append the bytes
  to ``_out`` (a big binary message sent with nothing queued is masked into the
  channel's one reused buffer instead of a fresh allocation: glibc trims and
  re-faults such blocks).  On plain TCP the queue is then written *directly* to the
  non-blocking socket with one ``send()`` of the joined bytes: after the
  receive loop has dispatched the current chunk (so an echo-style listener's
  reply costs no task switch at all), or, for sends made outside a listener
  callback, in one ``run_sync_soon`` callback after the calling task yields (so
  a burst of 300 pipelined messages is still one syscall).  Whatever the kernel
  does not take goes to a writer task, started on need, which owns all writes
  until the backlog is written (over TLS it is permanent): parked on an Event
  set only when ``_out`` goes from empty to non-empty, it swaps the list out
  and writes the join with ONE ``send_all``.  Acknowledgement sizes ride in a
  parallel list that is swapped with the same batch, so ``onAcknowledge`` fires
  after the write that carried each message's last byte.  The kernel may hold
  up to ``BULK_UNSENT`` unsent bytes (trio's default of 16 KiB would cut every
  1 MiB message into dozens of partial sends).
* Opening (issue 5's conn workload is one open + close after another): every
  scheduler pass costs about as much as the handshake's parsing, so the plain-TCP
  open takes as few as it can.  An IP literal is resolved without trio's
  checkpoint, a connect the kernel completed inside connect() (always on
  loopback) is not waited on, and the request goes to the socket with one
  ``send()``; the only waits left are for the 101 and, later, the server's Close.
* Control frames (pongs, pings, the Close of a failing connection) are inserted
  ahead of queued data (but never inside a partly written frame); a user's
  Close goes *after* the data queued before it, as in Firefox, so close() never
  drops messages already accepted.

Ordering with sendBinaryStream: a stream message is sent as fragments produced
while the file is read on a worker thread; anything sent meanwhile must not
interleave with those fragments, so while a stream is in flight later sends
(and a close) wait in ``_deferred`` and are framed when the stream is done.

Threads: listener methods run only on the trio thread.  The send methods and
close() may be called from any thread; off the trio thread they validate what
they can and hand the work to the run with ``TrioToken.run_sync_soon`` (FIFO,
so order is kept among calls from one thread).

Closing: the client's Close starts the close timer (``timeout.close``) on the
receive loop's cancel scope.  When both Closes have crossed, the deadline
shrinks to ``FIN_WAIT`` -- the server should close TCP first (RFC 6455 §7.1.1)
and we give it a moment before closing ourselves.  When the server's Close
arrives and the listener did not call close() inside onServerClose, we echo the
server's code ourselves (unlike Firefox, which leaves that to the layer above).
Failing the connection (protocol error, timeout, listener exception) puts a
Close with the failure code at the front of the queue, drops queued data,
stops reading, gives the writer up to ``FIN_WAIT`` to flush, and closes TCP.
"""

from __future__ import annotations

import logging
import math
import os
import re
import socket
import ssl
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Final

import trio
from zope.interface import implementer

from components.interfaces import Ci
from components.manager import component
from components.results import Cr, XPCOMError
from components.websocket import admission
from components.websocket.protocol.connection import (
    BinaryMessage,
    CloseReceived,
    Connection,
    ProtocolFailure,
    TextMessage,
)
from components.websocket.protocol.deflate import DeflateParams, deflate_offer
from components.websocket.protocol.frames import is_valid_close_code
from components.websocket.protocol.handshake import Accepted, ClientHandshake, HandshakeError, Redirect

__all__ = [
    "FIN_WAIT",
    "MAX_REDIRECTS",
    "SecureWebSocketChannel",
    "WebSocketChannel",
    "default_ssl_context",
    "set_default_ssl_context",
]

log = logging.getLogger("components.websocket")

#: How long, after the close handshake (or a failure's Close), we wait for the
#: server to close TCP / for the writer to flush before we close it ourselves.
FIN_WAIT: Final = 1.0
#: Redirect hops followed before the open fails.
MAX_REDIRECTS: Final = 10
#: Receive sizes: start small (cheap for chatty traffic), double while reads fill up.
RECEIVE_MIN: Final = 65536
RECEIVE_MAX: Final = 1 << 20
#: Unsent bytes the kernel may hold before the socket stops being writable.
BULK_UNSENT: Final = 4 << 20
#: Binary messages of these sizes are framed into one reusable buffer per channel (kept
#: for the channel's life once used: a bulk sender holds one frame, at most 4 MiB).
SENDBUF_MIN: Final = 65536
SENDBUF_MAX: Final = 4 << 20
#: sendBinaryStream reads the stream in chunks of this size (one fragment each).
STREAM_CHUNK: Final = 1 << 20
#: Upper bound on the bytes of a handshake response we accept before giving up.
MAX_HANDSHAKE_BYTES: Final = 65536

_TOKEN: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_REFUSED: Final = Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED
_NO_WIRE_CODES: Final = frozenset({1004, 1005, 1006, 1015})
_DEFAULT_PORT: Final = {"ws": 80, "wss": 443}
_UNSIGNED_LONG_MAX: Final = 2**32 - 1

# -- TLS configuration hook --------------------------------------------------------------------------
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


def _is_unsigned_long(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _UNSIGNED_LONG_MAX


def _utf8_size(text: str) -> int:
    """UTF-8 length of *text*; a lone surrogate (which has no UTF-8 form) is refused."""
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a lone surrogate has no UTF-8 form") from None


def _prefs() -> Any:
    from components.manager import Cc

    return Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)


def _int_pref(prefs: Any, name: str, default: int) -> int:
    try:
        return int(prefs.getIntPref(name, default))
    except Exception:  # noqa: BLE001 - a missing or mistyped pref falls back to Firefox's default
        return default


def _bool_pref(prefs: Any, name: str, default: bool) -> bool:
    try:
        return bool(prefs.getBoolPref(name, default))
    except Exception:  # noqa: BLE001
        return default


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


async def _tcp_connect(raw: socket.socket, sockaddr: Any) -> None:
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


class _OpenFailed(Exception):
    """The opening phase failed with *status* (raised and caught inside the driver)."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status


class _Stop(Exception):
    """Used internally to unwind the session when it must end."""


# Deferred-queue entry kinds (while a stream message is in flight).
_TEXT, _BINARY, _STREAM, _CLOSE = range(4)


class _BaseChannel:
    """Everything; the two registered classes differ only in the scheme they accept."""

    _scheme: str = "ws"

    # Slots: an idle channel is mostly this object, and issue 5 counts bytes per idle
    # connection (a __dict__ would be ~1.5 KiB of it).
    __slots__ = (
        "_acks", "_close_received", "_close_requested", "_close_sent", "_close_timeout", "_conn",
        "_context", "_deferred", "_deflate", "_delay_failed", "_direct", "_dispatching", "_extensions",
        "_failing", "_flush_scheduled", "_flushed", "_last_rx", "_listener", "_max_size", "_n_ctrl",
        "_helpers", "_helpers_done", "_open_scope", "_opened", "_origin", "_original_uri", "_out",
        "_ping_interval",
        "_ping_timeout", "_pong_wait", "_protocol_chosen", "_protocols", "_raw_sock", "_recv_scope",
        "_registered", "_security_info", "_sendbuf", "_status", "_stopped", "_stream", "_streaming",
        "_thread",
        "_token", "_uri", "_wake", "_writer_busy", "_writer_started", "loadGroup", "loadInfo",
        "notificationCallbacks", "protocol", "sslContext", "__weakref__",
    )

    CLOSE_NORMAL: Final = 1000
    CLOSE_GOING_AWAY: Final = 1001
    CLOSE_PROTOCOL_ERROR: Final = 1002
    CLOSE_UNSUPPORTED_DATATYPE: Final = 1003
    CLOSE_NO_STATUS: Final = 1005
    CLOSE_ABNORMAL: Final = 1006
    CLOSE_INVALID_PAYLOAD: Final = 1007
    CLOSE_POLICY_VIOLATION: Final = 1008
    CLOSE_TOO_LARGE: Final = 1009
    CLOSE_EXTENSION_MISSING: Final = 1010
    CLOSE_INTERNAL_ERROR: Final = 1011
    CLOSE_TLS_FAILED: Final = 1015

    def __init__(self) -> None:
        prefs = _prefs()
        self._ping_interval = _int_pref(prefs, "network.websocket.timeout.ping.request", 0)
        self._ping_timeout = _int_pref(prefs, "network.websocket.timeout.ping.response", 10)
        # Public, settable attributes (nsIWebSocketChannel).
        self.notificationCallbacks: Any = None
        self.loadGroup: Any = None
        self.loadInfo: Any = None
        self.protocol: str = ""
        #: Python extension: the ssl.SSLContext for this wss channel (None: the default).
        self.sslContext: ssl.SSLContext | None = None
        self._original_uri: Any = None
        self._uri: Any = None
        self._extensions = ""
        self._security_info: Any = None
        # Lifecycle.
        self._opened = False
        self._stopped = False
        self._close_requested = False  # close() was called (second close is a no-op)
        self._close_sent = False  # our Close frame is framed and queued
        self._close_received = False  # the server's Close arrived
        self._failing = False
        self._status: int | None = None
        self._listener: Any = None
        self._context: Any = None
        self._origin = ""
        self._thread: int | None = None
        self._token: trio.lowlevel.TrioToken | None = None
        self._conn: Connection | None = None
        self._max_size = 0
        self._close_timeout = 20.0
        self._open_scope: trio.CancelScope | None = trio.CancelScope()
        self._recv_scope = trio.CancelScope()
        self._registered: admission.AdmissionManager | None = None
        # Send queue (see the module docs).
        self._out: list[bytes | memoryview] = []
        self._acks: list[int] = []
        self._n_ctrl = 0  # how many entries at the head of _out are control frames
        self._wake: trio.Event | None = None  # set by _push when the writer is parked
        self._flushed: trio.Event | None = None  # set by the writer when it goes idle
        self._writer_busy = False
        self._writer_started = False
        self._dispatching = False  # inside the read loop's dispatch: flush after the chunk
        self._flush_scheduled = False
        self._raw_sock: socket.socket | None = None
        self._sendbuf: bytearray | None = None  # see sendBinaryMsg: reused for big frames
        self._direct: socket.socket | None = None  # plain TCP: write here without a task
        self._stream: trio.abc.Stream | None = None
        # Helper tasks (writer, keepalive, stream sender), started only when needed; see
        # _spawn_helper.  None outside the session.
        self._helpers: list[trio.CancelScope] | None = None
        self._helpers_done: trio.Event | None = None
        self._streaming = False
        self._deferred: list[tuple[Any, ...]] = []  # rarely used: a list is smaller than a deque
        # Keepalive.
        self._last_rx = 0.0
        self._pong_wait: trio.Event | None = None

    # -- attributes ---------------------------------------------------------------------------------

    @property
    def originalURI(self) -> Any:
        return self._original_uri

    @originalURI.setter
    def originalURI(self, value: Any) -> None:
        self._original_uri = value

    @property
    def URI(self) -> Any:
        return self._uri

    @property
    def securityInfo(self) -> Any:
        return self._security_info

    @property
    def extensions(self) -> str:
        return self._extensions

    @property
    def pingInterval(self) -> int:
        return self._ping_interval

    @pingInterval.setter
    def pingInterval(self, seconds: int) -> None:
        self._ping_interval = self._check_settable(seconds)

    @property
    def pingTimeout(self) -> int:
        return self._ping_timeout

    @pingTimeout.setter
    def pingTimeout(self, seconds: int) -> None:
        self._ping_timeout = self._check_settable(seconds)

    def _check_settable(self, seconds: int) -> int:
        if self._opened:
            raise XPCOMError(Cr.NS_ERROR_IN_PROGRESS, "keepalive settings are fixed by asyncOpen")
        if not _is_unsigned_long(seconds):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not an unsigned long: {seconds!r}")
        return seconds

    # -- asyncOpen ----------------------------------------------------------------------------------

    def asyncOpen(self, aURI: Any, aOrigin: str, aListener: Any, aContext: Any) -> None:
        # Firefox's checks and order: a null URI or listener is NS_ERROR_UNEXPECTED,
        # then a second open is NS_ERROR_ALREADY_OPENED.
        if aURI is None:
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, "asyncOpen needs a URI")
        if aListener is None:
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, "asyncOpen needs a listener")
        if self._opened:
            raise XPCOMError(Cr.NS_ERROR_ALREADY_OPENED, "the channel was opened before")
        if isinstance(aURI, str):
            from components.uri import newURI

            aURI = newURI(aURI)
        if aURI.scheme != self._scheme:
            raise XPCOMError(
                Cr.NS_ERROR_ILLEGAL_VALUE, f"a {self._scheme}: channel cannot open a {aURI.scheme}: URI"
            )
        if aURI.hasRef:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a WebSocket URI must not have a fragment")
        if not aURI.asciiHost:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a WebSocket URI needs a host")
        protocols = self._offered_protocols()
        try:
            token = trio.lowlevel.current_trio_token()
        except RuntimeError:
            raise XPCOMError(Cr.NS_ERROR_NOT_AVAILABLE, "asyncOpen must run inside trio.run") from None
        prefs = _prefs()
        manager = admission.current()
        if not manager.register(_int_pref(prefs, "network.websocket.max-connections", 200)):
            raise XPCOMError(Cr.NS_ERROR_SOCKET_CREATE_FAILED, "network.websocket.max-connections reached")
        self._registered = manager
        self._opened = True
        self._max_size = _int_pref(prefs, "network.websocket.max-message-size", 67108864)
        self._close_timeout = _int_pref(prefs, "network.websocket.timeout.close", 20)
        open_timeout = _int_pref(prefs, "network.websocket.timeout.open", 20)
        assert self._open_scope is not None
        self._open_scope.deadline = trio.current_time() + open_timeout if open_timeout > 0 else math.inf
        self._deflate = _bool_pref(prefs, "network.websocket.extensions.permessage-deflate", True)
        self._delay_failed = _bool_pref(prefs, "network.websocket.delay-failed-reconnects", True)
        if self._original_uri is None:
            self._original_uri = aURI
        self._uri = aURI
        self._origin = aOrigin or ""
        self._listener = aListener
        self._context = aContext
        self._protocols = protocols
        self._thread = threading.get_ident()
        self._token = token
        trio.lowlevel.spawn_system_task(self._run, name=f"websocket channel {aURI.spec}")

    def _offered_protocols(self) -> list[str]:
        # RFC 6455 §4.1 item 10: each offered subprotocol is an HTTP token, offered once.
        protocols = [p.strip() for p in (self.protocol or "").split(",") if p.strip()]
        for p in protocols:
            if not _TOKEN.fullmatch(p):
                raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"subprotocol {p!r} is not an HTTP token")
        if len(set(protocols)) != len(protocols):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"a subprotocol is offered twice: {self.protocol!r}")
        return protocols

    # -- the channel task ---------------------------------------------------------------------------

    async def _run(self) -> None:
        stream: trio.abc.Stream | None = None
        try:
            assert self._open_scope is not None
            with self._open_scope:
                stream, accepted = await self._open()
            if stream is None:
                if self._status is None:  # the open deadline, not close(), cancelled us
                    self._set_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
                return
            if self._close_requested:
                # close() landed while the last handshake read was completing: the open
                # is abandoned all the same (close() chose the status), no onStart.
                return
            assert accepted is not None
            leftover, deflate = accepted.leftover, accepted.deflate
            accepted = None  # the response headers are not needed any more: free them
            await self._session(stream, leftover, deflate)
        except _OpenFailed as e:
            log.debug("websocket open failed: %s", e)
            self._set_status(e.status)
        except trio.Cancelled:
            # The trio run is ending (system tasks are cancelled when main returns).
            self._set_status(Cr.NS_ERROR_ABORT)
            raise
        except Exception:  # noqa: BLE001 - a bug here must not crash the host's trio run
            log.exception("websocket channel failed")
            self._set_status(Cr.NS_ERROR_FAILURE)
        finally:
            if isinstance(stream, trio.SocketStream):
                stream.socket.close()  # synchronous: what aclose() would do, minus two checkpoints
            elif stream is not None:
                await trio.aclose_forcefully(stream)
            self._finish()

    def _set_status(self, status: int) -> None:
        if self._status is None:
            self._status = status

    def _finish(self) -> None:
        """Release everything and call onStop (exactly once, last)."""
        if self._stopped:
            return
        self._stopped = True
        if self._registered is not None:
            self._registered.unregister()
            self._registered = None
        status = self._status
        if status is None:
            status = Cr.NS_OK if self._close_received and self._close_sent else Cr.NS_BASE_STREAM_CLOSED
        listener, context = self._listener, self._context
        self._listener = self._context = None
        self._conn = None
        self._out = []
        self._acks = []
        self._sendbuf = None
        self._deferred.clear()
        user_stop = status == Cr.NS_ERROR_NOT_CONNECTED and self._close_requested
        if status != Cr.NS_OK and not user_stop and status != Cr.NS_ERROR_ABORT:
            try:
                listener.onError()
            except Exception:  # noqa: BLE001
                log.exception("nsIWebSocketListener.onError raised")
        try:
            listener.onStop(context, status)
        except Exception:  # noqa: BLE001
            log.exception("nsIWebSocketListener.onStop raised")

    # -- opening: admission, TCP, TLS, handshake, redirects --------------------------------------------

    async def _open(self) -> tuple[trio.abc.Stream | None, Accepted | None]:
        uri = self._uri
        for _hop in range(MAX_REDIRECTS + 1):
            if self._close_requested:
                return None, None
            secure = uri.scheme == "wss"
            host = uri.asciiHost
            port = uri.port if uri.port != -1 else _DEFAULT_PORT[uri.scheme]
            resource = uri.pathQueryRef or "/"
            try:
                infos = _numeric_addrinfo(host, port)
                if infos is None:
                    infos = await trio.socket.getaddrinfo(host, port, type=trio.socket.SOCK_STREAM)
            except OSError as e:
                raise _OpenFailed(_REFUSED, f"cannot resolve {host}: {e}") from e
            if not infos:
                raise _OpenFailed(_REFUSED, f"no address for {host}")
            address = str(infos[0][4][0])
            manager = admission.current()
            fail_key = (host, port, resource)
            async with manager.connecting(address, fail_key, delay_failed=self._delay_failed) as adm:
                stream: trio.abc.Stream | None = None
                try:
                    stream = await self._connect(infos, port)
                    if secure:
                        stream = await self._start_tls(stream, host)
                    result, hs = await self._handshake(stream, uri, host, port)
                except _OpenFailed:
                    adm.failed()
                    if stream is not None:
                        await trio.aclose_forcefully(stream)
                    raise
                except BaseException:
                    if stream is not None:
                        await trio.aclose_forcefully(stream)
                    raise
                if isinstance(result, Accepted):
                    adm.succeeded()
                    self._uri = uri
                    self._protocol_chosen = result.subprotocol
                    self._extensions = result.extensions or ""
                    return stream, result
                await trio.aclose_forcefully(stream)
            uri = self._redirect_target(uri, result)
        raise _OpenFailed(_REFUSED, f"more than {MAX_REDIRECTS} redirects")

    async def _connect(self, infos: list[Any], port: int) -> trio.abc.Stream:
        # Addresses in resolver order, one at a time; the first that answers wins.
        last: OSError | None = None
        for family, type_, proto, _canon, sockaddr in infos:
            try:
                raw = socket.socket(family, type_, proto)
            except OSError as e:  # out of descriptors, family not supported...
                last = e
                continue
            raw.setblocking(False)
            sock = trio.socket.from_stdlib_socket(raw)
            try:
                await _tcp_connect(raw, sockaddr)
            except OSError as e:
                sock.close()
                last = e
                continue
            except BaseException:
                sock.close()
                raise
            self._raw_sock = raw
            stream = trio.SocketStream(sock)
            if hasattr(socket, "TCP_NOTSENT_LOWAT"):
                # trio.SocketStream caps unsent kernel data at 16 KiB (TCP_NOTSENT_LOWAT)
                # to keep send_all latency low; for a 1 MiB message that means dozens of
                # partial sends and writability wakeups.  We keep our own queue and want
                # the kernel to take whole frames: allow up to BULK_UNSENT bytes.
                try:
                    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NOTSENT_LOWAT, BULK_UNSENT)
                except OSError:
                    pass
            return stream
        raise _OpenFailed(_REFUSED, f"cannot connect: {last}")

    async def _start_tls(self, stream: trio.abc.Stream, host: str) -> trio.SSLStream[trio.abc.Stream]:
        context = self.sslContext or default_ssl_context()
        tls = trio.SSLStream(stream, context, server_hostname=host, https_compatible=True)
        try:
            await tls.do_handshake()
        except (trio.BrokenResourceError, ssl.SSLError, OSError) as e:
            await trio.aclose_forcefully(stream)
            raise _OpenFailed(Cr.NS_ERROR_NET_INADEQUATE_SECURITY, f"TLS handshake failed: {e}") from e
        self._security_info = _security_info(tls)
        return tls

    async def _handshake(
        self, stream: trio.abc.Stream, uri: Any, host: str, port: int
    ) -> tuple[Accepted | Redirect, ClientHandshake]:
        if ":" in host:
            host = f"[{host}]"
        host_header = host if uri.port == -1 else f"{host}:{port}"
        hs = ClientHandshake(
            host_header,
            uri.pathQueryRef or "/",
            origin=self._origin,
            protocols=self._protocols,
            extensions=deflate_offer() if self._deflate else None,
        )
        raw = self._raw_sock if isinstance(stream, trio.SocketStream) else None
        try:
            request = hs.request()
            if raw is None:
                await stream.send_all(request)
            else:
                # Plain TCP: the request (a few hundred bytes) nearly always fits in the
                # empty send buffer, so write it without send_all's checkpoint (one
                # scheduler pass per connection); a partial write falls back to it.
                try:
                    sent = raw.send(request)
                except (BlockingIOError, InterruptedError):
                    sent = 0
                if sent < len(request):
                    await stream.send_all(request[sent:])
            total = 0
            while True:
                if raw is None:
                    chunk = await stream.receive_some(16384)
                else:
                    # The answer cannot be there yet (the server has to wake up and
                    # compute it): wait first, then read, as _read_loop does on EAGAIN.
                    await trio.lowlevel.wait_readable(raw)
                    try:
                        chunk = raw.recv(16384)
                    except (BlockingIOError, InterruptedError):
                        continue
                if not chunk:
                    hs.receive_eof()
                total += len(chunk)
                result = hs.receive_data(bytes(chunk))
                if result is not None:
                    return result, hs
                if total > MAX_HANDSHAKE_BYTES:
                    raise _OpenFailed(_REFUSED, "handshake response too big")
        except HandshakeError as e:
            raise _OpenFailed(e.status, e.message) from e
        except (trio.BrokenResourceError, trio.ClosedResourceError, OSError) as e:
            raise _OpenFailed(_REFUSED, f"connection lost: {e}") from e

    def _redirect_target(self, uri: Any, redirect: Redirect) -> Any:
        from components.uri import newURI

        try:
            target = newURI(uri.resolve(redirect.location))
        except XPCOMError as e:
            raise _OpenFailed(_REFUSED, f"bad redirect: {e}") from e
        scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(target.scheme)
        if scheme is None:
            raise _OpenFailed(_REFUSED, f"redirect to {target.scheme}: refused")
        if scheme != target.scheme:
            target = newURI(scheme + target.spec[len(target.scheme) :])
        if uri.scheme == "wss" and scheme == "ws":
            raise _OpenFailed(_REFUSED, "redirect from wss: to ws: refused")
        if target.hasRef:
            target = newURI(target.spec.split("#", 1)[0])
        return target

    # -- the open session ---------------------------------------------------------------------------

    async def _session(self, stream: trio.abc.Stream, leftover: bytes, deflate: DeflateParams | None) -> None:
        self.protocol = self._protocol_chosen
        self._conn = Connection(max_message_size=self._max_size, deflate=deflate)
        self._last_rx = trio.current_time()
        self._open_scope = None
        self._stream = stream
        self._helpers = []
        try:
            if isinstance(stream, trio.SocketStream) and self._raw_sock is not None:
                self._direct = self._raw_sock  # see _flush: writes go straight to the socket
            else:
                self._start_writer()
            if self._ping_interval > 0:
                self._spawn_helper(self._keepalive_loop)
            with self._recv_scope:
                try:
                    self._dispatching = True
                    self._listener.onStart(self._context)
                    if leftover and not self._process(leftover):
                        raise _Stop
                except _Stop:
                    pass
                except Exception:  # noqa: BLE001
                    self._listener_failed()
                else:
                    self._dispatching = False
                    if self._flush_scheduled:
                        self._flush()
                    if not self._failing:
                        await self._read_loop(stream)
                finally:
                    self._dispatching = False
            if self._recv_scope.cancelled_caught and not self._failing and self._status is None:
                # Deadline: the close timer (no answer to our Close) or the FIN wait.
                if not self._close_received:
                    self._set_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
            if self._failing:
                if self._flush_scheduled:
                    self._flush()
                if self._out or self._writer_busy:
                    with trio.move_on_after(FIN_WAIT):
                        await self._wait_flushed()
        finally:
            self._direct = None
            await self._stop_helpers()
            self._writer_started = False
        if self._status is None and self._close_received and self._close_sent:
            self._status = Cr.NS_OK
        # Be polite on the clean TLS path (close_notify), but never wait long.  Plain
        # TCP has nothing to say: _run's aclose_forcefully closes it.
        if self._status == Cr.NS_OK and not isinstance(stream, trio.SocketStream):
            with trio.move_on_after(FIN_WAIT, shield=True):
                try:
                    await stream.aclose()
                except (trio.BrokenResourceError, trio.ClosedResourceError, OSError):
                    pass  # the peer is already gone: nothing left to be polite to

    # -- helper tasks ---------------------------------------------------------------------------------
    #
    # An idle channel should be one task and one socket.  A nursery would cost a scope, its
    # cancel status and the nursery itself for every idle connection, for tasks that most
    # connections never need (the writer only runs under backpressure or TLS, the stream
    # sender only during sendBinaryStream).  So helpers are system tasks, each in its own
    # cancel scope that the session cancels -- and then waits for -- when it ends: the same
    # guarantee a nursery gives (nothing outlives the session, nothing runs after onStop).

    def _spawn_helper(self, fn: Callable[..., Awaitable[None]], *args: Any) -> None:
        helpers = self._helpers
        if helpers is None:
            return  # the session is over: nothing may start any more
        scope = trio.CancelScope()
        helpers.append(scope)
        trio.lowlevel.spawn_system_task(self._helper, scope, fn, args, name=getattr(fn, "__name__", "helper"))

    async def _helper(self, scope: trio.CancelScope, fn: Callable[..., Awaitable[None]], args: Any) -> None:
        try:
            with scope:
                await fn(*args)
        except Exception:  # noqa: BLE001 - a system task must not crash the host's run
            log.exception("websocket helper task failed")
            self._fail(1011, Cr.NS_ERROR_FAILURE)
        finally:
            helpers = self._helpers
            if helpers is not None:
                helpers.remove(scope)
                if not helpers and self._helpers_done is not None:
                    self._helpers_done.set()

    async def _stop_helpers(self) -> None:
        helpers = self._helpers
        if helpers:
            self._helpers_done = done = trio.Event()
            for scope in helpers:
                scope.cancel()
            with trio.CancelScope(shield=True):
                await done.wait()
        self._helpers = None
        self._helpers_done = None

    async def _read_loop(self, stream: trio.abc.Stream) -> None:
        size = RECEIVE_MIN
        keepalive = self._ping_interval > 0
        # Plain TCP: recv() straight on the stdlib socket, after a checkpoint (fairness,
        # cancellation), and wait for readability only when it says EAGAIN -- the same
        # I/O as trio's receive_some without its wrapper layers.  Trying first matters
        # more than it looks: measured on loopback request/response traffic, waiting
        # first (to save the failing recv) cost a quarter of the round-trip rate,
        # because the reply usually lands while the scheduler passes the checkpoint, and
        # then the task never goes to sleep in epoll at all.  TLS goes through the
        # SSLStream, of course.
        #
        # While the payload of a large frame is arriving, the core offers a view of the
        # missing bytes of its final ``bytes`` object (C accelerator only): the read goes
        # straight there with recv_into -- no read buffer to allocate (and for glibc to
        # trim and fault back in), and no copy.  A 1 MiB echo then reads its header and
        # first chunk with recv() and the rest in place.
        raw = self._direct
        receive = stream.receive_some
        wait_readable = trio.lowlevel.wait_readable
        checkpoint = trio.lowlevel.checkpoint
        conn = self._conn
        assert conn is not None
        receive_buffer = conn.receive_buffer
        data: bytes | bytearray
        while True:
            filled = 0
            try:
                if raw is None:
                    data = await receive(size)
                else:
                    await checkpoint()
                    span = receive_buffer()
                    if span is None:
                        try:
                            data = raw.recv(size)
                        except BlockingIOError:
                            await wait_readable(raw)
                            data = raw.recv(size)
                    else:
                        try:
                            filled = raw.recv_into(span)
                        except BlockingIOError:
                            span.release()
                            await wait_readable(raw)
                            again = receive_buffer()
                            assert again is not None  # only this loop feeds the core
                            with again:
                                filled = raw.recv_into(again)
                        finally:
                            span.release()
                        data = b""  # (recv_into returned 0 at EOF: filled stays 0)
            except (BlockingIOError, InterruptedError):
                continue  # a spurious wakeup: try again
            except (trio.BrokenResourceError, trio.ClosedResourceError, OSError):
                data = b""
            if not data and not filled:
                if not self._close_received:
                    self._set_status(Cr.NS_BASE_STREAM_CLOSED)
                return
            if not filled:
                n = len(data)
                if n == size:
                    if size < RECEIVE_MAX:
                        size <<= 1
                elif n < size >> 2 and size > RECEIVE_MIN:
                    size >>= 1  # mostly empty reads: a big buffer per read only costs page faults
            if keepalive:
                self._last_rx = trio.current_time()
                if self._pong_wait is not None:
                    self._pong_wait.set()
                    self._pong_wait = None
            self._dispatching = True
            try:
                if not self._dispatch(conn.receive_filled(filled) if filled else conn.receive_data(data)):
                    return
            except Exception:  # noqa: BLE001 - a listener method raised
                self._listener_failed()
                return
            finally:
                self._dispatching = False
            # Everything the listener sent while we dispatched this chunk goes out now, in
            # one write, before we wait for more input: the request/response fast path
            # costs no task switch at all.
            if self._flush_scheduled:
                self._flush()

    def _process(self, data: bytes | bytearray) -> bool:
        """Feed received bytes to the core and dispatch the events; False: stop reading."""
        conn = self._conn
        assert conn is not None
        return self._dispatch(conn.receive_data(data))

    def _dispatch(self, events: list[Any]) -> bool:
        """Call the listener for each event of the core; False: stop reading."""
        conn = self._conn
        assert conn is not None
        control = conn.take_control()
        if control:
            self._push_control(control)
        if not events:
            return True
        listener, ctx = self._listener, self._context
        for ev in events:
            kind = type(ev)
            if kind is TextMessage:
                listener.onMessageAvailable(ctx, ev.data)
            elif kind is BinaryMessage:
                listener.onBinaryMessageAvailable(ctx, ev.data)
            elif kind is CloseReceived:
                self._server_closed(ev.code, ev.reason)
            elif kind is ProtocolFailure:
                self._fail(ev.code, ev.status)
                return False
            # PingReceived / PongReceived: the core answered pings already.
        return True

    def _server_closed(self, code: int, reason: str) -> None:
        self._close_received = True
        self._acks.clear()  # no acknowledgements after onServerClose
        try:
            self._listener.onServerClose(self._context, code, reason)
        finally:
            if not self._close_sent:
                # The listener did not answer: echo the code (none for codes that
                # never go on the wire), so the close handshake completes.
                self._deferred.clear()
                self._send_close_now(None if code in _NO_WIRE_CODES else code, "")
            self._shorten_recv_deadline(FIN_WAIT)

    def _listener_failed(self) -> None:
        log.exception("an nsIWebSocketListener method raised; failing the connection with 1011")
        self._fail(1011, Cr.NS_ERROR_FAILURE)

    def _fail(self, code: int | None, status: int) -> None:
        """Fail the connection (RFC 6455 §7.1.7): Close with *code* first, stop reading."""
        if self._failing or self._stopped:
            return
        self._failing = True
        self._set_status(status)
        self._deferred.clear()
        self._acks.clear()
        if self._conn is not None and not self._close_sent and not self._close_received:
            self._close_sent = True
            # Queued data is abandoned; control frames already queued (pongs, or the
            # Close the core queued for a protocol failure) stay, then our Close.
            del self._out[self._n_ctrl :]
            try:
                frame = self._conn.send_close(code, "")
            except Exception:  # noqa: BLE001
                log.exception("could not frame the failure Close")
                frame = b""
            if frame:
                self._push_control(frame)
        self._recv_scope.cancel()

    def _shorten_recv_deadline(self, seconds: float) -> None:
        deadline = trio.current_time() + seconds
        if deadline < self._recv_scope.deadline:
            self._recv_scope.deadline = deadline

    # -- the writer -----------------------------------------------------------------------------------

    def _push(self, data: bytes | memoryview, ack: int) -> None:
        self._out.append(data)
        if ack >= 0:
            self._acks.append(ack)
        self._kick()

    def _push_control(self, data: bytes) -> None:
        self._out.insert(self._n_ctrl, data)
        self._n_ctrl += 1
        self._kick()

    def _kick(self) -> None:
        """Get queued bytes written: wake the writer task, or schedule a direct flush.

        Without a writer task (plain TCP, no backpressure so far) the flush happens
        after the current receive chunk is dispatched (when we are inside the read
        loop), or in a run_sync_soon callback -- after the calling task yields, so a
        burst of sends from a task still coalesces into one write.
        """
        if self._writer_started:
            wake = self._wake
            if wake is not None:
                self._wake = None
                wake.set()
        elif not self._flush_scheduled and self._direct is not None:
            self._flush_scheduled = True
            if not self._dispatching:
                assert self._token is not None
                self._token.run_sync_soon(self._flush_soon)

    def _flush_soon(self) -> None:
        if not self._flush_scheduled or self._stopped:
            return
        try:
            self._flush()
        except Exception:  # noqa: BLE001 - must never raise into trio's run loop
            log.exception("websocket flush failed")

    def _flush(self) -> None:
        """Write the queue straight to the non-blocking socket (plain TCP only).

        Whatever the kernel does not take at once is handed to a writer task, which
        does all the writing until the backlog is gone, then exits.
        """
        self._flush_scheduled = False
        raw = self._direct
        out = self._out
        if raw is None or not out or self._writer_started:
            if out and self._writer_started:
                self._kick()
            return
        acks = self._acks
        self._out = []
        self._acks = []
        self._n_ctrl = 0
        data = out[0] if len(out) == 1 else b"".join(out)
        try:
            sent = raw.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            if not self._close_received:
                self._set_status(Cr.NS_BASE_STREAM_CLOSED)
            self._recv_scope.cancel()
            return
        if sent < len(data):
            # Backpressure: the rest (and its acknowledgements) go first in the queue,
            # ahead of any control frame -- a frame already begun must be finished.
            self._out = [memoryview(data)[sent:], *self._out]
            self._acks = acks + self._acks
            self._n_ctrl = 1
            self._start_writer()
            return
        # Drop our references to what was written before any listener method runs: an
        # onAcknowledge that sends the next big message may grow the reusable send buffer,
        # which a live view of it would forbid (BufferError).
        del data, out
        flushed = self._flushed
        if flushed is not None:
            self._flushed = None
            flushed.set()
        if acks and not self._close_received and not self._failing:
            self._acknowledge(acks)

    def _acknowledge(self, acks: list[int]) -> None:
        listener, ctx = self._listener, self._context
        try:
            for size in acks:
                listener.onAcknowledge(ctx, size)
        except Exception:  # noqa: BLE001 - the writer lives on to send the 1011 Close
            self._listener_failed()

    def _start_writer(self) -> None:
        if not self._writer_started and self._helpers is not None and self._stream is not None:
            self._writer_started = True
            self._spawn_helper(self._write_loop, self._stream)

    async def _write_loop(self, stream: trio.abc.Stream) -> None:
        send_all = stream.send_all
        try:
            while True:
                out = self._out
                if not out:
                    flushed = self._flushed
                    if flushed is not None:
                        self._flushed = None
                        flushed.set()
                    if self._direct is not None:
                        # Plain TCP and the backlog is gone: back to direct writes, and
                        # back to one task per channel.
                        self._writer_started = False
                        return
                    self._wake = wake = trio.Event()
                    await wake.wait()
                    continue
                acks = self._acks
                self._out = []
                self._acks = []
                self._n_ctrl = 0
                self._writer_busy = True
                await send_all(out[0] if len(out) == 1 else b"".join(out))
                out = []  # (no view of the reusable send buffer may outlive the write; see _flush)
                self._writer_busy = False
                if acks and not self._close_received and not self._failing:
                    self._acknowledge(acks)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            self._writer_busy = False
            if not self._close_received:
                self._set_status(Cr.NS_BASE_STREAM_CLOSED)
            self._recv_scope.cancel()

    async def _wait_flushed(self) -> None:
        while self._out or self._writer_busy:
            if self._flushed is None:
                self._flushed = trio.Event()
            await self._flushed.wait()

    # -- keepalive ------------------------------------------------------------------------------------

    async def _keepalive_loop(self) -> None:
        """Firefox's keepalive: a ping after pingInterval without received bytes, then
        pingTimeout for any bytes to arrive; any received bytes reset the timer."""
        interval, timeout = float(self._ping_interval), float(self._ping_timeout)
        while True:
            await trio.sleep_until(self._last_rx + interval)
            if trio.current_time() < self._last_rx + interval:
                continue  # bytes arrived meanwhile
            if self._close_sent or self._close_received or self._conn is None:
                return
            self._pong_wait = got = trio.Event()
            self._push_control(self._conn.send_ping(b""))
            with trio.move_on_after(timeout if timeout > 0 else math.inf):
                await got.wait()
            if not got.is_set():
                self._pong_wait = None
                log.debug("websocket keepalive: no answer within %s s", timeout)
                self._fail(1002, Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
                return

    # -- sending --------------------------------------------------------------------------------------

    def _check_send(self) -> Connection:
        # Firefox's order: after close() it is UNEXPECTED (even once stopped), then
        # stopped is NOT_CONNECTED; before the connection is up, UNEXPECTED too.
        if self._close_requested:
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, "close() was called")
        if self._stopped:
            raise XPCOMError(Cr.NS_ERROR_NOT_CONNECTED, "the channel has stopped")
        conn = self._conn
        if conn is None or self._close_sent or self._failing:
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, "the channel is not open for sending")
        return conn

    def _too_big(self, size: int) -> None:
        if size > self._max_size:
            raise XPCOMError(
                Cr.NS_ERROR_FILE_TOO_BIG, f"{size} bytes is above network.websocket.max-message-size"
            )

    def _off_thread(self) -> bool:
        return self._thread is not None and threading.get_ident() != self._thread

    def _marshal(self, fn: Callable[..., None], *args: Any) -> None:
        assert self._token is not None
        try:
            self._token.run_sync_soon(self._guarded, fn, args)
        except trio.RunFinishedError:
            raise XPCOMError(Cr.NS_ERROR_NOT_CONNECTED, "the trio run has finished") from None

    def _guarded(self, fn: Callable[..., None], args: tuple[Any, ...]) -> None:
        # Runs on the trio thread.  The state may have changed since the caller's
        # check (a close, a failure); then the call is dropped, as if it had been
        # made a moment later.  It must never raise into trio.
        try:
            fn(*args)
        except XPCOMError as e:
            log.debug("dropped a send from another thread: %s", e)
        except Exception:  # noqa: BLE001
            log.exception("a send from another thread failed")

    def sendMsg(self, aMsg: str) -> None:
        if type(aMsg) is not str:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"sendMsg takes a str, not {type(aMsg).__name__}")
        conn = self._check_send()
        size = len(aMsg) if aMsg.isascii() else _utf8_size(aMsg)
        if size > self._max_size:
            self._too_big(size)
        if self._thread != threading.get_ident():
            self._marshal(self._send_text, aMsg, size)
        elif self._streaming:
            self._deferred.append((_TEXT, aMsg, size))
        else:
            self._push(conn.send_text(aMsg), size)

    def sendBinaryMsg(self, aMsg: bytes | bytearray | memoryview) -> None:
        if not isinstance(aMsg, (bytes, bytearray, memoryview)):
            raise XPCOMError(
                Cr.NS_ERROR_ILLEGAL_VALUE, f"sendBinaryMsg takes bytes, not {type(aMsg).__name__}"
            )
        conn = self._check_send()
        size = aMsg.nbytes if isinstance(aMsg, memoryview) else len(aMsg)
        if size > self._max_size:
            self._too_big(size)
        if self._thread != threading.get_ident():
            # The caller may reuse its buffer once we return: take a copy.
            self._marshal(self._send_binary, bytes(aMsg), size)
        elif self._streaming:
            self._deferred.append((_BINARY, bytes(aMsg), size))
        elif SENDBUF_MIN <= size <= SENDBUF_MAX and not self._out and not self._writer_busy:
            # A big message with nothing queued or being written: frame it into the
            # channel's reusable buffer (nothing else can still refer to it) rather than
            # a fresh allocation per message, which glibc trims back to the kernel and
            # faults in again -- a quarter of the 1 MiB echo's CPU time.
            buf = self._sendbuf
            if buf is None:
                buf = self._sendbuf = bytearray()
            n = conn.send_binary_into(aMsg, buf)
            self._push(memoryview(buf)[:n], size)
        else:
            self._push(conn.send_binary(aMsg), size)

    def _send_text(self, msg: str, size: int) -> None:
        conn = self._check_send()
        if self._streaming:
            self._deferred.append((_TEXT, msg, size))
        else:
            self._push(conn.send_text(msg), size)

    def _send_binary(self, msg: bytes, size: int) -> None:
        conn = self._check_send()
        if self._streaming:
            self._deferred.append((_BINARY, msg, size))
        else:
            self._push(conn.send_binary(msg), size)

    def sendBinaryStream(self, aStream: Any, length: int) -> None:
        from components.streams import as_input_stream

        if aStream is None:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "sendBinaryStream needs a stream")
        if not _is_unsigned_long(length):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not an unsigned long: {length!r}")
        self._check_send()
        self._too_big(length)
        stream = as_input_stream(aStream)
        if self._off_thread():
            self._marshal(self._send_stream, stream, length)
        else:
            self._send_stream(stream, length)

    def _send_stream(self, stream: Any, length: int) -> None:
        self._check_send()
        if self._streaming:
            self._deferred.append((_STREAM, stream, length))
        else:
            self._start_stream(stream, length)

    def _start_stream(self, stream: Any, length: int) -> None:
        self._streaming = True
        self._spawn_helper(self._stream_task, stream, length)

    async def _stream_task(self, stream: Any, length: int) -> None:
        """Send *length* bytes of *stream* as one binary message, one fragment per chunk.

        The next chunk is read (on a worker thread) while the previous one is being
        written, and at most one chunk waits in the queue: memory stays at a few
        chunks whatever the length.
        """
        conn = self._conn
        assert conn is not None
        try:
            remaining = length
            first = True
            data = await self._read_chunk(stream, min(STREAM_CHUNK, remaining))
            while True:
                if len(data) < min(STREAM_CHUNK, remaining):
                    log.debug("sendBinaryStream: the stream ended %d bytes short", remaining - len(data))
                    self._fail(1009, Cr.NS_ERROR_FILE_TOO_BIG)
                    return
                remaining -= len(data)
                last = remaining == 0
                if self._failing or self._close_received:
                    return
                self._push(conn.send_fragment(data, first=first, last=last), length if last else -1)
                first = False
                if last:
                    break
                data = await self._read_chunk(stream, min(STREAM_CHUNK, remaining))
                await self._wait_flushed()
        except Exception:  # noqa: BLE001 - the stream's read raised
            log.exception("sendBinaryStream: reading the stream failed")
            self._fail(1011, Cr.NS_ERROR_FAILURE)
            return
        finally:
            try:
                stream.close()
            except Exception:  # noqa: BLE001
                pass
        self._streaming = False
        self._drain_deferred()

    async def _read_chunk(self, stream: Any, want: int) -> bytes:
        """Up to *want* bytes; shorter only at the end of the stream."""
        if want <= 0:
            return b""
        parts: list[bytes] = []
        got = 0
        while got < want:
            data = await trio.to_thread.run_sync(stream.read, want - got)
            if not data:
                break
            parts.append(data)
            got += len(data)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def _drain_deferred(self) -> None:
        conn = self._conn
        deferred = self._deferred
        while deferred and not self._streaming and conn is not None:
            kind, *args = deferred.pop(0)
            if kind == _TEXT:
                self._push(conn.send_text(args[0]), args[1])
            elif kind == _BINARY:
                self._push(conn.send_binary(args[0]), args[1])
            elif kind == _STREAM:
                self._start_stream(args[0], args[1])
            elif kind == _CLOSE:
                self._send_close_now(args[0], args[1])

    # -- close ----------------------------------------------------------------------------------------

    def close(self, aCode: int, aReason: str) -> None:
        # Firefox's order of checks: a repeated close() is a no-op whatever its
        # arguments (even after onStop); then "stopped"; then the arguments.
        if self._close_requested:
            return
        if self._stopped:
            raise XPCOMError(Cr.NS_ERROR_NOT_AVAILABLE, "the channel has stopped")
        if not self._opened:
            raise XPCOMError(Cr.NS_ERROR_NOT_CONNECTED, "the channel was never opened")
        aReason = aReason or ""
        if (len(aReason) if aReason.isascii() else _utf8_size(aReason)) > 123:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a close reason is at most 123 bytes of UTF-8")
        code = aCode or None
        if code is not None and not is_valid_close_code(code):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"{code} cannot be sent in a Close frame")
        if self._off_thread():
            self._marshal(self._close, code, aReason)
        else:
            self._close(code, aReason)

    def _close(self, code: int | None, reason: str) -> None:
        if self._close_requested or self._stopped:
            return  # a second close is a no-op
        self._close_requested = True
        if self._conn is None:
            # Still connecting: abandon the open.  Going away is not an error.
            self._set_status(Cr.NS_OK if code == 1001 else Cr.NS_ERROR_NOT_CONNECTED)
            if self._open_scope is not None:
                self._open_scope.cancel()
            return
        if self._close_sent or self._failing:
            return
        if self._streaming:
            self._deferred.append((_CLOSE, code, reason))
        else:
            self._send_close_now(code, reason)

    def _send_close_now(self, code: int | None, reason: str) -> None:
        conn = self._conn
        if conn is None or self._close_sent:
            return
        self._close_sent = True
        frame = conn.send_close(code, reason)
        if (self._direct is not None and not self._dispatching and not self._writer_started
                and not self._flush_scheduled and not self._acks):
            # A Close from outside a listener callback, nothing else waiting: write it now
            # rather than via run_sync_soon (one wakeup syscall and loop pass less per
            # connection).  Only when no acknowledgement is pending, so that no listener
            # method runs inside the caller's close().
            self._out.append(frame)
            self._flush()
        else:
            self._push(frame, -1)
        if self._close_received:
            self._shorten_recv_deadline(FIN_WAIT)
        else:
            self._shorten_recv_deadline(self._close_timeout if self._close_timeout > 0 else math.inf)


def _security_info(tls: trio.SSLStream[Any]) -> Any:
    from components.security import from_ssl

    try:
        # trio.SSLStream forwards cipher(), version(), getpeercert()... to its SSLObject.
        return from_ssl(tls)
    except Exception:  # noqa: BLE001
        log.exception("could not build securityInfo")
        return None


@component(
    classID="{1e9d3a57-6f1c-4b8e-9d2a-5c7b0e4f8a61}",
    contractIDs=("@mozilla.org/network/protocol;1?name=ws",),
)
@implementer(Ci.nsIWebSocketChannel)
class WebSocketChannel(_BaseChannel):
    """An unencrypted (ws:) WebSocket channel."""

    __slots__ = ()
    _scheme = "ws"


@component(
    classID="{7b3f2c18-94d0-4e6a-b1c5-2a8e6d9f0b34}",
    contractIDs=("@mozilla.org/network/protocol;1?name=wss",),
)
@implementer(Ci.nsIWebSocketChannel)
class SecureWebSocketChannel(_BaseChannel):
    """An encrypted (wss:) WebSocket channel: TLS over the system trust store by default."""

    __slots__ = ()
    _scheme = "wss"
