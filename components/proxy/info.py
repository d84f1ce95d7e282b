"""nsIProxyInfo: one proxy, immutable; and proxy URLs (``http://user:pass@host:3128``) read as one.

A proxy URL is what curl, requests and the environment variables use.  Its
scheme gives the type and who resolves the origin's name:

=========================  =========  ======================================
scheme                     type       name resolved by
=========================  =========  ======================================
``http`` (or no scheme)    http       the proxy (CONNECT names the host)
``https``                  https      the proxy
``socks5h``, ``socks``     socks      the proxy (TRANSPARENT_PROXY_RESOLVES_HOST)
``socks5``                 socks      this machine
``socks4a``                socks4     the proxy
``socks4``                 socks4     this machine
=========================  =========  ======================================

The default ports are 80 / 443 for http / https (urllib3's, and RFC 9110's) and
1080 for SOCKS (curl's).  The userinfo, percent-decoded, is the proxy's
credentials.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import unquote

from zope.interface import implementer

from components.interfaces import Ci
from components.results import Cr, XPCOMError

__all__ = ["RESOLVES_HOST", "TYPES", "ProxyInfo", "as_proxy_info", "new_proxy_info", "proxy_info_from_url"]

#: nsIProxyInfo.TRANSPARENT_PROXY_RESOLVES_HOST
RESOLVES_HOST: Final = 1
TYPES: Final = frozenset({"http", "https", "socks", "socks4", "direct"})

#: Proxy URL scheme -> (type, flags, default port).
_SCHEMES: Final[dict[str, tuple[str, int, int]]] = {
    "http": ("http", 0, 80),
    "https": ("https", 0, 443),
    "socks": ("socks", RESOLVES_HOST, 1080),
    "socks5h": ("socks", RESOLVES_HOST, 1080),
    "socks5": ("socks", 0, 1080),
    "socks4a": ("socks4", RESOLVES_HOST, 1080),
    "socks4": ("socks4", 0, 1080),
}


@implementer(Ci.nsIProxyInfo)
class ProxyInfo:
    """An nsIProxyInfo; build it with :func:`new_proxy_info` (which checks the arguments)."""

    __slots__ = ("_failover", "_flags", "_host", "_password", "_port", "_timeout", "_type", "_username")

    TRANSPARENT_PROXY_RESOLVES_HOST: Final = RESOLVES_HOST

    def __init__(self, type_: str, host: str, port: int, flags: int = 0, username: str = "",
                 password: str = "", failover_timeout: int = 0, failover: ProxyInfo | None = None) -> None:
        self._type = type_
        self._host = host
        self._port = port
        self._flags = flags
        self._username = username
        self._password = password
        self._timeout = failover_timeout
        self._failover = failover

    @property
    def type(self) -> str:
        return self._type

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        return self._port

    @property
    def flags(self) -> int:
        return self._flags

    @property
    def username(self) -> str:
        return self._username

    @property
    def password(self) -> str:
        return self._password

    @property
    def failoverTimeout(self) -> int:
        return self._timeout

    @property
    def failoverProxy(self) -> ProxyInfo | None:
        return self._failover

    @property
    def resolves_host(self) -> bool:
        """Does the proxy resolve the origin's name (HTTP always; SOCKS with the flag)?"""
        return self._type in ("http", "https") or bool(self._flags & RESOLVES_HOST)

    @property
    def authority(self) -> str:
        """``host:port`` of the proxy, IPv6 in brackets (for messages)."""
        return f"[{self._host}]:{self._port}" if ":" in self._host else f"{self._host}:{self._port}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProxyInfo):
            return NotImplemented
        return all(getattr(self, s) == getattr(other, s) for s in self.__slots__)

    def __hash__(self) -> int:
        return hash((self._type, self._host, self._port, self._flags, self._username))

    def __repr__(self) -> str:
        user = f"{self._username}@" if self._username else ""
        return f"<ProxyInfo {self._type} {user}{self.authority}>"


def new_proxy_info(type_: str, host: str, port: int, flags: int = 0, username: str = "", password: str = "",
                   failover_timeout: int = 0, failover: Any = None) -> ProxyInfo:
    """A checked ProxyInfo (the service's newProxyInfo / newProxyInfoWithAuth).

    XPCOMError(NS_ERROR_ILLEGAL_VALUE) for an unknown type, an empty host, a port
    outside 1-65535, or a failover proxy that is not a ProxyInfo.
    """
    if not isinstance(type_, str) or type_.lower() not in TYPES:
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"unknown proxy type {type_!r} (one of {sorted(TYPES)})")
    type_ = type_.lower()
    if type_ == "direct":
        return ProxyInfo("direct", "", -1, flags)
    if not isinstance(host, str) or not host.strip():
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a proxy needs a host")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"proxy port out of range: {port!r}")
    for name, value in (("flags", flags), ("failoverTimeout", failover_timeout)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"{name} is an unsigned long, not {value!r}")
    if not isinstance(username, str) or not isinstance(password, str):
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "proxy credentials are strings")
    if failover is not None and not isinstance(failover, ProxyInfo):
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "failoverProxy must come from newProxyInfo")
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return ProxyInfo(type_, host, port, flags, username, password, failover_timeout, failover)


def as_proxy_info(info: Any) -> ProxyInfo | None:
    """*info* -- any object with nsIProxyInfo's attributes (a host's own service may make
    them) -- as a checked ProxyInfo; None stays None.  XPCOMError(NS_ERROR_ILLEGAL_VALUE)
    when it is not a usable proxy info."""
    if info is None or isinstance(info, ProxyInfo):
        return info
    try:
        failover = as_proxy_info(getattr(info, "failoverProxy", None))
        return new_proxy_info(info.type, info.host, info.port, getattr(info, "flags", 0),
                              getattr(info, "username", "") or "", getattr(info, "password", "") or "",
                              getattr(info, "failoverTimeout", 0), failover)
    except AttributeError as e:
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not an nsIProxyInfo: {info!r}") from e


def proxy_info_from_url(url: str) -> ProxyInfo:
    """The proxy a URL names (see the module's table); ``""`` or ``direct://`` is no proxy.

    XPCOMError(NS_ERROR_MALFORMED_URI) when *url* is not a proxy URL.
    """
    from components.uri import newURI

    if not isinstance(url, str):
        raise XPCOMError(Cr.NS_ERROR_MALFORMED_URI, f"a proxy URL is a string, not {url!r}")
    text = url.strip()
    if not text or text.lower() in ("direct", "direct://"):
        return ProxyInfo("direct", "", -1)
    if "://" not in text:
        text = "http://" + text  # curl's reading of a bare host[:port]
    try:
        uri = newURI(text)
    except XPCOMError as e:
        raise XPCOMError(Cr.NS_ERROR_MALFORMED_URI, f"not a proxy URL: {url!r}: {e.message}") from None
    known = _SCHEMES.get(uri.scheme)
    if known is None:
        raise XPCOMError(Cr.NS_ERROR_MALFORMED_URI, f"unsupported proxy scheme {uri.scheme!r} in {url!r}")
    if not uri.asciiHost:
        raise XPCOMError(Cr.NS_ERROR_MALFORMED_URI, f"a proxy URL needs a host: {url!r}")
    if uri.pathQueryRef not in ("", "/"):
        raise XPCOMError(Cr.NS_ERROR_MALFORMED_URI, f"a proxy URL has no path: {url!r}")
    type_, flags, default_port = known
    port = uri.port if uri.port != -1 else default_port
    return ProxyInfo(type_, uri.asciiHost, port, flags, unquote(uri.username), unquote(uri.password))
