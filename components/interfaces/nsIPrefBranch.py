# Generated from idl/modules/libpref/nsIPrefBranch.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIPrefBranch.idl: nsIPrefBranch."""

from __future__ import annotations

import enum as _enum
import uuid as _uuid
from typing import ClassVar as _ClassVar

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIPrefBranchConstants", "nsIPrefBranch"]


class nsIPrefBranchConstants(_enum.IntEnum):
    """The constants of nsIPrefBranch."""

    PREF_INVALID = 0
    PREF_STRING = 32
    PREF_INT = 64
    PREF_BOOL = 128


class nsIPrefBranch(nsISupports):
    """Named, typed settings. Each preference is a boolean, an integer (32-bit)
    or a string, and may have a default value and a user value; reads see the
    user value when there is one. The type is fixed by the first value a name
    gets. Names are dotted paths ("network.websocket.timeout.open").

    Reading a preference with the getter of another type, or one that does
    not exist when no fallback is passed, fails with NS_ERROR_UNEXPECTED;
    so does setting a value of another type than the preference has.
    """

    _taggedValue("uuid", _uuid.UUID("1ef65e1c-b301-4046-838c-87add137a08d"))
    _taggedValue("flags", ("scriptable",))

    PREF_INVALID: _ClassVar[int]
    PREF_STRING: _ClassVar[int]
    PREF_INT: _ClassVar[int]
    PREF_BOOL: _ClassVar[int]

    root = _Attribute(
        "root",
        "The prefix of every name on this branch; empty for the root.",
    )

    def getPrefType(aPrefName):
        """The type of a preference, or PREF_INVALID if it does not exist.

        XPIDL: long getPrefType(in string aPrefName)
        """

    def getBoolPref(aPrefName, aDefaultValue=None):
        """A boolean preference.

        @param aDefaultValue  returned when the preference does not exist.
        @throws NS_ERROR_UNEXPECTED on a missing preference (without fallback)
                or one of another type.

        XPIDL: boolean getBoolPref(in string aPrefName, [optional] in boolean aDefaultValue)
        """

    def setBoolPref(aPrefName, aValue):
        """Set a boolean preference's user value.

        XPIDL: void setBoolPref(in string aPrefName, in boolean aValue)
        """

    def getIntPref(aPrefName, aDefaultValue=None):
        """An integer preference; as getBoolPref otherwise.

        XPIDL: long getIntPref(in string aPrefName, [optional] in long aDefaultValue)
        """

    def setIntPref(aPrefName, aValue):
        """Set an integer preference's user value.

        @throws NS_ERROR_ILLEGAL_VALUE when the value does not fit 32 bits.

        XPIDL: void setIntPref(in string aPrefName, in long aValue)
        """

    def getCharPref(aPrefName, aDefaultValue=None):
        """A string preference; as getBoolPref otherwise.

        XPIDL: ACString getCharPref(in string aPrefName, [optional] in ACString aDefaultValue)
        """

    def setCharPref(aPrefName, aValue):
        """Set a string preference's user value.

        XPIDL: void setCharPref(in string aPrefName, in ACString aValue)
        """

    def getStringPref(aPrefName, aDefaultValue=None):
        """A string preference read as Unicode text.

        XPIDL: AUTF8String getStringPref(in string aPrefName, [optional] in AUTF8String aDefaultValue)
        """

    def setStringPref(aPrefName, aValue):
        """Set a string preference's user value from Unicode text.

        XPIDL: void setStringPref(in string aPrefName, in AUTF8String aValue)
        """

    def prefHasUserValue(aPrefName):
        """Whether the preference has a user value (which hides its default).

        XPIDL: boolean prefHasUserValue(in string aPrefName)
        """

    def prefHasDefaultValue(aPrefName):
        """Whether the preference has a default value.

        XPIDL: boolean prefHasDefaultValue(in string aPrefName)
        """

    def clearUserPref(aPrefName):
        """Drop the user value, so the default shows again; a preference without
        a default disappears. Nothing happens when there is no user value.

        XPIDL: void clearUserPref(in string aPrefName)
        """

    def getChildList(aStartingAt):
        """The names of every preference starting with aStartingAt, sorted.

        XPIDL: Array<ACString> getChildList(in string aStartingAt)
        """

    def addObserver(aDomain, aObserver, aHoldWeak=None):
        """Watch the preferences whose names start with aDomain. After each change
        of value the observer's observe(branch, "nsPref:changed", name) is
        called (a plain callable is called with the same arguments).

        @param aHoldWeak  kept for compatibility; the observer is held strongly.

        XPIDL: void addObserver(in ACString aDomain,
                                in nsISupports aObserver,
                                [optional] in boolean aHoldWeak)
        """

    def removeObserver(aDomain, aObserver):
        """Stop an observer added for aDomain.

        XPIDL: void removeObserver(in ACString aDomain, in nsISupports aObserver)
        """


