"""Connection admission: who may connect now, who must wait, who is refused.

Theory of operation
-------------------
RFC 6455 §4.1 asks a client to have at most one connection *in the CONNECTING
state* per remote host (by resolved address): a second channel to the same host
waits until the first one's opening handshake has succeeded or failed.  §7.2.3
asks a client whose connections keep failing to back off before reconnecting, so
that a fleet of pages does not hammer a server that is down.  Firefox implements
both in its admission manager, and adds a global cap on live channels
(``network.websocket.max-connections``) checked synchronously in ``asyncOpen``.

This module keeps those three rules and nothing else:

* :meth:`AdmissionManager.connecting` -- an async context manager held from
  before the TCP connect until the handshake outcome is known.  It first sleeps
  out any failed-reconnect delay recorded for (host, port, path), then takes the
  per-address slot (FIFO: waiters are admitted in the order they arrived).
  The caller reports the outcome with :meth:`Admission.succeeded` (clears the
  failure record) or :meth:`Admission.failed` (grows it).
* :class:`FailDelays` -- the backoff records: the first failure sets a delay
  drawn uniformly from 200-400 ms; each further failure multiplies it by 1.5, up
  to 60 s.  A record expires 60 s after its last failure (plus the delay it
  imposes), so a server that was down an hour ago is not punished today.
* :meth:`AdmissionManager.register` / :meth:`unregister` -- the live-channel
  count behind ``max-connections``.

State lives in a :class:`trio.lowlevel.RunVar`: each ``trio.run`` has its own
admission world, so a test's run cannot leak waiters or delays into the next
one, and trio primitives never cross runs.  Time is ``trio.current_time()``, so
tests can drive the backoff with a ``MockClock``.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Final

import trio

__all__ = [
    "BACKOFF_FACTOR",
    "INITIAL_DELAY_MAX",
    "INITIAL_DELAY_MIN",
    "MAX_DELAY",
    "RECORD_EXPIRY",
    "Admission",
    "AdmissionManager",
    "FailDelays",
    "current",
]

INITIAL_DELAY_MIN: Final = 0.2
INITIAL_DELAY_MAX: Final = 0.4
BACKOFF_FACTOR: Final = 1.5
MAX_DELAY: Final = 60.0
RECORD_EXPIRY: Final = 60.0

FailKey = tuple[str, int, str]  # (host, port, path)


@dataclass
class _FailRecord:
    delay: float  # the delay the *next* attempt must respect, counted from last_failure
    last_failure: float


class FailDelays:
    """Failed-reconnect delay records keyed by (host, port, path).

    *now* is a clock function (``trio.current_time`` in the driver) and *rand*
    draws the initial delay; both are parameters so the rules can be tested
    without sleeping.
    """

    def __init__(
        self, now: Callable[[], float], rand: Callable[[float, float], float] = random.uniform
    ) -> None:
        self._now = now
        self._rand = rand
        self._records: dict[FailKey, _FailRecord] = {}

    def _live(self, key: FailKey) -> _FailRecord | None:
        rec = self._records.get(key)
        if rec is not None and self._now() > rec.last_failure + rec.delay + RECORD_EXPIRY:
            del self._records[key]
            return None
        return rec

    def remaining(self, key: FailKey) -> float:
        """Seconds the next attempt to *key* must still wait (0 when it may go now)."""
        rec = self._live(key)
        if rec is None:
            return 0.0
        return max(0.0, rec.last_failure + rec.delay - self._now())

    def delay_of(self, key: FailKey) -> float | None:
        """The current delay of *key*'s record, or None without a live record."""
        rec = self._live(key)
        return None if rec is None else rec.delay

    def failed(self, key: FailKey) -> None:
        rec = self._live(key)
        now = self._now()
        if rec is None:
            self._records[key] = _FailRecord(self._rand(INITIAL_DELAY_MIN, INITIAL_DELAY_MAX), now)
        else:
            rec.delay = min(rec.delay * BACKOFF_FACTOR, MAX_DELAY)
            rec.last_failure = now

    def succeeded(self, key: FailKey) -> None:
        self._records.pop(key, None)

    def __len__(self) -> int:
        return len(self._records)


@dataclass
class Admission:
    """The outcome reporter handed out by :meth:`AdmissionManager.connecting`."""

    _manager: AdmissionManager
    _key: FailKey
    outcome: bool | None = field(default=None)

    def succeeded(self) -> None:
        self.outcome = True
        self._manager.fail_delays.succeeded(self._key)

    def failed(self) -> None:
        self.outcome = False
        self._manager.fail_delays.failed(self._key)


class AdmissionManager:
    """One per trio run (see :func:`current`)."""

    def __init__(self) -> None:
        self.fail_delays = FailDelays(trio.current_time)
        # address -> FIFO of waiters; the head of a non-empty deque owns the slot.
        self._queues: dict[str, deque[trio.Event]] = {}
        self.live = 0

    # -- max-connections ---------------------------------------------------------------------------

    def register(self, limit: int) -> bool:
        """Count one more live channel; False (and nothing counted) when *limit* is reached."""
        if self.live >= limit:
            return False
        self.live += 1
        return True

    def unregister(self) -> None:
        self.live -= 1

    # -- one CONNECTING per address ----------------------------------------------------------------

    def connecting_count(self, address: str) -> int:
        """Channels holding or waiting for *address*'s slot (for tests and statistics)."""
        return len(self._queues.get(address, ()))

    @asynccontextmanager
    async def connecting(
        self, address: str, fail_key: FailKey, *, delay_failed: bool = True
    ) -> AsyncIterator[Admission]:
        """Wait out the backoff for *fail_key*, then own *address*'s CONNECTING slot.

        The slot is released when the block exits, however it exits (cancellation
        included), and the next waiter in line is woken.  The caller reports the
        outcome on the :class:`Admission` it gets; a block that reports nothing
        (say, a user close() during connect) leaves the records untouched.
        """
        if delay_failed:
            # Re-check after sleeping: another channel to the same key may have
            # failed meanwhile and pushed the delay further.
            while (wait := self.fail_delays.remaining(fail_key)) > 0:
                await trio.sleep(wait)
        me = trio.Event()
        queue = self._queues.setdefault(address, deque())
        queue.append(me)
        try:
            if queue[0] is not me:
                await me.wait()
            admission = Admission(self, fail_key)
            yield admission
        finally:
            # Leave the queue wherever we are in it; if we were the owner, hand the slot on.
            was_head = bool(queue) and queue[0] is me
            try:
                queue.remove(me)
            except ValueError:  # pragma: no cover - defensive
                pass
            if not queue:
                if self._queues.get(address) is queue:
                    del self._queues[address]
            elif was_head:
                queue[0].set()


_current: trio.lowlevel.RunVar[AdmissionManager] = trio.lowlevel.RunVar("websocket_admission")


def current() -> AdmissionManager:
    """The admission manager of the current trio run (created on first use)."""
    try:
        return _current.get()
    except LookupError:
        manager = AdmissionManager()
        _current.set(manager)
        return manager
