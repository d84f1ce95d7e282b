"""SOCKS 5 (RFC 1928, RFC 1929) and SOCKS 4 / 4a, the client side, sans I/O.

Theory of operation
-------------------
Each handshake is a small state machine: :meth:`data_to_send` gives the bytes
the client must write now (empty while it waits), :meth:`receive_data` takes
what the proxy sent, and ``established`` turns true once the proxy has connected
to the origin (``leftover`` then holds any bytes that followed its reply).  A
refusal raises :class:`~components.proxy.status.ProxyError` with the status the
channel reports, chosen so that a person can tell the proxy's failures from the
origin's: a bad reply or an unsupported method is the proxy refusing us, bad
credentials are an authentication failure, "connection refused" by the origin is
the server refusing (as it is for a direct connection).

The origin is named by host name when the proxy resolves it (SOCKS 5 address
type 3, or SOCKS 4a's 0.0.0.x trick) -- then no DNS lookup happens here -- or by
the address the caller resolved.
"""

from __future__ import annotations

import abc
import ipaddress
import struct
from typing import Final

from components.proxy.status import ProxyError
from components.results import Cr

__all__ = ["Socks4Handshake", "Socks5Handshake"]

_NO_AUTH: Final = 0x00
_USERPASS: Final = 0x02
_NO_ACCEPTABLE: Final = 0xFF

#: SOCKS 5 reply codes (RFC 1928 §6) -> what the channel reports.
_SOCKS5_REPLIES: Final[dict[int, tuple[int, str]]] = {
    0x01: (Cr.NS_ERROR_PROXY_BAD_GATEWAY, "general SOCKS server failure"),
    0x02: (Cr.NS_ERROR_PROXY_FORBIDDEN, "connection not allowed by ruleset"),
    0x03: (Cr.NS_ERROR_PROXY_BAD_GATEWAY, "network unreachable"),
    0x04: (Cr.NS_ERROR_UNKNOWN_HOST, "host unreachable"),
    0x05: (Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED, "connection refused by the server"),
    0x06: (Cr.NS_ERROR_PROXY_GATEWAY_TIMEOUT, "TTL expired"),
    0x07: (Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, "command not supported"),
    0x08: (Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, "address type not supported"),
}


def _address(host: str) -> tuple[int, bytes]:
    """SOCKS 5's address type and bytes for *host* (an IP literal or a name)."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        name = host.encode("idna") if not host.isascii() else host.encode("ascii")
        if not 0 < len(name) < 256:
            raise ProxyError(Cr.NS_ERROR_ILLEGAL_VALUE, f"host name too long for SOCKS: {host!r}") from None
        return 0x03, bytes([len(name)]) + name
    return (0x01 if ip.version == 4 else 0x04), ip.packed


class _Handshake(abc.ABC):
    """What both versions share: an output buffer, an input buffer, the result."""

    def __init__(self) -> None:
        self._out = bytearray()
        self._in = bytearray()
        self.established = False
        self.leftover = b""

    def data_to_send(self) -> bytes:
        out, self._out = bytes(self._out), bytearray()
        return out

    def receive_data(self, data: bytes) -> None:
        if self.established:  # (the tunnel's bytes: kept for the caller)
            self.leftover += data
            return
        self._in += data
        self._step()

    def receive_eof(self) -> None:
        raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, "the SOCKS proxy closed the connection")

    @abc.abstractmethod
    def _step(self) -> None:
        """Advance each version's state machine over the input received so far."""

    def _take(self, n: int) -> bytes | None:
        if len(self._in) < n:
            return None
        head = bytes(self._in[:n])
        del self._in[:n]
        return head

    def _done(self) -> None:
        self.established = True
        self.leftover, self._in = bytes(self._in), bytearray()


