"""nsIURI parsing, normalisation and RFC 3986 resolution, against tables of tricky inputs."""

from __future__ import annotations

import pytest
from zope.interface.verify import verifyObject

from components import Cc, Ci, Cr, XPCOMError, newURI
from components.uri import URI, remove_dot_segments

# spec -> (normalised spec, host, asciiHost, port, hostPort, pathQueryRef)
PARSES = {
    "ws://127.0.0.1:9001/chat?room=1": ("ws://127.0.0.1:9001/chat?room=1", "127.0.0.1", "127.0.0.1", 9001,
                                        "127.0.0.1:9001", "/chat?room=1"),
    # Empty path under an authority becomes "/"; scheme and host are lower-cased.
    "WSS://Example.COM": ("wss://example.com/", "example.com", "example.com", -1, "example.com", "/"),
    # Default ports read as -1 and vanish from the spec.
    "ws://h:80/": ("ws://h/", "h", "h", -1, "h", "/"),
    "wss://h:443/": ("wss://h/", "h", "h", -1, "h", "/"),
    "http://h:80/": ("http://h/", "h", "h", -1, "h", "/"),
    "https://h:443/x": ("https://h/x", "h", "h", -1, "h", "/x"),
    "ws://h:443/": ("ws://h:443/", "h", "h", 443, "h:443", "/"),
    # Port edge cases: 0 and 65535 are ports; an empty port is no port.
    "ws://h:0/": ("ws://h:0/", "h", "h", 0, "h:0", "/"),
    "ws://h:65535/": ("ws://h:65535/", "h", "h", 65535, "h:65535", "/"),
    "ws://h:/": ("ws://h/", "h", "h", -1, "h", "/"),
    "ws://h:0080/": ("ws://h/", "h", "h", -1, "h", "/"),
    # IPv6 literals: no brackets in host, brackets in hostPort and spec; compressed form.
    "ws://[::1]:9001/": ("ws://[::1]:9001/", "::1", "::1", 9001, "[::1]:9001", "/"),
    "ws://[0:0:0:0:0:0:0:1]/": ("ws://[::1]/", "::1", "::1", -1, "[::1]", "/"),
    "http://[2001:DB8::A]/": ("http://[2001:db8::a]/", "2001:db8::a", "2001:db8::a", -1, "[2001:db8::a]",
                              "/"),
    # IDN: Unicode host, punycode asciiHost and spec.
    "wss://Bücher.example/": ("wss://xn--bcher-kva.example/", "bücher.example", "xn--bcher-kva.example", -1,
                              "bücher.example", "/"),
    "http://xn--bcher-kva.example:8080/": ("http://xn--bcher-kva.example:8080/", "bücher.example",
                                           "xn--bcher-kva.example", 8080, "bücher.example:8080", "/"),
    # IPv4 spellings browsers accept are written in the one dotted-decimal form.
    "ws://127.1:9/": ("ws://127.0.0.1:9/", "127.0.0.1", "127.0.0.1", 9, "127.0.0.1:9", "/"),
    "ws://0x7f.0.0.1/": ("ws://127.0.0.1/", "127.0.0.1", "127.0.0.1", -1, "127.0.0.1", "/"),
    "ws://0177.0.0.01/": ("ws://127.0.0.1/", "127.0.0.1", "127.0.0.1", -1, "127.0.0.1", "/"),
    "ws://4294967295/": ("ws://255.255.255.255/", "255.255.255.255", "255.255.255.255", -1,
                         "255.255.255.255", "/"),
    "ws://1.2.3.4./": ("ws://1.2.3.4/", "1.2.3.4", "1.2.3.4", -1, "1.2.3.4", "/"),
    "ws://a.1b/": ("ws://a.1b/", "a.1b", "a.1b", -1, "a.1b", "/"),
    # Backslashes are slashes in special schemes, before the query.
    "http://h\\a\\b?x\\y": ("http://h/a/b?x%5Cy", "h", "h", -1, "h", "/a/b?x%5Cy"),
    # Escaped host octets name the same host.
    "http://ex%41mple.com/": ("http://example.com/", "example.com", "example.com", -1, "example.com", "/"),
    # Query and ref; path characters that need escaping are escaped as UTF-8.
    "http://h/a b/ü?q=ä b#frag ment": ("http://h/a%20b/%C3%BC?q=%C3%A4%20b#frag%20ment", "h", "h", -1, "h",
                                       "/a%20b/%C3%BC?q=%C3%A4%20b#frag%20ment"),
    "http://h?x": ("http://h/?x", "h", "h", -1, "h", "/?x"),
    # A URI parser is generic: ws and wss parse a fragment like any scheme (the channel refuses it).
    "ws://h/p#frag": ("ws://h/p#frag", "h", "h", -1, "h", "/p#frag"),
    "wss://h:8443/?q#f g": ("wss://h:8443/?q#f%20g", "h", "h", 8443, "h:8443", "/?q#f%20g"),
    "http://h/#": ("http://h/#", "h", "h", -1, "h", "/#"),
    "http://h/a/./b/../c": ("http://h/a/c", "h", "h", -1, "h", "/a/c"),
    # Surrounding whitespace and embedded tabs/newlines are dropped, as browsers do.
    "  ws://h/p\n\tq  ": ("ws://h/pq", "h", "h", -1, "h", "/pq"),
    # Browser leniency for special schemes without "//".
    "http:example.org/x": ("http://example.org/x", "example.org", "example.org", -1, "example.org", "/x"),
    # Other schemes parse generically; opaque ones have no host.
    "about:blank": ("about:blank", "", "", -1, "", "blank"),
    "mailto:someone@example.org": ("mailto:someone@example.org", "", "", -1, "", "someone@example.org"),
    "file:///tmp/x": ("file:///tmp/x", "", "", -1, "", "/tmp/x"),
    "custom://Host:7/p": ("custom://host:7/p", "host", "host", 7, "host:7", "/p"),
}


