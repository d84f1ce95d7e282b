"""The stamp that lets ``check`` / ``regen`` on an up-to-date tree skip parsing and emitting."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import emit_bindings, regen
from codegen.regen import PROJECT_ROOT, Layout

CHANNEL_IDL = "idl/netwerk/protocol/websocket/nsIWebSocketChannel.idl"
CHANNEL_PY = "components/interfaces/nsIWebSocketChannel.py"


@pytest.fixture
def project(tmp_path: Path) -> Layout:
    shutil.copytree(PROJECT_ROOT / "idl", tmp_path / "project" / "idl")
    return Layout.under(tmp_path / "project")


@pytest.fixture
def generations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per full generation (parse + emit) a run does."""
    calls: list[int] = []
    real = regen.generate

    def spy(layout: Layout, cache_dir: str | None = None) -> dict[Path, bytes]:
        calls.append(1)
        return real(layout, cache_dir)

    monkeypatch.setattr(regen, "generate", spy)
    return calls


def run(command: str, layout: Layout, cache_dir: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = regen.run(command, layout, out, err, cache_dir=str(cache_dir))
    return status, out.getvalue(), err.getvalue()


def test_an_up_to_date_tree_is_checked_without_generating(
    project: Layout, tmp_path: Path, generations: list[int]
) -> None:
    cache = tmp_path / "cache"
    assert run("regen", project, cache)[0] == 0
    assert generations == [1]
    count = len(regen.existing_generated(project))  # bindings, their stubs, tests, __init__
    status, out, err = run("check", project, cache)
    assert (status, err) == (0, "")
    assert out == f"codegen check: {count} generated files up to date\n"
    status, out, _ = run("regen", project, cache)
    assert status == 0 and out.startswith(f"codegen regen: 0 written, 0 removed, {count} unchanged")
    assert generations == [1]  # neither needed a parse


def test_an_edited_idl_file_means_a_full_run(project: Layout, tmp_path: Path, generations: list[int]) -> None:
    cache = tmp_path / "cache"
    run("regen", project, cache)
    path = project.root / CHANNEL_IDL
    path.write_text(path.read_text().replace("CLOSE_NORMAL = 1000", "CLOSE_NORMAL = 1001"))
    status, _, err = run("check", project, cache)
    assert status == 1 and f"stale: {CHANNEL_PY}" in err
    assert generations == [1, 1]


def test_a_hand_edited_output_is_caught(project: Layout, tmp_path: Path, generations: list[int]) -> None:
    cache = tmp_path / "cache"
    run("regen", project, cache)
    with (project.root / CHANNEL_PY).open("a") as fh:
        fh.write("# an edit by hand\n")
    status, _, err = run("check", project, cache)
    assert status == 1 and f"stale: {CHANNEL_PY}" in err
    (project.root / CHANNEL_PY).unlink()
    status, _, err = run("check", project, cache)
    assert status == 1 and f"missing: {CHANNEL_PY}" in err
    assert len(generations) == 3


def test_an_extra_generated_file_is_caught(project: Layout, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run("regen", project, cache)
    extra = project.bindings_dir / "nsIGone.py"
    extra.write_text(emit_bindings.header("idl/nsIGone.idl"))
    status, _, err = run("check", project, cache)
    assert status == 1 and "extra: components/interfaces/nsIGone.py" in err


def test_a_new_compiler_or_a_damaged_stamp_means_a_full_run(
    project: Layout, tmp_path: Path, generations: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run("regen", project, cache)
    [stamp] = (cache / "trees").iterdir()
    stamp.write_text("{ not json")
    assert run("check", project, cache)[0] == 0
    assert generations == [1, 1]
    monkeypatch.setattr(regen, "generator_version", lambda: b"another compiler")
    assert run("check", project, cache)[0] == 0
    assert generations == [1, 1, 1]
    assert run("check", project, cache)[0] == 0
    assert generations == [1, 1, 1]  # the stamp the last run wrote


def test_the_version_covers_every_module_of_the_compiler() -> None:
    assert regen.GENERATED_PREFIX == emit_bindings.GENERATED_PREFIX
    before = regen.generator_version()
    assert before == regen.generator_version() and len(before) == 32


def test_check_on_an_up_to_date_tree_loads_no_compiler(project: Layout, tmp_path: Path) -> None:
    # The command as CI runs it, in a fresh interpreter: once the stamp exists it only hashes
    # files, so none of the front end, the generators or PLY is imported (what is left is the
    # interpreter's start-up; `python -m bench.xpidl` times it).  A timing assertion here would
    # only measure how busy the machine is.
    where = ["--root", str(project.root), "--cache-dir", str(tmp_path)]
    regen_cmd = [sys.executable, "-m", "codegen", "regen", *where]
    subprocess.run(regen_cmd, check=True, capture_output=True, timeout=60)
    code = (
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: sys.stderr.write('MODULES ' + ' '.join(sorted(sys.modules)) + '\\n'))\n"
        f"sys.argv = ['codegen', 'check', *{where!r}]\n"
        "runpy.run_module('codegen', run_name='__main__', alter_sys=True)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES")).split()[1:]
    stamp_only = ("codegen.regen", "codegen.cache")
    compiler = [m for m in loaded if m.startswith(("codegen.", "ply")) and m not in stamp_only]
    assert compiler == []
