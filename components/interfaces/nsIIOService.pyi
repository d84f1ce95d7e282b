# Generated from idl/netwerk/base/nsIIOService.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIIOService.py, from idl/netwerk/base/nsIIOService.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports
from .nsIURI import nsIURI

__all__ = ["nsIIOService", "nsIIOServiceInterface"]


class nsIIOService(nsISupports, Protocol):
    """The service that turns strings into URIs and knows the network's global
    state. Obtain it as a service: "@mozilla.org/network/io-service;1".
    """

    def newURI(self, aSpec: str, aOriginCharset: str = ..., aBaseURI: nsIURI | None = ...) -> nsIURI | None:
        """Parse a URI, relative to aBaseURI when one is given.

        @param aSpec            the URI (or URI reference) text.
        @param aOriginCharset   the charset aSpec was written in; ignored,
                                since the spec is already Unicode text.
        @param aBaseURI         the URI a relative aSpec is resolved against.
        @throws NS_ERROR_MALFORMED_URI when aSpec does not make a URI.
        """
        ...

    def extractScheme(self, urlString: str) -> str:
        """The scheme of a URI string, lower-cased, without parsing the rest.

        @throws NS_ERROR_MALFORMED_URI when the string has no scheme.
        """
        ...

    offline: bool
    """Whether the application considers itself offline."""


class nsIIOServiceInterface(InterfaceObject[nsIIOService], Protocol):
    """The interface object ``Ci.nsIIOService`` (a zope.interface InterfaceClass)."""
