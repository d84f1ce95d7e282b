"""After onStop nothing of the connection is left: no living task, no open file descriptor.

Measured around whole scenarios (server started and stopped inside), once the scheduler has
gone quiet: trio's living-task count and the process's open descriptors return to where they
were. A leaked reader/writer/keepalive task or an unclosed socket would show here.
"""

from __future__ import annotations

import os

import pytest
import trio
import trio.testing
from support.cases import echo_script
from support.listener import RecordingListener, run_channel, set_pref
from support.rawserver import HANG, RawServer, build_frame
from support.tls import client_context, server_context

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
