# Generated from idl/xpcom/base/nsISupports.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsISupports.py, from idl/xpcom/base/nsISupports.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

__all__ = ["nsISupports", "nsISupportsInterface"]


class nsISupports(Protocol):
    """The root of every XPCOM interface. An object says which interfaces it
    speaks only through QueryInterface: ask it for one by IID and it either
    hands back itself (or a helper) seen through that interface, or fails
    with NS_NOINTERFACE. Lifetime management (AddRef/Release in C++) is left
    to the Python garbage collector and is therefore not declared here.
    """


class nsISupportsInterface(InterfaceObject[nsISupports], Protocol):
    """The interface object ``Ci.nsISupports`` (a zope.interface InterfaceClass)."""
