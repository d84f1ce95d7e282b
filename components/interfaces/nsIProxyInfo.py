# Generated from idl/netwerk/base/nsIProxyInfo.idl by codegen; do not edit.
# Named after its IDL file.
# ruff: noqa: N999
"""XPCOM interface bindings for nsIProxyInfo.idl: nsIProxyInfo."""

from __future__ import annotations

import enum as _enum
import uuid as _uuid
from typing import ClassVar as _ClassVar

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIProxyInfoConstants", "nsIProxyInfo"]


class nsIProxyInfoConstants(_enum.IntEnum):
    """The constants of nsIProxyInfo."""

    #: A flag for SOCKS proxies: the proxy resolves the origin's host name
    #: (SOCKS 5 with a domain-name address, or SOCKS 4a), so no DNS lookup
    #: of the origin is made on this machine. HTTP proxies always resolve
    #: the host themselves.
    TRANSPARENT_PROXY_RESOLVES_HOST = 1


class nsIProxyInfo(nsISupports):
    """One proxy a connection may go through: what kind it is, where it
    listens, and the credentials it wants. Immutable once made; obtain one
    from nsIProtocolProxyService (newProxyInfo, newProxyInfoWithAuth or
    resolve).

    How a WebSocket channel uses each type:
      "http"    an HTTP CONNECT tunnel through the proxy, for ws: as well
                as wss: (the origin's TLS, for wss:, runs inside it);
      "https"   the same, over TLS to the proxy itself;
      "socks"   SOCKS version 5 (RFC 1928), with username/password
                authentication (RFC 1929) when the info carries them;
      "socks4"  SOCKS version 4, or 4a when the proxy resolves the host;
      "direct"  no proxy at all.
    """

    _taggedValue("uuid", _uuid.UUID("934edced-c218-42af-9393-98d41ff24ea7"))
    _taggedValue("flags", ("scriptable",))

    TRANSPARENT_PROXY_RESOLVES_HOST: _ClassVar[int]

    host = _Attribute(
        "host",
        "The proxy's host name or IP address.",
    )

    port = _Attribute(
        "port",
        "The proxy's port.",
    )

    type = _Attribute(
        "type",
        "One of \"http\", \"https\", \"socks\", \"socks4\" or \"direct\".",
    )

    flags = _Attribute(
        "flags",
        "A combination of the flags above.",
    )

    username = _Attribute(
        "username",
        "The user name offered to the proxy: to a SOCKS 5 proxy that asks for\n"
        "username/password authentication, and with Basic to an HTTP proxy\n"
        "that answers 407. Empty when there is none (an HTTP proxy's 407 then\n"
        "asks the nsIAuthPrompt2 behind the channel's notificationCallbacks).\n"
        "For SOCKS 4 it is sent as the user id.",
    )

    password = _Attribute(
        "password",
        "The password that goes with username (empty when there is none).",
    )

    failoverTimeout = _Attribute(
        "failoverTimeout",
        "Seconds a proxy that could not be reached is passed over in favour of\n"
        "failoverProxy by later connections of the same trio run (0: it is\n"
        "tried again every time).",
    )

    failoverProxy = _Attribute(
        "failoverProxy",
        "The proxy to try when this one cannot be reached (its host does not\n"
        "resolve or it refuses the TCP connection), or null. A proxy that was\n"
        "reached but refused the request is not failed over.",
    )


_tag_members(nsIProxyInfo, {
    "host": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "port": {
        "type": "long",
        "readonly": True,
        "flags": (),
    },
    "type": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
    "flags": {
        "type": "unsigned long",
        "readonly": True,
        "flags": (),
    },
    "username": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "password": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "failoverTimeout": {
        "type": "unsigned long",
        "readonly": True,
        "flags": (),
    },
    "failoverProxy": {
        "type": "nsIProxyInfo",
        "readonly": True,
        "flags": (),
    },
})
nsIProxyInfo.TRANSPARENT_PROXY_RESOLVES_HOST = nsIProxyInfoConstants.TRANSPARENT_PROXY_RESOLVES_HOST
