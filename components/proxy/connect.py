"""HTTP CONNECT (RFC 9110 §9.3.6), the client side, sans I/O.

Theory of operation
-------------------
:class:`ConnectHandshake` writes one ``CONNECT host:port HTTP/1.1`` request and
reads the proxy's answer with h11.  A 2xx means the tunnel is up: from then on
the connection carries the origin's bytes, and whatever came after the
response head (nothing, since the client speaks first in both WebSocket and
TLS) is handed back as ``leftover``.  Any other status raises
:class:`~components.proxy.status.ProxyError` with Firefox's nsresult for it --
except 407, which raises :class:`ProxyAuthRequired` carrying the realm of the
proxy's Basic challenge (None when it offers no Basic) and whether the same
connection can carry a second attempt (the 407's body was read to its end and
the proxy did not close).

The caller owns the policy: where credentials come from, and that a 407 is
answered once (a second one is a failure).  Firefox sends CONNECT for ws: as
well as wss:; so do we.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import h11

from components.proxy.status import ProxyError, status_for_http
from components.results import Cr
from components.websocket.protocol.httpauth import parse_challenges

__all__ = ["ConnectHandshake", "Established", "ProxyAuthRequired"]

#: Upper bound on a proxy's answer (head and the body of a refusal) before we give up.
MAX_RESPONSE_BYTES: Final = 65536


def _basic_realm(values: list[bytes]) -> str | None:
    """The realm of the proxy's Basic challenge among its Proxy-Authenticate values; None without one."""
    for challenge in parse_challenges(v.decode("latin-1") for v in values):
        if challenge.scheme == "basic":
            return challenge.realm
    return None


class ProxyAuthRequired(ProxyError):
    """The proxy answered 407."""

    def __init__(self, realm: str | None, reusable: bool, leftover: bytes) -> None:
        super().__init__(Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED, "the proxy wants credentials (407)")
        #: The realm of its Basic challenge; None when it offers no Basic scheme.
        self.realm = realm
        #: Can the next CONNECT go on this connection?
        self.reusable = reusable
        #: Bytes read past the 407's end (the start of nothing we asked for, normally empty).
        self.leftover = leftover


@dataclass(frozen=True, slots=True)
class Established:
    """The tunnel is up; *leftover* are bytes that came after the response head."""

    status: int
    leftover: bytes


class ConnectHandshake:
    """One CONNECT exchange: :meth:`request` bytes out, :meth:`receive_data` until a result."""

    def __init__(self, authority: str, *, authorization: str | None = None, user_agent: str = "") -> None:
        self._conn = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_RESPONSE_BYTES)
        headers = [("Host", authority), ("Proxy-Connection", "keep-alive")]
        if user_agent:
            headers.append(("User-Agent", user_agent))
        if authorization:
            headers.append(("Proxy-Authorization", authorization))
        self._request = h11.Request(method="CONNECT", target=authority, headers=headers)
        self._response: h11.Response | None = None
        self._received = 0

    def request(self) -> bytes:
        """The request's bytes (the head; CONNECT has no body)."""
        head = self._conn.send(self._request)
        end = self._conn.send(h11.EndOfMessage())  # (no bytes: it moves h11 to expect the switch)
        assert head is not None and end is not None
        return head + end

    def receive_data(self, data: bytes) -> Established | None:
        """Feed the proxy's bytes; the tunnel when it is up, None while more are needed.

        Raises ProxyAuthRequired for a 407 and ProxyError for any other refusal or a
        malformed answer.
        """
        self._received += len(data)
        self._conn.receive_data(data)
        return self._events()

    def receive_eof(self) -> Established | None:
        """The proxy closed: a refusal whose body ended with the connection, or a failure."""
        if self._response is None:
            message = "the proxy closed the connection without answering"
            raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, message)
        self._conn.receive_data(b"")
        return self._events()

    def _events(self) -> Established | None:
        while True:
            try:
                event = self._conn.next_event()
            except h11.RemoteProtocolError as e:
                raise ProxyError(
                    Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, f"the proxy's answer is not HTTP/1.1: {e}"
                ) from e
            if event is h11.NEED_DATA:
                if self._received > MAX_RESPONSE_BYTES:
                    raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, "the proxy's answer is too big")
                return None
            if isinstance(event, h11.InformationalResponse):
                continue  # a 1xx before the answer: skipped, as RFC 9110 §15.2 allows
            if isinstance(event, h11.Response):
                if 200 <= event.status_code < 300:
                    # h11 switches protocol after a 2xx to CONNECT: the rest is the tunnel's.
                    leftover, _closed = self._conn.trailing_data
                    return Established(event.status_code, bytes(leftover))
                self._response = event
                continue
            if isinstance(event, h11.Data):
                continue  # a refusal's body: read and dropped
            if isinstance(event, h11.EndOfMessage):
                return self._refused(reusable=True)
            if isinstance(event, h11.ConnectionClosed):
                return self._refused(reusable=False)
            raise AssertionError(f"unexpected h11 event {event!r}")  # pragma: no cover

    def _refused(self, *, reusable: bool) -> Established | None:
        response = self._response
        assert response is not None
        code = response.status_code
        reason = response.reason.decode("latin-1", "replace")
        if code == 407:
            challenges = [value for name, value in response.headers if name == b"proxy-authenticate"]
            keep = reusable and self._conn.their_state is h11.DONE and self._conn.our_state is h11.DONE
            leftover = bytes(self._conn.trailing_data[0]) if keep else b""
            raise ProxyAuthRequired(_basic_realm(challenges), keep, leftover)
        raise ProxyError(status_for_http(code), f"the proxy refused CONNECT: {code} {reason}".rstrip())
