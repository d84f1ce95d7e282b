"""WebSockets over HTTP/2 (RFC 8441): shared connections, one stream per channel.

Theory of operation
-------------------
When a wss server picks ``h2`` in ALPN and its SETTINGS carry
``SETTINGS_ENABLE_CONNECT_PROTOCOL = 1``, a channel's opening handshake is an
*extended CONNECT* on a new stream of that HTTP/2 connection, and the WebSocket
frames then travel in the stream's DATA frames.  The ``h2`` library does the
framing, HPACK and flow-control bookkeeping; this module does the I/O around it:

* :class:`Link` -- one HTTP/2 connection (one TCP+TLS connection).  It is kept
  in the run's pool, keyed by origin (host, port and the ``ssl.SSLContext``
  object: a channel with other trust settings never shares another's TLS
  session), so the channels of one origin share it.  A task per link owns the
  socket: its reader feeds every received chunk to h2 and hands each event to
  its stream; its writer writes what h2 has to send (``data_to_send``), so no
  caller ever blocks on the socket while holding h2's state.  The link goes away
  (GOAWAY, then TLS close) when its last stream is released.
* :class:`H2StreamTransport` -- one stream, as a :class:`~.transport.Transport`:
  the session and the send queue run over it unchanged.  Sending honours both
  flow-control windows (``try_send`` takes what the windows and a bounded
  write backlog allow, ``send_all`` waits for WINDOW_UPDATEs and returns once its
  bytes are on the socket, which is what onAcknowledge promises).  Receiving
  acknowledges data to h2 only as the session consumes it, so a slow reader's
  window closes and the server stops sending: backpressure as over TCP.

Failure: whatever breaks -- RST_STREAM, GOAWAY, a protocol error, the socket --
every stream waiting on the link is woken.  Before the 2xx the opener gets a
:class:`HandshakeError` (``NS_ERROR_WEBSOCKET_CONNECTION_REFUSED``); an open
stream reads EOF and refuses writes, which the session reports as
``NS_BASE_STREAM_CLOSED``, exactly as for a TCP connection that went away.
A GOAWAY ends every stream of its link: h2 refuses to send anything once one
was received, so in-flight streams cannot finish (Firefox lets streams up to
the last-stream-id complete).  Closing a WebSocket ends its stream
(END_STREAM after the close handshake; RST_STREAM(CANCEL) when aborted) and
leaves the link to the others.
"""

from __future__ import annotations

import logging
import ssl
from collections import deque
from typing import Final, Literal

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions
import h2.settings
import trio

from components.results import Cr
from components.websocket.protocol.handshake import Accepted, ClientHandshake, HandshakeError, Redirect
from components.websocket.protocol.mask import Buffer
from components.websocket.transport import StreamTransport, Transport, TransportClosed

__all__ = [
    "StreamRefused",
    "ALPN_H2",
    "ALPN_HTTP11",
    "CONNECTION_WINDOW",
    "STREAM_WINDOW",
    "WRITE_BACKLOG",
    "H2StreamTransport",
    "Link",
    "PoolKey",
    "alpn_offer",
    "open_stream",
    "pooled",
    "start_link",
]

log = logging.getLogger("components.websocket")

#: ALPN lists: with h2 first (the pref on, as Firefox offers), and HTTP/1.1 only (the
#: pref off, and the fallback connection after an h2 server without extended CONNECT).
ALPN_H2: Final = ("h2", "http/1.1")
ALPN_HTTP11: Final = ("http/1.1",)
#: Our receive windows: per stream (the most a slow reader's stream buffers) and for
#: the connection (the most all streams of a link buffer together).
STREAM_WINDOW: Final = 4 << 20
CONNECTION_WINDOW: Final = 16 << 20
#: Bytes h2 framed that the writer has not written yet, above which senders wait.
WRITE_BACKLOG: Final = 1 << 20
#: The largest DATA frame we accept (SETTINGS_MAX_FRAME_SIZE; the protocol's default is 16 KiB).
MAX_FRAME: Final = 1 << 20
#: Size of one read from the TLS stream.
READ_SIZE: Final = 1 << 18

_REFUSED: Final = Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED
_SOCKET_ERRORS: Final = (trio.BrokenResourceError, trio.ClosedResourceError, ssl.SSLError, OSError)
_H2_ERRORS: Final = (h2.exceptions.H2Error, KeyError)  # (h2 raises KeyError for a forgotten stream)

