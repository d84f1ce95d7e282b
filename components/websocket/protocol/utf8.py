"""Fail-fast UTF-8: is what has arrived of a text frame still valid? (RFC 6455 §8.1)

A text frame may arrive in many reads; the connection checks each piece as it
comes, so invalid UTF-8 fails the connection at the first bad byte rather than
when the frame is complete.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import Any, Final

from components.results import Cr
from components.websocket.protocol import mask as mask_module
from components.websocket.protocol.frames import FrameError
from components.websocket.protocol.mask import Buffer

__all__ = ["Utf8Prefix", "bad_utf8", "new_utf8_decoder"]

new_utf8_decoder: Final = codecs.getincrementaldecoder("utf-8")
_speedups: Any = getattr(mask_module, "_speedups", None)
_utf8_check: Callable[[int, Buffer], int] | None = getattr(_speedups, "utf8_check", None)


def bad_utf8() -> FrameError:
    """The failure for invalid text: close 1007, NS_ERROR_CANNOT_CONVERT_DATA."""
    return FrameError(1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA, "text is not valid UTF-8")


class Utf8Prefix:
    """Is what has arrived of a text frame still a prefix of valid UTF-8? (RFC 3629 §4)

    With the C accelerator ``utf8_check`` walks the bytes and builds no text;
    the pure-Python fallback feeds codecs' incremental decoder and drops its
    output.  Either way an unfinished character at the end is not an error.
    *carry* is the unfinished character a previous fragment of the message
    ended with.
    """

    __slots__ = ("_state", "_decoder")

    def __init__(self, carry: bytes = b"") -> None:
        self._state = 0
        self._decoder = None if _utf8_check is not None else new_utf8_decoder()
        if carry:
            self.feed(carry)

    def feed(self, data: Buffer) -> None:
        """Check the next bytes; FrameError 1007 at the first that cannot be UTF-8."""
        decoder = self._decoder
        if decoder is None:
            assert _utf8_check is not None
            state = _utf8_check(self._state, data)
            if state < 0:
                raise bad_utf8()
            self._state = state
        else:
            try:
                decoder.decode(data)
            except UnicodeDecodeError:
                raise bad_utf8() from None
