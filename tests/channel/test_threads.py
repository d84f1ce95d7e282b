"""Thread safety: 8 threads x 10,000 sendMsg on one channel, against the websockets server.

Every message is delivered once, each thread's messages in that thread's order (the channel
marshals off-thread calls FIFO per thread), each is acknowledged, and no call raises. The send
queue's bound (network.websocket.max-buffered-bytes) is counted across the threads without
losing a count: after the run, every byte is acknowledged and a message that fills the whole
bound is accepted again.
"""

from __future__ import annotations

import threading

import pytest
import trio
from support.listener import RecordingListener, open_channel, set_pref
from support.wsserver import echo_handler, websockets_server

from components import Cr, XPCOMError

pytestmark = pytest.mark.timeout(120)

THREADS, PER_THREAD = 8, 10_000


async def test_8_threads_x_10000_sendMsg_on_one_channel() -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)
    lis = RecordingListener()

    def worker(t: int) -> None:
        try:
            start.wait()
            for i in range(PER_THREAD):
                lis.channel.sendMsg(f"{t}:{i}")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    limit = 1 << 20
    with set_pref("network.websocket.max-buffered-bytes", limit), \
            websockets_server(echo_handler, compression=None) as srv:
        open_channel(srv.url, lis)
        await lis.wait_for("start")
        threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
        for th in threads:
            th.start()
        await trio.to_thread.run_sync(lambda: [th.join() for th in threads])
        assert not errors, errors[:3]
        await lis.wait_for("message", THREADS * PER_THREAD, timeout=90)
        await lis.wait_for("ack", THREADS * PER_THREAD)
        # The counts from 8 threads and the trio thread add up: nothing is left buffered, so a
        # message of the whole bound goes again, and the next one is refused until it is acked.
        lis.channel.sendBinaryMsg(bytes(limit))
        with pytest.raises(XPCOMError) as e:
            lis.channel.sendMsg("x")  # (not written yet: the flush runs once we yield)
        assert e.value.result == Cr.NS_ERROR_OUT_OF_MEMORY
        await lis.wait_for("binary")
        lis.channel.close(1000, "")
        assert await lis.wait_stopped() == Cr.NS_OK

    texts = [m for m in lis.messages if isinstance(m, str)]
    assert len(texts) == THREADS * PER_THREAD
    for t in range(THREADS):
        mine = [int(m.split(":")[1]) for m in texts if m.startswith(f"{t}:")]
        assert mine == list(range(PER_THREAD)), f"thread {t}: out of order or lost"
    assert sorted(lis.acks[:-1]) == sorted(len(m) for m in texts) and lis.acks[-1] == limit
