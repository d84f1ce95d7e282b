# Generated from idl/netwerk/protocol/websocket/nsIWebSocketListener.idl by codegen; do not edit.
"""Conformance of nsIWebSocketListener: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIWebSocketListener",
    uuid="e01821e4-1e08-4042-9f4d-893a1174aeaf",
    base="nsISupports",
    flags=("scriptable",),
    methods=(
        IDLMethod("onStart", ("aContext",)),
        IDLMethod("onStop", ("aContext", "aStatusCode")),
        IDLMethod("onMessageAvailable", ("aContext", "aMsg")),
        IDLMethod("onBinaryMessageAvailable", ("aContext", "aMsg")),
        IDLMethod("onAcknowledge", ("aContext", "aSize")),
        IDLMethod("onServerClose", ("aContext", "aCode", "aReason")),
        IDLMethod("onError", ()),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/protocol/websocket/nsIWebSocketListener.idl",
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
