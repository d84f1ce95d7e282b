# Generated from idl/netwerk/base/nsILoadInfo.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsILoadInfo.py, from idl/netwerk/base/nsILoadInfo.idl: see codegen.emit_stubs."""

import enum as _enum
from typing import ClassVar, Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsILoadInfoConstants", "nsILoadInfo", "nsILoadInfoInterface"]


class nsILoadInfoConstants(_enum.IntEnum):
    """The constants of nsILoadInfo."""

    TYPE_OTHER = 1
    TYPE_WEBSOCKET = 16


class nsILoadInfo(nsISupports, Protocol):
    """Who started a load and why: carried by a channel from its creation, so
    that checks made later (the Origin sent, the content policy) see where
    the load came from. Immutable once made.
    """

    @property
    def loadingOrigin(self) -> str:
        """The origin (scheme://host[:port]) of the document that started the
        load, or empty when no document did (a load from chrome code).
        """
        ...

    @property
    def contentPolicyType(self) -> int:
        """One of the TYPE_* constants."""
        ...

    @property
    def innerWindowID(self) -> int:
        """The inner window that started the load, or 0 for none."""
        ...


class nsILoadInfoInterface(InterfaceObject[nsILoadInfo], Protocol):
    """The interface object ``Ci.nsILoadInfo`` (a zope.interface InterfaceClass)."""

    TYPE_OTHER: ClassVar[int]
    TYPE_WEBSOCKET: ClassVar[int]
