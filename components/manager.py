"""The component manager: contract IDs -> class entries -> objects.

Theory of operation
-------------------
A component is a class (or a zero-argument factory) registered under a class ID
(``uuid.UUID``) and one or more contract IDs.  Components declare themselves next
to their code with :func:`component`; the manager finds those declarations by
importing modules lazily, on the first lookup:

* the modules in :data:`BUILTIN_MODULES` (this distribution's own components), then
* every module named by an entry point in the group :data:`ENTRY_POINT_GROUP`
  (``xpcom.components``), so host applications and other distributions can add
  or replace components without touching this package.

``Cc[contractID]`` answers a :class:`ClassEntry` whose ``createInstance`` makes a
new object each time and whose ``getService`` makes one shared object, lazily and
under a lock so that concurrent first calls from several threads agree on it.

Each contract ID maps to a small stack of *layers*.  Declarations (the decorator)
sit below run-time overrides (``registry.register``), so a test that installs a
fake before the built-ins were imported still wins once they are.  Re-registering
a contract in the same tier replaces it, as XPCOM does; ``undo()`` removes exactly
the layer it created, wherever it is in the stack, so overrides may be undone in
any order.

Failure rules: a module that fails to import does not break the others.  What it
managed to register before failing is rolled back (no half-registered entries),
the failure is logged, and a lookup of one of its contracts raises
``NS_ERROR_FACTORY_NOT_REGISTERED`` with the import error chained.  A factory that
raises surfaces as an :class:`~components.results.XPCOMError` with the original
exception as ``__cause__``; a failed ``getService`` caches nothing, so the next
call tries again.

Locks: the registry lock guards the tables only and is never held while importing
or constructing, so a module being imported on one thread can register itself
while another thread waits for the initial load to finish.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from zope.interface import implementedBy, providedBy
from zope.interface.interface import InterfaceClass

from components.results import Cr, XPCOMError

if TYPE_CHECKING:
    from components.bindings import InterfaceObject

__all__ = [
    "BUILTIN_MODULES",
    "ENTRY_POINT_GROUP",
    "Cc",
    "ClassEntry",
    "ComponentNotRegisteredError",
    "NoInterfaceError",
    "Registration",
    "Registry",
    "Supports",
    "component",
    "components_providing",
    "registry",
]

log = logging.getLogger(__name__)

_I = TypeVar("_I")  # the protocol of a generated interface (components.bindings.InterfaceObject)
_D = TypeVar("_D")

#: Entry-point group other distributions use to contribute component modules.
#: Each entry point's value names a module (``pkg.mod``) that registers its
#: components with :func:`component` when imported.
ENTRY_POINT_GROUP = "xpcom.components"

#: This distribution's own component modules, imported lazily on the first lookup.
BUILTIN_MODULES: tuple[str, ...] = (
    "components.prefs",
    "components.observers",
    "components.uri",
    "components.streams",
    "components.netobjects",
    "components.security",
    "components.websocket.channel",
    "components.websocket.eventservice",
    "components.proxy.service",
)

# Which built-in module is expected to provide which contract.  Only used to
# explain a failed lookup: when the module failed to import, its error is chained.
_BUILTIN_CONTRACTS: dict[str, str] = {
    "@mozilla.org/preferences-service;1": "components.prefs",
    "@mozilla.org/observer-service;1": "components.observers",
    "@mozilla.org/network/io-service;1": "components.uri",
    "@mozilla.org/network/standard-url;1": "components.uri",
    "@mozilla.org/io/string-input-stream;1": "components.streams",
    "@mozilla.org/network/load-group;1": "components.netobjects",
    "@xpcom-websocket/load-info;1": "components.netobjects",
    "@xpcom-websocket/interface-requestor;1": "components.netobjects",
    "@mozilla.org/security/transportsecurityinfo;1": "components.security",
    "@mozilla.org/network/protocol;1?name=ws": "components.websocket.channel",
    "@mozilla.org/network/protocol;1?name=wss": "components.websocket.channel",
    "@mozilla.org/websocketevent/service;1": "components.websocket.eventservice",
    "@mozilla.org/network/protocol-proxy-service;1": "components.proxy.service",
}

class _EntryPoint:
    """The part of ``importlib.metadata.EntryPoint`` the registry uses: ``value`` and ``load()``."""

    __slots__ = ("name", "value", "group")

    def __init__(self, name: str, value: str, group: str) -> None:
        self.name, self.value, self.group = name, value, group

    def load(self) -> Any:
        module, _, attrs = self.value.partition(":")
        obj: Any = importlib.import_module(module.strip())
        for attr in attrs.split("[", 1)[0].strip().split("."):
            if attr:
                obj = getattr(obj, attr)
        return obj

    def __repr__(self) -> str:
        return f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"


def entry_points(group: str) -> list[Any]:
    """The entry points of ``group`` in every installed distribution, as importlib.metadata finds
    them (``entry_points(group=...)``), but read directly for the usual layout.

    Importing ``importlib.metadata`` (it brings the email package, zipfile and csv with it) cost
    more than everything else the first ``Cc`` lookup does outside the channel, and all it is
    needed for here is a walk over ``*.dist-info`` / ``*.egg-info`` folders on ``sys.path``.  So
    that walk is done here with the same rules: path entries in order, one distribution per
    normalised name (the first found), every ``entry_points.txt`` parsed (a malformed one raises,
    as it does there).  Anything unusual -- a zip or other non-folder on the path, a meta-path
    finder that contributes its own distributions -- goes to importlib.metadata itself.
    """
    from importlib.machinery import PathFinder

    finders = [f for f in sys.meta_path if getattr(f, "find_distributions", None) is not None]
    if any(f is not PathFinder for f in finders):
        return _entry_points_from_importlib(group)
    seen: set[str] = set()
    found: list[Any] = []
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)  # in directory order, as importlib.metadata reads them
        except NotADirectoryError:
            return _entry_points_from_importlib(group)
        except OSError:  # missing or unreadable: importlib.metadata skips it too
            continue
        for name in names:
            lower = name.lower()
            if not (lower.endswith(".dist-info") or lower.endswith(".egg-info")):
                continue
            dist = _normalised(name.rpartition(".")[0].partition("-")[0])
            if dist in seen:
                continue
            seen.add(dist)
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            found += _parse_entry_points(text, group)
    return found


def _normalised(name: str) -> str:
    out = []
    previous_sep = False
    for ch in name.lower():
        if ch in "-_.":
            if not previous_sep:
                out.append("_")
            previous_sep = True
        else:
            out.append(ch)
            previous_sep = False
    return "".join(out)


def _parse_entry_points(text: str, group: str) -> list[_EntryPoint]:
    section = None
    found = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        name, sep, value = line.partition("=")
        if not sep:
            raise ValueError(f"entry point line without '=': {line!r}")
        if section == group:
            found.append(_EntryPoint(name.strip(), value.strip(), group))
    return found


def _entry_points_from_importlib(group: str) -> list[Any]:
    import importlib.metadata

    return list(importlib.metadata.entry_points(group=group))


_DECLARED, _OVERRIDE = 0, 1  # layer tiers: declarations sit below run-time overrides

# Per thread: (registry, module name, registrations made) while a registry imports a
# component module; None (the global registry) otherwise.
_target = threading.local()


class ComponentNotRegisteredError(XPCOMError, KeyError):
    """``NS_ERROR_FACTORY_NOT_REGISTERED``; also a ``KeyError`` so ``Cc`` acts as a mapping."""

    def __init__(self, contractID: str, message: str = "") -> None:
        super().__init__(Cr.NS_ERROR_FACTORY_NOT_REGISTERED, message or f"no component for {contractID!r}")
        self.contractID = contractID

    __str__ = XPCOMError.__str__  # KeyError would quote the message


class NoInterfaceError(XPCOMError, TypeError):
    """``NS_NOINTERFACE``: the object does not provide the interface asked for."""

    def __init__(self, obj: object, iface: Any) -> None:
        name = getattr(iface, "__name__", repr(iface))
        super().__init__(Cr.NS_NOINTERFACE, f"{type(obj).__name__} does not provide {name}")
        self.iface = iface


def _provides(obj: object, iface: Any) -> bool:
    # Every XPCOM object is an nsISupports, whether or not its class says so.
    if getattr(iface, "__name__", None) == "nsISupports" and isinstance(iface, InterfaceClass):
        return True
    if not isinstance(iface, InterfaceClass):
        raise XPCOMError(Cr.NS_ERROR_INVALID_ARG, f"not an interface: {iface!r}")
    return bool(iface.providedBy(obj))


# Typed code passing a generated interface object (``Ci.nsIFoo``) gets its protocol back (see
# components.bindings.InterfaceObject); any other zope interface gives an untyped object.


@overload
def query_interface(obj: object, iface: InterfaceObject[_I]) -> _I: ...
@overload
def query_interface(obj: object, iface: object) -> Any: ...
def query_interface(obj: object, iface: object) -> Any:
    """``nsISupports.QueryInterface``: *obj* itself if it provides *iface*, else ``NS_NOINTERFACE``."""
    if _provides(obj, iface):
        return obj
    raise NoInterfaceError(obj, iface)


def _QueryInterface(self: object, iface: Any) -> Any:
    return query_interface(self, iface)


class Supports:
    """Base for objects that are not components themselves (never created by contract ID)
    but are handed out as interfaces: gives them ``QueryInterface``."""

    __slots__ = ()

    @overload
    def QueryInterface(self, iface: InterfaceObject[_I]) -> _I: ...
    @overload
    def QueryInterface(self, iface: object) -> Any: ...
    def QueryInterface(self, iface: object) -> Any:
        return query_interface(self, iface)


def _as_uuid(value: uuid.UUID | str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value).strip().strip("{}"))
    except ValueError as e:
        raise XPCOMError(Cr.NS_ERROR_INVALID_ARG, f"not a class ID: {value!r}") from e


def _check_contracts(contractIDs: Iterable[str] | str) -> tuple[str, ...]:
    # A lone string is one contract ID, not a sequence of one-letter ones.
    result = (contractIDs,) if isinstance(contractIDs, str) else tuple(contractIDs)
    for cid in result:
        if not isinstance(cid, str) or not cid:
            raise XPCOMError(Cr.NS_ERROR_INVALID_ARG, f"not a contract ID: {cid!r}")
    return result


class ClassEntry:
    """One registered component: what ``Cc[contractID]`` answers."""

    def __init__(
        self,
        factory: Callable[[], object],
        classID: uuid.UUID,
        contractIDs: tuple[str, ...],
        provides: tuple[Any, ...] = (),
        name: str = "",
    ) -> None:
        self.factory = factory
        self.classID = classID
        self.contractIDs = contractIDs
        self.name = name or getattr(factory, "__qualname__", repr(factory))
        self._provides = provides
        self._service: object | None = None
        self._has_service = False
        self._service_lock = threading.Lock()
        self._building: int | None = None  # thread ident constructing the service

    @property
    def cls(self) -> type | None:
        """The implementing class, when the factory is one."""
        return self.factory if isinstance(self.factory, type) else None

    def interfaces(self) -> tuple[Any, ...]:
        """The interfaces objects of this component provide (as far as known before creating one)."""
        if self._provides:
            return self._provides
        if self.cls is not None:
            return tuple(implementedBy(self.cls).flattened())
        return ()

    def provides(self, iface: Any) -> bool:
        if self._provides:
            return any(i.isOrExtends(iface) for i in self._provides)
        if self.cls is not None:
            return bool(iface.implementedBy(self.cls))
        return False

    def _construct(self) -> object:
        try:
            return self.factory()
        except XPCOMError:
            raise
        except Exception as e:
            raise XPCOMError(Cr.NS_ERROR_FAILURE, f"constructing {self.name} failed: {e!r}") from e

    @overload
    def createInstance(self) -> Any: ...
    @overload
    def createInstance(self, iface: InterfaceObject[_I]) -> _I: ...
    @overload
    def createInstance(self, iface: object) -> Any: ...
    def createInstance(self, iface: object = None) -> Any:
        """A new object; ``NS_NOINTERFACE`` if it does not provide *iface*."""
        obj = self._construct()
        return obj if iface is None else query_interface(obj, iface)

    @overload
    def getService(self) -> Any: ...
    @overload
    def getService(self, iface: InterfaceObject[_I]) -> _I: ...
    @overload
    def getService(self, iface: object) -> Any: ...
    def getService(self, iface: object = None) -> Any:
        """The one shared object of this entry, created on first use."""
        if not self._has_service:
            if self._building == threading.get_ident():
                # The service's constructor asked for itself: that would deadlock, or recurse.
                raise XPCOMError(Cr.NS_ERROR_FAILURE, f"{self.name} asked for its own service while built")
            with self._service_lock:
                if not self._has_service:
                    self._building = threading.get_ident()
                    try:
                        self._service = self._construct()
                    finally:
                        self._building = None
                    self._has_service = True
        return self._service if iface is None else query_interface(self._service, iface)

    @overload
    def queryInstance(self, iface: InterfaceObject[_I]) -> _I | None: ...
    @overload
    def queryInstance(self, iface: InterfaceObject[_I], default: _D) -> _I | _D: ...
    @overload
    def queryInstance(self, iface: object = None, default: object = None) -> Any: ...
    def queryInstance(self, iface: object = None, default: object = None) -> Any:
        """Like :meth:`createInstance`, but *default* instead of ``NS_NOINTERFACE``."""
        obj = self._construct()
        return obj if iface is None or _provides(obj, iface) else default

    @overload
    def queryService(self, iface: InterfaceObject[_I]) -> _I | None: ...
    @overload
    def queryService(self, iface: InterfaceObject[_I], default: _D) -> _I | _D: ...
    @overload
    def queryService(self, iface: object = None, default: object = None) -> Any: ...
    def queryService(self, iface: object = None, default: object = None) -> Any:
        """Like :meth:`getService`, but *default* instead of ``NS_NOINTERFACE``."""
        obj = self.getService()
        return obj if iface is None or _provides(obj, iface) else default

    def __repr__(self) -> str:
        return f"<ClassEntry {self.name} {{{self.classID}}} {list(self.contractIDs)}>"


@dataclass(eq=False)
class _Layer:
    entry: ClassEntry
    tier: int


@dataclass(eq=False)
class Registration:
    """Handle for one registration; ``undo()`` (or leaving a ``with`` block) removes it."""

    registry: Registry
    entry: ClassEntry
    layers: list[tuple[str, _Layer]] = field(default_factory=list)
    undone: bool = False

    def undo(self) -> None:
        """Remove this registration, revealing whatever it covered.  Idempotent."""
        self.registry._remove(self)

    def __enter__(self) -> ClassEntry:
        return self.entry

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.undo()


class Registry(Mapping[str, ClassEntry]):
    """Contract ID -> :class:`ClassEntry`.  ``Cc`` is the global instance."""

    def __init__(
        self,
        builtin_modules: Iterable[str] = (),
        entry_point_group: str | None = None,
        contract_hints: Mapping[str, str] | None = None,
    ) -> None:
        self._builtin_modules = tuple(builtin_modules)
        self._group = entry_point_group
        # contract ID -> module expected to provide it, to explain a failed lookup.
        self._hints: dict[str, str] = dict(contract_hints or {})
        self._lock = threading.RLock()
        self._layers: dict[str, list[_Layer]] = {}
        self._by_cid: dict[uuid.UUID, list[ClassEntry]] = {}
        self._load_lock = threading.RLock()
        self._loaded = False
        self._loading = False
        self._failures: dict[str, BaseException] = {}
        self._registrations: list[Registration] = []

    def __repr__(self) -> str:
        state = "loaded" if self._loaded else "not loaded yet"
        return f"<Registry: {len(self._layers)} contract IDs, {state}>"

    # -- lazy discovery ---------------------------------------------------------------------

    def _ensure_loaded(self) -> None:
        if self._loaded:
            return
        with self._load_lock:
            # A module imported during the load may look something up: it sees what is there.
            if self._loaded or self._loading:
                return
            self._loading = True
            try:
                for name in self._builtin_modules:
                    self._import(name, partial(importlib.import_module, name))
                for ep in self._entry_points():
                    self._import(ep.value.split(":")[0].strip(), ep.load)
            finally:
                self._loading = False
                self._loaded = True

    def _entry_points(self) -> list[Any]:
        if not self._group:
            return []
        try:
            return entry_points(self._group)
        except Exception as e:
            # Broken metadata somewhere on sys.path must not take the built-ins down with it.
            self._failures[f"entry points {self._group!r}"] = e
            log.warning("cannot read the %s entry points: %r", self._group, e, exc_info=e)
            return []

    def _import(self, module: str, load: Callable[[], object]) -> None:
        made: list[Registration] = []
        outer = getattr(_target, "loading", None)
        # Declarations of classes defined in *module* itself land in this registry and are
        # recorded for roll-back; modules it imports on the way register as they always do.
        _target.loading = (self, module, made)
        try:
            load()
        except Exception as e:
            # Roll back what the module registered before it failed: no half-registered entries.
            for reg in reversed(made):
                reg.undo()
                for contract in reg.entry.contractIDs:
                    self._hints.setdefault(contract, module)
            self._failures[module] = e
            log.warning("component module %s failed to import: %r", module, e, exc_info=e)
        finally:
            _target.loading = outer

    def load_failures(self) -> dict[str, BaseException]:
        """Module name -> the exception its import raised, for modules that failed to load."""
        self._ensure_loaded()
        return dict(self._failures)

    # -- registration -----------------------------------------------------------------------

    def register(
        self,
        factory: Callable[[], object],
        contractID: str | None = None,
        *,
        contractIDs: Iterable[str] | str = (),
        classID: uuid.UUID | str | None = None,
        provides: Iterable[Any] = (),
    ) -> Registration:
        """Register *factory* (a class or zero-argument callable) at run time.

        It overrides whatever is registered for those contract IDs, declared or not,
        until the returned handle's ``undo()``.
        """
        contracts = ((contractID,) if contractID is not None else ()) + _check_contracts(contractIDs)
        if not contracts:
            raise XPCOMError(Cr.NS_ERROR_INVALID_ARG, "register() needs at least one contract ID")
        cid = _as_uuid(classID) if classID is not None else getattr(factory, "classID", None) or uuid.uuid4()
        return self._add(factory, _as_uuid(cid), contracts, tuple(provides), _OVERRIDE)

    def register_instance(
        self, instance: object, contractID: str | None = None, *, contractIDs: Iterable[str] | str = ()
    ) -> Registration:
        """Register an existing object as the service (and instance) for the contract IDs."""
        provided = tuple(providedBy(instance).flattened())
        return self.register(
            lambda: instance,
            contractID,
            contractIDs=contractIDs,
            classID=getattr(instance, "classID", None),
            provides=provided,
        )

    def _declare(self, cls: type, classID: uuid.UUID, contractIDs: tuple[str, ...],
                 factory: Callable[[], object] | None) -> Registration:
        provides = tuple(implementedBy(cls).flattened()) if factory is not None else ()
        return self._add(factory or cls, classID, contractIDs, provides, _DECLARED, name=cls.__qualname__)

    def _add(self, factory: Callable[[], object], classID: uuid.UUID, contracts: Iterable[str],
             provides: tuple[Any, ...], tier: int, name: str = "") -> Registration:
        contracts = _check_contracts(contracts)
        if not callable(factory):
            raise XPCOMError(Cr.NS_ERROR_INVALID_ARG, f"not a class or factory: {factory!r}")
        entry = ClassEntry(factory, classID, contracts, provides, name)
        reg = Registration(self, entry)
        with self._lock:
            for contract in contracts:
                stack = self._layers.setdefault(contract, [])
                layer = _Layer(entry, tier)
                # Same tier: the newer one wins (XPCOM re-registration); overrides stay on top.
                pos = len(stack)
                while pos and stack[pos - 1].tier > tier:
                    pos -= 1
                stack.insert(pos, layer)
                reg.layers.append((contract, layer))
            self._by_cid.setdefault(classID, []).append(entry)
            self._registrations.append(reg)
        return reg

    def _remove(self, reg: Registration) -> None:
        with self._lock:
            if reg.undone:
                return
            reg.undone = True
            if reg in self._registrations:
                self._registrations.remove(reg)
            for contract, layer in reg.layers:
                stack = self._layers.get(contract, [])
                if layer in stack:
                    stack.remove(layer)
                if not stack:
                    self._layers.pop(contract, None)
            entries = self._by_cid.get(reg.entry.classID, [])
            if reg.entry in entries:
                entries.remove(reg.entry)
            if not entries:
                self._by_cid.pop(reg.entry.classID, None)

    def unregister(self, classID: uuid.UUID | str) -> int:
        """Remove every registration made with *classID* (``unregisterFactory``); how many there were."""
        cid = _as_uuid(classID)
        with self._lock:
            doomed = [r for r in self._registrations if r.entry.classID == cid]
        for reg in doomed:
            reg.undo()
        return len(doomed)

    # -- lookup -----------------------------------------------------------------------------

    def _current(self, contractID: str) -> ClassEntry | None:
        with self._lock:
            stack = self._layers.get(contractID)
            return stack[-1].entry if stack else None

    def __getitem__(self, contractID: str) -> ClassEntry:
        self._ensure_loaded()
        entry = self._current(contractID)
        if entry is not None:
            return entry
        module = self._hints.get(contractID)
        failure = self._failures.get(module) if module else None
        if failure is not None:
            raise ComponentNotRegisteredError(
                contractID, f"no component for {contractID!r}: module {module} failed to import: {failure!r}"
            ) from failure
        raise ComponentNotRegisteredError(contractID)

    def get(self, contractID: str, default: Any = None) -> Any:
        """The entry for *contractID*, or *default* when nothing is registered for it."""
        self._ensure_loaded()
        entry = self._current(contractID)
        return default if entry is None else entry

    queryEntry = get

    def __contains__(self, contractID: object) -> bool:
        self._ensure_loaded()
        return isinstance(contractID, str) and self._current(contractID) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.contractIDs())

    def __len__(self) -> int:
        return len(self.contractIDs())

    def contractIDs(self) -> list[str]:
        """Every registered contract ID, sorted."""
        self._ensure_loaded()
        with self._lock:
            return sorted(self._layers)

    def entries(self) -> list[ClassEntry]:
        """The entries currently answering some contract ID, each once."""
        self._ensure_loaded()
        with self._lock:
            seen: dict[int, ClassEntry] = {}
            for contract in sorted(self._layers):
                entry = self._layers[contract][-1].entry
                seen.setdefault(id(entry), entry)
            return list(seen.values())

    def entryForClassID(self, classID: uuid.UUID | str) -> ClassEntry:
        """The most recently registered entry with *classID* (``Components.classesByID``)."""
        self._ensure_loaded()
        with self._lock:
            entries = self._by_cid.get(_as_uuid(classID))
            if entries:
                return entries[-1]
        raise XPCOMError(Cr.NS_ERROR_FACTORY_NOT_REGISTERED, f"no component with class ID {classID}")

    def getService(self, contractID: str, iface: Any = None) -> Any:
        return self[contractID].getService(iface)

    def queryService(self, contractID: str, iface: Any = None, default: Any = None) -> Any:
        """The service, or *default* when the contract is unknown or lacks *iface*."""
        entry = self.get(contractID)
        return default if entry is None else entry.queryService(iface, default)

    def createInstance(self, contractID: str, iface: Any = None) -> Any:
        return self[contractID].createInstance(iface)

    def providing(self, iface: Any) -> list[ClassEntry]:
        """Entries whose objects provide *iface* (the conformance tests iterate over these)."""
        return [e for e in self.entries() if e.provides(iface)]


#: The global registry.  ``Cc`` is the same object, read as a mapping.
registry = Registry(BUILTIN_MODULES, ENTRY_POINT_GROUP, _BUILTIN_CONTRACTS)
Cc = registry

_C = TypeVar("_C", bound=type)


def component(
    *,
    classID: uuid.UUID | str,
    contractIDs: Iterable[str] | str,
    factory: Callable[[], object] | None = None,
) -> Callable[[_C], _C]:
    """Class decorator: declare a component next to its code.

    Records ``classID`` (as ``uuid.UUID``) and ``contractIDs`` on the class, gives it
    ``QueryInterface`` when it has none, and registers it.  ``createInstance`` calls
    the class with no arguments, or *factory* when given (for classes whose
    constructor needs arguments; it is called lazily, so it may name the class).
    """
    cid = _as_uuid(classID)
    contracts = _check_contracts(contractIDs)
    if not contracts:
        raise XPCOMError(Cr.NS_ERROR_INVALID_ARG, "a component needs at least one contract ID")

    def decorate(cls: _C) -> _C:
        if factory is not None and not callable(factory):
            raise XPCOMError(Cr.NS_ERROR_INVALID_ARG, f"not a factory: {factory!r}")
        cls.classID = cid  # type: ignore[attr-defined]
        cls.contractIDs = contracts  # type: ignore[attr-defined]
        if not hasattr(cls, "QueryInterface"):
            cls.QueryInterface = _QueryInterface  # type: ignore[attr-defined]
        # Registration comes last: no other thread can see a half-made class.
        loading = getattr(_target, "loading", None)
        if loading is not None and (cls.__module__ + ".").startswith(loading[1] + "."):
            target, _, made = loading
            made.append(target._declare(cls, cid, contracts, factory))
        else:
            registry._declare(cls, cid, contracts, factory)
        return cls

    return decorate


def components_providing(iface: Any) -> list[ClassEntry]:
    """Registered class entries whose objects provide *iface*."""
    return registry.providing(iface)
