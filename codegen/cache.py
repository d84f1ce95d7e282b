"""Parsed and checked IDL files kept between runs, keyed by content (as mypy caches modules).

Theory of operation
-------------------
A file's checked model depends on three things only: its bytes, the path it is shown under
(every ``Location`` carries it) and the models of the files it includes.  So an entry is
stored under ``key = sha256(compiler version, shown path, bytes)`` and records, for each
``#include`` line, the name, the path it resolved to and that file's *digest*, where a file's
digest is ``sha256(key, digests of its includes)``: a Merkle hash of everything its model
depends on.  The loader uses an entry only when every include still resolves to the same path
and that file's digest (from the cache or from a fresh parse) is the recorded one; otherwise
the file is parsed again and its entry replaced.  Nothing is trusted by modification time.

An entry on disk is a marshalled record (format, the includes as recorded, body); the body is
a pickle of the model, unpickled only once the includes are known to match.  Objects that
belong to an included file (its ``IDLFile``, the declarations a type or a base interface
resolved to, the names in its scope) are not copied into the includer's entry: they are
written as references, (include index, name in that file's scope), and bound on load to the
objects the loader already holds.  So every declaration exists once per run, as after a fresh
parse, and the identity rules of the checks (the same declaration reached through two includes
is one declaration) keep holding.  Unpickling only ever builds ``codegen.model`` classes: any
other class named in an entry makes it a miss.

Two layers.  Every ``Cache`` keeps the live models of the process (so the twentieth
``parse_file`` of files including ``nsISupports.idl`` reads that file and hashes it, and parses
nothing); one with a directory also keeps entries on disk, where the next process finds them.

The compiler version is a hash of the front end's own source files and of the Python and PLY
versions, so editing the lexer, grammar, checks or model invalidates every entry; each version
has its own subfolder, so two checkouts at different versions sharing a cache folder do not
evict each other.  Writes are atomic (a temporary file in the same folder, then ``os.replace``).
An entry that cannot be read or unpickled is a miss, never an error, and a cache folder that
cannot be created or written is silently not used: the cache can only make a run faster.
"""

from __future__ import annotations

import io
import marshal
import os
import sys

TYPE_CHECKING = False  # see codegen/__init__.py: no typing at run time
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

# The C modules behind hashlib's sha256 and pickle's classes, imported directly when they are
# there: this module is on the path of every `python -m codegen parse`, and hashlib (which
# loads OpenSSL) with pickle (a large pure-Python module around _pickle) cost about 4 ms of a
# run that is mostly interpreter start-up.  The names are CPython's (3.12 renamed _sha256).
if TYPE_CHECKING:
    from hashlib import sha256
    from pickle import Pickler, Unpickler, UnpicklingError
else:
    try:
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - another interpreter or version
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256
    try:
        from _pickle import Pickler, Unpickler, UnpicklingError
    except ImportError:  # pragma: no cover
        from pickle import Pickler, Unpickler, UnpicklingError

if TYPE_CHECKING:  # imported when a model is stored or loaded, not to find the cache folder
    from codegen import model as m

# Bump when the layout of an entry changes (the compiler version covers the model's classes).
# 2: the outer record (format, includes, body) is marshalled; the body is still a pickle.
FORMAT = 2
_PROTOCOL = 5  # pickle.HIGHEST_PROTOCOL of every Python this runs on (3.8+)

# The modules whose source decides what a parsed-and-checked model looks like.
FRONT_END = ("lexer.py", "parser.py", "_parsetab.py", "model.py", "checks.py", "includes.py", "errors.py",
             "cache.py")


def _shareable() -> tuple[type, ...]:
    """Objects that can be referred to across files; anything else is copied into the entry."""
    from codegen import model as m

    return (m.IDLFile, m.Interface, m.Forward, m.Typedef, m.Native, m.WebIDL, m.CEnum)

# One include of a cached file: (name as written, path it resolved to, that file's digest).
Dependency = tuple[str, str, bytes]

_MEMORY_LIMIT = 20_000  # live entries per Cache; past it the memory layer starts afresh


