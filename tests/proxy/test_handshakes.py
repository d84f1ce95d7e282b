"""The sans-I/O pieces alone: the CONNECT and SOCKS handshakes byte for byte (RFC 1928/1929,
SOCKS 4a), fed one byte at a time too; proxy URLs; host lists."""

from __future__ import annotations

import pytest

from components import Cr, XPCOMError
from components.proxy.config import HostList, environment_choice
from components.proxy.connect import ConnectHandshake, Established, ProxyAuthRequired
from components.proxy.info import proxy_info_from_url
from components.proxy.socks import Socks4Handshake, Socks5Handshake
from components.proxy.status import ProxyError, describe_status, status_for_http


def feed_bytewise(machine: Socks5Handshake | Socks4Handshake, data: bytes) -> None:
    for i in range(len(data)):
        machine.receive_data(data[i:i + 1])


# -- SOCKS 5 ------------------------------------------------------------------------------------------


def test_socks5_without_credentials_names_the_host() -> None:
    m = Socks5Handshake("example.com", 443)
    assert m.data_to_send() == b"\x05\x01\x00"
    feed_bytewise(m, b"\x05\x00")
    assert m.data_to_send() == b"\x05\x01\x00\x03\x0bexample.com\x01\xbb"
    assert not m.established
    feed_bytewise(m, b"\x05\x00\x00\x01\x7f\x00\x00\x01\x04\x00")
    assert m.established and m.leftover == b"" and m.data_to_send() == b""


def test_socks5_username_password_rfc1929() -> None:
    m = Socks5Handshake("10.1.2.3", 80, username="üser", password="pw")
    assert m.data_to_send() == b"\x05\x02\x00\x02"
    m.receive_data(b"\x05\x02")
    assert m.data_to_send() == b"\x01\x05" + "üser".encode() + b"\x02pw"
    m.receive_data(b"\x01\x00")
    assert m.data_to_send() == b"\x05\x01\x00\x01\x0a\x01\x02\x03\x00\x50"
    # A domain-name bound address in the reply, and the first tunnel bytes in the same read.
    m.receive_data(b"\x05\x00\x00\x03\x04host\x00\x50" + b"first")
    assert m.established and m.leftover == b"first"


def test_socks5_ipv6_target() -> None:
    m = Socks5Handshake("::1", 8080)
    m.data_to_send()
    m.receive_data(b"\x05\x00")
    assert m.data_to_send() == b"\x05\x01\x00\x04" + b"\x00" * 15 + b"\x01\x1f\x90"
    m.receive_data(b"\x05\x00\x00\x04" + b"\x00" * 16 + b"\x00\x00")
    assert m.established


@pytest.mark.parametrize(("reply", "status"), [
    (b"\x05\x01", Cr.NS_ERROR_PROXY_BAD_GATEWAY),
    (b"\x05\x02", Cr.NS_ERROR_PROXY_FORBIDDEN),
    (b"\x05\x04", Cr.NS_ERROR_UNKNOWN_HOST),
    (b"\x05\x05", Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED),
    (b"\x05\x06", Cr.NS_ERROR_PROXY_GATEWAY_TIMEOUT),
    (b"\x05\x07", Cr.NS_ERROR_PROXY_CONNECTION_REFUSED),
    (b"\x05\x2a", Cr.NS_ERROR_PROXY_CONNECTION_REFUSED),
    (b"\x04\x00", Cr.NS_ERROR_PROXY_CONNECTION_REFUSED),
])
def test_socks5_reply_failures(reply: bytes, status: int) -> None:
    m = Socks5Handshake("example.com", 80)
    m.data_to_send()
    m.receive_data(b"\x05\x00")
    with pytest.raises(ProxyError) as e:
        m.receive_data(reply + b"\x00\x01\x00\x00\x00\x00\x00\x00")
    assert e.value.status == status


@pytest.mark.parametrize(("choice", "creds", "status"), [
    (b"\x05\xff", False, Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED),
    (b"\x05\x02", False, Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED),   # wants credentials we lack
    (b"\x05\x01", False, Cr.NS_ERROR_PROXY_CONNECTION_REFUSED),      # GSSAPI: never offered
    (b"\x04\x00", False, Cr.NS_ERROR_PROXY_CONNECTION_REFUSED),      # not SOCKS 5
])
def test_socks5_method_refusals(choice: bytes, creds: bool, status: int) -> None:
    m = Socks5Handshake("example.com", 80)
    m.data_to_send()
    with pytest.raises(ProxyError) as e:
        m.receive_data(choice)
    assert e.value.status == status


