"""Proxy authentication against real proxies: proxy.py (--basic-auth) and tinyproxy (BasicAuth)
answer 407 until a CONNECT carries their Basic credentials; SOCKS 5 auth is in test_tunnels.

Credentials come from the proxy URL's userinfo or from the nsIAuthPrompt2 behind the
channel's notificationCallbacks; a 407 is answered once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from support.listener import RecordingListener, open_channel
from support.proxies import echo_once, expect_failure, proxy_py, tinyproxy, via
from support.wsserver import echo_handler, websockets_server
from zope.interface import implementer

from components import Ci, Cr
from components.netobjects import InterfaceRequestor
from components.proxy import proxy_info_from_url

AUTH = ("proxyuser", "pa:ss word")  # (a ':' and a space: the userinfo must be percent-decoded)
# tinyproxy's configuration file takes only a plain word as the password.
PROXIES = [pytest.param(proxy_py, AUTH, id="proxy.py"),
           pytest.param(tinyproxy, ("proxyuser", "pa55word"), id="tinyproxy")]


@implementer(Ci.nsIAuthPrompt2)
class Prompt:
    """Answers promptAuth with fixed credentials (None: cancels), recording each question."""

    def __init__(self, answer: tuple[str, str] | None) -> None:
        self.answer = answer
        self.asked: list[tuple[int, int, str, str]] = []

    def promptAuth(self, aChannel: Any, level: int, authInfo: Any) -> bool:
        self.asked.append((level, authInfo.flags, authInfo.authenticationScheme, authInfo.realm))
        if self.answer is None:
            return False
        authInfo.username, authInfo.password = self.answer
        return True


def with_prompt(proxy_url: str, prompt: Prompt) -> Callable[[Any], None]:
    def setup(ch: Any) -> None:
        via(proxy_url)(ch)
        ch.notificationCallbacks = InterfaceRequestor(prompt)
    return setup


@pytest.mark.parametrize(("make_proxy", "auth"), PROXIES)
async def test_407_without_credentials_is_an_auth_failure(make_proxy: Any, auth: tuple[str, str]) -> None:
    with make_proxy(auth=auth) as proxy, websockets_server(echo_handler) as srv:
        lis = await expect_failure(srv.url, via(proxy.url), Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED)
        assert "407" in lis.channel.failureMessage


@pytest.mark.parametrize(("make_proxy", "auth"), PROXIES)
async def test_407_answered_with_the_proxy_urls_userinfo(make_proxy: Any, auth: tuple[str, str]) -> None:
    with make_proxy(auth=auth) as proxy, websockets_server(echo_handler) as srv:
        url = f"http://{auth[0]}:{quote(auth[1], safe='')}@{proxy.authority}"  # percent-decoded
        await echo_once(srv.url, via(url))
        await echo_once(srv.url, via(url))  # the next connection sends the accepted credentials first


@pytest.mark.parametrize(("make_proxy", "auth"), PROXIES)
async def test_wrong_credentials_are_tried_once(make_proxy: Any, auth: tuple[str, str]) -> None:
    with make_proxy(auth=auth) as proxy, websockets_server(echo_handler) as srv:
        if make_proxy is tinyproxy:
            # tinyproxy answers wrong credentials with 401, not a second 407 (Firefox's code for it).
            lis = await expect_failure(srv.url, via(proxy.url_with("proxyuser", "wrong")),
                                       Cr.NS_ERROR_PROXY_UNAUTHORIZED)
            assert "401" in lis.channel.failureMessage
        else:
            lis = await expect_failure(srv.url, via(proxy.url_with("proxyuser", "wrong")),
                                       Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED)
            assert "refused the credentials" in lis.channel.failureMessage


async def test_407_answered_by_the_auth_prompt() -> None:
    with proxy_py(auth=AUTH) as proxy, websockets_server(echo_handler) as srv:
        prompt = Prompt(AUTH)
        await echo_once(srv.url, with_prompt(proxy.url, prompt))
        assert len(prompt.asked) == 1
        level, flags, scheme, _realm = prompt.asked[0]
        assert flags & Ci.nsIAuthInformation.AUTH_PROXY
        assert scheme == "basic"
        assert level == Ci.nsIAuthPrompt2.LEVEL_NONE  # Basic to an http:// proxy travels in the clear


async def test_auth_prompt_for_an_https_proxy_is_told_it_is_secure() -> None:
    with proxy_py(auth=AUTH, tls=True) as proxy, websockets_server(echo_handler) as srv:
        prompt = Prompt(AUTH)
        await echo_once(srv.url, with_prompt(proxy.url, prompt))
        assert prompt.asked[0][0] == Ci.nsIAuthPrompt2.LEVEL_SECURE


async def test_auth_prompt_cancelled() -> None:
    with proxy_py(auth=AUTH) as proxy, websockets_server(echo_handler) as srv:
        prompt = Prompt(None)
        await expect_failure(srv.url, with_prompt(proxy.url, prompt), Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED)
        assert len(prompt.asked) == 1


async def test_auth_prompt_with_wrong_credentials_is_asked_once() -> None:
    with proxy_py(auth=AUTH) as proxy, websockets_server(echo_handler) as srv:
        prompt = Prompt(("proxyuser", "nope"))
        await expect_failure(srv.url, with_prompt(proxy.url, prompt), Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED)
        assert len(prompt.asked) == 1


async def test_proxy_credentials_never_reach_the_origin() -> None:
    seen: list[dict[str, str]] = []

    async def record(ws: Any) -> None:
        seen.append(dict(ws.request.headers))
        await echo_handler(ws)

    with proxy_py(auth=AUTH) as proxy, websockets_server(record) as srv:
        lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
        open_channel(srv.url, lis, setup=via(proxy_info_from_url(proxy.url_with(*AUTH))))
        assert await lis.wait_stopped() == Cr.NS_OK
        assert seen and not any(k.lower().startswith("proxy-") for k in seen[0])
