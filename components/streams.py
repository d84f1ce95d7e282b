"""Input streams (nsIInputStream) over bytes and over binary file objects.

An nsIInputStream hands out bytes in chunks until it is exhausted (``read``
returns ``b""``) or closed (every call then raises ``NS_BASE_STREAM_CLOSED``,
except ``close`` itself, which may be repeated).  Both streams here are
blocking: ``read`` may wait on the file, so callers on an event loop run it on a
worker thread (the channel's ``sendBinaryStream`` does).  A lock makes each
stream safe to read from that worker while another thread closes it.

:func:`as_input_stream` is the adapter the channel uses: it accepts an
nsIInputStream (anything providing it, or duck-typed with ``read``/``close``
and ``available``), a Python binary file object, or a bytes-like object.
"""

from __future__ import annotations

import io
import os
import threading
from typing import Any, BinaryIO

from zope.interface import implementer

from components.interfaces import Ci
from components.manager import Supports, component
from components.results import Cr, XPCOMError

_UINT64_MAX = 2**64 - 1


def _closed() -> XPCOMError:
    return XPCOMError(Cr.NS_BASE_STREAM_CLOSED, "the stream is closed")


def _check_count(aCount: int) -> int:
    if isinstance(aCount, bool) or not isinstance(aCount, int) or not 0 <= aCount <= 0xFFFFFFFF:
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"bad byte count {aCount!r}")
    return aCount


@component(
    classID="{0e6d4b7a-91c3-4a58-8f2e-d3b7a1c5e962}",
    contractIDs=("@mozilla.org/io/string-input-stream;1",),
)
@implementer(Ci.nsIInputStream)
class BytesInputStream:
    """A stream over an in-memory copy of some bytes."""

    def __init__(self, data: bytes | bytearray | memoryview = b"") -> None:
        self._data = bytes(data)
        self._pos = 0
        self._closed = False
        self._lock = threading.Lock()

    def setData(self, data: bytes | bytearray | memoryview) -> None:
        """Replace the contents (what nsIStringInputStream.setByteStringData does)."""
        with self._lock:
            self._data, self._pos, self._closed = bytes(data), 0, False

    def close(self) -> None:
        with self._lock:
            self._closed = True

    def available(self) -> int:
        with self._lock:
            if self._closed:
                raise _closed()
            return min(len(self._data) - self._pos, _UINT64_MAX)

    def read(self, aCount: int) -> bytes:
        _check_count(aCount)
        with self._lock:
            if self._closed:
                raise _closed()
            chunk = self._data[self._pos : self._pos + aCount]
            self._pos += len(chunk)
            return chunk

    def readBytes(self, aCount: int) -> bytes:
        return self.read(aCount)

    def isNonBlocking(self) -> bool:
        return False


@implementer(Ci.nsIInputStream)
class FileInputStream(Supports):
    """A stream over a binary file object (anything with ``read(n) -> bytes``).

    ``close()`` closes the file too when *close_file* is true (the default), as
    an nsIFileInputStream owns its file.
    """

    def __init__(self, fileobj: BinaryIO | Any, close_file: bool = True) -> None:
        if not callable(getattr(fileobj, "read", None)):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not a readable file object: {fileobj!r}")
        if isinstance(fileobj, io.TextIOBase):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a text file is not a byte stream; open it with 'rb'")
        self._file = fileobj
        self._close_file = close_file
        self._closed = False
        self._eof = False
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._close_file:
                self._file.close()

    def available(self) -> int:
        """Bytes left when the file is seekable; 0 when it cannot tell without blocking (a pipe)."""
        with self._lock:
            if self._closed:
                raise _closed()
            if self._eof:
                return 0
            left = self._remaining()
            return min(left, _UINT64_MAX)

    def _remaining(self) -> int:
        f = self._file
        try:
            if f.seekable():
                here = f.tell()
                end = f.seek(0, os.SEEK_END)
                f.seek(here)
                return max(end - here, 0)
        except (AttributeError, OSError, ValueError):
            pass
        # Not seekable: peeking could block, and available() must not.
        return 0

    def read(self, aCount: int) -> bytes:
        _check_count(aCount)
        with self._lock:
            if self._closed:
                raise _closed()
            if aCount == 0 or self._eof:
                return b""
            try:
                chunk = self._file.read(aCount)
            except (OSError, ValueError) as e:
                raise XPCOMError(Cr.NS_ERROR_FAILURE, f"reading the file failed: {e!r}") from e
            if chunk is None:  # a non-blocking raw file with nothing ready
                raise XPCOMError(Cr.NS_BASE_STREAM_WOULD_BLOCK, "no data ready")
            if not isinstance(chunk, (bytes, bytearray, memoryview)):
                raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"the file returned {type(chunk).__name__}")
            if not chunk:
                self._eof = True
            return bytes(chunk)

    def readBytes(self, aCount: int) -> bytes:
        return self.read(aCount)

    def isNonBlocking(self) -> bool:
        return False


def as_input_stream(obj: Any) -> Any:
    """An nsIInputStream for *obj*: itself if it already is one, else a wrapper.

    Accepts an nsIInputStream, a binary file object (``read(n) -> bytes``) or a
    bytes-like object; anything else raises ``NS_ERROR_ILLEGAL_VALUE``.
    Wrapped file objects are closed when the stream is.
    """
    if Ci.nsIInputStream.providedBy(obj):
        return obj
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return BytesInputStream(obj)
    if callable(getattr(obj, "read", None)):
        if callable(getattr(obj, "available", None)) and callable(getattr(obj, "close", None)) \
                and not isinstance(obj, io.IOBase):
            return obj  # duck-typed nsIInputStream (e.g. a script object)
        return FileInputStream(obj)
    raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not a stream or binary file: {type(obj).__name__}")


def read_all(stream: Any, limit: int | None = None, chunk: int = 65536) -> bytes:
    """Read *stream* to its end (at most *limit* bytes); blocking, for worker threads."""
    out = bytearray()
    while limit is None or len(out) < limit:
        want = chunk if limit is None else min(chunk, limit - len(out))
        data = stream.read(want)
        if not data:
            break
        out += data
    return bytes(out)
