# Generated from idl/netwerk/base/nsIProtocolProxyService.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
# Doc comments keep the IDL's line breaks, however long the lines.
# ruff: noqa: E501
"""XPCOM interface bindings for nsIProtocolProxyService.idl: nsIProtocolProxyService."""

from __future__ import annotations

import enum as _enum
import uuid as _uuid
from typing import ClassVar as _ClassVar

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIProtocolProxyServiceConstants", "nsIProtocolProxyService"]


class nsIProtocolProxyServiceConstants(_enum.IntEnum):
    """The constants of nsIProtocolProxyService."""

    PROXYCONFIG_DIRECT = 0
    PROXYCONFIG_MANUAL = 1
    PROXYCONFIG_PAC = 2
    PROXYCONFIG_WPAD = 4
    PROXYCONFIG_SYSTEM = 5


class nsIProtocolProxyService(nsISupports):
    """Decides which proxy, if any, a connection to a URI goes through.
    Obtain it as a service: "@mozilla.org/network/protocol-proxy-service;1".

    The choice comes from the preference network.proxy.type:
      0  direct: no proxy;
      1  manual: network.proxy.http / http_port (ws:), network.proxy.ssl /
         ssl_port (wss:), else network.proxy.socks / socks_port with
         socks_version (4 or 5) and socks_remote_dns; hosts matching
         network.proxy.no_proxies_on, and loopback unless
         network.proxy.allow_hijacking_localhost is true, go direct;
      5  system (the default): the environment, read the way curl reads it:
         https_proxy (wss:) or http_proxy (ws:), else all_proxy, each in
         lower case first, then upper case; no_proxy lists the hosts that
         go direct. A proxy URL's user information is the proxy's
         credentials.
    Then every registered filter, lowest position first, may change it.
    (Types 2 and 4, PAC and WPAD, are not part of this subset: they act as 0.)
    """

    _taggedValue("uuid", _uuid.UUID("76dc255f-2014-4564-b354-21caeb198fd9"))
    _taggedValue("flags", ("scriptable",))

    PROXYCONFIG_DIRECT: _ClassVar[int]
    PROXYCONFIG_MANUAL: _ClassVar[int]
    PROXYCONFIG_PAC: _ClassVar[int]
    PROXYCONFIG_WPAD: _ClassVar[int]
    PROXYCONFIG_SYSTEM: _ClassVar[int]

    proxyConfigType = _Attribute(
        "proxyConfigType",
        "The configuration type in force (network.proxy.type).",
    )

    def resolve(aURI, aFlags):
        """The proxy a connection to aURI goes through, synchronously: the
        configuration's choice, then the filters'.

        @param aURI     a ws:, wss:, http: or https: URI.
        @param aFlags   reserved; must be 0.
        @return         the proxy, or null for a direct connection.
        @throws NS_ERROR_ILLEGAL_VALUE for a null URI or non-zero flags.

        XPIDL: nsIProxyInfo resolve(in nsIURI aURI, in unsigned long aFlags)
        """

    def newProxyInfo(aType, aHost, aPort, aFlags, aFailoverTimeout, aFailoverProxy):
        """Make a proxy info without credentials.

        @param aType             "http", "https", "socks", "socks4" or "direct".
        @param aHost             the proxy's host name or address.
        @param aPort             its port (1-65535).
        @param aFlags            nsIProxyInfo flags.
        @param aFailoverTimeout  see nsIProxyInfo.failoverTimeout.
        @param aFailoverProxy    the proxy to fail over to, or null.
        @throws NS_ERROR_ILLEGAL_VALUE for an unknown type, an empty host or
                a port out of range.

        XPIDL: nsIProxyInfo newProxyInfo(in ACString aType,
                                         in AUTF8String aHost,
                                         in long aPort,
                                         in unsigned long aFlags,
                                         in unsigned long aFailoverTimeout,
                                         in nsIProxyInfo aFailoverProxy)
        """

    def newProxyInfoWithAuth(aType, aHost, aPort, aUsername, aPassword, aFlags, aFailoverTimeout, aFailoverProxy):
        """Make a proxy info with credentials (for SOCKS 5 authentication and an
        HTTP proxy's 407); otherwise as newProxyInfo.

        XPIDL: nsIProxyInfo newProxyInfoWithAuth(in ACString aType,
                                                 in AUTF8String aHost,
                                                 in long aPort,
                                                 in AUTF8String aUsername,
                                                 in AUTF8String aPassword,
                                                 in unsigned long aFlags,
                                                 in unsigned long aFailoverTimeout,
                                                 in nsIProxyInfo aFailoverProxy)
        """

    def registerFilter(aFilter, aPosition):
        """Install a filter. Filters run in increasing aPosition; registering a
        filter again moves it to the new position.

        @throws NS_ERROR_ILLEGAL_VALUE for a null filter.

        XPIDL: void registerFilter(in nsIProtocolProxyFilter aFilter, in unsigned long aPosition)
        """

    def unregisterFilter(aFilter):
        """Remove a filter (nothing happens when it was not registered).

        XPIDL: void unregisterFilter(in nsIProtocolProxyFilter aFilter)
        """


_tag_members(nsIProtocolProxyService, {
    "proxyConfigType": {
        "type": "unsigned long",
        "readonly": True,
        "flags": (),
    },
    "resolve": {
        "returns": "nsIProxyInfo",
        "params": (("aURI", "in", "nsIURI"), ("aFlags", "in", "unsigned long")),
        "results": (),
        "flags": (),
    },
    "newProxyInfo": {
        "returns": "nsIProxyInfo",
        "params": (
            ("aType", "in", "ACString"),
            ("aHost", "in", "AUTF8String"),
            ("aPort", "in", "long"),
            ("aFlags", "in", "unsigned long"),
            ("aFailoverTimeout", "in", "unsigned long"),
            ("aFailoverProxy", "in", "nsIProxyInfo"),
        ),
        "results": (),
        "flags": (),
    },
    "newProxyInfoWithAuth": {
        "returns": "nsIProxyInfo",
        "params": (
            ("aType", "in", "ACString"),
            ("aHost", "in", "AUTF8String"),
            ("aPort", "in", "long"),
            ("aUsername", "in", "AUTF8String"),
            ("aPassword", "in", "AUTF8String"),
            ("aFlags", "in", "unsigned long"),
            ("aFailoverTimeout", "in", "unsigned long"),
            ("aFailoverProxy", "in", "nsIProxyInfo"),
        ),
        "results": (),
        "flags": (),
    },
    "registerFilter": {
        "returns": "void",
        "params": (("aFilter", "in", "nsIProtocolProxyFilter"), ("aPosition", "in", "unsigned long")),
        "results": (),
        "flags": (),
    },
    "unregisterFilter": {
        "returns": "void",
        "params": (("aFilter", "in", "nsIProtocolProxyFilter"),),
        "results": (),
        "flags": (),
    },
})
nsIProtocolProxyService.PROXYCONFIG_DIRECT = nsIProtocolProxyServiceConstants.PROXYCONFIG_DIRECT
nsIProtocolProxyService.PROXYCONFIG_MANUAL = nsIProtocolProxyServiceConstants.PROXYCONFIG_MANUAL
nsIProtocolProxyService.PROXYCONFIG_PAC = nsIProtocolProxyServiceConstants.PROXYCONFIG_PAC
nsIProtocolProxyService.PROXYCONFIG_WPAD = nsIProtocolProxyServiceConstants.PROXYCONFIG_WPAD
nsIProtocolProxyService.PROXYCONFIG_SYSTEM = nsIProtocolProxyServiceConstants.PROXYCONFIG_SYSTEM
