"""The benchmark runner: one echo server process, one fresh worker process per client x workload,
then a table of absolute numbers and of each peer's ratio to this project's channel ("ours").

    python -m bench [--quick] [--only rtt,pipe] [--clients ours,picows] [--repeat N] [--json FILE]

Ratios are always "how many times better ours is": ours/peer for throughputs, peer/ours for the
idle memory figure, so > 1.00 means ours wins everywhere. See bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import select
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from bench.common import LOWER_IS_BETTER, WORKLOADS, pinner, raise_nofile
from bench.peers import CLIENTS

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# Exit statuses of bench.worker (kept in sync by hand; importing the worker would be fine too,
# but the runner deliberately imports nothing a worker imports beyond bench.common/peers).
EXIT_MISSING, EXIT_UNSUPPORTED = 3, 4

# (workload, peer, minimum ours-over-peer ratio) from issue 5; idle and stream are absolute.
RATIO_TARGETS = [
    ("rtt", "websockets-trio", 1.5),
    ("rtt", "raw-trio", 1.0),
    ("pipe", "picows", 1.0),
    ("big", "websockets-asyncio", 1.0),
    ("big", "picows", 0.9),
    ("conn", "websockets-asyncio", 1.0),
]
IDLE_TARGET_KIB = 8.0
SCALE_TARGET_KIB = 8.0  # issue 13: 10,000 busy connections, RSS per connection
STREAM_TARGET_PEAK_MIB = 64.0


@dataclass
class Cell:
    """Outcome of one client x workload (best of the repeats when several succeeded)."""

    status: str                        # ok | missing | n/a | failed | timeout
    value: float | None = None
    unit: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    runs: list[float] = field(default_factory=list)


class Server:
    """The echo server subprocess (bench.server); restarted if it ever dies between runs."""

    def __init__(self, cpu: int | None) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.cpu = cpu

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [PY, "-m", "bench.server", "--lifetime", "7200"], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, preexec_fn=pinner(self.cpu),
        )
        assert self.proc.stdout is not None
        line = _readline(self.proc.stdout, timeout=20.0)
        if not line.startswith(b"PORT "):
            self.stop()
            raise RuntimeError(f"echo server did not start (said {line!r})")
        self.port = int(line.split()[1])

    def ensure(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            print("bench: (re)starting the echo server", file=sys.stderr)
            self.start()

    def stop(self) -> None:
        if self.proc is None:
            return
        # Closing its stdin is the server's cue to exit; kill it (by pid, it is our child) if not.
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.proc = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"


def _readline(stream: IO[bytes], timeout: float) -> bytes:
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else b""


def run_one(server: Server, client: str, workload: str, quick: bool, timeout: float,
            cpu: int | None) -> Cell:
    server.ensure()
    cmd = [PY, "-m", "bench.worker", client, workload, server.url] + (["--quick"] if quick else [])
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=timeout,
                              preexec_fn=pinner(cpu))
    except subprocess.TimeoutExpired:
        # subprocess.run kills the child (only that one process) before raising.
        return Cell("timeout", note=f"no result within {timeout:.0f} s")
    out, err = proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")
    if proc.returncode == EXIT_MISSING:
        return Cell("missing", note=err.strip().splitlines()[-1] if err.strip() else "import failed")
    if proc.returncode == EXIT_UNSUPPORTED:
        return Cell("n/a", note=err.strip())
    for line in reversed(out.splitlines()):
        if line.startswith("RESULT "):
            r = json.loads(line[7:])
            return Cell("ok", r["value"], r["unit"], r["extra"], runs=[r["value"]])
    last = err.strip().splitlines()[-1] if err.strip() else f"exit status {proc.returncode}"
    return Cell("failed", note=last[:200])


def best(cells: list[Cell], workload: str) -> Cell:
    ok = [c for c in cells if c.status == "ok" and c.value is not None]
    if not ok:
        return cells[-1]
    pick = min if workload in LOWER_IS_BETTER else max
    chosen = pick(ok, key=lambda c: c.value or 0.0)
    chosen.runs = [c.value for c in ok if c.value is not None]
    return chosen


def ratio(workload: str, ours: Cell, peer: Cell) -> float | None:
    """How many times better ours is than `peer` (> 1: ours wins)."""
    if ours.status != "ok" or peer.status != "ok" or not ours.value or not peer.value:
        return None
    return peer.value / ours.value if workload in LOWER_IS_BETTER else ours.value / peer.value


def fmt(v: float | None) -> str:
    if v is None:
        return "-"
    if v >= 10_000:
        return f"{v / 1000:.1f}k"
    if v >= 100:
        return f"{v:.0f}"
    return f"{v:.1f}"


def cell_text(c: Cell) -> str:
    return fmt(c.value) if c.status == "ok" else c.status


MARKDOWN = False   # set by --markdown: tables as GitHub markdown, ready for bench/README.md


def render(rows: list[list[str]]) -> str:
    """Rows (first one the header) as aligned plain text, or as a markdown table."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    if MARKDOWN:
        lines = ["| " + " | ".join(v.ljust(widths[i]) for i, v in enumerate(r)) + " |" for r in rows]
        lines.insert(1, "|" + "|".join("-" * (wd + 2) for wd in widths) + "|")
    else:
        lines = ["  ".join(v.ljust(widths[i]) for i, v in enumerate(r)).rstrip() for r in rows]
        lines.insert(1, "  ".join("-" * wd for wd in widths))
    return "\n".join(lines)


