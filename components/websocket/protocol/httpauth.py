"""HTTP authentication for the opening handshake: challenges in, Authorization out; no I/O.

* :func:`parse_challenges` reads ``WWW-Authenticate`` (or ``Proxy-Authenticate``)
  values into :class:`Challenge` objects (RFC 9110 §11.6.1: a value may hold several
  challenges, each a scheme followed by a token68 or by comma-separated auth-params,
  quoted strings unescaped);
* :func:`choose_challenge` picks the strongest one this module can answer: Digest
  with SHA-256, then Digest with MD5, then Basic (RFC 7616 §3.7: the client uses the
  strongest algorithm it understands);
* :func:`basic_authorization` (RFC 7617, UTF-8) and :func:`digest_authorization`
  (RFC 7616: MD5, SHA-256 and their ``-sess`` variants, qop ``auth`` or, for a GET
  without a body, ``auth-int``; RFC 2069's answer when the challenge has no qop;
  ``userhash``; ``username*`` for a name beyond ASCII) build the answer.

The client nonce is the caller's (``os.urandom`` at the edge, a fixed one in tests).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import quote

__all__ = [
    "Challenge",
    "basic_authorization",
    "choose_challenge",
    "digest_authorization",
    "parse_challenges",
]

_TOKEN: Final = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
# One element of a challenge list: a token (a scheme, a token68 or a parameter name)
# followed optionally by "=" and a token or quoted string; or a lone comma.
_ELEMENT_RE: Final = re.compile(
    rf"""\s*(?:
        (?P<comma>,)
      | (?P<name>{_TOKEN})\s*=\s*(?:(?P<token>{_TOKEN})|"(?P<quoted>(?:[^"\\]|\\.)*)")
      | (?P<t68>[A-Za-z0-9\-._~+/]+=*)(?=\s*(?:,|$))
      | (?P<word>{_TOKEN})
    )""",
    re.VERBOSE,
)

#: Digest algorithms by their RFC 7616 names (upper-case) -> hash function.
_DIGEST_HASHES: Final[dict[str, Callable[[bytes], str]]] = {
    "MD5": lambda b: hashlib.md5(b).hexdigest(),
    "SHA-256": lambda b: hashlib.sha256(b).hexdigest(),
}


@dataclass(frozen=True, slots=True)
class Challenge:
    """One challenge: the scheme (lower-case) and its parameters (names lower-case)."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict)
    token68: str = ""

    @property
    def realm(self) -> str:
        return self.params.get("realm", "")

    @property
    def algorithm(self) -> str:
        """The Digest algorithm, upper-case (MD5 when the challenge names none)."""
        return self.params.get("algorithm", "MD5").upper()


def parse_challenges(values: Iterable[str]) -> list[Challenge]:
    """The challenges of every ``WWW-Authenticate`` value, in order; unparseable rest skipped."""
    found: list[Challenge] = []
    for value in values:
        scheme = ""
        params: dict[str, str] = {}
        token68 = ""
        after_scheme = False  # a token68 may only follow its scheme directly
        pos = 0
        while pos < len(value):
            m = _ELEMENT_RE.match(value, pos)
            if m is None or m.end() == pos:
                break  # not the grammar: keep what was read so far
            pos = m.end()
            if m["comma"]:
                after_scheme = False
                continue
            if m["t68"] is not None and after_scheme:
                token68, after_scheme = m["t68"], False
                continue
            if m["word"] is not None or m["t68"] is not None:
                # A bare token starts the next challenge.
                if scheme:
                    found.append(Challenge(scheme, params, token68))
                scheme, params, token68 = (m["word"] or m["t68"]).lower(), {}, ""
                after_scheme = True
                continue
            after_scheme = False
            if scheme:  # (parameters with no scheme in front of them are dropped)
                raw = m["token"] if m["token"] is not None else re.sub(r"\\(.)", r"\1", m["quoted"])
                params.setdefault(m["name"].lower(), raw)
        if scheme:
            found.append(Challenge(scheme, params, token68))
    return found


