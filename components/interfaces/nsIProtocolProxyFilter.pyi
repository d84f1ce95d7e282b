# Generated from idl/netwerk/base/nsIProtocolProxyFilter.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIProtocolProxyFilter.py, from idl/netwerk/base/nsIProtocolProxyFilter.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

from .nsIProtocolProxyService import nsIProtocolProxyService
from .nsIProxyInfo import nsIProxyInfo
from .nsISupports import nsISupports
from .nsIURI import nsIURI

__all__ = ["nsIProtocolProxyFilter", "nsIProtocolProxyFilterInterface"]


class nsIProtocolProxyFilter(nsISupports, Protocol):
    """A host application's own per-URI proxy choice. Registered with
    nsIProtocolProxyService.registerFilter, a filter sees every resolution
    after the preferences (or the environment) have made theirs, and may
    keep, replace or drop it.
    """

    def applyFilter(
        self,
        aProxyService: nsIProtocolProxyService | None,
        aURI: nsIURI | None,
        aProxy: nsIProxyInfo | None,
    ) -> nsIProxyInfo | None:
        """Choose the proxy for aURI.

        Called on the trio thread as a channel starts connecting (once per
        redirect hop); it must answer at once.

        @param aProxyService  the service calling (to make an nsIProxyInfo
                              with newProxyInfo).
        @param aURI           the URI being connected to.
        @param aProxy         the choice so far: the previous filter's, or the
                              configuration's; null means a direct connection.
        @return               the proxy to use, or null to connect directly.
                              A filter that throws leaves aProxy in place.
        """
        ...


class nsIProtocolProxyFilterInterface(InterfaceObject[nsIProtocolProxyFilter], Protocol):
    """The interface object ``Ci.nsIProtocolProxyFilter`` (a zope.interface InterfaceClass)."""
