# Generated from idl/xpcom/ds/nsIObserverService.idl by codegen; do not edit.
"""Conformance of nsIObserverService: its binding, and every component registered as providing it."""

from __future__ import annotations

from typing import Any

import pytest
from support.conformance import providers

from codegen import conformance
from codegen.conformance import IDLInterface, IDLMethod

IDL = IDLInterface(
    name="nsIObserverService",
    uuid="eba8fb56-ae8d-45d1-9081-ed9b4716280d",
    base="nsISupports",
    flags=("scriptable",),
    methods=(
        IDLMethod("addObserver", ("anObserver", "aTopic", "ownsWeak"), optional=1),
        IDLMethod("removeObserver", ("anObserver", "aTopic")),
        IDLMethod("notifyObservers", ("aSubject", "aTopic", "someData"), optional=1),
        IDLMethod("enumerateObservers", ("aTopic",)),
    ),
    inherited_methods=(IDLMethod("QueryInterface", ("uuid",)),),
    source="idl/xpcom/ds/nsIObserverService.idl",
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
