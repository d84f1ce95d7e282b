"""websockets' asyncio client (websockets.asyncio.client), on uvloop, compression=None."""
from __future__ import annotations

from typing import Any

from websockets.asyncio.client import connect

from bench.peers.aio import run
from bench.peers.coroutine_client import CoroutineClient, asyncio_scale, no_session

# max_size=None: the 1 MiB messages must not trip the 1 MiB default limit.
CLIENT = CoroutineClient(
    session=no_session,
    connect=lambda _s, url: connect(url + "/echo", compression=None, max_size=None),
    io=lambda ws, _binary: (ws.send, ws.recv),
    run=lambda main: run(main()),
)
WORKLOADS: dict[str, Any] = {**CLIENT.workloads(), "scale": asyncio_scale(CLIENT)}
