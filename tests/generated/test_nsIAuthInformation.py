# Generated from idl/netwerk/base/nsIAuthInformation.idl by codegen; do not edit.
"""Conformance of nsIAuthInformation: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIAuthInformation",
    uuid="b9166eab-7fa0-4871-90f1-267687dcdf05",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(
        IDLAttribute("flags", "unsigned long", readonly=True),
        IDLAttribute("authenticationScheme", "AUTF8String", readonly=True),
        IDLAttribute("realm", "AUTF8String", readonly=True),
        IDLAttribute("username", "AUTF8String"),
        IDLAttribute("password", "AUTF8String"),
        IDLAttribute("domain", "AUTF8String"),
    ),
    constants=(
        ("AUTH_HOST", 1),
        ("AUTH_PROXY", 2),
        ("NEED_DOMAIN", 4),
        ("ONLY_PASSWORD", 8),
        ("PREVIOUS_FAILED", 16),
        ("CROSS_ORIGIN_SUB_RESOURCE", 32),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/base/nsIAuthInformation.idl",
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
