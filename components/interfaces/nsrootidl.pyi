# Generated from idl/xpcom/base/nsrootidl.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsrootidl.py, from idl/xpcom/base/nsrootidl.idl: see codegen.emit_stubs."""

__all__: list[str] = []
