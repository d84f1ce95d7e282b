# Generated from idl/netwerk/protocol/http/nsIHttpHeaderVisitor.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIHttpHeaderVisitor.idl: nsIHttpHeaderVisitor."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIHttpHeaderVisitor"]


class nsIHttpHeaderVisitor(nsISupports):
    """Receives HTTP header fields one by one from a visit
    (nsIHttpChannel.visitRequestHeaders / visitResponseHeaders). In Python a
    plain callable taking the same two arguments serves too.
    """

    _taggedValue("uuid", _uuid.UUID("189d0a85-199b-4080-859c-b92ec4c36e7e"))
    _taggedValue("flags", ("scriptable", "function"))

    def visitHeader(aHeader, aValue):
        """One field.

        @param aHeader  the field name, as it was set or received.
        @param aValue   its value.
        @throws         anything: the visit stops, and the visiting method
                        raises it (an XPCOMError as it is, anything else as
                        NS_ERROR_FAILURE).

        XPIDL: void visitHeader(in ACString aHeader, in ACString aValue)
        """


_tag_members(nsIHttpHeaderVisitor, {
    "visitHeader": {
        "returns": "void",
        "params": (("aHeader", "in", "ACString"), ("aValue", "in", "ACString")),
        "results": (),
        "flags": (),
    },
})
