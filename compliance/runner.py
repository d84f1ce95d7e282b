"""One run: the fuzzing server up, each testee through every selected case in turn, reports out.

Testees run one after another (the server is one single-threaded process and this is a
2-core machine: side by side they would grade each other's timing), each in a fresh
subprocess with its own deadline, killed with its process group when it is exceeded. The
server is stopped however the run ends. Reports are requested once more by the runner itself
at the end, over a bare socket, so a testee that died before its own /updateReports still has
its cases in index.json.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from compliance.report import TesteeResult, load_index, results_for
from compliance.server import HOST, FuzzingServer, ServerError
from compliance.testees import TESTEES
from compliance.testees._driver import MISSING_LIBRARY

ROOT = Path(__file__).resolve().parent.parent
REPORT_TIMEOUT = 300.0   # seconds for /updateReports (the server writes every case's HTML then)


@dataclass
class Budget:
    case_timeout: float = 60.0       # one case, inside the testee
    per_case: float = 5.0            # the testee as a whole: base + per_case x cases
    base: float = 120.0

    def testee(self, cases: int) -> float:
        return self.base + self.per_case * cases


def _run_testee(name: str, url: str, budget: Budget, cases: int, log: Path) -> tuple[float, str]:
    """Run one testee to the end or to its deadline: (seconds, note); note is "" when it finished."""
    argv = [sys.executable, "-m", f"compliance.testees.{TESTEES[name]}", url, name,
            "--case-timeout", str(budget.case_timeout)]
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    limit = budget.testee(cases)
    started = time.monotonic()
    with log.open("wb") as err:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                                cwd=str(ROOT), env=env, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            return time.monotonic() - started, f"timed out after {limit:.0f} s"
        except BaseException:
            _kill_group(proc)
            raise
    seconds = time.monotonic() - started
    if proc.returncode == MISSING_LIBRARY:
        return seconds, "not installed"
    if proc.returncode != 0:
        return seconds, f"exit {proc.returncode}, see {log}"
    try:
        summary = json.loads(out.decode().strip().splitlines()[-1])
        seconds = float(summary.get("seconds", seconds))
    except (ValueError, IndexError):
        pass
    return seconds, ""


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def request_reports(port: int, timeout: float = REPORT_TIMEOUT) -> None:
    """/updateReports over a bare socket: the server writes the reports before it sends Close."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /updateReports?agent=compliance-runner HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
               f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n")
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        s.sendall(request.encode())
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = s.recv(4096)
            if not chunk:
                raise ServerError("the fuzzing server closed /updateReports before answering")
            received += chunk
        head, _, rest = received.partition(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ServerError(f"/updateReports: {head.splitlines()[0].decode(errors='replace')}")
        # The Close frame comes once the reports are on disk: wait for it, then answer it
        # (masked, empty payload) so the server closes cleanly.
        if not rest and not s.recv(4096):
            raise ServerError("the fuzzing server dropped /updateReports before its Close frame")
        s.sendall(b"\x88\x80" + os.urandom(4))


def run(wstest: Path, patterns: list[str], testees: list[str], workdir: Path,
        budget: Budget) -> tuple[list[TesteeResult], list[str]]:
    """Run every testee through the selection: (results in testee order, the selected case ids)."""
    rundir = workdir / "run"
    shutil.rmtree(rundir, ignore_errors=True)
    rundir.mkdir(parents=True)
    outdir = rundir / "reports"
    timings: dict[str, tuple[float, str]] = {}
    with FuzzingServer(wstest, patterns, outdir, rundir / "fuzzingserver.log") as server:
        ids = server.case_ids
        print(f"compliance: fuzzing server on {server.url}, {len(ids)} cases "
              f"({', '.join(patterns)}); reports in {outdir}", file=sys.stderr, flush=True)
        if not ids:
            raise ServerError(f"the selection {patterns} matches no case of the suite")
        for name in testees:
            print(f"compliance: {name} ...", file=sys.stderr, flush=True)
            timings[name] = _run_testee(name, server.url, budget, len(ids), rundir / f"{name}.log")
            seconds, note = timings[name]
            print(f"compliance: {name}: {seconds:.0f} s{', ' + note if note else ''}",
                  file=sys.stderr, flush=True)
            if not server.alive():
                raise ServerError(f"the fuzzing server died during {name}:\n{server.log_tail()}")
        request_reports(server.port)
    index = load_index(outdir / "index.json")
    results = [TesteeResult(name, results_for(index, name, ids), *timings[name]) for name in testees]
    return results, ids
