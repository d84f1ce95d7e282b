# Generated from idl/netwerk/base/nsIURI.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIURI.idl: nsIURI."""

from __future__ import annotations

import uuid as _uuid

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIURI"]


class nsIURI(nsISupports):
    """A parsed, normalised, immutable URI (RFC 3986), as the network layer
    uses it to decide where to connect and what to ask for.

    Anatomy, with the attribute that holds each part:

      wss://user:pass@example.org:8443/chat/room?x=1#top
      \\_/   \\_______/ \\_________/ \\__/\\________/ \\_/ \\_/
     scheme  userPass    host     port filePath query ref
            \\_____________________________/
                       prePath (with "://")
                                \\________________________/
                                      pathQueryRef

    Every string attribute is empty (never null) when its part is absent.
    The port is -1 when none was given or when it is the scheme's default
    (80 for ws/http, 443 for wss/https), so "ws://h:80/" and "ws://h/" are
    the same URI. Hosts are lower-cased; international host names are kept
    in Unicode in host and in punycode in asciiHost; IPv6 literals appear in
    host without brackets and in hostPort with them. Characters that may not
    appear in a URI are percent-encoded (as UTF-8) in spec.

    A URI cannot be changed; make a new one with the IO service instead.
    """

    _taggedValue("uuid", _uuid.UUID("f71efb27-4c35-4ede-af58-a5191318f5d6"))
    _taggedValue("flags", ("scriptable",))

    spec = _Attribute(
        "spec",
        "The whole URI, normalised, with the host in its ASCII form. Two URIs\n"
        "that mean the same thing have the same spec.",
    )

    prePath = _Attribute(
        "prePath",
        "Everything before the path: \"scheme://userinfo@host:port\".",
    )

    scheme = _Attribute(
        "scheme",
        "The scheme, lower-case and without the colon: \"wss\".",
    )

    userPass = _Attribute(
        "userPass",
        "\"username:password\", or just \"username\"; escaped as in spec.",
    )

    username = _Attribute(
        "username",
        "The user name of the userinfo part, escaped as in spec.",
    )

    password = _Attribute(
        "password",
        "The password of the userinfo part, escaped as in spec.",
    )

    hasUserPass = _Attribute(
        "hasUserPass",
        "Whether the URI carries a user name or password.",
    )

    hostPort = _Attribute(
        "hostPort",
        "\"host:port\" or \"host\" when the port is -1; IPv6 in brackets.",
    )

    host = _Attribute(
        "host",
        "The host name (Unicode for international names), or an IP address.",
    )

    port = _Attribute(
        "port",
        "The port number, or -1 for the scheme's default port.",
    )

    pathQueryRef = _Attribute(
        "pathQueryRef",
        "The path with query and ref: \"/chat/room?x=1#top\"; \"/\" at least.",
    )

    ref = _Attribute(
        "ref",
        "The fragment after \"#\", without the \"#\".",
    )

    hasRef = _Attribute(
        "hasRef",
        "Whether the URI has a \"#\", even one followed by nothing.",
    )

    specIgnoringRef = _Attribute(
        "specIgnoringRef",
        "The spec without the ref and its \"#\".",
    )

    asciiSpec = _Attribute(
        "asciiSpec",
        "The spec in ASCII only: the same as spec here.",
    )

    asciiHostPort = _Attribute(
        "asciiHostPort",
        "hostPort with the host in its ASCII (punycode) form.",
    )

    asciiHost = _Attribute(
        "asciiHost",
        "The host in its ASCII form: what DNS and the Host header see.",
    )

    displaySpec = _Attribute(
        "displaySpec",
        "The spec as shown to people: international hosts in Unicode.",
    )

    displayPrePath = _Attribute(
        "displayPrePath",
        "prePath as shown to people.",
    )

    displayHostPort = _Attribute(
        "displayHostPort",
        "hostPort as shown to people.",
    )

    displayHost = _Attribute(
        "displayHost",
        "host as shown to people.",
    )

    filePath = _Attribute(
        "filePath",
        "The path alone, without query or ref: \"/chat/room\".",
    )

    query = _Attribute(
        "query",
        "The query after \"?\", without the \"?\".",
    )

    hasQuery = _Attribute(
        "hasQuery",
        "Whether the URI has a \"?\", even one followed by nothing.",
    )

    def equals(other):
        """Whether other is a URI with the same spec.

        XPIDL: boolean equals(in nsIURI other)
        """

    def equalsExceptRef(other):
        """Whether other is the same URI once both refs are ignored.

        XPIDL: boolean equalsExceptRef(in nsIURI other)
        """

    def schemeIs(aScheme):
        """Whether the scheme is aScheme (compared without regard to case).

        XPIDL: boolean schemeIs(in string aScheme)
        """

    def resolve(relativePath):
        """Resolve a reference relative to this URI (RFC 3986 section 5.2).

        @param relativePath  any URI reference: "../x", "?q", "//host/p"...
        @return              the spec of the resolved URI.
        @throws NS_ERROR_MALFORMED_URI when the result is not a valid URI.

        XPIDL: AUTF8String resolve(in AUTF8String relativePath)
        """


_tag_members(nsIURI, {
    "spec": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "prePath": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "scheme": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
    "userPass": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "username": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "password": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "hasUserPass": {
        "type": "boolean",
        "readonly": True,
        "flags": (),
    },
    "hostPort": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "host": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "port": {
        "type": "long",
        "readonly": True,
        "flags": (),
    },
    "pathQueryRef": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "ref": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "hasRef": {
        "type": "boolean",
        "readonly": True,
        "flags": (),
    },
    "specIgnoringRef": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "asciiSpec": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
    "asciiHostPort": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
    "asciiHost": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
    "displaySpec": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "displayPrePath": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "displayHostPort": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "displayHost": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "filePath": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "query": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "hasQuery": {
        "type": "boolean",
        "readonly": True,
        "flags": (),
    },
    "equals": {
        "returns": "boolean",
        "params": (("other", "in", "nsIURI"),),
        "results": (),
        "flags": (),
    },
    "equalsExceptRef": {
        "returns": "boolean",
        "params": (("other", "in", "nsIURI"),),
        "results": (),
        "flags": (),
    },
    "schemeIs": {
        "returns": "boolean",
        "params": (("aScheme", "in", "string"),),
        "results": (),
        "flags": (),
    },
    "resolve": {
        "returns": "AUTF8String",
        "params": (("relativePath", "in", "AUTF8String"),),
        "results": (),
        "flags": (),
    },
})
