# Generated from idl/netwerk/protocol/websocket/nsIWebSocketEventService.idl by codegen; do not edit.
"""Conformance of nsIWebSocketEventService: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIWebSocketEventService",
    uuid="b65b042b-6917-4c01-bccc-821364e71aea",
    base="nsISupports",
    flags=("scriptable", "builtinclass"),
    methods=(
        IDLMethod("addListener", ("aInnerWindowID", "aListener")),
        IDLMethod("removeListener", ("aInnerWindowID", "aListener")),
        IDLMethod("hasListenerFor", ("aInnerWindowID",)),
        IDLMethod("sendMessage", ("aWebSocketSerialID", "aMessage")),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/protocol/websocket/nsIWebSocketEventService.idl",
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
