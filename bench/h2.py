"""WebSockets over HTTP/2 (RFC 8441) against HTTP/1.1, through the same server.

    python -m bench.h2 [--quick] [--repeat N] [--only rtt,big,conn,many] [--no-pin]

One hypercorn process (a real RFC 8441 server; asyncio, on uvloop when installed) serves an
ASGI echo application over TLS with a throwaway trustme CA, offering ALPN h2 and http/1.1.
Each workload then runs our channel (wss) in a fresh worker process twice: with the pref
``network.http.http2.websockets`` on (extended CONNECT on an h2 stream) and off (the
HTTP/1.1 Upgrade), so the ratio h2 / http/1.1 isolates what carrying the WebSocket in
HTTP/2 costs or saves, server included.  rtt, big and conn are bench.peers.ours' own
workloads (bench/README.md); ``many`` is h2 only: 100 channels opened together share one
h2 connection (checked), then all run round trips at once (aggregate msg/s, and the time to
open the 100).  Server and worker are pinned to different CPUs as in ``python -m bench``.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import FULL, QUICK, Params, Result, pinner, rate, run_worker

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
WORKLOADS = ("rtt", "big", "conn", "many")
MANY = Params(count=100, size=64, window=1, warmup=10)  # channels; count x 200 round trips each
MANY_QUICK = Params(count=100, size=64, window=1, warmup=2)
MANY_ROUNDS, MANY_ROUNDS_QUICK = 200, 20


# -- the server process --------------------------------------------------------------------------


async def _echo_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    if scope["type"] != "websocket":
        return
    await receive()
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await send({"type": "websocket.send", "text": message["text"]})
        else:
            await send({"type": "websocket.send", "bytes": message["bytes"]})


def serve(certdir: str) -> None:
    import asyncio

    from hypercorn.asyncio import serve as hypercorn_serve
    from hypercorn.config import Config

    try:
        import uvloop
    except ImportError:
        uvloop = None  # type: ignore[assignment]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    config = Config()
    config.bind = [f"fd://{sock.fileno()}"]
    config.certfile, config.keyfile = f"{certdir}/cert.pem", f"{certdir}/key.pem"
    config.alpn_protocols = ["h2", "http/1.1"]
    config.accesslog = config.errorlog = None
    config.websocket_max_message_size = 64 << 20
    config.h2_max_concurrent_streams = 200
    print(f"PORT {sock.getsockname()[1]}", flush=True)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_reader(sys.stdin.fileno(), stop.set)  # the runner closes our stdin: exit
        await hypercorn_serve(_echo_app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]

    if uvloop is not None:
        uvloop.run(main())
    else:
        asyncio.run(main())


# -- the worker process --------------------------------------------------------------------------


def work(mode: str, workload: str, url: str, cafile: str, quick: bool) -> Result:
    import ssl

    from bench.peers import ours
    from components import Cc, Ci
    from components.websocket.channel import set_default_ssl_context

    ours.WS_CONTRACT = "@mozilla.org/network/protocol;1?name=wss"  # (its workloads open ws: otherwise)
    ctx = ssl.create_default_context(cafile=cafile)
    set_default_ssl_context(ctx)
    prefs = Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)
    prefs.setBoolPref("network.http.http2.websockets", mode == "h2")
    if workload == "many":
        import trio

        many, rounds = (MANY_QUICK, MANY_ROUNDS_QUICK) if quick else (MANY, MANY_ROUNDS)
        return trio.run(_many, url, many, rounds)
    params = (QUICK if quick else FULL)[workload]
    return ours.WORKLOADS[workload](url, params)


async def _many(url: str, p: Params, rounds: int) -> Result:
    """p.count channels at once on one h2 connection, each `rounds` round trips, concurrently."""
    import trio

    from bench.common import Clock
    from bench.peers import ours
    from components.websocket import http2

    t_open = time.perf_counter()
    drivers: list[Any] = []

    async def open_one() -> None:
        drivers.append(await ours._open(url + "/echo"))

    async with trio.open_nursery() as nursery:
        for _ in range(p.count):
            nursery.start_soon(open_one)
    open_seconds = time.perf_counter() - t_open
    versions = {d.ch.httpVersion for d in drivers}
    if versions != {"h2"} or len(http2._pool().links) != 1:
        raise RuntimeError(f"expected one shared h2 connection, got {versions} / {len(http2._pool().links)}")
    events = [d.burst(p.warmup, 1) for d in drivers]
    for event in events:
        await event.wait()
    clock = Clock()
    events = [d.burst(rounds, 1) for d in drivers]
    for event in events:
        await event.wait()
    dt = clock.stop()
    total = sum(d.received for d in drivers)
    if total != rounds * p.count:
        raise ConnectionError(f"{total} of {rounds * p.count} echoes")
    for d in drivers:
        await ours._close(d)
    return rate(total, dt, "msg/s", channels=p.count, open_seconds=open_seconds)


# -- the runner ----------------------------------------------------------------------------------


def _run_worker(mode: str, workload: str, url: str, cafile: str, quick: bool, cpu: int | None,
                timeout: float) -> Result | str:
    cmd = [PY, "-m", "bench.h2", "--worker", mode, workload, url, cafile] + (["--quick"] if quick else [])
    return run_worker(cmd, ROOT, timeout, cpu)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.h2", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", default=",".join(WORKLOADS))
    ap.add_argument("--no-pin", action="store_true")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--json")
    ap.add_argument("--server", metavar="CERTDIR", help=argparse.SUPPRESS)
    ap.add_argument("--worker", nargs=4, metavar=("MODE", "WORKLOAD", "URL", "CAFILE"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.server:
        serve(args.server)
        return 0
    if args.worker:
        mode, workload, url, cafile = args.worker
        result = work(mode, workload, url, cafile, args.quick)
        print("RESULT " + json.dumps(result.to_json()), flush=True)
        return 0

    import trustme

    workloads = [w for w in args.only.split(",") if w]
    pin = not args.no_pin and hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2
    server_cpu, worker_cpu = (0, 1) if pin else (None, None)
    ca = trustme.CA()
    with tempfile.TemporaryDirectory() as tmp:
        cert = ca.issue_cert("127.0.0.1")
        cert.cert_chain_pems[0].write_to_path(f"{tmp}/cert.pem")
        cert.private_key_pem.write_to_path(f"{tmp}/key.pem")
        ca.cert_pem.write_to_path(f"{tmp}/ca.pem")
        server = subprocess.Popen([PY, "-m", "bench.h2", "--server", tmp], cwd=ROOT, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, preexec_fn=pinner(server_cpu))
        try:
            assert server.stdout is not None
            line = server.stdout.readline()
            if not line.startswith(b"PORT "):
                raise RuntimeError(f"hypercorn did not start (said {line!r})")
            url = f"wss://127.0.0.1:{int(line.split()[1])}"
            time.sleep(0.3)
            rows: dict[str, dict[str, Result | str]] = {}
            print(_HEADER, flush=True)
            for workload in workloads:
                modes = ("h2",) if workload == "many" else ("h2", "http/1.1")
                for mode in modes:
                    best: Result | str = "failed"
                    for _ in range(args.repeat):
                        got = _run_worker(mode, workload, url, f"{tmp}/ca.pem", args.quick, worker_cpu,
                                          args.timeout)
                        better = isinstance(got, Result) and got.value > getattr(best, "value", -1.0)
                        if better or not isinstance(best, Result):
                            best = got
                    rows.setdefault(workload, {})[mode] = best
                print(_row(workload, rows[workload]), flush=True)
        finally:
            if server.stdin is not None:
                server.stdin.close()
            try:
                server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                server.kill()
    many = rows.get("many", {}).get("h2")
    if isinstance(many, Result):
        print(f"\nmany: {many.extra.get('channels')} channels on one h2 connection, opened in "
              f"{many.extra.get('open_seconds', 0):.2f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {w: {m: (r.to_json() if isinstance(r, Result) else r) for m, r in cells.items()}
             for w, cells in rows.items()}, indent=2))
    return 0


def _fmt(cell: Result | str | None) -> str:
    if cell is None:
        return "-"
    if isinstance(cell, str):
        return cell
    cpu = cell.extra.get("cpu_us_per_op")
    return f"{cell.value:,.1f} {cell.unit}" + (f" ({cpu:.0f} us CPU/op)" if cpu else "")


_HEADER = "| workload | h2 | http/1.1 | h2 / http/1.1 |\n|---|---|---|---|"


def _row(workload: str, cells: dict[str, Result | str]) -> str:
    h2, h1 = cells.get("h2"), cells.get("http/1.1")
    ratio = f"{h2.value / h1.value:.2f}x" if isinstance(h2, Result) and isinstance(h1, Result) else "-"
    return f"| {workload} | {_fmt(h2)} | {_fmt(h1)} | {ratio} |"


if __name__ == "__main__":
    sys.exit(main())
