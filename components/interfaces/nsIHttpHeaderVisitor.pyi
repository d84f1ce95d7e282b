# Generated from idl/netwerk/protocol/http/nsIHttpHeaderVisitor.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIHttpHeaderVisitor.py, from idl/netwerk/protocol/http/nsIHttpHeaderVisitor.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsIHttpHeaderVisitor", "nsIHttpHeaderVisitorInterface"]


class nsIHttpHeaderVisitor(nsISupports, Protocol):
    """Receives HTTP header fields one by one from a visit
    (nsIHttpChannel.visitRequestHeaders / visitResponseHeaders). In Python a
    plain callable taking the same two arguments serves too.
    """

    def visitHeader(self, aHeader: str, aValue: str) -> None:
        """One field.

        @param aHeader  the field name, as it was set or received.
        @param aValue   its value.
        @throws         anything: the visit stops, and the visiting method
                        raises it (an XPCOMError as it is, anything else as
                        NS_ERROR_FAILURE).
        """
        ...


class nsIHttpHeaderVisitorInterface(InterfaceObject[nsIHttpHeaderVisitor], Protocol):
    """The interface object ``Ci.nsIHttpHeaderVisitor`` (a zope.interface InterfaceClass)."""
