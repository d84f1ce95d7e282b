"""The fuzz targets (fuzz/targets/) at a CI budget: every seed of every corpus (the crashes found
so far among them) passes its target, then a few hundred generated inputs each.

The long runs are `python -m fuzz TARGET` (atheris when installed); CI also runs
`python -m fuzz all --seconds 5`.  Here the hypothesis engine is used, so the suite needs
nothing beyond the test extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fuzz import BYTE_TARGETS
from fuzz.engine import Crash, checked, load_target, run_hypothesis, seed_inputs

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", BYTE_TARGETS)
def test_every_seed_passes(name: str) -> None:
    seeds = seed_inputs(name)
    assert len(seeds) >= 5, f"fuzz/corpus/{name} holds too few seeds (python -m fuzz seeds)"
    run = checked(load_target(name))
    for data in seeds:
        run(data)


@pytest.mark.parametrize("name", BYTE_TARGETS)
def test_generated_inputs_find_no_crash(name: str, tmp_path: Path) -> None:
    summary = run_hypothesis(name, 300, 20.0, tmp_path, batch=150, quiet=True)
    assert summary.crash == "", summary.line()
    assert summary.runs >= 1


def test_a_crash_is_reported_with_its_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine itself: a target that raises on some input stops the run, and the input that
    # made it raise is written out for `python -m fuzz repro`.
    target = load_target("uri")

    def fragile(data: bytes) -> None:
        if b"#" in data:
            raise Crash("a fragment")

    monkeypatch.setattr(target, "one_input", fragile)
    summary = run_hypothesis("uri", 5000, 60.0, tmp_path, quiet=True)
    assert summary.crash.startswith("Crash: a fragment")
    assert b"#" in Path(summary.artifact).read_bytes()


def test_the_command_line_lists_and_replays() -> None:
    out = subprocess.run([sys.executable, "-m", "fuzz", "list"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [*BYTE_TARGETS, "channel"]
    seed = sorted((ROOT / "fuzz" / "corpus" / "prefs").iterdir())[0]
    done = subprocess.run([sys.executable, "-m", "fuzz", "repro", "prefs", str(seed)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "passes" in done.stdout
