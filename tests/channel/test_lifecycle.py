"""The channel's lifecycle and every API error, against real servers on 127.0.0.1.

Servers: the built-in echo server (components.websocket.echoserver) and the raw-frame
server from tests/support (scripts decide every byte the server sends).
"""

from __future__ import annotations

import os
import threading

import pytest
import trio
import trio.testing
from support.listener import RecordingListener, open_channel, run_channel, set_pref
from support.rawserver import HANG, RawServer

from components import Cc, Ci, Cr, XPCOMError, newURI
from components.websocket.echoserver import open_echo_server

pytestmark = pytest.mark.timeout(60)

WS = "@mozilla.org/network/protocol;1?name=ws"
WSS = "@mozilla.org/network/protocol;1?name=wss"


def make(contract: str = WS) -> object:
    return Cc[contract].createInstance(Ci.nsIWebSocketChannel)


class _Raises:
    def __init__(self, result: int) -> None:
        self.result = result

    def __enter__(self) -> None:
        return None

    def __exit__(self, et, e, tb) -> bool:  # type: ignore[no-untyped-def]
        assert et is XPCOMError, f"expected XPCOMError({self.result:#x}), got {et!r}"
        assert e.result == self.result, f"expected {self.result:#x}, got {e!r}"
        return True


# -- components and attributes -----------------------------------------------------------------


def test_each_create_instance_is_a_new_channel() -> None:
    a, b = make(), make()
    assert a is not b
    assert Ci.nsIWebSocketChannel.providedBy(a)
    assert Ci.nsIWebSocketChannel.providedBy(make(WSS))


def test_readonly_attributes_have_no_setter() -> None:
    ch = make()
    for name in ("URI", "securityInfo", "extensions"):
        with pytest.raises(AttributeError):
            setattr(ch, name, None)


def test_defaults_before_open() -> None:
    ch = make()
    assert ch.URI is None and ch.originalURI is None and ch.securityInfo is None
    assert ch.protocol == "" and ch.extensions == ""
    assert ch.pingInterval == 0 and ch.pingTimeout == 10
    assert ch.CLOSE_NORMAL == 1000 and ch.CLOSE_TLS_FAILED == 1015


def test_keepalive_defaults_come_from_prefs() -> None:
    with set_pref("network.websocket.timeout.ping.request", 7), \
            set_pref("network.websocket.timeout.ping.response", 3):
        ch = make()
    assert (ch.pingInterval, ch.pingTimeout) == (7, 3)


def test_ping_settings_reject_bad_values() -> None:
    ch = make()
    with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
        ch.pingInterval = -1
    with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
        ch.pingTimeout = "5"


def test_close_and_send_before_async_open() -> None:
    ch = make()
    with _Raises(Cr.NS_ERROR_UNEXPECTED):
        ch.sendMsg("x")
    with _Raises(Cr.NS_ERROR_UNEXPECTED):
        ch.sendBinaryMsg(b"x")
    with _Raises(Cr.NS_ERROR_NOT_CONNECTED):
        ch.close(1000, "")


def test_async_open_outside_trio_fails_clearly() -> None:
    with _Raises(Cr.NS_ERROR_NOT_AVAILABLE):
        make().asyncOpen(newURI("ws://127.0.0.1:1/"), "", RecordingListener(), None)


class _FragmentURI:
    scheme, asciiHost, host, port, pathQueryRef = "ws", "127.0.0.1", "127.0.0.1", 1, "/"
    hasRef, ref, spec = True, "frag", "ws://127.0.0.1:1/#frag"


# -- asyncOpen validation --------------------------------------------------------------------------


