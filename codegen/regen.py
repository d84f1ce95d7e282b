"""``python -m codegen regen`` and ``python -m codegen check``.

Theory of operation
-------------------
Both commands compute the complete generated output in memory first -- every IDL file under
``idl/`` parsed (with every folder under ``idl/`` on the include path, as Mozilla's build passes
``-I`` for each) and emitted into bindings (``components/interfaces/``) and conformance tests
(``tests/generated/``) -- and only then compare it with what is on disk, file by file, by SHA-256
of the contents.  So:

* an IDL error (or an emitter error) is reported before anything is touched: nothing is written;
* ``regen`` rewrites only the files whose content changed, each atomically (a temporary file in
  the same folder, then ``os.replace``), and deletes generated files that no input produces any
  more.  Unchanged files keep their modification time, so a no-op run writes nothing at all;
* ``check`` is the read-only twin: it names each stale, missing or extra file and exits 1.

"Generated file" means a ``.py`` file in one of the output folders whose first line is the
generated-file header; anything else living there is left alone (and reported by neither
command), so a hand-written helper can never be deleted by accident.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from codegen import model
from codegen.emit_bindings import GENERATED_PREFIX, EmitError, emit_module, emit_package_init, module_name
from codegen.emit_tests import emit_test_modules

# The project this package sits in (``codegen/`` is at its top level).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Layout:
    """Where the inputs are read and the outputs written."""

    root: Path
    idl_dir: Path
    bindings_dir: Path
    tests_dir: Path

    @classmethod
    def under(
        cls,
        root: Path,
        idl: str = "idl",
        bindings: str = "components/interfaces",
        tests: str = "tests/generated",
    ) -> Layout:
        return cls(root, root / idl, root / bindings, root / tests)

    def shown(self, path: Path) -> str:
        """A path as printed and written into headers: relative to the root, with slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass
class Plan:
    """How the disk differs from the generated output."""

    stale: list[Path] = field(default_factory=list)  # exists, different content
    missing: list[Path] = field(default_factory=list)  # not on disk yet
    extra: list[Path] = field(default_factory=list)  # generated earlier, produced no more
    unchanged: int = 0

    @property
    def clean(self) -> bool:
        return not (self.stale or self.missing or self.extra)


# ---------------------------------------------------------------- inputs


def idl_files(idl_dir: Path) -> list[Path]:
    """Every ``.idl`` file under ``idl_dir``, in a stable order (by relative path)."""
    return sorted(idl_dir.rglob("*.idl"), key=lambda p: p.relative_to(idl_dir).as_posix())


def include_dirs(idl_dir: Path) -> list[Path]:
    """``idl_dir`` and every folder below it, in a stable order: the ``-I`` list."""
    dirs = [p for p in idl_dir.rglob("*") if p.is_dir() and not p.name.startswith(".")]
    return [idl_dir, *sorted(dirs, key=lambda p: p.relative_to(idl_dir).as_posix())]


