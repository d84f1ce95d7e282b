"""examples/hostapp, as its users would have it: built and installed (offline, into a scratch
folder), its own tests run by pytest in a fresh interpreter, and its code type-checked with
``mypy --strict`` against the generated stubs.  Nothing is patched: the component manager finds
the example's component through the installed entry-point metadata."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.dists import env_with, install_offline

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "hostapp"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the example's source copy, the folder it is installed into)."""
    work = tmp_path_factory.mktemp("hostapp")
    target = install_offline(EXAMPLE, work)
    return work / "src", target


@pytest.mark.timeout(180)
def test_the_examples_own_tests_pass(installed: tuple[Path, Path]) -> None:
    src, target = installed
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", str(src / "tests")],
        env=env_with(target), capture_output=True, text=True, cwd=src, timeout=150,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_the_example_runs(installed: tuple[Path, Path]) -> None:
    _, target = installed
    done = subprocess.run(
        [sys.executable, "-m", "hostapp"], env=env_with(target), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["hello", "message 1", "message 2", "NS_OK"]


@pytest.mark.timeout(300)
def test_the_example_is_clean_under_mypy_strict(installed: tuple[Path, Path], tmp_path: Path) -> None:
    src, _ = installed
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--ignore-missing-imports",
         "--cache-dir", str(tmp_path / "cache"), "hostapp", "tests"],
        cwd=src, capture_output=True, text=True, timeout=280,
        # The editable install of the main package is an import hook mypy cannot follow.
        env={**os.environ, "MYPYPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
