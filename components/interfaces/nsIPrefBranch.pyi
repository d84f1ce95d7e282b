# Generated from idl/modules/libpref/nsIPrefBranch.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIPrefBranch.py, from idl/modules/libpref/nsIPrefBranch.idl: see codegen.emit_stubs."""

import enum as _enum
from typing import ClassVar, Protocol

from components.bindings import InterfaceObject

from .nsISupports import nsISupports

__all__ = ["nsIPrefBranchConstants", "nsIPrefBranch", "nsIPrefBranchInterface"]


class nsIPrefBranchConstants(_enum.IntEnum):
    """The constants of nsIPrefBranch."""

    PREF_INVALID = 0
    PREF_STRING = 32
    PREF_INT = 64
    PREF_BOOL = 128


class nsIPrefBranch(nsISupports, Protocol):
    """Named, typed settings. Each preference is a boolean, an integer (32-bit)
    or a string, and may have a default value and a user value; reads see the
    user value when there is one. The type is fixed by the first value a name
    gets. Names are dotted paths ("network.websocket.timeout.open").

    Reading a preference with the getter of another type, or one that does
    not exist when no fallback is passed, fails with NS_ERROR_UNEXPECTED;
    so does setting a value of another type than the preference has.
    """

    @property
    def root(self) -> str:
        """The prefix of every name on this branch; empty for the root."""
        ...

    def getPrefType(self, aPrefName: str) -> int:
        """The type of a preference, or PREF_INVALID if it does not exist."""
        ...

    def getBoolPref(self, aPrefName: str, aDefaultValue: bool = ...) -> bool:
        """A boolean preference.

        @param aDefaultValue  returned when the preference does not exist.
        @throws NS_ERROR_UNEXPECTED on a missing preference (without fallback)
                or one of another type.
        """
        ...

    def setBoolPref(self, aPrefName: str, aValue: bool) -> None:
        """Set a boolean preference's user value."""
        ...

    def getIntPref(self, aPrefName: str, aDefaultValue: int = ...) -> int:
        """An integer preference; as getBoolPref otherwise."""
        ...

    def setIntPref(self, aPrefName: str, aValue: int) -> None:
        """Set an integer preference's user value.

        @throws NS_ERROR_ILLEGAL_VALUE when the value does not fit 32 bits.
        """
        ...

    def getCharPref(self, aPrefName: str, aDefaultValue: str = ...) -> str:
        """A string preference; as getBoolPref otherwise."""
        ...

    def setCharPref(self, aPrefName: str, aValue: str) -> None:
        """Set a string preference's user value."""
        ...

    def getStringPref(self, aPrefName: str, aDefaultValue: str = ...) -> str:
        """A string preference read as Unicode text."""
        ...

    def setStringPref(self, aPrefName: str, aValue: str) -> None:
        """Set a string preference's user value from Unicode text."""
        ...

    def prefHasUserValue(self, aPrefName: str) -> bool:
        """Whether the preference has a user value (which hides its default)."""
        ...

    def prefHasDefaultValue(self, aPrefName: str) -> bool:
        """Whether the preference has a default value."""
        ...

    def clearUserPref(self, aPrefName: str) -> None:
        """Drop the user value, so the default shows again; a preference without
        a default disappears. Nothing happens when there is no user value.
        """
        ...

    def getChildList(self, aStartingAt: str) -> list[str]:
        """The names of every preference starting with aStartingAt, sorted."""
        ...

    def addObserver(self, aDomain: str, aObserver: object, aHoldWeak: bool = ...) -> None:
        """Watch the preferences whose names start with aDomain. After each change
        of value the observer's observe(branch, "nsPref:changed", name) is
        called (a plain callable is called with the same arguments).

        @param aHoldWeak  kept for compatibility; the observer is held strongly.
        """
        ...

    def removeObserver(self, aDomain: str, aObserver: object) -> None:
        """Stop an observer added for aDomain."""
        ...


class nsIPrefBranchInterface(InterfaceObject[nsIPrefBranch], Protocol):
    """The interface object ``Ci.nsIPrefBranch`` (a zope.interface InterfaceClass)."""

    PREF_INVALID: ClassVar[int]
    PREF_STRING: ClassVar[int]
    PREF_INT: ClassVar[int]
    PREF_BOOL: ClassVar[int]
