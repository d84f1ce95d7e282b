# Generated from idl/netwerk/protocol/http/nsIHttpHeaderVisitor.idl by codegen; do not edit.
"""Conformance of nsIHttpHeaderVisitor: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIHttpHeaderVisitor",
    uuid="189d0a85-199b-4080-859c-b92ec4c36e7e",
    base="nsISupports",
    flags=("scriptable", "function"),
    methods=(IDLMethod("visitHeader", ("aHeader", "aValue")),),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/protocol/http/nsIHttpHeaderVisitor.idl",
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
