"""The preferences service: typed name -> value settings with defaults (nsIPrefBranch).

Every preference has a type (bool, int or string) fixed by its default or by the
first value set.  Reads fall back from the user value to the default; reading
with the wrong getter, writing with the wrong setter or reading an unknown name
without a fallback raises ``NS_ERROR_UNEXPECTED``, as Firefox does.  Observers
registered for a name prefix hear about every change under it.

The ``network.websocket.*`` defaults are Firefox's, except ``max-message-size``:
64 MiB rather than 2 GiB, because a Python process should not buffer a 2 GiB
message just because a server sent one.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Final

from zope.interface import implementer

from components.interfaces import Ci
from components.manager import component
from components.results import Cr, XPCOMError

PREF_INVALID: Final = 0
PREF_STRING: Final = 32
PREF_INT: Final = 64
PREF_BOOL: Final = 128

INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1

#: The defaults the WebSocket channel reads (seconds for the timeouts).
DEFAULTS: Final[dict[str, bool | int | str]] = {
    "network.websocket.timeout.open": 20,
    "network.websocket.timeout.close": 20,
    "network.websocket.timeout.ping.request": 0,
    "network.websocket.timeout.ping.response": 10,
    "network.websocket.max-message-size": 67108864,
    "network.websocket.max-connections": 200,
    # Ours (Firefox has no bound): accepted, unacknowledged bytes a channel may buffer.
    "network.websocket.max-buffered-bytes": 67108864,
    "network.websocket.extensions.permessage-deflate": True,
    "network.websocket.delay-failed-reconnects": True,
    # Proxies (components.proxy): Firefox's names; type 5 = the system's (the environment).
    # socks_remote_dns defaults to true (Firefox: false for SOCKS 4, true for 5 since its
    # socks5_remote_dns): a proxy that exists to hide where we connect should resolve names.
    "network.proxy.type": 5,
    "network.proxy.http": "",
    "network.proxy.http_port": 0,
    "network.proxy.ssl": "",
    "network.proxy.ssl_port": 0,
    "network.proxy.socks": "",
    "network.proxy.socks_port": 0,
    "network.proxy.socks_version": 5,
    "network.proxy.socks_remote_dns": True,
    "network.proxy.no_proxies_on": "",
    "network.proxy.allow_hijacking_localhost": False,
    # wss offers h2 in ALPN and opens over HTTP/2 (RFC 8441) where the server allows it.
    "network.http.http2.websockets": True,
}

_MISSING: Any = object()
log = logging.getLogger(__name__)


def _type_of(value: object) -> int:
    # bool before int: True is an int in Python but a distinct pref type in XPCOM.
    if isinstance(value, bool):
        return PREF_BOOL
    if isinstance(value, int):
        return PREF_INT
    if isinstance(value, str):
        return PREF_STRING
    raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"a pref value must be bool, int or str, not {value!r}")


def _name(name: object) -> str:
    # Names (and observer domains) are strings; anything else is the caller's error, reported
    # as one rather than as a TypeError from deep inside a dict lookup or str.startswith.
    if not isinstance(name, str):
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"a pref name is a string, not {name!r}")
    return name


@component(
    classID="{5b0f8a4e-2d61-4c53-9a0c-6f3e1d2b7c84}",
    contractIDs=("@mozilla.org/preferences-service;1",),
)
@implementer(Ci.nsIPrefBranch)
class PrefBranch:
    PREF_INVALID = PREF_INVALID
    PREF_STRING = PREF_STRING
    PREF_INT = PREF_INT
    PREF_BOOL = PREF_BOOL

    def __init__(self, defaults: dict[str, bool | int | str] | None = None) -> None:
        self._defaults: dict[str, bool | int | str] = dict(DEFAULTS if defaults is None else defaults)
        self._user: dict[str, bool | int | str] = {}
        self._observers: list[tuple[str, Any]] = []
        self._lock = threading.RLock()

    @property
    def root(self) -> str:
        return ""

    # -- reading ----------------------------------------------------------------------------

    def _get(self, name: str, kind: int, default: Any) -> Any:
        name = _name(name)
        if default is not _MISSING and not isinstance(default, str if kind == PREF_STRING else int):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"{default!r} cannot be the fallback of this getter")
        with self._lock:
            value = self._user.get(name, self._defaults.get(name, _MISSING))
        if value is _MISSING:
            if default is not _MISSING:
                return default
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, f"no preference {name!r}")
        if _type_of(value) != kind:
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, f"preference {name!r} is not of the type asked for")
        return value

    def getBoolPref(self, aPrefName: str, aDefaultValue: bool = _MISSING) -> bool:
        return bool(self._get(aPrefName, PREF_BOOL, aDefaultValue))

    def getIntPref(self, aPrefName: str, aDefaultValue: int = _MISSING) -> int:
        return int(self._get(aPrefName, PREF_INT, aDefaultValue))

    def getCharPref(self, aPrefName: str, aDefaultValue: str = _MISSING) -> str:
        return str(self._get(aPrefName, PREF_STRING, aDefaultValue))

    def getStringPref(self, aPrefName: str, aDefaultValue: str = _MISSING) -> str:
        return self.getCharPref(aPrefName, aDefaultValue)

    def getPrefType(self, aPrefName: str) -> int:
        _name(aPrefName)
        with self._lock:
            value = self._user.get(aPrefName, self._defaults.get(aPrefName, _MISSING))
        return PREF_INVALID if value is _MISSING else _type_of(value)

    def prefHasUserValue(self, aPrefName: str) -> bool:
        _name(aPrefName)
        with self._lock:
            return aPrefName in self._user

    def prefHasDefaultValue(self, aPrefName: str) -> bool:
        _name(aPrefName)
        with self._lock:
            return aPrefName in self._defaults

    def getChildList(self, aStartingAt: str) -> list[str]:
        _name(aStartingAt)
        with self._lock:
            names = set(self._defaults) | set(self._user)
        return sorted(n for n in names if n.startswith(aStartingAt))

    # -- writing ----------------------------------------------------------------------------

    def _set(self, name: str, value: bool | int | str) -> None:
        name = _name(name)
        kind = _type_of(value)
        if kind == PREF_INT and not INT32_MIN <= value <= INT32_MAX:  # type: ignore[operator]
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"{value} does not fit an int pref (int32)")
        with self._lock:
            current = self.getPrefType(name)
            if current not in (PREF_INVALID, kind):
                raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, f"preference {name!r} has another type")
            changed = self._user.get(name, self._defaults.get(name, _MISSING)) != value
            self._user[name] = value
        if changed:
            self._notify(name)

    def setBoolPref(self, aPrefName: str, aValue: bool) -> None:
        if not isinstance(aValue, bool):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not a bool: {aValue!r}")
        self._set(aPrefName, aValue)

    def setIntPref(self, aPrefName: str, aValue: int) -> None:
        if isinstance(aValue, bool) or not isinstance(aValue, int):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not an int: {aValue!r}")
        self._set(aPrefName, aValue)

    def setCharPref(self, aPrefName: str, aValue: str) -> None:
        if not isinstance(aValue, str):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not a string: {aValue!r}")
        self._set(aPrefName, aValue)

    def setStringPref(self, aPrefName: str, aValue: str) -> None:
        self.setCharPref(aPrefName, aValue)

    def clearUserPref(self, aPrefName: str) -> None:
        _name(aPrefName)
        with self._lock:
            had = aPrefName in self._user
            old = self._user.pop(aPrefName, None)
            changed = had and self._defaults.get(aPrefName, _MISSING) != old
        if changed:
            self._notify(aPrefName)

    # -- observers --------------------------------------------------------------------------

    def addObserver(self, aDomain: str, aObserver: Any, aHoldWeak: bool = False) -> None:
        _name(aDomain)
        with self._lock:
            self._observers.append((aDomain, aObserver))

    def removeObserver(self, aDomain: str, aObserver: Any) -> None:
        _name(aDomain)
        with self._lock:
            for i, (domain, obs) in enumerate(self._observers):
                if domain == aDomain and obs is aObserver:
                    del self._observers[i]
                    return

    def _notify(self, name: str) -> None:
        # Called without the lock held, so an observer may read or write prefs itself.
        with self._lock:
            targets = [obs for domain, obs in self._observers if name.startswith(domain)]
        for obs in targets:
            observe = getattr(obs, "observe", obs)
            try:
                observe(self, "nsPref:changed", name)
            except Exception:  # noqa: BLE001 - as in Firefox, a failing observer stops nothing
                log.exception("observer of preference %r raised", name)
