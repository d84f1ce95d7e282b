"""``connect()``: the channel as an async context manager, for Python code on trio.

    async with connect("ws://127.0.0.1:9001/", subprotocols=["chat"]) as ws:
        await ws.send("hello")
        async for message in ws:          # str for text, bytes for binary
            ...

Theory of operation
-------------------
This is not a second WebSocket client: :func:`connect` creates an ordinary
``nsIWebSocketChannel`` through ``Cc[contract].createInstance`` (so a host or a
test that replaced the ws/wss component is honoured), maps the keyword options
onto its attributes, and hands ``asyncOpen`` a small listener that turns the
callbacks into state a coroutine can wait on:

* **Receiving.**  ``onMessageAvailable`` / ``onBinaryMessageAvailable`` append to
  a deque and wake a parked ``recv()``.  ``recv()`` pops a message only after its
  last wait, with no checkpoint in between that could be cancelled, and yields
  (shielded) after popping, as trio's memory channels do: a cancelled ``recv()``
  leaves the message for the next one.  The channel has no way to pause reading
  (Firefox's has none either), so messages the program does not read stay in
  the deque.
* **Sending and backpressure.**  ``send()`` queues on the channel at once
  (``sendMsg`` / ``sendBinaryMsg``) and counts the message's bytes as
  unacknowledged until ``onAcknowledge`` reports its last byte written to the
  socket.  While more than ``write_limit`` bytes are unacknowledged, ``send()``
  parks first: a producer faster than the network waits instead of growing the
  channel's queue without bound.  A cancelled ``send()`` sent nothing.
* **Closing.**  ``close()`` is the channel's ``close()`` and then waits for
  onStop, which the channel's ``network.websocket.timeout.close`` bounds.  Leaving
  the ``async with`` block closes with 1000, or with 1011 when an exception
  leaves it; when the block is cancelled (or interrupted) it sends 1001 and waits
  at most :data:`CANCEL_GRACE` seconds, the channel finishing the handshake on its
  own afterwards.
* **Ends.**  Once onStop has run, ``recv()`` and ``send()`` raise
  :class:`ConnectionClosedOK` for a normal close -- the closing handshake
  completed (onStop ``NS_OK``) and the server's code was 1000, 1001 or none, or
  we closed first -- and :class:`ConnectionClosedError` for anything else, with
  onStop's nsresult as ``.result`` and the channel's ``failureMessage`` as the
  text.  ``async for`` ends quietly on the former and raises the latter.
"""

from __future__ import annotations

import collections
import ssl as _ssl
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Final, TypeAlias

import trio

from components.results import Cr, XPCOMError, result_name

__all__ = [
    "CANCEL_GRACE", "ConnectionClosed", "ConnectionClosedError", "ConnectionClosedOK", "WebSocket", "connect",
]

Message: TypeAlias = str | bytes

#: How long leaving a cancelled (or interrupted) block waits for the close handshake.
CANCEL_GRACE: Final = 1.0
#: Server close codes that make a completed close handshake a *normal* close.
_NORMAL_CODES: Final = frozenset({1000, 1001, 1005})


class ConnectionClosed(XPCOMError):
    """The connection is closed.  ``result`` is onStop's nsresult; ``code`` and ``reason``
    those of the server's Close frame (code 1006 when none came), None for a failed open."""

    def __init__(self, result: int, message: str, code: int | None = None, reason: str = "") -> None:
        super().__init__(result, message)
        self.code = code
        self.reason = reason


class ConnectionClosedOK(ConnectionClosed):
    """The connection was closed normally (see the module docs)."""


class ConnectionClosedError(ConnectionClosed):
    """The open failed or the connection ended abnormally; ``str()`` says why."""


