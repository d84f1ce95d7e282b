"""connect() and components.websocket.sync.connect on the real channel, against the `websockets`
server, our echo server and the raw-frame server."""

from __future__ import annotations

import subprocess
import sys
import threading
from functools import partial
from typing import Any

import pytest
import trio
from support.rawserver import RawServer
from support.wsserver import echo_handler, websockets_server

from components import Cr, XPCOMError
from components.websocket import ConnectionClosedError, ConnectionClosedOK, connect
from components.websocket import sync as ws_sync
from components.websocket.echoserver import serve_echo

pytestmark = pytest.mark.timeout(30)


def _closing_handler(record: list[Any]):  # type: ignore[no-untyped-def]
    from websockets.exceptions import ConnectionClosed

    async def handler(ws: Any) -> None:
        try:
            async for msg in ws:
                await ws.send(msg)
        except ConnectionClosed:
            pass
        record.append((ws.close_code, ws.close_reason))

    return handler


async def test_send_recv_iterate_and_close() -> None:
    record: list[Any] = []
    with websockets_server(_closing_handler(record), subprotocols=["chat"]) as srv:
        async with connect(srv.url, subprotocols=["superchat", "chat"], origin="http://me.example") as ws:
            assert ws.subprotocol == "chat"
            assert "permessage-deflate" in ws.extensions
            await ws.send("héllo")
            await ws.send(b"\x00\xff" * 40000)
            assert await ws.recv() == "héllo"
            assert await ws.recv() == b"\x00\xff" * 40000
            await ws.close(4000, "done")
            assert ws.closed and ws.close_code == 4000 and ws.close_reason == "done"
            with pytest.raises(ConnectionClosedOK) as info:
                await ws.recv()
            assert info.value.result == Cr.NS_OK and isinstance(info.value, XPCOMError)
    assert record == [(4000, "done")]


async def test_iteration_ends_on_the_servers_normal_close() -> None:
    async def handler(ws: Any) -> None:
        for i in range(3):
            await ws.send(f"m{i}")
        await ws.close(1000, "bye")

    with websockets_server(handler) as srv:
        async with connect(srv.url) as ws:
            got = [m async for m in ws]
        assert got == ["m0", "m1", "m2"]
        assert (ws.close_code, ws.close_reason) == (1000, "bye")


async def test_leaving_the_block_closes_1000_and_an_exception_1011() -> None:
    record: list[Any] = []
    with websockets_server(_closing_handler(record)) as srv:
        async with connect(srv.url) as ws:
            await ws.send("x")
        assert ws.closed
        with pytest.raises(ValueError):
            async with connect(srv.url) as ws:
                raise ValueError("boom")
        assert ws.closed
    assert record == [(1000, ""), (1011, "")]


async def test_failed_open_says_why() -> None:
    with pytest.raises(ConnectionClosedError) as info:
        async with connect("ws://127.0.0.1:1/"):
            pass  # pragma: no cover
    err = info.value
    assert isinstance(err, XPCOMError)
    assert err.result == Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED and err.code is None
    assert "connection refused by 127.0.0.1:1" in str(err)
    with pytest.raises(XPCOMError) as bad:
        connect("http://127.0.0.1/")
    assert bad.value.result == Cr.NS_ERROR_ILLEGAL_VALUE


async def test_abnormal_end_raises_with_the_status_after_the_messages() -> None:
    async def script(peer: Any) -> None:
        await peer.send_text("last words")
        await peer.abort()

    async with RawServer(script) as srv:
        async with connect(srv.url) as ws:
            assert await ws.recv() == "last words"
            with pytest.raises(ConnectionClosedError) as info:
                await ws.recv()
    assert info.value.result == Cr.NS_BASE_STREAM_CLOSED and info.value.code == 1006


async def test_protocol_violation_carries_the_cores_reason() -> None:
    async def script(peer: Any) -> None:
        await peer.send_frame(0x3, b"")  # reserved opcode
        await peer.drain_until_eof()

    async with RawServer(script) as srv:
        async with connect(srv.url) as ws:
            with pytest.raises(ConnectionClosedError) as info:
                async for _ in ws:
                    pass  # pragma: no cover
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE
    assert "reserved data opcode 3" in str(info.value)


async def test_max_size_and_compression_options_reach_the_channel() -> None:
    async def handler(ws: Any) -> None:
        await ws.send("x" * 2000)
        await ws.wait_closed()

    with websockets_server(handler) as srv:
        async with connect(srv.url, max_size=1000, compression=False, ping_interval=7) as ws:
            assert ws.extensions == "" and ws.channel.pingInterval == 7
            with pytest.raises(ConnectionClosedError) as info:
                await ws.recv()
    assert info.value.result == Cr.NS_ERROR_FILE_TOO_BIG


