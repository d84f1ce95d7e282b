"""picows: a WSListener whose on_ws_frame echoes; picows hands over frames, not messages, so
the listener joins a fragmented message's frames (as picows's own examples do) and echoes the
whole message, and answers a Close frame with the same code before disconnecting."""
from __future__ import annotations

import asyncio

from compliance.testees._driver import drive, missing_library, parse_args

try:
    from picows import WSFrame, WSListener, WSMsgType, WSTransport, ws_connect
except ImportError as e:
    missing_library("picows", e)

MAX_FRAME_SIZE = 64 << 20   # as for ours: section 9 sends 16 MiB frames (default 10 MiB)


class EchoListener(WSListener):  # type: ignore[misc]
    def __init__(self, echo: bool) -> None:
        self.echo = echo
        self.first_text: str | None = None
        self.msg_type = WSMsgType.TEXT
        self.parts: list[bytes] = []

    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        kind = frame.msg_type
        if kind == WSMsgType.CLOSE:
            transport.send_close(frame.get_close_code(), frame.get_close_message())
            transport.disconnect()
            return
        if kind in (WSMsgType.PING, WSMsgType.PONG):
            return   # enable_auto_pong (the default) answers pings
        if kind != WSMsgType.CONTINUATION:
            self.msg_type, self.parts = kind, []
        self.parts.append(frame.get_payload_as_bytes())
        if frame.fin:
            payload = b"".join(self.parts)
            self.parts = []
            if self.msg_type == WSMsgType.TEXT and self.first_text is None:
                self.first_text = payload.decode("utf-8", "replace")
            if self.echo:
                transport.send(self.msg_type, payload)


async def session(url: str, echo: bool) -> str | None:
    transport, listener = await ws_connect(lambda: EchoListener(echo), url, max_frame_size=MAX_FRAME_SIZE)
    try:
        await transport.wait_disconnected()
    finally:
        transport.disconnect()
    return listener.first_text


def main() -> None:
    asyncio.run(drive(parse_args(), session, asyncio.timeout))


if __name__ == "__main__":
    main()