@pytest.mark.parametrize("spec", list(PARSES))
def test_parse_table(spec: str) -> None:
    expect = PARSES[spec]
    uri = newURI(spec)
    assert (uri.spec, uri.host, uri.asciiHost, uri.port, uri.hostPort, uri.pathQueryRef) == expect
    assert newURI(uri.spec).spec == uri.spec  # normalisation is a fixed point


MALFORMED = [
    "not a uri at all",
    "",
    "   ",
    "//host/path",  # relative, and no base
    "ws://h:65536/",
    "ws://h:99999999999999999999/",
    "ws://h:-1/",
    "ws://h:8o/",
    "ws://h:٣/",  # a non-ASCII digit is not a port digit
    "ws://[::1/",
    "ws://[zz::1]/",
    "ws://[::1]x/",
    "http://",
    "http:///x",
    "ws://a b/",
    "ws://a<b/",
    "http://münchen..de/",  # empty label in an international name
    "ws://256.0.0.1/",
    "ws://1.2.3.4.5/",
    "ws://4294967296/",
    "ws://example.123/",  # ends in a number, so it must be an address, and is not
    "ws://09/",  # a leading zero means octal
    "custom://h\\x/",  # outside special schemes a backslash is just a bad host character
    "1ws://h/",  # a scheme starts with a letter: this is a relative path, and there is no base
]


@pytest.mark.parametrize("spec", MALFORMED)
def test_malformed(spec: str) -> None:
    with pytest.raises(XPCOMError) as info:
        newURI(spec)
    assert info.value.result == Cr.NS_ERROR_MALFORMED_URI == 0x804B000A


def test_non_string_spec_is_malformed() -> None:
    with pytest.raises(XPCOMError) as info:
        newURI(None)  # type: ignore[arg-type]
    assert info.value.result == Cr.NS_ERROR_MALFORMED_URI


def test_userinfo_splits_at_the_last_at_sign() -> None:
    uri = newURI("ws://us@er:p@ss:w@example.org:81/x")
    assert uri.host == "example.org" and uri.port == 81
    assert uri.username == "us%40er"
    assert uri.password == "p%40ss:w"
    assert uri.userPass == "us%40er:p%40ss:w"
    assert uri.hasUserPass
    assert uri.prePath == "ws://us%40er:p%40ss:w@example.org:81"
    assert uri.spec == "ws://us%40er:p%40ss:w@example.org:81/x"
    plain = newURI("ws://user@h/")
    assert (plain.username, plain.password, plain.userPass) == ("user", "", "user")
    none = newURI("ws://h/")
    assert (none.username, none.password, none.userPass, none.hasUserPass) == ("", "", "", False)
    for empty in ("ws://@h/", "ws://:@h/"):
        assert newURI(empty).spec == "ws://h/" and not newURI(empty).hasUserPass
    only_password = newURI("ws://:secret@h/")
    assert (only_password.userPass, only_password.spec) == (":secret", "ws://:secret@h/")


