# Generated from idl/netwerk/protocol/websocket/nsIWebSocketChannel.idl by codegen; do not edit.
"""Conformance of nsIWebSocketChannel: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIWebSocketChannel",
    uuid="44cc508b-84e3-4d3a-a1b9-16449e374943",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(
        IDLAttribute("originalURI", "nsIURI"),
        IDLAttribute("URI", "nsIURI", readonly=True),
        IDLAttribute("notificationCallbacks", "nsIInterfaceRequestor"),
        IDLAttribute("securityInfo", "nsITransportSecurityInfo", readonly=True),
        IDLAttribute("loadGroup", "nsILoadGroup"),
        IDLAttribute("loadInfo", "nsILoadInfo"),
        IDLAttribute("protocol", "ACString"),
        IDLAttribute("extensions", "ACString", readonly=True),
        IDLAttribute("pingInterval", "unsigned long"),
        IDLAttribute("pingTimeout", "unsigned long"),
        IDLAttribute("serial", "unsigned long"),
    ),
    methods=(
        IDLMethod("asyncOpen", ("aURI", "aOrigin", "aListener", "aContext")),
        IDLMethod("close", ("aCode", "aReason")),
        IDLMethod("sendMsg", ("aMsg",)),
        IDLMethod("sendBinaryMsg", ("aMsg",)),
        IDLMethod("sendBinaryStream", ("aStream", "length")),
    ),
    constants=(
        ("CLOSE_NORMAL", 1000),
        ("CLOSE_GOING_AWAY", 1001),
        ("CLOSE_PROTOCOL_ERROR", 1002),
        ("CLOSE_UNSUPPORTED_DATATYPE", 1003),
        ("CLOSE_NO_STATUS", 1005),
        ("CLOSE_ABNORMAL", 1006),
        ("CLOSE_INVALID_PAYLOAD", 1007),
        ("CLOSE_POLICY_VIOLATION", 1008),
        ("CLOSE_TOO_LARGE", 1009),
        ("CLOSE_EXTENSION_MISSING", 1010),
        ("CLOSE_INTERNAL_ERROR", 1011),
        ("CLOSE_TLS_FAILED", 1015),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/protocol/websocket/nsIWebSocketChannel.idl",
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
