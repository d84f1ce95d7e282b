"""Shared pieces of the benchmark: workload sizes, result records, process helpers.

Everything here is imported by both the runner (parent process) and the workers (one fresh
subprocess per client x workload), so it must stay cheap to import: no peer library, no trio,
no asyncio at module level.
"""
from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

# The one payload every message workload sends: 64 ASCII characters, so a text frame is a
# 2-byte header + 64 bytes from the server and 6 + 64 bytes (with the mask key) from a client.
TEXT_64 = "0123456789abcdef" * 4
assert len(TEXT_64) == 64

# Workload names in the order the table shows them.
WORKLOADS = ("rtt", "pipe", "big", "conn", "idle", "scale", "stream", "xpidl")

# Which workloads measure "higher is better" (throughput) and which "lower is better" (memory).
LOWER_IS_BETTER = frozenset({"idle", "scale"})


@dataclass(frozen=True)
class Params:
    """Sizes of one workload. `quick` variants keep a smoke run under a minute in total."""

    count: int          # messages, connections or files
    size: int = 64      # payload bytes per message
    window: int = 1     # messages in flight
    warmup: int = 0     # untimed messages (same connection) or connections before the clock starts
    seconds: int = 0    # scale: how long every connection sends one message a second


FULL: dict[str, Params] = {
    "rtt": Params(count=20_000, size=64, window=1, warmup=500),
    "pipe": Params(count=100_000, size=64, window=256, warmup=1_000),
    "big": Params(count=200, size=1 << 20, window=1, warmup=5),
    "conn": Params(count=300, warmup=10),
    "idle": Params(count=1_000),
    "scale": Params(count=10_000, seconds=60),
    "stream": Params(count=1, size=1 << 30),
    "xpidl": Params(count=2_000),      # synthetic IDL files (plus all of idl/)
}

QUICK: dict[str, Params] = {
    "rtt": Params(count=2_000, size=64, window=1, warmup=100),
    "pipe": Params(count=10_000, size=64, window=256, warmup=200),
    "big": Params(count=20, size=1 << 20, window=1, warmup=2),
    "conn": Params(count=30, warmup=5),
    "idle": Params(count=100),
    "scale": Params(count=500, seconds=5),
    "stream": Params(count=1, size=64 << 20),
    "xpidl": Params(count=100),
}


@dataclass
class Result:
    """What a worker reports for one client x workload (printed as one JSON line)."""

    value: float                    # the headline number (unit below)
    unit: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Missing(Exception):
    """The code a client needs is not there (yet): reported as "missing", not as a failure."""


class Unsupported(Exception):
    """A client has no meaningful way to run this workload (reported as n/a, not as a failure)."""


def raise_nofile(want: int = 65_536) -> int:
    """Lift the soft RLIMIT_NOFILE as far as the hard limit allows (the idle workload holds
    1,000 sockets in the client and 1,000 in the server). Returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def rss() -> int:
    """Current resident set size in bytes, after a full collection so garbage is not counted."""
    gc.collect()
    with open(f"/proc/{os.getpid()}/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def peak_rss() -> int:
    """Peak resident set size of this process so far, in bytes (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def idle_result(base: int, after: int, count: int) -> Result:
    """Resident memory per idle connection: (RSS with `count` more open - RSS before) / count."""
    per = (after - base) / count
    return Result(per / 1024, "KiB/conn", {"rss_base_mib": base / 2**20, "rss_after_mib": after / 2**20,
                                           "connections": count})


def scale_result(count: int, base: int, opened: int, after: int, traffic: Elapsed, sent: int,
                 received: int, open_seconds: float) -> Result:
    """The scale workload: RSS per connection with `count` connections open and after their
    traffic (the larger of the two is the headline), the client's CPU time per echoed message,
    and the messages lost (sent - echoed: must be 0)."""
    per = (max(opened, after) - base) / count
    return Result(per / 1024, "KiB/conn", {
        **_timing(traffic, received), "connections": count, "sent": sent, "received": received,
        "lost": sent - received, "open_seconds": open_seconds,
        "rss_open_kib_per_conn": (opened - base) / count / 1024,
        "rss_traffic_kib_per_conn": (after - base) / count / 1024,
        "rss_base_mib": base / 2**20, "rss_after_mib": after / 2**20})


class Elapsed(float):
    """Wall-clock seconds (the float value) that also carry the client process's CPU seconds
    and its minor page faults over the same span.

    Wall time is the headline, but on a shared 2-core VM it swings with whatever else runs;
    the client's own CPU time per operation is far steadier and is what a library controls.
    Minor faults explain much of what remains for big messages: a fresh 1 MiB buffer that
    glibc has just handed back to the kernel costs 256 faults to touch again."""

    cpu: float
    minflt: int

    def __new__(cls, wall: float, cpu: float, minflt: int = 0) -> Elapsed:
        self = super().__new__(cls, wall)
        self.cpu = cpu
        self.minflt = minflt
        return self


class Clock:
    """Started on creation; stop() -> Elapsed (wall, CPU time, minor faults of this process)."""

    __slots__ = ("wall0", "cpu0", "flt0")

    def __init__(self) -> None:
        self.flt0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        self.cpu0 = time.process_time()
        self.wall0 = time.perf_counter()

    def stop(self) -> Elapsed:
        wall = time.perf_counter() - self.wall0
        cpu = time.process_time() - self.cpu0
        return Elapsed(wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - self.flt0)


def _timing(seconds: float, count: int) -> dict[str, Any]:
    out: dict[str, Any] = {"seconds": float(seconds)}
    cpu = getattr(seconds, "cpu", None)
    if cpu is not None and count:
        out["cpu_seconds"] = cpu
        out["cpu_us_per_op"] = cpu / count * 1e6
        out["minflt_per_op"] = getattr(seconds, "minflt", 0) / count
    return out


def rate(count: int, seconds: float, unit: str, **extra: Any) -> Result:
    return Result(count / seconds, unit, {**_timing(seconds, count), "count": count, **extra})


def mbps(nbytes: int, seconds: float, count: int = 0, **extra: Any) -> Result:
    """Throughput in MB/s (10^6 bytes), counting each payload byte once (one direction)."""
    return Result(nbytes / seconds / 1e6, "MB/s", {**_timing(seconds, count), "bytes": nbytes, **extra})


def pinner(cpu: int | None) -> Callable[[], None] | None:
    """A preexec_fn pinning the child to one CPU. Round-trip latency between two processes
    depends a lot on whether they share a core (a same-core ping-pong skips the cross-core
    wake-up); pinning server and client to different cores makes every client pay the same."""
    if cpu is None:
        return None
    return lambda: os.sched_setaffinity(0, {cpu})


def run_worker(cmd: list[str], cwd: Any, timeout: float, cpu: int | None) -> Result | str:
    """Run a worker process (pinned to *cpu*) and read its last ``RESULT <json>`` line.

    Returns the Result, or "timeout" / "failed" (the tail of its stderr is copied to ours)."""
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout, preexec_fn=pinner(cpu))
    except subprocess.TimeoutExpired:
        return "timeout"
    for line in reversed(proc.stdout.decode().splitlines()):
        if line.startswith("RESULT "):
            data = json.loads(line[7:])
            return Result(data["value"], data["unit"], data["extra"])
    sys.stderr.write(proc.stderr.decode()[-2000:])
    return "failed"
