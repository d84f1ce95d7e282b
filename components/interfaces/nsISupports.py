# Generated from idl/xpcom/base/nsISupports.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsISupports.idl: nsISupports."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import Interface as _Interface
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

__all__ = ["nsISupports"]


class nsISupports(_Interface):
    """The root of every XPCOM interface. An object says which interfaces it
    speaks only through QueryInterface: ask it for one by IID and it either
    hands back itself (or a helper) seen through that interface, or fails
    with NS_NOINTERFACE. Lifetime management (AddRef/Release in C++) is left
    to the Python garbage collector and is therefore not declared here.
    """

    _taggedValue("uuid", _uuid.UUID("00000000-0000-0000-c000-000000000046"))
    _taggedValue("flags", ("scriptable",))

    def QueryInterface(uuid):
        """Look up another interface of this object.

        @param uuid    the IID of the interface wanted.
        @return        the object as that interface.
        @throws NS_NOINTERFACE when the object does not implement it.

        XPIDL: void QueryInterface(in nsIIDRef uuid, [iid_is(uuid), retval] out nsQIResult result)
        """


_tag_members(nsISupports, {
    "QueryInterface": {
        "returns": "void",
        "params": (("uuid", "in", "nsIIDRef"), ("result", "out", "nsQIResult")),
        "results": ("result",),
        "flags": (),
    },
})
