"""Admission: failed-reconnect backoff rules, one CONNECTING per address, and the driver's use."""

from __future__ import annotations

import pytest
import trio
import trio.testing
from support.listener import RecordingListener, open_channel, run_channel, set_pref
from support.rawserver import RawServer

from components import Cr
from components.websocket import admission
from components.websocket.admission import FailDelays

pytestmark = pytest.mark.timeout(60)

KEY = ("example.org", 443, "/")


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_first_failure_delay_is_random_between_200_and_400_ms() -> None:
    seen = set()
    for _ in range(50):
        clock = Clock()
        d = FailDelays(clock)
        d.failed(KEY)
        delay = d.delay_of(KEY)
        assert delay is not None and 0.2 <= delay <= 0.4
        assert d.remaining(KEY) == pytest.approx(delay)
        seen.add(delay)
    assert len(seen) > 1


def test_delay_grows_by_half_and_caps_at_60_s() -> None:
    clock = Clock()
    d = FailDelays(clock, rand=lambda lo, hi: 0.3)
    d.failed(KEY)
    expected = 0.3
    for _ in range(30):
        clock.t += 1
        d.failed(KEY)
        expected = min(expected * 1.5, 60.0)
        assert d.delay_of(KEY) == pytest.approx(expected)
    assert d.delay_of(KEY) == 60.0
    clock.t += 10
    assert d.remaining(KEY) == pytest.approx(50.0)


def test_record_expires_and_success_clears() -> None:
    clock = Clock()
    d = FailDelays(clock, rand=lambda lo, hi: 0.3)
    d.failed(KEY)
    clock.t += 0.3 + 60.0 - 0.01
    assert d.delay_of(KEY) == 0.3  # still remembered
    assert d.remaining(KEY) == 0.0  # but no longer delaying
    clock.t += 0.02
    assert d.delay_of(KEY) is None  # expired
    d.failed(KEY)
    d.succeeded(KEY)
    assert d.delay_of(KEY) is None and len(d) == 0


def test_other_keys_are_independent() -> None:
    d = FailDelays(Clock(), rand=lambda lo, hi: 0.3)
    d.failed(KEY)
    assert d.remaining(("example.org", 443, "/other")) == 0.0


def test_connecting_waits_out_the_backoff_with_a_mock_clock() -> None:
    async def main() -> None:
        manager = admission.current()
        manager.fail_delays.failed(KEY)
        delay = manager.fail_delays.delay_of(KEY)
        assert delay is not None
        start = trio.current_time()
        async with manager.connecting("1.2.3.4", KEY) as adm:
            assert trio.current_time() - start >= delay
            adm.succeeded()
        assert manager.fail_delays.delay_of(KEY) is None
        # With delay-failed-reconnects off, no waiting at all.
        manager.fail_delays.failed(KEY)
        start = trio.current_time()
        async with manager.connecting("1.2.3.4", KEY, delay_failed=False):
            assert trio.current_time() == start

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))


async def test_one_connecting_per_address_fifo() -> None:
    manager = admission.current()
    order: list[str] = []
    release = trio.Event()

    async def user(name: str, hold: bool) -> None:
        async with manager.connecting("10.0.0.1", (name, 1, "/")):
            order.append(name)
            if hold:
                await release.wait()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(user, "a", True)
        await trio.testing.wait_all_tasks_blocked()
        nursery.start_soon(user, "b", False)
        await trio.testing.wait_all_tasks_blocked()
        nursery.start_soon(user, "c", False)
        await trio.testing.wait_all_tasks_blocked()
        assert order == ["a"] and manager.connecting_count("10.0.0.1") == 3
        async with manager.connecting("10.0.0.2", ("other", 1, "/")):
            order.append("other address")  # another host is not held up
        release.set()
    assert order == ["a", "other address", "b", "c"]
    assert manager.connecting_count("10.0.0.1") == 0


async def test_cancelled_waiter_leaves_the_queue() -> None:
    manager = admission.current()
    release = trio.Event()
    got: list[str] = []

    async def holder() -> None:
        async with manager.connecting("h", ("h", 1, "/")):
            await release.wait()

    async def waiter(name: str) -> None:
        async with manager.connecting("h", ("h", 1, "/")):
            got.append(name)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(holder)
        await trio.testing.wait_all_tasks_blocked()
        cancel_me = trio.CancelScope()

        async def cancelled_waiter() -> None:
            with cancel_me:
                await waiter("cancelled")

        nursery.start_soon(cancelled_waiter)
        await trio.testing.wait_all_tasks_blocked()
        nursery.start_soon(waiter, "late")
        await trio.testing.wait_all_tasks_blocked()
        assert manager.connecting_count("h") == 3
        cancel_me.cancel()
        await trio.testing.wait_all_tasks_blocked()
        assert manager.connecting_count("h") == 2
        release.set()
    assert got == ["late"]


async def test_channels_to_one_host_connect_one_at_a_time() -> None:
    gate = trio.Event()

    async def respond(req):  # type: ignore[no-untyped-def]
        if req.target == "/first":
            await gate.wait()
        return None  # the default 101

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.close_handshake(1000, "")
        await peer.aclose()

    async with RawServer(script, respond=respond) as srv:
        a, b = RecordingListener(), RecordingListener()
        open_channel(srv.url_for("/first"), a)
        await srv.wait_connected()
        await trio.testing.wait_all_tasks_blocked()
        open_channel(srv.url_for("/second"), b)
        await trio.testing.wait_all_tasks_blocked()
        assert [r.target for r in srv.requests] == ["/first"]  # b waits: a is CONNECTING
        gate.set()
        assert await a.wait_stopped() == Cr.NS_OK
        assert await b.wait_stopped() == Cr.NS_OK
    assert [r.target for r in srv.requests] == ["/first", "/second"]


async def test_failed_connection_records_a_backoff_that_success_clears() -> None:
    async with RawServer(None, respond=b"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n",
                         close_after_response=True) as srv:
        lis = await run_channel(srv.url_for("/x"))
    lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    delays = admission.current().fail_delays
    key = ("127.0.0.1", srv.port, "/x")
    assert delays.delay_of(key) is not None

    async def script(peer) -> None:  # type: ignore[no-untyped-def]
        await peer.close_handshake(1000, "")
        await peer.aclose()

    async with RawServer(script) as ok:
        key = ("127.0.0.1", ok.port, "/")
        delays.failed(key)
        lis = await run_channel(ok.url)
    lis.expect_status(Cr.NS_OK)
    assert delays.delay_of(key) is None


async def test_max_connections_counts_live_channels_only() -> None:
    with set_pref("network.websocket.max-connections", 1):
        for _ in range(3):  # each channel frees its slot at onStop
            lis = await run_channel("ws://127.0.0.1:9/")
            lis.expect_status(Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)
    assert admission.current().live == 0
