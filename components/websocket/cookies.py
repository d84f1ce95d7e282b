"""Cookies for the opening handshake, from and into a host application's cookie jar.

The jar is the standard library's :class:`http.cookiejar.CookieJar` (or anything
with its ``add_cookie_header`` / ``extract_cookies``): its policy decides which
cookies go where, as for urllib.  A channel uses its own jar (``ch.cookieJar``)
or, when it has none, the default one installed with :func:`set_default_cookie_jar`
(none at first: no cookies unless a host asks for them).

The jar speaks urllib's request and response objects; :class:`_JarRequest` and
:class:`_JarResponse` are the few attributes it reads.  A WebSocket URI is given
to the jar as its HTTP twin -- ``ws:`` as ``http:``, ``wss:`` as ``https:`` --
so that Secure cookies go only over TLS and domain and path matching see the
usual URL (RFC 6455 §4.1 item 12 and §4.2.2 item 6: cookies work as for HTTP).

A jar that raises does not break the handshake: the hop goes without cookies
(or without storing them) and the error is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

__all__ = ["cookie_header", "default_cookie_jar", "set_default_cookie_jar", "store_cookies"]

log = logging.getLogger("components.websocket")

_default_jar: Any = None

_HTTP_SCHEME = {"ws": "http", "wss": "https"}


def set_default_cookie_jar(jar: Any) -> None:
    """Install *jar* (an http.cookiejar.CookieJar, or None) for channels without their own."""
    global _default_jar
    _default_jar = jar


def default_cookie_jar() -> Any:
    """The jar installed by :func:`set_default_cookie_jar` (None when there is none)."""
    return _default_jar


def _http_url(uri: Any) -> str:
    # Without the userinfo: the jar takes the host from the URL's authority.
    scheme = _HTTP_SCHEME.get(uri.scheme, uri.scheme)
    return f"{scheme}://{uri.asciiHostPort}{uri.pathQueryRef or '/'}"


class _JarRequest:
    """What CookieJar reads of a urllib.request.Request, for one handshake request."""

    def __init__(self, uri: Any, first_uri: Any) -> None:
        self.full_url = _http_url(uri)
        self.type = _HTTP_SCHEME.get(uri.scheme, uri.scheme)
        self.host = uri.asciiHostPort
        # urllib's rule for redirects: the request the user asked for is verifiable,
        # the hops it leads to are not (the policy may refuse third-party cookies there).
        self.origin_req_host = first_uri.asciiHost
        self.unverifiable = uri is not first_uri and uri.asciiHost != first_uri.asciiHost
        self.added: dict[str, str] = {}

    def get_full_url(self) -> str:
        return self.full_url

    def has_header(self, name: str) -> bool:
        return name.capitalize() in self.added

    def get_header(self, name: str, default: str | None = None) -> str | None:
        return self.added.get(name.capitalize(), default)

    def add_unredirected_header(self, name: str, value: str) -> None:
        self.added[name.capitalize()] = value

    def header_items(self) -> list[tuple[str, str]]:
        return list(self.added.items())


class _JarResponse:
    """What CookieJar reads of a urllib response: ``info().get_all(name)``."""

    def __init__(self, headers: Sequence[tuple[str, str]]) -> None:
        self._headers = headers

    def info(self) -> _JarResponse:
        return self

    def get_all(self, name: str, default: Any = None) -> list[str] | Any:
        lower = name.lower()
        found = [v for n, v in self._headers if n.lower() == lower]
        return found or default


def cookie_header(jar: Any, uri: Any, first_uri: Any) -> str | None:
    """The ``Cookie`` value *jar* has for a request to *uri* (the open began at *first_uri*)."""
    if jar is None:
        return None
    request = _JarRequest(uri, first_uri)
    try:
        jar.add_cookie_header(request)
    except Exception:  # noqa: BLE001 - a host's jar must not break the handshake
        log.exception("the cookie jar failed to give cookies for %s", uri.spec)
        return None
    return request.added.get("Cookie")


def store_cookies(jar: Any, uri: Any, first_uri: Any, headers: Sequence[tuple[str, str]]) -> None:
    """Give *jar* the Set-Cookie fields of a response to a request for *uri*."""
    if jar is None or not any(n.lower() in ("set-cookie", "set-cookie2") for n, _ in headers):
        return
    try:
        jar.extract_cookies(_JarResponse(headers), _JarRequest(uri, first_uri))
    except Exception:  # noqa: BLE001
        log.exception("the cookie jar failed to store cookies from %s", uri.spec)
