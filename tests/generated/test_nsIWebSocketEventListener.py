# Generated from idl/netwerk/protocol/websocket/nsIWebSocketEventService.idl by codegen; do not edit.
# ruff: noqa: E501
"""Conformance of nsIWebSocketEventListener: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIWebSocketEventListener",
    uuid="9c3a603d-a6a9-4231-9197-e522813ad91e",
    base="nsISupports",
    flags=("scriptable",),
    methods=(
        IDLMethod("webSocketCreated", ("aWebSocketSerialID", "aURI", "aProtocols")),
        IDLMethod("webSocketOpened", ("aWebSocketSerialID", "aEffectiveURI", "aProtocols", "aExtensions", "aHttpChannelId")),
        IDLMethod("webSocketMessageAvailable", ("aWebSocketSerialID", "aMessage", "aMessageType")),
        IDLMethod("webSocketClosed", ("aWebSocketSerialID", "aWasClean", "aCode", "aReason")),
        IDLMethod("frameReceived", ("aWebSocketSerialID", "aFrame")),
        IDLMethod("frameSent", ("aWebSocketSerialID", "aFrame")),
    ),
    constants=(("TYPE_STRING", 0), ("TYPE_BLOB", 1), ("TYPE_ARRAYBUFFER", 2)),
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