async def test_async_open_validation() -> None:
    lis = RecordingListener()
    uri = newURI("ws://127.0.0.1:1/")
    with _Raises(Cr.NS_ERROR_UNEXPECTED):  # Firefox's code for a null URI or listener
        make().asyncOpen(None, "", lis, None)
    with _Raises(Cr.NS_ERROR_UNEXPECTED):
        make().asyncOpen(uri, "", None, None)
    with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):  # wrong scheme for the contract, both ways
        make().asyncOpen(newURI("wss://127.0.0.1:1/"), "", lis, None)
    with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
        make(WSS).asyncOpen(uri, "", lis, None)
    with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
        make().asyncOpen(newURI("http://127.0.0.1:1/"), "", lis, None)
    with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):  # RFC 6455 §3: no fragment on a WebSocket URI
        make().asyncOpen(_FragmentURI(), "", lis, None)
    with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):  # newURI parses it; the channel refuses it
        make().asyncOpen(newURI("ws://127.0.0.1:1/#frag"), "", lis, None)
    for bad in ("has space", "chat, chat", "a;b"):
        ch = make()
        ch.protocol = bad
        with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
            ch.asyncOpen(uri, "", lis, None)
    assert lis.events == []


async def test_already_opened_and_in_progress() -> None:
    async with open_echo_server() as port:
        lis = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
        ch = open_channel(f"ws://127.0.0.1:{port}/", lis)
        with _Raises(Cr.NS_ERROR_ALREADY_OPENED):
            ch.asyncOpen(newURI(f"ws://127.0.0.1:{port}/"), "", RecordingListener(), None)
        with _Raises(Cr.NS_ERROR_IN_PROGRESS):
            ch.pingInterval = 5
        with _Raises(Cr.NS_ERROR_IN_PROGRESS):
            ch.pingTimeout = 5
        assert await lis.wait_stopped() == Cr.NS_OK


# -- the normal life -------------------------------------------------------------------------------


async def test_echo_round_trip_in_order_with_acks_and_clean_close() -> None:
    msgs: list[str | bytes] = ["héllo", b"\x00\x01", "", b"", "x" * 70000, bytes(range(256)) * 300]

    def start(lis: RecordingListener) -> None:
        for m in msgs:
            (lis.channel.sendMsg if isinstance(m, str) else lis.channel.sendBinaryMsg)(m)

    def message(lis: RecordingListener, _m: object) -> None:
        if len(lis.messages) == len(msgs):
            lis.channel.close(1000, "done")

    async with open_echo_server() as port:
        lis = RecordingListener(on_start=start, on_message=message, on_binary=message)
        ch = open_channel(f"ws://127.0.0.1:{port}/chat?x=1", lis, origin="http://o.example")
        assert lis.events == []  # nothing before asyncOpen returns, nor synchronously after
        assert await lis.wait_stopped() == Cr.NS_OK
        await lis.assert_quiet()
    assert lis.messages == msgs
    sizes = [len(m.encode()) if isinstance(m, str) else len(m) for m in msgs]
    assert lis.acks == sizes
    assert lis.server_close == (1000, "done")  # the echo server echoes the Close
    assert lis.kinds()[0] == "start" and lis.kinds()[-1] == "stop"
    assert ch.URI.spec == f"ws://127.0.0.1:{port}/chat?x=1"
    assert ch.originalURI.spec == ch.URI.spec


async def test_big_messages_sent_from_callbacks_through_the_reused_send_buffer() -> None:
    # Big binary messages are framed into one reused buffer; sending the next, bigger one from
    # onAcknowledge and from onBinaryMessageAvailable (while the previous frame was just
    # written) must neither corrupt a frame nor trip over a live view of that buffer.
    sizes = [70000, 150000, 100000, 1 << 20, 80000, (2 << 20) + 3]
    msgs = [bytes([i]) * 7 + os.urandom(n - 7) for i, n in enumerate(sizes)]
    sent = 0

    def send_next(lis: RecordingListener) -> None:
        nonlocal sent
        if sent < len(msgs):
            sent += 1
            lis.channel.sendBinaryMsg(msgs[sent - 1])

    def ack(lis: RecordingListener, _size: int) -> None:
        if sent % 2:  # odd: the next one goes from onAcknowledge, even: from the echo
            send_next(lis)

    def binary(lis: RecordingListener, _m: object) -> None:
        if len(lis.messages) == len(msgs):
            lis.channel.close(1000, "")
        elif sent % 2 == 0:
            send_next(lis)

    async with open_echo_server() as port:
        lis = RecordingListener(on_start=send_next, on_ack=ack, on_binary=binary)
        open_channel(f"ws://127.0.0.1:{port}/", lis)
        assert await lis.wait_stopped() == Cr.NS_OK
    assert lis.messages == msgs
    assert lis.acks == sizes


