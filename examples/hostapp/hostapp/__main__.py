"""``python -m hostapp [URL]``: talk to URL (default: the package's built-in echo server)."""

from __future__ import annotations

import sys

import trio

from components.results import result_name
from components.websocket.echoserver import open_echo_server
from hostapp.app import talk


async def _run(url: str | None) -> int:
    if url is None:
        async with open_echo_server() as port:
            return await _run(f"ws://127.0.0.1:{port}/")
    outcome = await talk(url)
    for message in outcome.received:
        print(message)
    print(result_name(outcome.status))
    return 0 if outcome.status == 0 else 1


def main() -> None:
    sys.exit(trio.run(_run, sys.argv[1] if len(sys.argv) > 1 else None))


if __name__ == "__main__":
    main()
