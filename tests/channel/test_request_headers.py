"""Extra request headers and the observer service's http-on-* topics, as the websockets server saw them."""

from __future__ import annotations

import importlib.metadata
from typing import Any

import pytest
from support.httprecorder import answer, recording_server
from support.listener import RecordingListener, run_channel, set_pref

from components import Cc, Ci, Cr, XPCOMError

pytestmark = pytest.mark.timeout(60)

REFUSED = Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED


def new_channel() -> Any:
    return Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance(Ci.nsIWebSocketChannel)


def observers() -> Any:
    return Cc["@mozilla.org/observer-service;1"].getService(Ci.nsIObserverService)


class Observing:
    """Add observers for a test and remove them afterwards, whatever happens."""

    def __init__(self) -> None:
        self.added: list[tuple[Any, str]] = []
        self.failures: list[BaseException] = []

    def add(self, observer: Any, topic: str, weak: bool = False) -> Any:
        observers().addObserver(observer, topic, weak)
        self.added.append((observer, topic))
        return observer

    def remove_all(self) -> None:
        for observer, topic in self.added:
            try:
                observers().removeObserver(observer, topic)
            except XPCOMError:
                pass  # the test removed it itself


    def checked(self, fn: Any) -> Any:
        """*fn* as an observer whose failed assertions reach the test (the service swallows them)."""

        def observer(subject: Any, topic: str, data: str) -> None:
            try:
                fn(subject, topic, data)
            except BaseException as e:
                self.failures.append(e)
                raise

        return observer


@pytest.fixture
def observing() -> Any:
    obs = Observing()
    yield obs
    obs.remove_all()
    if obs.failures:
        raise obs.failures[0]


# -- User-Agent ----------------------------------------------------------------------------------------


async def test_default_user_agent_names_the_project_and_version() -> None:
    with recording_server() as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    version = importlib.metadata.version("xpcom-websocket")
    assert srv.requests[0].all("User-Agent") == [f"xpcom-websocket/{version}"]


async def test_user_agent_from_the_override_pref_and_per_channel() -> None:
    with recording_server() as srv, set_pref("general.useragent.override", "Host/7.0"):
        await run_channel(srv.url)
        await run_channel(srv.url, setup=lambda ch: ch.setRequestHeader("User-Agent", "Mine/2", False))
        await run_channel(srv.url, setup=lambda ch: ch.setRequestHeader("User-Agent", "", False))
    assert [r.all("User-Agent") for r in srv.requests] == [["Host/7.0"], ["Mine/2"], []]


# -- the channel's own headers ------------------------------------------------------------------------


async def test_extra_headers_reach_the_server_with_merge_semantics() -> None:
    def setup(ch: Any) -> None:
        ch.setRequestHeader("Authorization", "Bearer t0k3n", False)
        ch.setRequestHeader("X-A", "1", False)
        ch.setRequestHeader("x-a", "2", True)  # merged: "1, 2"
        ch.setRequestHeader("X-A", "", True)  # merging nothing changes nothing
        ch.setRequestHeader("X-B", "gone", False)
        ch.setRequestHeader("X-B", "", False)  # an empty replacement removes it
        ch.setRequestHeader("X-C", "  padded\t", False)
        ch.setRequestHeader("X-C", "3", False)  # replaced
        ch.setRequestHeader("X-Latin", "caf\xe9", False)

    with recording_server() as srv:
        lis = await run_channel(srv.url, setup=setup)
    lis.expect_status(Cr.NS_OK)
    got = srv.requests[0]
    assert got.all("Authorization") == ["Bearer t0k3n"]
    assert got.all("X-A") == ["1, 2"]
    assert got.all("X-B") == []
    assert got.all("X-C") == ["3"]
    assert got.all("X-Latin") == ["caf\xe9"]  # (websockets reads values as Latin-1, like us)
    # The protocol's fields are still the channel's, once each.
    assert got.all("Upgrade") == ["websocket"] and len(got.all("Host")) == 1


