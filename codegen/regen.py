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

"Generated file" means a ``.py`` module (or ``.pyi`` stub) in one of the output folders whose
first line is the generated-file header; anything else living there is left alone (and reported
by neither command), so a hand-written helper can never be deleted by accident.

The stamp: generation is a pure function of the IDL files (paths and bytes), the layout and the
compiler's own source, so after a run that generated everything the digest of those inputs is
recorded with the digest of every output (``tree_key``, ``Stamp``).  The next ``check`` or
``regen`` whose inputs have that same digest only hashes the files on disk against the recorded
output digests: when they match (and no other generated file is there) the tree is up to date
without parsing or emitting anything; any difference, or no stamp, and the full run above
decides.  Stamps live in the parse cache's folder (``codegen.cache.default_directory``; none
with ``--no-cache``), and a stamp that cannot be read is simply not there.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from codegen import model

# The first line of every generated file starts with this (codegen.emit_bindings.header).
GENERATED_PREFIX = "# Generated from "

# The project this package sits in (``codegen/`` is at its top level).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


# Plain classes rather than dataclasses: ``check`` on an up-to-date tree should not pay for
# importing ``dataclasses`` (and with it ``inspect``) to compare a few digests.


class Layout:
    """Where the inputs are read and the outputs written."""

    __slots__ = ("root", "idl_dir", "bindings_dir", "tests_dir")

    def __init__(self, root: Path, idl_dir: Path, bindings_dir: Path, tests_dir: Path):
        self.root = root
        self.idl_dir = idl_dir
        self.bindings_dir = bindings_dir
        self.tests_dir = tests_dir

    def _parts(self) -> tuple[Path, Path, Path, Path]:
        return (self.root, self.idl_dir, self.bindings_dir, self.tests_dir)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Layout) and self._parts() == other._parts()

    def __hash__(self) -> int:
        return hash(self._parts())

    def __repr__(self) -> str:
        return "Layout({!r}, {!r}, {!r}, {!r})".format(*self._parts())

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


class Plan:
    """How the disk differs from the generated output."""

    def __init__(self) -> None:
        self.stale: list[Path] = []  # exists, different content
        self.missing: list[Path] = []  # not on disk yet
        self.extra: list[Path] = []  # generated earlier, produced no more
        self.unchanged = 0

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


def _parse_all(files: list[Path], dirs: list[Path], cache_dir: str | None = None) -> list[model.IDLFile]:
    # One loader for the whole run, so a file included by many (nsrootidl.idl, nsISupports.idl)
    # is read, parsed and checked once rather than once per includer; with the cache, a file
    # unchanged since an earlier run (as root or include) is not parsed at all.
    from codegen.cache import shared
    from codegen.includes import Loader

    loader = Loader(dirs, cache=shared(cache_dir), cache_roots=True)
    return [loader.load_root(os.fspath(p)) for p in files]


# ---------------------------------------------------------------- generation


