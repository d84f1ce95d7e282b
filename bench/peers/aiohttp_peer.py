"""aiohttp's client websocket (ClientSession.ws_connect), on uvloop, compress=0."""
from __future__ import annotations

from typing import Any

import aiohttp

from bench.peers.aio import run
from bench.peers.coroutine_client import CoroutineClient, asyncio_scale


def _session() -> aiohttp.ClientSession:
    # One session per run, as aiohttp is meant to be used. limit=0: the default connector caps
    # concurrent connections at 100, which would stall idle.
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))


def _io(ws: aiohttp.ClientWebSocketResponse, binary: bool) -> tuple[Any, Any]:
    return (ws.send_bytes, ws.receive_bytes) if binary else (ws.send_str, ws.receive_str)


# compress=0 disables permessage-deflate; max_msg_size=0 lifts the 4 MiB cap (not needed at
# 1 MiB, but keeps the configuration identical across peers).
CLIENT = CoroutineClient(
    session=_session,
    connect=lambda s, url: s.ws_connect(url + "/echo", compress=0, max_msg_size=0),
    io=_io,
    run=lambda main: run(main()),
)
WORKLOADS: dict[str, Any] = {**CLIENT.workloads(), "scale": asyncio_scale(CLIENT)}
