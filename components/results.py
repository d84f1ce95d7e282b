"""nsresult codes and the exception that carries them.

XPCOM reports every failure as a 32-bit ``nsresult``.  Script code sees them as
``Components.results`` (``Cr``) and as exceptions whose ``result`` is the code;
we keep both shapes.  Values are the exact ones Gecko uses (see
``../shared/REFERENCE.md``).
"""

from __future__ import annotations

from typing import Final


class Cr:
    """The nsresult codes by name, as in ``Components.results``."""

    NS_OK: Final = 0x00000000
    NS_ERROR_NOT_IMPLEMENTED: Final = 0x80004001
    NS_NOINTERFACE: Final = 0x80004002
    NS_ERROR_NO_INTERFACE: Final = 0x80004002
    NS_ERROR_NULL_POINTER: Final = 0x80004003
    NS_ERROR_ABORT: Final = 0x80004004
    NS_ERROR_FAILURE: Final = 0x80004005
    NS_ERROR_UNEXPECTED: Final = 0x8000FFFF
    NS_ERROR_OUT_OF_MEMORY: Final = 0x8007000E
    NS_ERROR_ILLEGAL_VALUE: Final = 0x80070057
    NS_ERROR_INVALID_ARG: Final = 0x80070057
    NS_ERROR_NOT_AVAILABLE: Final = 0x80040111
    NS_ERROR_FACTORY_NOT_REGISTERED: Final = 0x80040154
    NS_ERROR_FACTORY_EXISTS: Final = 0x80040156
    NS_ERROR_NOT_INITIALIZED: Final = 0xC1F30001
    NS_ERROR_ALREADY_INITIALIZED: Final = 0xC1F30002
    NS_BASE_STREAM_CLOSED: Final = 0x80470002
    NS_BASE_STREAM_WOULD_BLOCK: Final = 0x80470007
    NS_ERROR_CANNOT_CONVERT_DATA: Final = 0x80460001
    NS_ERROR_MALFORMED_URI: Final = 0x804B000A
    NS_ERROR_NOT_CONNECTED: Final = 0x804B000C
    NS_ERROR_CONNECTION_REFUSED: Final = 0x804B000D
    NS_ERROR_NET_TIMEOUT: Final = 0x804B000E
    NS_ERROR_IN_PROGRESS: Final = 0x804B000F
    NS_ERROR_UNKNOWN_PROTOCOL: Final = 0x804B0012
    NS_ERROR_NET_RESET: Final = 0x804B0014
    NS_ERROR_INVALID_CONTENT_ENCODING: Final = 0x804B001B
    NS_ERROR_UNKNOWN_HOST: Final = 0x804B001E
    NS_ERROR_UNKNOWN_PROXY_HOST: Final = 0x804B002A
    NS_ERROR_REDIRECT_LOOP: Final = 0x804B001F
    NS_ERROR_SOCKET_CREATE_FAILED: Final = 0x804B0034
    NS_ERROR_NET_INTERRUPT: Final = 0x804B0047
    NS_ERROR_PROXY_CONNECTION_REFUSED: Final = 0x804B0048
    NS_ERROR_ALREADY_OPENED: Final = 0x804B0049
    NS_ERROR_NET_INADEQUATE_SECURITY: Final = 0x804B0052
    NS_ERROR_NET_TIMEOUT_EXTERNAL: Final = 0x804B0055
    NS_ERROR_WEBSOCKET_CONNECTION_REFUSED: Final = 0x804B0057
    # A proxy's refusal of CONNECT: the network module's base plus its HTTP status.
    NS_ERROR_PROXY_UNAUTHORIZED: Final = 0x804B0000 + 401
    NS_ERROR_PROXY_FORBIDDEN: Final = 0x804B0000 + 403
    NS_ERROR_PROXY_METHOD_NOT_ALLOWED: Final = 0x804B0000 + 405
    NS_ERROR_PROXY_AUTHENTICATION_FAILED: Final = 0x804B0000 + 407
    NS_ERROR_PROXY_REQUEST_TIMEOUT: Final = 0x804B0000 + 408
    NS_ERROR_PROXY_TOO_MANY_REQUESTS: Final = 0x804B0000 + 429
    NS_ERROR_PROXY_NOT_IMPLEMENTED: Final = 0x804B0000 + 501
    NS_ERROR_PROXY_BAD_GATEWAY: Final = 0x804B0000 + 502
    NS_ERROR_PROXY_GATEWAY_TIMEOUT: Final = 0x804B0000 + 504
    NS_ERROR_PROXY_VERSION_NOT_SUPPORTED: Final = 0x804B0000 + 505
    NS_ERROR_FILE_TOO_BIG: Final = 0x8052000F


# Aliases share a value; the first spelling listed above is the canonical name.
_NAMES: dict[int, str] = {}
for _name, _value in vars(Cr).items():
    if _name.startswith("NS_"):
        _NAMES.setdefault(_value, _name)
_NAMES[Cr.NS_ERROR_ILLEGAL_VALUE] = "NS_ERROR_ILLEGAL_VALUE"
_NAMES[Cr.NS_NOINTERFACE] = "NS_NOINTERFACE"


def result_name(code: int) -> str:
    """The symbolic name of *code*, or its hex spelling when it has none."""
    return _NAMES.get(code, f"0x{code:08x}")


def succeeded(code: int) -> bool:
    """``NS_SUCCEEDED``: the top (severity) bit is clear."""
    return not code & 0x80000000


def failed(code: int) -> bool:
    """``NS_FAILED``: the top (severity) bit is set."""
    return bool(code & 0x80000000)


class XPCOMError(Exception):
    """A failed XPCOM call.  ``result`` is the nsresult code.

    ``str()`` shows the symbolic name first, as Firefox's console does:
    ``NS_ERROR_ALREADY_OPENED (0x804b0049): the channel was opened before``.
    """

    def __init__(self, result: int, message: str = "") -> None:
        self.result = result
        self.message = message
        super().__init__(result, message)

    @property
    def name(self) -> str:
        return result_name(self.result)

    def __str__(self) -> str:
        head = f"{self.name} (0x{self.result:08x})"
        return f"{head}: {self.message}" if self.message else head

    def __repr__(self) -> str:
        return f"XPCOMError({self.name}, {self.message!r})"
