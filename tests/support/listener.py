"""A recording nsIWebSocketListener and helpers to open channels in tests.

    from support.listener import RecordingListener, open_channel, run_channel, set_pref

    lis = await run_channel(srv.url)                  # opens, waits for onStop (hang guard)
    assert lis.status == Cr.NS_OK
    assert lis.kinds() == ["start", "server_close", "stop"]

    lis = RecordingListener(on_start=lambda lis: lis.channel.sendMsg("hi"))
    ch = open_channel(srv.url, lis, protocol="chat")  # returns at once, like asyncOpen
    await lis.wait_for("message")                     # first onMessageAvailable (hang guard)
    ch.close(1000, "")
    await lis.wait_stopped()

`RecordingListener` records every callback, in order, in `events` as tuples:
    ("start",) ("message", str) ("binary", bytes) ("ack", size) ("server_close", code, reason)
    ("error",) ("stop", status)
It checks the listener contract as the calls come (violations collected in `violations` and
raised by `check()`, which `wait_stopped()` and `run_channel()` call): the context object is the
one given to asyncOpen, no callback before asyncOpen returned, all on the trio thread, onStop
exactly once and last, no message or acknowledgement after onServerClose, onError at most
once and never with NS_OK. After onStop, `assert_quiet()` (async) waits a few scheduler rounds
and fails if any callback arrived later. Hooks `on_start`, `on_message`, `on_binary`,
`on_ack`, `on_server_close`, `on_error`, `on_stop` are called as hook(listener, *args) after
recording; the channel is `listener.channel`.

`open_channel(url, listener=None, *, origin="", context=CTX, protocol=None, setup=None)`
creates the channel by contract ID from the URL's scheme, sets `protocol`, calls
`setup(channel)` (e.g. to set pingInterval or inject TLS settings), then asyncOpen.
`run_channel(...)` does the same and awaits onStop (`timeout` is a hang guard only).
`set_pref(name, value)` is a context manager that sets a network.websocket.* preference and
restores the previous value (int, bool or str by the value's type); `prefs()` is the service.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import trio
import trio.testing

__all__ = ["CTX", "RecordingListener", "open_channel", "run_channel", "set_pref", "prefs", "status_name"]

CTX = object()  # the default aContext: listeners check they get this very object back
HANG_GUARD = 20.0


def status_name(code: int | None) -> str:
    if code is None:
        return "None"
    from components.results import result_name

    return result_name(code)


class RecordingListener:
    def __init__(self, *, context: Any = CTX, **hooks: Callable[..., Any]) -> None:
        unknown = set(hooks) - {"on_start", "on_message", "on_binary", "on_ack",
                                "on_server_close", "on_error", "on_stop"}
        if unknown:
            raise TypeError(f"unknown hooks {unknown}")
        self.hooks = hooks
        self.context = context
        self.channel: Any = None
        self.events: list[tuple[Any, ...]] = []
        self.violations: list[str] = []
        self.status: int | None = None
        self.stopped = trio.Event()
        self.opened = False  # set by open_channel once asyncOpen has returned
        self._thread = threading.get_ident()
        self._changed = trio.Event()

    # -- the nsIWebSocketListener methods --------------------------------------------------
    def onStart(self, aContext: Any) -> None:
        self._record(aContext, "start")

    def onStop(self, aContext: Any, aStatusCode: int) -> None:
        if self.stopped.is_set():
            self.violations.append(f"onStop called twice (second status {status_name(aStatusCode)})")
        self._record(aContext, "stop", aStatusCode)
        if self.status is None:
            self.status = aStatusCode
        self.stopped.set()

    def onMessageAvailable(self, aContext: Any, aMsg: str) -> None:
        if not isinstance(aMsg, str):
            self.violations.append(f"onMessageAvailable got {type(aMsg).__name__}, not str")
        self._record(aContext, "message", aMsg)

    def onBinaryMessageAvailable(self, aContext: Any, aMsg: bytes) -> None:
        if not isinstance(aMsg, bytes | bytearray | memoryview):
            self.violations.append(f"onBinaryMessageAvailable got {type(aMsg).__name__}")
        self._record(aContext, "binary", bytes(aMsg))

    def onAcknowledge(self, aContext: Any, aSize: int) -> None:
        self._record(aContext, "ack", aSize)

    def onServerClose(self, aContext: Any, aCode: int, aReason: str) -> None:
        self._record(aContext, "server_close", aCode, aReason)

    def onError(self) -> None:
        self._record(self.context, "error")

    # -- bookkeeping ----------------------------------------------------------------------
    _HOOK = {"start": "on_start", "stop": "on_stop", "message": "on_message", "binary": "on_binary",
             "ack": "on_ack", "server_close": "on_server_close", "error": "on_error"}

    def _record(self, ctx: Any, kind: str, *args: Any) -> None:
        if ctx is not self.context:
            self.violations.append(f"on{kind}: context {ctx!r} is not the one given to asyncOpen")
        if not self.opened:
            self.violations.append(f"{kind} callback before asyncOpen returned")
        if threading.get_ident() != self._thread:
            self.violations.append(f"{kind} callback off the trio thread")
        if self.stopped.is_set() and kind != "stop":
            self.violations.append(f"{kind} callback after onStop: {args!r:.80}")
        self.events.append((kind, *args))
        self._changed.set()
        self._changed = trio.Event()
        hook = self.hooks.get(self._HOOK[kind])
        if hook is not None:
            hook(self, *args)

    # -- queries ----------------------------------------------------------------------------
    def kinds(self) -> list[str]:
        return [e[0] for e in self.events]

    def of(self, kind: str) -> list[tuple[Any, ...]]:
        return [e for e in self.events if e[0] == kind]

    @property
    def messages(self) -> list[str | bytes]:
        """Text and binary messages in arrival order."""
        return [e[1] for e in self.events if e[0] in ("message", "binary")]

    @property
    def acks(self) -> list[int]:
        return [e[1] for e in self.events if e[0] == "ack"]

    @property
    def server_close(self) -> tuple[int, str] | None:
        sc = self.of("server_close")
        return (sc[0][1], sc[0][2]) if sc else None

    def check(self) -> None:
        """Raise AssertionError listing contract violations so far (and onStop not last)."""
        problems = list(self.violations)
        stops = [i for i, e in enumerate(self.events) if e[0] == "stop"]
        if len(stops) > 1:
            problems.append("onStop more than once")
        if stops and stops[0] != len(self.events) - 1:
            problems.append(f"events after onStop: {self.events[stops[0] + 1:]!r:.200}")
        if self.of("server_close") and len(self.of("server_close")) > 1:
            problems.append("onServerClose more than once")
        kinds = self.kinds()
        if "server_close" in kinds:
            late = [k for k in kinds[kinds.index("server_close") + 1:] if k in ("message", "binary", "ack")]
            if late:
                problems.append(f"{late} after onServerClose")
        if len(self.of("error")) > 1:
            problems.append("onError more than once")
        if self.of("error") and self.status == 0:
            problems.append("onError on a connection that closed cleanly (onStop NS_OK)")
        if self.of("start"):
            if self.kinds()[0] != "start":
                problems.append(f"callbacks before onStart: {self.kinds()[:3]}")
        if problems:
            raise AssertionError("listener contract: " + "; ".join(problems))

    async def wait_for(self, kind: str, count: int = 1, timeout: float = HANG_GUARD) -> tuple[Any, ...]:
        """Wait until *count* callbacks of *kind* were recorded; return the count-th one.

        Fails at once if onStop arrives first (unless kind == "stop").
        """
        with trio.fail_after(timeout):
            while len(self.of(kind)) < count:
                if self.stopped.is_set() and kind != "stop":
                    raise AssertionError(
                        f"onStop({status_name(self.status)}) before {count} x {kind}: {self.events!r:.300}")
                await self._changed.wait()
        return self.of(kind)[count - 1]

    async def wait_stopped(self, timeout: float = HANG_GUARD) -> int:
        """Wait for onStop (hang guard), check the contract, return the status."""
        with trio.fail_after(timeout):
            await self.stopped.wait()
        self.check()
        assert self.status is not None
        return self.status

    async def assert_quiet(self, cushion: float = 0.02) -> None:
        """After onStop: let every task run until all are blocked; no callback may follow."""
        n = len(self.events)
        with trio.fail_after(HANG_GUARD):
            await trio.testing.wait_all_tasks_blocked(cushion)
        assert len(self.events) == n, f"callbacks after onStop: {self.events[n:]!r:.200}"
        self.check()

    def expect_status(self, expected: int) -> None:
        assert self.status == expected, (
            f"onStop status {status_name(self.status)}, expected {status_name(expected)}; "
            f"events {self.events!r:.400}")


def open_channel(
    url: str,
    listener: RecordingListener | None = None,
    *,
    origin: str = "",
    protocol: str | None = None,
    setup: Callable[[Any], None] | None = None,
) -> Any:
    """Create a channel for *url* by contract ID, then asyncOpen. Returns the channel."""
    from components import Cc, Ci, newURI

    scheme = url.split(":", 1)[0].lower()
    ch = Cc[f"@mozilla.org/network/protocol;1?name={scheme}"].createInstance(Ci.nsIWebSocketChannel)
    lis = listener if listener is not None else RecordingListener()
    lis.channel = ch
    if protocol is not None:
        ch.protocol = protocol
    if setup is not None:
        setup(ch)
    ch.asyncOpen(newURI(url), origin, lis, lis.context)
    lis.opened = True
    return ch


async def run_channel(
    url: str,
    listener: RecordingListener | None = None,
    *,
    timeout: float = HANG_GUARD,
    **kw: Any,
) -> RecordingListener:
    """open_channel(url, listener, **kw) and wait for onStop; returns the listener."""
    lis = listener if listener is not None else RecordingListener()
    open_channel(url, lis, **kw)
    await lis.wait_stopped(timeout)
    return lis


def prefs() -> Any:
    from components import Cc, Ci

    return Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)


@contextlib.contextmanager
def set_pref(name: str, value: int | bool | str) -> Iterator[None]:
    """Temporarily set a preference (restored on exit, even on failure)."""
    p = prefs()
    if isinstance(value, bool):
        get, put = p.getBoolPref, p.setBoolPref
    elif isinstance(value, int):
        get, put = p.getIntPref, p.setIntPref
    else:
        get, put = p.getCharPref, p.setCharPref
    had_user = p.prefHasUserValue(name)
    old = get(name) if had_user else None
    put(name, value)
    try:
        yield
    finally:
        if had_user:
            put(name, old)
        else:
            p.clearUserPref(name)
