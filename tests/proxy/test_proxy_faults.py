"""Proxies misbehaving in ways the real ones in the other tests do not: a home-made proxy
(a trio server in the test) that closes, stalls, answers a given status, answers garbage or
asks for credentials again.  Each failure must end in the documented proxy status."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import trio
from support.listener import set_pref
from support.proxies import echo_once, echo_origin, expect_failure, via

from components import Cr

Script = Callable[[trio.SocketStream, list[bytes]], Awaitable[None]]


async def read_head(stream: trio.SocketStream) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = await stream.receive_some(4096)
        if not chunk:
            break
        data += chunk
    return data


async def start_fault_proxy(nursery: trio.Nursery, script: Script) -> tuple[str, list[bytes]]:
    """A proxy on 127.0.0.1 that runs *script(stream, requests)* for each connection."""
    requests: list[bytes] = []

    async def handler(stream: trio.SocketStream) -> None:
        async with stream:
            try:
                await script(stream, requests)
            except trio.BrokenResourceError:
                pass

    listeners = await nursery.start(functools.partial(trio.serve_tcp, handler, 0, host="127.0.0.1"))
    port = listeners[0].socket.getsockname()[1]
    return f"http://127.0.0.1:{port}", requests


def answering(status_line: bytes, headers: bytes = b"Content-Length: 0\r\n") -> Script:
    async def script(stream: trio.SocketStream, requests: list[bytes]) -> None:
        requests.append(await read_head(stream))
        await stream.send_all(b"HTTP/1.1 " + status_line + b"\r\n" + headers + b"\r\n")
    return script


@pytest.mark.parametrize(("status_line", "expected"), [
    (b"502 Bad Gateway", Cr.NS_ERROR_PROXY_BAD_GATEWAY),
    (b"504 Gateway Timeout", Cr.NS_ERROR_PROXY_GATEWAY_TIMEOUT),
    (b"403 Forbidden", Cr.NS_ERROR_PROXY_FORBIDDEN),
    (b"405 Method Not Allowed", Cr.NS_ERROR_PROXY_METHOD_NOT_ALLOWED),
    (b"404 Not Found", Cr.NS_ERROR_UNKNOWN_HOST),
    (b"503 Service Unavailable", Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED),
    (b"418 I'm a teapot", Cr.NS_ERROR_PROXY_CONNECTION_REFUSED),
    (b"301 Moved", Cr.NS_ERROR_PROXY_CONNECTION_REFUSED),
])
async def test_connect_refusals_map_to_firefoxs_statuses(status_line: bytes, expected: int) -> None:
    async with trio.open_nursery() as nursery:
        url, requests = await start_fault_proxy(nursery, answering(status_line))
        lis = await expect_failure("ws://origin.example:8080/", via(url), expected)
        assert requests[0].startswith(b"CONNECT origin.example:8080 HTTP/1.1\r\n")
        assert b"\r\nhost: origin.example:8080\r\n" in requests[0].lower()
        assert b"\r\nuser-agent: xpcom-websocket/" in requests[0].lower()  # the channel's, as Firefox
        assert status_line.split(b" ")[0].decode() in lis.channel.failureMessage
        nursery.cancel_scope.cancel()


async def test_proxy_closing_without_an_answer() -> None:
    async def script(stream: trio.SocketStream, requests: list[bytes]) -> None:
        requests.append(await read_head(stream))

    async with trio.open_nursery() as nursery:
        url, _ = await start_fault_proxy(nursery, script)
        lis = await expect_failure("ws://origin.example/", via(url), Cr.NS_ERROR_PROXY_CONNECTION_REFUSED)
        assert "closed" in lis.channel.failureMessage
        nursery.cancel_scope.cancel()


async def test_proxy_answering_garbage() -> None:
    async def script(stream: trio.SocketStream, requests: list[bytes]) -> None:
        await read_head(stream)
        await stream.send_all(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")

    async with trio.open_nursery() as nursery:
        url, _ = await start_fault_proxy(nursery, script)
        await expect_failure("ws://origin.example/", via(url), Cr.NS_ERROR_PROXY_CONNECTION_REFUSED)
        nursery.cancel_scope.cancel()


async def test_proxy_that_never_answers_hits_the_open_timeout() -> None:
    async def script(stream: trio.SocketStream, requests: list[bytes]) -> None:
        await read_head(stream)
        await trio.sleep_forever()

    async with trio.open_nursery() as nursery:
        url, _ = await start_fault_proxy(nursery, script)
        with set_pref("network.websocket.timeout.open", 1):
            await expect_failure("ws://origin.example/", via(url), Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL)
        nursery.cancel_scope.cancel()


async def test_bytes_after_the_200_are_refused() -> None:
    async def script(stream: trio.SocketStream, requests: list[bytes]) -> None:
        await read_head(stream)
        await stream.send_all(b"HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 101 Switching Protocols\r\n\r\n")
        await trio.sleep(5)

    async with trio.open_nursery() as nursery:
        url, _ = await start_fault_proxy(nursery, script)
        await expect_failure("ws://origin.example/", via(url), Cr.NS_ERROR_PROXY_CONNECTION_REFUSED)
        nursery.cancel_scope.cancel()


async def test_a_second_407_on_the_same_connection_fails() -> None:
    async def script(stream: trio.SocketStream, requests: list[bytes]) -> None:
        while True:
            head = await read_head(stream)
            if not head:
                return
            requests.append(head)
            await stream.send_all(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                                  b"Proxy-Authenticate: Basic realm=\"faults\"\r\n"
                                  b"Content-Length: 4\r\n\r\nnope")

    async with trio.open_nursery() as nursery:
        url, requests = await start_fault_proxy(nursery, script)
        authed = url.replace("http://", "http://user:pw@")
        await expect_failure("ws://origin.example/", via(authed), Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED)
        assert len(requests) == 2  # the credentials went once, on the same connection
        assert b"proxy-authorization: basic dxnlcjpwdw==" in requests[1].lower()
        assert b"proxy-authorization" not in requests[0].lower()
        nursery.cancel_scope.cancel()


async def test_407_with_close_is_answered_on_a_new_connection() -> None:
    connections: list[int] = []

    async def script(stream: trio.SocketStream, requests: list[bytes]) -> None:
        connections.append(1)
        head = await read_head(stream)
        requests.append(head)
        if b"proxy-authorization: basic dxnlcjpwdw==" not in head.lower():
            await stream.send_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nConnection: close\r\n"
                                  b"Proxy-Authenticate: Basic realm=\"faults\"\r\n\r\n")
            return
        # Authenticated: relay to the origin as a real proxy would.
        target = head.split(b" ")[1].decode()
        host, port = target.rsplit(":", 1)
        origin = await trio.open_tcp_stream(host, int(port))
        await stream.send_all(b"HTTP/1.1 200 Connection established\r\n\r\n")

        async def pump(src: Any, dst: Any) -> None:
            try:
                while data := await src.receive_some(65536):
                    await dst.send_all(data)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                pass
            with trio.CancelScope(shield=True):
                await dst.aclose()

        async with trio.open_nursery() as pumps:
            pumps.start_soon(pump, stream, origin)
            pumps.start_soon(pump, origin, stream)

    with echo_origin() as srv:
        async with trio.open_nursery() as nursery:
            url, requests = await start_fault_proxy(nursery, script)
            await echo_once(srv.url, via(url.replace("http://", "http://user:pw@")))
            assert len(connections) == 2
            # The next channel of the run sends the accepted credentials at once: no 407.
            await echo_once(srv.url, via(url.replace("http://", "http://user:pw@")))
            assert len(connections) == 3
            assert b"proxy-authorization: basic dxnlcjpwdw==" in requests[2].lower()
            nursery.cancel_scope.cancel()


async def test_407_without_a_basic_challenge() -> None:
    async with trio.open_nursery() as nursery:
        url, _ = await start_fault_proxy(nursery, answering(
            b"407 Proxy Authentication Required", b"Proxy-Authenticate: Negotiate\r\nContent-Length: 0\r\n"))
        lis = await expect_failure("ws://origin.example/", via(url.replace("http://", "http://u:p@")),
                                   Cr.NS_ERROR_PROXY_AUTHENTICATION_FAILED)
        assert "Basic" in lis.channel.failureMessage
        nursery.cancel_scope.cancel()


async def test_socks5_proxy_answering_garbage() -> None:
    async def script(stream: trio.SocketStream, requests: list[bytes]) -> None:
        requests.append(await stream.receive_some(64))
        await stream.send_all(b"HTTP/1.0 400 Bad Request\r\n\r\n")

    async with trio.open_nursery() as nursery:
        url, requests = await start_fault_proxy(nursery, script)
        await expect_failure("ws://origin.example/", via(url.replace("http://", "socks5h://")),
                             Cr.NS_ERROR_PROXY_CONNECTION_REFUSED)
        assert requests[0] == b"\x05\x01\x00"  # SOCKS 5, one method: no authentication
        nursery.cancel_scope.cancel()


async def test_socks5_proxy_closing_mid_handshake() -> None:
    async def script(stream: trio.SocketStream, requests: list[bytes]) -> None:
        await stream.receive_some(64)
        await stream.send_all(b"\x05\x00")
        requests.append(await stream.receive_some(300))  # the CONNECT request, then gone

    async with trio.open_nursery() as nursery:
        url, requests = await start_fault_proxy(nursery, script)
        await expect_failure("ws://origin.example:81/", via(url.replace("http://", "socks5h://")),
                             Cr.NS_ERROR_PROXY_CONNECTION_REFUSED)
        assert requests[0] == b"\x05\x01\x00\x03\x0eorigin.example\x00\x51"
        nursery.cancel_scope.cancel()


async def test_admission_through_a_proxy_is_keyed_by_host_name() -> None:
    # RFC 6455 §4.1's one-CONNECTING-per-host, without DNS: two channels to one name wait for
    # each other (the second CONNECT leaves only once the first open has failed), two names do not.
    from support.listener import RecordingListener, open_channel

    pending: list[trio.Event] = []

    async def script(stream: trio.SocketStream, requests: list[bytes]) -> None:
        requests.append(await read_head(stream))
        release = trio.Event()
        pending.append(release)
        await release.wait()
        await stream.send_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")

    async def opened_requests(hosts: list[str]) -> int:
        async with trio.open_nursery() as nursery:
            url, requests = await start_fault_proxy(nursery, script)
            listeners = [RecordingListener() for _ in hosts]
            with set_pref("network.websocket.delay-failed-reconnects", False):
                for host, lis in zip(hosts, listeners, strict=True):
                    open_channel(f"ws://{host}/", lis, setup=via(url))
                with trio.fail_after(10):
                    while len(requests) < 1:
                        await trio.sleep(0.01)
                await trio.sleep(0.3)  # time for a second CONNECT, were it allowed
                concurrent = len(requests)
                while any(lis.status is None for lis in listeners):
                    for release in pending:
                        release.set()
                    await trio.sleep(0.01)
            for lis in listeners:
                lis.expect_status(Cr.NS_ERROR_PROXY_BAD_GATEWAY)
            assert len(requests) == len(hosts)
            nursery.cancel_scope.cancel()
        return concurrent

    assert await opened_requests(["same.example", "same.example"]) == 1
    assert await opened_requests(["one.example", "two.example"]) == 2
