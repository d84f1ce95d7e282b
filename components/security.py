"""nsITransportSecurityInfo: what a finished TLS handshake tells about the connection.

:func:`from_ssl` takes anything shaped like ``ssl.SSLObject`` (``version()``,
``cipher()``, ``getpeercert()``, ``session_reused``, ``selected_alpn_protocol()``;
an ``ssl.SSLSocket`` or a ``trio.SSLStream`` after its handshake qualifies) and
copies the facts out, so the object stays valid after the connection is gone.

:func:`from_ssl_error` does the same for a failed handshake: it keeps only the
error, as the NSS code Firefox would report.

Certificate fields come from ``getpeercert()``, which Python decodes only for a
verified peer.  For an unverified one (``CERT_NONE``) the DER bytes are still
there; they are decoded with ``cryptography`` when it happens to be installed,
and the name and validity fields stay empty otherwise.
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Iterable
from typing import Any, Final

from zope.interface import implementer

from components.interfaces import Ci
from components.manager import component

SSL_VERSION_3: Final = 0
TLS_VERSION_1: Final = 1
TLS_VERSION_1_1: Final = 2
TLS_VERSION_1_2: Final = 3
TLS_VERSION_1_3: Final = 4
VERSION_UNKNOWN: Final = 255

_VERSIONS: Final = {
    "SSLv3": SSL_VERSION_3,
    "TLSv1": TLS_VERSION_1,
    "TLSv1.1": TLS_VERSION_1_1,
    "TLSv1.2": TLS_VERSION_1_2,
    "TLSv1.3": TLS_VERSION_1_3,
}

# getpeercert() spells attribute types out; distinguished names use the short forms.
_SHORT: Final = {
    "commonName": "CN",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "countryName": "C",
    "stateOrProvinceName": "ST",
    "localityName": "L",
    "emailAddress": "E",
    "domainComponent": "DC",
    "serialNumber": "SERIALNUMBER",
}


def _escape_dn_value(value: str) -> str:
    # RFC 4514 §2.4: these characters are escaped with a backslash.
    out = "".join("\\" + ch if ch in ',+"\\<>;=' else ch for ch in value)
    if out.startswith((" ", "#")):
        out = "\\" + out
    if out.endswith(" ") and not out.endswith("\\ "):
        out = out[:-1] + "\\ "
    return out


def format_name(rdns: Iterable[Iterable[tuple[str, str]]]) -> str:
    """RFC 4514 string of a getpeercert() name: most specific RDN first, ``CN=a,O=b``."""
    parts = []
    for rdn in reversed(list(rdns)):
        parts.append("+".join(f"{_SHORT.get(k, k)}={_escape_dn_value(v)}" for k, v in rdn))
    return ",".join(parts)


def _prtime(text: str) -> int:
    """A getpeercert() time ("Jun  1 00:00:00 2030 GMT") as PRTime (microseconds)."""
    return int(ssl.cert_time_to_seconds(text)) * 1_000_000


@component(
    classID="{9e4b1c7d-3f28-4a65-8d0e-b5a2c9f6e183}",
    contractIDs=("@mozilla.org/security/transportsecurityinfo;1",),
)
@implementer(Ci.nsITransportSecurityInfo)
class TransportSecurityInfo:
    SSL_VERSION_3 = SSL_VERSION_3
    TLS_VERSION_1 = TLS_VERSION_1
    TLS_VERSION_1_1 = TLS_VERSION_1_1
    TLS_VERSION_1_2 = TLS_VERSION_1_2
    TLS_VERSION_1_3 = TLS_VERSION_1_3
    VERSION_UNKNOWN = VERSION_UNKNOWN

    def __init__(self, *, protocolVersion: int = VERSION_UNKNOWN, cipherName: str = "",
                 keyLength: int = 0, negotiatedNPN: str = "", resumed: bool = False,
                 errorCode: int = 0, subject: str = "", issuer: str = "", notBefore: int = 0,
                 notAfter: int = 0, der: bytes = b"") -> None:
        self._version = protocolVersion
        self._cipher = cipherName
        self._key_length = keyLength
        self._npn = negotiatedNPN
        self._resumed = resumed
        self._error = errorCode
        self._subject = subject
        self._issuer = issuer
        self._not_before = notBefore
        self._not_after = notAfter
        self._der = der

    @property
    def protocolVersion(self) -> int:
        return self._version

    @property
    def cipherName(self) -> str:
        return self._cipher

    @property
    def keyLength(self) -> int:
        return self._key_length

    @property
    def secretKeyLength(self) -> int:
        return self._key_length

    @property
    def negotiatedNPN(self) -> str:
        return self._npn

    @property
    def resumed(self) -> bool:
        return self._resumed

    @property
    def errorCode(self) -> int:
        return self._error

    @property
    def errorCodeString(self) -> str:
        """The NSS name of ``errorCode`` (Python-only; not in the IDL)."""
        return error_code_name(self._error)

    @property
    def serverCertSubject(self) -> str:
        return self._subject

    @property
    def serverCertIssuer(self) -> str:
        return self._issuer

    @property
    def serverCertNotBefore(self) -> int:
        return self._not_before

    @property
    def serverCertNotAfter(self) -> int:
        return self._not_after

    @property
    def serverCertSHA256Fingerprint(self) -> str:
        if not self._der:
            return ""
        return ":".join(f"{b:02X}" for b in hashlib.sha256(self._der).digest())

    @property
    def serverCertDER(self) -> bytes:
        """The peer certificate as DER bytes (Python-only; not in the IDL)."""
        return self._der


# NSS error codes (what Firefox reports in errorCode) for OpenSSL's verification results.
SEC_ERROR_EXPIRED_CERTIFICATE: Final = -8181
SEC_ERROR_REVOKED_CERTIFICATE: Final = -8180
SEC_ERROR_UNKNOWN_ISSUER: Final = -8179
SSL_ERROR_BAD_CERT_DOMAIN: Final = -12276
_NSS_NAMES: Final = {
    SEC_ERROR_EXPIRED_CERTIFICATE: "SEC_ERROR_EXPIRED_CERTIFICATE",
    SEC_ERROR_REVOKED_CERTIFICATE: "SEC_ERROR_REVOKED_CERTIFICATE",
    SEC_ERROR_UNKNOWN_ISSUER: "SEC_ERROR_UNKNOWN_ISSUER",
    SSL_ERROR_BAD_CERT_DOMAIN: "SSL_ERROR_BAD_CERT_DOMAIN",
}
_VERIFY_CODES: Final = {
    9: SEC_ERROR_EXPIRED_CERTIFICATE,  # not yet valid: NSS reports both as "expired"
    10: SEC_ERROR_EXPIRED_CERTIFICATE,
    2: SEC_ERROR_UNKNOWN_ISSUER,  # unable to get issuer certificate
    18: SEC_ERROR_UNKNOWN_ISSUER,  # self-signed leaf
    19: SEC_ERROR_UNKNOWN_ISSUER,  # self-signed certificate in the chain
    20: SEC_ERROR_UNKNOWN_ISSUER,  # unable to get local issuer certificate
    23: SEC_ERROR_REVOKED_CERTIFICATE,
    62: SSL_ERROR_BAD_CERT_DOMAIN,  # hostname mismatch
    64: SSL_ERROR_BAD_CERT_DOMAIN,  # IP address mismatch
}


def error_code_name(code: int) -> str:
    """The NSS name of an errorCode this module produces ("" for 0, the number otherwise)."""
    return _NSS_NAMES.get(code, str(code) if code else "")


def from_ssl_error(exc: BaseException) -> TransportSecurityInfo:
    """The security info of a failed handshake: only ``errorCode`` is set.

    Certificate verification failures map to the NSS code Firefox would report
    (unknown issuer, bad domain, expired, revoked); any other failure is -1.
    """
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, ssl.SSLError):
        cause = cause.__cause__ or cause.__context__  # trio wraps it in BrokenResourceError
    code = -1
    if isinstance(cause, ssl.SSLCertVerificationError):
        code = _VERIFY_CODES.get(cause.verify_code, SEC_ERROR_UNKNOWN_ISSUER)
    return TransportSecurityInfo(errorCode=code)


def _decode_unverified(der: bytes) -> tuple[str, str, int, int]:
    try:
        from cryptography import x509
    except ImportError:
        return "", "", 0, 0
    cert = x509.load_der_x509_certificate(der)
    return (
        cert.subject.rfc4514_string(),
        cert.issuer.rfc4514_string(),
        int(cert.not_valid_before_utc.timestamp()) * 1_000_000,
        int(cert.not_valid_after_utc.timestamp()) * 1_000_000,
    )


def from_ssl(sslobj: Any) -> TransportSecurityInfo:
    """The security info of a completed handshake on *sslobj* (an ssl.SSLObject or alike)."""
    cipher = sslobj.cipher() or ("", "", 0)
    der = sslobj.getpeercert(binary_form=True) or b""
    decoded: dict[str, Any] = sslobj.getpeercert() or {}
    if decoded:
        subject = format_name(decoded.get("subject", ()))
        issuer = format_name(decoded.get("issuer", ()))
        not_before = _prtime(decoded["notBefore"]) if "notBefore" in decoded else 0
        not_after = _prtime(decoded["notAfter"]) if "notAfter" in decoded else 0
    elif der:
        subject, issuer, not_before, not_after = _decode_unverified(der)
    else:
        subject, issuer, not_before, not_after = "", "", 0, 0
    alpn = getattr(sslobj, "selected_alpn_protocol", lambda: None)()
    return TransportSecurityInfo(
        protocolVersion=_VERSIONS.get(sslobj.version() or "", VERSION_UNKNOWN),
        cipherName=cipher[0] or "",
        keyLength=int(cipher[2] or 0),
        negotiatedNPN=alpn or "",
        resumed=bool(getattr(sslobj, "session_reused", False)),
        subject=subject,
        issuer=issuer,
        notBefore=not_before,
        notAfter=not_after,
        der=der,
    )
