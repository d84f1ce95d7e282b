"""One module per client. Each exposes `WORKLOADS: dict[str, Callable[[str, Params], Result]]`,
synchronous entry points (each starts and finishes its own event loop) taking the server's base
URL ("ws://127.0.0.1:PORT") and the workload's sizes. A workload missing from a module's dict is
reported as n/a for that client."""
from __future__ import annotations

# client name (as shown in the table and accepted by --clients) -> module under bench.peers
CLIENTS: dict[str, str] = {
    "ours": "ours",
    "ours-framelog": "ours_framelog",
    "websockets-asyncio": "websockets_asyncio",
    "websockets-trio": "websockets_trio",
    "trio-websocket": "trio_websocket_peer",
    "aiohttp": "aiohttp_peer",
    "picows": "picows_peer",
    "raw-trio": "raw_trio",
}
