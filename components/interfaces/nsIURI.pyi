# Generated from idl/netwerk/base/nsIURI.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIURI.py, from idl/netwerk/base/nsIURI.idl: see codegen.emit_stubs."""

from typing import Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsIURI", "nsIURIInterface"]


class nsIURI(nsISupports, Protocol):
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

    @property
    def spec(self) -> str:
        """The whole URI, normalised, with the host in its ASCII form. Two URIs
        that mean the same thing have the same spec.
        """
        ...

    @property
    def prePath(self) -> str:
        """Everything before the path: "scheme://userinfo@host:port"."""
        ...

    @property
    def scheme(self) -> str:
        """The scheme, lower-case and without the colon: "wss"."""
        ...

    @property
    def userPass(self) -> str:
        """"username:password", or just "username"; escaped as in spec."""
        ...

    @property
    def username(self) -> str:
        """The user name of the userinfo part, escaped as in spec."""
        ...

    @property
    def password(self) -> str:
        """The password of the userinfo part, escaped as in spec."""
        ...

    @property
    def hasUserPass(self) -> bool:
        """Whether the URI carries a user name or password."""
        ...

    @property
    def hostPort(self) -> str:
        """"host:port" or "host" when the port is -1; IPv6 in brackets."""
        ...

    @property
    def host(self) -> str:
        """The host name (Unicode for international names), or an IP address."""
        ...

    @property
    def port(self) -> int:
        """The port number, or -1 for the scheme's default port."""
        ...

    @property
    def pathQueryRef(self) -> str:
        """The path with query and ref: "/chat/room?x=1#top"; "/" at least."""
        ...

    @property
    def ref(self) -> str:
        """The fragment after "#", without the "#"."""
        ...

    @property
    def hasRef(self) -> bool:
        """Whether the URI has a "#", even one followed by nothing."""
        ...

    @property
    def specIgnoringRef(self) -> str:
        """The spec without the ref and its "#"."""
        ...

    @property
    def asciiSpec(self) -> str:
        """The spec in ASCII only: the same as spec here."""
        ...

    @property
    def asciiHostPort(self) -> str:
        """hostPort with the host in its ASCII (punycode) form."""
        ...

    @property
    def asciiHost(self) -> str:
        """The host in its ASCII form: what DNS and the Host header see."""
        ...

    @property
    def displaySpec(self) -> str:
        """The spec as shown to people: international hosts in Unicode."""
        ...

    @property
    def displayPrePath(self) -> str:
        """prePath as shown to people."""
        ...

    @property
    def displayHostPort(self) -> str:
        """hostPort as shown to people."""
        ...

    @property
    def displayHost(self) -> str:
        """host as shown to people."""
        ...

    @property
    def filePath(self) -> str:
        """The path alone, without query or ref: "/chat/room"."""
        ...

    @property
    def query(self) -> str:
        """The query after "?", without the "?"."""
        ...

    @property
    def hasQuery(self) -> bool:
        """Whether the URI has a "?", even one followed by nothing."""
        ...

    def equals(self, other: nsIURI | None) -> bool:
        """Whether other is a URI with the same spec."""
        ...

    def equalsExceptRef(self, other: nsIURI | None) -> bool:
        """Whether other is the same URI once both refs are ignored."""
        ...

    def schemeIs(self, aScheme: str) -> bool:
        """Whether the scheme is aScheme (compared without regard to case)."""
        ...

    def resolve(self, relativePath: str) -> str:
        """Resolve a reference relative to this URI (RFC 3986 section 5.2).

        @param relativePath  any URI reference: "../x", "?q", "//host/p"...
        @return              the spec of the resolved URI.
        @throws NS_ERROR_MALFORMED_URI when the result is not a valid URI.
        """
        ...


class nsIURIInterface(InterfaceObject[nsIURI], Protocol):
    """The interface object ``Ci.nsIURI`` (a zope.interface InterfaceClass)."""
