"""Proxies: the protocol proxy service, proxy infos, and the CONNECT / SOCKS handshakes.

* :mod:`.service` -- ``@mozilla.org/network/protocol-proxy-service;1``: which proxy
  a URI goes through (preferences, the environment, a host's filters);
* :mod:`.config` -- the configuration's rules as pure functions;
* :mod:`.info` -- nsIProxyInfo, and proxy URLs (``socks5h://user:pass@host``);
* :mod:`.connect` and :mod:`.socks` -- the handshakes, sans I/O (the channel's
  tunnel module runs them over a socket);
* :mod:`.status` -- the nsresults a proxy failure gives, and a sentence for each.
"""

from __future__ import annotations

from components.proxy.info import ProxyInfo, proxy_info_from_url
from components.proxy.status import describe_status

__all__ = ["ProxyInfo", "describe_status", "proxy_info_from_url"]
