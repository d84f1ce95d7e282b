"""The protocol proxy service (nsIProtocolProxyService): the proxy for a URI.

Theory of operation
-------------------
:meth:`ProtocolProxyService.resolve` is asked once per connection attempt (the
opener calls it for every redirect hop), so it is cheap: the preferences are
read through the preferences service each time (a handful of dictionary
lookups, so a change takes effect at the next connection), and the parsed
environment and host lists are cached by their text in :mod:`.config`.  The
configuration's choice then passes through the filters a host application
registered, lowest position first, each seeing the previous one's answer; a
filter that raises is logged and leaves the choice as it was.  A "direct"
proxy info, from the configuration or a filter, is answered as null.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, Final

from zope.interface import implementer

from components.interfaces import Ci
from components.manager import Cc, component
from components.proxy.config import ManualSettings, environment_choice, manual_choice
from components.proxy.info import ProxyInfo, as_proxy_info, new_proxy_info
from components.results import Cr, XPCOMError

__all__ = ["ProtocolProxyService", "proxy_service"]

log = logging.getLogger("components.proxy")

PROXYCONFIG_DIRECT: Final = 0
PROXYCONFIG_MANUAL: Final = 1
PROXYCONFIG_PAC: Final = 2
PROXYCONFIG_WPAD: Final = 4
PROXYCONFIG_SYSTEM: Final = 5

#: URI schemes whose connections go through proxies, and whether each is the secure kind.
_SECURE: Final = {"ws": False, "http": False, "wss": True, "https": True}


def _prefs() -> Any:
    return Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)


def _manual_settings(prefs: Any) -> ManualSettings:
    def text(name: str) -> str:
        return str(prefs.getCharPref(f"network.proxy.{name}", ""))

    def number(name: str, default: int) -> int:
        return int(prefs.getIntPref(f"network.proxy.{name}", default))

    def flag(name: str, default: bool) -> bool:
        return bool(prefs.getBoolPref(f"network.proxy.{name}", default))

    return ManualSettings(
        http=text("http"), http_port=number("http_port", 0),
        ssl=text("ssl"), ssl_port=number("ssl_port", 0),
        socks=text("socks"), socks_port=number("socks_port", 0),
        socks_version=number("socks_version", 5), socks_remote_dns=flag("socks_remote_dns", True),
        no_proxies_on=text("no_proxies_on"),
        allow_hijacking_localhost=flag("allow_hijacking_localhost", False),
    )


@component(
    classID="{944cb92e-4756-4560-a8c9-7f18d96722de}",
    contractIDs=("@mozilla.org/network/protocol-proxy-service;1",),
)
@implementer(Ci.nsIProtocolProxyService)
class ProtocolProxyService:
    PROXYCONFIG_DIRECT = PROXYCONFIG_DIRECT
    PROXYCONFIG_MANUAL = PROXYCONFIG_MANUAL
    PROXYCONFIG_PAC = PROXYCONFIG_PAC
    PROXYCONFIG_WPAD = PROXYCONFIG_WPAD
    PROXYCONFIG_SYSTEM = PROXYCONFIG_SYSTEM

    def __init__(self) -> None:
        self._filters: list[tuple[int, int, Any]] = []  # (position, registration order, filter)
        self._order = 0
        self._lock = threading.Lock()

    @property
    def proxyConfigType(self) -> int:
        try:
            return int(_prefs().getIntPref("network.proxy.type", PROXYCONFIG_SYSTEM))
        except XPCOMError:  # a mistyped pref: the default
            return PROXYCONFIG_SYSTEM

    # -- resolving -----------------------------------------------------------------------------------

    def resolve(self, aURI: Any, aFlags: int = 0) -> ProxyInfo | None:
        if aURI is None:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "resolve needs a URI")
        if aFlags:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"no resolve flag is supported (got {aFlags!r})")
        choice = self._configured(aURI)
        with self._lock:
            filters = [f for _pos, _order, f in self._filters]
        for proxy_filter in filters:
            choice = self._apply(proxy_filter, aURI, choice)
        return None if choice is None or choice.type == "direct" else choice

    def _configured(self, uri: Any) -> ProxyInfo | None:
        secure = _SECURE.get(uri.scheme)
        if secure is None:
            return None  # not a scheme that goes through proxies
        host = uri.asciiHost
        port = uri.port if uri.port != -1 else (443 if secure else 80)
        kind = self.proxyConfigType
        if kind == PROXYCONFIG_SYSTEM:
            return environment_choice(os.environ, secure, host, port)
        if kind == PROXYCONFIG_MANUAL:
            try:
                settings = _manual_settings(_prefs())
            except XPCOMError as e:
                message = f"network.proxy.* preferences: {e.message}"
                raise XPCOMError(Cr.NS_ERROR_UNKNOWN_PROXY_HOST, message) from e
            return manual_choice(settings, secure, host, port)
        return None  # 0 direct; PAC and WPAD are not part of this subset

    def _apply(self, proxy_filter: Any, uri: Any, choice: ProxyInfo | None) -> ProxyInfo | None:
        apply = getattr(proxy_filter, "applyFilter", proxy_filter)
        try:
            result = apply(self, uri, choice)
        except Exception:  # noqa: BLE001 - a host's filter must not break connecting
            log.exception("nsIProtocolProxyFilter.applyFilter raised; the proxy choice is kept")
            return choice
        try:
            return as_proxy_info(result)
        except XPCOMError:
            log.error("nsIProtocolProxyFilter.applyFilter returned %r, not an nsIProxyInfo; ignored", result)
            return choice

    # -- making proxy infos -------------------------------------------------------------------------

    def newProxyInfo(self, aType: str, aHost: str, aPort: int, aFlags: int = 0,
                     aFailoverTimeout: int = 0, aFailoverProxy: Any = None) -> ProxyInfo:
        return new_proxy_info(aType, aHost, aPort, aFlags, failover_timeout=aFailoverTimeout,
                              failover=aFailoverProxy)

    def newProxyInfoWithAuth(
        self, aType: str, aHost: str, aPort: int, aUsername: str, aPassword: str,
        aFlags: int = 0, aFailoverTimeout: int = 0, aFailoverProxy: Any = None,
    ) -> ProxyInfo:
        return new_proxy_info(aType, aHost, aPort, aFlags, aUsername or "", aPassword or "",
                              aFailoverTimeout, aFailoverProxy)

    # -- filters ---------------------------------------------------------------------------------------

    def registerFilter(self, aFilter: Any, aPosition: int) -> None:
        if aFilter is None:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "registerFilter(null)")
        if not callable(getattr(aFilter, "applyFilter", aFilter)):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a filter needs an applyFilter method")
        if isinstance(aPosition, bool) or not isinstance(aPosition, int) or aPosition < 0:
            message = f"a filter position is an unsigned long, not {aPosition!r}"
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, message)
        with self._lock:
            self._filters = [entry for entry in self._filters if entry[2] is not aFilter]
            self._order += 1
            self._filters.append((aPosition, self._order, aFilter))
            self._filters.sort(key=lambda entry: (entry[0], entry[1]))

    def unregisterFilter(self, aFilter: Any) -> None:
        with self._lock:
            self._filters = [entry for entry in self._filters if entry[2] is not aFilter]


def proxy_service() -> Any:
    """The registered service (a host may have replaced ours)."""
    return Cc["@mozilla.org/network/protocol-proxy-service;1"].getService(Ci.nsIProtocolProxyService)
