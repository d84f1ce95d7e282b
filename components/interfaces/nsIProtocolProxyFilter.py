# Generated from idl/netwerk/base/nsIProtocolProxyFilter.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIProtocolProxyFilter.idl: nsIProtocolProxyFilter."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIProtocolProxyFilter"]


class nsIProtocolProxyFilter(nsISupports):
    """A host application's own per-URI proxy choice. Registered with
    nsIProtocolProxyService.registerFilter, a filter sees every resolution
    after the preferences (or the environment) have made theirs, and may
    keep, replace or drop it.
    """

    _taggedValue("uuid", _uuid.UUID("a55558eb-1180-4370-91ca-d5cce7e878a2"))
    _taggedValue("flags", ("scriptable",))

    def applyFilter(aProxyService, aURI, aProxy):
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

        XPIDL: nsIProxyInfo applyFilter(in nsIProtocolProxyService aProxyService,
                                        in nsIURI aURI,
                                        in nsIProxyInfo aProxy)
        """


_tag_members(nsIProtocolProxyFilter, {
    "applyFilter": {
        "returns": "nsIProxyInfo",
        "params": (
            ("aProxyService", "in", "nsIProtocolProxyService"),
            ("aURI", "in", "nsIURI"),
            ("aProxy", "in", "nsIProxyInfo"),
        ),
        "results": (),
        "flags": (),
    },
})
