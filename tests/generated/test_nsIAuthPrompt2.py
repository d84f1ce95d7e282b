# Generated from idl/netwerk/base/nsIAuthPrompt2.idl by codegen; do not edit.
"""Conformance of nsIAuthPrompt2: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIAuthPrompt2",
    uuid="354d8dd2-4d8f-4e07-a402-0cfad33a7fd6",
    base="nsISupports",
    flags=("scriptable",),
    methods=(IDLMethod("promptAuth", ("aChannel", "level", "authInfo")),),
    constants=(("LEVEL_NONE", 0), ("LEVEL_PW_ENCRYPTED", 1), ("LEVEL_SECURE", 2)),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/base/nsIAuthPrompt2.idl",
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
