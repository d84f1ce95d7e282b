# Generated from idl/xpcom/base/nsrootidl.idl by codegen; do not edit.
# Named after its IDL file.
# ruff: noqa: N999
"""nsrootidl.idl declares no interfaces (only types other IDL files use)."""

from __future__ import annotations

__all__ = []
