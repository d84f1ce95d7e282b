# Generated from idl/netwerk/base/nsIAuthInformation.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIAuthInformation.py, from idl/netwerk/base/nsIAuthInformation.idl: see codegen.emit_stubs."""

import enum as _enum
from typing import ClassVar, Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsIAuthInformationConstants", "nsIAuthInformation", "nsIAuthInformationInterface"]


class nsIAuthInformationConstants(_enum.IntEnum):
    """The constants of nsIAuthInformation."""

    AUTH_HOST = 1
    AUTH_PROXY = 2
    NEED_DOMAIN = 4
    ONLY_PASSWORD = 8
    PREVIOUS_FAILED = 16
    CROSS_ORIGIN_SUB_RESOURCE = 32


class nsIAuthInformation(nsISupports, Protocol):
    """What an authentication prompt is told about a request for credentials,
    and where it writes the answer. The channel fills in the flags, the
    scheme and the realm (and a user name it already knows, such as the one
    of a URI's userinfo); the prompt sets username and password (and domain,
    when NEED_DOMAIN is set) before it returns true.
    """

    @property
    def flags(self) -> int:
        """A combination of the constants above."""
        ...

    @property
    def authenticationScheme(self) -> str:
        """The authentication scheme of the challenge being answered, lower-case:
        "basic" or "digest".
        """
        ...

    @property
    def realm(self) -> str:
        """The realm the server named in its challenge (shown to the user so they
        know which credentials are meant); may be empty.
        """
        ...

    username: str
    """The user name; the prompt may find one already set."""

    password: str
    """The password."""

    domain: str
    """The domain, for schemes that use one (NEED_DOMAIN); otherwise unused."""


class nsIAuthInformationInterface(InterfaceObject[nsIAuthInformation], Protocol):
    """The interface object ``Ci.nsIAuthInformation`` (a zope.interface InterfaceClass)."""

    AUTH_HOST: ClassVar[int]
    AUTH_PROXY: ClassVar[int]
    NEED_DOMAIN: ClassVar[int]
    ONLY_PASSWORD: ClassVar[int]
    PREVIOUS_FAILED: ClassVar[int]
    CROSS_ORIGIN_SUB_RESOURCE: ClassVar[int]
