"""Target ``uri``: the URI parser (components/uri.py ``newURI``).

One input is text (UTF-8, with undecodable bytes kept as lone surrogates, which a Python
string can hold).  Byte 0 picks the mode: bit 0 clear, the rest is one spec; set, it is a
base and a reference separated by the first NUL, and the reference is resolved against the
base (both ``newURI(ref, base)`` and ``base.resolve(ref)``).

A crash is:

* any exception but ``XPCOMError`` NS_ERROR_MALFORMED_URI (from ``newURI`` or ``resolve``);
* a URI whose attributes cannot all be read (every nsIURI attribute, ``equals``,
  ``equalsExceptRef``, ``schemeIs``, ``hash``), or whose ``spec`` is not stable: parsing
  ``spec`` again must give a URI with the same ``spec`` (normalisation is idempotent) that
  ``equals`` the first; ``asciiSpec`` must be ASCII;
* a hang (1 s CPU) or more than 1 MiB + 256 x the input's length allocated at peak.
"""

from __future__ import annotations

from components.results import Cr, XPCOMError
from components.uri import URI, newURI
from fuzz.engine import Crash

INSTRUMENT = ("components.uri", "idna")
MAX_LEN = 2048


ATTRIBUTES = ("spec", "prePath", "scheme", "userPass", "username", "password", "hostPort", "host",
              "port", "pathQueryRef", "asciiSpec", "asciiHostPort", "asciiHost", "ref", "hasRef",
              "specIgnoringRef", "hasUserPass", "filePath", "query", "hasQuery", "displaySpec",
              "displayHostPort", "displayHost", "displayPrePath")


def _parse(spec: str, base: URI | None = None) -> URI | None:
    try:
        return newURI(spec, base)
    except XPCOMError as exc:
        if exc.result != Cr.NS_ERROR_MALFORMED_URI:
            raise Crash(f"newURI raised {exc}") from None
        return None


def _check(uri: URI, origin: str) -> None:
    for name in ATTRIBUTES:
        getattr(uri, name)
    hash(uri)
    uri.schemeIs(uri.scheme)
    uri.equalsExceptRef(uri)
    spec = uri.spec
    if not uri.asciiSpec.isascii():
        raise Crash(f"asciiSpec {uri.asciiSpec!r} is not ASCII")
    again = _parse(spec)
    if again is None:
        raise Crash(f"{origin!r} -> {spec!r}, which does not parse")
    if again.spec != spec or not again.equals(uri):
        raise Crash(f"{origin!r} -> {spec!r} -> {again.spec!r}: not stable")


def one_input(data: bytes) -> None:
    if not data:
        return
    text = data[1:].decode("utf-8", "surrogateescape")
    if data[0] & 1 and "\x00" in text:
        base_text, ref = text.split("\x00", 1)
        base = _parse(base_text)
        if base is None:
            return
        _check(base, base_text)
        uri = _parse(ref, base)
        if uri is not None:
            _check(uri, ref)
        try:
            resolved = base.resolve(ref)
        except XPCOMError as exc:
            if exc.result != Cr.NS_ERROR_MALFORMED_URI:
                raise Crash(f"resolve raised {exc}") from None
            return
        if not isinstance(resolved, str):
            raise Crash(f"resolve returned {resolved!r}")
        return
    uri = _parse(text)
    if uri is not None:
        _check(uri, text)


def memory_bound(data: bytes) -> int:
    return (1 << 20) + 256 * len(data)


def seeds() -> dict[str, bytes]:
    specs = [
        "ws://127.0.0.1:9001/chat?x=1",
        "wss://user:pa%20ss@Example.COM:443/a/../b/./c?q#frag",
        "ws://[::1]:80/",
        "wss://[2001:db8::0:1]/p",
        "ws://0x7f.1/",
        "ws://127.1:65535",
        "http://bücher.example/ä?ö#ü",
        "https://xn--bcher-kva.example/",
        "ws:host/path",
        "http:\\\\host\\a\\b?c\\d",
        "about:blank",
        "mailto:someone@example.org",
        "file:///etc/passwd",
        "  ws://h/\t\n  ",
        "ws://a@b@c/",
        "ws://h:99999/",
        "ws://%41%42/",
        "ftp://h/%zz%",
        "x-custom+scheme.1://auth/p",
    ]
    out = {f"spec-{i}": b"\x00" + s.encode() for i, s in enumerate(specs)}
    pairs = [("http://a/b/c/d;p?q", "../../g"), ("http://a/b/c/d;p?q", "g?y#s"),
             ("ws://h/dir/", "//other/x"), ("about:blank", "x"), ("http://a/b", "http:g"),
             ("wss://h/a", "?only-query"), ("ws://h/a/b", "../../../../x"), ("http://a/", "#f")]
    for i, (base, ref) in enumerate(pairs):
        out[f"resolve-{i}"] = b"\x01" + base.encode() + b"\x00" + ref.encode()
    return out
