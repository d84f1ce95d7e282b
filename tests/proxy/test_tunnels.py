"""WebSocket channels through real proxies: HTTP CONNECT (tinyproxy, proxy.py, over TLS too),
SOCKS 5 (microsocks) and SOCKS 4a (Twisted), each started by the test on 127.0.0.1.

The origin is the `websockets` package's echo server.  Most tests address it as
``localhost`` while this process's resolver refuses every name (a trio custom
resolver): the connection can then only succeed if the proxy resolved the name,
which shows both that the bytes went through the proxy and that no local DNS
lookup happened (Firefox's rule for proxied connections).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from support.listener import RecordingListener, open_channel
from support.proxies import (
    echo_once,
    echo_origin,
    expect_failure,
    local_url,
    microsocks,
    no_local_dns,
    proxy_py,
    tinyproxy,
    twisted_socks4,
    via,
)

from components import Cr
from components.proxy import proxy_info_from_url

# -- HTTP CONNECT ------------------------------------------------------------------------------------


@pytest.mark.parametrize("make_proxy", [tinyproxy, proxy_py], ids=["tinyproxy", "proxy.py"])
async def test_ws_through_http_proxy_is_tunnelled(make_proxy: Callable[[], Any]) -> None:
    with make_proxy() as proxy, echo_origin() as srv:
        resolver = no_local_dns()
        lis = await echo_once(local_url(srv), via(proxy.url))
        assert resolver.asked == []  # neither the origin nor the proxy (an IP) was resolved here
        assert lis.channel.proxyInfo.type == "http"
        assert lis.channel.proxyInfo.port == proxy.port


@pytest.mark.parametrize("make_proxy", [tinyproxy, proxy_py], ids=["tinyproxy", "proxy.py"])
async def test_wss_through_http_proxy(make_proxy: Callable[[], Any]) -> None:
    with make_proxy() as proxy, echo_origin(tls=True) as srv:
        no_local_dns()
        lis = await echo_once(local_url(srv, "wss"), via(proxy.url))
        # The origin's TLS ran inside the tunnel: the certificate is the origin's.
        info = lis.channel.securityInfo
        assert info is not None and "trustme" in info.serverCertIssuer


async def test_wss_through_https_proxy() -> None:
    # TLS to the proxy (its own certificate for 127.0.0.1), then TLS to the origin inside.
    with proxy_py(tls=True) as proxy, echo_origin(tls=True) as srv:
        no_local_dns()
        lis = await echo_once(local_url(srv, "wss"), via(proxy.url))
        assert lis.channel.proxyInfo.type == "https"


async def test_ws_through_https_proxy() -> None:
    with proxy_py(tls=True) as proxy, echo_origin() as srv:
        no_local_dns()
        await echo_once(local_url(srv), via(proxy.url))


async def test_https_proxy_with_an_untrusted_certificate_is_a_tls_failure() -> None:
    import ssl

    with proxy_py(tls=True) as proxy, echo_origin() as srv:
        def setup(ch: Any) -> None:
            ch.proxyInfo = proxy_info_from_url(proxy.url)
            ch.sslContext = ssl.create_default_context()  # the system store: not the test CA
        lis = await expect_failure(srv.url, setup, Cr.NS_ERROR_NET_INADEQUATE_SECURITY)
        assert "proxy" in lis.channel.failureMessage


# -- SOCKS -------------------------------------------------------------------------------------------


async def test_ws_through_socks5_proxy_resolving_the_host() -> None:
    with microsocks() as proxy, echo_origin() as srv:
        resolver = no_local_dns()
        lis = await echo_once(local_url(srv), via(proxy.url))  # socks5h://
        assert resolver.asked == []
        assert lis.channel.proxyInfo.type == "socks"


async def test_wss_through_socks5_proxy_with_credentials() -> None:
    with microsocks(auth=("sockuser", "s3cret")) as proxy, echo_origin(tls=True) as srv:
        no_local_dns()
        await echo_once(local_url(srv, "wss"), via(proxy.url_with("sockuser", "s3cret")))


async def test_socks5_proxy_refusing_the_credentials() -> None:
    with microsocks(auth=("sockuser", "s3cret")) as proxy, echo_origin() as srv:
        await expect_failure(srv.url, via(proxy.url_with("sockuser", "wrong")),
                             Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED)


async def test_socks5_proxy_wanting_credentials_we_do_not_have() -> None:
    with microsocks(auth=("sockuser", "s3cret")) as proxy, echo_origin() as srv:
        await expect_failure(srv.url, via(proxy.url), Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED)


async def test_socks5_with_local_resolution_sends_the_address() -> None:
    # socks5:// (not socks5h): the name is resolved here, the proxy gets an address.
    with microsocks() as proxy, echo_origin() as srv:
        await echo_once(local_url(srv), via(f"socks5://{proxy.authority}"))


async def test_socks5_origin_refusing_is_the_server_refusing() -> None:
    from support.proxies import free_port

    with microsocks() as proxy:
        lis = await expect_failure(f"ws://127.0.0.1:{free_port()}/", via(proxy.url),
                                   Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
        assert "SOCKS" in lis.channel.failureMessage


async def test_ws_through_socks4a_proxy_resolving_the_host() -> None:
    with twisted_socks4() as proxy, echo_origin() as srv:
        resolver = no_local_dns()
        lis = await echo_once(local_url(srv), via(proxy.url))  # socks4a://
        assert resolver.asked == []
        assert lis.channel.proxyInfo.type == "socks4"


async def test_wss_through_socks4_proxy_with_an_address() -> None:
    with twisted_socks4() as proxy, echo_origin(tls=True) as srv:
        await echo_once(f"wss://127.0.0.1:{srv.port}/", via(f"socks4://{proxy.authority}"))


# -- proxy failures ----------------------------------------------------------------------------------


async def test_proxy_refusing_the_connection() -> None:
    from support.proxies import free_port

    with echo_origin() as srv:
        lis = await expect_failure(srv.url, via(f"http://127.0.0.1:{free_port()}"),
                                   Cr.NS_ERROR_PROXY_CONNECTION_REFUSED)
        assert "proxy" in lis.channel.failureMessage


async def test_unknown_proxy_host() -> None:
    with echo_origin() as srv:
        resolver = no_local_dns()
        lis = await expect_failure(srv.url, via("http://proxy.invalid:3128"), Cr.NS_ERROR_UNKNOWN_PROXY_HOST)
        assert resolver.asked == ["proxy.invalid"]
        assert "proxy.invalid" in lis.channel.failureMessage


async def test_proxy_failover_to_the_next_proxy() -> None:
    from support.proxies import free_port

    from components import Cc, Ci

    pps = Cc["@mozilla.org/network/protocol-proxy-service;1"].getService(Ci.nsIProtocolProxyService)
    with tinyproxy() as proxy, echo_origin() as srv:
        good = pps.newProxyInfo("http", "127.0.0.1", proxy.port, 0, 0, None)
        dead = pps.newProxyInfo("http", "127.0.0.1", free_port(), 0, 30, good)
        lis = await echo_once(srv.url, via(dead))
        assert lis.channel.proxyInfo.port == proxy.port


async def test_http_proxy_that_cannot_reach_the_origin() -> None:
    from support.proxies import free_port

    with tinyproxy() as proxy:
        lis = RecordingListener()
        open_channel(f"ws://127.0.0.1:{free_port()}/", lis, setup=via(proxy.url))
        status = await lis.wait_stopped()
        # tinyproxy answers a failed CONNECT with an HTTP error: a proxy status, never NS_OK,
        # and not the "proxy refused us" of a proxy that could not be reached at all.
        assert status not in (Cr.NS_OK, Cr.NS_ERROR_PROXY_CONNECTION_REFUSED), lis.events
        assert "proxy" in lis.channel.failureMessage
