"""aiohttp: `session.ws_connect()` and `async for msg in ws` with send_str / send_bytes."""
from __future__ import annotations

import asyncio

from compliance.testees._driver import drive, missing_library, parse_args

try:
    import aiohttp
except ImportError as e:
    missing_library("aiohttp", e)

MAX_MESSAGE_SIZE = 64 << 20   # as for ours: section 9 sends 16 MiB messages (default 4 MiB)


async def session(url: str, echo: bool) -> str | None:
    first_text = None
    async with aiohttp.ClientSession() as http, http.ws_connect(url, max_msg_size=MAX_MESSAGE_SIZE) as ws:
        async for msg in ws:   # ends on CLOSE / CLOSING / CLOSED (autoclose answers the close)
            if msg.type == aiohttp.WSMsgType.TEXT:
                if first_text is None:
                    first_text = msg.data
                if echo:
                    await ws.send_str(msg.data)
            elif msg.type == aiohttp.WSMsgType.BINARY:
                if echo:
                    await ws.send_bytes(msg.data)
            elif msg.type == aiohttp.WSMsgType.ERROR:
                break   # a protocol error: aiohttp has already failed the connection
    return first_text


def main() -> None:
    asyncio.run(drive(parse_args(), session, asyncio.timeout))


if __name__ == "__main__":
    main()
