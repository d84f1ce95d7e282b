"""Common test shapes built on support.rawserver and support.listener.

    lis, close = await expect_failure(build_frame(0x3, b""), status=Cr.NS_ERROR_ILLEGAL_VALUE,
                                      close_code=1002)

`expect_failure(send, *, status, close_code, ...)`: a RawServer whose script sends `send`
(bytes, or an async callable(peer)), then expects the client's Close with `close_code` (None:
a Close without a code; ANY_CODE: any Close at all; NO_CLOSE: the client must hang up TCP
without a Close), answers it and closes TCP; the channel's onStop status must be `status`. The messages
delivered must be exactly `delivered` (default none): nothing from or after the bad input. Returns the
listener and the client's Close (a rawserver.Message, or None).

`echo_script(peer)`: echo every data message (same opcode, uncompressed unless deflate was
negotiated) until the client's Close, echo that and close TCP. `finish_close(peer, m)`: answer
the client's Close `m` and close TCP first (RFC 6455 7.1.1).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from support.listener import RecordingListener, open_channel, status_name
from support.rawserver import OP_BINARY, OP_TEXT, Message, Peer, RawServer

__all__ = ["ANY_CODE", "NO_CLOSE", "echo_listener", "echo_script", "expect_failure", "finish_close",
           "pattern"]

ANY_CODE = object()
NO_CLOSE = object()


async def finish_close(peer: Peer, m: Message) -> None:
    """Answer the client's Close with the same payload, then close TCP (server closes first)."""
    try:
        await peer.echo_close(m)
        await peer.aclose()
    except Exception:  # noqa: BLE001 - the client may have hung up already: allowed
        pass


async def echo_script(peer: Peer) -> None:
    while True:
        m = await peer.recv_message()
        if m.kind == "close":
            await finish_close(peer, m)
            return
        if m.kind in ("text", "binary"):
            await peer.send_message(OP_TEXT if m.kind == "text" else OP_BINARY, m.data)


async def expect_failure(
    send: bytes | Callable[[Peer], Awaitable[None]],
    *,
    status: int,
    close_code: Any,
    listener: RecordingListener | None = None,
    server_kw: dict[str, Any] | None = None,
    channel_kw: dict[str, Any] | None = None,
    timeout: float = 20.0,
    delivered: tuple[str | bytes, ...] | list[str | bytes] = (),
) -> tuple[RecordingListener, Message | None]:
    got: dict[str, Any] = {}
    lis = listener if listener is not None else RecordingListener()

    async def script(peer: Peer) -> None:
        if isinstance(send, bytes | bytearray):
            await peer.send(bytes(send))
        else:
            await send(peer)
        if close_code is NO_CLOSE:
            frames = await peer.drain_until_eof()
            assert not [f for f in frames if f.opcode == 0x8], "client sent a Close, expected none"
            return
        m = await peer.recv_close()
        got["close"] = m
        await finish_close(peer, m)

    async with RawServer(script, **(server_kw or {})) as srv:
        open_channel(srv.url, lis, **(channel_kw or {}))
        await lis.wait_stopped(timeout)
        await lis.assert_quiet()  # nothing after onStop, even while the server lingers
    lis.expect_status(status)
    assert lis.kinds()[-2:] == ["error", "stop"], f"expected onError then onStop: {lis.kinds()}"
    m = got.get("close")
    if close_code is not NO_CLOSE and close_code is not ANY_CODE:
        assert m is not None
        assert m.code == close_code, (
            f"client closed with {m.code} {m.reason!r}, expected {close_code} "
            f"(status {status_name(lis.status)})")
    assert lis.messages == list(delivered), (
        f"messages delivered {lis.messages!r:.200}, expected {list(delivered)!r:.200}")
    return lis, m


def echo_listener(**hooks: Any) -> RecordingListener:
    """A RecordingListener whose channel echoes every text/binary message back."""
    return RecordingListener(
        on_message=lambda lis, msg: lis.channel.sendMsg(msg),
        on_binary=lambda lis, msg: lis.channel.sendBinaryMsg(msg),
        **hooks,
    )


def pattern(n: int, seed: int = 0) -> bytes:
    """n deterministic, non-repeating-looking bytes (all 256 values, not valid UTF-8)."""
    block = bytes((i * 167 + seed) & 0xFF for i in range(251))
    return (block * (n // 251 + 1))[:n]