def test_socks5_credentials_refused_and_eof() -> None:
    m = Socks5Handshake("example.com", 80, username="u", password="p")
    m.data_to_send()
    m.receive_data(b"\x05\x02")
    with pytest.raises(ProxyError) as e:
        m.receive_data(b"\x01\x01")
    assert e.value.status == Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED
    with pytest.raises(ProxyError) as e:
        Socks5Handshake("a", 1).receive_eof()
    assert e.value.status == Cr.NS_ERROR_PROXY_CONNECTION_REFUSED


def test_socks5_limits() -> None:
    with pytest.raises(ProxyError):
        Socks5Handshake("a" * 256, 80)
    with pytest.raises(ProxyError):
        Socks5Handshake("a", 80, username="u" * 256)


# -- SOCKS 4 / 4a ---------------------------------------------------------------------------------


def test_socks4a_sends_the_name_after_the_user_id() -> None:
    m = Socks4Handshake("ws.example", 80, user_id="me")
    assert m.data_to_send() == b"\x04\x01\x00\x50\x00\x00\x00\x01me\x00ws.example\x00"
    feed_bytewise(m, b"\x00\x5a\x00\x00\x00\x00\x00\x00tail")
    assert m.established and m.leftover == b"tail"


def test_socks4_with_an_address() -> None:
    m = Socks4Handshake("127.0.0.1", 8080)
    assert m.data_to_send() == b"\x04\x01\x1f\x90\x7f\x00\x00\x01\x00"
    with pytest.raises(ProxyError) as e:
        m.receive_data(b"\x00\x5b\x00\x00\x00\x00\x00\x00")
    assert e.value.status == Cr.NS_ERROR_PROXY_CONNECTION_REFUSED
    m = Socks4Handshake("127.0.0.1", 1)
    with pytest.raises(ProxyError) as e:
        m.receive_data(b"\x00\x5d\x00\x00\x00\x00\x00\x00")
    assert e.value.status == Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED
    with pytest.raises(ProxyError):
        Socks4Handshake("::1", 80)


# -- CONNECT --------------------------------------------------------------------------------------------


def test_connect_request_and_200_in_pieces() -> None:
    hs = ConnectHandshake("[::1]:443", authorization="Basic dTpw")
    assert hs.request() == (b"CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n"
                            b"Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic dTpw\r\n\r\n")
    answer = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 Connection established\r\nProxy-agent: x\r\n\r\n"
    for i in range(len(answer) - 1):
        assert hs.receive_data(answer[i:i + 1]) is None
    assert hs.receive_data(answer[-1:]) == Established(200, b"")


def test_connect_407_challenges() -> None:
    hs = ConnectHandshake("h:1")
    hs.request()
    with pytest.raises(ProxyAuthRequired) as e:
        hs.receive_data(b'HTTP/1.1 407 Auth\r\nProxy-Authenticate: Negotiate\r\n'
                        b'Proxy-Authenticate: Basic realm="a \\"b\\""\r\nContent-Length: 2\r\n\r\nok')
    assert (e.value.realm, e.value.reusable, e.value.status) == ('a "b"', True,
                                                                 Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED)
    hs = ConnectHandshake("h:1")
    hs.request()
    with pytest.raises(ProxyAuthRequired) as e:
        hs.receive_data(b"HTTP/1.1 407 Auth\r\nProxy-Authenticate: Digest realm=x, nonce=y\r\n"
                        b"Content-Length: 0\r\nConnection: close\r\n\r\n")
    assert e.value.realm is None and not e.value.reusable


def test_connect_refusal_read_to_eof_and_garbage() -> None:
    hs = ConnectHandshake("h:1")
    hs.request()
    assert hs.receive_data(b"HTTP/1.0 502 Bad Gateway\r\n\r\nbody") is None  # body until EOF
    with pytest.raises(ProxyError) as e:
        hs.receive_eof()
    assert e.value.status == Cr.NS_ERROR_PROXY_BAD_GATEWAY
    hs = ConnectHandshake("h:1")
    hs.request()
    with pytest.raises(ProxyError) as e:
        hs.receive_data(b"\x05\x00 not http\r\n\r\n")
    assert e.value.status == Cr.NS_ERROR_PROXY_CONNECTION_REFUSED
    hs = ConnectHandshake("h:1")
    hs.request()
    with pytest.raises(ProxyError) as e:
        hs.receive_data(b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70000)
    assert e.value.status == Cr.NS_ERROR_PROXY_CONNECTION_REFUSED


