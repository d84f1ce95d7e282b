"""trio-websocket: `open_websocket_url()`, then get_message / send_message until ConnectionClosed."""
from __future__ import annotations

import trio

from compliance.testees._driver import drive, missing_library, parse_args, trio_deadline

try:
    from trio_websocket import ConnectionClosed, open_websocket_url
except ImportError as e:
    missing_library("trio-websocket", e)

MAX_MESSAGE_SIZE = 64 << 20   # as for ours: section 9 sends 16 MiB messages (default 1 MiB)


async def session(url: str, echo: bool) -> str | None:
    first_text = None
    try:
        async with open_websocket_url(url, max_message_size=MAX_MESSAGE_SIZE,
                                      connect_timeout=10, disconnect_timeout=10) as ws:
            while True:
                message = await ws.get_message()
                if first_text is None and isinstance(message, str):
                    first_text = message
                if echo:
                    await ws.send_message(message)
    except ConnectionClosed:
        pass  # the normal end of a case, whoever closed
    return first_text


def main() -> None:
    trio.run(drive, parse_args(), session, trio_deadline)


if __name__ == "__main__":
    main()
