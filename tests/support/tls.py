"""Throwaway TLS material for tests (trustme): a CA, server and client contexts.

    from support.tls import test_ca, server_context, client_context
    srv = RawServer(script, ssl_context=server_context())           # cert for 127.0.0.1/localhost
    run_channel(srv.url, setup=lambda ch: setattr(ch, "sslContext", client_context()))
"""

from __future__ import annotations

import ssl
from functools import cache

import trustme

__all__ = ["test_ca", "server_context", "client_context"]


@cache
def test_ca() -> trustme.CA:
    return trustme.CA()


def server_context(*hosts: str, ca: trustme.CA | None = None) -> ssl.SSLContext:
    """A server context with a leaf certificate for *hosts* (default 127.0.0.1, localhost)."""
    ca = ca or test_ca()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*(hosts or ("127.0.0.1", "localhost"))).configure_cert(ctx)
    return ctx


def client_context(ca: trustme.CA | None = None) -> ssl.SSLContext:
    """A client context trusting only the test CA (hostname checking on)."""
    ctx = ssl.create_default_context()
    (ca or test_ca()).configure_trust(ctx)
    return ctx
