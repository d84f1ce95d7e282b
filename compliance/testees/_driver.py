"""The fuzzing server's client protocol, once, for every testee (trio or asyncio alike).

A testee module supplies one coroutine, `session(url, echo)`: open a WebSocket to `url`, echo
every text and binary message back when `echo` is true, return when the connection is over,
with the first text message received (the case count for /getCaseCount). `drive()` does the
rest: /getCaseCount, then /runCase?case=N&agent=NAME for N = 1..count, then
/updateReports?agent=NAME, each connection under a deadline. A case that raises or runs out of
time is written to stderr and the next one starts: the suite grades what happened on the
wire, so a client exception is just one way of failing a case, never the end of the run.

The module runs as `python -m compliance.testees.NAME URL AGENT [--case-timeout S]` and
prints one JSON line on stdout at the end (`cases`, `errors`, `seconds`) for the runner.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from urllib.parse import quote

Session = Callable[[str, bool], Awaitable[str | None]]
Deadline = Callable[[float], AbstractAsyncContextManager[object]]

MISSING_LIBRARY = 3   # exit status: the peer library is not installed


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Autobahn fuzzing-server client (one testee)")
    p.add_argument("url", help="the fuzzing server, ws://127.0.0.1:PORT")
    p.add_argument("agent", help="the name the report files this client under")
    p.add_argument("--case-timeout", type=float, default=60.0,
                   help="seconds one case may take before it is abandoned (default 60)")
    return p.parse_args(argv)


@asynccontextmanager
async def trio_deadline(seconds: float) -> AsyncIterator[None]:
    """trio.fail_after as the async context manager drive() takes (asyncio.timeout already is)."""
    import trio

    with trio.fail_after(seconds):
        yield


def missing_library(name: str, error: ImportError) -> None:
    print(f"{name} is not installed ({error}); pip install -e '.[bench]' brings it", file=sys.stderr)
    sys.exit(MISSING_LIBRARY)


async def drive(args: argparse.Namespace, session: Session, deadline: Deadline) -> None:
    started = time.monotonic()
    agent = quote(args.agent)
    errors = 0

    async def attempt(what: str, url: str, echo: bool) -> str | None:
        nonlocal errors
        try:
            async with deadline(args.case_timeout):
                return await session(url, echo)
        except Exception as e:  # noqa: BLE001 - any failure is the case's outcome, not ours
            errors += 1
            print(f"{args.agent}: {what}: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
            return None

    text = await attempt("getCaseCount", f"{args.url}/getCaseCount", False)
    try:
        count = int(text or "")
    except ValueError:
        print(f"{args.agent}: getCaseCount answered {text!r}", file=sys.stderr)
        sys.exit(2)
    for n in range(1, count + 1):
        await attempt(f"case {n}", f"{args.url}/runCase?case={n}&agent={agent}", True)
        if n % 50 == 0:
            print(f"{args.agent}: {n}/{count} cases", file=sys.stderr, flush=True)
    await attempt("updateReports", f"{args.url}/updateReports?agent={agent}", False)
    print(json.dumps({"cases": count, "errors": errors, "seconds": round(time.monotonic() - started, 1)}),
          flush=True)
