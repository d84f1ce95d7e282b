"""`python -m codegen parse|regen|check`: exit codes, JSON, error text, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from codegen.__main__ import main

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_parse_json_success(idl_dir: Path, tmp_path: Path) -> None:
    top = idl_dir / "t.idl"
    top.write_text('#include "nsISupports.idl"\ntypedef PRUint32 T;\n')
    proc = run("parse", "-I", str(idl_dir), str(top), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    assert data["kind"] == "file" and data["path"] == str(top)
    assert [p["kind"] for p in data["productions"]] == ["include", "typedef"]
    assert data["productions"][1]["type"] == {
        "kind": "type",
        "name": "PRUint32",
        "args": [],
        "resolved": "typedef",
    }


def test_parse_error_exit_1_with_location_line_and_caret(idl_dir: Path, tmp_path: Path) -> None:
    top = idl_dir / "t.idl"
    top.write_text("typedef long X;\n  typedef Nope Y;\n")
    proc = run("parse", str(top), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == f"{top}:2:11: unknown type 'Nope'\n  typedef Nope Y;\n          ^\n"
    assert "Traceback" not in proc.stderr


def test_parse_options_in_any_order_and_repeated_include_dirs(idl_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "extra.idl").write_text("typedef long Extra;\n")
    top = idl_dir / "t.idl"
    top.write_text('#include "nsISupports.idl"\n#include "extra.idl"\n')
    proc = run("parse", "--json", str(top), "-I", str(tmp_path / "more"), "-I", str(idl_dir), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["productions"][1]["path"] == str(tmp_path / "more" / "extra.idl")


def test_parse_without_json_prints_a_summary(capsys: pytest.CaptureFixture[str], idl_dir: Path) -> None:
    assert main(["parse", "-I", str(idl_dir), str(idl_dir / "nsISupports.idl")]) == 0
    assert capsys.readouterr().out.strip().endswith("ok (nsISupports)")


def test_real_idl_tree_parses(tmp_path: Path) -> None:
    idl = REPO / "idl"
    files = sorted(idl.rglob("*.idl"))
    assert files
    dirs = sorted({str(f.parent) for f in files})
    for f in files:
        args = ["parse", "--json", str(f)]
        for d in dirs:
            args += ["-I", d]
        proc = run(*args, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        json.loads(proc.stdout)


def test_usage_errors() -> None:
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    with pytest.raises(SystemExit) as info:
        main(["parse"])  # argparse: missing FILE
    assert info.value.code == 2


def test_regen_and_check_dispatch_to_the_generators(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    fake = types.ModuleType("codegen.regen")
    fake.main = lambda argv: calls.append(list(argv)) or 3  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "codegen.regen", fake)
    import codegen

    monkeypatch.setattr(codegen, "regen", fake, raising=False)
    assert main(["regen", "--x"]) == 3
    assert main(["check"]) == 3
    assert calls == [["regen", "--x"], ["check"]]


def test_parse_does_not_import_the_generators(idl_dir: Path, tmp_path: Path) -> None:
    code = (
        "import sys\nfrom codegen.__main__ import main\n"
        f"rc = main(['parse', '-I', {str(idl_dir)!r}, {str(idl_dir / 'nsISupports.idl')!r}])\n"
        "assert rc == 0\nassert 'codegen.regen' not in sys.modules, 'regen imported'\n"
        "assert 'codegen.emit_bindings' not in sys.modules\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_no_files_written_and_nothing_printed_by_ply(idl_dir: Path, tmp_path: Path) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    proc = run("parse", "-I", str(idl_dir), str(idl_dir / "nsISupports.idl"), cwd=work)
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert list(work.iterdir()) == []
    assert not (REPO / "codegen" / "parser.out").exists()


def test_internal_errors_are_reported_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import codegen.includes

    def broken(self: object, path: str) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(codegen.includes.Loader, "load_root", broken)
    assert main(["parse", "x.idl"]) == 1
    assert capsys.readouterr().err == "x.idl: internal error in the IDL compiler: ValueError: boom\n"


def test_parse_options(capsys: pytest.CaptureFixture[str]) -> None:
    from codegen.__main__ import parse_args

    args = parse_args(["-I", "a", "-Ib", "--json", "--cache-dir=c", "f.idl"])
    assert (args.include_dirs, args.json, args.cache_dir, args.no_cache, args.file) == (
        ["a", "b"], True, "c", False, "f.idl"
    )
    args = parse_args(["--no-cache", "--cache-dir", "d", "--", "-odd.idl"])
    assert (args.no_cache, args.cache_dir, args.file) == (True, "d", "-odd.idl")
    for bad in (["-I"], ["--cache-dir"], ["a.idl", "b.idl"], ["--frob", "a.idl"], []):
        with pytest.raises(SystemExit) as info:
            parse_args(bad)
        assert info.value.code == 2
        assert capsys.readouterr().err.startswith("usage: python -m codegen parse")
    with pytest.raises(SystemExit) as info:
        parse_args(["--help"])
    assert info.value.code == 0 and "--cache-dir DIR" in capsys.readouterr().out


def test_a_large_output_arrives_whole_through_the_early_exit(
    idl_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `python -m codegen parse` ends with os._exit once it has flushed: far more JSON than a
    # pipe holds must still reach the reader, byte for byte what the model gives in-process.
    top = idl_dir / "nsIBig.idl"
    members = "\n".join(f"  /** Member {i}. */ attribute long a{i};" for i in range(3000))
    top.write_text('#include "nsISupports.idl"\n'
                   "[scriptable, builtinclass, uuid(6c1b0e0a-8f7e-4c3b-9a2d-1e0f2a3b4c5d)]\n"
                   f"interface nsIBig : nsISupports {{\n{members}\n}};\n")
    proc = run("parse", "-I", str(idl_dir), "--no-cache", str(top), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout) > 1 << 20
    monkeypatch.chdir(tmp_path)
    assert main(["parse", "-I", str(idl_dir), "--no-cache", str(top), "--json"]) == 0
    assert proc.stdout == capsys.readouterr().out


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_stdout_is_an_error_not_a_silent_success(idl_dir: Path, tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "codegen", "parse", "-I", str(idl_dir), str(idl_dir / "nsISupports.idl"),
             "--json"], cwd=tmp_path, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.endswith("cannot write the output: No space left on device\n"), proc.stderr
    assert "Traceback" not in proc.stderr
