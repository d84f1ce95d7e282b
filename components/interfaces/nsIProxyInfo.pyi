# Generated from idl/netwerk/base/nsIProxyInfo.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIProxyInfo.py, from idl/netwerk/base/nsIProxyInfo.idl: see codegen.emit_stubs."""

import enum as _enum
from typing import ClassVar, Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsIProxyInfoConstants", "nsIProxyInfo", "nsIProxyInfoInterface"]


class nsIProxyInfoConstants(_enum.IntEnum):
    """The constants of nsIProxyInfo."""

    TRANSPARENT_PROXY_RESOLVES_HOST = 1


class nsIProxyInfo(nsISupports, Protocol):
    """One proxy a connection may go through: what kind it is, where it
    listens, and the credentials it wants. Immutable once made; obtain one
    from nsIProtocolProxyService (newProxyInfo, newProxyInfoWithAuth or
    resolve).

    How a WebSocket channel uses each type:
      "http"    an HTTP CONNECT tunnel through the proxy, for ws: as well
                as wss: (the origin's TLS, for wss:, runs inside it);
      "https"   the same, over TLS to the proxy itself;
      "socks"   SOCKS version 5 (RFC 1928), with username/password
                authentication (RFC 1929) when the info carries them;
      "socks4"  SOCKS version 4, or 4a when the proxy resolves the host;
      "direct"  no proxy at all.
    """

    @property
    def host(self) -> str:
        """The proxy's host name or IP address."""
        ...

    @property
    def port(self) -> int:
        """The proxy's port."""
        ...

    @property
    def type(self) -> str:
        """One of "http", "https", "socks", "socks4" or "direct"."""
        ...

    @property
    def flags(self) -> int:
        """A combination of the flags above."""
        ...

    @property
    def username(self) -> str:
        """The user name offered to the proxy: to a SOCKS 5 proxy that asks for
        username/password authentication, and with Basic to an HTTP proxy
        that answers 407. Empty when there is none (an HTTP proxy's 407 then
        asks the nsIAuthPrompt2 behind the channel's notificationCallbacks).
        For SOCKS 4 it is sent as the user id.
        """
        ...

    @property
    def password(self) -> str:
        """The password that goes with username (empty when there is none)."""
        ...

    @property
    def failoverTimeout(self) -> int:
        """Seconds a proxy that could not be reached is passed over in favour of
        failoverProxy by later connections of the same trio run (0: it is
        tried again every time).
        """
        ...

    @property
    def failoverProxy(self) -> nsIProxyInfo | None:
        """The proxy to try when this one cannot be reached (its host does not
        resolve or it refuses the TCP connection), or null. A proxy that was
        reached but refused the request is not failed over.
        """
        ...


class nsIProxyInfoInterface(InterfaceObject[nsIProxyInfo], Protocol):
    """The interface object ``Ci.nsIProxyInfo`` (a zope.interface InterfaceClass)."""

    TRANSPARENT_PROXY_RESOLVES_HOST: ClassVar[int]
