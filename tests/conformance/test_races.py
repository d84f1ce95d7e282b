"""Two endings at once: whatever wins, onStop comes exactly once, last, and nothing hangs.

Each case pairs a local action in onStart (close, a big send) with a server ending that is
already in flight in the same segment as the 101 (a violation, a Close, a TCP close or reset).
The listener checks the contract; the status must be one of the outcomes that could win.
"""

from __future__ import annotations

import pytest
from support.cases import pattern
from support.listener import RecordingListener, run_channel
from support.rawserver import OP_CLOSE, RawServer, build_frame, close_payload, handshake_response

from components import Cr

pytestmark = pytest.mark.timeout(30)

VIOLATION = build_frame(0x3, b"")
CLOSE = build_frame(OP_CLOSE, close_payload(1000, "bye"))

LOCAL = {
    "close": lambda lis: lis.channel.close(1000, "local"),
    "big-send": lambda lis: lis.channel.sendBinaryMsg(pattern(4 << 20)),
    "send-then-close": lambda lis: (lis.channel.sendMsg("x"), lis.channel.close(1000, "")),
}
REMOTE = {  # what the server does right after the 101, and the statuses that may win
    "violation": (VIOLATION, "drain", {Cr.NS_ERROR_ILLEGAL_VALUE}),
    "close": (CLOSE, "drain", {Cr.NS_OK}),
    "close-and-fin": (CLOSE, "fin", {Cr.NS_OK}),
    "fin": (b"", "fin", {Cr.NS_BASE_STREAM_CLOSED}),
    "reset": (b"", "rst", {Cr.NS_BASE_STREAM_CLOSED, Cr.NS_ERROR_NET_RESET}),
}


@pytest.mark.parametrize("remote", REMOTE)
@pytest.mark.parametrize("local", LOCAL)
async def test_local_and_remote_endings_race(local: str, remote: str) -> None:
    wire, then, allowed = REMOTE[remote]

    async def script(peer):
        if then == "fin":
            await peer.aclose()
        elif then == "rst":
            await lis.wait_for("start")  # a RST may discard the unread 101 otherwise
            await peer.abort()
        else:
            frames = await peer.drain_until_eof()
            closes = [f for f in frames if f.opcode == OP_CLOSE]
            assert len(closes) <= 1, "the client sent two Close frames"

    lis = RecordingListener(on_start=LOCAL[local])
    async with RawServer(script, respond=lambda req: handshake_response(req) + wire) as srv:
        await run_channel(srv.url, lis, timeout=25)
        await lis.assert_quiet()
    assert lis.status in allowed, f"{lis.status:#x} not in {[hex(a) for a in allowed]}; {lis.kinds()}"
