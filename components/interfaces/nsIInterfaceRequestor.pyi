# Generated from idl/xpcom/base/nsIInterfaceRequestor.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIInterfaceRequestor.py, from idl/xpcom/base/nsIInterfaceRequestor.idl: see codegen.emit_stubs."""

from typing import Protocol, TypeVar

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

_T = TypeVar("_T")

__all__ = ["nsIInterfaceRequestor", "nsIInterfaceRequestorInterface"]


class nsIInterfaceRequestor(nsISupports, Protocol):
    """A way to ask an object for a helper that is not the object itself. Where
    QueryInterface answers "what are you?", getInterface answers "what can you
    hand me?": a channel's notification callbacks, for instance, may give out
    a prompt, a progress sink or an authentication helper, each a separate
    object. Requestors can delegate to other requestors.
    """

    def getInterface(self, uuid: InterfaceObject[_T]) -> _T:
        """Find an object that implements the interface named by uuid.

        @param uuid    the IID (in Python: the interface object) wanted.
        @return        an object providing that interface; not necessarily
                       this requestor.
        @throws NS_NOINTERFACE when nothing behind this requestor has it.
        """
        ...


class nsIInterfaceRequestorInterface(InterfaceObject[nsIInterfaceRequestor], Protocol):
    """The interface object ``Ci.nsIInterfaceRequestor`` (a zope.interface InterfaceClass)."""
