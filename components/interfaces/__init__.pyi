# Generated from idl/ by codegen; do not edit.
# Typing stub of the package's __init__.py (PEP 561).
# ruff: noqa: N801, N815, N999, E501
"""Types of the bindings package: ``Ci`` and every interface's protocol."""

from collections.abc import Iterator, Mapping
from typing import Any, Final

from components.bindings import InterfaceObject

from .nsIAuthInformation import nsIAuthInformation as nsIAuthInformation
from .nsIAuthInformation import nsIAuthInformationInterface as nsIAuthInformationInterface
from .nsIAuthPrompt2 import nsIAuthPrompt2 as nsIAuthPrompt2
from .nsIAuthPrompt2 import nsIAuthPrompt2Interface as nsIAuthPrompt2Interface
from .nsIHttpChannel import nsIHttpChannel as nsIHttpChannel
from .nsIHttpChannel import nsIHttpChannelInterface as nsIHttpChannelInterface
from .nsIHttpHeaderVisitor import nsIHttpHeaderVisitor as nsIHttpHeaderVisitor
from .nsIHttpHeaderVisitor import nsIHttpHeaderVisitorInterface as nsIHttpHeaderVisitorInterface
from .nsIInputStream import nsIInputStream as nsIInputStream
from .nsIInputStream import nsIInputStreamInterface as nsIInputStreamInterface
from .nsIInterfaceRequestor import nsIInterfaceRequestor as nsIInterfaceRequestor
from .nsIInterfaceRequestor import nsIInterfaceRequestorInterface as nsIInterfaceRequestorInterface
from .nsIIOService import nsIIOService as nsIIOService
from .nsIIOService import nsIIOServiceInterface as nsIIOServiceInterface
from .nsILoadGroup import nsILoadGroup as nsILoadGroup
from .nsILoadGroup import nsILoadGroupInterface as nsILoadGroupInterface
from .nsILoadInfo import nsILoadInfo as nsILoadInfo
from .nsILoadInfo import nsILoadInfoInterface as nsILoadInfoInterface
from .nsIObserver import nsIObserver as nsIObserver
from .nsIObserver import nsIObserverInterface as nsIObserverInterface
from .nsIObserverService import nsIObserverService as nsIObserverService
from .nsIObserverService import nsIObserverServiceInterface as nsIObserverServiceInterface
from .nsIPrefBranch import nsIPrefBranch as nsIPrefBranch
from .nsIPrefBranch import nsIPrefBranchInterface as nsIPrefBranchInterface
from .nsIProtocolProxyFilter import nsIProtocolProxyFilter as nsIProtocolProxyFilter
from .nsIProtocolProxyFilter import nsIProtocolProxyFilterInterface as nsIProtocolProxyFilterInterface
from .nsIProtocolProxyService import nsIProtocolProxyService as nsIProtocolProxyService
from .nsIProtocolProxyService import nsIProtocolProxyServiceInterface as nsIProtocolProxyServiceInterface
from .nsIProxyInfo import nsIProxyInfo as nsIProxyInfo
from .nsIProxyInfo import nsIProxyInfoInterface as nsIProxyInfoInterface
from .nsISupports import nsISupports as nsISupports
from .nsISupports import nsISupportsInterface as nsISupportsInterface
from .nsITransportSecurityInfo import nsITransportSecurityInfo as nsITransportSecurityInfo
from .nsITransportSecurityInfo import nsITransportSecurityInfoInterface as nsITransportSecurityInfoInterface
from .nsIURI import nsIURI as nsIURI
from .nsIURI import nsIURIInterface as nsIURIInterface
from .nsIWebSocketChannel import nsIWebSocketChannel as nsIWebSocketChannel
from .nsIWebSocketChannel import nsIWebSocketChannelInterface as nsIWebSocketChannelInterface
from .nsIWebSocketEventService import nsIWebSocketEventListener as nsIWebSocketEventListener
from .nsIWebSocketEventService import nsIWebSocketEventListenerInterface as nsIWebSocketEventListenerInterface
from .nsIWebSocketEventService import nsIWebSocketEventService as nsIWebSocketEventService
from .nsIWebSocketEventService import nsIWebSocketEventServiceInterface as nsIWebSocketEventServiceInterface
from .nsIWebSocketEventService import nsIWebSocketFrame as nsIWebSocketFrame
from .nsIWebSocketEventService import nsIWebSocketFrameInterface as nsIWebSocketFrameInterface
from .nsIWebSocketListener import nsIWebSocketListener as nsIWebSocketListener
from .nsIWebSocketListener import nsIWebSocketListenerInterface as nsIWebSocketListenerInterface

__all__ = ["Ci", "InterfaceTable"]


class InterfaceTable(Mapping[str, InterfaceObject[Any]]):
    """Every generated interface object by name; read-only."""

    nsIAuthInformation: Final[nsIAuthInformationInterface]
    nsIAuthPrompt2: Final[nsIAuthPrompt2Interface]
    nsIHttpChannel: Final[nsIHttpChannelInterface]
    nsIHttpHeaderVisitor: Final[nsIHttpHeaderVisitorInterface]
    nsIIOService: Final[nsIIOServiceInterface]
    nsIInputStream: Final[nsIInputStreamInterface]
    nsIInterfaceRequestor: Final[nsIInterfaceRequestorInterface]
    nsILoadGroup: Final[nsILoadGroupInterface]
    nsILoadInfo: Final[nsILoadInfoInterface]
    nsIObserver: Final[nsIObserverInterface]
    nsIObserverService: Final[nsIObserverServiceInterface]
    nsIPrefBranch: Final[nsIPrefBranchInterface]
    nsIProtocolProxyFilter: Final[nsIProtocolProxyFilterInterface]
    nsIProtocolProxyService: Final[nsIProtocolProxyServiceInterface]
    nsIProxyInfo: Final[nsIProxyInfoInterface]
    nsISupports: Final[nsISupportsInterface]
    nsITransportSecurityInfo: Final[nsITransportSecurityInfoInterface]
    nsIURI: Final[nsIURIInterface]
    nsIWebSocketChannel: Final[nsIWebSocketChannelInterface]
    nsIWebSocketEventListener: Final[nsIWebSocketEventListenerInterface]
    nsIWebSocketEventService: Final[nsIWebSocketEventServiceInterface]
    nsIWebSocketFrame: Final[nsIWebSocketFrameInterface]
    nsIWebSocketListener: Final[nsIWebSocketListenerInterface]

    def __getitem__(self, name: str) -> InterfaceObject[Any]: ...
    def __contains__(self, item: object) -> bool: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...


Ci: Final[InterfaceTable]
