# Generated from idl/netwerk/base/nsIProxyInfo.idl by codegen; do not edit.
"""Conformance of nsIProxyInfo: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIProxyInfo",
    uuid="934edced-c218-42af-9393-98d41ff24ea7",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(
        IDLAttribute("host", "AUTF8String", readonly=True),
        IDLAttribute("port", "long", readonly=True),
        IDLAttribute("type", "ACString", readonly=True),
        IDLAttribute("flags", "unsigned long", readonly=True),
        IDLAttribute("username", "AUTF8String", readonly=True),
        IDLAttribute("password", "AUTF8String", readonly=True),
        IDLAttribute("failoverTimeout", "unsigned long", readonly=True),
        IDLAttribute("failoverProxy", "nsIProxyInfo", readonly=True),
    ),
    constants=(("TRANSPARENT_PROXY_RESOLVES_HOST", 1),),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/base/nsIProxyInfo.idl",
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
