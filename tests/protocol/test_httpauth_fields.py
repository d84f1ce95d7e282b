"""The sans-I/O HTTP pieces of the handshake: challenges and answers (httpauth), extra fields (httpfields)."""

from __future__ import annotations

import re
import urllib.request
from dataclasses import replace

import pytest

from components.websocket.protocol.handshake import Accepted, ClientHandshake, HandshakeError, Redirect
from components.websocket.protocol.httpauth import (
    Challenge,
    basic_authorization,
    choose_challenge,
    digest_authorization,
    parse_challenges,
)
from components.websocket.protocol.httpfields import FieldRefused, HeaderList, check_field

# -- challenges ------------------------------------------------------------------------------------


def test_parse_several_challenges_in_one_and_several_values() -> None:
    got = parse_challenges([
        'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
        "Negotiate YWJjZA==, Bearer",
        'Digest realm="d", nonce="n,1", qop="auth, auth-int", algorithm=SHA-256',
    ])
    assert got == [
        Challenge("newauth", {"realm": "apps", "type": "1", "title": 'Login to "apps"'}),
        Challenge("basic", {"realm": "simple"}),
        Challenge("negotiate", {}, "YWJjZA=="),
        Challenge("bearer", {}),
        Challenge("digest", {"realm": "d", "nonce": "n,1", "qop": "auth, auth-int", "algorithm": "SHA-256"}),
    ]


@pytest.mark.parametrize("value", ["", ",,,", "=", 'realm="x"', '"unterminated', "Basic realm=\"x", "\x00"])
def test_garbage_gives_no_answerable_challenge(value: str) -> None:
    assert choose_challenge(parse_challenges([value])) in (None, Challenge("basic", {}))


def test_the_strongest_challenge_wins() -> None:
    basic = Challenge("basic", {"realm": "r"})
    md5 = Challenge("digest", {"nonce": "n"})
    sha = Challenge("digest", {"nonce": "n", "algorithm": "SHA-256-sess"})
    unknown = Challenge("digest", {"nonce": "n", "algorithm": "SHA-512-256"})
    int_only = Challenge("digest", {"nonce": "n", "qop": "auth-conf"})
    assert choose_challenge([basic, md5, sha]) is sha
    assert choose_challenge([basic, md5]) is md5
    assert choose_challenge([unknown, int_only, basic]) is basic
    assert choose_challenge([unknown, Challenge("bearer")]) is None