async def test_request_carries_origin_protocols_and_deflate_offer() -> None:
    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.close_handshake(1000, "")
        await peer.expect_eof()

    async with RawServer(script, subprotocol="superchat") as srv:
        lis = await run_channel(srv.url, origin="http://o.example", protocol="chat, superchat")
    req = srv.requests[0]
    assert req.header("Origin") == "http://o.example"
    assert req.tokens("Sec-WebSocket-Protocol") == ["chat", "superchat"]
    assert "permessage-deflate" in (req.header("Sec-WebSocket-Extensions") or "")
    assert lis.status == Cr.NS_OK
    assert lis.channel.protocol == "superchat"


async def test_deflate_pref_off_sends_no_offer() -> None:
    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.close_handshake(1000, "")
        await peer.expect_eof()

    with set_pref("network.websocket.extensions.permessage-deflate", False):
        async with RawServer(script) as srv:
            await run_channel(srv.url)
    assert srv.requests[0].header("Sec-WebSocket-Extensions") is None


async def test_server_close_is_echoed_when_listener_does_not_close() -> None:
    got: list[object] = []

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.send_close(4001, "go")
        got.append(await peer.recv_close())
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    assert lis.server_close == (4001, "go")
    assert lis.status == Cr.NS_OK
    assert got[0].data[:2] == (4001).to_bytes(2, "big")
    with _Raises(Cr.NS_ERROR_NOT_CONNECTED):  # the listener never called close()
        lis.channel.sendMsg("late")
    with _Raises(Cr.NS_ERROR_NOT_AVAILABLE):
        lis.channel.close(1000, "")


async def test_server_close_without_code_is_answered_without_code() -> None:
    got: list[object] = []

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.send_close(None)
        got.append(await peer.recv_close())
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    assert lis.server_close == (1005, "")
    assert got[0].data == b""
    assert lis.status == Cr.NS_OK


async def test_listener_close_inside_on_server_close_wins() -> None:
    got: list[object] = []

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.send_close(1001, "")
        got.append(await peer.recv_close())
        await peer.aclose()

    lis = RecordingListener(on_server_close=lambda lis, c, r: lis.channel.close(3333, "mine"))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    assert got[0].data == (3333).to_bytes(2, "big") + b"mine"
    assert lis.status == Cr.NS_OK


async def test_peer_closing_tcp_without_close_is_base_stream_closed() -> None:
    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.send_text("bye")
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    assert lis.messages == ["bye"]
    lis.expect_status(Cr.NS_BASE_STREAM_CLOSED)
    assert "error" in lis.kinds()


async def test_connection_refused_and_dns_failure() -> None:
    with trio.socket.socket() as s:  # a port nobody listens on
        await s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    lis = await run_channel(f"ws://127.0.0.1:{port}/")
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    assert "start" not in lis.kinds()
    lis = await run_channel("ws://no-such-host.invalid/")
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)


async def test_non_101_is_refused() -> None:
    async with RawServer(None, respond=b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
                         close_after_response=True) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)


# -- close() -----------------------------------------------------------------------------------------


async def test_close_validation_second_close_and_after_stop() -> None:
    async with open_echo_server() as port:
        def start(lis: RecordingListener) -> None:
            ch = lis.channel
            with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
                ch.close(1000, "x" * 124)
            with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
                ch.close(1005, "")
            ch.close(1000, "é" * 61)  # 122 bytes: fine
            ch.close(1000, "again")  # no-op
            with _Raises(Cr.NS_ERROR_UNEXPECTED):
                ch.sendMsg("after close")

        lis = RecordingListener(on_start=start)
        ch = open_channel(f"ws://127.0.0.1:{port}/", lis)
        assert await lis.wait_stopped() == Cr.NS_OK
    ch.close(1000, "x" * 200)  # still a no-op: close() was called before (Firefox checks that first)
    with _Raises(Cr.NS_ERROR_UNEXPECTED):  # after close(), even once stopped (Firefox's order)
        ch.sendMsg("x")
    with _Raises(Cr.NS_ERROR_UNEXPECTED):
        ch.sendBinaryMsg(b"x")