def _near(path: Path) -> Path:
    """``path`` relative to the working directory when it is below it: error messages then
    read ``idl/netwerk/...:15:38`` rather than a long absolute path."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _parse_all(files: list[Path], dirs: list[Path]) -> list[model.IDLFile]:
    # One loader for the whole run, so a file included by many (nsrootidl.idl, nsISupports.idl)
    # is read, parsed and checked once rather than once per includer.
    try:
        from codegen.includes import Loader
    except ImportError:  # a front end without the shared loader: one parse per root file
        from codegen import parse_file

        return [parse_file(p, dirs) for p in files]
    loader = Loader(dirs)
    return [loader.load_root(os.fspath(p)) for p in files]


# ---------------------------------------------------------------- generation


def generate(layout: Layout) -> dict[Path, bytes]:
    """Every generated file (path -> bytes); raises IDLError / EmitError on bad input."""
    files = idl_files(layout.idl_dir)
    parsed = _parse_all([_near(p) for p in files], [_near(d) for d in include_dirs(layout.idl_dir)])
    out: dict[Path, bytes] = {}
    modules: list[tuple[str, list[str]]] = []
    origin: dict[str, Path] = {}
    test_origin: dict[str, Path] = {}
    for path, f in zip(files, parsed, strict=True):
        name = module_name(os.fspath(path))
        if name in origin or name == "__init__":
            other = layout.shown(origin[name]) if name in origin else "the package"
            raise EmitError(f"{layout.shown(path)}: module name {name!r} is already taken by {other}")
        origin[name] = path
        source = layout.shown(path)
        out[layout.bindings_dir / f"{name}.py"] = emit_module(f, source).encode("utf-8")
        modules.append((name, [i.name for i in f.interfaces]))
        for test_name, text in emit_test_modules(f, source).items():
            if test_name in test_origin:
                raise EmitError(f"{source}: {test_name} is also generated from {test_origin[test_name]}")
            test_origin[test_name] = path
            out[layout.tests_dir / test_name] = text.encode("utf-8")
    init_source = layout.shown(layout.idl_dir).rstrip("/") + "/"
    out[layout.bindings_dir / "__init__.py"] = emit_package_init(modules, init_source).encode("utf-8")
    return out


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def is_generated(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.readline().startswith(GENERATED_PREFIX.encode())
    except OSError:
        return False


def existing_generated(layout: Layout) -> list[Path]:
    found: list[Path] = []
    for folder in (layout.bindings_dir, layout.tests_dir):
        if folder.is_dir():
            found += [p for p in sorted(folder.glob("*.py")) if is_generated(p)]
    return found


def plan(layout: Layout, outputs: dict[Path, bytes]) -> Plan:
    result = Plan()
    for path in sorted(outputs):
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            result.missing.append(path)
            continue
        if _digest(current) == _digest(outputs[path]):
            result.unchanged += 1
        else:
            result.stale.append(path)
    result.extra = [p for p in existing_generated(layout) if p not in outputs]
    return result


# ---------------------------------------------------------------- writing


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply(layout: Layout, outputs: dict[Path, bytes], todo: Plan) -> None:
    for path in todo.missing + todo.stale:
        write_atomic(path, outputs[path])
    for path in todo.extra:
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------- the commands


def _report(layout: Layout, todo: Plan, verbs: tuple[str, str, str]) -> Iterable[str]:
    stale, missing, extra = verbs
    for path in todo.stale:
        yield f"{stale}: {layout.shown(path)}"
    for path in todo.missing:
        yield f"{missing}: {layout.shown(path)}"
    for path in todo.extra:
        yield f"{extra}: {layout.shown(path)}"


def run(command: str, layout: Layout, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``regen`` or ``check`` on ``layout``; returns the exit status."""
    from codegen.errors import IDLError

    out = out or sys.stdout
    err = err or sys.stderr
    start = time.perf_counter()
    try:
        outputs = generate(layout)
    except IDLError as e:
        print(str(e).rstrip("\n"), file=err)
        print(f"codegen {command}: IDL errors, nothing written", file=err)
        return 1
    except RecursionError:
        print(f"codegen {command}: an IDL file is nested too deeply; nothing written", file=err)
        return 1
    except EmitError as e:
        print(f"codegen {command}: error: {e}", file=err)
        print(f"codegen {command}: nothing written", file=err)
        return 1
    todo = plan(layout, outputs)
    if command == "check":
        for line in _report(layout, todo, ("stale", "missing", "extra")):
            print(line, file=err)
        if not todo.clean:
            print("codegen check: generated files are out of date; run `python -m codegen regen`", file=err)
            return 1
        print(f"codegen check: {todo.unchanged} generated files up to date", file=out)
        return 0
    apply(layout, outputs, todo)
    for line in _report(layout, todo, ("updated", "created", "removed")):
        print(line, file=out)
    elapsed = time.perf_counter() - start
    changed = len(todo.stale) + len(todo.missing)
    print(
        f"codegen regen: {changed} written, {len(todo.extra)} removed, {todo.unchanged} unchanged "
        f"({elapsed:.3f} s)",
        file=out,
    )
    return 0


def default_root(idl: str = "idl") -> Path:
    """The working directory if it holds the IDL folder, else the checkout this package is in
    (so ``python -m codegen check`` works from anywhere with an editable install)."""
    cwd = Path.cwd()
    return cwd if (cwd / idl).is_dir() else PROJECT_ROOT


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m codegen", description=__doc__.split("\n\n")[0])
    p.add_argument("command", choices=("regen", "check"))
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="project root (default: the working directory when it has an idl/ folder, else this checkout)",
    )
    p.add_argument("--idl", default="idl", help="IDL folder, relative to the root")
    p.add_argument("--bindings", default="components/interfaces", help="bindings folder (relative)")
    p.add_argument("--tests", default="tests/generated", help="generated tests folder (relative)")
    return p


def main(argv: list[str]) -> int:
    """Entry point for ``python -m codegen regen|check [--root DIR] ...`` (argv without the program)."""
    args = build_parser().parse_args(argv)
    root = args.root if args.root is not None else default_root(args.idl)
    layout = Layout.under(root.resolve(), args.idl, args.bindings, args.tests)
    if not layout.idl_dir.is_dir():
        print(f"codegen {args.command}: no IDL folder at {layout.idl_dir}", file=sys.stderr)
        return 1
    return run(args.command, layout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
