"""Reading source files and following ``#include`` lines.

pyxpidl's rules: an included name is tried as given (relative to the working directory),
then under each include directory in order; it is *not* looked up next to the including
file.  Every file is parsed and checked once per run however often it is included (files
are identified by their real path), and its names, with everything it includes in turn,
become visible to the includer from the ``#include`` line on.  A file that includes
itself, directly or through others, is an error naming the whole cycle.

Every error leaving the loader carries its source line, whichever file it is about.
Files larger than ``MAX_FILE_SIZE`` are refused before parsing.

With a ``codegen.cache.Cache`` the loader takes an included file's checked model from it
when the file, and everything it includes, is unchanged (see that module for the rule); the
root file is parsed all the same unless ``cache_roots`` is set, so the file a command names
is always compiled and its errors always come fresh.  Only files that parse and check
are stored; an error is never cached.
"""

from __future__ import annotations

import os

from codegen import checks
from codegen import model as m
from codegen.errors import IDLError
from codegen.parser import parse_source

TYPE_CHECKING = False  # see codegen/__init__.py: no typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from codegen.cache import Cache, Dependency, Entry

# The largest IDL files in mozilla-central are around 100 KB.  PLY parses roughly a
# mebibyte of IDL in two to three seconds, so a limit keeps a runaway or hostile
# input (a generated 10 MiB file, /dev/zero) from stalling a build: it fails at once
# with a clear message instead.
MAX_FILE_SIZE = 4 << 20

# Includes are followed recursively; real chains are a handful of files deep
# (nsIWebSocketChannel -> nsISupports -> nsrootidl), so this only stops runaways
# before Python's own recursion limit does.
MAX_INCLUDE_DEPTH = 64


