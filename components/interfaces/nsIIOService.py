# Generated from idl/netwerk/base/nsIIOService.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIIOService.idl: nsIIOService."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIIOService"]


class nsIIOService(nsISupports):
    """The service that turns strings into URIs and knows the network's global
    state. Obtain it as a service: "@mozilla.org/network/io-service;1".
    """

    _taggedValue("uuid", _uuid.UUID("0171fa4e-693d-4b02-92ee-602cc45757c5"))
    _taggedValue("flags", ("scriptable",))

    def newURI(aSpec, aOriginCharset=None, aBaseURI=None):
        """Parse a URI, relative to aBaseURI when one is given.

        @param aSpec            the URI (or URI reference) text.
        @param aOriginCharset   the charset aSpec was written in; ignored,
                                since the spec is already Unicode text.
        @param aBaseURI         the URI a relative aSpec is resolved against.
        @throws NS_ERROR_MALFORMED_URI when aSpec does not make a URI.

        XPIDL: nsIURI newURI(in AUTF8String aSpec,
                             [optional] in string aOriginCharset,
                             [optional] in nsIURI aBaseURI)
        """

    def extractScheme(urlString):
        """The scheme of a URI string, lower-cased, without parsing the rest.

        @throws NS_ERROR_MALFORMED_URI when the string has no scheme.

        XPIDL: ACString extractScheme(in AUTF8String urlString)
        """

    offline = _Attribute(
        "offline",
        "Whether the application considers itself offline.",
    )


_tag_members(nsIIOService, {
    "newURI": {
        "returns": "nsIURI",
        "params": (
            ("aSpec", "in", "AUTF8String"),
            ("aOriginCharset", "in", "string"),
            ("aBaseURI", "in", "nsIURI"),
        ),
        "results": (),
        "flags": (),
    },
    "extractScheme": {
        "returns": "ACString",
        "params": (("urlString", "in", "AUTF8String"),),
        "results": (),
        "flags": (),
    },
    "offline": {
        "type": "boolean",
        "readonly": False,
        "flags": (),
    },
})
