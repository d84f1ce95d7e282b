# Generated from idl/xpcom/io/nsIInputStream.idl by codegen; do not edit.
"""Conformance of nsIInputStream: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIInputStream",
    uuid="218f0209-270d-41c4-bac7-f2f6bf429660",
    base="nsISupports",
    flags=("scriptable",),
    methods=(
        IDLMethod("close", ()),
        IDLMethod("available", ()),
        IDLMethod("read", ("aCount",)),
        IDLMethod("readBytes", ("aCount",)),
        IDLMethod("isNonBlocking", ()),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/xpcom/io/nsIInputStream.idl",
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
