# Generated from idl/xpcom/io/nsIInputStream.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIInputStream.idl: nsIInputStream."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIInputStream"]


class nsIInputStream(nsISupports):
    """A source of bytes read in order, a chunk at a time. A stream is either
    open or closed; once closed, every member except close() fails with
    NS_BASE_STREAM_CLOSED. The end of the data is not an error: a read then
    gives back no bytes. Blocking streams may make a read wait for data, so
    code on an event loop calls them from a worker thread.
    """

    _taggedValue("uuid", _uuid.UUID("218f0209-270d-41c4-bac7-f2f6bf429660"))
    _taggedValue("flags", ("scriptable",))

    def close():  # type: ignore[misc]
        """Release what the stream holds (a file, a buffer). Closing a closed
        stream does nothing.

        XPIDL: void close()
        """

    def available():  # type: ignore[misc]
        """How many bytes can be read right now without blocking. For a stream
        that knows its length this is what is left; 0 at the end.

        @throws NS_BASE_STREAM_CLOSED once the stream is closed.

        XPIDL: unsigned long long available()
        """

    def read(aCount):
        """Read up to aCount bytes. Fewer may come back; none means the end of
        the stream was reached. In Python the result is a bytes object.

        @param aCount  the most bytes wanted.
        @throws NS_BASE_STREAM_CLOSED once the stream is closed.
        @throws NS_BASE_STREAM_WOULD_BLOCK from a non-blocking stream that has
                nothing ready yet.

        XPIDL: ACString read(in unsigned long aCount)
        """

    def readBytes(aCount):
        """The same as read(); the name scripts know from nsIBinaryInputStream.

        XPIDL: ACString readBytes(in unsigned long aCount)
        """

    def isNonBlocking():  # type: ignore[misc]
        """Whether read() can fail with NS_BASE_STREAM_WOULD_BLOCK instead of
        waiting for data.

        XPIDL: boolean isNonBlocking()
        """


_tag_members(nsIInputStream, {
    "close": {
        "returns": "void",
        "params": (),
        "results": (),
        "flags": (),
    },
    "available": {
        "returns": "unsigned long long",
        "params": (),
        "results": (),
        "flags": (),
    },
    "read": {
        "returns": "ACString",
        "params": (("aCount", "in", "unsigned long"),),
        "results": (),
        "flags": (),
    },
    "readBytes": {
        "returns": "ACString",
        "params": (("aCount", "in", "unsigned long"),),
        "results": (),
        "flags": (),
    },
    "isNonBlocking": {
        "returns": "boolean",
        "params": (),
        "results": (),
        "flags": (),
    },
})
