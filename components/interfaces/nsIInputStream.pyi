# Generated from idl/xpcom/io/nsIInputStream.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIInputStream.py, from idl/xpcom/io/nsIInputStream.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsIInputStream", "nsIInputStreamInterface"]


class nsIInputStream(nsISupports, Protocol):
    """A source of bytes read in order, a chunk at a time. A stream is either
    open or closed; once closed, every member except close() fails with
    NS_BASE_STREAM_CLOSED. The end of the data is not an error: a read then
    gives back no bytes. Blocking streams may make a read wait for data, so
    code on an event loop calls them from a worker thread.
    """

    def close(self) -> None:
        """Release what the stream holds (a file, a buffer). Closing a closed
        stream does nothing.
        """
        ...

    def available(self) -> int:
        """How many bytes can be read right now without blocking. For a stream
        that knows its length this is what is left; 0 at the end.

        @throws NS_BASE_STREAM_CLOSED once the stream is closed.
        """
        ...

    def read(self, aCount: int) -> bytes:
        """Read up to aCount bytes. Fewer may come back; none means the end of
        the stream was reached. In Python the result is a bytes object.

        @param aCount  the most bytes wanted.
        @throws NS_BASE_STREAM_CLOSED once the stream is closed.
        @throws NS_BASE_STREAM_WOULD_BLOCK from a non-blocking stream that has
                nothing ready yet.
        """
        ...

    def readBytes(self, aCount: int) -> bytes:
        """The same as read(); the name scripts know from nsIBinaryInputStream."""
        ...

    def isNonBlocking(self) -> bool:
        """Whether read() can fail with NS_BASE_STREAM_WOULD_BLOCK instead of
        waiting for data.
        """
        ...


class nsIInputStreamInterface(InterfaceObject[nsIInputStream], Protocol):
    """The interface object ``Ci.nsIInputStream`` (a zope.interface InterfaceClass)."""