#: (host, port, ssl context): what a channel must share with another to use its link.
PoolKey = tuple[str, int, ssl.SSLContext]


class StreamRefused(HandshakeError):
    """The server did not process the extended CONNECT (RST_STREAM REFUSED_STREAM, or a
    GOAWAY whose last stream id is below the stream's): it may be sent again, elsewhere."""


def alpn_offer(http2: bool) -> tuple[str, ...]:
    """The ALPN list for a wss connection (``network.http.http2.websockets``)."""
    return ALPN_H2 if http2 else ALPN_HTTP11


class _Pool:
    """The run's links by origin, and the origins known to lack extended CONNECT."""

    __slots__ = ("links", "without_connect")

    def __init__(self) -> None:
        self.links: dict[PoolKey, Link] = {}
        self.without_connect: set[PoolKey] = set()


_POOL: Final[trio.lowlevel.RunVar[_Pool]] = trio.lowlevel.RunVar("websocket_h2_pool")


def _pool() -> _Pool:
    try:
        return _POOL.get()
    except LookupError:
        pool = _Pool()
        _POOL.set(pool)
        return pool


def pooled(key: PoolKey) -> Link | Literal[False] | None:
    """The live link for *key*; False when the origin's h2 lacks extended CONNECT
    (connect with HTTP/1.1 only); None when there is neither."""
    pool = _pool()
    if key in pool.without_connect:
        return False
    return pool.links.get(key)


async def start_link(tls: StreamTransport, key: PoolKey) -> Link | None:
    """Start HTTP/2 on *tls* (ALPN chose h2) and wait for the server's SETTINGS.

    The link when they allow extended CONNECT (it joins the pool); None when they do
    not (the link is closed and the origin remembered for this run: the caller falls
    back to HTTP/1.1 on a new connection).  Takes *tls* over in every case.
    HandshakeError when the connection breaks first.
    """
    link = Link(tls, key)
    try:
        await link.settings_received()
    except BaseException:
        link.kill()
        raise
    pool = _pool()
    if not link.conn.remote_settings.enable_connect_protocol:
        pool.without_connect.add(key)
        link.shutdown()
        return None
    pool.links[key] = link
    return link


async def open_stream(link: Link, hs: ClientHandshake) -> tuple[H2StreamTransport, Accepted | Redirect]:
    """The extended CONNECT for *hs* on a new stream of *link*, and the server's answer
    judged by the handshake core.  HandshakeError when refused; the stream is reset
    and released on any failure (cancellation included)."""
    try:
        headers = hs.connect_headers()
    except ValueError as e:
        raise HandshakeError(_REFUSED, str(e)) from None
    stream = await link.open(headers)
    try:
        status, fields = await stream.response()
        return stream, hs.receive_h2_response(status, fields)
    except BaseException:
        await stream.abort()
        raise


