"""The send queue: framed bytes on their way to the transport, in order.

Theory of operation
-------------------
The channel's send methods are synchronous: they frame a message at once (the core
is cheap, masking is in C) and :meth:`SendQueue.push` the bytes.  The queue owns
everything between that and the wire:

* **Coalescing.**  Pushed frames are not written one by one.  A push schedules one
  flush; inside a listener callback (the session ``hold``s the queue while it
  dispatches a received chunk) the flush waits until the chunk is dispatched, so an
  echo-style listener's replies go out in one write with no task switch; outside,
  it runs in one ``run_sync_soon`` callback after the calling task yields, so a
  burst of 300 pipelined sends from a task is still one syscall.  A flush joins the
  queue and hands it to ``Transport.try_send``.
* **Backpressure.**  Whatever the transport does not take goes to a writer task,
  started on need, which owns all writes until the backlog is written: parked on an
  Event set only when the queue goes from empty to non-empty, it swaps the list out
  and writes the join with ONE ``send_all``.  Over a transport that writes inline
  (plain TCP) the writer retires when the backlog is gone, so an idle connection is
  one task again; over one that never does (TLS) it stays, parked.
* **Control frames first.**  Pongs, pings and the Close of a failure are inserted
  ahead of queued data, but never inside a partly written frame (the rest of a
  partial write is put back at the head and counts as control).  A Pong not yet
  begun is replaced by a newer one (RFC 6455 §5.5.3 lets us answer only the latest
  Ping): a server that floods pings and reads nothing gets one Pong waiting, not one
  per Ping.
* **Acknowledgements.**  A message's size rides in a list parallel to the frames
  (cheaper than an entry object per frame on the hot path) that is swapped with the
  same batch, so the owner's ``written(sizes)`` runs after the write that carried each
  message's last byte.
* **The deferral during a stream.**  A ``sendBinaryStream`` message goes out as
  fragments produced while its file is read on a worker thread; nothing sent
  meanwhile may interleave with them, so while ``streaming`` is set later sends
  wait in ``deferred`` as typed entries (:class:`Text`, :class:`Binary`,
  :class:`Stream`, :class:`Close`) and are framed, in order, when it ends.
* **One reusable buffer** for big binary frames: a fresh 1 MiB allocation per
  message is trimmed back to the kernel by glibc and faulted in again -- a quarter
  of the 1 MiB echo's CPU time.  :meth:`frame_buffer` lends it only while nothing
  queued or being written can still refer to it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol, TypeAlias

import trio

from components.websocket.transport import Transport, TransportClosed

__all__ = [
    "SENDBUF_MAX", "SENDBUF_MIN", "Binary", "Close", "Deferred", "QueueOwner", "SendQueue", "Stream", "Text",
]

log = logging.getLogger("components.websocket")

#: Binary messages of these sizes are framed into the reusable buffer (kept for the
#: channel's life once used: a bulk sender holds one frame, at most 4 MiB).
SENDBUF_MIN: Final = 65536
SENDBUF_MAX: Final = 4 << 20


@dataclass(slots=True)
class Text:
    """A deferred sendMsg."""

    message: str
    size: int


@dataclass(slots=True)
class Binary:
    """A deferred sendBinaryMsg (its own copy of the bytes)."""

    message: bytes
    size: int


@dataclass(slots=True)
class Stream:
    """A deferred sendBinaryStream."""

    stream: Any
    length: int


@dataclass(slots=True)
class Close:
    """A deferred close()."""

    code: int | None
    reason: str


Deferred: TypeAlias = Text | Binary | Stream | Close


class QueueOwner(Protocol):
    """What the queue needs from the session that owns it."""

    def written(self, sizes: list[int]) -> None:
        """The messages of these sizes have had their last byte written."""

    def broken(self) -> None:
        """The transport failed under a write."""

    def spawn(self, fn: Callable[[], Awaitable[None]]) -> bool:
        """Start *fn* as a helper task; False once the session is over."""


class SendQueue:
    """Frames waiting for the transport (see the module docs)."""

    __slots__ = (
        "_acks", "_busy", "_flushed", "_frames", "_holding", "_n_ctrl", "_owner", "_pong_at", "_scheduled",
        "_sendbuf", "_token", "_transport", "_wake", "_writer", "deferred", "streaming",
    )

    def __init__(self, transport: Transport, owner: QueueOwner) -> None:
        self._transport = transport
        self._token = trio.lowlevel.current_trio_token()
        # One reference to the owner rather than three bound methods: an idle connection
        # keeps its queue for life, and each bound method costs 64 bytes of it.
        self._owner = owner
        self._frames: list[bytes | memoryview] = []
        self._acks: list[int] = []
        self._n_ctrl = 0  # how many frames at the head are control frames
        self._pong_at = -1  # index of a queued Pong nothing of which is written yet
        self._holding = False
        self._scheduled = False
        self._writer = False  # a writer task exists
        self._busy = False  # ...and is inside send_all
        self._wake: trio.Event | None = None  # set by a push while the writer is parked
        self._flushed: trio.Event | None = None  # set when the queue is written out
        self._sendbuf: bytearray | None = None
        #: sendBinaryStream in flight: later sends go to ``deferred``.
        self.streaming = False
        self.deferred: list[Deferred] = []  # rarely used: a list is smaller than a deque

    def __bool__(self) -> bool:
        """Anything not written yet (queued or inside a write)?"""
        return bool(self._frames) or self._busy

    # -- pushing ------------------------------------------------------------------------------

    def push(self, frame: bytes | memoryview, ack: int = -1) -> None:
        """Queue a data frame; *ack* >= 0: acknowledge that many bytes once it is written."""
        self._frames.append(frame)
        if ack >= 0:
            self._acks.append(ack)
        self._kick()

    def push_control(self, frame: bytes, *, pong: bool = False) -> None:
        """Queue a control frame ahead of the data frames; a *pong* replaces a queued one."""
        if pong:
            if self._pong_at >= 0:
                self._frames[self._pong_at] = frame
                return  # (the queue was kicked when that Pong came)
            self._pong_at = self._n_ctrl
        self._frames.insert(self._n_ctrl, frame)
        self._n_ctrl += 1
        self._kick()

    def push_now(self, frame: bytes) -> None:
        """Queue *frame* last and, when nothing else is pending, write it before returning.

        For a close() from outside a listener callback: saves the run_sync_soon wakeup
        (a syscall and a loop pass per connection).  Only when no acknowledgement is
        pending, so that no listener method runs inside the caller's close().
        """
        if self._holding or self._writer or self._scheduled or self._frames or self._acks:
            self.push(frame)
        else:
            self._frames.append(frame)
            self.flush()

    def frame_buffer(self, size: int) -> bytearray | None:
        """The reusable buffer for a *size*-byte message, when it is big enough to be
        worth it and nothing can still refer to the buffer."""
        if not SENDBUF_MIN <= size <= SENDBUF_MAX or self._frames or self._busy:
            return None
        buf = self._sendbuf
        if buf is None:
            buf = self._sendbuf = bytearray()
        return buf

    # -- flushing -----------------------------------------------------------------------------

    def hold(self) -> None:
        """Pushes from now on only schedule the flush: the caller calls :meth:`release`."""
        self._holding = True

    def release(self) -> None:
        """End :meth:`hold`; write what was pushed meanwhile, in one go."""
        self._holding = False
        if self._scheduled:
            self.flush()

    def _kick(self) -> None:
        if self._writer:
            wake = self._wake
            if wake is not None:
                self._wake = None
                wake.set()
        elif not self._scheduled:
            self._scheduled = True
            if not self._holding:
                self._token.run_sync_soon(self._flush_soon)

    def _flush_soon(self) -> None:
        if not self._scheduled:
            return
        try:
            self.flush()
        except Exception:  # noqa: BLE001 - must never raise into trio's run loop
            log.exception("websocket flush failed")

    def _take(self) -> tuple[bytes | memoryview, list[int]]:
        frames, acks = self._frames, self._acks
        self._frames, self._acks, self._n_ctrl, self._pong_at = [], [], 0, -1
        return (frames[0] if len(frames) == 1 else b"".join(frames)), acks

    def flush(self) -> None:
        """Write the queue with one ``try_send``; hand what is left to the writer."""
        self._scheduled = False
        if not self._frames:
            return
        if self._writer:
            self._kick()
            return
        data, acks = self._take()
        try:
            sent = self._transport.try_send(data)
        except TransportClosed:
            self._owner.broken()
            return
        if sent < len(data):
            # The rest (and its acknowledgements) go first, ahead of any control frame:
            # a frame already begun must be finished.
            self._frames = [memoryview(data)[sent:] if sent else data, *self._frames]
            self._acks = acks + self._acks
            self._n_ctrl = 1
            self._start_writer()
            return
        # Drop our reference to what was written before any listener method runs: an
        # onAcknowledge that sends the next big message may grow the reusable buffer,
        # which a live view of it would forbid (BufferError).
        del data
        self._written(acks)

    def _written(self, acks: list[int]) -> None:
        flushed = self._flushed
        if flushed is not None and not self._frames:
            self._flushed = None
            flushed.set()
        if acks:
            self._owner.written(acks)

    async def drain(self) -> None:
        """Wait until everything queued so far is written."""
        while self:
            if not self._writer:
                self.flush()  # writes it all, fails, or starts the writer
                if not self._writer:
                    return
            if self._flushed is None:
                self._flushed = trio.Event()
            await self._flushed.wait()

    # -- the writer task ------------------------------------------------------------------------

    def _start_writer(self) -> None:
        if not self._writer:
            self._writer = self._owner.spawn(self._write_loop)

    async def _write_loop(self) -> None:
        transport = self._transport
        retire = transport.writes_inline
        try:
            while True:
                if not self._frames:
                    self._written([])
                    if retire:
                        return  # back to direct writes, and to one task per channel
                    self._wake = wake = trio.Event()
                    await wake.wait()
                    continue
                data, acks = self._take()
                self._busy = True
                try:
                    await transport.send_all(data)
                finally:
                    self._busy = False
                del data  # (no view of the reusable buffer may outlive the write; see flush)
                self._written(acks)
        except TransportClosed:
            self._owner.broken()
        finally:
            self._writer = False
            self._wake = None