def decode_source(data: bytes, filename: str) -> str:
    """Source bytes -> text: UTF-8 (BOM allowed), newlines normalised to ``\\n``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        start = err.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        bad = data[start : start + 1].hex()
        shown = data[data.rfind(b"\n", 0, start) + 1 :].split(b"\n", 1)[0].decode("utf-8", "replace")
        raise IDLError(
            f"file is not valid UTF-8 (byte 0x{bad})", m.Location(filename, line, column), shown
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Loader:
    """One front-end run: parses the root file and, once each, everything it includes."""

    def __init__(
        self,
        include_dirs: Iterable[str | os.PathLike[str]] = (),
        cache: Cache | None = None,
        cache_roots: bool = False,
    ):
        self.include_dirs = [os.fspath(d) for d in include_dirs]
        self.cache = cache
        self.cache_roots = cache_roots
        self.files: dict[str, m.IDLFile] = {}  # real path -> parsed and checked file
        self.digests: dict[str, bytes] = {}  # real path -> digest (see codegen.cache), with a cache
        self.found: dict[str, str | None] = {}  # include name -> where it resolved, this run
        self.reals: dict[str, str] = {}  # path -> its real path, this run
        self.texts: dict[str, str] = {}  # path as shown in locations -> text
        self.in_progress: list[tuple[str, str]] = []  # (real path, shown path) being loaded

    # -- entry points ----------------------------------------------------------------

    def load_root(self, path: str) -> m.IDLFile:
        return self._guarded(lambda: self._load_path(path, None, root=True))

    def load_text(self, text: str, filename: str) -> m.IDLFile:
        if len(text) > MAX_FILE_SIZE:
            raise IDLError(f"'{filename}' is larger than {MAX_FILE_SIZE >> 20} MiB; no IDL file is that big")
        return self._guarded(lambda: self._load_text(text, filename, real=None))

    def _guarded(self, load: Callable[[], m.IDLFile]) -> m.IDLFile:
        """Run a load; any error leaving it gets its source line, whichever file it is in."""
        try:
            return load()
        except IDLError as err:
            if err.location is not None and err.location.file in self.texts:
                err.attach_source(self.texts[err.location.file])
            raise

    # -- loading ---------------------------------------------------------------------

    def _load_path(self, shown: str, include: m.Include | None, root: bool = False) -> m.IDLFile:
        real = self.real(shown)
        for i, (in_progress, _) in enumerate(self.in_progress):
            if in_progress == real:
                chain = [s for _, s in self.in_progress[i:]] + [shown]
                raise IDLError("include cycle: " + " -> ".join(chain), include.location if include else None)
        if real in self.files:
            return self.files[real]
        if len(self.in_progress) >= MAX_INCLUDE_DEPTH:
            raise IDLError(
                f"#include nested more than {MAX_INCLUDE_DEPTH} files deep",
                include.location if include else None,
            )
        where = include.location if include else None
        try:
            with open(shown, "rb") as fh:
                data = fh.read(MAX_FILE_SIZE + 1)
        except OSError as err:
            raise IDLError(f"cannot read '{shown}': {err.strerror or err}", where) from None
        if len(data) > MAX_FILE_SIZE:
            raise IDLError(
                f"'{shown}' is larger than {MAX_FILE_SIZE >> 20} MiB; no IDL file is that big", where
            )
        key = None
        if self.cache is not None:
            from codegen.cache import file_key

            key = file_key(shown, data)
            if not root or self.cache_roots:
                cached = self._from_cache(key, shown, real)
                if cached is not None:
                    return cached
        text = decode_source(data, shown)
        return self._load_text(text, shown, real, key)

    def _load_text(self, text: str, shown: str, real: str | None, key: bytes | None = None) -> m.IDLFile:
        self.texts[shown] = text
        self.in_progress.append((real or shown, shown))
        try:
            idl = parse_source(text, shown)
            for include in idl.includes:
                found = self.find(include.name)
                if found is None:
                    raise IDLError(f"cannot find include file '{include.name}'", include.location)
                include.path = found
                include.file = self._load_path(found, include)
            checks.check_file(idl)
        finally:
            self.in_progress.pop()
        if real is not None:
            self.files[real] = idl
            if key is not None and self.cache is not None:
                self._store(key, real, idl)
        return idl

    # -- the cache -------------------------------------------------------------------

    def _store(self, key: bytes, real: str, idl: m.IDLFile) -> None:
        from codegen.cache import file_digest

        assert self.cache is not None
        dependencies: list[Dependency] = []
        included: list[m.IDLFile] = []
        for include in idl.includes:
            assert include.path is not None and include.file is not None
            digest = self.digests.get(self.real(include.path))
            if digest is None:  # an include loaded without a digest: nothing to key on
                return
            dependencies.append((include.name, include.path, digest))
            included.append(include.file)
        self.digests[real] = file_digest(key, dependencies)
        self.cache.put(key, idl, dependencies, included)

    def _from_cache(self, key: bytes, shown: str, real: str) -> m.IDLFile | None:
        """The cached model of the file at ``real`` when it and its includes are unchanged."""
        from codegen.cache import file_digest

        assert self.cache is not None
        entry = self.cache.get(key)
        idl = None if entry is None else self._bind(entry, shown, real)
        if entry is None or idl is None:
            self.cache.misses += 1
            if entry is not None and entry.idl is None and all(
                self.digests.get(self.real(path)) == digest for _, path, digest in entry.dependencies
            ):
                self.cache.rejected.add(key)  # its includes matched, so the entry itself is bad
            return None
        if entry.idl is None:
            self.cache.remember(key, entry, idl, [i.file for i in idl.includes])  # type: ignore[misc]
        self.cache.hits += 1
        self.files[real] = idl
        self.digests[real] = file_digest(key, entry.dependencies)
        return idl

    def _bind(self, entry: Entry, shown: str, real: str) -> m.IDLFile | None:
        """Load the includes ``entry`` recorded; its model over them if they are unchanged."""
        included: list[m.IDLFile] = []
        self.in_progress.append((real, shown))
        try:
            for name, path, digest in entry.dependencies:
                found = self.find(name)
                if found != path:
                    return None
                # An error here (a missing file, a cycle) is reported by the parse that
                # follows the miss, at the #include line that causes it.
                included.append(self._load_path(found, None))
                if self.digests.get(self.real(found)) != digest:
                    return None
        except IDLError:
            return None
        finally:
            self.in_progress.pop()
        return entry.model(included)

    def find(self, name: str) -> str | None:
        """Where ``#include "name"`` points: the name itself, then each include dir.

        Remembered for the run: a name included by fifty files is looked up once."""
        found = self.found.get(name, "")
        if found != "":
            return found
        found = None
        # os.access answers a missing path with False where os.stat (behind isfile) raises:
        # with a build's hundreds of -I folders most probes miss, and that halves their cost.
        # (A NUL in the name, which os.access refuses with ValueError, names no file.)
        exists, join = os.access, os.path.join
        if "\0" not in name:
            for candidate in [name] + [join(d, name) for d in self.include_dirs]:
                if "\0" not in candidate and exists(candidate, os.F_OK) and os.path.isfile(candidate):
                    found = candidate
                    break
        self.found[name] = found
        return found

    def real(self, path: str) -> str:
        """``os.path.realpath``, remembered for the run (files are identified by it)."""
        real = self.reals.get(path)
        if real is None:
            real = self.reals[path] = os.path.realpath(path)
        return real