async def test_send_waits_while_too_much_is_unacknowledged() -> None:
    stop = trio.Event()

    async def script(peer: Any) -> None:
        await stop.wait()  # reads nothing: the socket buffers fill up
        await peer.abort()

    chunk = b"\x00" * 65536
    async with RawServer(script) as srv:
        async with connect(srv.url, write_limit=256 << 10, compression=False) as ws:
            sent = 0
            with trio.move_on_after(1.0):
                while sent < 256 << 20:
                    await ws.send(chunk)
                    sent += len(chunk)
            assert sent < 256 << 20  # the sender was held back
            assert ws._unacked <= (256 << 10) + len(chunk)
            stop.set()


async def test_cancelled_recv_loses_no_message() -> None:
    async with trio.open_nursery() as nursery:
        port = await nursery.start(partial(serve_echo, 0))
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            expected = [f"m{i}" for i in range(200)]
            got: list[Any] = []

            async def produce() -> None:
                for m in expected:
                    await ws.send(m)
                    if len(m) % 3 == 0:
                        await trio.sleep(0)

            nursery.start_soon(produce)
            while len(got) < len(expected):
                with trio.move_on_after(0.0005):
                    got.append(await ws.recv())
            assert got == expected
        nursery.cancel_scope.cancel()


async def test_cancelled_open_abandons_the_channel() -> None:
    # A listener nobody accepts from: the kernel completes TCP, the handshake never answers.
    (listener,) = await trio.open_tcp_listeners(0, host="127.0.0.1")
    port = listener.socket.getsockname()[1]
    opener = connect(f"ws://127.0.0.1:{port}/")
    with trio.move_on_after(0.3) as scope:
        async with opener:
            pass  # pragma: no cover
    assert scope.cancelled_caught
    assert opener._ws.closed and opener._ws.channel.failureMessage == ""
    await listener.aclose()


async def test_a_replaced_component_is_used() -> None:
    from components.manager import registry
    from components.websocket.channel import WebSocketChannel

    made: list[Any] = []

    class Recording(WebSocketChannel):
        __slots__ = ()

        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    with websockets_server(echo_handler) as srv, registry.register(
        Recording, "@mozilla.org/network/protocol;1?name=ws"
    ):
        async with connect(srv.url) as ws:
            await ws.send("via the replacement")
            assert await ws.recv() == "via the replacement"
    assert made and made[0] is ws.channel


# -- the blocking flavour ---------------------------------------------------------------------------


def test_sync_send_recv_timeout_and_iteration() -> None:
    async def handler(ws: Any) -> None:
        msg = await ws.recv()
        await ws.send(msg)
        await ws.send(b"bin")
        await ws.close(1000)

    with websockets_server(handler) as srv:
        with ws_sync.connect(srv.url) as ws:
            with pytest.raises(TimeoutError):
                ws.recv(timeout=0.2)
            ws.send("ping?")
            assert ws.recv(timeout=5) == "ping?"
            assert list(ws) == [b"bin"]
            assert ws.close_code == 1000


def test_sync_sends_from_many_threads() -> None:
    with websockets_server(echo_handler) as srv, ws_sync.connect(srv.url) as ws:
        def sender(k: int) -> None:
            for i in range(50):
                ws.send(f"{k}:{i}")

        threads = [threading.Thread(target=sender, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        got = [ws.recv(timeout=5) for _ in range(200)]
        assert sorted(got) == sorted(f"{k}:{i}" for k in range(4) for i in range(50))
        for k in range(4):  # each thread's messages stay in its order
            mine = [g for g in got if isinstance(g, str) and g.startswith(f"{k}:")]
            assert mine == [f"{k}:{i}" for i in range(50)]


def test_sync_failed_open_raises() -> None:
    with pytest.raises(ConnectionClosedError) as info:
        ws_sync.connect("ws://127.0.0.1:1/")
    assert info.value.result == Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED


def test_sync_connection_never_closed_does_not_hang_the_exit() -> None:
    with websockets_server(_closing_handler([])) as srv:
        code = (
            "from components.websocket.sync import connect\n"
            f"ws = connect({srv.url!r})\nws.send('x')\nassert ws.recv(timeout=5) == 'x'\n"
        )
        proc = subprocess.run([sys.executable, "-c", code], timeout=20, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()


async def test_unknown_host_says_no_such_host() -> None:
    from support.proxies import no_local_dns

    resolver = no_local_dns()  # this trio run's resolver refuses every name: nothing leaves the machine
    try:
        with pytest.raises(ConnectionClosedError) as info:
            async with connect("ws://nosuch.example/"):
                pass  # pragma: no cover
    finally:
        trio.socket.set_custom_hostname_resolver(None)
    assert resolver.asked == ["nosuch.example"]
    assert info.value.result == Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED
    assert str(info.value).endswith("no such host nosuch.example (local DNS is off in this test)")
