# Generated from idl/netwerk/base/nsIProtocolProxyService.idl by codegen; do not edit.
# ruff: noqa: E501
"""Conformance of nsIProtocolProxyService: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIProtocolProxyService",
    uuid="76dc255f-2014-4564-b354-21caeb198fd9",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(IDLAttribute("proxyConfigType", "unsigned long", readonly=True),),
    methods=(
        IDLMethod("resolve", ("aURI", "aFlags")),
        IDLMethod("newProxyInfo", ("aType", "aHost", "aPort", "aFlags", "aFailoverTimeout", "aFailoverProxy")),
        IDLMethod("newProxyInfoWithAuth", ("aType", "aHost", "aPort", "aUsername", "aPassword", "aFlags", "aFailoverTimeout", "aFailoverProxy")),
        IDLMethod("registerFilter", ("aFilter", "aPosition")),
        IDLMethod("unregisterFilter", ("aFilter",)),
    ),
    constants=(
        ("PROXYCONFIG_DIRECT", 0),
        ("PROXYCONFIG_MANUAL", 1),
        ("PROXYCONFIG_PAC", 2),
        ("PROXYCONFIG_WPAD", 4),
        ("PROXYCONFIG_SYSTEM", 5),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/base/nsIProtocolProxyService.idl",
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
