# Generated from idl/security/manager/ssl/nsITransportSecurityInfo.idl by codegen; do not edit.
"""Conformance of nsITransportSecurityInfo: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsITransportSecurityInfo",
    uuid="ac0e6585-0467-494b-ad54-18e013b15b27",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(
        IDLAttribute("protocolVersion", "unsigned short", readonly=True),
        IDLAttribute("cipherName", "ACString", readonly=True),
        IDLAttribute("keyLength", "unsigned long", readonly=True),
        IDLAttribute("secretKeyLength", "unsigned long", readonly=True),
        IDLAttribute("negotiatedNPN", "ACString", readonly=True),
        IDLAttribute("resumed", "boolean", readonly=True),
        IDLAttribute("errorCode", "long", readonly=True),
        IDLAttribute("serverCertSubject", "AString", readonly=True),
        IDLAttribute("serverCertIssuer", "AString", readonly=True),
        IDLAttribute("serverCertNotBefore", "PRTime", readonly=True),
        IDLAttribute("serverCertNotAfter", "PRTime", readonly=True),
        IDLAttribute("serverCertSHA256Fingerprint", "ACString", readonly=True),
    ),
    constants=(
        ("SSL_VERSION_3", 0),
        ("TLS_VERSION_1", 1),
        ("TLS_VERSION_1_1", 2),
        ("TLS_VERSION_1_2", 3),
        ("TLS_VERSION_1_3", 4),
        ("VERSION_UNKNOWN", 255),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/security/manager/ssl/nsITransportSecurityInfo.idl",
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
