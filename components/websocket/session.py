"""The session: one open WebSocket connection, from onStart to the end of TCP.

Theory of operation
-------------------
A session joins three things: the core's :class:`Connection` (the protocol and its
state, which nobody here mirrors), a :class:`Transport` (bytes in and out), and a
:class:`SendQueue` (frames on their way out).  It does what those cannot: read,
call the listener for each event, keep the close and keepalive timers, and run the
few helper tasks a connection may need.

**Receiving.**  Each read goes to ``Connection.receive_data``, which returns *every*
complete event in it; the loop calls the listener directly for each: no
per-message task, memory channel or lock.  The read size adapts (64 KiB doubling
to 1 MiB while reads come back full, halving when they come back mostly empty), so
chatty traffic does not allocate big buffers and bulk traffic does not take 16 trips
per MiB.  While the payload of a large frame is arriving, the reads go straight
into its final ``bytes`` (``Connection.receive_buffer``): no read buffer, no copy.
The send queue is held while a chunk's events are dispatched, so the replies of an
echo-style listener leave in one write, after the chunk.

**Order and failure.**  When the bytes break the protocol, the core returns the
events that preceded the violation and then a ``ProtocolFailure``, and stays able
to send until we act on it.  The listener therefore sees every message the server
sent before the violation, and its replies are queued ahead of the failing Close,
which :meth:`Session.fail` frames (``Connection.fail``) and queues *after* them.
Then reading stops, the queue gets up to ``FIN_WAIT`` to drain, and TCP is closed.
Our own failures (a keepalive timeout, a listener that raised, a stream that could
not be read) take the same path.

**Closing.**  Our Close starts the close timer (``timeout.close``) on the read
loop's cancel scope.  When both Closes have crossed, the deadline shrinks to
``FIN_WAIT``: the server should close TCP first (RFC 6455 §7.1.1) and we give it a
moment before closing ourselves (not on an HTTP/2 stream, which has no TCP of its own
to wait for: ``Transport.lingers``).  When the server's Close arrives and the listener
did not call close() inside onServerClose, we echo its code ourselves (unlike
Firefox, which leaves that to the layer above).  A user's Close goes after the data
queued before it, as in Firefox, so close() never drops messages already accepted.

**The bound on buffered bytes.**  The send methods are synchronous, so a server
that stops reading would let accepted messages pile up without limit.  The session
counts every accepted message's size (as ``onAcknowledge`` reports it, a stream's
whole length) until its acknowledgement; :meth:`admit` refuses a message when
something is buffered and the message would take the total above
``network.websocket.max-buffered-bytes`` (a message on an empty queue always goes, so
any message ``max-message-size`` allows can be sent).  The trio thread writes only
``_room``, other threads only ``_elsewhere`` (under one module-wide lock, taken by
off-thread senders only), so the hot path takes no lock and no count is lost.

**Helpers.**  An idle session is one task waiting for its socket.  A nursery would
cost a scope, its cancel status and the nursery itself per idle connection, for
tasks most connections never need: the writer (backpressure, TLS), the keepalive
timer (pingInterval > 0), the stream sender (sendBinaryStream).  So helpers are
system tasks, each in its own cancel scope that the session cancels -- and then
waits for -- when it ends: the guarantee a nursery gives (nothing outlives the
session, nothing runs after onStop), without paying for one per connection.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Final

import trio

from components.results import Cr
from components.websocket.protocol.connection import (
    BinaryMessage,
    CloseReceived,
    Connection,
    ConnectionState,
    Event,
    ProtocolFailure,
    TextMessage,
    echo_code,
)
from components.websocket.sendqueue import Binary, Close, SendQueue, Stream, Text
from components.websocket.transport import Transport

__all__ = ["FIN_WAIT", "RECEIVE_MAX", "RECEIVE_MIN", "STREAM_CHUNK", "Session"]

log = logging.getLogger("components.websocket")

#: How long, after the close handshake (or a failure's Close), we wait for the
#: server to close TCP / for the queue to drain before we close it ourselves.
FIN_WAIT: Final = 1.0
#: Receive sizes: start small (cheap for chatty traffic), double while reads fill up.
RECEIVE_MIN: Final = 65536
RECEIVE_MAX: Final = 1 << 20
#: sendBinaryStream reads the stream in chunks of this size (one fragment each).
STREAM_CHUNK: Final = 1 << 20

_OPEN: Final = ConnectionState.OPEN
#: States in which a written message is still acknowledged (none after the server's
#: Close or a failure, as in Firefox).
_ACKNOWLEDGING: Final = frozenset({ConnectionState.OPEN, ConnectionState.CLOSE_SENT})
#: Serialises the buffered-bytes accounting of sends made off the trio thread (all sessions).
_ELSEWHERE_LOCK: Final = threading.Lock()


class Session:
    """An open connection being driven (see the module docs)."""

    __slots__ = (
        "_close_timeout", "_ctx", "_elsewhere", "_helpers", "_helpers_done", "_last_rx", "_limit",
        "_listener", "_ping_interval", "_ping_timeout", "_pong_wait", "_recv_scope", "_report", "_room",
        "conn", "queue", "transport",
    )

    def __init__(
        self,
        conn: Connection,
        transport: Transport,
        listener: Any,
        context: Any,
        *,
        report: Callable[[int], None],
        close_timeout: float,
        ping_interval: float,
        ping_timeout: float,
        max_buffered: int = 0,
    ) -> None:
        self.conn = conn
        self.transport = transport
        self._listener = listener
        self._ctx = context
        self._report = report  # the channel's first-status-wins setter
        self._close_timeout = close_timeout if close_timeout > 0 else math.inf
        self._ping_interval = ping_interval
        self._ping_timeout = ping_timeout if ping_timeout > 0 else math.inf
        self._recv_scope = trio.CancelScope()
        self._helpers: list[trio.CancelScope] | None = []
        self._helpers_done: trio.Event | None = None
        self._last_rx = trio.current_time()
        self._pong_wait: trio.Event | None = None
        self.queue = SendQueue(transport, self)
        # Buffered = _limit - (_room - _elsewhere); max_buffered <= 0 means no bound.
        self._limit = max_buffered if max_buffered > 0 else 1 << 62
        self._room = self._limit
        self._elsewhere = 0

    # -- the session body -----------------------------------------------------------------------

    async def run(self, leftover: bytes) -> None:
        """onStart, then read until the connection ends; returns with the queue drained
        (or given up on) and every helper finished.  The caller closes the transport.

        The read loop is written inline rather than in a method of its own: an idle
        connection is this coroutine waiting in the transport's, and each coroutine
        frame on that stack costs about half a KiB per connection.
        """
        conn, queue, transport = self.conn, self.queue, self.transport
        receive, receive_into, receive_buffer = transport.receive, transport.receive_into, conn.receive_buffer
        keepalive = self._ping_interval > 0
        size = RECEIVE_MIN
        try:
            if keepalive:
                self.spawn(self._keepalive_loop)
            with self._recv_scope:
                going = self._start(leftover)
                while going:
                    span = receive_buffer()
                    if span is None:
                        data = await receive(size)
                        n = len(data)
                        if n:
                            size = _next_receive_size(size, n)
                            events = conn.receive_data(data)
                    else:
                        with span:
                            n = await receive_into(span)
                        if n:
                            events = conn.receive_filled(n)
                    if not n:
                        events = conn.receive_eof()  # a failure, unless the server's Close came first
                    if keepalive:
                        self._received()
                    queue.hold()
                    try:
                        going = self._dispatch(events) and n > 0
                    except Exception:  # noqa: BLE001 - a listener method raised
                        self._listener_failed()
                        going = False
                    finally:
                        queue.release()  # everything the listener sent, in one write
                    # An idle connection waits in the next read: it should not keep this one's
                    # bytes and events alive (a 10,000-connection process pins them all).
                    data = b""
                    events.clear()
            if self._recv_scope.cancelled_caught and not conn.close_received:
                # The close timer (no answer to our Close); a failure reported first.
                self._report(Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
            if queue:
                with trio.move_on_after(FIN_WAIT):
                    await queue.drain()
        finally:
            await self._stop_helpers()
        if conn.closed_cleanly:
            await transport.aclose(FIN_WAIT)  # polite on the clean path (TLS close_notify), briefly

    def _start(self, leftover: bytes) -> bool:
        """onStart, then the bytes that came with the 101; False: stop reading."""
        queue = self.queue
        queue.hold()
        try:
            self._listener.onStart(self._ctx)
            return self._dispatch(self.conn.receive_data(leftover)) if leftover else True
        except Exception:  # noqa: BLE001 - a listener method raised
            self._listener_failed()
            return False
        finally:
            queue.release()

    def _dispatch(self, events: list[Event]) -> bool:
        """Call the listener for each event of the core; False: stop reading."""
        control = self.conn.take_control()
        if control:
            self.queue.push_control(control, pong=True)  # (this read's Pongs; a later read's replace them)
        if not events:
            return True
        listener, ctx = self._listener, self._ctx
        for ev in events:
            kind = type(ev)
            if kind is TextMessage:
                listener.onMessageAvailable(ctx, ev.data)  # type: ignore[union-attr]
            elif kind is BinaryMessage:
                listener.onBinaryMessageAvailable(ctx, ev.data)  # type: ignore[union-attr]
            elif kind is CloseReceived:
                self._server_closed(ev.code, ev.reason)  # type: ignore[union-attr]
            elif kind is ProtocolFailure:
                self.fail(ev.code, ev.status)  # type: ignore[union-attr]
                return False
            # PingReceived / PongReceived: the core answered pings already.
        return True

    def _server_closed(self, code: int, reason: str) -> None:
        try:
            self._listener.onServerClose(self._ctx, code, reason)
        finally:
            if not self.conn.close_sent:
                # The listener did not answer: echo the code (none for codes that
                # never go on the wire), so the close handshake completes.
                self.queue.deferred.clear()
                self._send_close(echo_code(code), "")
            self._shorten_deadline(self._linger())

    # -- failure ----------------------------------------------------------------------------------

    def fail(self, code: int | None, status: int) -> None:
        """Fail the connection (RFC 6455 §7.1.7): onStop gets *status*, the server our
        Close with *code* after what is already queued; reading stops."""
        self._report(status)
        self.queue.deferred.clear()
        frame = self.conn.fail(code)
        if frame:
            self.transport.end_after_close()
            self.queue.push(frame)
        self._recv_scope.cancel()

    def _listener_failed(self) -> None:
        log.exception("an nsIWebSocketListener method raised; failing the connection with 1011")
        self.fail(1011, Cr.NS_ERROR_FAILURE)

    def broken(self) -> None:
        """The transport failed under a write."""
        if not self.conn.close_received:
            self._report(Cr.NS_BASE_STREAM_CLOSED)
        self.conn.fail(None)
        self._recv_scope.cancel()

    def _shorten_deadline(self, seconds: float) -> None:
        deadline = trio.current_time() + seconds
        if deadline < self._recv_scope.deadline:
            self._recv_scope.deadline = deadline

    # -- sending ----------------------------------------------------------------------------------
    #
    # The channel has checked the arguments and that the core can send.  send_text and
    # send_binary admit the size themselves (one call less on the hot path); admitted=True:
    # it was counted already (a send from another thread, or one deferred during a stream).

    def admit(self, size: int) -> bool:
        """Count a message of *size* bytes as buffered (trio thread); False: refused."""
        free = self._room - self._elsewhere
        if size > free and free < self._limit:
            return False
        self._room -= size
        return True

    def admit_elsewhere(self, size: int) -> bool:
        """:meth:`admit` for a send made on another thread."""
        with _ELSEWHERE_LOCK:
            free = self._room - self._elsewhere
            if size > free and free < self._limit:
                return False
            self._elsewhere += size
            return True

    def send_text(self, message: str, size: int, admitted: bool = False) -> bool:
        """Queue a text message; False: refused by the bound, nothing queued."""
        if not admitted:
            free = self._room - self._elsewhere  # (admit, inline)
            if size > free and free < self._limit:
                return False
            self._room -= size
        queue = self.queue
        if queue.streaming:
            queue.deferred.append(Text(message, size))
        else:
            queue.push(self.conn.send_text(message), size)
        return True

    def send_binary(self, message: bytes | bytearray | memoryview, size: int, admitted: bool = False) -> bool:
        """Queue a binary message; False: refused by the bound, nothing queued."""
        if not admitted:
            free = self._room - self._elsewhere  # (admit, inline)
            if size > free and free < self._limit:
                return False
            self._room -= size
        queue = self.queue
        if queue.streaming:
            queue.deferred.append(Binary(bytes(message), size))
            return True
        buf = queue.frame_buffer(size)
        if buf is not None:
            # A big message with nothing queued or being written: framed into the
            # queue's reusable buffer rather than a fresh allocation (see sendqueue).
            n = self.conn.send_binary_into(message, buf)
            queue.push(memoryview(buf)[:n], size)
        else:
            queue.push(self.conn.send_binary(message), size)
        return True

    def send_stream(self, stream: Any, length: int) -> None:
        queue = self.queue
        if queue.streaming:
            queue.deferred.append(Stream(stream, length))
        else:
            queue.streaming = True
            if not self.spawn(self._stream_task, stream, length):
                queue.streaming = False

    def close(self, code: int | None, reason: str) -> None:
        """The user's close(): after everything sent before it."""
        queue = self.queue
        if queue.streaming:
            queue.deferred.append(Close(code, reason))
        elif self.conn.state in (ConnectionState.OPEN, ConnectionState.CLOSE_RECEIVED):
            self._send_close(code, reason)
        # else: a Close went out already, or a failure's Close is about to.

    def _send_close(self, code: int | None, reason: str) -> None:
        frame = self.conn.send_close(code, reason)
        if not frame:
            return
        self.transport.end_after_close()
        self.queue.push_now(frame)
        self._shorten_deadline(self._linger() if self.conn.close_received else self._close_timeout)

    def _linger(self) -> float:
        """How long to wait for the server's end once both Closes have crossed: FIN_WAIT
        where the server should close first (TCP), none on an HTTP/2 stream (our
        END_STREAM went with our Close; the stream is reset if the server's half lingers)."""
        return FIN_WAIT if self.transport.lingers else 0.0

    def written(self, sizes: list[int]) -> None:
        self._room += sum(sizes)
        if self.conn.state not in _ACKNOWLEDGING:
            return
        listener, ctx = self._listener, self._ctx
        try:
            for size in sizes:
                listener.onAcknowledge(ctx, size)
        except Exception:  # noqa: BLE001 - the queue lives on to send the 1011 Close
            self._listener_failed()

    def _drain_deferred(self) -> None:
        deferred = self.queue.deferred
        while deferred and not self.queue.streaming:
            entry = deferred.pop(0)
            if type(entry) is Text:
                self.send_text(entry.message, entry.size, True)
            elif type(entry) is Binary:
                self.send_binary(entry.message, entry.size, True)
            elif type(entry) is Stream:
                self.send_stream(entry.stream, entry.length)
            elif type(entry) is Close:
                self.close(entry.code, entry.reason)

    async def _stream_task(self, stream: Any, length: int) -> None:
        """Send *length* bytes of *stream* as one binary message, one fragment per chunk.

        The next chunk is read (on a worker thread) while the previous one is being
        written, and at most one chunk waits in the queue: memory stays at a few
        chunks whatever the length.
        """
        conn, queue = self.conn, self.queue
        done = False
        try:
            remaining, first = length, True
            data = await _read_chunk(stream, min(STREAM_CHUNK, remaining))
            while True:
                if len(data) < min(STREAM_CHUNK, remaining):
                    log.debug("sendBinaryStream: the stream ended %d bytes short", remaining - len(data))
                    self.fail(1009, Cr.NS_ERROR_FILE_TOO_BIG)
                    return
                if conn.state is not _OPEN:
                    return  # the server closed, or the connection failed
                remaining -= len(data)
                last = remaining == 0
                queue.push(conn.send_fragment(data, first=first, last=last), length if last else -1)
                first = False
                if last:
                    break
                data = await _read_chunk(stream, min(STREAM_CHUNK, remaining))
                await queue.drain()
            done = True
        except Exception:  # noqa: BLE001 - the stream's read raised
            log.exception("sendBinaryStream: reading the stream failed")
            self.fail(1011, Cr.NS_ERROR_FAILURE)
        finally:
            queue.streaming = False
            try:
                stream.close()
            except Exception:  # noqa: BLE001 - a close that fails has nothing left to lose
                pass
        if done:
            self._drain_deferred()

    # -- keepalive --------------------------------------------------------------------------------

    def _received(self) -> None:
        """Bytes arrived: the keepalive timer starts again, a ping is answered."""
        self._last_rx = trio.current_time()
        if self._pong_wait is not None:
            self._pong_wait.set()
            self._pong_wait = None

    async def _keepalive_loop(self) -> None:
        """Firefox's keepalive: a ping after pingInterval without received bytes, then
        pingTimeout for any bytes to arrive; any received bytes reset the timer."""
        interval = float(self._ping_interval)
        conn = self.conn
        while True:
            await trio.sleep_until(self._last_rx + interval)
            if trio.current_time() < self._last_rx + interval:
                continue  # bytes arrived meanwhile
            if conn.state is not _OPEN:
                return
            self._pong_wait = got = trio.Event()
            self.queue.push_control(conn.send_ping(b""))
            with trio.move_on_after(self._ping_timeout):
                await got.wait()
            if not got.is_set():
                self._pong_wait = None
                log.debug("websocket keepalive: no answer within %s s", self._ping_timeout)
                self.fail(1002, Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
                return

    # -- helper tasks -----------------------------------------------------------------------------

    def spawn(self, fn: Callable[..., Awaitable[None]], *args: Any) -> bool:
        """Start *fn* as a helper of this session; False once the session is over."""
        helpers = self._helpers
        if helpers is None:
            return False
        scope = trio.CancelScope()
        helpers.append(scope)
        trio.lowlevel.spawn_system_task(self._helper, scope, fn, args, name=getattr(fn, "__name__", "helper"))
        return True

    async def _helper(self, scope: trio.CancelScope, fn: Callable[..., Awaitable[None]], args: Any) -> None:
        try:
            with scope:
                await fn(*args)
        except Exception:  # noqa: BLE001 - a system task must not crash the host's run
            log.exception("websocket helper task failed")
            self.fail(1011, Cr.NS_ERROR_FAILURE)
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


def _next_receive_size(size: int, n: int) -> int:
    """The next read's size after a read of *n* bytes into *size* (see the module docs)."""
    if n == size:
        return size << 1 if size < RECEIVE_MAX else size
    if n < size >> 2 and size > RECEIVE_MIN:
        return size >> 1  # mostly empty reads: a big buffer per read only costs page faults
    return size


async def _read_chunk(stream: Any, want: int) -> bytes:
    """Up to *want* bytes of an nsIInputStream, read on a worker thread; shorter only
    at the end of the stream."""
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