def test_query_and_ref_parts() -> None:
    uri = newURI("https://h/a/b.txt?x=1&y#top")
    assert (uri.filePath, uri.query, uri.ref) == ("/a/b.txt", "x=1&y", "top")
    assert uri.hasQuery and uri.hasRef
    assert uri.specIgnoringRef == "https://h/a/b.txt?x=1&y"
    bare = newURI("https://h/a")
    assert (bare.query, bare.ref, bare.hasQuery, bare.hasRef) == ("", "", False, False)
    empty = newURI("https://h/a?#")
    assert (empty.query, empty.ref, empty.hasQuery, empty.hasRef) == ("", "", True, True)
    assert empty.spec == "https://h/a?#"


def test_display_forms_keep_unicode() -> None:
    uri = newURI("wss://user@bücher.example:8443/p")
    assert uri.asciiSpec == uri.spec == "wss://user@xn--bcher-kva.example:8443/p"
    assert uri.displaySpec == "wss://user@bücher.example:8443/p"
    assert uri.displayHost == "bücher.example"
    assert uri.displayHostPort == "bücher.example:8443"
    assert uri.displayPrePath == "wss://user@bücher.example:8443"
    assert uri.asciiHostPort == "xn--bcher-kva.example:8443"
    v6 = newURI("ws://[::1]:1/")
    assert (v6.asciiHostPort, v6.displayHostPort) == ("[::1]:1", "[::1]:1")


# RFC 3986 §5.4: reference resolution examples against http://a/b/c/d;p?q.
BASE = "http://a/b/c/d;p?q"
RFC3986_EXAMPLES = {
    # §5.4.1 normal examples
    "g:h": "g:h", "g": "http://a/b/c/g", "./g": "http://a/b/c/g", "g/": "http://a/b/c/g/",
    "/g": "http://a/g", "//g": "http://g/",  # RFC: "http://g"; the empty path normalises to "/"
    "?y": "http://a/b/c/d;p?y", "g?y": "http://a/b/c/g?y", "#s": "http://a/b/c/d;p?q#s",
    "g#s": "http://a/b/c/g#s", "g?y#s": "http://a/b/c/g?y#s", ";x": "http://a/b/c/;x",
    "g;x": "http://a/b/c/g;x", "g;x?y#s": "http://a/b/c/g;x?y#s", "": "http://a/b/c/d;p?q",
    ".": "http://a/b/c/", "./": "http://a/b/c/", "..": "http://a/b/", "../": "http://a/b/",
    "../g": "http://a/b/g", "../..": "http://a/", "../../": "http://a/", "../../g": "http://a/g",
    # §5.4.2 abnormal examples
    "../../../g": "http://a/g", "../../../../g": "http://a/g", "/./g": "http://a/g",
    "/../g": "http://a/g", "g.": "http://a/b/c/g.", ".g": "http://a/b/c/.g", "g..": "http://a/b/c/g..",
    "..g": "http://a/b/c/..g", "./../g": "http://a/b/g", "./g/.": "http://a/b/c/g/",
    "g/./h": "http://a/b/c/g/h", "g/../h": "http://a/b/c/h", "g;x=1/./y": "http://a/b/c/g;x=1/y",
    "g;x=1/../y": "http://a/b/c/y", "g?y/./x": "http://a/b/c/g?y/./x", "g?y/../x": "http://a/b/c/g?y/../x",
    "g#s/./x": "http://a/b/c/g#s/./x", "g#s/../x": "http://a/b/c/g#s/../x",
    "http:g": "http://a/b/c/g",  # the backward-compatible reading browsers use
}


@pytest.mark.parametrize("ref", list(RFC3986_EXAMPLES))
def test_rfc3986_resolution(ref: str) -> None:
    base = newURI(BASE)
    assert newURI(ref, base).spec == RFC3986_EXAMPLES[ref]
    assert base.resolve(ref) == RFC3986_EXAMPLES[ref]
    assert newURI(ref, BASE).spec == RFC3986_EXAMPLES[ref]  # a string base works too


