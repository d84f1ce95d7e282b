"""nsITransportSecurityInfo from real TLS handshakes on 127.0.0.1 (trustme certificates)."""

from __future__ import annotations

import datetime
import ssl
from functools import partial

import pytest
import trio
import trustme
from zope.interface.verify import verifyObject

from components import Cc, Ci
from components.security import (
    SEC_ERROR_UNKNOWN_ISSUER,
    SSL_ERROR_BAD_CERT_DOMAIN,
    TransportSecurityInfo,
    format_name,
    from_ssl,
    from_ssl_error,
)


async def _handshake(client_ctx: ssl.SSLContext, server_ctx: ssl.SSLContext) -> TransportSecurityInfo:
    async def serve(stream: trio.SocketStream) -> None:
        tls = trio.SSLStream(stream, server_ctx, server_side=True)
        try:
            await tls.do_handshake()
            await tls.send_all(b"ok")
            await tls.aclose()
        except trio.BrokenResourceError:
            pass

    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(partial(trio.serve_tcp, serve, 0, host="127.0.0.1"))
        port = listeners[0].socket.getsockname()[1]
        tcp = await trio.open_tcp_stream("127.0.0.1", port)
        tls = trio.SSLStream(tcp, client_ctx, server_hostname="localhost")
        await tls.do_handshake()
        assert await tls.receive_some(2) == b"ok"
        info = from_ssl(tls)  # trio forwards the ssl.SSLObject methods from_ssl reads
        await tls.aclose()
        nursery.cancel_scope.cancel()
    return info


def _contexts(alpn: bool = False) -> tuple[trustme.CA, ssl.SSLContext, ssl.SSLContext]:
    ca = trustme.CA(organization_name="Runtime Test CA")
    cert = ca.issue_cert("localhost", "127.0.0.1", organization_name="Echo Org", common_name="localhost")
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    if alpn:
        server.set_alpn_protocols(["http/1.1"])
        client.set_alpn_protocols(["http/1.1"])
    return ca, client, server


async def test_verified_handshake_reports_version_cipher_and_certificate() -> None:
    _, client, server = _contexts(alpn=True)
    client.minimum_version = ssl.TLSVersion.TLSv1_3
    info = await _handshake(client, server)
    assert verifyObject(Ci.nsITransportSecurityInfo, info)
    assert info.protocolVersion == Ci.nsITransportSecurityInfo.TLS_VERSION_1_3 == 4
    assert info.cipherName.startswith("TLS_")  # TLS 1.3 suites: TLS_AES_256_GCM_SHA384 ...
    assert info.keyLength in (128, 256) and info.secretKeyLength == info.keyLength
    assert info.negotiatedNPN == "http/1.1"
    assert info.resumed is False
    assert info.errorCode == 0
    assert "CN=localhost" in info.serverCertSubject and "O=Echo Org" in info.serverCertSubject
    assert "O=Runtime Test CA" in info.serverCertIssuer
    now_us = int(datetime.datetime.now(datetime.UTC).timestamp()) * 1_000_000
    assert info.serverCertNotBefore <= now_us < info.serverCertNotAfter
    assert len(info.serverCertSHA256Fingerprint.split(":")) == 32
    assert len(info.serverCertDER) > 100


async def test_tls12_is_reported_as_such() -> None:
    _, client, server = _contexts()
    client.maximum_version = ssl.TLSVersion.TLSv1_2
    info = await _handshake(client, server)
    assert info.protocolVersion == Ci.nsITransportSecurityInfo.TLS_VERSION_1_2 == 3
    assert info.cipherName and not info.cipherName.startswith("TLS_")
    assert info.negotiatedNPN == ""


async def test_unverified_peer_still_gets_certificate_fields() -> None:
    # With CERT_NONE Python does not decode the peer certificate; the DER is decoded instead.
    pytest.importorskip("cryptography")
    _, _, server = _contexts()
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = False
    client.verify_mode = ssl.CERT_NONE
    info = await _handshake(client, server)
    assert "CN=localhost" in info.serverCertSubject
    assert "Runtime Test CA" in info.serverCertIssuer
    assert 0 < info.serverCertNotBefore < info.serverCertNotAfter


def test_empty_info_component() -> None:
    info = Cc["@mozilla.org/security/transportsecurityinfo;1"].createInstance(Ci.nsITransportSecurityInfo)
    assert info.protocolVersion == info.VERSION_UNKNOWN == 255
    assert (info.cipherName, info.serverCertSubject, info.serverCertSHA256Fingerprint) == ("", "", "")
    with pytest.raises(AttributeError):
        info.cipherName = "x"  # readonly


def test_distinguished_names_follow_rfc4514() -> None:
    rdns = ((("countryName", "DE"),), (("organizationName", "A, B+C"),), (("commonName", " x#"),))
    assert format_name(rdns) == "CN=\\ x#,O=A\\, B\\+C,C=DE"
    assert format_name(((("commonName", "a"), ("emailAddress", "e@x")),)) == "CN=a+E=e@x"
    assert format_name(((("commonName", "#lead"),),)) == "CN=\\#lead"


async def _failed_handshake(client_ctx: ssl.SSLContext, server_ctx: ssl.SSLContext,
                            server_hostname: str = "localhost") -> BaseException:
    async def serve(stream: trio.SocketStream) -> None:
        tls = trio.SSLStream(stream, server_ctx, server_side=True)
        try:
            await tls.do_handshake()
        except trio.BrokenResourceError:
            pass
        await stream.aclose()

    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(partial(trio.serve_tcp, serve, 0, host="127.0.0.1"))
        port = listeners[0].socket.getsockname()[1]
        tls = trio.SSLStream(await trio.open_tcp_stream("127.0.0.1", port), client_ctx,
                             server_hostname=server_hostname)
        with pytest.raises(trio.BrokenResourceError) as info:
            await tls.do_handshake()
        await tls.aclose()
        nursery.cancel_scope.cancel()
    return info.value


async def test_untrusted_issuer_maps_to_the_nss_code() -> None:
    _, _, server = _contexts()
    stranger = ssl.create_default_context()
    trustme.CA().configure_trust(stranger)  # trusts some other CA only
    info = from_ssl_error(await _failed_handshake(stranger, server))
    assert info.errorCode == SEC_ERROR_UNKNOWN_ISSUER == -8179
    assert info.errorCodeString == "SEC_ERROR_UNKNOWN_ISSUER"
    assert info.cipherName == "" and info.protocolVersion == info.VERSION_UNKNOWN


async def test_wrong_host_maps_to_bad_cert_domain() -> None:
    _, client, server = _contexts()
    info = from_ssl_error(await _failed_handshake(client, server, server_hostname="elsewhere.example"))
    assert info.errorCode == SSL_ERROR_BAD_CERT_DOMAIN == -12276


def test_other_errors() -> None:
    assert from_ssl_error(ValueError("not tls")).errorCode == -1
    assert from_ssl_error(ssl.SSLError(1, "weird")).errorCodeString == "-1"
    assert TransportSecurityInfo().errorCodeString == ""
