# Generated from idl/netwerk/base/nsILoadGroup.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsILoadGroup.py, from idl/netwerk/base/nsILoadGroup.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

from .nsIInterfaceRequestor import nsIInterfaceRequestor
from .nsISupports import nsISupports

__all__ = ["nsILoadGroup", "nsILoadGroupInterface"]


class nsILoadGroup(nsISupports, Protocol):
    """A set of requests (channels) that belong together, such as everything a
    page loads, so they can be counted and watched as one. A request joins
    with addRequest and leaves, with its final status, through removeRequest.
    """

    def addRequest(self, aRequest: object, aContext: object) -> None:
        """Add a request to the group.

        @param aRequest   the request joining; not null.
        @param aContext   an opaque value for observers of the group.
        """
        ...

    def removeRequest(self, aRequest: object, aContext: object, aStatus: int) -> None:
        """Take a request out of the group.

        @param aRequest   a request added before.
        @param aContext   an opaque value for observers of the group.
        @param aStatus    how the request ended (NS_OK when it succeeded).
        @throws NS_ERROR_FAILURE when the request is not in the group.
        """
        ...

    @property
    def activeCount(self) -> int:
        """How many requests are in the group now."""
        ...

    notificationCallbacks: nsIInterfaceRequestor | None
    """Callbacks shared by the requests of the group; a request consults them
    when its own callbacks lack an interface.
    """


class nsILoadGroupInterface(InterfaceObject[nsILoadGroup], Protocol):
    """The interface object ``Ci.nsILoadGroup`` (a zope.interface InterfaceClass)."""