class Socks5Handshake(_Handshake):
    """RFC 1928 CONNECT, with RFC 1929 username/password when *username* is given."""

    def __init__(self, host: str, port: int, *, username: str = "", password: str = "") -> None:
        super().__init__()
        self._target = _address(host) + (struct.pack("!H", port),)
        self._user = username.encode()
        self._password = password.encode()
        if len(self._user) > 255 or len(self._password) > 255:
            message = "SOCKS 5 user names and passwords are at most 255 bytes"
            raise ProxyError(Cr.NS_ERROR_ILLEGAL_VALUE, message)
        methods = bytes([_NO_AUTH, _USERPASS]) if self._user or self._password else bytes([_NO_AUTH])
        self._out += bytes([5, len(methods)]) + methods
        self._state = "method"

    def _step(self) -> None:
        while not self.established:
            if self._state == "method":
                reply = self._take(2)
                if reply is None:
                    return
                self._method(reply)
            elif self._state == "auth":
                reply = self._take(2)
                if reply is None:
                    return
                if reply[0] != 1:
                    raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, "bad SOCKS 5 authentication reply")
                if reply[1] != 0:
                    message = "the SOCKS proxy refused the user name and password"
                    raise ProxyError(Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED, message)
                self._send_request()
            else:
                if not self._reply():
                    return

    def _method(self, reply: bytes) -> None:
        if reply[0] != 5:
            raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, "the proxy does not speak SOCKS 5")
        method = reply[1]
        if method == _NO_AUTH:
            self._send_request()
        elif method == _USERPASS and (self._user or self._password):
            user, password = self._user, self._password
            self._out += bytes([1, len(user)]) + user + bytes([len(password)]) + password
            self._state = "auth"
        elif method in (_USERPASS, _NO_ACCEPTABLE):
            raise ProxyError(
                Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED, "the SOCKS proxy wants a user name and password"
            )
        else:
            raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, f"the SOCKS proxy chose method {method}")

    def _send_request(self) -> None:
        atyp, address, port = self._target
        self._out += bytes([5, 1, 0, atyp]) + address + port
        self._state = "reply"

    def _reply(self) -> bool:
        # VER REP RSV ATYP BND.ADDR BND.PORT; the address's length depends on its type.
        if len(self._in) < 5:
            return False
        if self._in[0] != 5:
            raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, "bad SOCKS 5 reply")
        rep, atyp = self._in[1], self._in[3]
        if rep != 0:
            status, text = _SOCKS5_REPLIES.get(rep, (Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, f"reply {rep}"))
            raise ProxyError(status, f"SOCKS 5 proxy: {text}")
        sizes = {0x01: 4, 0x04: 16, 0x03: 1 + self._in[4]}
        if atyp not in sizes:
            raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, f"bad SOCKS 5 address type {atyp}")
        if self._take(4 + sizes[atyp] + 2) is None:
            return False
        self._done()
        return True


class Socks4Handshake(_Handshake):
    """SOCKS 4 CONNECT to an IPv4 address, or SOCKS 4a naming the host (the proxy resolves it)."""

    def __init__(self, host: str, port: int, *, user_id: str = "") -> None:
        super().__init__()
        uid = user_id.encode() + b"\0"
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            # SOCKS 4a: the address 0.0.0.x (x != 0) says "the name follows the user id".
            name = host.encode("idna") if not host.isascii() else host.encode("ascii")
            self._out += struct.pack("!BBH", 4, 1, port) + bytes([0, 0, 0, 1]) + uid + name + b"\0"
        else:
            if ip.version != 4:
                raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, "SOCKS 4 cannot reach an IPv6 address")
            self._out += struct.pack("!BBH", 4, 1, port) + ip.packed + uid

    def _step(self) -> None:
        reply = self._take(8)
        if reply is None:
            return
        if reply[0] != 0:
            raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, "bad SOCKS 4 reply")
        if reply[1] == 0x5A:
            self._done()
        elif reply[1] in (0x5C, 0x5D):
            raise ProxyError(Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED, "the SOCKS 4 proxy refused the user id")
        else:
            # 0x5B "rejected or failed": SOCKS 4 does not say whether the origin refused.
            raise ProxyError(Cr.NS_ERROR_PROXY_CONNECTION_REFUSED, "the SOCKS 4 proxy rejected the request")
