# Generated from idl/netwerk/protocol/http/nsIHttpChannel.idl by codegen; do not edit.
"""Conformance of nsIHttpChannel: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIHttpChannel",
    uuid="c5390775-320b-4e7a-a036-addeba8792d3",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(
        IDLAttribute("requestMethod", "ACString", readonly=True),
        IDLAttribute("URI", "nsIURI", readonly=True),
        IDLAttribute("notificationCallbacks", "nsIInterfaceRequestor", readonly=True),
        IDLAttribute("responseStatus", "unsigned long", readonly=True),
        IDLAttribute("responseStatusText", "ACString", readonly=True),
    ),
    methods=(
        IDLMethod("setRequestHeader", ("aHeader", "aValue", "aMerge")),
        IDLMethod("getRequestHeader", ("aHeader",)),
        IDLMethod("visitRequestHeaders", ("aVisitor",)),
        IDLMethod("getResponseHeader", ("header",)),
        IDLMethod("visitResponseHeaders", ("aVisitor",)),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/protocol/http/nsIHttpChannel.idl",
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