def test_basic_rfc7617_example_and_utf8() -> None:
    assert basic_authorization("Aladdin", "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    assert basic_authorization("test", "123\xa3") == "Basic dGVzdDoxMjPCow=="  # RFC 7617 §2.1


# RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
_RFC7616 = Challenge("digest", {
    "realm": "http-auth@example.org", "qop": "auth, auth-int", "algorithm": "SHA-256",
    "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    "opaque": "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
})
_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"


def _fields(header: str) -> dict[str, str]:
    assert header.startswith("Digest ")
    return {k: a or b for k, a, b in re.findall(r'([\w*]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', header)}


@pytest.mark.parametrize(
    ("algorithm", "response"),
    [
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
    ],
)
def test_digest_rfc7616_examples(algorithm: str, response: str) -> None:
    challenge = replace(_RFC7616, params={**_RFC7616.params, "algorithm": algorithm})
    header = digest_authorization(
        challenge, "Mufasa", "Circle of Life", method="GET", uri="/dir/index.html", cnonce=_CNONCE
    )
    f = _fields(header)
    assert f["response"] == response
    assert (f["username"], f["qop"], f["nc"]) == ("Mufasa", "auth", "00000001")
    assert f["opaque"] == _RFC7616.params["opaque"]


def test_digest_md5_agrees_with_urllib() -> None:
    params = {"realm": "r@h", "nonce": "abc123", "qop": "auth", "algorithm": "MD5", "opaque": "xyz"}
    passwords = urllib.request.HTTPPasswordMgr()
    passwords.add_password("r@h", "http://h/", "user", "pa ss")
    handler = urllib.request.AbstractDigestAuthHandler(passwords)
    handler.get_cnonce = lambda nonce: "0a4f113b"  # type: ignore[method-assign]
    theirs = handler.get_authorization(urllib.request.Request("http://h/chat?room=1"), dict(params))
    ours = digest_authorization(
        Challenge("digest", params), "user", "pa ss", method="GET", uri="/chat?room=1", cnonce="0a4f113b"
    )
    assert _fields(ours)["response"] == _fields("Digest " + theirs)["response"]


def test_digest_without_qop_userhash_and_non_ascii_names() -> None:
    legacy = digest_authorization(
        Challenge("digest", {"realm": "r", "nonce": "n"}), "u", "p", method="GET", uri="/", cnonce="c"
    )
    f = _fields(legacy)
    import hashlib

    md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
    assert f["response"] == md5(f"{md5('u:r:p')}:n:{md5('GET:/')}")  # RFC 2069
    assert "qop" not in f and "nc" not in f

    hashed = _fields(digest_authorization(
        Challenge("digest", {"realm": "r", "nonce": "n", "userhash": "true", "qop": "auth"}),
        "u", "p", method="GET", uri="/", cnonce="c",
    ))
    assert hashed["username"] == md5("u:r") and hashed["userhash"] == "true"
    wide = _fields(digest_authorization(
        Challenge("digest", {"realm": "r", "nonce": "n", "qop": "auth"}), "J\xe4s\xf8n", "p", method="GET",
        uri="/", cnonce="c",
    ))
    assert wide["username*"] == "UTF-8''J%C3%A4s%C3%B8n"  # RFC 7616 §3.4.4
    with pytest.raises(ValueError):
        digest_authorization(Challenge("digest", {"nonce": "n", "algorithm": "X"}), "u", "p", method="GET",
                             uri="/", cnonce="c")


# -- extra fields --------------------------------------------------------------------------------------


def test_header_list_merge_rules() -> None:
    h = HeaderList()
    h.set("X-A", "1")
    h.set("x-a", "2", merge=True)
    h.set("Cookie", "a=1")
    h.set("cookie", "b=2", merge=True)
    h.set("X-B", "", merge=True)  # merging nothing into nothing: still absent
    assert h.items() == [("X-A", "1, 2"), ("Cookie", "a=1; b=2")]
    h.set("X-A", "", merge=False)
    assert "X-A" not in h and h.get("x-a") is None and len(h) == 1
    copy = h.copy()
    copy.set("Cookie", "c=3")
    assert h.get("Cookie") == "a=1; b=2"


@pytest.mark.parametrize("name", ["Host", "Sec-WebSocket-Anything", "PROXY-AUTHORIZATION", "Origin", "te"])
def test_owned_fields(name: str) -> None:
    with pytest.raises(FieldRefused):
        check_field(name, "x")


def test_values_are_trimmed_and_latin1() -> None:
    assert check_field("X", " \t v a \t") == "v a"
    assert check_field("X", "\xff\x80") == "\xff\x80"
    for bad in ("\u0100", "a\tb\x01", "\x7f"):
        with pytest.raises(FieldRefused):
            check_field("X", bad)


# -- the handshake's extra fields and its response head ----------------------------------------------

_KEY = "dGhlIHNhbXBsZSBub25jZQ=="


def test_extra_fields_go_through_the_template_as_h11_would_write_them() -> None:
    extra = [("User-Agent", "xpcom-websocket/0.1"), ("X-Trace", "a b"), ("Cookie", "a=1; b=2")]
    fast = ClientHandshake("h:1", "/p?q", origin="o", extra_headers=extra, key=_KEY)
    slow = ClientHandshake("h:1", "/p?q", origin="o", extra_headers=extra, key=_KEY)
    assert fast.request() == slow._request_via_h11()
    latin = ClientHandshake("h", extra_headers=[("X", "caf\xe9")], key=_KEY).request()
    assert b"\r\nX: caf\xe9\r\n" in latin
    for bad in ([("Bad Name", "x")], [("X", "a\r\nY: z")], [("X", "\u20ac")]):
        with pytest.raises(ValueError):
            ClientHandshake("h", extra_headers=bad, key=_KEY).request()


def _started() -> ClientHandshake:
    hs = ClientHandshake("h", key=_KEY)
    hs.request()
    return hs


def test_the_response_head_is_kept_for_every_outcome() -> None:
    hs = _started()
    assert hs.response is None
    result = hs.receive_data(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSet-Cookie: a=1\r\n\r\n"
    )
    assert isinstance(result, Accepted)
    assert hs.response is not None
    assert (hs.response.status, hs.response.reason) == (101, "Switching Protocols")
    assert ("set-cookie", "a=1") in hs.response.headers

    hs = _started()
    found = hs.receive_data(b"HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n")
    assert isinstance(found, Redirect)
    assert hs.response is not None and hs.response.status == 302

    hs = _started()
    with pytest.raises(HandshakeError):
        hs.receive_data(
            b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="r"\r\nContent-Length: 0\r\n\r\n'
        )
    assert hs.response is not None and hs.response.headers == (("www-authenticate", 'Basic realm="r"'),
                                                                ("content-length", "0"))
