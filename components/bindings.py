"""Run-time helpers that the generated bindings in components/interfaces/ call, and the type
their typing stubs (``.pyi``) give interface objects.

Kept here, written by hand, so that each generated module carries only what its
IDL file says and not a private copy of the same helper.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeGuard, TypeVar

from zope.interface.interface import InterfaceClass


def tag_members(iface: InterfaceClass, facts: dict[str, dict[str, object]]) -> None:
    """Record each member's XPIDL facts (type, readonly, parameters, flags) as zope tagged values."""
    for name, tags in facts.items():
        for key, value in tags.items():
            iface[name].setTaggedValue(key, value)


_T_co = TypeVar("_T_co", covariant=True)


class InterfaceObject(Protocol[_T_co]):
    """What a type checker knows of an interface object such as ``Ci.nsIFoo``.

    At run time an interface object is a zope.interface ``InterfaceClass``; this protocol names
    the part of its API the project uses, typed, and carries the protocol of the objects that
    provide the interface (``_T_co``), so that ``Cc[...].createInstance(Ci.nsIFoo)`` is an
    ``nsIFoo`` to the type checker and ``Ci.nsIFoo.providedBy(obj)`` narrows ``obj`` to it.
    The generated stubs (``codegen.emit_stubs``) give each interface object its own subclass
    with the interface's constants.
    """

    __name__: str
    __module__: str

    def providedBy(self, ob: object) -> TypeGuard[_T_co]: ...
    def implementedBy(self, cls: type) -> bool: ...
    def isOrExtends(self, other: object) -> bool: ...
    def extends(self, other: object, strict: bool = True) -> bool: ...
    def names(self, all: bool = False) -> Iterable[str]: ...
    def namesAndDescriptions(self, all: bool = False) -> Iterable[tuple[str, Any]]: ...
    def __getitem__(self, name: str) -> Any: ...
    def __contains__(self, name: str) -> bool: ...
    def get(self, name: str, default: Any = None) -> Any: ...
    def queryTaggedValue(self, tag: str, default: Any = None) -> Any: ...
    def getTaggedValue(self, tag: str) -> Any: ...
    def __call__(self, obj: object, alternate: Any = ...) -> _T_co:
        """Adapt ``obj`` to the interface (zope's adaptation; ``obj`` itself when it provides it)."""
        ...