def table(results: dict[str, dict[str, Cell]], clients: list[str]) -> str:
    names = {"websockets-asyncio": "ws-asyncio", "websockets-trio": "ws-trio"}
    head = ["workload", "unit"] + [names.get(c, c) for c in clients]
    rows = [head]
    for w, per in results.items():
        unit = next((c.unit for c in per.values() if c.status == "ok"), "")
        row = [w, unit]
        for c in clients:
            cell = per.get(c)
            if cell is None:
                row.append("")
                continue
            text = cell_text(cell)
            if c != "ours" and "ours" in per:
                r = ratio(w, per["ours"], cell)
                if r is not None:
                    text += f" ({r:.2f}x)"
            row.append(text)
        rows.append(row)
    return render(rows)


def cpu_table(results: dict[str, dict[str, Cell]], clients: list[str]) -> str:
    """Client CPU microseconds per operation (message, MiB message or connection): steadier than
    wall time on a shared machine, and the part each library is responsible for."""
    names = {"websockets-asyncio": "ws-asyncio", "websockets-trio": "ws-trio"}
    head = ["workload", "unit"] + [names.get(c, c) for c in clients]
    rows = [head]
    for w, per in results.items():
        if not any("cpu_us_per_op" in c.extra for c in per.values()):
            continue
        unit = {"big": "us/MiB msg", "conn": "us/conn", "stream": "us/MiB",
                "xpidl": "us/file"}.get(w, "us/msg")
        row = [w, unit]
        for c in clients:
            cell = per.get(c)
            v = cell.extra.get("cpu_us_per_op") if cell is not None and cell.status == "ok" else None
            row.append(fmt(v) if v is not None else "")
        rows.append(row)
        if w == "big":
            # Page faults per 1 MiB echo: the main source of big-message variance (see README).
            faults = ["big", "faults/msg"]
            for c in clients:
                cell = per.get(c)
                f = cell.extra.get("minflt_per_op") if cell is not None and cell.status == "ok" else None
                faults.append(fmt(f) if f is not None else "")
            rows.append(faults)
    if len(rows) == 1:
        return ""
    return render(rows)


def extras_text(results: dict[str, dict[str, Cell]]) -> list[str]:
    """Secondary figures worth a line: stream peak RSS, xpidl corpus size, failures."""
    out = []
    for w, per in results.items():
        for c, cell in per.items():
            if cell.status in ("failed", "timeout", "missing"):
                out.append(f"  {w}/{c}: {cell.status}: {cell.note}")
            elif cell.status == "ok" and w in ("stream", "xpidl", "idle", "scale") and (
                    c == "ours" or w == "scale"):
                keep = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in cell.extra.items()}
                out.append(f"  {w}/{c}: {keep}")
            if cell.status == "ok" and len(cell.runs) > 1:
                out.append(f"  {w}/{c}: runs {[fmt(v) for v in cell.runs]}")
    return out


def targets_text(results: dict[str, dict[str, Cell]]) -> list[str]:
    out = []
    for w, peer, need in RATIO_TARGETS:
        per = results.get(w, {})
        if "ours" not in per or peer not in per:
            continue
        r = ratio(w, per["ours"], per[peer])
        verdict = "n/a" if r is None else ("MET" if r >= need else "NOT MET")
        shown = f"{r:.2f}" if r is not None else "-"
        out.append(f"  {w:<6} ours >= {need:.1f}x {peer:<20} {shown:>6}x  {verdict}")
    idle = results.get("idle", {}).get("ours")
    if idle is not None and idle.status == "ok" and idle.value is not None:
        verdict = "MET" if idle.value <= IDLE_TARGET_KIB else "NOT MET"
        out.append(f"  idle   ours <= {IDLE_TARGET_KIB:.0f} KiB/conn {'':<14} {idle.value:>6.1f}   {verdict}")
    scale = results.get("scale", {}).get("ours")
    if scale is not None and scale.status == "ok" and scale.value is not None:
        n, lost = scale.extra.get("connections", 0), scale.extra.get("lost", -1)
        verdict = "MET" if scale.value <= SCALE_TARGET_KIB and lost == 0 else "NOT MET"
        out.append(f"  scale  ours <= {SCALE_TARGET_KIB:.0f} KiB/conn, 0 lost ({n} conns, {lost} lost) "
                   f"{scale.value:>6.1f}   {verdict}")
    stream = results.get("stream", {}).get("ours")
    if stream is not None and stream.status == "ok":
        peak = float(stream.extra.get("peak_rss_mib", 0.0))
        gib = stream.extra.get("bytes", 0) / 2**30
        verdict = "MET" if peak < STREAM_TARGET_PEAK_MIB else "NOT MET"
        out.append(f"  stream peak RSS < {STREAM_TARGET_PEAK_MIB:.0f} MiB ({gib:.2f} GiB sent) {'':<4}"
                   f"{peak:>6.1f}   {verdict}")
    return out


