"""nsIWebSocketChannel for ``ws:`` and ``wss:``: the XPCOM class.

Theory of operation
-------------------
The channel is the layer a host application touches.  It checks arguments the way
Firefox does, keeps the listener, and guarantees the listener's contract: nothing
before asyncOpen returns, methods only on the trio thread, onStop exactly once,
last, with a status the README documents.  The work is done by collaborators with
one job each:

* :mod:`.protocol` -- the sans-I/O core.  The channel's state *is* the core
  :class:`Connection`'s, created at asyncOpen in CONNECTING: OPEN once the server
  accepted, then CLOSE_SENT / CLOSE_RECEIVED / FAILING / CLOSED, with the legal
  transitions in the core's one table.  The channel adds only what the core cannot
  know: that close() was called (sends are then refused, a second close is a
  no-op) and that onStop has run.
* :mod:`.opener` -- resolve, admission, connect, TLS, handshake, redirects.
* :mod:`.session` -- the open connection: reads, listener dispatch, failure, the
  close and keepalive timers, sendBinaryStream.
* :mod:`.sendqueue` and :mod:`.transport` -- frames on their way out, and the byte
  pipe (with the plain-TCP fast paths inside it).

One channel = one *system task* (``trio.lowlevel.spawn_system_task``): asyncOpen
is synchronous, as in Firefox, so it needs no nursery from the caller, yet nothing
outlives the run (trio cancels system tasks when the main task returns), and the
task's ``finally`` closes the transport and calls onStop.

Threads: listener methods run only on the trio thread.  The send methods and
close() may be called from any thread; off the trio thread they check what they
can and hand the work to the run with ``TrioToken.run_sync_soon`` (FIFO, so order
is kept among calls from one thread), where the state is checked again.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import trio
from zope.interface import implementer

from components.interfaces import Ci
from components.manager import component
from components.results import Cr, XPCOMError

if TYPE_CHECKING:
    from components.websocket.admission import AdmissionManager
    from components.websocket.opener import OpenRequest
    from components.websocket.protocol.connection import Connection
    from components.websocket.protocol.httpfields import HeaderList
    from components.websocket.session import Session
    from components.websocket.transport import Transport

# The rest of the driver (the core, h11, deflate, the opener, the session) is imported when a
# channel first opens, not with this module: host applications resolve and create components at
# start-up, where createInstance must cost little, and most of that code only matters once a
# connection is being made.  (A function-level import after the first is a dict lookup.)

__all__ = ["SecureWebSocketChannel", "WebSocketChannel"]  # and the re-exports below

#: Names this module re-exports from the driver's modules, imported on first access.
_REEXPORTS: Final = {
    "FIN_WAIT": "components.websocket.session",
    "MAX_REDIRECTS": "components.websocket.opener",
    "default_ssl_context": "components.websocket.transport",
    "set_default_ssl_context": "components.websocket.transport",
    "_numeric_addrinfo": "components.websocket.transport",  # (tests reach the resolver fast path)
}


def __getattr__(name: str) -> Any:
    module = _REEXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


log = logging.getLogger("components.websocket")

_TOKEN: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_UNSIGNED_LONG_MAX: Final = 2**32 - 1


#: Firefox numbers channels with a per-process counter from 1 (in the parent process the
#: process-id bits of the serial are 0); devtools' frame log names channels by it.
_SERIALS: Final = itertools.count()

#: The frame log's hook (components.websocket.eventservice), installed when that service is
#: first created: called at asyncOpen with the channel, its core connection and its listener,
#: it returns the listener to use.  Until then channels pay nothing for the frame log.
event_hook: Callable[[Any, Any, Any], Any] | None = None


def _is_unsigned_long(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _UNSIGNED_LONG_MAX


def _utf8_size(text: str) -> int:
    """UTF-8 length of *text*; a lone surrogate (which has no UTF-8 form) is refused."""
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a lone surrogate has no UTF-8 form") from None


def _buffer_full(size: int) -> XPCOMError:
    # Firefox's DOM WebSocket throws NS_ERROR_OUT_OF_MEMORY when its bufferedAmount cannot grow;
    # here the bound is a preference.  The message is not accepted; the connection stays open.
    return XPCOMError(
        Cr.NS_ERROR_OUT_OF_MEMORY,
        f"{size} more bytes would exceed network.websocket.max-buffered-bytes: wait for onAcknowledge",
    )


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


class _BaseChannel:
    """The channel; the two registered classes differ only in the scheme they accept."""

    _scheme: str = "ws"

    # Slots: an idle channel is mostly this object, and the idle benchmark counts bytes
    # per connection (a __dict__ would be ~1.5 KiB of it).
    __slots__ = (
        "_close_requested", "_close_timeout", "_conn", "_context", "_extensions", "_http_version",
        "_leftover", "_listener", "_max_size", "_open_scope", "_original_uri", "_ping_interval",
        "_ping_timeout", "_registered",
        "_request", "_security_info", "_session", "_status", "_stopped", "_thread", "_token", "_uri",
        "loadGroup", "loadInfo", "notificationCallbacks", "protocol", "sslContext", "__weakref__",
        "_request_headers", "cookieJar",
        "_serial", "compression", "failureMessage", "maxMessageSize",
        "proxyInfo",
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
        self.sslContext: Any = None
        #: Python extension (nsIProxiedChannel's attribute): the nsIProxyInfo to connect through,
        #: set before asyncOpen (None: the protocol proxy service decides; a "direct" one: no
        #: proxy); once open, the proxy that was used (None: direct).
        self.proxyInfo: Any = None
        #: Python extension: the http.cookiejar.CookieJar for this channel's handshakes (None: the
        #: default jar of components.websocket.cookies, if one was installed).
        self.cookieJar: Any = None
        #: The extra request headers (User-Agent first), made on first use; see setRequestHeader.
        self._request_headers: HeaderList | None = None
        #: Python extensions: this channel's max-message-size and permessage-deflate offer
        #: (None: the preference), and after onStop why it failed ("" when it did not).
        self.maxMessageSize: int | None = None
        self.compression: bool | None = None
        self.failureMessage = ""
        self._serial = next(_SERIALS) % _UNSIGNED_LONG_MAX + 1
        self._original_uri: Any = None
        self._uri: Any = None
        self._extensions = ""
        self._http_version = ""
        self._security_info: Any = None
        #: The core connection: None until asyncOpen; its state is the channel's.
        self._conn: Connection | None = None
        self._session: Session | None = None
        self._close_requested = False  # close() was called: sends refused, close() a no-op
        self._stopped = False  # onStop has run
        self._status: int | None = None  # onStop's status, first one wins
        self._listener: Any = None
        self._context: Any = None
        self._thread: int | None = None
        self._token: trio.lowlevel.TrioToken | None = None
        self._request: OpenRequest | None = None
        self._leftover = b""  # bytes that came with the 101, for the session
        self._max_size = 0
        self._close_timeout = 20.0
        self._open_scope: trio.CancelScope | None = None  # the open's deadline and close()
        self._registered: AdmissionManager | None = None

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
    def httpVersion(self) -> str:
        """Python extension: the HTTP version that carried the opening handshake, "h2"
        (an RFC 8441 stream of a shared HTTP/2 connection) or "http/1.1"; "" until open."""
        return self._http_version

    @property
    def serial(self) -> int:
        return self._serial

    @serial.setter
    def serial(self, value: int) -> None:
        if not _is_unsigned_long(value):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not an unsigned long: {value!r}")
        self._serial = value

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
        if self._conn is not None:
            raise XPCOMError(Cr.NS_ERROR_IN_PROGRESS, "keepalive settings are fixed by asyncOpen")
        if not _is_unsigned_long(seconds):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not an unsigned long: {seconds!r}")
        return seconds

    # -- request headers (Python extension, nsIHttpChannel's methods) ------------------------------

    def _headers(self) -> HeaderList:
        headers = self._request_headers
        if headers is None:
            from components.websocket.httpchannel import channel_headers

            headers = self._request_headers = channel_headers(_prefs())
        return headers

    def setRequestHeader(self, aHeader: str, aValue: str, aMerge: bool) -> None:
        """Set, merge or clear an extra handshake header before asyncOpen (nsIHttpChannel's rules:
        NS_ERROR_ILLEGAL_VALUE for a protocol-owned or invalid field)."""
        if self._conn is not None:
            raise XPCOMError(Cr.NS_ERROR_IN_PROGRESS, "request headers are fixed by asyncOpen")
        from components.websocket.httpchannel import set_request_header

        set_request_header(self._headers(), aHeader, aValue, aMerge)

    def getRequestHeader(self, aHeader: str) -> str:
        from components.websocket.httpchannel import get_request_header

        return get_request_header(self._headers(), aHeader)

    def visitRequestHeaders(self, aVisitor: Any) -> None:
        from components.websocket.httpchannel import visit_headers

        visit_headers(self._headers(), aVisitor)

    # -- asyncOpen ----------------------------------------------------------------------------------

    def asyncOpen(self, aURI: Any, aOrigin: str, aListener: Any, aContext: Any) -> None:
        # Firefox's checks and order: a null URI or listener is NS_ERROR_UNEXPECTED,
        # then a second open is NS_ERROR_ALREADY_OPENED.
        if aURI is None:
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, "asyncOpen needs a URI")
        if aListener is None:
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, "asyncOpen needs a listener")
        if self._conn is not None:
            raise XPCOMError(Cr.NS_ERROR_ALREADY_OPENED, "the channel was opened before")
        aURI = self._check_uri(aURI)
        protocols = self._offered_protocols()
        proxy = self._checked_proxy_info()
        try:
            token = trio.lowlevel.current_trio_token()
        except RuntimeError:
            raise XPCOMError(Cr.NS_ERROR_NOT_AVAILABLE, "asyncOpen must run inside trio.run") from None
        from components.websocket import admission
        from components.websocket.httpchannel import HandshakeRequests, channel_headers
        from components.websocket.opener import OpenRequest
        from components.websocket.protocol.connection import Connection, Role

        prefs = _prefs()
        manager = admission.current()
        if not manager.register(_int_pref(prefs, "network.websocket.max-connections", 200)):
            raise XPCOMError(Cr.NS_ERROR_SOCKET_CREATE_FAILED, "network.websocket.max-connections reached")
        self._registered = manager
        self._max_size = (
            _int_pref(prefs, "network.websocket.max-message-size", 67108864)
            if self.maxMessageSize is None
            else self.maxMessageSize
        )
        self._conn = Connection(Role.CLIENT, max_message_size=self._max_size)
        self._close_timeout = _int_pref(prefs, "network.websocket.timeout.close", 20)
        open_timeout = _int_pref(prefs, "network.websocket.timeout.open", 20)
        self._open_scope = trio.CancelScope(
            deadline=trio.current_time() + open_timeout if open_timeout > 0 else math.inf
        )
        self._request = OpenRequest(
            aURI,
            aOrigin or "",
            protocols,
            deflate=(
                _bool_pref(prefs, "network.websocket.extensions.permessage-deflate", True)
                if self.compression is None
                else bool(self.compression)
            ),
            ssl_context=self.sslContext,
            delay_failed=_bool_pref(prefs, "network.websocket.delay-failed-reconnects", True),
            http2=_bool_pref(prefs, "network.http.http2.websockets", True),
        )
        self._request.channel = self
        self._request.proxy = proxy
        # (Not kept on the channel when the host set none: an idle channel should stay small.)
        headers = self._request_headers if self._request_headers is not None else channel_headers(prefs)
        self._request.http = HandshakeRequests(self, aURI, headers, self.cookieJar)
        if self._original_uri is None:
            self._original_uri = aURI
        self._uri = aURI
        self._listener = aListener
        self._context = aContext
        self._thread = threading.get_ident()
        self._token = token
        if event_hook is not None:
            self._listener = event_hook(self, self._conn, aListener)
        trio.lowlevel.spawn_system_task(self._run, name=f"websocket channel {aURI.spec}")

    def _checked_proxy_info(self) -> Any:
        if self.proxyInfo is None:
            return None
        from components.proxy.info import as_proxy_info

        return as_proxy_info(self.proxyInfo)  # (NS_ERROR_ILLEGAL_VALUE when it is not one)

    def _check_uri(self, uri: Any) -> Any:
        if isinstance(uri, str):
            from components.uri import newURI

            uri = newURI(uri)
        if uri.scheme != self._scheme:
            raise XPCOMError(
                Cr.NS_ERROR_ILLEGAL_VALUE, f"a {self._scheme}: channel cannot open a {uri.scheme}: URI"
            )
        if uri.hasRef:
            # RFC 6455 §3: fragment identifiers MUST NOT be used on WebSocket URIs.
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a WebSocket URI must not have a fragment")
        if not uri.asciiHost:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a WebSocket URI needs a host")
        return uri

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
        from components.websocket.opener import OpenFailed

        transport: Transport | None = None
        try:
            transport = await self._open()
            if transport is not None:
                assert self._session is not None
                leftover, self._leftover = self._leftover, b""
                await self._session.run(leftover)
        except OpenFailed as e:
            log.debug("websocket open failed: %s", e)
            self._set_status(e.status)
            self.failureMessage = str(e)
        except trio.Cancelled:
            # The trio run is ending (system tasks are cancelled when main returns).
            self._set_status(Cr.NS_ERROR_ABORT)
            raise
        except Exception:  # noqa: BLE001 - a bug here must not crash the host's trio run
            log.exception("websocket channel failed")
            self._set_status(Cr.NS_ERROR_FAILURE)
        finally:
            if transport is not None:
                await transport.abort()
            self._finish()

    async def _open(self) -> Transport | None:
        """Open the connection and make the session; None when the open was abandoned."""
        from components.websocket.opener import open_websocket
        from components.websocket.session import Session

        assert self._request is not None and self._conn is not None
        opened = None
        assert self._open_scope is not None
        with self._open_scope:
            opened = await open_websocket(self._request)
        self._open_scope = None  # (an idle connection should not keep it)
        if opened is None:
            if self._status is None:
                self.failureMessage = "no answer within network.websocket.timeout.open"
            self._set_status(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)  # unless close() chose one
            return None
        self._request = None
        if self._close_requested:
            # close() landed while the last handshake read was completing: the open is
            # abandoned all the same (close() chose the status), no onStart.
            await opened.transport.abort()
            return None
        accepted, transport = opened.accepted, opened.transport
        self._conn.establish(accepted.deflate)
        self._uri = opened.uri
        self.proxyInfo = opened.proxy
        self.protocol = accepted.subprotocol
        self._extensions = accepted.extensions or ""
        self._security_info = transport.security_info
        self._http_version = transport.http_version
        self._leftover = accepted.leftover
        self._session = Session(
            self._conn,
            transport,
            self._listener,
            self._context,
            report=self._set_status,
            close_timeout=self._close_timeout,
            ping_interval=self._ping_interval,
            ping_timeout=self._ping_timeout,
            max_buffered=_int_pref(_prefs(), "network.websocket.max-buffered-bytes", 67108864),
        )
        return transport

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
        from components.websocket.protocol.states import CONNECTING  # (loaded by asyncOpen)

        conn = self._conn
        assert conn is not None
        if conn.state is CONNECTING:  # the open never completed
            conn.abandon()
        status = self._status
        if status is None:
            status = Cr.NS_OK if conn.closed_cleanly else Cr.NS_BASE_STREAM_CLOSED
        if status != Cr.NS_OK and not self.failureMessage and conn.failure is not None:
            self.failureMessage = conn.failure.reason
        listener, context = self._listener, self._context
        self._listener = self._context = self._session = self._request = None
        self._leftover = b""
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

    # -- sending --------------------------------------------------------------------------------------

    def _sending(self) -> Session:
        """The session to send on, or the XPCOM error Firefox gives for this state.

        Its order: after close() it is UNEXPECTED (even once stopped), then stopped is
        NOT_CONNECTED; before the connection is up, or once it cannot send any more
        (our Close went, or it failed), UNEXPECTED too.
        """
        if self._close_requested:
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, "close() was called")
        if self._stopped:
            raise XPCOMError(Cr.NS_ERROR_NOT_CONNECTED, "the channel has stopped")
        session = self._session
        if session is None or not session.conn.can_send:
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, "the channel is not open for sending")
        return session

    def _check_size(self, size: int) -> None:
        if size > self._max_size:
            raise XPCOMError(
                Cr.NS_ERROR_FILE_TOO_BIG, f"{size} bytes is above network.websocket.max-message-size"
            )

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
            log.debug("dropped a call from another thread: %s", e)
        except Exception:  # noqa: BLE001
            log.exception("a call from another thread failed")

    def sendMsg(self, aMsg: str) -> None:
        if type(aMsg) is not str:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"sendMsg takes a str, not {type(aMsg).__name__}")
        session = self._sending()
        size = len(aMsg) if aMsg.isascii() else _utf8_size(aMsg)
        if size > self._max_size:
            self._check_size(size)
        if self._thread != threading.get_ident():
            if not session.admit_elsewhere(size):
                raise _buffer_full(size)
            self._marshal(self._send_text, aMsg, size)
        elif not session.send_text(aMsg, size):
            raise _buffer_full(size)

    def _send_text(self, message: str, size: int) -> None:
        self._sending().send_text(message, size, True)

    def sendBinaryMsg(self, aMsg: bytes | bytearray | memoryview) -> None:
        if not isinstance(aMsg, (bytes, bytearray, memoryview)):
            raise XPCOMError(
                Cr.NS_ERROR_ILLEGAL_VALUE, f"sendBinaryMsg takes bytes, not {type(aMsg).__name__}"
            )
        session = self._sending()
        size = aMsg.nbytes if isinstance(aMsg, memoryview) else len(aMsg)
        if size > self._max_size:
            self._check_size(size)
        if self._thread != threading.get_ident():
            if not session.admit_elsewhere(size):
                raise _buffer_full(size)
            # The caller may reuse its buffer once we return: take a copy.
            self._marshal(self._send_binary, bytes(aMsg), size)
        elif not session.send_binary(aMsg, size):
            raise _buffer_full(size)

    def _send_binary(self, message: bytes, size: int) -> None:
        self._sending().send_binary(message, size, True)

    def sendBinaryStream(self, aStream: Any, length: int) -> None:
        from components.streams import as_input_stream

        if aStream is None:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "sendBinaryStream needs a stream")
        if not _is_unsigned_long(length):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not an unsigned long: {length!r}")
        session = self._sending()
        self._check_size(length)
        stream = as_input_stream(aStream)
        if self._thread != threading.get_ident():
            if not session.admit_elsewhere(length):
                raise _buffer_full(length)
            self._marshal(self._send_stream, stream, length)
        else:
            if not session.admit(length):
                raise _buffer_full(length)
            session.send_stream(stream, length)

    def _send_stream(self, stream: Any, length: int) -> None:
        self._sending().send_stream(stream, length)

    # -- close ----------------------------------------------------------------------------------------

    def close(self, aCode: int, aReason: str) -> None:
        # Firefox's order of checks: a repeated close() is a no-op whatever its
        # arguments (even after onStop); then "stopped"; then the arguments.
        if self._close_requested:
            return
        if self._stopped:
            raise XPCOMError(Cr.NS_ERROR_NOT_AVAILABLE, "the channel has stopped")
        if self._conn is None:
            raise XPCOMError(Cr.NS_ERROR_NOT_CONNECTED, "the channel was never opened")
        if not isinstance(aCode, int) or isinstance(aCode, bool):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"a close code is an integer, not {aCode!r}")
        if aReason is not None and not isinstance(aReason, str):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"a close reason is a str, not {aReason!r}")
        aReason = aReason or ""
        if (len(aReason) if aReason.isascii() else _utf8_size(aReason)) > 123:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a close reason is at most 123 bytes of UTF-8")
        from components.websocket.protocol.frames import is_valid_close_code

        code = aCode or None
        if code is not None and not is_valid_close_code(code):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"{code} cannot be sent in a Close frame")
        if self._thread != threading.get_ident():
            self._marshal(self._close, code, aReason)
        else:
            self._close(code, aReason)

    def _close(self, code: int | None, reason: str) -> None:
        if self._close_requested or self._stopped:
            return  # a second close is a no-op
        self._close_requested = True
        session = self._session
        if session is None:
            # Still connecting: abandon the open.  Going away is not an error.
            self._set_status(Cr.NS_OK if code == 1001 else Cr.NS_ERROR_NOT_CONNECTED)
            if self._open_scope is not None:
                self._open_scope.cancel()
        else:
            session.close(code, reason)


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