async def test_close_after_a_failed_open_is_not_available() -> None:
    lis = await run_channel("ws://127.0.0.1:9/")
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    with _Raises(Cr.NS_ERROR_NOT_AVAILABLE):
        lis.channel.close(1000, "")


async def test_close_code_zero_sends_no_code() -> None:
    got: list[object] = []

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        got.append(await peer.recv_close())
        await peer.send_close(None)
        await peer.aclose()

    lis = RecordingListener(on_start=lambda lis: lis.channel.close(0, "ignored"))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    assert got[0].data == b""
    assert lis.status == Cr.NS_OK


@pytest.mark.parametrize(("code", "status"), [(1000, Cr.NS_ERROR_NOT_CONNECTED), (1001, Cr.NS_OK)])
async def test_close_before_connected(code: int, status: int) -> None:
    async with RawServer(None, respond=lambda req: HANG) as srv:
        lis = RecordingListener()
        ch = open_channel(srv.url, lis)
        await srv.wait_connected()
        ch.close(code, "")
        assert await lis.wait_stopped() == status
    assert "start" not in lis.kinds()


async def test_close_right_after_async_open() -> None:
    lis = RecordingListener()
    ch = open_channel("ws://127.0.0.1:9/", lis)
    ch.close(1000, "")
    assert await lis.wait_stopped() == Cr.NS_ERROR_NOT_CONNECTED


# -- sending ------------------------------------------------------------------------------------------


async def test_too_big_message_is_refused_and_connection_stays_open() -> None:
    with set_pref("network.websocket.max-message-size", 1000):
        async with open_echo_server() as port:
            def start(lis: RecordingListener) -> None:
                with _Raises(Cr.NS_ERROR_FILE_TOO_BIG):
                    lis.channel.sendMsg("x" * 1001)
                with _Raises(Cr.NS_ERROR_FILE_TOO_BIG):
                    lis.channel.sendMsg("é" * 501)
                with _Raises(Cr.NS_ERROR_FILE_TOO_BIG):
                    lis.channel.sendBinaryMsg(bytearray(1001))
                with _Raises(Cr.NS_ERROR_FILE_TOO_BIG):
                    lis.channel.sendBinaryStream(b"x" * 1001, 1001)
                lis.channel.sendMsg("x" * 1000)

            lis = RecordingListener(on_start=start,
                                    on_message=lambda lis, m: lis.channel.close(1000, ""))
            open_channel(f"ws://127.0.0.1:{port}/", lis)
            assert await lis.wait_stopped() == Cr.NS_OK
    assert lis.messages == ["x" * 1000]


async def test_wrong_message_types() -> None:
    async with open_echo_server() as port:
        def start(lis: RecordingListener) -> None:
            with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
                lis.channel.sendMsg(b"bytes")
            with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
                lis.channel.sendBinaryMsg("str")
            lis.channel.close(1000, "")

        lis = await run_channel(f"ws://127.0.0.1:{port}/", RecordingListener(on_start=start))
    assert lis.status == Cr.NS_OK


