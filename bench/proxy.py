"""Through a local HTTP CONNECT proxy: ours next to websockets and aiohttp, same proxy, same server.

    python -m bench.proxy [--quick] [--repeat N] [--only rtt,conn] [--proxy tinyproxy|proxy.py]
                          [--no-pin] [--json FILE]

One picows echo server (bench/server.py, as ``python -m bench`` uses) and one real proxy
(Debian's tinyproxy by default, a C proxy that forwards a tunnel with little overhead; or
proxy.py from PyPI) run on CPU 0; each client x workload runs in a fresh worker process on
CPU 1, reaching ws://127.0.0.1:<port> through the proxy with the library's own proxy
support, configured explicitly:

* ours -- the channel's ``proxyInfo`` set from the proxy URL (``proxy_info_from_url``), for
  every channel the ours peer opens (a filter of the protocol proxy service does it);
* websockets-asyncio -- ``connect(..., proxy=URL)`` (websockets >= 15);
* aiohttp -- ``ws_connect(..., proxy=URL)``.

All three tunnel ws: with CONNECT.  rtt is 20,000 round trips (one in flight) on one
tunnelled connection; conn is 300 sequential connect + CONNECT + opening handshake + close
handshake.  After each run the proxy's log must show one CONNECT per connection the
workload opened, so a client that silently went direct is a failure, not a fast result.
Ratios are ours / peer (> 1: ours is better).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import FULL, QUICK, Result, pinner, run_worker

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
WORKLOADS = ("rtt", "conn")
#: --direct: the same workloads without the proxy, in the same session, for scale.
DIRECT = "direct://"
CLIENTS = ("ours", "websockets-asyncio", "aiohttp")


# -- the worker process --------------------------------------------------------------------------


class _Through:
    """An nsIProtocolProxyFilter sending every channel of the ours peer through one proxy."""

    def __init__(self, info: Any) -> None:
        self.info = info

    def applyFilter(self, aProxyService: Any, aURI: Any, aProxy: Any) -> Any:
        return self.info


def work(client: str, workload: str, url: str, proxy: str, cafile: str, quick: bool) -> Result:
    import ssl

    params = (QUICK if quick else FULL)[workload]
    context = ssl.create_default_context(cafile=cafile) if url.startswith("wss:") else None
    via = None if proxy == DIRECT else proxy  # (the peers' "no proxy")
    if client == "ours":
        from bench.peers import ours
        from components import Cc, Ci
        from components.proxy import proxy_info_from_url
        from components.websocket.channel import set_default_ssl_context

        if context is not None:
            ours.WS_CONTRACT = (
                "@mozilla.org/network/protocol;1?name=wss"  # (its workloads open ws: otherwise)
            )
            set_default_ssl_context(context)
        pps = Cc["@mozilla.org/network/protocol-proxy-service;1"].getService(Ci.nsIProtocolProxyService)
        if proxy != DIRECT:
            pps.registerFilter(_Through(proxy_info_from_url(proxy)), 0)
        return ours.WORKLOADS[workload](url, params)
    from bench.peers.aio import run
    from bench.peers.coroutine_client import CoroutineClient, no_session

    if client == "websockets-asyncio":
        from websockets.asyncio.client import connect

        peer = CoroutineClient(
            session=no_session,
            connect=lambda _s, u: connect(
                u + "/echo", compression=None, max_size=None, proxy=via, ssl=context
            ),
            io=lambda ws, _binary: (ws.send, ws.recv),
            run=lambda main: run(main()),
        )
    elif client == "aiohttp":
        import aiohttp

        peer = CoroutineClient(
            session=lambda: aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)),
            connect=lambda s, u: s.ws_connect(
                u + "/echo",
                compress=0,
                max_msg_size=0,
                proxy=via,
                ssl=context if context is not None else True,
            ),
            io=lambda ws, binary: (
                (ws.send_bytes, ws.receive_bytes) if binary else (ws.send_str, ws.receive_str)
            ),
            run=lambda main: run(main()),
        )
    else:
        raise SystemExit(f"unknown client {client}")
    return peer.workloads()[workload](url, params)


# -- the proxy and server processes --------------------------------------------------------------


def serve_tls(certdir: str) -> None:
    """bench.server's picows echo, over TLS (certificate from the runner's throwaway CA)."""
    import ssl

    import uvloop

    uvloop.run(_serve_tls(certdir, ssl))


async def _serve_tls(certdir: str, ssl: Any) -> None:
    import asyncio

    from picows import ws_create_server

    from bench.server import listener_for

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(f"{certdir}/cert.pem", f"{certdir}/key.pem")
    server = await ws_create_server(
        listener_for,
        "127.0.0.1",
        0,
        ssl=context,
        max_frame_size=1 << 30,
        websocket_handshake_timeout=10,
        backlog=2048,
    )
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def on_stdin() -> None:  # EOF on stdin: the runner is done with us
        if not os.read(sys.stdin.fileno(), 4096) and not done.done():
            done.set_result(None)

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    await done
    server.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proxy:
    """A real CONNECT proxy on 127.0.0.1 whose log counts the tunnels it opened."""

    def __init__(self, kind: str, workdir: Path, cpu: int | None) -> None:
        self.port = _free_port()
        self.log = workdir / "proxy.log"
        if kind == "tinyproxy":
            program = shutil.which("tinyproxy")
            if program is None:
                raise SystemExit("tinyproxy is not installed (apt-get install tinyproxy)")
            conf = workdir / "tinyproxy.conf"
            conf.write_text(
                "\n".join(
                    [
                        f"Port {self.port}",
                        "Listen 127.0.0.1",
                        "Timeout 60",
                        "MaxClients 400",
                        "LogLevel Connect",
                        f'LogFile "{self.log}"',
                        "Allow 127.0.0.1",
                        "DisableViaHeader Yes",
                    ]
                )
                + "\n"
            )
            argv = [program, "-d", "-c", str(conf)]
            self._marker = b"CONNECT "
        else:
            argv = [
                PY,
                "-m",
                "proxy",
                "--hostname",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--num-acceptors",
                "1",
                "--num-workers",
                "1",
                "--log-level",
                "INFO",
                "--log-file",
                str(self.log),
            ]
            self._marker = b"CONNECT"
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=pinner(cpu),
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"{kind} did not start")

    def tunnels(self) -> int:
        try:
            return sum(1 for line in self.log.read_bytes().splitlines() if self._marker in line)
        except FileNotFoundError:
            return 0

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _start_server(cpu: int | None, certdir: str | None) -> tuple[subprocess.Popen[bytes], str]:
    """The picows echo server: bench.server for ws, this module's TLS flavour for wss."""
    cmd = (
        [PY, "-m", "bench.proxy", "--server", certdir]
        if certdir
        else [PY, "-m", "bench.server", "--lifetime", "3600"]
    )
    server = subprocess.Popen(
        cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, preexec_fn=pinner(cpu)
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    if not line.startswith(b"PORT "):
        raise RuntimeError(f"echo server did not start (said {line!r})")
    return server, f"{'wss' if certdir else 'ws'}://127.0.0.1:{int(line.split()[1])}"


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.stdin is not None:
        server.stdin.close()
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()


class _NoProxy:
    """Stands for the proxy in --direct rows: no tunnels to count."""

    url = DIRECT

    def tunnels(self) -> int:
        return 0


def _run_worker(
    client: str,
    workload: str,
    url: str,
    proxy: Proxy | _NoProxy,
    cafile: str,
    quick: bool,
    cpu: int | None,
    timeout: float,
) -> Result | str:
    if client == "aiohttp" and url.startswith("ws:"):
        return "n/a"  # aiohttp sends a ws: request to an http proxy as a plain forwarded GET: no tunnel
    cmd = [PY, "-m", "bench.proxy", "--worker", client, workload, url, proxy.url, cafile]
    cmd += ["--quick"] if quick else []
    before = proxy.tunnels()
    result = run_worker(cmd, ROOT, timeout, cpu)
    if isinstance(result, str):
        return result
    time.sleep(0.2)  # (the proxy's log line may trail the last tunnel by a moment)
    p = (QUICK if quick else FULL)[workload]
    expected = p.count + p.warmup if workload == "conn" else 1
    result.extra["tunnels"] = proxy.tunnels() - before
    if proxy.url != DIRECT and result.extra["tunnels"] < expected:
        sys.stderr.write(f"{client}/{workload}: {result.extra['tunnels']} tunnels, expected {expected}\n")
        return "no tunnel"
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.proxy", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", default=",".join(WORKLOADS))
    ap.add_argument("--clients", default=",".join(CLIENTS))
    ap.add_argument("--proxy", choices=("tinyproxy", "proxy.py"), default="tinyproxy")
    ap.add_argument("--no-pin", action="store_true")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--json")
    ap.add_argument("--schemes", default="ws,wss")
    ap.add_argument("--direct", action="store_true", help="also run each row without the proxy")
    ap.add_argument("--server", metavar="CERTDIR", help=argparse.SUPPRESS)
    ap.add_argument(
        "--worker",
        nargs=5,
        metavar=("CLIENT", "WORKLOAD", "URL", "PROXY", "CAFILE"),
        help=argparse.SUPPRESS,
    )
    args = ap.parse_args(argv)
    if args.server:
        serve_tls(args.server)
        return 0
    if args.worker:
        client, workload, url, proxy_url, cafile = args.worker
        result = work(client, workload, url, proxy_url, cafile, args.quick)
        print("RESULT " + json.dumps(result.to_json()), flush=True)
        return 0

    workloads = [w for w in args.only.split(",") if w]
    clients = [c for c in args.clients.split(",") if c]
    pin = not args.no_pin and hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2
    server_cpu, worker_cpu = (0, 1) if pin else (None, None)
    rows: dict[str, dict[str, Result | str]] = {}
    schemes = [x for x in args.schemes.split(",") if x]
    with tempfile.TemporaryDirectory() as tmp:
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1")
        cert.cert_chain_pems[0].write_to_path(f"{tmp}/cert.pem")
        cert.private_key_pem.write_to_path(f"{tmp}/key.pem")
        ca.cert_pem.write_to_path(f"{tmp}/ca.pem")
        proxy = Proxy(args.proxy, Path(tmp), server_cpu)
        try:
            for scheme in schemes:
                server, url = _start_server(server_cpu, tmp if scheme == "wss" else None)
                try:
                    for workload in workloads:
                        rows[f"{workload} {scheme}"] = _best_of(
                            args, clients, workload, url, proxy, f"{tmp}/ca.pem", worker_cpu
                        )
                        if args.direct:
                            rows[f"{workload} {scheme} direct"] = _best_of(
                                args, clients, workload, url, _NoProxy(), f"{tmp}/ca.pem", worker_cpu
                            )
                finally:
                    _stop(server)
        finally:
            proxy.stop()
    _print(rows, clients, args.proxy)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    w: {c: (r.to_json() if isinstance(r, Result) else r) for c, r in cells.items()}
                    for w, cells in rows.items()
                },
                indent=2,
            )
        )
    return 0