def test_relative_resolution_for_websockets() -> None:
    base = newURI("wss://h:8443/a/b?x")
    assert newURI("c", base).spec == "wss://h:8443/a/c"
    assert newURI("//other/z", base).spec == "wss://other/z"
    assert newURI("ws://x/", base).spec == "ws://x/"
    # A fragment-only reference keeps the base's path and query (RFC 3986 §5.2.2).
    assert newURI("#frag", base).spec == "wss://h:8443/a/b?x#frag"
    assert newURI("wss://h/#", base).hasRef


def test_relative_against_an_opaque_base_is_malformed() -> None:
    with pytest.raises(XPCOMError) as info:
        newURI("x", newURI("mailto:a@b"))
    assert info.value.result == Cr.NS_ERROR_MALFORMED_URI
    assert newURI("#top", newURI("about:blank")).spec == "about:blank#top"


@pytest.mark.parametrize(("path", "expect"), [
    ("/a/b/c/./../../g", "/a/g"), ("mid/content=5/../6", "mid/6"), ("/..", "/"), ("../x", "x"),
    ("/a/..", "/"), (".", ""), ("/a/./", "/a/"),
])
def test_remove_dot_segments(path: str, expect: str) -> None:
    assert remove_dot_segments(path) == expect  # RFC 3986 §5.2.4 (first two are its examples)


def test_equality_and_scheme_checks() -> None:
    a = newURI("WS://H:80/p?q")
    b = newURI("ws://h/p?q")
    assert a.equals(b) and a == b and hash(a) == hash(b)
    assert not a.equals("ws://h/p?q")
    assert a.schemeIs("ws") and a.schemeIs("WS") and not a.schemeIs("wss") and not a.schemeIs("")
    c, d = newURI("http://h/p#x"), newURI("http://h/p#y")
    assert not c.equals(d) and c.equalsExceptRef(d)
    assert str(a) == "ws://h/p?q" and repr(a) == "<URI ws://h/p?q>"


def test_uris_are_immutable() -> None:
    uri = newURI("ws://h/")
    with pytest.raises(AttributeError):
        uri.spec = "ws://other/"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        uri.port = 1  # type: ignore[misc]


def test_io_service() -> None:
    io = Cc["@mozilla.org/network/io-service;1"].getService(Ci.nsIIOService)
    assert io is Cc["@mozilla.org/network/io-service;1"].getService()
    uri = io.newURI("ws://h/a")
    assert isinstance(uri, URI) and Ci.nsIURI.providedBy(uri)
    assert io.newURI("b", None, uri).spec == "ws://h/b"
    assert io.extractScheme("  WSS://x/") == "wss"
    with pytest.raises(XPCOMError) as info:
        io.extractScheme("no scheme here")
    assert info.value.result == Cr.NS_ERROR_MALFORMED_URI
    with pytest.raises(XPCOMError) as info:
        io.newURI("not a uri at all")
    assert info.value.result == Cr.NS_ERROR_MALFORMED_URI
    assert io.offline is False
    io.offline = True
    try:
        assert io.offline is True
    finally:
        io.offline = False


def test_conformance() -> None:
    uri = newURI("wss://u:p@bücher.example:1/p?q")
    assert verifyObject(Ci.nsIURI, uri)
    assert uri.QueryInterface(Ci.nsIURI) is uri
    assert verifyObject(Ci.nsIIOService, Cc["@mozilla.org/network/io-service;1"].getService())
    blank = Cc["@mozilla.org/network/standard-url;1"].createInstance(Ci.nsIURI)
    assert blank.spec == "about:blank"


@pytest.mark.parametrize(
    "host, expected",
    [
        ("127.0.0.1", "127.0.0.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("10.0.0.01", "10.0.0.1"),  # leading zero: octal, not the normal form
        ("010.0.0.1", "8.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("1.2.3.4.", "1.2.3.4"),
        ("0x7f.0.0.1", "127.0.0.1"),
    ],
)
def test_ipv4_hosts_normal_form_fast_path_and_slow_path_agree(host: str, expected: str) -> None:
    # Dotted quads already in normal form skip the rebuild; every other spelling is rebuilt.
    assert newURI(f"ws://{host}:9/").asciiHost == expected


def test_ipv4_out_of_range_dotted_quad_is_still_refused() -> None:
    with pytest.raises(XPCOMError):
        newURI("ws://256.1.1.1/")