def _utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class _Listener:
    """The nsIWebSocketListener given to asyncOpen: forwards to the WebSocket."""

    __slots__ = ("_ws",)

    def __init__(self, ws: WebSocket) -> None:
        self._ws = ws

    def onStart(self, aContext: Any) -> None:
        self._ws._opened.set()

    def onMessageAvailable(self, aContext: Any, aMsg: str) -> None:
        self._ws._received(aMsg)

    def onBinaryMessageAvailable(self, aContext: Any, aMsg: bytes) -> None:
        self._ws._received(aMsg)

    def onAcknowledge(self, aContext: Any, aSize: int) -> None:
        ws = self._ws
        ws._unacked -= aSize
        if ws._unacked <= ws._write_limit:
            ws._send_lot.unpark_all()

    def onServerClose(self, aContext: Any, aCode: int, aReason: str) -> None:
        ws = self._ws
        ws.close_code, ws.close_reason = aCode, aReason
        ws._send_lot.unpark_all()  # no acknowledgements after the server's Close

    def onError(self) -> None:
        pass  # onStop follows with the status

    def onStop(self, aContext: Any, aStatusCode: int) -> None:
        self._ws._stop(aStatusCode)


class WebSocket:
    """An open connection made by :func:`connect` (see the module docs)."""

    def __init__(self, channel: Any, write_limit: int) -> None:
        #: The nsIWebSocketChannel underneath.
        self.channel = channel
        #: The server's close code and reason once closed (1006 when it sent no Close).
        self.close_code: int | None = None
        self.close_reason = ""
        self._write_limit = write_limit
        self._unacked = 0
        self._messages: collections.deque[Message] = collections.deque()
        self._recv_lot = trio.lowlevel.ParkingLot()
        self._send_lot = trio.lowlevel.ParkingLot()
        self._opened = trio.Event()
        self._stopped = trio.Event()
        self._status: int | None = None
        self._we_closed = False
        self._listener = _Listener(self)

    # -- what the channel says ----------------------------------------------------------------

    def _received(self, message: Message) -> None:
        self._messages.append(message)
        self._recv_lot.unpark_all()

    def _stop(self, status: int) -> None:
        self._status = status
        if self.close_code is None and self._opened.is_set():
            self.close_code = 1006  # RFC 6455 §7.1.5: closed without a Close frame
        self._recv_lot.unpark_all()
        self._send_lot.unpark_all()
        self._stopped.set()

    def _closed_error(self) -> ConnectionClosed:
        status = self._status
        assert status is not None
        if status == Cr.NS_OK and (self._we_closed or self.close_code in _NORMAL_CODES):
            code = self.close_code
            return ConnectionClosedOK(status, f"closed with {code}", code, self.close_reason)
        message = self.channel.failureMessage or (
            f"the server closed with {self.close_code}" if status == Cr.NS_OK else result_name(status)
        )
        return ConnectionClosedError(status, message, self.close_code, self.close_reason)

    # -- attributes ---------------------------------------------------------------------------

    @property
    def subprotocol(self) -> str:
        """The subprotocol the server chose ("" for none)."""
        return str(self.channel.protocol)

    @property
    def extensions(self) -> str:
        """The extensions in use (the server's Sec-WebSocket-Extensions)."""
        return str(self.channel.extensions)

    @property
    def url(self) -> str:
        """The URL that answered (after redirects)."""
        return str(self.channel.URI.spec)

    @property
    def closed(self) -> bool:
        """Has the connection ended (onStop)?"""
        return self._status is not None

    # -- receiving ----------------------------------------------------------------------------

    async def recv(self) -> Message:
        """The next message: str for text, bytes for binary.  Raises ConnectionClosed once
        the connection has ended and every received message was taken."""
        await trio.lowlevel.checkpoint_if_cancelled()
        messages = self._messages
        while not messages:
            if self._status is not None:
                raise self._closed_error()
            await self._recv_lot.park()
        message = messages.popleft()
        await trio.lowlevel.cancel_shielded_checkpoint()
        return message

    def __aiter__(self) -> AsyncIterator[Message]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Message]:
        while True:
            try:
                message = await self.recv()
            except ConnectionClosedOK:
                return
            yield message

    # -- sending ------------------------------------------------------------------------------

    async def send(self, message: Message) -> None:
        """Send a text (str) or binary (bytes-like) message; waits first while more than
        ``write_limit`` bytes are unacknowledged."""
        await trio.lowlevel.checkpoint_if_cancelled()
        if isinstance(message, str):
            size = _utf8_size(message)
        elif isinstance(message, (bytes, bytearray, memoryview)):
            size = memoryview(message).nbytes
        else:
            kind = type(message).__name__
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"send takes str or bytes, not {kind}")
        if isinstance(message, str):
            await self._queue(self.channel.sendMsg, message, size)
        else:
            await self._queue(self.channel.sendBinaryMsg, message, size)

    async def send_stream(self, stream: Any, length: int) -> None:
        """Send *length* bytes of a binary file (or nsIInputStream) as one binary message:
        the channel's ``sendBinaryStream``, which reads it on a worker thread in bounded
        memory.  Counted against ``write_limit`` like :meth:`send`."""
        await trio.lowlevel.checkpoint_if_cancelled()
        await self._queue(lambda s: self.channel.sendBinaryStream(s, length), stream, length)

    @property
    def buffered_amount(self) -> int:
        """Bytes sent but not yet acknowledged (the DOM's ``bufferedAmount``)."""
        return self._unacked

    async def _queue(self, send: Any, message: Any, size: int) -> None:
        while self._unacked > self._write_limit and self._status is None and self.close_code is None:
            await self._send_lot.park()
        if self._status is not None:
            raise self._closed_error()
        try:
            send(message)
        except XPCOMError as e:
            if e.result in (Cr.NS_ERROR_UNEXPECTED, Cr.NS_ERROR_NOT_CONNECTED):
                # Closing: our close(), the server's Close, or a failure on its way to onStop.
                await self._stopped.wait()
                raise self._closed_error() from None
            raise
        self._unacked += size
        await trio.lowlevel.cancel_shielded_checkpoint()

    # -- closing ------------------------------------------------------------------------------

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """The closing handshake (RFC 6455 §7.1.2): returns once the connection has ended."""
        if self._status is None:
            self._request_close(code, reason)
        await self._stopped.wait()

    def _request_close(self, code: int, reason: str) -> None:
        if not self._we_closed and self.close_code is None:
            self._we_closed = True
        try:
            self.channel.close(code, reason)
        except XPCOMError as e:
            if e.result != Cr.NS_ERROR_NOT_AVAILABLE:  # (already stopped: nothing to do)
                self._we_closed = False
                raise

    # -- the async with block -----------------------------------------------------------------

    async def _open(self, url: str, origin: str) -> None:
        self.channel.asyncOpen(url, origin, self._listener, None)
        try:
            async with trio.open_nursery() as nursery:
                for event in (self._opened, self._stopped):
                    nursery.start_soon(_cancel_when_set, event, nursery.cancel_scope)
        except BaseException:
            # Cancelled while connecting: abandon the open (1001: not an error) and let
            # onStop come, so nothing of this connection outlives the block.
            if self._status is None:
                self._request_close(1001, "")
                with trio.CancelScope(shield=True):
                    await self._stopped.wait()
            raise
        if not self._opened.is_set():
            raise self._closed_error()

    async def _leave(self, exc: BaseException | None) -> None:
        if self._status is not None:
            return
        if exc is None or isinstance(exc, Exception):
            try:
                self._request_close(1000 if exc is None else 1011, "")
            except XPCOMError:
                pass
            with trio.CancelScope(shield=exc is not None):
                await self._stopped.wait()
            return
        # Cancelled or interrupted: going away, and not for long.
        try:
            self._request_close(1001, "")
        except XPCOMError:
            pass
        with trio.CancelScope(shield=True), trio.move_on_after(CANCEL_GRACE):
            await self._stopped.wait()


