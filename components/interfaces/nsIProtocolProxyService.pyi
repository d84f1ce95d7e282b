# Generated from idl/netwerk/base/nsIProtocolProxyService.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIProtocolProxyService.py, from idl/netwerk/base/nsIProtocolProxyService.idl: see codegen.emit_stubs."""

import enum as _enum
from typing import ClassVar, Protocol

from components.bindings import InterfaceObject

from .nsIProtocolProxyFilter import nsIProtocolProxyFilter
from .nsIProxyInfo import nsIProxyInfo
from .nsISupports import nsISupports
from .nsIURI import nsIURI

__all__ = ["nsIProtocolProxyServiceConstants", "nsIProtocolProxyService", "nsIProtocolProxyServiceInterface"]


class nsIProtocolProxyServiceConstants(_enum.IntEnum):
    """The constants of nsIProtocolProxyService."""

    PROXYCONFIG_DIRECT = 0
    PROXYCONFIG_MANUAL = 1
    PROXYCONFIG_PAC = 2
    PROXYCONFIG_WPAD = 4
    PROXYCONFIG_SYSTEM = 5


class nsIProtocolProxyService(nsISupports, Protocol):
    """Decides which proxy, if any, a connection to a URI goes through.
    Obtain it as a service: "@mozilla.org/network/protocol-proxy-service;1".

    The choice comes from the preference network.proxy.type:
      0  direct: no proxy;
      1  manual: network.proxy.http / http_port (ws:), network.proxy.ssl /
         ssl_port (wss:), else network.proxy.socks / socks_port with
         socks_version (4 or 5) and socks_remote_dns; hosts matching
         network.proxy.no_proxies_on, and loopback unless
         network.proxy.allow_hijacking_localhost is true, go direct;
      5  system (the default): the environment, read the way curl reads it:
         https_proxy (wss:) or http_proxy (ws:), else all_proxy, each in
         lower case first, then upper case; no_proxy lists the hosts that
         go direct. A proxy URL's user information is the proxy's
         credentials.
    Then every registered filter, lowest position first, may change it.
    (Types 2 and 4, PAC and WPAD, are not part of this subset: they act as 0.)
    """

    @property
    def proxyConfigType(self) -> int:
        """The configuration type in force (network.proxy.type)."""
        ...

    def resolve(self, aURI: nsIURI | None, aFlags: int) -> nsIProxyInfo | None:
        """The proxy a connection to aURI goes through, synchronously: the
        configuration's choice, then the filters'.

        @param aURI     a ws:, wss:, http: or https: URI.
        @param aFlags   reserved; must be 0.
        @return         the proxy, or null for a direct connection.
        @throws NS_ERROR_ILLEGAL_VALUE for a null URI or non-zero flags.
        """
        ...

    def newProxyInfo(
        self,
        aType: str,
        aHost: str,
        aPort: int,
        aFlags: int,
        aFailoverTimeout: int,
        aFailoverProxy: nsIProxyInfo | None,
    ) -> nsIProxyInfo | None:
        """Make a proxy info without credentials.

        @param aType             "http", "https", "socks", "socks4" or "direct".
        @param aHost             the proxy's host name or address.
        @param aPort             its port (1-65535).
        @param aFlags            nsIProxyInfo flags.
        @param aFailoverTimeout  see nsIProxyInfo.failoverTimeout.
        @param aFailoverProxy    the proxy to fail over to, or null.
        @throws NS_ERROR_ILLEGAL_VALUE for an unknown type, an empty host or
                a port out of range.
        """
        ...

    def newProxyInfoWithAuth(
        self,
        aType: str,
        aHost: str,
        aPort: int,
        aUsername: str,
        aPassword: str,
        aFlags: int,
        aFailoverTimeout: int,
        aFailoverProxy: nsIProxyInfo | None,
    ) -> nsIProxyInfo | None:
        """Make a proxy info with credentials (for SOCKS 5 authentication and an
        HTTP proxy's 407); otherwise as newProxyInfo.
        """
        ...

    def registerFilter(self, aFilter: nsIProtocolProxyFilter | None, aPosition: int) -> None:
        """Install a filter. Filters run in increasing aPosition; registering a
        filter again moves it to the new position.

        @throws NS_ERROR_ILLEGAL_VALUE for a null filter.
        """
        ...

    def unregisterFilter(self, aFilter: nsIProtocolProxyFilter | None) -> None:
        """Remove a filter (nothing happens when it was not registered)."""
        ...


class nsIProtocolProxyServiceInterface(InterfaceObject[nsIProtocolProxyService], Protocol):
    """The interface object ``Ci.nsIProtocolProxyService`` (a zope.interface InterfaceClass)."""

    PROXYCONFIG_DIRECT: ClassVar[int]
    PROXYCONFIG_MANUAL: ClassVar[int]
    PROXYCONFIG_PAC: ClassVar[int]
    PROXYCONFIG_WPAD: ClassVar[int]
    PROXYCONFIG_SYSTEM: ClassVar[int]
