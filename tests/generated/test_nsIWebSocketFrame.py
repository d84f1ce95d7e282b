# Generated from idl/netwerk/protocol/websocket/nsIWebSocketEventService.idl by codegen; do not edit.
"""Conformance of nsIWebSocketFrame: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIWebSocketFrame",
    uuid="497304b1-3e94-4833-95b4-8b943631798b",
    base="nsISupports",
    flags=("scriptable", "builtinclass"),
    attributes=(
        IDLAttribute("timeStamp", "double", readonly=True),
        IDLAttribute("finBit", "boolean", readonly=True),
        IDLAttribute("rsvBit1", "boolean", readonly=True),
        IDLAttribute("rsvBit2", "boolean", readonly=True),
        IDLAttribute("rsvBit3", "boolean", readonly=True),
        IDLAttribute("opCode", "unsigned short", readonly=True),
        IDLAttribute("maskBit", "boolean", readonly=True),
        IDLAttribute("mask", "unsigned long", readonly=True),
        IDLAttribute("payload", "ACString", readonly=True),
    ),
    constants=(
        ("OPCODE_CONTINUATION", 0),
        ("OPCODE_TEXT", 1),
        ("OPCODE_BINARY", 2),
        ("OPCODE_CLOSE", 8),
        ("OPCODE_PING", 9),
        ("OPCODE_PONG", 10),
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
