# Generated from idl/security/manager/ssl/nsITransportSecurityInfo.idl by codegen; do not edit.
# Named after its IDL file.
# ruff: noqa: N999
"""XPCOM interface bindings for nsITransportSecurityInfo.idl: nsITransportSecurityInfo."""

from __future__ import annotations

import enum as _enum
import uuid as _uuid
from typing import ClassVar as _ClassVar

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsITransportSecurityInfoConstants", "nsITransportSecurityInfo"]


class nsITransportSecurityInfoConstants(_enum.IntEnum):
    """The constants of nsITransportSecurityInfo."""

    SSL_VERSION_3 = 0
    TLS_VERSION_1 = 1
    TLS_VERSION_1_1 = 2
    TLS_VERSION_1_2 = 3
    TLS_VERSION_1_3 = 4
    VERSION_UNKNOWN = 255


class nsITransportSecurityInfo(nsISupports):
    """What a completed TLS handshake says about a connection: the protocol
    version and cipher agreed, and who the peer's certificate names. A
    snapshot: it stays readable after the connection is gone. Fields the
    handshake did not provide are empty or 0.
    """

    _taggedValue("uuid", _uuid.UUID("ac0e6585-0467-494b-ad54-18e013b15b27"))
    _taggedValue("flags", ("scriptable",))

    SSL_VERSION_3: _ClassVar[int]
    TLS_VERSION_1: _ClassVar[int]
    TLS_VERSION_1_1: _ClassVar[int]
    TLS_VERSION_1_2: _ClassVar[int]
    TLS_VERSION_1_3: _ClassVar[int]
    VERSION_UNKNOWN: _ClassVar[int]

    protocolVersion = _Attribute(
        "protocolVersion",
        "The TLS version negotiated, one of the constants above.",
    )

    cipherName = _Attribute(
        "cipherName",
        "The cipher suite negotiated, in OpenSSL's spelling.",
    )

    keyLength = _Attribute(
        "keyLength",
        "The strength of the cipher in bits.",
    )

    secretKeyLength = _Attribute(
        "secretKeyLength",
        "The secret key size in bits (equal to keyLength here).",
    )

    negotiatedNPN = _Attribute(
        "negotiatedNPN",
        "The application protocol chosen by ALPN, or empty.",
    )

    resumed = _Attribute(
        "resumed",
        "Whether the handshake resumed an earlier session.",
    )

    errorCode = _Attribute(
        "errorCode",
        "The error the handshake failed with, or 0 when it succeeded.",
    )

    serverCertSubject = _Attribute(
        "serverCertSubject",
        "The subject of the server's certificate as an RFC 4514 string.",
    )

    serverCertIssuer = _Attribute(
        "serverCertIssuer",
        "The issuer of the server's certificate as an RFC 4514 string.",
    )

    serverCertNotBefore = _Attribute(
        "serverCertNotBefore",
        "When the certificate becomes valid (PRTime: microseconds since the epoch).",
    )

    serverCertNotAfter = _Attribute(
        "serverCertNotAfter",
        "When the certificate stops being valid (PRTime).",
    )

    serverCertSHA256Fingerprint = _Attribute(
        "serverCertSHA256Fingerprint",
        "SHA-256 of the certificate's DER, as colon-separated upper-case hex.",
    )


_tag_members(nsITransportSecurityInfo, {
    "protocolVersion": {
        "type": "unsigned short",
        "readonly": True,
        "flags": (),
    },
    "cipherName": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
    "keyLength": {
        "type": "unsigned long",
        "readonly": True,
        "flags": (),
    },
    "secretKeyLength": {
        "type": "unsigned long",
        "readonly": True,
        "flags": (),
    },
    "negotiatedNPN": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
    "resumed": {
        "type": "boolean",
        "readonly": True,
        "flags": (),
    },
    "errorCode": {
        "type": "long",
        "readonly": True,
        "flags": (),
    },
    "serverCertSubject": {
        "type": "AString",
        "readonly": True,
        "flags": (),
    },
    "serverCertIssuer": {
        "type": "AString",
        "readonly": True,
        "flags": (),
    },
    "serverCertNotBefore": {
        "type": "PRTime",
        "readonly": True,
        "flags": (),
    },
    "serverCertNotAfter": {
        "type": "PRTime",
        "readonly": True,
        "flags": (),
    },
    "serverCertSHA256Fingerprint": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
})
nsITransportSecurityInfo.SSL_VERSION_3 = nsITransportSecurityInfoConstants.SSL_VERSION_3
nsITransportSecurityInfo.TLS_VERSION_1 = nsITransportSecurityInfoConstants.TLS_VERSION_1
nsITransportSecurityInfo.TLS_VERSION_1_1 = nsITransportSecurityInfoConstants.TLS_VERSION_1_1
nsITransportSecurityInfo.TLS_VERSION_1_2 = nsITransportSecurityInfoConstants.TLS_VERSION_1_2
nsITransportSecurityInfo.TLS_VERSION_1_3 = nsITransportSecurityInfoConstants.TLS_VERSION_1_3
nsITransportSecurityInfo.VERSION_UNKNOWN = nsITransportSecurityInfoConstants.VERSION_UNKNOWN
