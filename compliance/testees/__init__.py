"""The clients the suite is run against, one module each, each run in its own subprocess.

`ours` is the project's channel; the others are the peer libraries the benchmarks compare
against (pip install -e '.[bench]'), each written as that library's own documentation writes an
echo client. Their results are shown for comparison and never decide the exit status.
"""
from __future__ import annotations

# testee name (also the agent name in the report) -> module under compliance.testees
TESTEES: dict[str, str] = {
    "ours": "ours",
    "websockets": "websockets_client",
    "aiohttp": "aiohttp_client",
    "trio-websocket": "trio_websocket_client",
    "picows": "picows_client",
}

OURS = "ours"
