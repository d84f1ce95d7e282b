"""After onStop nothing of the connection is left: no living task, no open file descriptor.

Also at scale: 100,000 open/close cycles end with descriptors, tasks, channel objects and
resident memory back at their baseline (marked `scale`).

Measured around whole scenarios (server started and stopped inside), once the scheduler has
gone quiet: trio's living-task count and the process's open descriptors return to where they
were. A leaked reader/writer/keepalive task or an unclosed socket would show here.
"""

from __future__ import annotations

import os
import weakref

import pytest
import trio
import trio.testing
from support.cases import echo_script
from support.listener import RecordingListener, run_channel, set_pref
from support.rawserver import HANG, RawServer, build_frame
from support.resources import rss
from support.tls import client_context, server_context
from support.wsprocess import websockets_echo_process

from components import Cr

pytestmark = pytest.mark.timeout(60)


def _fds() -> int:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else -1


async def _quiet() -> None:
    await trio.testing.wait_all_tasks_blocked(0.05)


async def _clean() -> RecordingListener:
    async with RawServer(echo_script) as srv:
        return await run_channel(srv.url, RecordingListener(
            on_start=lambda lis: (lis.channel.sendMsg("x" * 100_000), lis.channel.close(1000, ""))))


async def _violation() -> RecordingListener:
    async def script(peer):
        await peer.send(build_frame(0x5, b""))
        await peer.drain_until_eof()

    async with RawServer(script) as srv:
        return await run_channel(srv.url)


async def _refused() -> RecordingListener:
    async with RawServer(None, respond=b"HTTP/1.1 403 Forbidden\r\n\r\n") as srv:
        return await run_channel(srv.url)


async def _open_timeout() -> RecordingListener:
    with set_pref("network.websocket.timeout.open", 1):
        async with RawServer(None, respond=HANG) as srv:
            return await run_channel(srv.url)


async def _tls() -> RecordingListener:
    async with RawServer(echo_script, ssl_context=server_context()) as srv:
        return await run_channel(srv.url, RecordingListener(on_start=lambda lis: lis.channel.close(1000, "")),
                                 setup=lambda ch: setattr(ch, "sslContext", client_context()))


async def _stream(tmp_path) -> RecordingListener:
    path = tmp_path / "f"
    path.write_bytes(b"z" * (3 << 20))

    def start(lis):
        lis.channel.sendBinaryStream(open(path, "rb"), 3 << 20)  # noqa: SIM115
        lis.channel.close(1000, "")

    async with RawServer(echo_script) as srv:
        return await run_channel(srv.url, RecordingListener(on_start=start))


SCENARIOS = {
    "clean": (_clean, Cr.NS_OK),
    "violation": (_violation, Cr.NS_ERROR_ILLEGAL_VALUE),
    "refused": (_refused, Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED),
    "open-timeout": (_open_timeout, Cr.NS_ERROR_NET_TIMEOUT_EXTERNAL),
    "tls": (_tls, Cr.NS_OK),
    "stream": (_stream, Cr.NS_OK),
}


@pytest.mark.parametrize("name", SCENARIOS)
async def test_nothing_left_after_onStop(name: str, tmp_path) -> None:
    scenario, status = SCENARIOS[name]
    await _quiet()
    tasks_before = trio.lowlevel.current_statistics().tasks_living
    fds_before = _fds()
    for _ in range(3):
        lis = await (scenario(tmp_path) if name == "stream" else scenario())
        lis.expect_status(status)
        await lis.assert_quiet()
    await _quiet()
    assert trio.lowlevel.current_statistics().tasks_living == tasks_before, "tasks outlived onStop"
    assert _fds() == fds_before, "file descriptors (sockets) outlived onStop"


class _Cycler:
    """Opens a channel, closes it at onStart, and opens the next one at onStop."""

    def __init__(self, url: str, cycles: int, channels: weakref.WeakSet[object]) -> None:
        self.url, self.left, self.channels = url, cycles, channels
        self.statuses: dict[int, int] = {}
        self.done = trio.Event()

    def next(self) -> None:
        if not self.left:
            self.done.set()
            return
        self.left -= 1
        from components import Cc, Ci, newURI

        ch = Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance(Ci.nsIWebSocketChannel)
        self.channels.add(ch)
        ch.asyncOpen(newURI(self.url), "", _CycleListener(self, ch), None)


class _CycleListener:
    __slots__ = ("ch", "cycler")

    def __init__(self, cycler: _Cycler, ch: object) -> None:
        self.cycler, self.ch = cycler, ch

    def onStart(self, ctx: object) -> None:
        self.ch.close(1000, "")  # type: ignore[attr-defined]

    def onStop(self, ctx: object, status: int) -> None:
        s = self.cycler.statuses
        s[status] = s.get(status, 0) + 1
        self.ch = None
        self.cycler.next()

    def onMessageAvailable(self, ctx: object, msg: str) -> None: ...
    def onBinaryMessageAvailable(self, ctx: object, msg: bytes) -> None: ...
    def onAcknowledge(self, ctx: object, size: int) -> None: ...
    def onServerClose(self, ctx: object, code: int, reason: str) -> None: ...
    def onError(self) -> None: ...


async def _cycles(urls: list[str], total: int, channels: weakref.WeakSet[object]) -> dict[int, int]:
    """*total* cycles, one cycler per URL (per loopback address) running side by side."""
    cyclers = [_Cycler(url, total // len(urls), channels) for url in urls]
    for c in cyclers:
        c.next()
    with trio.fail_after(900):
        for c in cyclers:
            await c.done.wait()
    statuses: dict[int, int] = {}
    for c in cyclers:
        for k, v in c.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
    return statuses


@pytest.mark.scale
@pytest.mark.timeout(1200)
async def test_100000_open_close_cycles_return_to_baseline() -> None:
    """100,000 channels opened and closed (8 at a time, one per loopback address) against the
    websockets server in a child process: afterwards the open descriptors, trio's living tasks
    and the channel objects are back where they were after a warm-up, and resident memory within
    1 MiB of it (a leak of even 16 bytes a cycle would be 1.5 MiB)."""
    total = 100_000
    channels: weakref.WeakSet[object] = weakref.WeakSet()
    with set_pref("network.websocket.extensions.permessage-deflate", False), \
            websockets_echo_process([f"127.0.0.{i}" for i in range(1, 9)]) as urls:
        assert await _cycles(urls, 2_000, channels) == {Cr.NS_OK: 2_000}  # warm-up
        await _quiet()
        tasks_before, fds_before, rss_before = (
            trio.lowlevel.current_statistics().tasks_living, _fds(), rss())
        assert await _cycles(urls, total, channels) == {Cr.NS_OK: total}
        await _quiet()
        tasks_after, fds_after, rss_after = (
            trio.lowlevel.current_statistics().tasks_living, _fds(), rss())
    assert tasks_after == tasks_before, "trio tasks outlived their channels"
    assert fds_after == fds_before, "file descriptors outlived their channels"
    assert len(channels) == 0, f"{len(channels)} channel objects still alive"
    print(f"\n{total} cycles: RSS {rss_before / 2**20:.1f} -> {rss_after / 2**20:.1f} MiB")
    assert rss_after - rss_before <= 1 << 20, (
        f"RSS grew {(rss_after - rss_before) / 1024:.0f} KiB over {total} cycles")
