"""10,000 channels open at once in one process, each sending a message a second: none lost.

The CI-sized run of the `scale` benchmark workload (bench/README.md: 10,000 connections for a
minute against picows): here 10,000 connections for 10 seconds against the `websockets` echo
server in a child process (independent of our code, in the test dependencies, and in a process of
its own so its memory and CPU stay out of the figures). It checks that every message is echoed
and acknowledged, every channel ends NS_OK, and resident memory per open connection stays within
8 KiB; it prints the RSS per connection and the CPU time per message. Marked `scale` (about a
minute to a few, with the machine's load): `pytest -m "not scale"` leaves it out of a quick run.
"""

from __future__ import annotations

import time

import pytest
import trio
from support.listener import set_pref
from support.resources import raise_nofile, rss
from support.wsprocess import websockets_echo_process

from components import Cc, Ci, Cr, newURI

pytestmark = [pytest.mark.scale, pytest.mark.timeout(300)]

CONNECTIONS = 10_000
SECONDS = 10
RSS_PER_CONNECTION = 8 * 1024


class Totals:
    def __init__(self) -> None:
        self.received = self.acked = self.stopped = 0
        self.statuses: dict[int, int] = {}
        self.all_stopped = trio.Event()
        self.expected_stops = 0


class Talker:
    """A slim listener (the test's own objects should not dominate the per-connection figure)."""

    __slots__ = ("ch", "opened", "received", "totals")

    def __init__(self, ch: object, totals: Totals) -> None:
        self.ch, self.totals, self.received = ch, totals, 0
        self.opened: trio.Event | None = trio.Event()

    def onStart(self, ctx: object) -> None:
        assert self.opened is not None
        self.opened.set()

    def onMessageAvailable(self, ctx: object, msg: str) -> None:
        self.received += 1
        self.totals.received += 1

    def onBinaryMessageAvailable(self, ctx: object, msg: bytes) -> None:
        raise AssertionError("no binary message was sent")

    def onAcknowledge(self, ctx: object, size: int) -> None:
        self.totals.acked += 1

    def onServerClose(self, ctx: object, code: int, reason: str) -> None:
        pass

    def onError(self) -> None:
        pass

    def onStop(self, ctx: object, status: int) -> None:
        t = self.totals
        t.statuses[status] = t.statuses.get(status, 0) + 1
        t.stopped += 1
        if self.opened is not None:
            self.opened.set()  # an open that failed: the opener sees it stopped
        if t.stopped == t.expected_stops:
            t.all_stopped.set()


async def _open(url: str, totals: Totals) -> Talker:
    ch = Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance(Ci.nsIWebSocketChannel)
    talker = Talker(ch, totals)
    ch.asyncOpen(newURI(url), "", talker, None)
    assert talker.opened is not None
    with trio.fail_after(30):
        await talker.opened.wait()
    talker.opened = None
    assert not totals.stopped, f"a connection failed to open: {totals.statuses}"
    return talker


async def test_10000_channels_each_sending_a_message_a_second() -> None:
    raise_nofile(CONNECTIONS + 1000)
    totals = Totals()
    with set_pref("network.websocket.max-connections", CONNECTIONS + 10), \
            set_pref("network.websocket.extensions.permessage-deflate", False), \
            websockets_echo_process() as [url]:
        first = await _open(url, totals)
        base = rss()
        t_open = time.perf_counter()
        talkers = [await _open(url, totals) for _ in range(CONNECTIONS)]
        open_seconds = time.perf_counter() - t_open
        opened = rss()

        # Each connection sends once a second, staggered: a hundredth of them every 10 ms.
        sent, ticks = 0, 100
        t0, cpu0 = trio.current_time(), time.process_time()
        for tick in range(SECONDS * ticks):
            await trio.sleep_until(t0 + tick / ticks)
            part = tick % ticks
            for t in talkers[part * CONNECTIONS // ticks:(part + 1) * CONNECTIONS // ticks]:
                t.ch.sendMsg("0123456789abcdef" * 4)
                sent += 1
        with trio.move_on_after(60):
            while totals.received < sent or totals.acked < sent:
                await trio.sleep(0.05)
        cpu = time.process_time() - cpu0
        after = rss()

        assert not totals.stopped, f"connections ended during the traffic: {totals.statuses}"
        assert sent == CONNECTIONS * SECONDS
        assert totals.received == sent, f"{sent - totals.received} of {sent} messages not echoed"
        assert totals.acked == sent, f"{sent - totals.acked} of {sent} messages not acknowledged"
        assert {t.received for t in talkers} == {SECONDS}

        totals.expected_stops = CONNECTIONS + 1
        for t in [first, *talkers]:
            t.ch.close(1000, "")
        with trio.fail_after(120):
            await totals.all_stopped.wait()
    assert totals.statuses == {Cr.NS_OK: CONNECTIONS + 1}

    per_open = (opened - base) / CONNECTIONS
    per_busy = (after - base) / CONNECTIONS
    print(f"\nscale: {CONNECTIONS} connections opened in {open_seconds:.1f} s; RSS per connection "
          f"{per_open / 1024:.2f} KiB open, {per_busy / 1024:.2f} KiB after {SECONDS} s of traffic; "
          f"CPU {cpu / sent * 1e6:.1f} us per message ({sent} messages)")
    assert max(per_open, per_busy) <= RSS_PER_CONNECTION, (
        f"{max(per_open, per_busy) / 1024:.2f} KiB per connection, over 8 KiB")
