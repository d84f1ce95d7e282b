"""Plain conforming network objects: interface requestors, load groups, load infos.

These carry context for a channel rather than doing I/O.  A channel reads its
``notificationCallbacks`` through :func:`get_interface`, which treats a missing
requestor and a requestor that lacks the interface alike (``default``), so the
channel never needs to know how the host built its callbacks.
"""

from __future__ import annotations

import threading
from typing import Any, Final

from zope.interface import implementer

from components.interfaces import Ci
from components.manager import NoInterfaceError, component
from components.results import Cr, XPCOMError

#: Content policy types (nsIContentPolicy's numbering) a load info may carry.
TYPE_OTHER: Final = 1
TYPE_WEBSOCKET: Final = 16


def _lookup(provider: Any, iface: Any) -> Any:
    """*provider* as *iface*, via itself or its own getInterface; ``None`` when it has neither."""
    if provider is None:
        return None
    if iface.providedBy(provider):
        return provider
    get = getattr(provider, "getInterface", None)
    if callable(get):
        try:
            return get(iface)
        except XPCOMError as e:
            if e.result != Cr.NS_NOINTERFACE:
                raise
    return None


def get_interface(requestor: Any, iface: Any, default: Any = None) -> Any:
    """``NS_QueryNotificationCallbacks`` for one requestor: the object for *iface*, or *default*."""
    found = _lookup(requestor, iface)
    return default if found is None else found


@component(
    classID="{6c2e8f1d-4a7b-4b90-b3e5-0d9f2a8c1e47}",
    contractIDs=("@xpcom-websocket/interface-requestor;1",),
)
@implementer(Ci.nsIInterfaceRequestor)
class InterfaceRequestor:
    """Answers getInterface from a list of providers, the first that has the interface winning.

    A provider is any object: it answers when it provides the interface itself,
    or when its own ``getInterface`` does (so requestors nest).
    """

    def __init__(self, *providers: Any) -> None:
        self.providers = list(providers)

    def getInterface(self, uuid: Any) -> Any:
        for provider in self.providers:
            found = _lookup(provider, uuid)
            if found is not None:
                return found
        raise NoInterfaceError(self, uuid)


@component(
    classID="{b18d3e6a-95c2-4f0b-8a7d-3e1c6b2f9d50}",
    contractIDs=("@mozilla.org/network/load-group;1",),
)
@implementer(Ci.nsILoadGroup)
class LoadGroup:
    def __init__(self) -> None:
        self._requests: list[Any] = []
        self._lock = threading.Lock()
        self.notificationCallbacks: Any = None
        self.statuses: list[tuple[Any, int]] = []  # (request, status) as each one left

    def addRequest(self, aRequest: Any, aContext: Any = None) -> None:
        if aRequest is None:
            raise XPCOMError(Cr.NS_ERROR_NULL_POINTER, "addRequest(null)")
        with self._lock:
            self._requests.append(aRequest)

    def removeRequest(self, aRequest: Any, aContext: Any = None, aStatus: int = Cr.NS_OK) -> None:
        with self._lock:
            for i, r in enumerate(self._requests):
                if r is aRequest:
                    del self._requests[i]
                    self.statuses.append((aRequest, aStatus))
                    return
        raise XPCOMError(Cr.NS_ERROR_FAILURE, "removeRequest: the request is not in this load group")

    @property
    def activeCount(self) -> int:
        with self._lock:
            return len(self._requests)

    @property
    def requests(self) -> list[Any]:
        with self._lock:
            return list(self._requests)


@component(
    classID="{2d7a9c4e-1f35-4e86-9b0a-c6e8d3f2a715}",
    contractIDs=("@xpcom-websocket/load-info;1",),
)
@implementer(Ci.nsILoadInfo)
class LoadInfo:
    TYPE_OTHER = TYPE_OTHER
    TYPE_WEBSOCKET = TYPE_WEBSOCKET

    def __init__(self, loadingOrigin: str = "", contentPolicyType: int = TYPE_WEBSOCKET,
                 innerWindowID: int = 0) -> None:
        self._origin = loadingOrigin
        self._type = contentPolicyType
        self._window = innerWindowID

    @property
    def loadingOrigin(self) -> str:
        return self._origin

    @property
    def contentPolicyType(self) -> int:
        return self._type

    @property
    def innerWindowID(self) -> int:
        return self._window
