"""Which proxy a URI goes through, by the configuration: pure functions, no service state.

Two sources, as :mod:`.service` picks them by ``network.proxy.type``:

* :func:`manual_choice` -- Firefox's manual settings (type 1): the ``http`` proxy
  for ws: (Firefox treats ws: as http: here), the ``ssl`` one for wss:, else the
  SOCKS proxy; a proxy counts only with a host and a port above 0.  Hosts matching
  ``no_proxies_on`` go direct, and so does loopback unless
  ``allow_hijacking_localhost`` (Firefox has kept local traffic off proxies since
  version 67).
* :func:`environment_choice` -- the system settings (type 5), which on Linux are
  the environment, read as curl reads it: ``https_proxy`` for wss:, ``http_proxy``
  for ws:, else ``all_proxy``; each name in lower case first, then upper case;
  ``HTTP_PROXY`` is ignored when ``REQUEST_METHOD`` is set (in a CGI program it
  comes from the client's ``Proxy:`` header: "httpoxy").  ``no_proxy`` lists the
  hosts that go direct.

Host lists (``no_proxies_on`` and ``no_proxy``) are read the same way: entries
separated by commas or white space; ``*`` matches everything; a name matches
itself and its subdomains (a leading dot changes nothing: ``.example.com`` and
``example.com`` both match ``www.example.com``, never ``badexample.com``); an IP
address matches itself and a CIDR block its members; ``name:port`` or
``[v6]:port`` matches that port only; ``<local>`` (Firefox's) matches host names
without a dot.  Matching ignores case.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from components.proxy.info import RESOLVES_HOST, ProxyInfo, proxy_info_from_url
from components.results import Cr, XPCOMError

__all__ = ["HostList", "ManualSettings", "environment_choice", "is_loopback", "manual_choice"]

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str | None  # a host name suffix, or None for an address rule
    network: _Network | None
    port: int | None


def _parse_rule(entry: str) -> _Rule | None:
    port: int | None = None
    bracketed = re.fullmatch(r"\[([^\]]+)\](?::(\d+))?", entry)
    if bracketed:
        entry, port_text = bracketed.group(1), bracketed.group(2)
        port = int(port_text) if port_text else None
    elif entry.count(":") == 1:
        entry, _, port_text = entry.partition(":")
        if not port_text.isdigit():
            return None
        port = int(port_text)
    try:
        return _Rule(None, ipaddress.ip_network(entry, strict=False), port)
    except ValueError:
        pass
    name = entry.strip(".")
    if name.startswith("*."):
        name = name[2:]
    return _Rule(name, None, port) if name else None


class HostList:
    """A parsed no-proxy list; ``host in list`` is asked with :meth:`matches`."""

    __slots__ = ("_all", "_local", "_rules")

    def __init__(self, text: str) -> None:
        self._all = False
        self._local = False
        self._rules: list[_Rule] = []
        for entry in re.split(r"[\s,]+", text.strip().lower()):
            if not entry:
                continue
            if entry == "*":
                self._all = True
            elif entry == "<local>":
                self._local = True
            else:
                rule = _parse_rule(entry)
                if rule is not None:
                    self._rules.append(rule)

    def __bool__(self) -> bool:
        return self._all or self._local or bool(self._rules)

    def matches(self, host: str, port: int) -> bool:
        """Does *host* (no brackets) at *port* bypass the proxy?"""
        if self._all:
            return True
        host = host.lower().rstrip(".")
        address: _Address | None
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if self._local and address is None and "." not in host:
            return True
        for rule in self._rules:
            if rule.port is not None and rule.port != port:
                continue
            if rule.network is not None:
                net = rule.network
                if address is not None and address.version == net.version and address in net:
                    return True
            elif rule.name is not None and (host == rule.name or host.endswith("." + rule.name)):
                return True
        return False


@lru_cache(maxsize=32)
def _host_list(text: str) -> HostList:
    return HostList(text)


def is_loopback(host: str) -> bool:
    """localhost, a name under .localhost, 127.0.0.0/8 or ::1 (what Firefox keeps off proxies)."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class ManualSettings:
    """The network.proxy.* preferences of type 1."""

    http: str = ""
    http_port: int = 0
    ssl: str = ""
    ssl_port: int = 0
    socks: str = ""
    socks_port: int = 0
    socks_version: int = 5
    socks_remote_dns: bool = True
    no_proxies_on: str = ""
    allow_hijacking_localhost: bool = False


def _checked_port(port: int) -> bool:
    return 0 < port < 65536


def manual_choice(settings: ManualSettings, secure: bool, host: str, port: int) -> ProxyInfo | None:
    """Type 1's proxy for *host*:*port* (wss: when *secure*), or None for direct."""
    if not settings.allow_hijacking_localhost and is_loopback(host):
        return None
    if settings.no_proxies_on and _host_list(settings.no_proxies_on).matches(host, port):
        return None
    name, proxy_port, type_ = (
        (settings.ssl, settings.ssl_port, "http") if secure else (settings.http, settings.http_port, "http")
    )
    if name.strip() and _checked_port(proxy_port):
        return ProxyInfo(type_, name.strip().lower(), proxy_port)
    if settings.socks.strip() and _checked_port(settings.socks_port):
        flags = RESOLVES_HOST if settings.socks_remote_dns else 0
        socks_type = "socks4" if settings.socks_version == 4 else "socks"
        return ProxyInfo(socks_type, settings.socks.strip().lower(), settings.socks_port, flags)
    return None


_ENV_NAMES: Final = ("https_proxy", "http_proxy", "all_proxy", "no_proxy")


def _env(environ: Mapping[str, str], name: str) -> str:
    # (Every connection asks, so lookups are kept few: an absent name costs an exception inside
    # os.environ, and REQUEST_METHOD is looked at only once an upper-case HTTP_PROXY is there.)
    value = environ.get(name)
    if not value:
        upper = name.upper()
        value = environ.get(upper)
        if value and upper == "HTTP_PROXY" and environ.get("REQUEST_METHOD") is not None:
            return ""
    return (value or "").strip()


@lru_cache(maxsize=16)
def _env_proxy(name: str, url: str) -> ProxyInfo | None:
    try:
        info = proxy_info_from_url(url)
    except XPCOMError as e:
        message = f"environment variable {name}: {e.message}"
        raise XPCOMError(Cr.NS_ERROR_UNKNOWN_PROXY_HOST, message) from None
    return None if info.type == "direct" else info


def environment_choice(
    environ: Mapping[str, str], secure: bool, host: str, port: int
) -> ProxyInfo | None:
    """Type 5's proxy for *host*:*port* (wss: when *secure*), or None for direct.

    XPCOMError(NS_ERROR_UNKNOWN_PROXY_HOST) when the variable that applies is not a
    proxy URL (curl refuses to run then; a silent direct connection would surprise).
    """
    name = "https_proxy" if secure else "http_proxy"
    url = _env(environ, name)
    if not url:
        name, url = "all_proxy", _env(environ, "all_proxy")
        if not url:
            return None
    no_proxy = _env(environ, "no_proxy")
    if no_proxy and _host_list(no_proxy).matches(host, port):
        return None
    return _env_proxy(name, url)
