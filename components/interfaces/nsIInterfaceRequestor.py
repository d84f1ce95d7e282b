# Generated from idl/xpcom/base/nsIInterfaceRequestor.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIInterfaceRequestor.idl: nsIInterfaceRequestor."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIInterfaceRequestor"]


class nsIInterfaceRequestor(nsISupports):
    """A way to ask an object for a helper that is not the object itself. Where
    QueryInterface answers "what are you?", getInterface answers "what can you
    hand me?": a channel's notification callbacks, for instance, may give out
    a prompt, a progress sink or an authentication helper, each a separate
    object. Requestors can delegate to other requestors.
    """

    _taggedValue("uuid", _uuid.UUID("8af7d9f8-462b-45bc-ba88-65e74aa42780"))
    _taggedValue("flags", ("scriptable",))

    def getInterface(uuid):
        """Find an object that implements the interface named by uuid.

        @param uuid    the IID (in Python: the interface object) wanted.
        @return        an object providing that interface; not necessarily
                       this requestor.
        @throws NS_NOINTERFACE when nothing behind this requestor has it.

        XPIDL: void getInterface(in nsIIDRef uuid, [iid_is(uuid), retval] out nsQIResult result)
        """


_tag_members(nsIInterfaceRequestor, {
    "getInterface": {
        "returns": "void",
        "params": (("uuid", "in", "nsIIDRef"), ("result", "out", "nsQIResult")),
        "results": ("result",),
        "flags": (),
    },
})
