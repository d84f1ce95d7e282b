# Generated from idl/security/manager/ssl/nsITransportSecurityInfo.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsITransportSecurityInfo.py, from idl/security/manager/ssl/nsITransportSecurityInfo.idl: see codegen.emit_stubs."""

import enum as _enum
from typing import ClassVar, Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsITransportSecurityInfoConstants", "nsITransportSecurityInfo", "nsITransportSecurityInfoInterface"]


class nsITransportSecurityInfoConstants(_enum.IntEnum):
    """The constants of nsITransportSecurityInfo."""

    SSL_VERSION_3 = 0
    TLS_VERSION_1 = 1
    TLS_VERSION_1_1 = 2
    TLS_VERSION_1_2 = 3
    TLS_VERSION_1_3 = 4
    VERSION_UNKNOWN = 255


class nsITransportSecurityInfo(nsISupports, Protocol):
    """What a completed TLS handshake says about a connection: the protocol
    version and cipher agreed, and who the peer's certificate names. A
    snapshot: it stays readable after the connection is gone. Fields the
    handshake did not provide are empty or 0.
    """

    @property
    def protocolVersion(self) -> int:
        """The TLS version negotiated, one of the constants above."""
        ...

    @property
    def cipherName(self) -> str:
        """The cipher suite negotiated, in OpenSSL's spelling."""
        ...

    @property
    def keyLength(self) -> int:
        """The strength of the cipher in bits."""
        ...

    @property
    def secretKeyLength(self) -> int:
        """The secret key size in bits (equal to keyLength here)."""
        ...

    @property
    def negotiatedNPN(self) -> str:
        """The application protocol chosen by ALPN, or empty."""
        ...

    @property
    def resumed(self) -> bool:
        """Whether the handshake resumed an earlier session."""
        ...

    @property
    def errorCode(self) -> int:
        """The error the handshake failed with, or 0 when it succeeded."""
        ...

    @property
    def serverCertSubject(self) -> str:
        """The subject of the server's certificate as an RFC 4514 string."""
        ...

    @property
    def serverCertIssuer(self) -> str:
        """The issuer of the server's certificate as an RFC 4514 string."""
        ...

    @property
    def serverCertNotBefore(self) -> int:
        """When the certificate becomes valid (PRTime: microseconds since the epoch)."""
        ...

    @property
    def serverCertNotAfter(self) -> int:
        """When the certificate stops being valid (PRTime)."""
        ...

    @property
    def serverCertSHA256Fingerprint(self) -> str:
        """SHA-256 of the certificate's DER, as colon-separated upper-case hex."""
        ...


class nsITransportSecurityInfoInterface(InterfaceObject[nsITransportSecurityInfo], Protocol):
    """The interface object ``Ci.nsITransportSecurityInfo`` (a zope.interface InterfaceClass)."""

    SSL_VERSION_3: ClassVar[int]
    TLS_VERSION_1: ClassVar[int]
    TLS_VERSION_1_1: ClassVar[int]
    TLS_VERSION_1_2: ClassVar[int]
    TLS_VERSION_1_3: ClassVar[int]
    VERSION_UNKNOWN: ClassVar[int]
