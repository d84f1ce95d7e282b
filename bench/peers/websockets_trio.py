"""websockets' native trio client (websockets.trio.client, new in websockets 16/17), compression=None."""
from __future__ import annotations

from typing import Any

import trio
from websockets.trio.client import connect

from bench.peers.coroutine_client import CoroutineClient, no_session

CLIENT = CoroutineClient(
    session=no_session,
    connect=lambda _s, url: connect(url + "/echo", compression=None, max_size=None),
    io=lambda ws, _binary: (ws.send, ws.recv),
    run=trio.run,
)
WORKLOADS: dict[str, Any] = CLIENT.workloads()
