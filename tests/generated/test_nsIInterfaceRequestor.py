# Generated from idl/xpcom/base/nsIInterfaceRequestor.idl by codegen; do not edit.
"""Conformance of nsIInterfaceRequestor: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIInterfaceRequestor",
    uuid="8af7d9f8-462b-45bc-ba88-65e74aa42780",
    base="nsISupports",
    flags=("scriptable",),
    methods=(IDLMethod("getInterface", ("uuid",)),),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/xpcom/base/nsIInterfaceRequestor.idl",
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
