# Generated from idl/netwerk/base/nsIURI.idl by codegen; do not edit.
"""Conformance of nsIURI: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLAttribute, IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIURI",
    uuid="f71efb27-4c35-4ede-af58-a5191318f5d6",
    base="nsISupports",
    flags=("scriptable",),
    attributes=(
        IDLAttribute("spec", "AUTF8String", readonly=True),
        IDLAttribute("prePath", "AUTF8String", readonly=True),
        IDLAttribute("scheme", "ACString", readonly=True),
        IDLAttribute("userPass", "AUTF8String", readonly=True),
        IDLAttribute("username", "AUTF8String", readonly=True),
        IDLAttribute("password", "AUTF8String", readonly=True),
        IDLAttribute("hasUserPass", "boolean", readonly=True),
        IDLAttribute("hostPort", "AUTF8String", readonly=True),
        IDLAttribute("host", "AUTF8String", readonly=True),
        IDLAttribute("port", "long", readonly=True),
        IDLAttribute("pathQueryRef", "AUTF8String", readonly=True),
        IDLAttribute("ref", "AUTF8String", readonly=True),
        IDLAttribute("hasRef", "boolean", readonly=True),
        IDLAttribute("specIgnoringRef", "AUTF8String", readonly=True),
        IDLAttribute("asciiSpec", "ACString", readonly=True),
        IDLAttribute("asciiHostPort", "ACString", readonly=True),
        IDLAttribute("asciiHost", "ACString", readonly=True),
        IDLAttribute("displaySpec", "AUTF8String", readonly=True),
        IDLAttribute("displayPrePath", "AUTF8String", readonly=True),
        IDLAttribute("displayHostPort", "AUTF8String", readonly=True),
        IDLAttribute("displayHost", "AUTF8String", readonly=True),
        IDLAttribute("filePath", "AUTF8String", readonly=True),
        IDLAttribute("query", "AUTF8String", readonly=True),
        IDLAttribute("hasQuery", "boolean", readonly=True),
    ),
    methods=(
        IDLMethod("equals", ("other",)),
        IDLMethod("equalsExceptRef", ("other",)),
        IDLMethod("schemeIs", ("aScheme",)),
        IDLMethod("resolve", ("relativePath",)),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/netwerk/base/nsIURI.idl",
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
