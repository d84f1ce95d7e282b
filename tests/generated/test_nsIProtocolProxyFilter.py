# Generated from idl/netwerk/base/nsIProtocolProxyFilter.idl by codegen; do not edit.
"""Conformance of nsIProtocolProxyFilter: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIProtocolProxyFilter",
    uuid="a55558eb-1180-4370-91ca-d5cce7e878a2",
    base="nsISupports",
    flags=("scriptable",),
    methods=(IDLMethod("applyFilter", ("aProxyService", "aURI", "aProxy")),),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/base/nsIProtocolProxyFilter.idl",
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
