"""`wstest -m fuzzingserver` as a context manager: started on a free loopback port, gone after.

The server is a Twisted process in its own session (process group), so leaving the `with`
block, an exception, Ctrl-C or a timeout anywhere in the run ends it and anything it started:
SIGTERM to the group, then SIGKILL if it is still there after a few seconds. It prints the
case ids it resolved from the spec (`Cases = [...]`) before it listens; that line is how the
runner learns which ids a selection stands for, so missing results can be named.
"""
from __future__ import annotations

import ast
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
START_TIMEOUT = 60.0     # seconds until the server must listen (Twisted starts in ~1 s here)
STOP_GRACE = 5.0         # seconds between SIGTERM and SIGKILL


class ServerError(Exception):
    """The fuzzing server did not start or died; the message carries the end of its log."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class FuzzingServer:
    """One fuzzing server for one run: `with FuzzingServer(wstest, patterns, outdir, log) as s:`."""

    def __init__(self, wstest: Path, patterns: list[str], outdir: Path, log: Path) -> None:
        self.wstest = wstest
        self.patterns = patterns
        self.outdir = outdir
        self.log = log
        self.port = 0
        self.case_ids: list[str] = []
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def __enter__(self) -> FuzzingServer:
        # The port is chosen before wstest binds it, so another process can take it in between;
        # then wstest exits at once and a second port is tried.
        for attempt in range(3):
            try:
                self._start(free_port())
                return self
            except ServerError:
                self.stop()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _start(self, port: int) -> None:
        self.port = port
        self.outdir.mkdir(parents=True, exist_ok=True)
        spec = self.log.with_name("fuzzingserver.json")
        spec.write_text(json.dumps({
            "url": self.url,
            "outdir": str(self.outdir),
            "cases": self.patterns,
            "exclude-cases": [],
            "exclude-agent-cases": {},
        }, indent=2))
        with self.log.open("wb") as out:
            self._proc = subprocess.Popen(
                [str(self.wstest), "-m", "fuzzingserver", "-s", str(spec), "-u", "0"],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                cwd=str(spec.parent), start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},  # the Cases line must reach the log now
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not self._listening():
            if self._proc.poll() is not None:
                raise ServerError(f"wstest exited with {self._proc.returncode} before listening:\n"
                                  f"{self.log_tail()}")
            if time.monotonic() > deadline:
                raise ServerError(f"wstest did not listen on {self.url} within {START_TIMEOUT:.0f} s:\n"
                                  f"{self.log_tail()}")
            time.sleep(0.1)
        self.case_ids = self._read_case_ids()

    def _listening(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1):
                return True
        except OSError:
            return False

    def _read_case_ids(self) -> list[str]:
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("Cases = "):
                return [str(c) for c in ast.literal_eval(line[len("Cases = "):])]
        raise ServerError(f"wstest is listening but did not print its case list:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, STOP_GRACE), (signal.SIGKILL, STOP_GRACE)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        proc.poll()

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
