# Generated from idl/netwerk/base/nsILoadGroup.idl by codegen; do not edit.
"""Conformance of nsILoadGroup: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsILoadGroup",
    uuid="e23d6712-22f1-4b97-b8d3-bf445335d9b3",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(
        IDLAttribute("activeCount", "unsigned long", readonly=True),
        IDLAttribute("notificationCallbacks", "nsIInterfaceRequestor"),
    ),
    methods=(
        IDLMethod("addRequest", ("aRequest", "aContext")),
        IDLMethod("removeRequest", ("aRequest", "aContext", "aStatus")),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/base/nsILoadGroup.idl",
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