def test_statuses_and_descriptions() -> None:
    assert status_for_http(407) == 0x804B0197
    assert status_for_http(502) == 0x804B01F6
    assert status_for_http(504) == 0x804B01F8
    assert status_for_http(302) == Cr.NS_ERROR_PROXY_CONNECTION_REFUSED == 0x804B0048
    assert Cr.NS_ERROR_UNKNOWN_PROXY_HOST == 0x804B002A
    assert describe_status(Cr.NS_ERROR_UNKNOWN_PROXY_HOST)
    assert describe_status(Cr.NS_OK) is None


# -- proxy URLs and host lists -------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), [
    ("proxy.example:3128", ("http", "proxy.example", 3128, 0, "", "")),
    ("HTTP://U%3A:p%40ss@Proxy.Example", ("http", "proxy.example", 80, 0, "U:", "p@ss")),
    ("https://p", ("https", "p", 443, 0, "", "")),
    ("socks5h://[::1]", ("socks", "::1", 1080, 1, "", "")),
    ("socks://s:9", ("socks", "s", 9, 1, "", "")),
    ("socks5://s", ("socks", "s", 1080, 0, "", "")),
    ("socks4a://s", ("socks4", "s", 1080, 1, "", "")),
    ("socks4://s", ("socks4", "s", 1080, 0, "", "")),
])
def test_proxy_urls(url: str, expected: tuple[object, ...]) -> None:
    p = proxy_info_from_url(url)
    assert (p.type, p.host, p.port, p.flags, p.username, p.password) == expected


@pytest.mark.parametrize("url", ["ftp://p", "http://p/path", "http://", "http://p:99999", 7])
def test_bad_proxy_urls(url: object) -> None:
    with pytest.raises(XPCOMError) as e:
        proxy_info_from_url(url)  # type: ignore[arg-type]
    assert e.value.result == Cr.NS_ERROR_MALFORMED_URI


@pytest.mark.parametrize(("rules", "host", "port", "bypass"), [
    ("example.com", "example.com", 80, True),
    ("example.com", "WWW.Example.COM.", 80, True),
    (".example.com", "example.com", 80, True),
    ("*.example.com", "a.example.com", 80, True),
    ("example.com", "badexample.com", 80, False),
    ("example.com:8080", "example.com", 80, False),
    ("example.com:8080", "example.com", 8080, True),
    ("192.168.0.0/16", "192.168.7.9", 1, True),
    ("192.168.0.0/16", "192.169.0.1", 1, False),
    ("::1", "::1", 1, True),
    ("[::1]:443", "::1", 443, True),
    ("[::1]:443", "::1", 80, False),
    ("fe80::/10", "fe80::1", 1, True),
    ("10.0.0.1", "10.0.0.1", 1, True),
    ("<local>", "intranet", 1, True),
    ("<local>", "10.0.0.1", 1, False),
    ("*", "anything.example", 1, True),
    ("a.example b.example,,c.example", "b.example", 1, True),
    ("", "example.com", 1, False),
    ("bogus:port", "bogus", 1, False),
])
def test_host_lists(rules: str, host: str, port: int, bypass: bool) -> None:
    assert HostList(rules).matches(host, port) is bypass


def test_environment_choice_order() -> None:
    env = {"https_proxy": "http://s:1", "HTTPS_PROXY": "http://S:2", "http_proxy": "http://h:3",
           "ALL_PROXY": "socks5h://a:4"}
    def pick(e: dict[str, str], secure: bool) -> object:
        p = environment_choice(e, secure, "x.example", 80)
        return None if p is None else (p.type, p.host, p.port)
    assert pick(env, True) == ("http", "s", 1)
    assert pick(env, False) == ("http", "h", 3)
    assert pick({"ALL_PROXY": "socks5h://a:4"}, True) == ("socks", "a", 4)
    assert pick({"https_proxy": ""}, True) is None
    assert pick({**env, "no_proxy": "x.example"}, True) is None
    with pytest.raises(XPCOMError) as e:
        environment_choice({"all_proxy": "gopher://g"}, False, "x", 80)
    assert e.value.result == Cr.NS_ERROR_UNKNOWN_PROXY_HOST and "all_proxy" in e.value.message
