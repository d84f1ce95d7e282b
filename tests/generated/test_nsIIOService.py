# Generated from idl/netwerk/base/nsIIOService.idl by codegen; do not edit.
"""Conformance of nsIIOService: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIIOService",
    uuid="0171fa4e-693d-4b02-92ee-602cc45757c5",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(IDLAttribute("offline", "boolean"),),
    methods=(
        IDLMethod("newURI", ("aSpec", "aOriginCharset", "aBaseURI"), optional=2),
        IDLMethod("extractScheme", ("urlString",)),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/base/nsIIOService.idl",
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
