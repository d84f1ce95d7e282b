"""``python -m codegen watch`` in a subprocess over a temporary tree: an edit regenerates, a
broken edit is reported located and leaves the last good output in place."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

from codegen.regen import PROJECT_ROOT

pytest.importorskip("watchfiles")

CHANNEL_IDL = "idl/netwerk/protocol/websocket/nsIWebSocketChannel.idl"
CHANNEL_PY = "components/interfaces/nsIWebSocketChannel.py"
CHANNEL_TEST = "tests/generated/test_nsIWebSocketChannel.py"
DEADLINE = 30.0


class Watcher:
    """The watch process, with its stdout and stderr lines collected as they come."""

    def __init__(self, root: Path, cache: Path):
        cmd = [sys.executable, "-u", "-m", "codegen", "watch", "--root", str(root), "--cache-dir", str(cache)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root)
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        self.pumps = [
            threading.Thread(target=self._pump, args=(name, stream), daemon=True)
            for name, stream in (("out", self.proc.stdout), ("err", self.proc.stderr))
        ]
        for pump in self.pumps:
            pump.start()

    def _pump(self, name: str, stream: IO[str] | None) -> None:
        assert stream is not None
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, stream: str, predicate: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            try:
                name, line = self.lines.get(timeout=0.1)
            except queue.Empty:
                assert self.proc.poll() is None, f"watch exited {self.proc.returncode}: {self.seen}"
                continue
            self.seen.append((name, line))
            if name == stream and predicate(line):
                return line
        raise AssertionError(f"timed out waiting on {stream}; seen: {self.seen}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for pump in self.pumps:
            pump.join(timeout=10)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "idl", root / "idl")
    return root


@pytest.fixture
def watcher(tree: Path, tmp_path: Path) -> Iterator[Watcher]:
    w = Watcher(tree, tmp_path / "cache")
    try:
        yield w
    finally:
        w.stop()


def wait_until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_watch_regenerates_on_change_and_keeps_the_last_good_output(tree: Path, watcher: Watcher) -> None:
    watcher.wait_for("out", lambda line: line.startswith("codegen watch: watching idl/"))
    binding = tree / CHANNEL_PY
    assert "CLOSE_NORMAL = 1000" in binding.read_text()

    idl = tree / CHANNEL_IDL
    normal = "const unsigned short CLOSE_NORMAL = 1000;"
    good = idl.read_text().replace(normal, normal + "\n  const unsigned short CLOSE_WATCHED = 4321;")
    assert good != idl.read_text()
    idl.write_text(good)
    watcher.wait_for("out", lambda line: line == f"updated: {CHANNEL_PY}")
    wait_until(lambda: "CLOSE_WATCHED = 4321" in binding.read_text())
    assert '("CLOSE_WATCHED", 4321)' in (tree / CHANNEL_TEST).read_text()
    last_good = {p: (tree / p).read_bytes() for p in (CHANNEL_PY, CHANNEL_TEST)}

    broken_line = "  const unsigned short CLOSE_BROKEN = ;"
    idl.write_text(good.replace("  const unsigned short CLOSE_WATCHED = 4321;", broken_line))
    error = watcher.wait_for("err", lambda line: line.startswith(CHANNEL_IDL + ":"))
    lineno = good.splitlines().index("  const unsigned short CLOSE_WATCHED = 4321;") + 1
    assert error == f"{CHANNEL_IDL}:{lineno}:{broken_line.index(';') + 1}: syntax error at ';'"
    assert watcher.wait_for("err", lambda line: not line.startswith("codegen")) == broken_line
    watcher.wait_for("err", lambda line: "the last good output is kept" in line)
    assert {p: (tree / p).read_bytes() for p in last_good} == last_good

    idl.write_text(good.replace("4321", "4322"))  # fixed: regenerates again
    watcher.wait_for("out", lambda line: line == f"updated: {CHANNEL_PY}")
    assert "CLOSE_WATCHED = 4322" in binding.read_text()


def test_watch_without_watchfiles_says_how_to_install_it(tree: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "no_watchfiles"
    blocker.mkdir()
    (blocker / "watchfiles.py").write_text("raise ImportError('not installed')\n")
    env = dict(os.environ, PYTHONPATH=str(blocker))
    proc = subprocess.run(
        [sys.executable, "-m", "codegen", "watch", "--root", str(tree), "--no-cache"],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert proc.returncode == 2
    assert "pip install 'xpcom-websocket[watch]'" in proc.stderr
