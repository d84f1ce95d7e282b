"""``python -m codegen regen`` / ``check`` on a copy of idl/ in a temp project."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import regen
from codegen.regen import PROJECT_ROOT, Layout

CHANNEL_IDL = "idl/netwerk/protocol/websocket/nsIWebSocketChannel.idl"
CHANNEL_PY = "components/interfaces/nsIWebSocketChannel.py"
CHANNEL_TEST = "tests/generated/test_nsIWebSocketChannel.py"


@pytest.fixture
def project(tmp_path: Path) -> Layout:
    """A temp project: a copy of the real idl/, nothing generated yet."""
    shutil.copytree(PROJECT_ROOT / "idl", tmp_path / "idl")
    return Layout.under(tmp_path)


def run(command: str, layout: Layout) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = regen.run(command, layout, out, err)
    return status, out.getvalue(), err.getvalue()


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under root: contents, mtime and inode (so rewrites show even with equal bytes)."""
    found = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            st = p.stat()
            found[p.relative_to(root).as_posix()] = (p.read_bytes(), st.st_mtime_ns, st.st_ino)
    return found


def edit(layout: Layout, rel: str, old: str, new: str) -> None:
    path = layout.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_regen_creates_everything_and_check_then_passes(project: Layout) -> None:
    status, out, _ = run("check", project)
    assert status == 1  # nothing generated yet
    status, out, _ = run("regen", project)
    assert status == 0
    assert f"created: {CHANNEL_PY}" in out and f"created: {CHANNEL_TEST}" in out
    assert (project.bindings_dir / "__init__.py").exists()
    idl_count = len(list(project.idl_dir.rglob("*.idl")))
    assert len(list(project.bindings_dir.glob("*.py"))) == idl_count + 1
    status, out, err = run("check", project)
    assert (status, err) == (0, "")
    assert "up to date" in out


def test_output_matches_the_repository(project: Layout) -> None:
    # The temp project is generated from the same idl/, so it must equal what is committed.
    run("regen", project)
    for rel in (CHANNEL_PY, CHANNEL_TEST, "components/interfaces/__init__.py"):
        assert (project.root / rel).read_bytes() == (PROJECT_ROOT / rel).read_bytes()


def test_noop_regen_touches_nothing(project: Layout) -> None:
    run("regen", project)
    before = snapshot(project.root)
    status, out, _ = run("regen", project)
    assert status == 0
    assert out.startswith("codegen regen: 0 written, 0 removed")
    assert snapshot(project.root) == before


def test_editing_an_idl_file_changes_binding_and_tests(project: Layout) -> None:
    run("regen", project)
    before = snapshot(project.root)
    edit(
        project,
        CHANNEL_IDL,
        "  const unsigned short CLOSE_TLS_FAILED = 1015;",
        "  const unsigned short CLOSE_TLS_FAILED = 1015;\n"
        "  const unsigned short CLOSE_SERVICE_RESTART = 1012;\n"
        "  void sendPing(in ACString aPayload);",
    )
    status, _, err = run("check", project)
    assert status == 1
    assert f"stale: {CHANNEL_PY}" in err and f"stale: {CHANNEL_TEST}" in err
    assert "components/interfaces/nsIURI.py" not in err  # only what depends on the change

    status, out, _ = run("regen", project)
    assert status == 0
    after = snapshot(project.root)
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert changed == {CHANNEL_IDL, CHANNEL_PY, CHANNEL_PY + "i", CHANNEL_TEST}
    binding = (project.root / CHANNEL_PY).read_text(encoding="utf-8")
    assert "    CLOSE_SERVICE_RESTART = 1012" in binding
    assert "    def sendPing(aPayload):" in binding
    stub = (project.root / (CHANNEL_PY + "i")).read_text(encoding="utf-8")
    assert "    def sendPing(self, aPayload: str) -> None: ..." in stub
    test = (project.root / CHANNEL_TEST).read_text(encoding="utf-8")
    assert '("CLOSE_SERVICE_RESTART", 1012)' in test
    assert 'IDLMethod("sendPing", ("aPayload",))' in test
    assert run("check", project)[0] == 0


