"""URIs (nsIURI) and the IO service that makes them.

Theory of operation
-------------------
:func:`newURI` trims the spec, splits it with the RFC 3986 Appendix B pattern,
resolves it against a base when it is relative (RFC 3986 §5.2, with
``remove_dot_segments``), then normalises each part:

* scheme and ASCII host lower-cased; a port equal to the scheme's default is
  dropped (``port`` reads -1, as in Firefox); ports above 65535 are malformed;
* IPv6 literals are validated and written in their compressed form; ``host``
  has no brackets, ``hostPort`` does; a host ending in a number is an IPv4
  address and is written dotted-decimal whatever the spelling (``127.1``,
  ``0x7f.0.0.1``), as browsers read it;
* IDN hosts are kept twice: ``host``/``displayHost`` in Unicode, ``asciiHost``
  (and ``spec``, which must be safe on the wire) in punycode via ``idna``;
* userinfo is split at the *last* ``@`` (browsers do; earlier ones are escaped
  as ``%40``), and at the first ``:`` into username and password;
* path, query and ref get percent-encoded where RFC 3986 does not allow a
  character (spaces, non-ASCII as UTF-8); existing escapes are kept as they are;
  an empty path under an authority becomes ``/``.

The special schemes (ws, wss, http, https, ftp) need a host, and a backslash
before their query is a slash.  As in browsers,
``http:host`` and ``http:/host`` mean ``http://host``, and ``http:g`` against an
``http`` base is a relative reference (RFC 3986 §5.4.2's backward-compatible
reading).  Other schemes parse generically; without ``//`` they are opaque
(``about:blank``, ``mailto:...``) and have no host.

A fragment is parsed for every scheme, ws and wss included: the parser is
generic.  RFC 6455 §3 says fragment identifiers MUST NOT be used on WebSocket
URIs, and that rule belongs to its users: the channel refuses such a URI in
asyncOpen and drops the fragment of a redirect's Location.

URIs are immutable, compare equal by spec and hash accordingly.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Final

import idna
from zope.interface import implementer

from components.interfaces import Ci
from components.manager import component
from components.results import Cr, XPCOMError

DEFAULT_PORTS: Final[dict[str, int]] = {"ws": 80, "wss": 443, "http": 80, "https": 443, "ftp": 21}
SPECIAL_SCHEMES: Final = frozenset(DEFAULT_PORTS)

_SPLIT = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
_SCHEME_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_HEX = re.compile(r"^[0-9A-Fa-f]{2}$")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_REG_NAME = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=%]*$")

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
_USERINFO_OK = _UNRESERVED | _SUB_DELIMS | frozenset(":%")
_PATH_OK = _UNRESERVED | _SUB_DELIMS | frozenset(":@/%")
_QUERY_OK = _PATH_OK | frozenset("?")


def _malformed(spec: str, why: str) -> XPCOMError:
    return XPCOMError(Cr.NS_ERROR_MALFORMED_URI, f"{why}: {spec!r}")


def _escape(text: str, allowed: frozenset[str]) -> str:
    out = []
    for ch in text:
        if ch in allowed:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    return "".join(out)


def remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4: remove ``.`` and ``..`` segments from *path*."""
    out: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./"):
            path = path[2:]
        elif path.startswith("/./"):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../"):
            path = path[3:]
            if out:
                out.pop()
        elif path == "/..":
            path = "/"
            if out:
                out.pop()
        elif path in (".", ".."):
            path = ""
        else:
            cut = path.find("/", 1)
            segment, path = (path, "") if cut == -1 else (path[:cut], path[cut:])
            out.append(segment)
    return "".join(out)


def _merge(base_has_authority: bool, base_path: str, ref_path: str) -> str:
    """RFC 3986 §5.2.3."""
    if base_has_authority and not base_path:
        return "/" + ref_path
    return base_path[: base_path.rfind("/") + 1] + ref_path


class _Parts:
    """The five components of RFC 3986; ``None`` means absent (not empty)."""

    __slots__ = ("scheme", "authority", "path", "query", "fragment")

    def __init__(self, scheme: str | None, authority: str | None, path: str,
                 query: str | None, fragment: str | None) -> None:
        self.scheme, self.authority, self.path = scheme, authority, path
        self.query, self.fragment = query, fragment


def _split(spec: str) -> _Parts:
    m = _SPLIT.match(spec)
    assert m is not None  # the pattern matches every string
    scheme = m.group(1)
    if scheme is not None and not _SCHEME.match(scheme):
        # "a b:c" is a relative path whose first segment has a colon, not a scheme.
        return _Parts(None, None, spec.split("?")[0].split("#")[0], m.group(4), m.group(5))
    return _Parts(scheme, m.group(2), m.group(3), m.group(4), m.group(5))