def versions() -> dict[str, str]:
    v = {"python": platform.python_version(), "cpus": str(os.cpu_count())}
    for dist in ("trio", "websockets", "trio-websocket", "aiohttp", "picows", "uvloop", "xpcom-websocket"):
        try:
            v[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            v[dist] = "missing"
    return v


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small counts: a smoke run")
    ap.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated workloads")
    ap.add_argument("--clients", default=",".join(CLIENTS), help="comma-separated clients")
    ap.add_argument("--repeat", type=int, default=1, help="runs per cell, best one kept (default 1)")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds per worker process (default 300, 90 with --quick)")
    ap.add_argument("--no-pin", action="store_true",
                    help="do not pin the server to CPU 0 and the clients to CPU 1")
    ap.add_argument("--markdown", action="store_true", help="print the tables as markdown")
    ap.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    args = ap.parse_args(argv)

    workloads = [w.strip() for w in args.only.split(",") if w.strip()]
    clients = [c.strip() for c in args.clients.split(",") if c.strip()]
    bad = [w for w in workloads if w not in WORKLOADS] + [c for c in clients if c not in CLIENTS]
    if bad:
        ap.error(f"unknown workload/client: {', '.join(bad)} (workloads: {', '.join(WORKLOADS)}; "
                 f"clients: {', '.join(CLIENTS)})")
    global MARKDOWN
    MARKDOWN = args.markdown
    timeout = args.timeout or (90.0 if args.quick else 300.0)
    repeat = max(1, min(args.repeat, 20))
    raise_nofile()

    env = versions()
    # bench.server falls back to bench/rawserver.py (plain asyncio) when picows cannot be imported.
    try:
        import picows  # noqa: F401

        env["server"] = "picows on uvloop"
    except ImportError:
        env["server"] = "asyncio fallback (picows not importable)"
    print("bench: " + ", ".join(f"{k} {v}" for k, v in env.items()), file=sys.stderr)
    pin = not args.no_pin and len(os.sched_getaffinity(0)) >= 2
    cpus = sorted(os.sched_getaffinity(0))
    server_cpu, client_cpu = (cpus[0], cpus[1]) if pin else (None, None)
    env["pinned"] = f"server cpu {server_cpu}, clients cpu {client_cpu}" if pin else "no"
    server = Server(server_cpu)
    load_start = os.getloadavg()[0]
    results: dict[str, dict[str, Cell]] = {}
    t_start = time.monotonic()
    try:
        try:
            server.start()
        except (RuntimeError, OSError) as e:
            print(f"bench: cannot start the echo server: {e}", file=sys.stderr)
            return 2
        for w in workloads:
            results[w] = {}
            # Repeats go round-robin over the clients (not N in a row per client), so a burst of
            # load from something else on the machine hits all clients alike, not one of them.
            tries: dict[str, list[Cell]] = {c: [] for c in clients}
            for rnd in range(repeat):
                for c in clients:
                    if rnd and tries[c][0].status in ("n/a", "missing"):
                        continue
                    cell = run_one(server, c, w, args.quick, timeout, client_cpu)
                    tries[c].append(cell)
                    if cell.status != "n/a":
                        print(f"bench: {w:<6} {c:<18} {cell_text(cell):>8} {cell.unit} {cell.note}".rstrip(),
                              file=sys.stderr)
            for c in clients:
                cell = best(tries[c], w)
                if cell.status != "n/a":  # the workload does not apply to this client: no entry
                    results[w][c] = cell
    finally:
        server.stop()

    load_end = os.getloadavg()[0]
    env["loadavg_1min"] = f"{load_start:.2f} at start, {load_end:.2f} at end"
    # The JSON first: the tables below may go to a pipe that closes early (| head).
    if args.json:
        doc = {"env": env, "quick": args.quick, "repeat": repeat,
               "results": {w: {c: vars(cell) for c, cell in per.items()} for w, per in results.items()}}
        Path(args.json).write_text(json.dumps(doc, indent=2))

    shown = [c for c in clients if any(c in per for per in results.values())]
    print()
    print(table(results, shown))
    print("\n(x) = ours / peer for throughputs, peer / ours for idle memory: > 1.00 means ours is better")
    cpu = cpu_table(results, shown)
    if cpu:
        print("\nclient CPU time per operation (lower is better; user + system, the client process only):")
        print(cpu)
    more = extras_text(results)
    if more:
        print("\nnotes:")
        print("\n".join(more))
    tgt = targets_text(results)
    if tgt:
        print("\ntargets (issue 5):")
        print("\n".join(tgt))
    print(f"\n{'quick' if args.quick else 'full'} run, {time.monotonic() - t_start:.0f} s, repeat={repeat}, "
          f"{env['pinned'] if pin else 'not pinned'}, 1-min load average {env['loadavg_1min']}, "
          f"echo server: {env['server']}")

    return 0


if __name__ == "__main__":
    sys.exit(main())
