"""The channel against an independent server: the `websockets` package (sync server in a thread)."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import trustme
from support.listener import RecordingListener, run_channel

from components import Cr

pytestmark = pytest.mark.timeout(60)

ws_server = pytest.importorskip("websockets.sync.server")


def _echo(conn: Any) -> None:
    try:
        for msg in conn:
            if msg == "close-from-server":
                conn.close(4000, "as asked")
                return
            conn.send(msg)
    except Exception:  # noqa: BLE001 - the client went away
        pass


@contextmanager
def websockets_server(compression: str | None, ssl_context: ssl.SSLContext | None = None) -> Iterator[str]:
    server = ws_server.serve(_echo, "127.0.0.1", 0, compression=compression, ssl=ssl_context,
                             max_size=None, subprotocols=["chat"])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.socket.getsockname()[1]
        yield f"{'wss' if ssl_context else 'ws'}://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        thread.join(10)


MESSAGES: list[str | bytes] = ["hi", "ü" * 1000, b"\x00" * 70000, bytes(range(256)) * 4096, "a" * 125]


def _round_trip_listener() -> RecordingListener:
    def start(lis: RecordingListener) -> None:
        for m in MESSAGES:
            (lis.channel.sendMsg if isinstance(m, str) else lis.channel.sendBinaryMsg)(m)
        lis.channel.sendBinaryStream(b"s" * 3_000_000, 3_000_000)

    def got(lis: RecordingListener, _m: object) -> None:
        if len(lis.messages) == len(MESSAGES) + 1:
            lis.channel.close(1000, "bye")

    return RecordingListener(on_start=start, on_message=got, on_binary=got)


@pytest.mark.parametrize("compression", [None, "deflate"])
async def test_echo_round_trip(compression: str | None) -> None:
    with websockets_server(compression) as url:
        lis = await run_channel(url, _round_trip_listener(), protocol="chat")
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [*MESSAGES, b"s" * 3_000_000]
    assert lis.channel.protocol == "chat"
    assert ("permessage-deflate" in lis.channel.extensions) == (compression == "deflate")
    assert lis.server_close == (1000, "bye")


async def test_server_initiated_close() -> None:
    with websockets_server(None) as url:
        lis = await run_channel(url, RecordingListener(
            on_start=lambda lis: lis.channel.sendMsg("close-from-server")), protocol="chat")
    lis.expect_status(Cr.NS_OK)
    assert lis.server_close == (4000, "as asked")


async def test_over_tls_with_deflate() -> None:
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    with websockets_server("deflate", server_ctx) as url:
        lis = await run_channel(url, _round_trip_listener(),
                                protocol="chat", setup=lambda ch: setattr(ch, "sslContext", client_ctx))
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == [*MESSAGES, b"s" * 3_000_000]
    assert lis.channel.securityInfo.cipherName