def _best_of(
    args: Any,
    clients: list[str],
    workload: str,
    url: str,
    proxy: Proxy | _NoProxy,
    cafile: str,
    cpu: int | None,
) -> dict[str, Result | str]:
    """Each client's best of --repeat runs, round-robin (outside load hits every client alike)."""
    best: dict[str, Result | str] = {c: "failed" for c in clients}
    for _ in range(args.repeat):
        for client in clients:
            got = _run_worker(client, workload, url, proxy, cafile, args.quick, cpu, args.timeout)
            old = best[client]
            if isinstance(got, Result) and (not isinstance(old, Result) or got.value > old.value):
                best[client] = got
            elif not isinstance(old, Result):
                best[client] = got
    return best


def _fmt(cell: Result | str | None, ours: Result | str | None) -> str:
    if cell is None:
        return "-"
    if isinstance(cell, str):
        return cell
    text = f"{cell.value:,.0f}"
    if isinstance(ours, Result) and cell is not ours:
        text += f" ({ours.value / cell.value:.2f}x)"
    cpu = cell.extra.get("cpu_us_per_op")
    return text + (f", {cpu:.0f} us CPU" if cpu else "")


def _print(rows: dict[str, dict[str, Result | str]], clients: list[str], proxy: str) -> None:
    print(f"through {proxy} (ratio = ours / peer; > 1: ours is better; client CPU per operation)")
    print("| workload | unit | " + " | ".join(clients) + " |")
    print("|---|---|" + "---|" * len(clients))
    for workload, cells in rows.items():
        unit = next((c.unit for c in cells.values() if isinstance(c, Result)), "")
        ours = cells.get("ours")
        print(f"| {workload} | {unit} | " + " | ".join(_fmt(cells.get(c), ours) for c in clients) + " |")


if __name__ == "__main__":
    sys.exit(main())
