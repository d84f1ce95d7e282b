"""websockets (asyncio implementation): `async for message in ws: await ws.send(message)`."""
from __future__ import annotations

import asyncio

from compliance.testees._driver import drive, missing_library, parse_args

try:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed
except ImportError as e:
    missing_library("websockets", e)

MAX_MESSAGE_SIZE = 64 << 20   # as for ours: section 9 sends 16 MiB messages (default 1 MiB)


async def session(url: str, echo: bool) -> str | None:
    first_text = None
    try:
        async with connect(url, max_size=MAX_MESSAGE_SIZE) as ws:
            async for message in ws:
                if first_text is None and isinstance(message, str):
                    first_text = message
                if echo:
                    await ws.send(message)
    except ConnectionClosed:
        pass  # closed with an error code: how the case ended is in the report
    return first_text


def main() -> None:
    asyncio.run(drive(parse_args(), session, asyncio.timeout))


if __name__ == "__main__":
    main()