_tag_members(nsIPrefBranch, {
    "root": {
        "type": "ACString",
        "readonly": True,
        "flags": (),
    },
    "getPrefType": {
        "returns": "long",
        "params": (("aPrefName", "in", "string"),),
        "results": (),
        "flags": (),
    },
    "getBoolPref": {
        "returns": "boolean",
        "params": (("aPrefName", "in", "string"), ("aDefaultValue", "in", "boolean")),
        "results": (),
        "flags": (),
    },
    "setBoolPref": {
        "returns": "void",
        "params": (("aPrefName", "in", "string"), ("aValue", "in", "boolean")),
        "results": (),
        "flags": (),
    },
    "getIntPref": {
        "returns": "long",
        "params": (("aPrefName", "in", "string"), ("aDefaultValue", "in", "long")),
        "results": (),
        "flags": (),
    },
    "setIntPref": {
        "returns": "void",
        "params": (("aPrefName", "in", "string"), ("aValue", "in", "long")),
        "results": (),
        "flags": (),
    },
    "getCharPref": {
        "returns": "ACString",
        "params": (("aPrefName", "in", "string"), ("aDefaultValue", "in", "ACString")),
        "results": (),
        "flags": (),
    },
    "setCharPref": {
        "returns": "void",
        "params": (("aPrefName", "in", "string"), ("aValue", "in", "ACString")),
        "results": (),
        "flags": (),
    },
    "getStringPref": {
        "returns": "AUTF8String",
        "params": (("aPrefName", "in", "string"), ("aDefaultValue", "in", "AUTF8String")),
        "results": (),
        "flags": (),
    },
    "setStringPref": {
        "returns": "void",
        "params": (("aPrefName", "in", "string"), ("aValue", "in", "AUTF8String")),
        "results": (),
        "flags": (),
    },
    "prefHasUserValue": {
        "returns": "boolean",
        "params": (("aPrefName", "in", "string"),),
        "results": (),
        "flags": (),
    },
    "prefHasDefaultValue": {
        "returns": "boolean",
        "params": (("aPrefName", "in", "string"),),
        "results": (),
        "flags": (),
    },
    "clearUserPref": {
        "returns": "void",
        "params": (("aPrefName", "in", "string"),),
        "results": (),
        "flags": (),
    },
    "getChildList": {
        "returns": "Array<ACString>",
        "params": (("aStartingAt", "in", "string"),),
        "results": (),
        "flags": (),
    },
    "addObserver": {
        "returns": "void",
        "params": (
            ("aDomain", "in", "ACString"),
            ("aObserver", "in", "nsISupports"),
            ("aHoldWeak", "in", "boolean"),
        ),
        "results": (),
        "flags": (),
    },
    "removeObserver": {
        "returns": "void",
        "params": (("aDomain", "in", "ACString"), ("aObserver", "in", "nsISupports")),
        "results": (),
        "flags": (),
    },
})
nsIPrefBranch.PREF_INVALID = nsIPrefBranchConstants.PREF_INVALID
nsIPrefBranch.PREF_STRING = nsIPrefBranchConstants.PREF_STRING
nsIPrefBranch.PREF_INT = nsIPrefBranchConstants.PREF_INT
nsIPrefBranch.PREF_BOOL = nsIPrefBranchConstants.PREF_BOOL
