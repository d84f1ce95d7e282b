"""Which proxy a channel uses: the environment (type 5, the default), Firefox's manual prefs
(type 1), direct (type 0), a host application's filter, and the channel's own proxyInfo.

The connection tests check the choice by its effect: a tunnel through a real proxy to
``localhost`` that this process cannot resolve (support.proxies.no_local_dns), or a direct
connection that only works because the proxy configured is dead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from support.listener import RecordingListener, set_pref
from support.proxies import (
    echo_once,
    echo_origin,
    expect_failure,
    free_port,
    local_url,
    microsocks,
    no_local_dns,
    tinyproxy,
    twisted_socks4,
)
from support.tls import client_context

from components import Cc, Ci, Cr, XPCOMError, newURI
from components.proxy import proxy_info_from_url


def service() -> Any:
    return Cc["@mozilla.org/network/protocol-proxy-service;1"].getService(Ci.nsIProtocolProxyService)


def trust(ch: Any) -> None:
    ch.sslContext = client_context()


@contextlib.contextmanager
def prefs(**values: Any) -> Iterator[None]:
    """Set network.proxy.<name> prefs for the block (restored after)."""
    with contextlib.ExitStack() as stack:
        for name, value in values.items():
            stack.enter_context(set_pref(f"network.proxy.{name}", value))
        yield


# -- the environment (type 5) ------------------------------------------------------------------------


async def test_http_proxy_variable_for_ws(monkeypatch: pytest.MonkeyPatch) -> None:
    with tinyproxy() as proxy, echo_origin() as srv:
        monkeypatch.setenv("http_proxy", proxy.url)
        no_local_dns()
        lis = await echo_once(local_url(srv), trust)
        assert lis.channel.proxyInfo.port == proxy.port


async def test_upper_case_https_proxy_variable_for_wss(monkeypatch: pytest.MonkeyPatch) -> None:
    with tinyproxy() as proxy, echo_origin(tls=True) as srv:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{free_port()}")  # not for wss
        no_local_dns()
        await echo_once(local_url(srv, "wss"), trust)


async def test_all_proxy_variable_with_a_socks_url(monkeypatch: pytest.MonkeyPatch) -> None:
    with microsocks() as proxy, echo_origin() as srv:
        monkeypatch.setenv("ALL_PROXY", f"socks5h://{proxy.authority}")
        no_local_dns()
        lis = await echo_once(local_url(srv), trust)
        assert lis.channel.proxyInfo.type == "socks"


async def test_lower_case_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    with tinyproxy() as proxy, echo_origin() as srv:
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
        await echo_once(srv.url, trust)


async def test_upper_case_http_proxy_ignored_in_a_cgi_program(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpoxy: under CGI, HTTP_PROXY comes from the client's Proxy: header.
    with echo_origin() as srv:
        monkeypatch.setenv("REQUEST_METHOD", "GET")
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
        lis = await echo_once(srv.url, trust)
        assert lis.channel.proxyInfo is None


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "127.0.0.0/8", "*", "example.com, 127.0.0.1",
                                      "127.0.0.1:{port}"])
async def test_no_proxy_bypasses_the_proxy(monkeypatch: pytest.MonkeyPatch, no_proxy: str) -> None:
    with echo_origin() as srv:
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{free_port()}")  # dead: direct or fail
        monkeypatch.setenv("NO_PROXY", no_proxy.format(port=srv.port))
        lis = await echo_once(srv.url, trust)
        assert lis.channel.proxyInfo is None


@pytest.mark.parametrize("no_proxy", ["127.0.0.2", "10.0.0.0/8", "127.0.0.1:1", "example.com"])
async def test_no_proxy_not_matching_keeps_the_proxy(monkeypatch: pytest.MonkeyPatch, no_proxy: str) -> None:
    with echo_origin() as srv:
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{free_port()}")
        monkeypatch.setenv("no_proxy", no_proxy)
        await expect_failure(srv.url, trust, Cr.NS_ERROR_PROXY_CONNECTION_REFUSED)


async def test_a_bad_proxy_variable_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    with echo_origin() as srv:
        monkeypatch.setenv("http_proxy", "gopher://proxy:70")
        lis = await expect_failure(srv.url, trust, Cr.NS_ERROR_UNKNOWN_PROXY_HOST)
        assert "http_proxy" in lis.channel.failureMessage


async def test_a_direct_proxy_info_overrides_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with echo_origin() as srv:
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{free_port()}")

        def setup(ch: Any) -> None:
            ch.proxyInfo = proxy_info_from_url("direct://")

        lis = await echo_once(srv.url, setup)
        assert lis.channel.proxyInfo is None


def test_a_channel_refuses_a_proxy_info_that_is_not_one() -> None:
    ch = Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance(Ci.nsIWebSocketChannel)
    ch.proxyInfo = "http://proxy:3128"  # a string is not an nsIProxyInfo
    with pytest.raises(XPCOMError) as e:
        ch.asyncOpen(newURI("ws://127.0.0.1:1/"), "", RecordingListener(), None)
    assert e.value.result == Cr.NS_ERROR_ILLEGAL_VALUE


# -- Firefox's prefs ----------------------------------------------------------------------------------


async def test_manual_http_proxy_pref() -> None:
    with tinyproxy() as proxy, echo_origin() as srv:
        with prefs(type=1, http="127.0.0.1", http_port=proxy.port, allow_hijacking_localhost=True):
            no_local_dns()
            lis = await echo_once(local_url(srv), trust)
            assert lis.channel.proxyInfo.port == proxy.port


async def test_manual_ssl_proxy_pref_for_wss() -> None:
    with tinyproxy() as proxy, echo_origin(tls=True) as srv:
        with prefs(type=1, ssl="127.0.0.1", ssl_port=proxy.port, allow_hijacking_localhost=True):
            no_local_dns()
            await echo_once(local_url(srv, "wss"), trust)


@pytest.mark.parametrize(("version", "remote_dns"), [(5, True), (5, False)])
async def test_manual_socks_pref(version: int, remote_dns: bool) -> None:
    with microsocks() as proxy, echo_origin() as srv:
        with prefs(type=1, socks="127.0.0.1", socks_port=proxy.port, socks_version=version,
                   socks_remote_dns=remote_dns, allow_hijacking_localhost=True):
            lis = await echo_once(local_url(srv), trust)
            info = lis.channel.proxyInfo
            assert info.type == "socks"
            assert bool(info.flags & Ci.nsIProxyInfo.TRANSPARENT_PROXY_RESOLVES_HOST) is remote_dns


async def test_manual_socks_version_4_pref() -> None:
    with twisted_socks4() as proxy, echo_origin() as srv:
        with prefs(type=1, socks="127.0.0.1", socks_port=proxy.port, socks_version=4,
                   allow_hijacking_localhost=True):
            no_local_dns()
            lis = await echo_once(local_url(srv), trust)  # SOCKS 4a: the proxy resolves localhost
            assert lis.channel.proxyInfo.type == "socks4"


async def test_manual_prefs_keep_loopback_direct_unless_hijacking_is_allowed() -> None:
    with echo_origin() as srv:
        with prefs(type=1, http="127.0.0.1", http_port=free_port()):
            lis = await echo_once(srv.url, trust)  # the dead proxy is never tried for 127.0.0.1
            assert lis.channel.proxyInfo is None


async def test_no_proxies_on_pref() -> None:
    with echo_origin() as srv:
        with prefs(type=1, http="127.0.0.1", http_port=free_port(), allow_hijacking_localhost=True,
                   no_proxies_on="localhost, 127.0.0.1"):
            await echo_once(srv.url, trust)


async def test_type_0_is_direct_whatever_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with echo_origin() as srv:
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{free_port()}")
        with prefs(type=0):
            assert service().proxyConfigType == Ci.nsIProtocolProxyService.PROXYCONFIG_DIRECT
            await echo_once(srv.url, trust)


# -- filters ------------------------------------------------------------------------------------------


class ToProxy:
    """A host application's filter: sends one host through a proxy, leaves the rest."""

    def __init__(self, host: str, proxy_port: int) -> None:
        self.host, self.port = host, proxy_port
        self.seen: list[tuple[str, Any]] = []

    def applyFilter(self, aProxyService: Any, aURI: Any, aProxy: Any) -> Any:
        self.seen.append((aURI.spec, aProxy))
        if aURI.asciiHost == self.host:
            return aProxyService.newProxyInfo("http", "127.0.0.1", self.port, 0, 0, None)
        return aProxy


