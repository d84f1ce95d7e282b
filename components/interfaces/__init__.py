# Generated from idl/ by codegen; do not edit.
"""The generated XPCOM interface bindings: one module per IDL file, and ``Ci``.

``Ci`` maps every interface name to its zope.interface binding, the way scripts see
``Components.interfaces``: ``Ci.nsIFoo`` or ``Ci["nsIFoo"]``, ``"nsIFoo" in Ci`` (an interface
object works there too), ``len(Ci)`` and iteration over the names in sorted order.  Constants
read as ``Ci.nsIFoo.NAME``.  The package also exports each interface under its own name, which
hides the module of the same name: reach a module's enums with
``from components.interfaces.nsIFoo import nsIFooConstants``.
"""

from __future__ import annotations

from collections.abc import Iterator as _Iterator
from collections.abc import Mapping as _Mapping

from zope.interface.interface import InterfaceClass as _InterfaceClass

from .nsIAuthInformation import nsIAuthInformation
from .nsIAuthPrompt2 import nsIAuthPrompt2
from .nsIHttpChannel import nsIHttpChannel
from .nsIHttpHeaderVisitor import nsIHttpHeaderVisitor
from .nsIInputStream import nsIInputStream
from .nsIInterfaceRequestor import nsIInterfaceRequestor
from .nsIIOService import nsIIOService
from .nsILoadGroup import nsILoadGroup
from .nsILoadInfo import nsILoadInfo
from .nsIObserver import nsIObserver
from .nsIObserverService import nsIObserverService
from .nsIPrefBranch import nsIPrefBranch
from .nsIProtocolProxyFilter import nsIProtocolProxyFilter
from .nsIProtocolProxyService import nsIProtocolProxyService
from .nsIProxyInfo import nsIProxyInfo
from .nsISupports import nsISupports
from .nsITransportSecurityInfo import nsITransportSecurityInfo
from .nsIURI import nsIURI
from .nsIWebSocketChannel import nsIWebSocketChannel
from .nsIWebSocketEventService import nsIWebSocketEventListener, nsIWebSocketEventService, nsIWebSocketFrame
from .nsIWebSocketListener import nsIWebSocketListener

__all__ = ["Ci", "InterfaceTable"]

_BY_NAME: dict[str, _InterfaceClass] = {
    "nsIAuthInformation": nsIAuthInformation,
    "nsIAuthPrompt2": nsIAuthPrompt2,
    "nsIHttpChannel": nsIHttpChannel,
    "nsIHttpHeaderVisitor": nsIHttpHeaderVisitor,
    "nsIIOService": nsIIOService,
    "nsIInputStream": nsIInputStream,
    "nsIInterfaceRequestor": nsIInterfaceRequestor,
    "nsILoadGroup": nsILoadGroup,
    "nsILoadInfo": nsILoadInfo,
    "nsIObserver": nsIObserver,
    "nsIObserverService": nsIObserverService,
    "nsIPrefBranch": nsIPrefBranch,
    "nsIProtocolProxyFilter": nsIProtocolProxyFilter,
    "nsIProtocolProxyService": nsIProtocolProxyService,
    "nsIProxyInfo": nsIProxyInfo,
    "nsISupports": nsISupports,
    "nsITransportSecurityInfo": nsITransportSecurityInfo,
    "nsIURI": nsIURI,
    "nsIWebSocketChannel": nsIWebSocketChannel,
    "nsIWebSocketEventListener": nsIWebSocketEventListener,
    "nsIWebSocketEventService": nsIWebSocketEventService,
    "nsIWebSocketFrame": nsIWebSocketFrame,
    "nsIWebSocketListener": nsIWebSocketListener,
}


def _missing(name: str) -> str:
    return f"no interface named {name!r} in Ci (is its IDL in idl/, and was codegen regen run?)"


class InterfaceTable(_Mapping[str, _InterfaceClass]):
    """Every generated interface binding by name; read-only."""

    __slots__ = ()

    def __getitem__(self, name: str) -> _InterfaceClass:
        try:
            return _BY_NAME[name]
        except KeyError:
            raise KeyError(_missing(name)) from None

    def __getattr__(self, name: str) -> _InterfaceClass:
        # Only reached for names that are not generated interfaces (those are class attributes).
        raise AttributeError(_missing(name))

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in _BY_NAME
        return any(item is iface for iface in _BY_NAME.values())

    def __iter__(self) -> _Iterator[str]:
        return iter(_BY_NAME)

    def __len__(self) -> int:
        return len(_BY_NAME)

    def __repr__(self) -> str:
        return f"<Ci: {len(_BY_NAME)} interfaces>"

    nsIAuthInformation = nsIAuthInformation
    nsIAuthPrompt2 = nsIAuthPrompt2
    nsIHttpChannel = nsIHttpChannel
    nsIHttpHeaderVisitor = nsIHttpHeaderVisitor
    nsIIOService = nsIIOService
    nsIInputStream = nsIInputStream
    nsIInterfaceRequestor = nsIInterfaceRequestor
    nsILoadGroup = nsILoadGroup
    nsILoadInfo = nsILoadInfo
    nsIObserver = nsIObserver
    nsIObserverService = nsIObserverService
    nsIPrefBranch = nsIPrefBranch
    nsIProtocolProxyFilter = nsIProtocolProxyFilter
    nsIProtocolProxyService = nsIProtocolProxyService
    nsIProxyInfo = nsIProxyInfo
    nsISupports = nsISupports
    nsITransportSecurityInfo = nsITransportSecurityInfo
    nsIURI = nsIURI
    nsIWebSocketChannel = nsIWebSocketChannel
    nsIWebSocketEventListener = nsIWebSocketEventListener
    nsIWebSocketEventService = nsIWebSocketEventService
    nsIWebSocketFrame = nsIWebSocketFrame
    nsIWebSocketListener = nsIWebSocketListener


Ci = InterfaceTable()
