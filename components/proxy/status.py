"""What a failed proxy says: Firefox's proxy nsresults, and a sentence for each.

Firefox turns a proxy's non-2xx answer to CONNECT into an nsresult of its own,
the network module's base plus the HTTP status (``NS_ERROR_PROXY_BAD_GATEWAY``
is 0x804B0000 + 502), so that a page -- and here a listener's onStop -- can tell
"the proxy refused" from "the server refused".  The statuses it does not give a
code of their own fall back to ``NS_ERROR_PROXY_CONNECTION_REFUSED``, except
those it reads as being about the origin: 400 / 404 / 500 mean the proxy could not
find the host (``NS_ERROR_UNKNOWN_HOST``), 503 that the origin refused (for a
WebSocket: ``NS_ERROR_WEBSOCKET_CONNECTION_REFUSED``, what a direct refusal gives).
"""

from __future__ import annotations

from typing import Final

from components.results import Cr

__all__ = ["ProxyError", "describe_status", "status_for_http"]


class ProxyError(Exception):
    """Opening through a proxy failed with *status* (an nsresult for onStop)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


#: The proxy's HTTP status to CONNECT -> the nsresult (Firefox's table, statuses we name).
_BY_HTTP_STATUS: Final[dict[int, int]] = {
    400: Cr.NS_ERROR_UNKNOWN_HOST,
    404: Cr.NS_ERROR_UNKNOWN_HOST,
    500: Cr.NS_ERROR_UNKNOWN_HOST,
    401: Cr.NS_ERROR_PROXY_UNAUTHORIZED,
    403: Cr.NS_ERROR_PROXY_FORBIDDEN,
    405: Cr.NS_ERROR_PROXY_METHOD_NOT_ALLOWED,
    407: Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED,
    408: Cr.NS_ERROR_PROXY_REQUEST_TIMEOUT,
    429: Cr.NS_ERROR_PROXY_TOO_MANY_REQUESTS,
    501: Cr.NS_ERROR_PROXY_NOT_IMPLEMENTED,
    502: Cr.NS_ERROR_PROXY_BAD_GATEWAY,
    503: Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED,
    504: Cr.NS_ERROR_PROXY_GATEWAY_TIMEOUT,
    505: Cr.NS_ERROR_PROXY_VERSION_NOT_SUPPORTED,
}


def status_for_http(code: int) -> int:
    """The nsresult for a proxy that answered CONNECT with HTTP status *code* (not 2xx)."""
    return _BY_HTTP_STATUS.get(code, Cr.NS_ERROR_PROXY_CONNECTION_REFUSED)


_DESCRIPTIONS: Final[dict[int, str]] = {
    Cr.NS_ERROR_PROXY_CONNECTION_REFUSED: "the proxy refused the connection",
    Cr.NS_ERROR_UNKNOWN_PROXY_HOST: "the proxy's host name could not be resolved",
    Cr.NS_ERROR_PROXY_UNAUTHORIZED: "the proxy answered 401 Unauthorized",
    Cr.NS_ERROR_PROXY_FORBIDDEN: "the proxy does not allow this connection (403)",
    Cr.NS_ERROR_PROXY_METHOD_NOT_ALLOWED: "the proxy does not allow CONNECT (405)",
    Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED: "the proxy wants credentials (407), and none were accepted",
    Cr.NS_ERROR_PROXY_REQUEST_TIMEOUT: "the proxy timed out waiting for the request (408)",
    Cr.NS_ERROR_PROXY_TOO_MANY_REQUESTS: "the proxy refused: too many requests (429)",
    Cr.NS_ERROR_PROXY_NOT_IMPLEMENTED: "the proxy does not implement CONNECT (501)",
    Cr.NS_ERROR_PROXY_BAD_GATEWAY: "the proxy could not reach the server (502)",
    Cr.NS_ERROR_PROXY_GATEWAY_TIMEOUT: "the proxy timed out reaching the server (504)",
    Cr.NS_ERROR_PROXY_VERSION_NOT_SUPPORTED: "the proxy does not support HTTP/1.1 (505)",
}


def describe_status(status: int) -> str | None:
    """A sentence for a proxy failure status (for a person: the CLI prints it); None for others."""
    return _DESCRIPTIONS.get(status)
