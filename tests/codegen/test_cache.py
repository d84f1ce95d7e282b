"""The persistent cache of parsed includes (codegen.cache) as the loader uses it."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import codegen.includes
from codegen import cache as c
from codegen.errors import IDLError
from codegen.includes import Loader

IFACE = """\
#include "nsISupports.idl"
{includes}
[scriptable, uuid({uuid})]
interface {name} : nsISupports {{
  const unsigned long {name}_A = {value};
  attribute {attr_type} thing;
}};
"""


def write(folder: Path, name: str, value: int = 1, includes: tuple[str, ...] = (),
          attr_type: str = "long") -> Path:
    path = folder / f"{name}.idl"
    uuid = f"{abs(hash(name)) % 16**8:08x}-0000-4000-8000-000000000000"
    lines = "\n".join(f'#include "{i}.idl"' for i in includes)
    path.write_text(IFACE.format(includes=lines, uuid=uuid, name=name, value=value, attr_type=attr_type))
    return path


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parse_source is called on, in order (the loader's cache misses)."""
    calls: list[str] = []
    real = codegen.includes.parse_source

    def spy(text: str, filename: str = "<string>") -> Any:
        calls.append(Path(filename).name)
        return real(text, filename)

    monkeypatch.setattr(codegen.includes, "parse_source", spy)
    return calls


def fresh_run(idl_dir: Path, cache_dir: Path) -> Callable[[Path], Any]:
    """A new process's view: a new Cache (empty memory layer) over the same folder."""

    def load(root: Path) -> Any:
        return Loader([idl_dir], cache=c.Cache(cache_dir)).load_root(str(root))

    return load