def _rank(challenge: Challenge) -> int:
    if challenge.scheme == "digest" and challenge.params.get("nonce"):
        base = challenge.algorithm.removesuffix("-SESS")
        qops = _qops(challenge)
        if base in _DIGEST_HASHES and (qops is None or qops & {"auth", "auth-int"}):
            return 3 if base == "SHA-256" else 2
    if challenge.scheme == "basic":
        return 1
    return 0


def choose_challenge(challenges: Iterable[Challenge]) -> Challenge | None:
    """The strongest challenge we can answer (Digest SHA-256 > Digest MD5 > Basic), or None."""
    best: Challenge | None = None
    best_rank = 0
    for c in challenges:
        rank = _rank(c)
        if rank > best_rank:
            best, best_rank = c, rank
    return best


def basic_authorization(username: str, password: str) -> str:
    """``Basic`` credentials (RFC 7617 §2; the user-id and password as UTF-8, §2.1)."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def _qops(challenge: Challenge) -> set[str] | None:
    qop = challenge.params.get("qop")
    if qop is None:
        return None
    return {q.strip().lower() for q in qop.split(",") if q.strip()}


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def digest_authorization(
    challenge: Challenge,
    username: str,
    password: str,
    *,
    method: str,
    uri: str,
    cnonce: str,
    nc: int = 1,
) -> str:
    """The ``Digest`` answer to *challenge* (RFC 7616 §3.4) for a request without a body.

    *uri* is the request-target, *cnonce* the client nonce, *nc* the count of
    requests made with this nonce.  ValueError for a challenge that
    :func:`choose_challenge` would not pick.
    """
    algorithm = challenge.algorithm
    session = algorithm.endswith("-SESS")
    h = _DIGEST_HASHES.get(algorithm.removesuffix("-SESS"))
    nonce = challenge.params.get("nonce", "")
    if h is None or not nonce:
        raise ValueError(f"cannot answer a Digest challenge with algorithm {algorithm!r}")
    realm = challenge.realm
    qops = _qops(challenge)
    qop = None if qops is None else "auth" if "auth" in qops else "auth-int" if "auth-int" in qops else ""
    if qop == "":
        raise ValueError(f"no quality of protection we support in {challenge.params.get('qop')!r}")
    nc_value = f"{nc:08x}"

    def hx(*parts: str) -> str:
        return h(":".join(parts).encode("utf-8"))

    ha1 = hx(username, realm, password)
    if session:
        ha1 = hx(ha1, nonce, cnonce)  # §3.4.2
    ha2 = hx(method, uri) if qop != "auth-int" else hx(method, uri, h(b""))  # §3.4.3; no body
    if qop is None:
        response = hx(ha1, nonce, ha2)  # RFC 2069 compatibility
    else:
        response = hx(ha1, nonce, nc_value, cnonce, qop, ha2)  # §3.4.1

    userhash = challenge.params.get("userhash", "").lower() == "true"
    if userhash:
        user_field = "username=" + _quoted(hx(username, realm))  # §3.4.4
    elif username.isascii():
        user_field = "username=" + _quoted(username)
    else:
        user_field = "username*=UTF-8''" + quote(username, safe="")  # §3.4.4, RFC 8187
    fields = [
        user_field,
        "realm=" + _quoted(realm),
        "uri=" + _quoted(uri),
        "algorithm=" + challenge.params.get("algorithm", "MD5"),
        "nonce=" + _quoted(nonce),
    ]
    if qop is not None:
        fields += [f"nc={nc_value}", "cnonce=" + _quoted(cnonce), f"qop={qop}"]
    fields.append("response=" + _quoted(response))
    if "opaque" in challenge.params:
        fields.append("opaque=" + _quoted(challenge.params["opaque"]))
    if userhash:
        fields.append("userhash=true")
    return "Digest " + ", ".join(fields)