def test_get_and_visit_request_headers() -> None:
    ch = new_channel()
    ch.setRequestHeader("X-Token", "abc", False)
    assert ch.getRequestHeader("x-token") == "abc"
    assert ch.getRequestHeader("User-Agent").startswith("xpcom-websocket/")
    with pytest.raises(XPCOMError) as info:
        ch.getRequestHeader("X-Missing")
    assert info.value.result == Cr.NS_ERROR_NOT_AVAILABLE

    seen: list[tuple[str, str]] = []

    class Visitor:
        def visitHeader(self, name: str, value: str) -> None:
            seen.append((name, value))

    ch.visitRequestHeaders(Visitor())
    assert [n for n, _ in seen] == ["User-Agent", "X-Token"]
    collected: list[str] = []
    ch.visitRequestHeaders(lambda name, value: collected.append(name))  # [function] interface
    assert collected == ["User-Agent", "X-Token"]

    def failing(name: str, value: str) -> None:
        raise ValueError("visitor bug")

    with pytest.raises(XPCOMError) as info:
        ch.visitRequestHeaders(failing)
    assert info.value.result == Cr.NS_ERROR_FAILURE


@pytest.mark.parametrize(
    "name",
    [
        "Host", "upgrade", "Connection", "Sec-WebSocket-Key", "sec-websocket-version",
        "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept", "Origin", "Content-Length", "Transfer-Encoding",
        "TE", "Trailer", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Expect",
    ],
)
def test_protocol_owned_headers_are_refused(name: str) -> None:
    ch = new_channel()
    for merge in (False, True):
        with pytest.raises(XPCOMError) as info:
            ch.setRequestHeader(name, "x", merge)
        assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Bad Name", "x"), ("X:Y", "x"), ("", "x"), ("X-\xe9", "x"), ("X-A\r\n", "x"),
        ("X-A", "a\r\nX-Injected: 1"), ("X-A", "a\nb"), ("X-A", "a\rb"), ("X-A", "a\x00b"), ("X-A", "a\x7fb"),
        ("X-A", "\u20ac"), ("X-A", None), (None, "x"),
    ],
)
def test_invalid_names_and_values_are_refused(name: Any, value: Any) -> None:
    ch = new_channel()
    with pytest.raises(XPCOMError) as info:
        ch.setRequestHeader(name, value, False)
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE
    assert ch.getRequestHeader("User-Agent")  # nothing else changed


async def test_headers_are_fixed_by_async_open() -> None:
    with recording_server() as srv:
        lis = await run_channel(srv.url)
        with pytest.raises(XPCOMError) as info:
            lis.channel.setRequestHeader("X-Late", "1", False)
    assert info.value.result == Cr.NS_ERROR_IN_PROGRESS


# -- http-on-modify-request / http-on-examine-response ------------------------------------------------


async def test_modify_request_observers_change_the_request(observing: Observing) -> None:
    log: list[Any] = []

    class Adder:
        def observe(self, subject: Any, topic: str, data: str) -> None:
            http = subject
            assert Ci.nsIHttpChannel.providedBy(http)
            host_set = http.getRequestHeader("X-Host-Set")
            log.append(("adder", topic, http.URI.spec, http.requestMethod, host_set))
            http.setRequestHeader("X-Observer", "added", False)
            http.setRequestHeader("X-Host-Set", "more", True)
            with pytest.raises(XPCOMError) as info:
                http.setRequestHeader("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA==", False)
            assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE
            with pytest.raises(XPCOMError) as info:
                http.responseStatus  # noqa: B018 - no response yet
            assert info.value.result == Cr.NS_ERROR_NOT_AVAILABLE

    observing.add(observing.checked(Adder().observe), "http-on-modify-request")
    with recording_server() as srv:
        lis = await run_channel(
            srv.url_for("/obs"), setup=lambda ch: ch.setRequestHeader("X-Host-Set", "1", False)
        )
    lis.expect_status(Cr.NS_OK)
    assert log == [("adder", "http-on-modify-request", srv.url_for("/obs"), "GET", "1")]
    assert srv.requests[0].all("X-Observer") == ["added"]
    assert srv.requests[0].all("X-Host-Set") == ["1, more"]


async def test_examine_response_sees_the_101(observing: Observing) -> None:
    seen: list[Any] = []

    def examine(subject: Any, topic: str, data: str) -> None:
        headers: list[tuple[str, str]] = []
        subject.visitResponseHeaders(lambda n, v: headers.append((n, v)))
        upgrade = subject.getResponseHeader("Upgrade")
        seen.append((subject.responseStatus, subject.responseStatusText, upgrade, headers))
        with pytest.raises(XPCOMError) as info:
            subject.setRequestHeader("X-Late", "1", False)
        assert info.value.result == Cr.NS_ERROR_IN_PROGRESS
        with pytest.raises(XPCOMError) as info:
            subject.getResponseHeader("X-Not-There")
        assert info.value.result == Cr.NS_ERROR_NOT_AVAILABLE

    observing.add(observing.checked(examine), "http-on-examine-response")
    with recording_server(set_cookies=["a=1", "b=2"]) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    [(status, text, upgrade, headers)] = seen
    assert (status, text, upgrade) == (101, "Switching Protocols", "websocket")
    assert ("set-cookie", "a=1") in headers and ("set-cookie", "b=2") in headers