class Link:
    """One HTTP/2 connection and the task that owns its socket (see the module docs)."""

    __slots__ = (
        "_closing", "_flushed", "_opening", "_out", "_queued", "_scope", "_settings", "_slot", "_tls",
        "_wake", "_writer_gone", "_written", "conn", "dead", "key", "security_info", "streams",
    )

    def __init__(self, tls: StreamTransport, key: PoolKey) -> None:
        self._tls = tls
        self.key = key
        self.security_info = tls.security_info
        config = h2.config.H2Configuration(client_side=True, header_encoding=None)
        self.conn = conn = h2.connection.H2Connection(config)
        conn.local_settings = h2.settings.Settings(
            client=True,
            initial_values={
                h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: STREAM_WINDOW,
                h2.settings.SettingCodes.ENABLE_PUSH: 0,
            },
        )
        conn.initiate_connection()
        # Bulk data in big frames: one h2 event (and one chunk) per window's worth instead
        # of one per 16 KiB.  (Through update_settings: h2 raises its own frame limit only
        # once the server acknowledged the new one.)
        conn.update_settings({h2.settings.SettingCodes.MAX_FRAME_SIZE: MAX_FRAME})
        conn.increment_flow_control_window(CONNECTION_WINDOW - 65535)
        self.streams: dict[int, H2StreamTransport] = {}
        #: Why the link cannot carry anything any more (None while it can).
        self.dead: str | None = None
        self._closing = False  # shutting down: the writer ends the link once it wrote the GOAWAY
        self._opening = 0  # opens waiting for a stream slot (they keep the link alive)
        self._out: list[bytes] = []
        self._queued = 0  # bytes ever handed to the writer...
        self._written = 0  # ...and written by it
        self._writer_gone = False  # the writer has ended: nothing more will be written
        self._wake: trio.Event | None = None  # the parked writer's
        self._flushed: trio.Event | None = None  # set when the writer made progress
        self._settings = trio.Event()
        self._slot: trio.Event | None = None  # set when a stream ends (MAX_CONCURRENT_STREAMS)
        self._scope: trio.CancelScope | None = None
        self.flush()
        trio.lowlevel.spawn_system_task(self._run, name="websocket HTTP/2 connection")

    # -- state for the opener ---------------------------------------------------------------------

    async def settings_received(self) -> None:
        """Wait for the server's first SETTINGS; HandshakeError when the link died first."""
        await self._settings.wait()
        if self.dead is not None:
            raise HandshakeError(_REFUSED, self.dead)

    async def open(self, headers: list[tuple[str, str]]) -> H2StreamTransport:
        """A new stream carrying *headers* (its request), once the server's stream limit
        allows one more."""
        conn, settings = self.conn, self.conn.remote_settings
        self._opening += 1
        try:
            while self.dead is None and conn.open_outbound_streams >= settings.max_concurrent_streams:
                self._slot = slot = self._slot or trio.Event()
                await slot.wait()
        finally:
            self._opening -= 1
        if self.dead is not None or self._closing:
            self._maybe_shutdown()
            raise HandshakeError(_REFUSED, self.dead or "the HTTP/2 connection is closing")
        sid = conn.get_next_available_stream_id()
        stream = H2StreamTransport(self, sid)
        try:
            conn.send_headers(sid, headers)
        except _H2_ERRORS as e:
            self._maybe_shutdown()
            raise HandshakeError(_REFUSED, f"cannot send the extended CONNECT: {e}") from None
        self.streams[sid] = stream
        self.flush()
        return stream

    # -- writing ----------------------------------------------------------------------------------

    def flush(self) -> None:
        """Hand what h2 has to send to the writer."""
        data = self.conn.data_to_send()
        if data:
            self._out.append(data)
            self._queued += len(data)
            wake = self._wake
            if wake is not None:
                self._wake = None
                wake.set()

    @property
    def backlog(self) -> int:
        """Bytes handed to the writer and not written yet."""
        return self._queued - self._written

    async def wait_written(self, mark: int) -> None:
        """Until the writer wrote everything up to *mark* (a past ``_queued``), or ended."""
        while self._written < mark and not self._writer_gone:
            self._flushed = flushed = self._flushed or trio.Event()
            await flushed.wait()

    async def _write_loop(self) -> None:
        try:
            await self._write_all()
        finally:
            self._writer_ended()

    def _writer_ended(self) -> None:
        self._writer_gone = True
        flushed = self._flushed
        if flushed is not None:
            self._flushed = None
            flushed.set()

    async def _write_all(self) -> None:
        tls = self._tls.stream
        while True:
            if not self._out:
                if self._closing:
                    break
                self._wake = wake = trio.Event()
                await wake.wait()
                continue
            out, self._out = self._out, []
            data = out[0] if len(out) == 1 else b"".join(out)
            try:
                await tls.send_all(data)
            except _SOCKET_ERRORS as e:
                self._fail(f"the HTTP/2 connection broke: {e}")
                break
            self._written += len(data)
            flushed = self._flushed
            if flushed is not None:
                self._flushed = None
                flushed.set()
        if self._scope is not None:
            self._scope.cancel()

    # -- reading ----------------------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            async with trio.open_nursery() as nursery:
                self._scope = nursery.cancel_scope
                nursery.start_soon(self._write_loop)
                await self._read_loop()
                # Give the writer a moment for what the end produced (h2's GOAWAY).
                with trio.move_on_after(1.0):
                    await self.wait_written(self._queued)
                nursery.cancel_scope.cancel()
        except Exception:  # noqa: BLE001 - a system task must not crash the host's run
            log.exception("websocket HTTP/2 connection failed")
        finally:
            self._fail("the HTTP/2 connection is closed")
            self._writer_ended()
            await self._tls.abort()

    async def _read_loop(self) -> None:
        tls, conn, dispatch = self._tls.stream, self.conn, self._dispatch
        while self.dead is None:
            try:
                data = await tls.receive_some(READ_SIZE)
            except _SOCKET_ERRORS:
                data = b""
            if not data:
                self._fail("the server closed the HTTP/2 connection")
                return
            try:
                events = conn.receive_data(data)
            except h2.exceptions.ProtocolError as e:
                self.flush()  # h2 framed a GOAWAY
                self._fail(f"HTTP/2 protocol error: {e}")
                return
            for event in events:
                dispatch(event)
            self.flush()

    def _dispatch(self, event: h2.events.Event) -> None:
        kind = type(event)
        streams = self.streams
        if kind is h2.events.DataReceived:
            sid = event.stream_id  # type: ignore[attr-defined]
            stream = streams.get(sid)
            if stream is not None:
                stream._on_data(event.data, event.flow_controlled_length)  # type: ignore[attr-defined]
            else:
                self.consumed(sid, event.flow_controlled_length)  # type: ignore[attr-defined]
        elif kind is h2.events.WindowUpdated:
            sid = event.stream_id  # type: ignore[attr-defined]
            if sid == 0:
                for stream in streams.values():
                    stream._wake_writer()
            elif (stream := streams.get(sid)) is not None:
                stream._wake_writer()
        elif kind is h2.events.ResponseReceived:
            stream = streams.get(event.stream_id)  # type: ignore[attr-defined]
            if stream is not None:
                stream._on_response(event.headers)  # type: ignore[attr-defined]
        elif kind is h2.events.StreamEnded:
            stream = streams.get(event.stream_id)  # type: ignore[attr-defined]
            if stream is not None:
                stream._on_end(None)
            self._slot_freed()
        elif kind is h2.events.StreamReset:
            stream = streams.get(event.stream_id)  # type: ignore[attr-defined]
            if stream is not None:
                code = event.error_code  # type: ignore[attr-defined]
                refused = code == h2.errors.ErrorCodes.REFUSED_STREAM
                stream._on_end(f"the server reset the stream ({_error_name(code)})", refused=refused)
            self._slot_freed()
        elif kind is h2.events.RemoteSettingsChanged:
            self._settings.set()
            for stream in streams.values():
                stream._wake_writer()  # (INITIAL_WINDOW_SIZE may have grown)
            self._slot_freed()
        elif kind is h2.events.ConnectionTerminated:
            code = event.error_code  # type: ignore[attr-defined]
            reason = f"the server sent GOAWAY ({_error_name(code)})"
            last = event.last_stream_id  # type: ignore[attr-defined]
            for stream in list(streams.values()):
                if last is not None and stream.sid > last:
                    stream._on_end(reason, refused=True)  # (never processed: may go elsewhere)
            self._fail(reason)
        # Pings are answered by h2; SETTINGS acks, priorities, trailers: nothing to do.

    def consumed(self, sid: int, n: int) -> None:
        """The reader took *n* flow-controlled bytes of stream *sid*: open the windows."""
        if n and self.dead is None:
            try:
                self.conn.acknowledge_received_data(n, sid)
            except _H2_ERRORS:
                pass  # the stream is gone: h2 accounts for its data itself
            self.flush()

    # -- the end ----------------------------------------------------------------------------------

    def _slot_freed(self) -> None:
        slot = self._slot
        if slot is not None:
            self._slot = None
            slot.set()

    def release(self, stream: H2StreamTransport) -> None:
        """*stream* is done with the link; the last one shuts it down."""
        if self.streams.pop(stream.sid, None) is not None:
            self._slot_freed()
            self._maybe_shutdown()

    def _maybe_shutdown(self) -> None:
        if not self.streams and not self._opening:
            self.shutdown()

    def shutdown(self) -> None:
        """No more streams: GOAWAY, then the writer ends the link."""
        if self._closing:
            return
        self._closing = True
        self._unpool()
        if self.dead is None:
            try:
                self.conn.close_connection()
            except _H2_ERRORS:
                pass
            self.flush()
        wake = self._wake
        if wake is not None:
            self._wake = None
            wake.set()

    def kill(self) -> None:
        """End the link at once (its opener was cancelled or failed)."""
        self._fail("the HTTP/2 connection was abandoned")
        if self._scope is not None:
            self._scope.cancel()

    def _unpool(self) -> None:
        links = _pool().links
        if links.get(self.key) is self:
            del links[self.key]

    def _fail(self, reason: str) -> None:
        """The link can carry nothing more: wake everyone who waits on it."""
        if self.dead is not None:
            return
        self.dead = reason
        self._closing = True
        self._unpool()
        self._settings.set()
        self._slot_freed()
        for stream in list(self.streams.values()):
            stream._on_end(reason)
        wake = self._wake  # (the writer writes what is left, a GOAWAY perhaps, then ends)
        if wake is not None:
            self._wake = None
            wake.set()


