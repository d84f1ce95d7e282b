# Generated from idl/modules/libpref/nsIPrefBranch.idl by codegen; do not edit.
"""Conformance of nsIPrefBranch: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIPrefBranch",
    uuid="1ef65e1c-b301-4046-838c-87add137a08d",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(IDLAttribute("root", "ACString", readonly=True),),
    methods=(
        IDLMethod("getPrefType", ("aPrefName",)),
        IDLMethod("getBoolPref", ("aPrefName", "aDefaultValue"), optional=1),
        IDLMethod("setBoolPref", ("aPrefName", "aValue")),
        IDLMethod("getIntPref", ("aPrefName", "aDefaultValue"), optional=1),
        IDLMethod("setIntPref", ("aPrefName", "aValue")),
        IDLMethod("getCharPref", ("aPrefName", "aDefaultValue"), optional=1),
        IDLMethod("setCharPref", ("aPrefName", "aValue")),
        IDLMethod("getStringPref", ("aPrefName", "aDefaultValue"), optional=1),
        IDLMethod("setStringPref", ("aPrefName", "aValue")),
        IDLMethod("prefHasUserValue", ("aPrefName",)),
        IDLMethod("prefHasDefaultValue", ("aPrefName",)),
        IDLMethod("clearUserPref", ("aPrefName",)),
        IDLMethod("getChildList", ("aStartingAt",)),
        IDLMethod("addObserver", ("aDomain", "aObserver", "aHoldWeak"), optional=1),
        IDLMethod("removeObserver", ("aDomain", "aObserver")),
    ),
    constants=(("PREF_INVALID", 0), ("PREF_STRING", 32), ("PREF_INT", 64), ("PREF_BOOL", 128)),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/modules/libpref/nsIPrefBranch.idl",
)

COMPONENTS = providers(IDL)


def test_binding_matches_idl() -> None:
    conformance.check_binding_shape(IDL)


def test_constants_have_idl_values() -> None:
    conformance.check_binding_constants(IDL)


@pytest.mark.parametrize("entry", COMPONENTS)
def test_component_verifies(entry: Any) -> None:
    conformance.check_component_verifies(IDL, entry)


@pytest.mark.parametrize("entry", COMPONENTS)
def test_component_attributes(entry: Any) -> None:
    conformance.check_component_attributes(IDL, entry)


@pytest.mark.parametrize("entry", COMPONENTS)
def test_component_methods(entry: Any) -> None:
    conformance.check_component_methods(IDL, entry)