async def _cancel_when_set(event: trio.Event, scope: trio.CancelScope) -> None:
    await event.wait()
    scope.cancel()


class _Connect:
    """What :func:`connect` returns: ``async with`` opens, yields the WebSocket, closes."""

    def __init__(self, url: str, origin: str, channel: Any, write_limit: int) -> None:
        self._url, self._origin = url, origin
        self._ws = WebSocket(channel, write_limit)

    @property
    def channel(self) -> Any:
        """The channel, to adjust before the block opens it."""
        return self._ws.channel

    async def __aenter__(self) -> WebSocket:
        await self._ws._open(self._url, self._origin)
        return self._ws

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._ws._leave(exc)


def make_channel(
    url: str,
    *,
    subprotocols: Sequence[str] = (),
    ping_interval: int | None = None,
    ping_timeout: int | None = None,
    max_size: int | None = None,
    compression: bool = True,
    ssl: _ssl.SSLContext | None = None,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    proxy: str | None = None,
) -> Any:
    """A new nsIWebSocketChannel for *url*'s scheme, from the component manager, with the
    options of :func:`connect` set (the CLI uses it too)."""
    from components import Cc, Ci

    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("ws", "wss"):
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not a ws: or wss: URL: {url}")
    # (Any: sslContext, maxMessageSize and compression are Python extensions, not in the IDL.)
    channel: Any = Cc[f"@mozilla.org/network/protocol;1?name={scheme}"].createInstance(Ci.nsIWebSocketChannel)
    channel.protocol = ", ".join(subprotocols)
    if ping_interval is not None:
        channel.pingInterval = ping_interval
    if ping_timeout is not None:
        channel.pingTimeout = ping_timeout
    if max_size is not None:
        if not isinstance(max_size, int) or isinstance(max_size, bool) or max_size < 0:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"max_size is a byte count, not {max_size!r}")
        channel.maxMessageSize = max_size
    channel.compression = bool(compression)
    if ssl is not None:
        channel.sslContext = ssl
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    for name, value in pairs:
        channel.setRequestHeader(name, value, True)
    if proxy is not None:
        from components.proxy import proxy_info_from_url

        channel.proxyInfo = proxy_info_from_url(proxy)
    return channel


