"""The checks behind the generated conformance tests (``tests/generated/test_<iface>.py``).

Theory of operation
-------------------
A generated test module holds the facts of one IDL interface as plain data (an
:class:`IDLInterface`: attribute names and readonly-ness, method argument names, constant values,
the uuid) and calls the checks here.  The facts come from the IDL, not from the binding, so the
tests catch both kinds of drift:

* the binding no longer matches the IDL (a stale ``components/interfaces`` module):
  :func:`check_binding_shape`, :func:`check_binding_constants`;
* a registered component no longer matches the IDL: the ``check_component_*`` functions, run
  once per entry of ``components.manager.components_providing(binding)``.

Every check collects *all* the problems it finds and fails once, listing them, so one run shows
the whole extent of a drift.  Attributes are looked up without calling getters where possible
(``inspect.getattr_static``): a getter may legitimately raise before the object is set up (say,
``URI`` before ``asyncOpen``), and presence is what is being checked.

:func:`registered_components` is the one seam to the component manager; tests of this module
replace it to feed deliberately drifting fakes through a generated test.

Nothing here imports pytest: this module ships inside the compiler package and is usable from
any test runner.  Turning the registered components into pytest parameters (with a skip when
there are none) is the test side's job, in ``tests/support/conformance.py``.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_SENTINEL = object()


@dataclass(frozen=True)
class IDLAttribute:
    name: str
    type: str
    readonly: bool = False


@dataclass(frozen=True)
class IDLMethod:
    name: str
    arguments: tuple[str, ...] = ()  # what a Python caller passes: in/inout params, in order
    optional: int = 0  # how many trailing arguments are [optional]

    @property
    def required(self) -> int:
        return len(self.arguments) - self.optional


@dataclass(frozen=True)
class IDLInterface:
    """What the IDL says about one interface (members of its bases in ``inherited_*``)."""

    name: str
    uuid: str
    base: str | None = None
    flags: tuple[str, ...] = ()
    attributes: tuple[IDLAttribute, ...] = ()
    methods: tuple[IDLMethod, ...] = ()
    constants: tuple[tuple[str, int], ...] = ()
    inherited_attributes: tuple[IDLAttribute, ...] = ()
    inherited_methods: tuple[IDLMethod, ...] = ()
    inherited_constants: tuple[tuple[str, int], ...] = ()
    source: str = field(default="", compare=False)

    @property
    def all_attributes(self) -> tuple[IDLAttribute, ...]:
        return self.inherited_attributes + self.attributes

    @property
    def all_methods(self) -> tuple[IDLMethod, ...]:
        return self.inherited_methods + self.methods


class ConformanceError(AssertionError):
    """An implementation or binding does not match the IDL; the message lists every mismatch."""


def _fail_if(problems: list[str], what: str) -> None:
    if problems:
        raise ConformanceError(f"{what}:\n  " + "\n  ".join(problems))


# ---------------------------------------------------------------- the binding


def binding(spec: IDLInterface) -> Any:
    """The generated binding ``Ci.<name>``; fails (not errors) when it is missing."""
    from components.interfaces import Ci

    if spec.name not in Ci:
        raise ConformanceError(f"Ci has no {spec.name}: run `python -m codegen regen`")
    return Ci[spec.name]


def check_binding_shape(spec: IDLInterface) -> None:
    """The binding declares what the IDL declares, with the same facts."""
    iface = binding(spec)
    problems: list[str] = []
    if iface.queryTaggedValue("uuid") != uuid.UUID(spec.uuid):
        problems.append(f"uuid tag is {iface.queryTaggedValue('uuid')}, IDL says {spec.uuid}")
    if tuple(iface.queryTaggedValue("flags") or ()) != spec.flags:
        problems.append(f"flags tag is {iface.queryTaggedValue('flags')!r}, IDL says {spec.flags!r}")
    bases = [b.__name__ for b in iface.__bases__]
    expected_bases = [spec.base] if spec.base else ["Interface"]
    if bases != expected_bases:
        problems.append(f"extends {bases}, IDL says {expected_bases}")
    own = set(iface.names(all=False))
    expected = {a.name for a in spec.attributes} | {m.name for m in spec.methods}
    for name in sorted(expected - own):
        problems.append(f"{name} is missing from the binding")
    for name in sorted(own - expected):
        problems.append(f"{name} is in the binding but not in the IDL")
    for attr in spec.attributes:
        if attr.name not in own:
            continue
        member = iface[attr.name]
        if member.queryTaggedValue("readonly") is not attr.readonly:
            problems.append(f"{attr.name}: readonly tag is {member.queryTaggedValue('readonly')!r}")
        if member.queryTaggedValue("type") != attr.type:
            got = member.queryTaggedValue("type")
            problems.append(f"{attr.name}: type tag is {got!r}, IDL says {attr.type!r}")
    for method in spec.methods:
        if method.name not in own:
            continue
        member = iface[method.name]
        if not hasattr(member, "positional"):
            problems.append(f"{method.name} is an attribute in the binding, a method in the IDL")
            continue
        positional = tuple(member.positional)
        if len(positional) != len(method.arguments):
            problems.append(f"{method.name}: binding takes {positional}, IDL passes {method.arguments}")
        n_required = len(member.required)
        if n_required != method.required:
            problems.append(f"{method.name}: binding requires {n_required} arguments, IDL {method.required}")
    _fail_if(problems, f"the {spec.name} binding does not match {spec.source or 'the IDL'}")


def check_binding_constants(spec: IDLInterface) -> None:
    """``Ci.<name>.CONST`` has the IDL value for every constant, inherited ones included."""
    iface = binding(spec)
    problems: list[str] = []
    for name, value in spec.inherited_constants + spec.constants:
        got = getattr(iface, name, _SENTINEL)
        if got is _SENTINEL:
            problems.append(f"{spec.name}.{name} is missing (IDL value {value})")
        elif not isinstance(got, int):
            problems.append(f"{spec.name}.{name} is {got!r}, not an int (IDL value {value})")
        elif got != value:
            problems.append(f"{spec.name}.{name} is {int(got)}, IDL value {value}")
    _fail_if(problems, f"constants of {spec.name}")


# ---------------------------------------------------------------- registered components


def registered_components(iface: Any) -> list[Any]:
    """Entries registered as providing ``iface`` (the seam tests replace)."""
    from components.manager import components_providing

    return list(components_providing(iface))


def entry_id(entry: Any) -> str:
    """How a registry entry is named in test ids and messages: its first contract ID."""
    contracts = getattr(entry, "contractIDs", ())
    return str(contracts[0]) if contracts else str(getattr(entry, "name", entry))


def instance(entry: Any) -> Any:
    return entry.createInstance()


def check_component_verifies(spec: IDLInterface, entry: Any) -> None:
    """zope's ``verifyObject`` accepts a fresh instance against the binding."""
    from zope.interface.exceptions import Invalid
    from zope.interface.verify import verifyObject

    iface = binding(spec)
    obj = instance(entry)
    try:
        verifyObject(iface, obj)
    except Invalid as e:
        raise ConformanceError(f"{entry_id(entry)} does not verify as {spec.name}: {e}") from e