def _error_name(code: int) -> str:
    try:
        return h2.errors.ErrorCodes(code).name
    except ValueError:
        return f"error {code}"


class H2StreamTransport(Transport):
    """One HTTP/2 stream of a :class:`Link`, as the channel's transport."""

    __slots__ = (
        "_chunks", "_end_pending", "_ended", "_error", "_link", "_local_done", "_offset", "_readable",
        "_refused", "_released", "_response", "_responded", "_window", "security_info", "sid",
    )
    writes_inline = True  # try_send frames into h2 at once; the link's writer does the I/O
    http_version = "h2"
    lingers = False

    def __init__(self, link: Link, sid: int) -> None:
        self._link = link
        self.sid = sid
        self.security_info = link.security_info
        self._chunks: deque[bytes] = deque()
        self._offset = 0  # into _chunks[0]
        self._ended = False  # END_STREAM, a reset or the link's end: no more data
        self._error: str | None = None  # ...and why, when it was not a clean END_STREAM
        self._refused = False  # ...and the server said it never processed the request
        self._local_done = False  # our END_STREAM or RST_STREAM went
        self._end_pending = False  # the next complete write carries our Close: END_STREAM on it
        self._released = False
        self._readable: trio.Event | None = None
        self._window: trio.Event | None = None
        self._responded = trio.Event()
        self._response: tuple[int, list[tuple[str, str]]] | None = None

    # -- events from the link ---------------------------------------------------------------------

    def _on_response(self, raw: list[tuple[bytes, bytes]]) -> None:
        headers = [(n.decode("ascii", "replace"), v.decode("latin-1")) for n, v in raw]
        status = next((v for n, v in headers if n == ":status"), "")
        self._response = (int(status) if status.isdigit() else 0, headers)
        self._responded.set()

    def _on_data(self, data: bytes, flow_controlled: int) -> None:
        if flow_controlled > len(data):
            self._link.consumed(self.sid, flow_controlled - len(data))  # padding: nothing to read
        if data:
            self._chunks.append(data)
            readable = self._readable
            if readable is not None:
                self._readable = None
                readable.set()

    def _on_end(self, error: str | None, *, refused: bool = False) -> None:
        if self._ended:
            return
        self._ended = True
        self._error = error
        self._refused = refused
        if error is not None:
            self._local_done = True  # (a reset stream takes nothing more from us)
        self._responded.set()
        for event in (self._readable, self._window):
            if event is not None:
                event.set()
        self._readable = self._window = None

    def _wake_writer(self) -> None:
        window = self._window
        if window is not None:
            self._window = None
            window.set()

    @property
    def buffered(self) -> int:
        """Bytes received and not read yet (at most the stream's receive window)."""
        return sum(len(c) for c in self._chunks) - self._offset

    # -- the opening ------------------------------------------------------------------------------

    async def response(self) -> tuple[int, list[tuple[str, str]]]:
        """The status and headers of the server's answer; HandshakeError when the stream
        or the link ended first."""
        await self._responded.wait()
        if self._response is None:
            error = self._error or "the server ended the stream without an answer"
            raise StreamRefused(_REFUSED, error) if self._refused else HandshakeError(_REFUSED, error)
        return self._response

    # -- Transport --------------------------------------------------------------------------------

    async def receive(self, size: int, *, wait_first: bool = False) -> bytes | bytearray:
        chunks = self._chunks
        if chunks:
            await trio.lowlevel.checkpoint()
        while not chunks:
            if self._ended:
                return b""
            self._readable = readable = trio.Event()
            await readable.wait()
        first = chunks[0]
        if not self._offset and len(first) <= size and len(chunks) == 1:
            chunks.popleft()
            self._link.consumed(self.sid, len(first))
            return first
        out = bytearray()
        while chunks and len(out) < size:
            self._take_into(out, size - len(out))
        self._link.consumed(self.sid, len(out))
        return out

    def _take_into(self, out: bytearray, want: int) -> None:
        chunk, start = self._chunks[0], self._offset
        end = min(len(chunk), start + want)
        out += memoryview(chunk)[start:end]
        if end == len(chunk):
            self._chunks.popleft()
            self._offset = 0
        else:
            self._offset = end

    async def receive_into(self, view: memoryview) -> int:
        data = await self.receive(len(view))
        n = len(data)
        view[:n] = data
        return n

    def _writable(self) -> bool:
        """False: our END_STREAM went (nothing may follow our Close: dropped); raises
        TransportClosed when the stream was reset or the link is gone."""
        if self._error is not None:
            raise TransportClosed(self._error)
        if self._link.dead is not None:
            raise TransportClosed(self._link.dead)
        return not self._local_done

    def _frame(self, data: memoryview, limit: int, end: bool) -> int:
        """Frame up to *limit* bytes of *data* into h2 as the windows allow; the count.
        *end*: END_STREAM on the frame that takes the last byte of *data*."""
        link = self._link
        conn, sid = link.conn, self.sid
        try:
            room = min(len(data), limit, conn.local_flow_control_window(sid))
            size = conn.max_outbound_frame_size
            done = 0
            while done < room:
                step = min(size, room - done)
                done += step
                last = end and done == len(data)
                conn.send_data(sid, data[done - step : done], end_stream=last)
        except _H2_ERRORS as e:
            raise TransportClosed(f"the HTTP/2 stream cannot send: {e}") from None
        if end and done == len(data):
            self._local_done = True
            self._end_pending = False
        link.flush()
        return done

    def end_after_close(self) -> None:
        # The Close is the last frame the send queue holds, and every write hands over
        # the queue's whole head: the first write begun from now on that completes ends
        # with it.  (A write already under way began without it: it does not end the stream.)
        self._end_pending = True

    def try_send(self, data: Buffer) -> int:
        if not self._writable():
            return memoryview(data).nbytes
        room = WRITE_BACKLOG - self._link.backlog
        if room <= 0:
            return 0
        return self._frame(memoryview(data).cast("B"), room, self._end_pending)

    async def send_all(self, data: Buffer) -> None:
        view = memoryview(data).cast("B")
        link = self._link
        end = self._end_pending
        while view:
            if not self._writable():
                return
            room = WRITE_BACKLOG - link.backlog
            sent = self._frame(view, room, end) if room > 0 else 0
            view = view[sent:]
            if not view:
                break
            if room > 0 and sent < room:
                # The flow-control window is closed: a WINDOW_UPDATE (or the end) wakes us.
                self._window = window = self._window or trio.Event()
                await window.wait()
            else:
                await link.wait_written(link._queued - WRITE_BACKLOG // 2)
        await link.wait_written(link._queued)
        if link.dead is not None:
            raise TransportClosed(link.dead)

    async def aclose(self, timeout: float) -> None:
        """END_STREAM unless our Close already carried it, written within *timeout*; then
        as :meth:`abort` (the server's half, if it is still open, is cancelled)."""
        link = self._link
        with trio.move_on_after(timeout, shield=True):
            if not self._released and self._error is None and link.dead is None:
                if not self._local_done:
                    self._local_done = True
                    try:
                        link.conn.end_stream(self.sid)
                    except _H2_ERRORS:
                        pass
                    link.flush()
                await link.wait_written(link._queued)
        await self.abort()

    async def abort(self) -> None:
        """RST_STREAM(CANCEL) unless both halves of the stream are over; then give the
        link back (the last stream's release ends the link).  Never raises."""
        if self._released:
            return
        self._released = True
        self._local_done = True
        link = self._link
        stream = link.conn.streams.get(self.sid)
        if link.dead is None and stream is not None and not stream.closed:
            try:
                link.conn.reset_stream(self.sid, h2.errors.ErrorCodes.CANCEL)
            except _H2_ERRORS:
                pass
            link.flush()
        self._chunks.clear()
        link.release(self)