def connect(
    url: str,
    *,
    subprotocols: Sequence[str] = (),
    origin: str | None = None,
    ping_interval: int | None = None,
    ping_timeout: int | None = None,
    max_size: int | None = None,
    compression: bool = True,
    ssl: _ssl.SSLContext | None = None,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    proxy: str | None = None,
    write_limit: int = 1 << 20,
) -> _Connect:
    """Open a WebSocket on the channel component: ``async with connect(url) as ws``.

    *subprotocols* are offered in order (``ws.subprotocol`` is the chosen one);
    *origin* is sent as the Origin header.  *ping_interval* / *ping_timeout* are
    the channel's keepalive (seconds; None: the preferences), *max_size* its
    ``network.websocket.max-message-size`` for this connection, *compression*
    whether permessage-deflate is offered, *ssl* the context for wss.  *headers*
    (a mapping or (name, value) pairs) are added to the handshake request
    (``setRequestHeader(name, value, merge=True)``); *proxy* is a proxy URL
    (``http://host:3128``, ``socks5h://host:1080``, ``direct://`` for none; None: the
    proxy service decides, following the environment as curl does).  *write_limit*
    bounds the unacknowledged bytes before ``send()`` waits.  Bad options raise
    XPCOMError(NS_ERROR_ILLEGAL_VALUE); a failed open raises ConnectionClosedError.
    """
    if not isinstance(write_limit, int) or write_limit < 0:
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"write_limit is a byte count, not {write_limit!r}")
    if isinstance(subprotocols, str):
        subprotocols = [subprotocols]
    channel = make_channel(
        url,
        subprotocols=subprotocols,
        ping_interval=ping_interval,
        ping_timeout=ping_timeout,
        max_size=max_size,
        compression=compression,
        ssl=ssl,
        headers=headers,
        proxy=proxy,
    )
    return _Connect(url, origin or "", channel, write_limit)
