"""One large frame's payload, collected across reads (RFC 6455 §5.2).

A frame bigger than the connection's tail limit is not buffered and parsed again
with every read: its header has been checked, only payload bytes are missing, and
they are gathered here as they arrive.  With the C accelerator they go straight
into the payload's final ``bytes`` object (``payload_buffer`` / ``fill``), and a
client may even read them in place (:meth:`LargeFrame.view`, ``recv_into``);
without it they are kept as a list of chunks, small dribbled reads merged, and
joined once.  Either way a 1 MiB message arriving in 64 KiB reads is copied at
most once.  A server's payload is unmasked on the way in (RFC 6455 §5.3), and the
bytes of a plain text frame are UTF-8 checked as they come, so invalid text fails
at the read that brought it rather than when the frame is complete.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from components.websocket.protocol import mask as mask_module
from components.websocket.protocol.mask import Buffer
from components.websocket.protocol.utf8 import Utf8Prefix

__all__ = ["LargeFrame", "unmask_at"]

_speedups: Any = getattr(mask_module, "_speedups", None)
_mask: Final = mask_module.mask
_payload_buffer: Callable[[int], bytes] | None = getattr(_speedups, "payload_buffer", None)
_fill: Callable[[bytes, int, Buffer], int] | None = getattr(_speedups, "fill", None)
_fill_unmask: Callable[[bytes, int, Buffer, bytes], int] | None = getattr(_speedups, "fill_unmask", None)
_payload_view: Callable[[bytes, int, int], memoryview] | None = getattr(_speedups, "payload_view", None)
#: Reads shorter than this are merged into one bytearray (pure-Python collection).
_SMALL_CHUNK: Final = 4096


def unmask_at(data: Buffer, key: bytes, offset: int) -> bytes:
    """Unmask *data*, which starts *offset* bytes into its frame's payload.

    RFC 6455 §5.3: payload byte *i* is XORed with key byte ``i % 4``, so a piece
    that starts mid-payload uses the key rotated by its offset.
    """
    r = offset & 3
    return _mask(data, key[r:] + key[:r] if r else key)


class LargeFrame:
    """The payload of one frame whose header is checked, as it arrives."""

    __slots__ = ("b0", "_buf", "_chunks", "_key", "_length", "_need", "_off", "_utf8")

    def __init__(
        self, b0: int, length: int, arrived: Buffer, key: bytes | None, utf8: Utf8Prefix | None
    ) -> None:
        """*arrived*: the payload bytes already read; *key*: the server role's masking key;
        *utf8*: the check to feed for a plain text frame (None: not text)."""
        self.b0 = b0
        self._length = length
        self._key = key
        self._utf8 = utf8
        piece: Buffer
        if _payload_buffer is not None:
            buf = _payload_buffer(length)
            self._off = (
                _fill(buf, 0, arrived) if key is None else _fill_unmask(buf, 0, arrived, key)  # type: ignore[misc]
            )
            piece = memoryview(buf)[: self._off]
            self._buf: bytes | None = buf
            self._chunks: list[bytes | bytearray] = []
        else:
            piece = bytes(arrived) if key is None else _mask(arrived, key)
            self._buf = None
            self._chunks = [piece]
            self._off = len(piece)
        if utf8 is not None:
            utf8.feed(piece)
        self._need = length - self._off

    @property
    def need(self) -> int:
        """How many payload bytes are still missing."""
        return self._need

    def feed(self, data: Buffer) -> bytes | None:
        """Take the next input bytes: the complete payload once the last one came, else None.

        When the payload completes, the input past its ``need`` bytes is the caller's.
        FrameError 1007 when a text frame's bytes stop being UTF-8.
        """
        need = self._need
        size = len(data)
        key = self._key
        buf = self._buf
        if buf is not None:
            off = self._off
            piece: Buffer = data if size <= need else memoryview(data)[:need]
            end = _fill(buf, off, piece) if key is None else _fill_unmask(buf, off, piece, key)  # type: ignore[misc]
            if size >= need:
                return buf
            if self._utf8 is not None:
                self._utf8.feed(memoryview(buf)[off:end])
            self._off = end
            self._need = need - size
            return None
        piece = data if key is None else unmask_at(memoryview(data)[:need], key, self._length - need)
        if size >= need:
            return b"".join([*self._chunks, piece[:need] if len(piece) > need else piece])
        if self._utf8 is not None:
            self._utf8.feed(piece)
        self._collect(piece)
        self._need = need - size
        return None

    def view(self) -> memoryview | None:
        """Writable room for exactly the missing bytes, or None (no accelerator, or a server,
        which must unmask what it reads).  Valid until the next call; the caller releases it."""
        buf = self._buf
        if _payload_view is None or buf is None or self._key is not None:
            return None
        return _payload_view(buf, self._off, self._need)

    def filled(self, n: int) -> bytes | None:
        """*n* bytes were written at the start of the last :meth:`view`: as :meth:`feed`."""
        buf, need = self._buf, self._need
        if buf is None or self._key is not None or not 0 < n <= need:
            raise ValueError("receive_filled() without a matching receive_buffer()")
        if n == need:
            return buf
        off = self._off
        if self._utf8 is not None:
            self._utf8.feed(memoryview(buf)[off : off + n])
        self._off = off + n
        self._need = need - n
        return None

    def _collect(self, data: Buffer) -> None:
        """Pure-Python collection: big reads kept as they are, small ones merged.

        Dribbled input (a few bytes per read) then costs its size in memory, not an
        object per read.  Nothing is kept that the caller may reuse: other buffers are
        copied to bytes.
        """
        chunks = self._chunks
        if len(data) < _SMALL_CHUNK:
            last = chunks[-1]
            if type(last) is bytearray:
                last += data
            else:
                chunks.append(bytearray(data))
        else:
            chunks.append(data if type(data) is bytes else bytes(data))