class NotCacheable(Exception):
    """The model refers to an object of another file that its includes do not export."""


_VERSION: str | None = None


def compiler_version() -> str:
    """Hex digest of what the cached models depend on besides the input: the front end's code,
    named by each source file's size, modification time and inode.

    A stat rather than a read of the sources: this runs once per ``python -m codegen parse``,
    and reading and hashing the eight files cost ~1 ms of it.  An edit, a checkout or a
    reinstall of any of them changes its stamp; identical sources in two checkouts only get
    two folders of entries."""
    global _VERSION
    if _VERSION is None:
        import ply

        h = sha256(f"{FORMAT}\0{sys.version}\0{getattr(ply, '__version__', '')}".encode())
        here = os.path.dirname(os.path.abspath(__file__))
        for name in FRONT_END:
            try:
                st = os.stat(os.path.join(here, name))
                h.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0".encode())
            except OSError:  # not installed from source files: the name alone
                h.update(b"?" + name.encode())
        _VERSION = h.hexdigest()
    return _VERSION


def default_directory() -> str | None:
    """Where the command line keeps its cache: ``$XPIDL_CACHE_DIR`` (empty: no cache), else
    ``$XDG_CACHE_HOME/xpidl``, else ``~/.cache/xpidl``; None when there is no home to use."""
    explicit = os.environ.get("XPIDL_CACHE_DIR")
    if explicit is not None:
        return explicit or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if base.startswith("~"):  # no home directory
        return None
    return os.path.join(base, "xpidl")


def file_key(shown: str, data: bytes) -> bytes:
    h = sha256(compiler_version().encode())
    h.update(b"\0" + shown.encode("utf-8", "surrogateescape") + b"\0")
    h.update(data)
    return h.digest()


def file_digest(key: bytes, dependencies: Sequence[Dependency]) -> bytes:
    h = sha256(key)
    for _, _, digest in dependencies:
        h.update(digest)
    return h.digest()


class Entry:
    """A cached file: its includes as recorded, and a way to build its model over them."""

    def __init__(self, dependencies: list[Dependency], idl: m.IDLFile | None = None,
                 included: list[m.IDLFile] | None = None, body: bytes | None = None):
        self.dependencies = dependencies
        self.idl = idl  # memory layer: the live model...
        self.included = included  # ...and the include models it refers to
        self.body = body  # disk layer: the pickled model

    def model(self, included: list[m.IDLFile]) -> m.IDLFile | None:
        """The model bound to ``included`` (the current models of its includes, in order)."""
        if self.idl is not None:
            # A live model refers to the include objects it was checked against; after one of
            # them was parsed again (even to the same digest) it would not be this run's.
            assert self.included is not None
            if len(self.included) != len(included) or any(
                a is not b for a, b in zip(self.included, included, strict=True)
            ):
                return None
            return self.idl
        from codegen import model

        assert self.body is not None
        try:
            idl = _Unpickler(io.BytesIO(self.body), included).load()
        except Exception:  # noqa: BLE001 - a damaged or foreign entry is only a miss
            return None
        return idl if isinstance(idl, model.IDLFile) else None