def _lookup_static(obj: object, name: str) -> object:
    try:
        return inspect.getattr_static(obj, name)
    except AttributeError:
        pass
    # Dynamic attributes (__getattr__): ask the object itself.  Only AttributeError means
    # "absent"; a getter refusing to answer yet still proves the attribute exists.
    try:
        return getattr(obj, name)
    except AttributeError:
        return _SENTINEL
    except Exception:  # noqa: BLE001 - see above
        return None


def check_component_attributes(spec: IDLInterface, entry: Any) -> None:
    """Every IDL attribute exists; readonly ones refuse assignment, the others allow it."""
    obj = instance(entry)
    problems: list[str] = []
    for attr in spec.all_attributes:
        found = _lookup_static(obj, attr.name)
        if found is _SENTINEL:
            problems.append(f"attribute {attr.name} is missing")
            continue
        if inspect.isroutine(found):
            problems.append(f"attribute {attr.name} is a method")
            continue
        if attr.readonly:
            try:
                setattr(obj, attr.name, _SENTINEL)
            except AttributeError:
                pass
            except Exception as e:  # noqa: BLE001 - a setter exists: that is the drift
                problems.append(f"readonly {attr.name} has a setter (it raised {e!r}, not AttributeError)")
            else:
                problems.append(f"readonly {attr.name} accepted an assignment")
        elif isinstance(found, property) and found.fset is None:
            problems.append(f"attribute {attr.name} is writable in the IDL but a read-only property")
    _fail_if(problems, f"{entry_id(entry)} does not match {spec.name}'s attributes")


def _binds(func: Callable[..., Any], count: int) -> str | None:
    try:
        inspect.signature(func).bind(*(_SENTINEL,) * count)
    except TypeError as e:
        return str(e)
    return None


def check_component_methods(spec: IDLInterface, entry: Any) -> None:
    """Every IDL method exists and accepts the IDL arguments (all, and only the required ones)."""
    obj = instance(entry)
    problems: list[str] = []
    for method in spec.all_methods:
        func = getattr(obj, method.name, None)
        if func is None or not callable(func):
            problems.append(f"method {method.name} is missing")
            continue
        try:
            inspect.signature(func)
        except (TypeError, ValueError):
            continue  # a builtin without a signature: nothing to compare
        shown = ", ".join(method.arguments)
        for count in sorted({len(method.arguments), method.required}):
            error = _binds(func, count)
            if error is not None:
                problems.append(f"{method.name}({shown}) cannot be called with {count} arguments: {error}")
    _fail_if(problems, f"{entry_id(entry)} does not match {spec.name}'s methods")