def generate(layout: Layout, cache_dir: str | None = None) -> dict[Path, bytes]:
    """Every generated file (path -> bytes); raises IDLError / EmitError on bad input."""
    from codegen.emit_bindings import EmitError, emit_module, emit_package_init, module_name
    from codegen.emit_stubs import emit_package_stub, emit_stub
    from codegen.emit_tests import emit_test_modules

    files = idl_files(layout.idl_dir)
    parsed = _parse_all(
        [_near(p) for p in files], [_near(d) for d in include_dirs(layout.idl_dir)], cache_dir
    )
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
    # The typing stubs need every module's interfaces (a forward declaration names an interface
    # whose IDL the file need not include), so they are emitted once all files are parsed.
    where = {iface: name for name, ifaces in modules for iface in ifaces}
    for path, f in zip(files, parsed, strict=True):
        name = module_name(os.fspath(path))
        stub = emit_stub(f, layout.shown(path), name, where)
        out[layout.bindings_dir / f"{name}.pyi"] = stub.encode("utf-8")
    init_source = layout.shown(layout.idl_dir).rstrip("/") + "/"
    out[layout.bindings_dir / "__init__.py"] = emit_package_init(modules, init_source).encode("utf-8")
    out[layout.bindings_dir / "__init__.pyi"] = emit_package_stub(modules, init_source).encode("utf-8")
    return out


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def is_generated(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.readline().startswith(GENERATED_PREFIX.encode())
    except OSError:
        return False


# Generated files are modules and, next to the bindings, their typing stubs.
_SUFFIXES = (".py", ".pyi")


def existing_generated(layout: Layout) -> list[Path]:
    found: list[Path] = []
    for folder in (layout.bindings_dir, layout.tests_dir):
        if folder.is_dir():
            found += [p for p in sorted(folder.glob("*.py*")) if p.suffix in _SUFFIXES and is_generated(p)]
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


# ---------------------------------------------------------------- the stamp

_STAMP_FORMAT = 1


def generator_version() -> bytes:
    """Digest of the compiler's own source (every module of this package) and the Python version."""
    h = hashlib.sha256(f"{_STAMP_FORMAT}\0{sys.version}".encode())
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.digest()


def tree_key(layout: Layout) -> str:
    """Digest of everything the generated output depends on: compiler, layout, every IDL file."""
    h = hashlib.sha256(generator_version())
    for part in (layout.root, layout.idl_dir, layout.bindings_dir, layout.tests_dir, Path.cwd()):
        h.update(os.fspath(part).encode("utf-8", "surrogateescape") + b"\0")
    for path in idl_files(layout.idl_dir):
        h.update(layout.shown(path).encode("utf-8", "surrogateescape") + b"\0")
        h.update(_digest(path.read_bytes()))
    for folder in include_dirs(layout.idl_dir):  # an empty folder is still on the -I list
        h.update(layout.shown(folder).encode("utf-8", "surrogateescape") + b"\1")
    return h.hexdigest()


class Stamp:
    """The outputs of the last complete run over one tree: its input digest, each output's digest."""

    def __init__(self, path: Path, key: str, outputs: dict[str, str]):
        self.path = path  # where it is kept
        self.key = key  # tree_key() of that run
        self.outputs = outputs  # shown path -> sha256 hex

    @classmethod
    def location(cls, layout: Layout, cache_dir: str) -> Path:
        name = hashlib.sha256(os.fspath(layout.root).encode("utf-8", "surrogateescape")).hexdigest()
        return Path(cache_dir) / "trees" / f"{name[:32]}.json"

    @classmethod
    def read(cls, path: Path) -> Stamp | None:
        import json

        try:
            data = json.loads(path.read_bytes())
            if data.get("format") != _STAMP_FORMAT:
                return None
            outputs = {str(k): str(v) for k, v in data["outputs"].items()}
            return cls(path, str(data["key"]), outputs)
        except Exception:  # noqa: BLE001 - missing or damaged: no stamp
            return None

    def write(self) -> None:
        import json

        data = {"format": _STAMP_FORMAT, "key": self.key, "outputs": self.outputs}
        try:
            write_atomic(self.path, json.dumps(data, indent=0, sort_keys=True).encode())
        except OSError:  # a read-only cache folder: no stamp, the next run does the full work
            pass

    def matches(self, layout: Layout) -> int | None:
        """How many outputs are on disk exactly as recorded, or None if anything differs."""
        for shown, digest in self.outputs.items():
            try:
                if _digest((layout.root / shown).read_bytes()).hex() != digest:
                    return None
            except OSError:
                return None
        recorded = set(self.outputs)
        if any(layout.shown(p) not in recorded for p in existing_generated(layout)):
            return None  # an extra generated file: the full run names it
        return len(self.outputs)


def _stamp_for(layout: Layout, outputs: dict[Path, bytes], key: str, cache_dir: str) -> Stamp:
    recorded = {layout.shown(p): _digest(data).hex() for p, data in outputs.items()}
    return Stamp(Stamp.location(layout, cache_dir), key, recorded)


# ---------------------------------------------------------------- writing


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: readers see the old file or the new one."""
    import tempfile

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


def run(
    command: str,
    layout: Layout,
    out: TextIO | None = None,
    err: TextIO | None = None,
    cache_dir: str | None = None,
) -> int:
    """Run ``regen`` or ``check`` on ``layout``; returns the exit status.

    ``cache_dir``: where parsed files and stamps are kept (None: in memory only, no stamp)."""
    out = out or sys.stdout
    err = err or sys.stderr
    start = time.perf_counter()
    key = None
    if cache_dir is not None:
        key = tree_key(layout)
        stamp = Stamp.read(Stamp.location(layout, cache_dir))
        if stamp is not None and stamp.key == key and (unchanged := stamp.matches(layout)) is not None:
            if command == "check":
                print(f"codegen check: {unchanged} generated files up to date", file=out)
            else:
                elapsed = time.perf_counter() - start
                summary = f"0 written, 0 removed, {unchanged} unchanged ({elapsed:.3f} s)"
                print(f"codegen regen: {summary}", file=out)
            return 0
    outputs = generate_reporting(command, layout, err, cache_dir)
    if outputs is None:
        return 1
    todo = plan(layout, outputs)
    if command == "check":
        for line in _report(layout, todo, ("stale", "missing", "extra")):
            print(line, file=err)
        if not todo.clean:
            print("codegen check: generated files are out of date; run `python -m codegen regen`", file=err)
            return 1
        if key is not None and cache_dir is not None:
            _stamp_for(layout, outputs, key, cache_dir).write()
        print(f"codegen check: {todo.unchanged} generated files up to date", file=out)
        return 0
    apply(layout, outputs, todo)
    if key is not None and cache_dir is not None:
        _stamp_for(layout, outputs, key, cache_dir).write()
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


def generate_reporting(
    command: str, layout: Layout, err: TextIO, cache_dir: str | None = None
) -> dict[Path, bytes] | None:
    """``generate``, with any error printed (located, with its source line) instead of raised."""
    from codegen.emit_bindings import EmitError
    from codegen.errors import IDLError

    try:
        return generate(layout, cache_dir)
    except IDLError as e:
        print(str(e).rstrip("\n"), file=err)
        print(f"codegen {command}: IDL errors, nothing written", file=err)
    except RecursionError:
        print(f"codegen {command}: an IDL file is nested too deeply; nothing written", file=err)
    except EmitError as e:
        print(f"codegen {command}: error: {e}", file=err)
        print(f"codegen {command}: nothing written", file=err)
    return None


def default_root(idl: str = "idl") -> Path:
    """The working directory if it holds the IDL folder, else the checkout this package is in
    (so ``python -m codegen check`` works from anywhere with an editable install)."""
    cwd = Path.cwd()
    return cwd if (cwd / idl).is_dir() else PROJECT_ROOT


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m codegen", description=__doc__.split("\n\n")[0])
    p.add_argument("command", choices=("regen", "check", "watch"))
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="project root (default: the working directory when it has an idl/ folder, else this checkout)",
    )
    p.add_argument("--idl", default="idl", help="IDL folder, relative to the root")
    p.add_argument("--bindings", default="components/interfaces", help="bindings folder (relative)")
    p.add_argument("--tests", default="tests/generated", help="generated tests folder (relative)")
    p.add_argument(
        "--cache-dir",
        default=None,
        help="parsed files and stamps "
        "(default: $XPIDL_CACHE_DIR, else $XDG_CACHE_HOME/xpidl or ~/.cache/xpidl)",
    )
    p.add_argument("--no-cache", action="store_true", help="parse and generate everything; keep nothing")
    return p


def main(argv: list[str]) -> int:
    """Entry point for ``python -m codegen regen|check [--root DIR] ...`` (argv without the program)."""
    args = build_parser().parse_args(argv)
    root = args.root if args.root is not None else default_root(args.idl)
    layout = Layout.under(root.resolve(), args.idl, args.bindings, args.tests)
    if not layout.idl_dir.is_dir():
        print(f"codegen {args.command}: no IDL folder at {layout.idl_dir}", file=sys.stderr)
        return 1
    from codegen.cache import default_directory

    cache_dir = None if args.no_cache else (args.cache_dir or default_directory())
    if args.command == "watch":
        from codegen import watch

        return watch.main(layout, cache_dir)
    return run(args.command, layout, cache_dir=cache_dir)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