class Cache:
    """Checked models by key: in memory for this process and, with a directory, on disk."""

    def __init__(self, directory: str | os.PathLike[str] | None = None):
        self.directory = os.fspath(directory) if directory is not None else None
        self.memory: dict[bytes, Entry] = {}
        self.rejected: set[bytes] = set()  # keys whose entry on disk turned out unusable
        self.hits = self.misses = self.writes = 0

    def _path(self, key: bytes) -> str:
        assert self.directory is not None
        return os.path.join(self.directory, compiler_version()[:16], key.hex() + ".pickle")

    def get(self, key: bytes) -> Entry | None:
        entry = self.memory.get(key)
        if entry is not None:
            return entry
        if self.directory is None:
            return None
        try:
            with open(self._path(key), "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        try:
            form, dependencies, body = marshal.loads(data)
            if form != FORMAT or not isinstance(body, bytes) or not isinstance(dependencies, list):
                raise ValueError("not an entry of this format")
        except Exception:  # noqa: BLE001 - damaged: a miss, and rewritten after the parse
            self.rejected.add(key)
            return None
        return Entry([tuple(d) for d in dependencies], body=body)

    def remember(self, key: bytes, entry: Entry, idl: m.IDLFile, included: list[m.IDLFile]) -> None:
        """Keep a model built from a disk entry live, so the next lookup need not unpickle."""
        self._keep(key, Entry(entry.dependencies, idl, included))

    def _keep(self, key: bytes, entry: Entry) -> None:
        if len(self.memory) >= _MEMORY_LIMIT:
            self.memory.clear()
        self.memory[key] = entry

    def put(self, key: bytes, idl: m.IDLFile, dependencies: list[Dependency],
            included: list[m.IDLFile]) -> None:
        """Store a freshly parsed and checked model (``included``: its includes' models)."""
        self._keep(key, Entry(dependencies, idl, included))
        if self.directory is None:
            return
        path = self._path(key)
        try:
            if key in self.rejected:
                raise ValueError("rewrite it")
            with open(path, "rb") as fh:
                if marshal.loads(fh.read())[:2] == (FORMAT, dependencies):
                    return  # the same entry is already there
        except Exception:  # noqa: BLE001, S110 - absent or damaged: write it
            pass
        self.rejected.discard(key)
        try:
            body = _dumps(idl, included)
        except NotCacheable:
            return
        data = marshal.dumps((FORMAT, dependencies, body))
        try:
            _write_atomic(path, data)
        except OSError:  # read-only or full: run without the disk layer
            return
        self.writes += 1


_CACHES: dict[str | None, Cache] = {}


def shared(directory: str | os.PathLike[str] | None = None) -> Cache:
    """The process-wide cache for ``directory`` (None: memory only)."""
    name = os.fspath(directory) if directory is not None else None
    cache = _CACHES.get(name)
    if cache is None:
        cache = _CACHES[name] = Cache(name)
    return cache


# ---------------------------------------------------------------- pickling


def _dumps(idl: m.IDLFile, included: list[m.IDLFile]) -> bytes:
    from codegen import model as m

    owned = {id(idl)}
    for production in idl.productions:
        owned.add(id(production))
        if isinstance(production, m.Interface):
            owned.update(id(c) for c in production.cenums)
    foreign: dict[int, tuple[Any, ...]] = {}
    for index, dep in enumerate(included):
        foreign.setdefault(id(dep), ("file", index))
        for name, decl in dep.scope.items():
            foreign.setdefault(id(decl), ("decl", index, name))
    out = io.BytesIO()
    _Pickler(out, owned, foreign).dump(idl)
    return out.getvalue()


class _Pickler(Pickler):
    def __init__(self, out: io.BytesIO, owned: set[int], foreign: dict[int, tuple[Any, ...]]):
        super().__init__(out, protocol=_PROTOCOL)
        self.shareable = _shareable()
        self.owned = owned
        self.foreign = foreign

    def persistent_id(self, obj: Any) -> Any:
        if not isinstance(obj, self.shareable) or id(obj) in self.owned:
            return None
        ref = self.foreign.get(id(obj))
        if ref is None:
            raise NotCacheable(f"{type(obj).__name__} {getattr(obj, 'name', '')!r} belongs to no include")
        return ref


class _Unpickler(Unpickler):
    def __init__(self, data: io.BytesIO, included: list[m.IDLFile]):
        super().__init__(data)
        self.included = included

    def persistent_load(self, pid: Any) -> Any:
        if pid[0] == "file":
            return self.included[pid[1]]
        return self.included[pid[1]].scope[pid[2]]

    def find_class(self, module: str, name: str) -> Any:
        from codegen import model as m

        if module == "codegen.model" and isinstance(getattr(m, name, None), type):
            return getattr(m, name)
        raise UnpicklingError(f"{module}.{name} is not a model class")


def _write_atomic(path: str, data: bytes) -> None:
    import tempfile  # only a miss writes; a warm run need not import it

    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".entry.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
