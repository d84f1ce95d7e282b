"""Cookies: from the host's http.cookiejar.CookieJar into the handshake, and Set-Cookie back into it."""

from __future__ import annotations

import http.cookiejar
from collections.abc import Iterator
from typing import Any

import pytest
from support.httprecorder import answer, recording_server
from support.listener import run_channel

from components import Cr, newURI
from components.websocket.cookies import cookie_header, set_default_cookie_jar, store_cookies

pytestmark = pytest.mark.timeout(60)


def jar_setup(jar: Any) -> Any:
    def setup(ch: Any) -> None:
        ch.cookieJar = jar

    return setup


def names(jar: http.cookiejar.CookieJar) -> dict[str, str]:
    return {c.name: str(c.value) for c in jar}


async def test_set_cookie_in_the_101_comes_back_on_the_next_handshake() -> None:
    jar = http.cookiejar.CookieJar()
    with recording_server(set_cookies=["sid=abc123; Path=/", "theme=dark"]) as srv:
        first = await run_channel(srv.url_for("/app"), setup=jar_setup(jar))
        second = await run_channel(srv.url_for("/app"), setup=jar_setup(jar))
    first.expect_status(Cr.NS_OK)
    second.expect_status(Cr.NS_OK)
    assert names(jar) == {"sid": "abc123", "theme": "dark"}
    assert srv.requests[0].all("Cookie") == []
    [cookie] = srv.requests[1].all("Cookie")
    assert sorted(cookie.split("; ")) == ["sid=abc123", "theme=dark"]


async def test_redirect_set_cookie_is_stored_and_sent_to_the_target() -> None:
    jar = http.cookiejar.CookieJar()
    with recording_server() as target:
        final = target.url_for("/final")
        redirect = [("Location", final), ("Set-Cookie", "hop=1; Path=/")]
        with recording_server(lambda c, r: answer(c, 302, redirect)) as first:
            lis = await run_channel(first.url_for("/start"), setup=jar_setup(jar))
    lis.expect_status(Cr.NS_OK)
    assert names(jar) == {"hop": "1"}
    # (Cookies are not port-bound: the other port on 127.0.0.1 is the same cookie host.)
    assert target.requests[0].all("Cookie") == ["hop=1"]


async def test_a_refusal_sets_cookies_too_and_paths_are_matched() -> None:
    jar = http.cookiejar.CookieJar()
    with recording_server(lambda c, r: answer(c, 403, [("Set-Cookie", "seen=1; Path=/only")])) as srv:
        lis = await run_channel(srv.url_for("/other"), setup=jar_setup(jar))
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    assert names(jar) == {"seen": "1"}
    with recording_server() as srv:
        await run_channel(srv.url_for("/other"), setup=jar_setup(jar))
        await run_channel(srv.url_for("/only/x"), setup=jar_setup(jar))
    assert [r.all("Cookie") for r in srv.requests] == [[], ["seen=1"]]


async def test_host_cookie_header_is_merged_with_the_jar() -> None:
    jar = http.cookiejar.CookieJar()
    store_cookies(jar, newURI("ws://127.0.0.1/"), newURI("ws://127.0.0.1/"), [("set-cookie", "j=2")])

    def setup(ch: Any) -> None:
        ch.cookieJar = jar
        ch.setRequestHeader("Cookie", "own=1", False)

    with recording_server() as srv:
        await run_channel(srv.url, setup=setup)
    assert srv.requests[0].all("Cookie") == ["own=1; j=2"]


@pytest.fixture
def default_jar() -> Iterator[http.cookiejar.CookieJar]:
    jar = http.cookiejar.CookieJar()
    set_default_cookie_jar(jar)
    yield jar
    set_default_cookie_jar(None)


async def test_the_default_jar_serves_channels_without_their_own(default_jar: Any) -> None:
    with recording_server(set_cookies=["d=1"]) as srv:
        await run_channel(srv.url)
        await run_channel(srv.url)
        await run_channel(srv.url, setup=jar_setup(http.cookiejar.CookieJar()))  # its own, empty
    assert [r.all("Cookie") for r in srv.requests] == [[], ["d=1"], []]


async def test_a_failing_jar_does_not_break_the_handshake(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        def add_cookie_header(self, request: Any) -> None:
            raise RuntimeError("jar bug")

        def extract_cookies(self, response: Any, request: Any) -> None:
            raise RuntimeError("jar bug")

    with recording_server(set_cookies=["x=1"]) as srv:
        lis = await run_channel(srv.url, setup=jar_setup(Broken()))
    lis.expect_status(Cr.NS_OK)
    assert "jar bug" in caplog.text


def test_secure_cookies_only_over_wss_and_userinfo_is_not_the_host() -> None:
    jar = http.cookiejar.CookieJar()
    secure = newURI("wss://user:pw@example.com/a")
    store_cookies(jar, secure, secure, [("set-cookie", "s=1; Secure; Path=/"), ("set-cookie", "p=2; Path=/")])
    assert {c.name: c.domain for c in jar} == {"s": "example.com", "p": "example.com"}
    plain = newURI("ws://example.com/a")
    assert cookie_header(jar, plain, plain) == "p=2"
    assert sorted((cookie_header(jar, secure, secure) or "").split("; ")) == ["p=2", "s=1"]
    other = newURI("wss://other.example/")
    assert cookie_header(jar, other, other) is None