async def test_a_filter_chooses_the_proxy_per_uri() -> None:
    with tinyproxy() as proxy, echo_origin() as srv:
        f = ToProxy("localhost", proxy.port)
        service().registerFilter(f, 10)
        try:
            no_local_dns()
            lis = await echo_once(local_url(srv), trust)
            assert lis.channel.proxyInfo.port == proxy.port
            assert f.seen == [(local_url(srv), None)]
        finally:
            service().unregisterFilter(f)
        # Unregistered: localhost is not resolvable here and nothing tunnels it any more.
        await expect_failure(local_url(srv), trust, Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)


def test_filters_run_by_position_each_seeing_the_previous_choice() -> None:
    calls: list[str] = []
    pps = service()
    first = pps.newProxyInfo("http", "first.example", 1, 0, 0, None)

    def a(svc: Any, uri: Any, proxy: Any) -> Any:
        calls.append("a")
        return first

    def b(svc: Any, uri: Any, proxy: Any) -> Any:
        calls.append("b")
        assert proxy is first
        return svc.newProxyInfo("socks", "second.example", 2, 0, 0, None)

    def broken(svc: Any, uri: Any, proxy: Any) -> Any:
        calls.append("broken")
        raise RuntimeError("a buggy filter")

    pps.registerFilter(b, 20)
    pps.registerFilter(broken, 30)
    pps.registerFilter(a, 10)
    try:
        got = pps.resolve(newURI("ws://example.org/"), 0)
        assert calls == ["a", "b", "broken"]
        assert (got.type, got.host, got.port) == ("socks", "second.example", 2)  # the error kept b's
    finally:
        for f in (a, b, broken):
            pps.unregisterFilter(f)
    with prefs(type=0):
        assert pps.resolve(newURI("ws://example.org/"), 0) is None


def test_service_argument_errors() -> None:
    pps = service()
    bad = [("ftp", "h", 1, 0, 0, None), ("http", "", 1, 0, 0, None), ("http", "h", 0, 0, 0, None),
           ("http", "h", 65536, 0, 0, None), ("http", "h", 1, -1, 0, None), ("http", "h", 1, 0, 0, "x")]
    for args in bad:
        with pytest.raises(XPCOMError) as e:
            pps.newProxyInfo(*args)
        assert e.value.result == Cr.NS_ERROR_ILLEGAL_VALUE, args
    with pytest.raises(XPCOMError):
        pps.resolve(None, 0)
    with pytest.raises(XPCOMError):
        pps.resolve(newURI("ws://a/"), 1)
    with pytest.raises(XPCOMError):
        pps.registerFilter(None, 0)
    with pytest.raises(XPCOMError):
        pps.registerFilter(object(), 0)
    info = pps.newProxyInfoWithAuth("SOCKS4", "[::1]", 1080, "u", "p", 1, 5, None)
    got = (info.type, info.host, info.username, info.password, info.failoverTimeout)
    assert got == ("socks4", "::1", "u", "p", 5)
    assert Ci.nsIProxyInfo.providedBy(info)
