"""Redirects (followed, mapped, bounded, no downgrade) and TLS (trustme certificates)."""

from __future__ import annotations

import ssl

import pytest
import trustme
from support.listener import run_channel
from support.rawserver import RawServer, redirect_response

from components import Cr
from components.websocket.channel import set_default_ssl_context

pytestmark = pytest.mark.timeout(60)


async def close_script(peer) -> None:  # type: ignore[no-untyped-def]
    await peer.close_handshake(1000, "")
    await peer.aclose()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_is_followed_and_uris_reported(status: int) -> None:
    async with RawServer(close_script, path="/final") as target:
        location = target.url_for("/final?q=1")

        async with RawServer(None, respond=redirect_response(location, status), close_after_response=True) \
                as first:
            lis = await run_channel(first.url_for("/start"))
    lis.expect_status(Cr.NS_OK)
    assert lis.channel.URI.spec == location
    assert lis.channel.originalURI.spec == first.url_for("/start")
    assert target.requests[0].target == "/final?q=1"


async def test_relative_and_http_locations_are_resolved_and_mapped() -> None:
    async with RawServer(close_script) as target:
        http_location = f"http://127.0.0.1:{target.port}/via-http"

        def respond(req):  # type: ignore[no-untyped-def]
            return redirect_response("/second" if req.target == "/first" else http_location)

        async with RawServer(None, respond=respond, close_after_response=True) as hops:
            lis = await run_channel(hops.url_for("/first"))
    lis.expect_status(Cr.NS_OK)
    assert [r.target for r in hops.requests] == ["/first", "/second"]
    assert lis.channel.URI.spec == f"ws://127.0.0.1:{target.port}/via-http"


async def test_redirect_loop_stops_after_ten_hops() -> None:
    def respond(req):  # type: ignore[no-untyped-def]
        return redirect_response(req.target)  # forever to itself

    async with RawServer(None, respond=respond, close_after_response=True) as srv:
        lis = await run_channel(srv.url_for("/loop"))
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    assert len(srv.requests) == 11  # the first request and ten redirects followed
    assert "start" not in lis.kinds()


async def test_redirect_to_other_scheme_is_refused() -> None:
    async with RawServer(None, respond=redirect_response("ftp://127.0.0.1/x"), close_after_response=True) \
            as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)


# -- TLS ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def server_context(ca: trustme.CA, *hosts: str) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*(hosts or ("127.0.0.1", "localhost"))).configure_cert(ctx)
    return ctx


def client_context(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    return ctx


async def test_wss_with_injected_context_and_security_info(ca: trustme.CA) -> None:
    async with RawServer(close_script, ssl_context=server_context(ca)) as srv:
        lis = await run_channel(srv.url, setup=lambda ch: setattr(ch, "sslContext", client_context(ca)))
    lis.expect_status(Cr.NS_OK)
    info = lis.channel.securityInfo
    assert info is not None
    assert info.cipherName
    assert "trustme" in info.serverCertIssuer.lower() or info.serverCertIssuer
    assert info.serverCertNotBefore < info.serverCertNotAfter


async def test_wss_with_module_default_context(ca: trustme.CA) -> None:
    previous = set_default_ssl_context(client_context(ca))
    try:
        async with RawServer(close_script, ssl_context=server_context(ca)) as srv:
            lis = await run_channel(srv.url)
    finally:
        set_default_ssl_context(previous)
    lis.expect_status(Cr.NS_OK)


async def test_untrusted_certificate_is_inadequate_security(ca: trustme.CA) -> None:
    async with RawServer(None, ssl_context=server_context(ca)) as srv:
        lis = await run_channel(srv.url)  # system trust store: does not know the trustme CA
    lis.expect_status(Cr.NS_ERROR_NET_INADEQUATE_SECURITY)
    assert lis.channel.securityInfo is None
    assert "start" not in lis.kinds()


async def test_hostname_mismatch_is_inadequate_security(ca: trustme.CA) -> None:
    async with RawServer(None, ssl_context=server_context(ca, "example.org")) as srv:
        lis = await run_channel(srv.url, setup=lambda ch: setattr(ch, "sslContext", client_context(ca)))
    lis.expect_status(Cr.NS_ERROR_NET_INADEQUATE_SECURITY)


async def test_wss_to_ws_redirect_is_refused(ca: trustme.CA) -> None:
    async with RawServer(close_script) as plain:
        async with RawServer(None, respond=redirect_response(plain.url), close_after_response=True,
                             ssl_context=server_context(ca)) as secure:
            lis = await run_channel(secure.url,
                                    setup=lambda ch: setattr(ch, "sslContext", client_context(ca)))
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    assert plain.requests == []


async def test_ws_to_wss_redirect_is_followed(ca: trustme.CA) -> None:
    previous = set_default_ssl_context(client_context(ca))
    try:
        async with RawServer(close_script, ssl_context=server_context(ca)) as secure:
            async with RawServer(None, respond=redirect_response(secure.url), close_after_response=True) \
                    as plain:
                lis = await run_channel(plain.url)
    finally:
        set_default_ssl_context(previous)
    lis.expect_status(Cr.NS_OK)
    assert lis.channel.URI.scheme == "wss"
    assert lis.channel.securityInfo is not None
