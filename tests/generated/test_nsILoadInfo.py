# Generated from idl/netwerk/base/nsILoadInfo.idl by codegen; do not edit.
"""Conformance of nsILoadInfo: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsILoadInfo",
    uuid="3b854ccf-1737-4523-a04b-007419683b3d",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(
        IDLAttribute("loadingOrigin", "AUTF8String", readonly=True),
        IDLAttribute("contentPolicyType", "unsigned long", readonly=True),
        IDLAttribute("innerWindowID", "unsigned long long", readonly=True),
    ),
    constants=(("TYPE_OTHER", 1), ("TYPE_WEBSOCKET", 16)),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/base/nsILoadInfo.idl",
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