async def test_sending_from_other_threads_is_marshalled_in_order() -> None:
    n_threads, per_thread = 4, 200
    done_sending = trio.Event()

    async with open_echo_server() as port:
        lis = RecordingListener()
        ch = open_channel(f"ws://127.0.0.1:{port}/", lis)
        await lis.wait_for("start")
        token = trio.lowlevel.current_trio_token()

        def worker(t: int) -> None:
            for i in range(per_thread):
                if i % 2:
                    ch.sendMsg(f"{t}:{i}")
                else:
                    buf = bytearray(f"{t}:{i}".encode())
                    ch.sendBinaryMsg(buf)
                    buf[:] = b"clobbered"  # the channel must have copied it

        threads = [threading.Thread(target=worker, args=(t,)) for t in range(n_threads)]
        for th in threads:
            th.start()

        def join() -> None:
            for th in threads:
                th.join()
            token.run_sync_soon(done_sending.set)

        threading.Thread(target=join).start()
        await done_sending.wait()
        await lis.wait_for("message", n_threads * per_thread // 2)
        await lis.wait_for("binary", n_threads * per_thread // 2)
        threading.Thread(target=ch.close, args=(1000, "")).start()  # close from a thread too
        assert await lis.wait_stopped() == Cr.NS_OK
    for t in range(n_threads):
        mine = [m.decode() if isinstance(m, bytes) else m for m in lis.messages]
        mine = [m for m in mine if m.startswith(f"{t}:")]
        assert mine == [f"{t}:{i}" for i in range(per_thread)]
    assert len(lis.acks) == n_threads * per_thread


def test_run_ending_with_an_open_channel_stops_it_cleanly() -> None:
    lis_box: list[RecordingListener] = []

    async def main() -> None:
        async with open_echo_server() as port:
            lis = RecordingListener()
            lis_box.append(lis)
            open_channel(f"ws://127.0.0.1:{port}/", lis)
            await lis.wait_for("start")

    trio.run(main)
    lis = lis_box[0]
    assert lis.kinds()[-1] == "stop"
    lis.check()
    with _Raises(Cr.NS_ERROR_NOT_CONNECTED):
        lis.channel.sendMsg("late")


# -- listener exceptions ------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["on_start", "on_message", "on_ack", "on_server_close"])
async def test_listener_exception_fails_with_1011(where: str, caplog: pytest.LogCaptureFixture) -> None:
    got: list[object] = []

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        if where == "on_server_close":
            await peer.send_close(1000, "")
        else:
            await peer.send_text("hi")
        frames = await peer.drain_until_eof()
        got.extend(f for f in frames if f.opcode == 8)

    def boom(lis: RecordingListener, *args: object) -> None:
        raise RuntimeError("listener bug")

    def start(lis: RecordingListener) -> None:
        lis.channel.sendMsg("x")
        if where == "on_start":
            boom(lis)

    hooks = {"on_start": start} if where == "on_start" else {where: boom, "on_start": start}
    lis = RecordingListener(**hooks)
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    assert "listener bug" in caplog.text
    if where == "on_server_close":
        # The server's Close was answered before the failure could send 1011.
        assert got and got[0].payload[:2] == (1000).to_bytes(2, "big")
    else:
        assert got and got[0].payload[:2] == (1011).to_bytes(2, "big")
    lis.expect_status(Cr.NS_ERROR_FAILURE)


async def test_exception_in_on_stop_is_only_logged(caplog: pytest.LogCaptureFixture) -> None:
    class Boom(RecordingListener):
        def onStop(self, aContext: object, aStatusCode: int) -> None:
            super().onStop(aContext, aStatusCode)
            raise RuntimeError("stop bug")

    lis = Boom()
    open_channel("ws://127.0.0.1:9/", lis)
    await lis.wait_stopped()
    await lis.assert_quiet()
    assert "stop bug" in caplog.text


# -- max-connections -----------------------------------------------------------------------------------


async def test_max_connections_refuses_synchronously() -> None:
    with set_pref("network.websocket.max-connections", 2):
        async with open_echo_server() as port:
            url = f"ws://127.0.0.1:{port}/"
            a, b = RecordingListener(), RecordingListener()
            open_channel(url, a)
            open_channel(url, b)
            with _Raises(Cr.NS_ERROR_SOCKET_CREATE_FAILED):
                open_channel(url, RecordingListener())
            await a.wait_for("start")
            a.channel.close(1000, "")
            await a.wait_stopped()
            c = RecordingListener(on_start=lambda lis: lis.channel.close(1000, ""))
            open_channel(url, c)  # a slot is free again
            await b.wait_for("start")  # (closing b before it is up would be NOT_CONNECTED)
            b.channel.close(1000, "")
            assert await b.wait_stopped() == Cr.NS_OK
            assert await c.wait_stopped() == Cr.NS_OK


# -- the I/O design: one task per idle channel, backpressure handled ------------------------------------


def _system_tasks() -> int:
    root = trio.lowlevel.current_root_task()
    return sum(len(n.child_tasks) for n in root.child_nurseries)


async def test_an_idle_open_channel_is_one_task() -> None:
    async with open_echo_server() as port:
        before = _system_tasks()
        lis = RecordingListener()
        ch = open_channel(f"ws://127.0.0.1:{port}/", lis)
        await lis.wait_for("start")
        await trio.testing.wait_all_tasks_blocked()
        assert _system_tasks() == before + 1  # no writer/keepalive task until one is needed
        ch.close(1000, "")
        assert await lis.wait_stopped() == Cr.NS_OK
        await trio.testing.wait_all_tasks_blocked()
        assert _system_tasks() == before


async def test_message_bigger_than_socket_buffers_goes_through_the_writer() -> None:
    big = bytes(range(256)) * (64 * 1024)  # 16 MiB: the kernel cannot take it in one send()
    with set_pref("network.websocket.max-message-size", 32 << 20):
        async with open_echo_server() as port:
            def start(lis: RecordingListener) -> None:
                lis.channel.sendBinaryMsg(big)
                lis.channel.sendMsg("small after big")

            def got(lis: RecordingListener, _m: object) -> None:
                if len(lis.messages) == 2:
                    lis.channel.close(1000, "")

            lis = RecordingListener(on_start=start, on_binary=got, on_message=got)
            open_channel(f"ws://127.0.0.1:{port}/", lis)
            assert await lis.wait_stopped() == Cr.NS_OK
    assert lis.messages[0] == big and lis.messages[1] == "small after big"
    assert lis.acks == [len(big), len("small after big")]


async def test_lone_surrogates_are_refused() -> None:
    async with open_echo_server() as port:
        def start(lis: RecordingListener) -> None:
            with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
                lis.channel.sendMsg("bad \ud800")
            with _Raises(Cr.NS_ERROR_ILLEGAL_VALUE):
                lis.channel.close(1000, "bad \udfff")
            lis.channel.close(1000, "fine é")

        lis = await run_channel(f"ws://127.0.0.1:{port}/", RecordingListener(on_start=start))
    assert lis.status == Cr.NS_OK


async def test_writer_task_exits_once_the_backlog_is_written() -> None:
    big = bytes(16 << 20)
    with set_pref("network.websocket.max-message-size", 32 << 20):
        async with open_echo_server() as port:
            before = _system_tasks()
            lis = RecordingListener(on_start=lambda lis: lis.channel.sendBinaryMsg(big))
            ch = open_channel(f"ws://127.0.0.1:{port}/", lis)
            await lis.wait_for("binary")
            await trio.testing.wait_all_tasks_blocked()
            assert _system_tasks() == before + 1  # the writer (if it ran) is gone again
            ch.sendMsg("direct again")
            await lis.wait_for("message")
            ch.close(1000, "")
            assert await lis.wait_stopped() == Cr.NS_OK
    assert lis.acks == [len(big), len("direct again")]


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "0.0.0.0", "::1", "fe80::1", "127.1", "01.2.3.4"])
def test_ip_literal_lookup_is_what_getaddrinfo_returns(host: str) -> None:
    import socket

    from components.websocket.channel import _numeric_addrinfo

    flags = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV
    expected = socket.getaddrinfo(host, 8080, type=socket.SOCK_STREAM, flags=flags)
    assert _numeric_addrinfo(host, 8080) == expected


def test_a_name_is_left_to_the_resolver() -> None:
    from components.websocket.channel import _numeric_addrinfo

    assert _numeric_addrinfo("localhost", 80) is None