def test_a_warm_run_parses_only_the_root_and_gives_the_same_model(
    idl_dir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    write(idl_dir, "nsIBase")
    root = write(idl_dir, "nsIRoot", includes=("nsIBase",), attr_type="nsIBase")
    cold = fresh_run(idl_dir, tmp_path / "cache")(root)
    assert parsed == ["nsIRoot.idl", "nsISupports.idl", "root.idl", "nsIBase.idl"]
    parsed.clear()
    warm = fresh_run(idl_dir, tmp_path / "cache")(root)
    assert parsed == ["nsIRoot.idl"]
    assert warm.to_json() == cold.to_json()
    # Cross-file links are bound to this run's objects, not copies of them.
    base = warm.includes[1].file
    assert warm.interfaces[0].attributes[0].type.target is base.interfaces[0]
    assert warm.interfaces[0].base_decl is warm.includes[0].file.interfaces[0]
    assert warm.resolve("nsIBase") is base.interfaces[0]


def test_one_declaration_reached_through_two_cached_includes_is_one(
    idl_dir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    # nsIRoot includes nsIA and nsIB, which both include nsIBase: the checks accept the
    # same declaration twice only when it is the same object, as after a fresh parse.
    write(idl_dir, "nsIBase")
    write(idl_dir, "nsIA", includes=("nsIBase",))
    write(idl_dir, "nsIB", includes=("nsIBase",))
    root = write(idl_dir, "nsIRoot", includes=("nsIA", "nsIB"))
    fresh_run(idl_dir, tmp_path / "cache")(root)
    parsed.clear()
    warm = fresh_run(idl_dir, tmp_path / "cache")(root)
    assert parsed == ["nsIRoot.idl"]
    assert warm.resolve("nsIBase") is warm.includes[1].file.resolve("nsIBase")
    assert warm.includes[1].file.resolve("nsIBase") is warm.includes[2].file.resolve("nsIBase")


def test_an_edited_include_is_parsed_again_and_so_is_everything_including_it(
    idl_dir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    write(idl_dir, "nsIDeep", value=1)
    write(idl_dir, "nsIMiddle", includes=("nsIDeep",))
    root = write(idl_dir, "nsIRoot", includes=("nsIMiddle",))
    fresh_run(idl_dir, tmp_path / "cache")(root)
    write(idl_dir, "nsIDeep", value=2)
    parsed.clear()
    warm = fresh_run(idl_dir, tmp_path / "cache")(root)
    # nsIMiddle's own bytes are unchanged, but what it includes is not.
    assert parsed == ["nsIRoot.idl", "nsIDeep.idl", "nsIMiddle.idl"]
    deep = warm.includes[1].file.includes[1].file
    assert deep.interfaces[0].constants() == [("nsIDeep_A", 2)]
    assert warm.resolve("nsIDeep") is deep.interfaces[0]


def test_an_include_that_resolves_elsewhere_is_a_miss(
    idl_dir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    write(idl_dir, "nsIBase", value=1)
    mid = write(idl_dir, "nsIMiddle", includes=("nsIBase",))
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    Loader([idl_dir], cache=c.Cache(tmp_path / "cache")).load_root(str(mid))
    write(earlier, "nsIBase", value=7)  # now found first on the include path
    parsed.clear()
    idl = Loader([earlier, idl_dir], cache=c.Cache(tmp_path / "cache")).load_root(str(mid))
    assert idl.includes[1].path == str(earlier / "nsIBase.idl")
    assert idl.resolve("nsIBase").constants() == [("nsIBase_A", 7)]


def test_parse_file_shares_unchanged_includes_between_calls(idl_dir: Path, parsed: list[str]) -> None:
    from codegen import parse_file

    write(idl_dir, "nsIBase")
    one = write(idl_dir, "nsIOne", includes=("nsIBase",))
    two = write(idl_dir, "nsITwo", includes=("nsIBase",))
    parse_file(one, [idl_dir])
    parsed.clear()
    parse_file(two, [idl_dir])
    parse_file(one, [idl_dir])
    assert parsed == ["nsITwo.idl", "nsIOne.idl"]  # roots only: the includes were unchanged
    write(idl_dir, "nsIBase", value=5)
    parsed.clear()
    assert parse_file(one, [idl_dir]).resolve("nsIBase").constants() == [("nsIBase_A", 5)]
    assert parsed == ["nsIOne.idl", "nsIBase.idl"]


def entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.rglob("*.pickle"))


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps((c.FORMAT, [], b"\x80\x05garbage")),
        pickle.dumps((c.FORMAT, [], pickle.dumps(os.system))),  # a class outside the model
        pickle.dumps(("an older format", [], b"")),
        pickle.dumps([1, 2, 3]),
    ],
    ids=["empty", "text", "bad-body", "foreign-class", "old-format", "wrong-shape"],
)
def test_a_damaged_entry_is_ignored_and_replaced(
    idl_dir: Path, tmp_path: Path, parsed: list[str], damage: bytes
) -> None:
    write(idl_dir, "nsIBase")
    root = write(idl_dir, "nsIRoot", includes=("nsIBase",))
    cold = fresh_run(idl_dir, tmp_path / "cache")(root).to_json()
    for entry in entries(tmp_path / "cache"):
        entry.write_bytes(damage)
    parsed.clear()
    assert fresh_run(idl_dir, tmp_path / "cache")(root).to_json() == cold
    assert "nsISupports.idl" in parsed
    parsed.clear()
    fresh_run(idl_dir, tmp_path / "cache")(root)  # the damaged entries were rewritten
    assert parsed == ["nsIRoot.idl"]


def test_a_new_compiler_version_does_not_read_old_entries(
    idl_dir: Path, tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(idl_dir, "nsIRoot")
    fresh_run(idl_dir, tmp_path / "cache")(root)
    monkeypatch.setattr(c, "_VERSION", "0" * 64)
    parsed.clear()
    fresh_run(idl_dir, tmp_path / "cache")(root)
    assert "nsISupports.idl" in parsed
    assert len({p.parent.name for p in entries(tmp_path / "cache")}) == 2  # one folder per version


def test_the_version_covers_the_front_end_sources() -> None:
    front_end = {"lexer.py", "parser.py", "_parsetab.py", "model.py", "checks.py", "includes.py"}
    assert set(c.FRONT_END) >= front_end
    assert len(c.compiler_version()) == 64


def test_writes_are_atomic_and_leave_no_temporary_files(idl_dir: Path, tmp_path: Path) -> None:
    write(idl_dir, "nsIBase")
    root = write(idl_dir, "nsIRoot", includes=("nsIBase",))
    fresh_run(idl_dir, tmp_path / "cache")(root)
    files = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert files and all(p.suffix == ".pickle" for p in files)


def test_an_unwritable_cache_folder_is_not_an_error(idl_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    root = write(idl_dir, "nsIRoot")
    assert fresh_run(idl_dir, blocker)(root).interfaces[0].name == "nsIRoot"


def test_errors_are_never_cached(idl_dir: Path, tmp_path: Path) -> None:
    broken = '#include "nsISupports.idl"\ninterface nsIBroken : nsISupports {\n'
    (idl_dir / "nsIBroken.idl").write_text(broken)
    root = write(idl_dir, "nsIRoot", includes=("nsIBroken",))
    for _ in range(2):
        with pytest.raises(IDLError, match=r"nsIBroken.idl:2:36: unexpected end of file"):
            fresh_run(idl_dir, tmp_path / "cache")(root)


def test_the_command_line_keeps_its_cache_where_it_is_told(idl_dir: Path, tmp_path: Path) -> None:
    root = write(idl_dir, "nsIRoot")
    run = [sys.executable, "-m", "codegen", "parse", "-I", str(idl_dir), str(root), "--json"]
    env = dict(os.environ, XPIDL_CACHE_DIR=str(tmp_path / "from-env"))
    first = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60)
    second = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60)
    assert first.returncode == second.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert entries(tmp_path / "from-env")
    subprocess.run([*run, "--cache-dir", str(tmp_path / "flag")], env=env, check=True, capture_output=True)
    assert entries(tmp_path / "flag")
    subprocess.run([*run, "--no-cache"], env=dict(env, XPIDL_CACHE_DIR=str(tmp_path / "none")), check=True,
                   capture_output=True)
    assert not (tmp_path / "none").exists()


def test_default_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XPIDL_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert c.default_directory() == str(tmp_path / "xpidl")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert c.default_directory() == str(tmp_path / "home" / ".cache" / "xpidl")
    monkeypatch.setenv("XPIDL_CACHE_DIR", "")
    assert c.default_directory() is None