def test_check_names_missing_and_extra_files_and_regen_fixes_them(project: Layout) -> None:
    run("regen", project)
    (project.root / CHANNEL_TEST).unlink()
    gone = project.bindings_dir / "nsIGone.py"
    gone.write_text("# Generated from idl/nsIGone.idl by codegen; do not edit.\n", encoding="utf-8")
    helper = project.bindings_dir / "handwritten.py"
    helper.write_text("# not generated\n", encoding="utf-8")
    before = snapshot(project.root)

    status, _, err = run("check", project)
    assert status == 1
    assert f"missing: {CHANNEL_TEST}" in err
    assert "extra: components/interfaces/nsIGone.py" in err
    assert "handwritten" not in err
    assert snapshot(project.root) == before  # check is read-only

    status, out, _ = run("regen", project)
    assert status == 0
    assert f"created: {CHANNEL_TEST}" in out and "removed: components/interfaces/nsIGone.py" in out
    assert not gone.exists() and helper.read_text(encoding="utf-8") == "# not generated\n"
    assert run("check", project)[0] == 0


def test_removing_an_idl_file_removes_its_outputs(project: Layout) -> None:
    run("regen", project)
    (project.idl_dir / "modules" / "libpref" / "nsIPrefBranch.idl").unlink()
    status, out, _ = run("regen", project)
    assert status == 0
    assert "removed: components/interfaces/nsIPrefBranch.py" in out
    assert "removed: tests/generated/test_nsIPrefBranch.py" in out
    assert "nsIPrefBranch" not in (project.bindings_dir / "__init__.py").read_text(encoding="utf-8")


def test_an_idl_error_writes_nothing(project: Layout) -> None:
    run("regen", project)
    # One good edit that would change output, one broken file: neither may reach the disk.
    edit(project, CHANNEL_IDL, "CLOSE_TLS_FAILED = 1015;", "CLOSE_TLS_FAILED = 1016;")
    broken = "idl/netwerk/base/nsILoadGroup.idl"
    edit(project, broken, "interface nsILoadGroup", "interface nsILoadGroup oops")
    before = snapshot(project.root)
    status, out, err = run("regen", project)
    assert status == 1
    assert "nsILoadGroup.idl:" in err and "nothing written" in err
    assert out == ""
    assert snapshot(project.root) == before  # no writes, no deletions, no temp files


def test_an_include_missing_from_every_folder_writes_nothing(project: Layout) -> None:
    edit(project, CHANNEL_IDL, '#include "nsIURI.idl"', '#include "nsINoSuchThing.idl"')
    status, _, err = run("regen", project)
    assert status == 1
    assert "nsINoSuchThing.idl" in err
    assert not project.bindings_dir.exists() and not project.tests_dir.exists()


def test_two_idl_files_with_one_stem_is_an_error(project: Layout) -> None:
    shutil.copy(project.idl_dir / "xpcom/base/nsISupports.idl", project.idl_dir / "modules/nsISupports.idl")
    status, _, err = run("regen", project)
    assert status == 1
    assert "module name 'nsISupports' is already taken" in err
    assert not project.bindings_dir.exists()


def test_every_folder_under_idl_is_an_include_dir(tmp_path: Path) -> None:
    for d in ("b/deep", "a", ".hidden"):
        (tmp_path / d).mkdir(parents=True)
    assert regen.include_dirs(tmp_path) == [tmp_path, tmp_path / "a", tmp_path / "b", tmp_path / "b/deep"]


def test_write_atomic_keeps_mode_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "x.py"
    target.write_text("old")
    target.chmod(0o640)
    regen.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["x.py"]


def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.py"
    target.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        regen.write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.py"]


def test_command_line(project: Layout) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "codegen", *args, "--root", str(project.root)],
            capture_output=True,
            text=True,
        )

    result = cli("check")
    assert result.returncode == 1 and f"missing: {CHANNEL_PY}" in result.stderr
    assert cli("regen").returncode == 0
    result = cli("check")
    assert result.returncode == 0, result.stderr
    edit(project, CHANNEL_IDL, "CLOSE_TLS_FAILED = 1015;", "CLOSE_TLS_FAILED = 1016;")
    result = cli("check")
    assert result.returncode == 1
    assert f"stale: {CHANNEL_PY}" in result.stderr and f"stale: {CHANNEL_TEST}" in result.stderr


def test_the_repository_is_up_to_date() -> None:
    status, out, err = run("check", Layout.under(PROJECT_ROOT))
    assert status == 0, err


def test_errors_name_the_file_as_seen_from_the_working_directory(project: Layout) -> None:
    broken = "idl/netwerk/base/nsILoadGroup.idl"
    edit(project, broken, "interface nsILoadGroup :", "interface nsILoadGroup oops :")
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "regen", "--root", str(project.root)],
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("idl/netwerk/base/nsILoadGroup.idl:"), result.stderr
    assert "^" in result.stderr  # the offending line and a caret under the column


def test_default_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert regen.default_root() == PROJECT_ROOT  # no idl/ here: this checkout
    (tmp_path / "idl").mkdir()
    assert regen.default_root() == tmp_path