def _resolve(ref: _Parts, base: URI, spec: str) -> _Parts:
    """RFC 3986 §5.2.2, strict, with the §5.4.2 leniency for ``http:g`` on an http base."""
    if ref.scheme is not None and ref.scheme.lower() == base.scheme and ref.authority is None \
            and base.scheme in SPECIAL_SCHEMES:
        ref = _Parts(None, None, ref.path, ref.query, ref.fragment)
    if ref.scheme is not None:
        return _Parts(ref.scheme, ref.authority, remove_dot_segments(ref.path), ref.query, ref.fragment)
    b = _split(base.spec)
    if b.authority is None and not b.path.startswith("/") and (ref.path or ref.query is not None):
        raise _malformed(spec, f"cannot resolve a relative reference against {base.spec!r}")
    if ref.authority is not None:
        return _Parts(b.scheme, ref.authority, remove_dot_segments(ref.path), ref.query, ref.fragment)
    if not ref.path:
        query = ref.query if ref.query is not None else b.query
        return _Parts(b.scheme, b.authority, b.path, query, ref.fragment)
    if ref.path.startswith("/"):
        path = remove_dot_segments(ref.path)
    else:
        path = remove_dot_segments(_merge(b.authority is not None, b.path, ref.path))
    return _Parts(b.scheme, b.authority, path, ref.query, ref.fragment)


def _ipv4_part(text: str) -> int | None:
    """One dotted part as browsers read it: decimal, 0x hex or leading-zero octal."""
    if text[:2].lower() == "0x":
        digits, base = text[2:], 16
    elif len(text) > 1 and text.startswith("0"):
        digits, base = text[1:], 8
    else:
        digits, base = text, 10
    if not digits:
        return 0 if base == 16 else None
    try:
        return int(digits, base) if digits.isascii() and digits.isalnum() else None
    except ValueError:
        return None


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED_QUAD: Final = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}")


def _parse_ipv4(host: str, spec: str) -> str | None:
    """A host whose last label is a number is an IPv4 address (WHATWG URL): normalise it.

    "127.1" and "0x7f.0.0.1" are 127.0.0.1 to every browser and to inet_aton; keeping
    them as names would let two spellings of one address compare unequal.  ``None``
    when *host* is a name.
    """
    if _DOTTED_QUAD.fullmatch(host):
        return host  # already the normal form (the common case): no need to rebuild it
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    last = labels[-1]
    if _ipv4_part(last) is None and not (last.isascii() and last.isdigit()):
        return None
    numbers = [_ipv4_part(label) for label in labels]
    if len(numbers) > 4 or any(n is None for n in numbers):
        raise _malformed(spec, "bad IPv4 address")
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise _malformed(spec, "IPv4 address out of range")
    address = values[-1]
    for i, n in enumerate(values[:-1]):
        address += n << (8 * (3 - i))
    return str(ipaddress.IPv4Address(address))


def _parse_host(host: str, spec: str) -> tuple[str, str]:
    """-> (display host, ASCII host); IPv6 literals come back without brackets."""
    if host.startswith("["):
        if not host.endswith("]"):
            raise _malformed(spec, "unterminated IPv6 literal")
        try:
            addr = ipaddress.IPv6Address(host[1:-1])
        except ValueError as e:
            raise _malformed(spec, f"bad IPv6 literal ({e})") from e
        return str(addr), str(addr)
    if "%" in host:
        # Escaped hosts: decode so that "%41" and "A" name the same host.
        try:
            host = _unescape(host).decode("utf-8")
        except (UnicodeDecodeError, ValueError) as e:
            raise _malformed(spec, "bad escape in host") from e
    if host.isascii():
        if not _REG_NAME.match(host) or "%" in host:
            raise _malformed(spec, "bad character in host")
        v4 = _parse_ipv4(host, spec)
        if v4 is not None:
            return v4, v4
        ascii_host = host.lower()
        display = ascii_host
        if any(label.startswith("xn--") for label in ascii_host.split(".")):
            try:
                display = idna.decode(ascii_host)
            except idna.IDNAError:
                display = ascii_host
        return display, ascii_host
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as e:
        raise _malformed(spec, f"bad international host name ({e})") from e
    # The IPv4 rule applies to the mapped name too (WHATWG URL: domain to ASCII, then "ends in a
    # number"): fullwidth digits are an address, and a name ending in a number is no name.
    v4 = _parse_ipv4(ascii_host, spec)
    if v4 is not None:
        return v4, v4
    return idna.decode(ascii_host), ascii_host