async def test_each_hop_is_observed_redirect_then_refusal(observing: Observing) -> None:
    events: list[tuple[str, str, Any]] = []

    def modify(subject: Any, topic: str, data: str) -> None:
        events.append(("modify", subject.URI.spec, None))

    def examine(subject: Any, topic: str, data: str) -> None:
        location = subject.getResponseHeader("Location") if subject.responseStatus == 302 else None
        events.append(("examine", subject.URI.spec, (subject.responseStatus, location)))

    observing.add(modify, "http-on-modify-request")
    observing.add(examine, "http-on-examine-response")
    with recording_server(lambda c, r: answer(c, 403)) as target:
        final = target.url_for("/final")
        with recording_server(lambda c, r: answer(c, 302, [("Location", final)])) as first:
            lis = await run_channel(first.url_for("/start"))
    lis.expect_status(REFUSED)
    start = first.url_for("/start")
    assert events == [
        ("modify", start, None),
        ("examine", start, (302, final)),
        ("modify", final, None),
        ("examine", final, (403, None)),
    ]


async def test_observer_order_removal_and_a_throwing_observer(observing: Observing) -> None:
    order: list[str] = []

    def first(subject: Any, topic: str, data: str) -> None:
        order.append("first")

    def thrower(subject: Any, topic: str, data: str) -> None:
        order.append("thrower")
        raise RuntimeError("an add-on's bug")

    def remover(subject: Any, topic: str, data: str) -> None:
        order.append("remover")
        observers().removeObserver(first, "http-on-modify-request")  # not told afterwards

    def everything(subject: Any, topic: str, data: str) -> None:
        order.append("* " + topic)

    observing.add(first, "http-on-modify-request")
    observing.add(thrower, "http-on-modify-request")
    observing.add(remover, "http-on-modify-request")
    observing.add(everything, "*")
    assert observers().enumerateObservers("http-on-modify-request") == [remover, thrower, first]
    with recording_server() as srv:
        lis = await run_channel(srv.url)
        lis.expect_status(Cr.NS_OK)  # the throwing observer did not break the channel
        # Most recent first; "first" was removed by "remover" before its turn.
        assert order == ["remover", "thrower", "* http-on-modify-request", "* http-on-examine-response"]
        order.clear()
        observers().removeObserver(thrower, "http-on-modify-request")
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert order == ["remover", "* http-on-modify-request", "* http-on-examine-response"]
    assert len(srv.requests) == 2


# -- over HTTP/2 (RFC 8441): the extended CONNECT carries the same fields ------------------------------


async def test_headers_and_observers_over_h2(observing: Observing) -> None:
    import http.cookiejar

    from support.h2server import hypercorn_server
    from support.tls import client_context

    from components.uri import newURI
    from components.websocket.cookies import store_cookies

    examined: list[int] = []
    observing.add(observing.checked(lambda s, t, d: s.setRequestHeader("X-Observer", "1", False)),
                  "http-on-modify-request")
    observing.add(observing.checked(lambda s, t, d: examined.append(s.responseStatus)),
                  "http-on-examine-response")
    jar = http.cookiejar.CookieJar()
    async with hypercorn_server() as srv:
        uri = newURI(srv.url)
        store_cookies(jar, uri, uri, [("set-cookie", "sid=h2; Secure")])

        def setup(ch: Any) -> None:
            ch.sslContext = client_context()
            ch.cookieJar = jar
            ch.setRequestHeader("X-Token", "abc", False)

        lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
        await run_channel(srv.url, lis, setup=setup)
    lis.expect_status(Cr.NS_OK)
    assert lis.channel.httpVersion == "h2"
    [session] = srv.sessions
    headers = session["headers"]
    assert headers["x-token"] == "abc" and headers["x-observer"] == "1" and headers["cookie"] == "sid=h2"
    assert headers["user-agent"].startswith("xpcom-websocket/")
    assert examined == [200]
