# Generated from idl/xpcom/ds/nsIObserver.idl by codegen; do not edit.
"""Conformance of nsIObserver: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIObserver",
    uuid="217c28c0-6330-470d-8334-b403bcb01981",
    base="nsISupports",
    flags=("scriptable", "function"),
    methods=(IDLMethod("observe", ("aSubject", "aTopic", "aData")),),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/xpcom/ds/nsIObserver.idl",
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
