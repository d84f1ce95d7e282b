"""trio-websocket (wsproto underneath; it never offers permessage-deflate)."""
from __future__ import annotations

from typing import Any

import trio
from trio_websocket import open_websocket_url

from bench.peers.coroutine_client import CoroutineClient, no_session

CLIENT = CoroutineClient(
    session=no_session,
    connect=lambda _s, url: open_websocket_url(url + "/echo", max_message_size=1 << 24),
    io=lambda ws, _binary: (ws.send_message, ws.get_message),
    run=trio.run,
)
WORKLOADS: dict[str, Any] = CLIENT.workloads()
