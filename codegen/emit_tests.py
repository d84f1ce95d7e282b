"""Model -> conformance tests: ``tests/generated/test_<iface>.py`` for every interface.

Theory of operation
-------------------
A generated test module is data plus calls.  The data is what the IDL says about the interface
(an :class:`codegen.conformance.IDLInterface` literal: attributes with their readonly-ness,
methods with the arguments a Python caller passes, constant values, uuid, and the same facts for
every base interface, flattened, since a component must honour those too).  The calls are the
checks in :mod:`codegen.conformance`, which hold the logic once instead of once per interface;
the pytest parameters come from ``support.conformance.providers`` on the test side (``tests/`` is
on pytest's path), so the compiler package never imports pytest.

Because the facts are copied from the IDL rather than read back from the binding, the tests fail
when either side drifts: a binding that was not regenerated, or a component whose methods,
attributes or readonly-ness no longer match.

Each module has binding tests (always run) and per-component tests parametrized over
``components.manager.components_providing(binding)``; an interface with no registered
component gets those skipped with a reason, not silently dropped.
"""

from __future__ import annotations

from codegen import model
from codegen.emit_bindings import (
    INDENT,
    LINE_LENGTH,
    EmitError,
    Visible,
    arguments,
    base_chain,
    header,
    optional_count,
    py_str,
    script_visible,
    visible_interfaces,
)


def module_file_name(iface: model.Interface) -> str:
    """File name of the generated test module of an interface."""
    return f"test_{iface.name}.py"


def _attribute_literals(iface: model.Interface) -> list[str]:
    out = []
    for m in iface.attributes:
        if script_visible(m):
            ro = ", readonly=True" if m.readonly else ""
            out.append(f"IDLAttribute({py_str(m.name)}, {py_str(str(m.type))}{ro})")
    return out


def _method_literals(iface: model.Interface) -> list[str]:
    out = []
    for m in iface.methods:
        if not script_visible(m):
            continue
        args = [py_str(p.name) for p in arguments(m)]
        args_text = "(" + ", ".join(args) + ("," if len(args) == 1 else "") + ")"
        optional = optional_count(m)
        extra = f", optional={optional}" if optional else ""
        out.append(f"IDLMethod({py_str(m.name)}, {args_text}{extra})")
    return out


def _constant_literals(iface: model.Interface) -> list[str]:
    out = []
    for name, value in iface.constants():
        if value is None:
            raise EmitError(f"{iface.name}.{name}: constant has no evaluated value")
        out.append(f"({py_str(name)}, {value})")
    return out


def _tuple_field(name: str, items: list[str], indent: str) -> list[str]:
    if not items:
        return []
    one_line = f"{indent}{name}=({', '.join(items)}{',' if len(items) == 1 else ''}),"
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    return [f"{indent}{name}=(", *(f"{indent}{INDENT}{item}," for item in items), f"{indent}),"]


def _flags(iface: model.Interface) -> tuple[str, ...]:
    return tuple(k if v is None else f"{k}({v})" for k, v in iface.attrs.items() if k != "uuid")


def emit_test_module(iface: model.Interface, visible: dict[str, Visible], source: str) -> str:
    """The conformance test module for one interface; ``visible`` as from ``visible_interfaces``."""
    if iface.uuid is None:
        raise EmitError(f"{iface.name}: interface has no uuid")
    bases = list(reversed(base_chain(iface, visible)))  # root first, like the flattened vtable
    inherited_attrs = [lit for b in bases for lit in _attribute_literals(b)]
    inherited_methods = [lit for b in bases for lit in _method_literals(b)]
    own_constants = {name for name, _ in iface.constants()}
    inherited_constants: list[str] = []
    seen: set[str] = set(own_constants)
    for b in bases:
        for name, value in b.constants():
            if name not in seen:
                seen.add(name)
                inherited_constants.append(f"({py_str(name)}, {value})")

    flags = _flags(iface)
    fields = [
        f"{INDENT}name={py_str(iface.name)},",
        f"{INDENT}uuid={py_str(iface.uuid)},",
    ]
    if iface.base:
        fields.append(f"{INDENT}base={py_str(iface.base)},")
    fields += _tuple_field("flags", [py_str(f) for f in flags], INDENT)
    fields += _tuple_field("attributes", _attribute_literals(iface), INDENT)
    fields += _tuple_field("methods", _method_literals(iface), INDENT)
    fields += _tuple_field("constants", _constant_literals(iface), INDENT)
    fields += _tuple_field("inherited_attributes", inherited_attrs, INDENT)
    fields += _tuple_field("inherited_methods", inherited_methods, INDENT)
    fields += _tuple_field("inherited_constants", inherited_constants, INDENT)
    fields.append(f"{INDENT}source={py_str(source)},")

    used = ["IDLInterface"]
    if any("IDLAttribute(" in f for f in fields):
        used.append("IDLAttribute")
    if any("IDLMethod(" in f for f in fields):
        used.append("IDLMethod")

    name = iface.name
    lines = [
        header(source).rstrip("\n"),
        f'"""Conformance of {name}: its binding, and every component registered as providing it."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any",
        "",
        "import pytest",
        "from support.conformance import providers",
        "",
        "from codegen import conformance",
        f"from codegen.conformance import {', '.join(sorted(used))}",
        "",
        "IDL = IDLInterface(",
        *fields,
        ")",
        "",
        "COMPONENTS = providers(IDL)",
        "",
        "",
        "def test_binding_matches_idl() -> None:",
        f"{INDENT}conformance.check_binding_shape(IDL)",
        "",
        "",
        "def test_constants_have_idl_values() -> None:",
        f"{INDENT}conformance.check_binding_constants(IDL)",
        "",
        "",
        '@pytest.mark.parametrize("entry", COMPONENTS)',
        "def test_component_verifies(entry: Any) -> None:",
        f"{INDENT}conformance.check_component_verifies(IDL, entry)",
        "",
        "",
        '@pytest.mark.parametrize("entry", COMPONENTS)',
        "def test_component_attributes(entry: Any) -> None:",
        f"{INDENT}conformance.check_component_attributes(IDL, entry)",
        "",
        "",
        '@pytest.mark.parametrize("entry", COMPONENTS)',
        "def test_component_methods(entry: Any) -> None:",
        f"{INDENT}conformance.check_component_methods(IDL, entry)",
    ]
    text = "\n".join(lines) + "\n"
    if any(len(line) > LINE_LENGTH for line in lines):
        # Only a very long name or type can get here; keep the header first.
        first, rest = text.split("\n", 1)
        text = f"{first}\n# ruff: noqa: E501\n{rest}"
    return text


def emit_test_modules(f: model.IDLFile, source: str) -> dict[str, str]:
    """File name -> text of the test module of each interface declared in ``f``."""
    visible = visible_interfaces(f)
    return {module_file_name(i): emit_test_module(i, visible, source) for i in f.interfaces}