def _unescape(text: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "%" and _HEX.match(text[i + 1 : i + 3]):
            out.append(int(text[i + 1 : i + 3], 16))
            i += 3
        else:
            out.extend(text[i].encode("utf-8"))
            i += 1
    return bytes(out)


@component(
    classID="{3f1c9e2a-7b4d-4e8f-a1c6-92d0b5e7f314}",
    contractIDs=("@mozilla.org/network/standard-url;1",),
    factory=lambda: newURI("about:blank"),
)
@implementer(Ci.nsIURI)
class URI:
    """An immutable parsed URI; make one with :func:`newURI`."""

    __slots__ = ("_scheme", "_username", "_password", "_has_userpass", "_host", "_ascii_host",
                 "_port", "_has_authority", "_path", "_query", "_ref")

    def __init__(self, spec: str, base: URI | None = None) -> None:
        if not isinstance(spec, str):
            raise XPCOMError(Cr.NS_ERROR_MALFORMED_URI, f"a URI spec is a string, not {type(spec).__name__}")
        # Browsers drop surrounding whitespace and controls, and tabs/newlines inside.
        text = re.sub(r"[\t\n\r]", "", spec.strip(_C0_AND_SPACE))
        head = _SCHEME_PREFIX.match(text)
        scheme_hint = head.group(1).lower() if head else (base.scheme if isinstance(base, URI) else "")
        if scheme_hint in SPECIAL_SCHEMES:
            # In special schemes a backslash before the query is a slash (as in browsers).
            cut = min((i for i in (text.find("?"), text.find("#")) if i != -1), default=len(text))
            text = text[:cut].replace("\\", "/") + text[cut:]
        parts = _split(text)
        if base is not None:
            if not isinstance(base, URI):
                base = newURI(str(getattr(base, "spec", base)))
            parts = _resolve(parts, base, spec)
        elif parts.scheme is None:
            raise _malformed(spec, "no scheme (and no base URI to resolve against)")
        scheme = (parts.scheme or "").lower()
        if scheme in SPECIAL_SCHEMES and parts.authority is None:
            # "http:host/p" and "http:/host/p" mean "http://host/p" (as in browsers).
            rest = parts.path.lstrip("/")
            cut = len(rest) if "/" not in rest else rest.index("/")
            parts = _Parts(scheme, rest[:cut], rest[cut:], parts.query, parts.fragment)
        self._scheme = scheme
        self._username = self._password = ""
        self._has_userpass = False
        self._host = self._ascii_host = ""
        self._port = -1
        self._has_authority = parts.authority is not None
        if parts.authority is not None:
            self._parse_authority(parts.authority, spec)
            if scheme in SPECIAL_SCHEMES and not self._ascii_host:
                raise _malformed(spec, f"a {scheme} URI needs a host")
        path = parts.path
        if self._has_authority:
            path = remove_dot_segments(path)
            if not path:
                path = "/"
            elif not path.startswith("/"):
                path = "/" + path
        elif path.startswith("//"):
            # Without an authority, a path that starts with "//" would read back as one (a
            # resolved "a:/x/..//y" gives "//y"): WHATWG URL's "/." prefix keeps it a path.
            path = "/." + path
        self._path = _escape(path, _PATH_OK)
        self._query = None if parts.query is None else _escape(parts.query, _QUERY_OK)
        self._ref = None if parts.fragment is None else _escape(parts.fragment, _QUERY_OK)

    def _parse_authority(self, authority: str, spec: str) -> None:
        userinfo, at, hostport = authority.rpartition("@")
        if at:
            user, colon, password = userinfo.partition(":")
            self._username = _escape(user, _USERINFO_OK - {":"})
            self._password = _escape(password, _USERINFO_OK) if colon else ""
            # "ws://@h/" and "ws://:@h/" carry nothing: they normalise to "ws://h/".
            self._has_userpass = bool(self._username or self._password)
        if hostport.startswith("["):
            close = hostport.find("]")
            host, rest = (hostport, "") if close == -1 else (hostport[: close + 1], hostport[close + 1 :])
            if rest and not rest.startswith(":"):
                raise _malformed(spec, "junk after an IPv6 literal")
            port = rest[1:] if rest else None
        else:
            host, colon, port_text = hostport.partition(":")
            port = port_text if colon else None
        if port:
            if not port.isascii() or not port.isdigit():
                raise _malformed(spec, f"bad port {port!r}")
            number = int(port)
            if number > 65535:
                raise _malformed(spec, f"port {number} out of range")
            self._port = -1 if number == DEFAULT_PORTS.get(self._scheme) else number
        self._host, self._ascii_host = _parse_host(host, spec) if host else ("", "")

    # -- the parts --------------------------------------------------------------------------

    @property
    def scheme(self) -> str:
        return self._scheme

    @property
    def username(self) -> str:
        return self._username

    @property
    def password(self) -> str:
        return self._password

    @property
    def userPass(self) -> str:
        if not self._has_userpass:
            return ""
        return f"{self._username}:{self._password}" if self._password else self._username

    @property
    def hasUserPass(self) -> bool:
        return bool(self._username or self._password)

    @property
    def host(self) -> str:
        return self._host

    @property
    def asciiHost(self) -> str:
        return self._ascii_host

    @property
    def displayHost(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        return self._port

    def _host_port(self, host: str) -> str:
        if ":" in host:  # an IPv6 literal gets its brackets back
            host = f"[{host}]"
        return host if self._port == -1 else f"{host}:{self._port}"

    @property
    def hostPort(self) -> str:
        return self._host_port(self._host)

    @property
    def asciiHostPort(self) -> str:
        return self._host_port(self._ascii_host)

    @property
    def displayHostPort(self) -> str:
        return self._host_port(self._host)

    @property
    def filePath(self) -> str:
        return self._path

    @property
    def query(self) -> str:
        return self._query or ""

    @property
    def hasQuery(self) -> bool:
        return self._query is not None

    @property
    def ref(self) -> str:
        return self._ref or ""

    @property
    def hasRef(self) -> bool:
        return self._ref is not None

    # -- composed forms ---------------------------------------------------------------------

    def _pre_path(self, host: str) -> str:
        if not self._has_authority:
            return f"{self._scheme}:"
        userinfo = f"{self.userPass}@" if self._has_userpass else ""
        return f"{self._scheme}://{userinfo}{self._host_port(host)}"

    @property
    def prePath(self) -> str:
        return self._pre_path(self._ascii_host)

    @property
    def displayPrePath(self) -> str:
        return self._pre_path(self._host)

    @property
    def pathQueryRef(self) -> str:
        return self._path + self._tail(with_ref=True)

    def _tail(self, with_ref: bool) -> str:
        tail = "" if self._query is None else f"?{self._query}"
        if with_ref and self._ref is not None:
            tail += f"#{self._ref}"
        return tail

    @property
    def spec(self) -> str:
        return self.prePath + self.pathQueryRef

    @property
    def asciiSpec(self) -> str:
        return self.spec

    @property
    def displaySpec(self) -> str:
        return self.displayPrePath + self.pathQueryRef

    @property
    def specIgnoringRef(self) -> str:
        return self.prePath + self._path + self._tail(with_ref=False)

    # -- methods ----------------------------------------------------------------------------

    def equals(self, other: Any) -> bool:
        return isinstance(other, URI) and other.spec == self.spec

    def equalsExceptRef(self, other: Any) -> bool:
        return isinstance(other, URI) and other.specIgnoringRef == self.specIgnoringRef

    def schemeIs(self, scheme: str) -> bool:
        return bool(scheme) and scheme.lower() == self._scheme

    def resolve(self, relativePath: str) -> str:
        return URI(relativePath, self).spec

    def __eq__(self, other: object) -> bool:
        return self.equals(other)

    def __hash__(self) -> int:
        return hash(self.spec)

    def __str__(self) -> str:
        return self.spec

    def __repr__(self) -> str:
        return f"<URI {self.spec}>"


def newURI(spec: str, base: URI | str | None = None) -> URI:
    """Parse *spec*, relative to *base* when given; ``NS_ERROR_MALFORMED_URI`` if it is not a URI."""
    if isinstance(base, str):
        base = URI(base)
    return URI(spec, base)


@component(
    classID="{a7d5e3c1-0b8f-4f62-9e14-5c2b8d9a6f07}",
    contractIDs=("@mozilla.org/network/io-service;1",),
)
@implementer(Ci.nsIIOService)
class IOService:
    def __init__(self) -> None:
        self._offline = False

    def newURI(self, aSpec: str, aOriginCharset: str | None = None, aBaseURI: URI | None = None) -> URI:
        # Specs are Python strings: the origin charset only mattered for byte strings in Gecko.
        return newURI(aSpec, aBaseURI)

    def extractScheme(self, urlString: str) -> str:
        parts = _split(urlString.strip())
        if parts.scheme is None:
            raise _malformed(urlString, "no scheme")
        return parts.scheme.lower()

    @property
    def offline(self) -> bool:
        return self._offline

    @offline.setter
    def offline(self, value: bool) -> None:
        self._offline = bool(value)
