"""Model -> Python bindings: one zope.interface module per IDL file, plus ``Ci``.

Theory of operation
-------------------
Every IDL file ``idl/.../nsIFoo.idl`` becomes ``components/interfaces/nsIFoo.py`` (the module is
named after the file's stem, whatever interfaces it declares).  In that module:

* each interface is a ``zope.interface.Interface`` subclass of the same name, deriving from its
  base's binding, which is imported (relatively, so the package can be generated anywhere) from
  the module of the IDL file that declares the base -- a file the IDL includes (``#include``),
  directly or through another include;
* attributes become ``Attribute`` objects carrying the doc comment; methods become method
  specifications whose positional parameters are the IDL ``in``/``inout`` parameters, in order
  (``out`` and ``retval`` parameters are what the call returns, as PyXPCOM did it);
* the XPIDL facts zope has no slot for are tagged values: on the interface ``uuid`` (a
  ``uuid.UUID``) and ``flags`` (its bracketed attributes, e.g. ``("scriptable",)``); on an
  attribute ``type``, ``readonly`` and ``flags``; on a method ``returns``, ``params`` (every
  parameter as ``(name, direction, type)``), ``results`` (the names of the parameters that come
  back) and ``flags``;
* constants: one ``IntEnum`` per interface that has ``const`` members (``nsIFooConstants``) and
  one per ``cenum`` (``nsIFoo_Name``, the name other IDL uses for it).  zope refuses concrete
  values in an interface body, so each constant -- including those inherited from base
  interfaces, as XPCOM reflects them -- is set on the interface object once it exists, which
  is what makes ``Ci.nsIFoo.NAME`` work.  A ``ClassVar`` annotation (ignored by zope) tells
  mypy the constant is an ``int``.

Members marked ``[noscript]`` or ``[notxpcom]`` are left out: they cannot be reached from script,
and Python code stands where script would.

The output is deterministic (no timestamps, no dict-order surprises: everything follows source
order) and ruff-clean: method specifications take no ``self`` (``N805`` is switched off for the
file) and a zero-argument specification carries a ``type: ignore`` for mypy's "missing self"
check.  Doc lines longer than the project's line length switch ``E501`` off for that file rather
than being rewrapped, so the docs read exactly as the IDL author wrote them.
"""

from __future__ import annotations

import inspect
import json
import keyword
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from codegen import model

# Every generated file starts with this (followed by the source and "by codegen; do not edit.").
GENERATED_PREFIX = "# Generated from "
LINE_LENGTH = 110
INDENT = "    "

# Bracketed interface attributes that are recorded as flags (uuid is a tagged value of its own).
_NOT_FLAGS = frozenset({"uuid"})


class EmitError(Exception):
    """The model cannot be turned into bindings (e.g. two IDL files with the same stem)."""


def header(source: str) -> str:
    """The first line of every generated file; ``source`` is e.g. ``idl/xpcom/base/x.idl``."""
    return f"{GENERATED_PREFIX}{source} by codegen; do not edit.\n"


def module_name(idl_path: str) -> str:
    """The binding module of an IDL file: its file name without ``.idl``."""
    return PurePath(idl_path).stem


def py_ident(name: str) -> str:
    """An XPIDL name usable as a Python identifier (keywords get a trailing underscore)."""
    return name + "_" if keyword.iskeyword(name) else name


def constants_enum_name(iface: model.Interface) -> str:
    return f"{iface.name}Constants"


def script_visible(member: model.Member) -> bool:
    """Whether a member belongs in the Python binding (see the module docstring)."""
    if isinstance(member, model.Attribute | model.Method):
        return not (member.noscript or member.notxpcom)
    return False


def arguments(method: model.Method) -> list[model.Param]:
    """The parameters a Python caller passes: ``in`` and ``inout``, in IDL order."""
    return [p for p in method.params if p.direction in ("in", "inout") and not p.retval]


def results(method: model.Method) -> list[model.Param]:
    """The parameters that come back from a call: ``out``, ``inout`` and ``retval``."""
    return [p for p in method.params if p.direction in ("out", "inout") or p.retval]


def optional_count(method: model.Method) -> int:
    """How many trailing arguments may be left out (``[optional]`` ones at the end)."""
    count = 0
    for p in reversed(arguments(method)):
        if not p.optional:
            break
        count += 1
    return count


# ---------------------------------------------------------------- literals and docs


def py_str(text: str) -> str:
    """A double-quoted Python string literal for ``text`` (exact, deterministic)."""
    return json.dumps(text, ensure_ascii=False)


def clean_doc(doc: str | None) -> str:
    """An IDL doc comment as plain text: common indentation and trailing blanks removed."""
    if not doc:
        return ""
    # Split on "\n" only (as cleandoc does): other line-break characters (form feed, U+2028)
    # are content, kept and escaped, not line ends.
    text = inspect.cleandoc(doc.expandtabs(8))
    return "\n".join(line.rstrip(" ") for line in text.split("\n")).strip("\n")


def _escape_controls(text: str) -> str:
    # Control and format characters as escapes: invisible in an editor, and some (NUL) are not
    # even legal anywhere in a Python source file, comments included.
    out: list[str] = []
    for ch in text:
        if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def _escape_doc(text: str) -> str:
    # Escape what would end or corrupt a triple-quoted literal, and any control or format character.
    escaped = _escape_controls(text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"'))
    if escaped.endswith('"'):
        escaped = escaped[:-1] + '\\"'
    return escaped


def docstring(text: str, indent: str) -> list[str]:
    """A docstring statement at ``indent``: one line if it fits the text, else PEP 257 form."""
    body = _escape_doc(text)
    lines = body.split("\n")
    if len(lines) == 1:
        return [f'{indent}"""{body}"""']
    out = [f'{indent}"""{lines[0]}']
    out.extend(f"{indent}{line}" if line else "" for line in lines[1:])
    out.append(f'{indent}"""')
    return out


def _string_lines(text: str, indent: str) -> list[str]:
    """``text`` as adjacent string literals, one per source line (for expressions)."""
    parts = text.split("\n")
    if len(parts) == 1:
        return [f"{indent}{py_str(text)}"]
    texts = [p + "\n" for p in parts[:-1]] + [parts[-1]]
    return [f"{indent}{py_str(t)}" for t in texts]


def py_literal(value: object) -> str:
    """Deterministic source for the small values tagged onto members."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, tuple):
        items = [py_literal(v) for v in value]
        if len(items) == 1:
            return f"({items[0]},)"
        return "(" + ", ".join(items) + ")"
    raise TypeError(f"no literal for {value!r}")


# ---------------------------------------------------------------- what a file can see


@dataclass(frozen=True)
class Visible:
    """An interface visible from the file being emitted, and the module that defines it."""

    iface: model.Interface
    module: str


def visible_interfaces(f: model.IDLFile) -> dict[str, Visible]:
    """Every interface declared in ``f`` or in a file it includes (transitively)."""
    found: dict[str, Visible] = {}
    for g in [f, *f.included_files()]:
        for iface in g.interfaces:
            found.setdefault(iface.name, Visible(iface, module_name(g.path)))
    return found


def base_chain(iface: model.Interface, visible: dict[str, Visible]) -> list[model.Interface]:
    """The bases of ``iface``, nearest first (``[nsIBar, nsISupports]``)."""
    chain: list[model.Interface] = []
    seen = {iface.name}
    current = iface
    while current.base is not None:
        found = visible.get(current.base)
        if found is None:
            raise EmitError(
                f"{iface.name}: base interface {current.base} is not declared in any included file"
            )
        if found.iface.name in seen:
            raise EmitError(f"{iface.name}: interface inheritance loops through {found.iface.name}")
        seen.add(found.iface.name)
        chain.append(found.iface)
        current = found.iface
    return chain


def inherited_constants(
    iface: model.Interface, visible: dict[str, Visible]
) -> list[tuple[str, model.Interface]]:
    """(name, declaring interface) of each constant a base declares and ``iface`` does not."""
    own = {name for name, _ in iface.constants()}
    out: list[tuple[str, model.Interface]] = []
    for base in reversed(base_chain(iface, visible)):
        for name, _ in base.constants():
            if name not in own and all(name != n for n, _ in out):
                out.append((name, base))
    # Nearest declaration first in source order of the root-most base: stable either way.
    return out


def _check_value(owner: str, name: str, value: int | None) -> int:
    if value is None:
        raise EmitError(f"{owner}.{name}: constant has no evaluated value (were the checks run?)")
    return value


# ---------------------------------------------------------------- one module


def _isort_key(item: tuple[str, object]) -> tuple[str, str]:
    # The order ruff's isort wants: case-insensitive, ties broken by the exact spelling.
    return (item[0].lower(), item[0])


def _import_line(module: str, names: Iterable[str]) -> str:
    ordered = sorted(names, key=lambda n: (n.lower(), n))
    return f"from .{module} import {', '.join(ordered)}"


def _method_signature(method: model.Method, width: int) -> str:
    """The IDL declaration of a method, for its docstring, wrapped IDL-style to ``width``."""
    params = []
    for p in method.params:
        attrs = f"[{', '.join(_attr_text(k, v) for k, v in p.attrs.items())}] " if p.attrs else ""
        params.append(f"{attrs}{p.direction} {p.type} {p.name}")
    attrs = f"[{', '.join(_attr_text(k, v) for k, v in method.attrs.items())}] " if method.attrs else ""
    raises = f" raises({', '.join(method.raises)})" if method.raises else ""
    head = f"XPIDL: {attrs}{method.type} {method.name}("
    one_line = f"{head}{', '.join(params)}){raises}"
    if len(one_line) <= width or not params:
        return one_line
    # One parameter per line, aligned under the first, as IDL files lay out long methods.
    lines = [f"{head}{params[0]},"]
    lines += [" " * len(head) + f"{p}," for p in params[1:]]
    lines[-1] = lines[-1][:-1] + f"){raises}"
    return "\n".join(lines)


def _attr_text(key: str, value: str | None) -> str:
    return key if value is None else f"{key}({value})"


def _flags(attrs: dict[str, str | None]) -> tuple[str, ...]:
    return tuple(_attr_text(k, v) for k, v in attrs.items() if k not in _NOT_FLAGS)


def _emit_enum(name: str, doc: str, members: Iterable[tuple[str, int, str]]) -> list[str]:
    out = [f"class {name}(_enum.IntEnum):", *docstring(doc, INDENT), ""]
    for member, value, member_doc in members:
        lines = member_doc.split("\n") if member_doc else []
        out.extend(f"{INDENT}#: {_escape_controls(line)}".rstrip() for line in lines)
        if py_ident(member) == member:
            out.append(f"{INDENT}{member} = {value}")
        else:  # a Python keyword: only the namespace mapping can take it as a name
            out.append(f"{INDENT}locals()[{py_str(member)}] = {value}")
    return out


def _emit_interface(iface: model.Interface, visible: dict[str, Visible]) -> list[str]:
    if iface.uuid is None:
        raise EmitError(f"{iface.name}: interface has no uuid")
    out: list[str] = []
    const_members = [
        (c.name, _check_value(iface.name, c.name, c.value), clean_doc(c.doc)) for c in iface.consts
    ]
    if const_members:
        out += _emit_enum(constants_enum_name(iface), f"The constants of {iface.name}.", const_members)
        out += ["", ""]
    for cenum in iface.cenums:
        variants = [(v.name, _check_value(iface.name, v.name, v.value), "") for v in cenum.variants]
        doc = clean_doc(cenum.doc) or f"The cenum {cenum.name} of {iface.name} ({cenum.width} bits)."
        out += _emit_enum(cenum.qualified_name, doc, variants)
        out += ["", ""]

    base = iface.base or "_Interface"
    out.append(f"class {iface.name}({base}):")
    out += docstring(clean_doc(iface.doc) or f"The XPIDL interface {iface.name}.", INDENT)
    out.append("")
    out.append(f'{INDENT}_taggedValue("uuid", _uuid.UUID({py_str(iface.uuid)}))')
    out.append(f'{INDENT}_taggedValue("flags", {py_literal(_flags(iface.attrs))})')

    constants = iface.constants()
    if constants:
        out.append("")
        out += [f"{INDENT}{name}: _ClassVar[int]" for name, _ in constants if py_ident(name) == name]

    facts: list[tuple[str, list[tuple[str, object]]]] = []
    for member in iface.members:
        if not script_visible(member):
            continue
        out.append("")
        if isinstance(member, model.Attribute):
            doc = clean_doc(member.doc)
            if doc:
                out.append(f"{INDENT}{py_ident(member.name)} = _Attribute(")
                out.append(f"{INDENT * 2}{py_str(member.name)},")
                out += _string_lines(doc, INDENT * 2)
                out[-1] += ","
                out.append(f"{INDENT})")
            else:
                out.append(f"{INDENT}{py_ident(member.name)} = _Attribute({py_str(member.name)})")
            out += _rename_keyword(member.name)
            facts.append(
                (
                    member.name,
                    [
                        ("type", str(member.type)),
                        ("readonly", member.readonly),
                        ("flags", _flags(member.attrs)),
                    ],
                )
            )
        elif isinstance(member, model.Method):
            args = arguments(member)
            n_optional = optional_count(member)
            names = [
                py_ident(p.name) + ("=None" if i >= len(args) - n_optional else "")
                for i, p in enumerate(args)
            ]
            ignore = "  # type: ignore[misc]" if not args else ""
            out.append(f"{INDENT}def {py_ident(member.name)}({', '.join(names)}):{ignore}")
            doc = clean_doc(member.doc)
            signature = _method_signature(member, LINE_LENGTH - len(INDENT * 2))
            out += docstring(f"{doc}\n\n{signature}" if doc else signature, INDENT * 2)
            out += _rename_keyword(member.name)
            facts.append(
                (
                    member.name,
                    [
                        ("returns", str(member.type)),
                        ("params", tuple((p.name, p.direction, str(p.type)) for p in member.params)),
                        ("results", tuple(p.name for p in results(member))),
                        ("flags", _flags(member.attrs)),
                    ],
                )
            )

    out += ["", ""]
    if facts:
        out.append(f"_tag_members({iface.name}, {{")
        for name, tags in facts:
            out.append(f"{INDENT}{py_str(name)}: {{")
            for key, value in tags:
                line = f"{INDENT * 2}{py_str(key)}: {_fact_literal(value)},"
                if len(line) > LINE_LENGTH and isinstance(value, tuple) and len(value) > 1:
                    out.append(f"{INDENT * 2}{py_str(key)}: (")
                    out += [f"{INDENT * 3}{py_literal(v)}," for v in value]
                    out.append(f"{INDENT * 2}),")
                else:
                    out.append(line)
            out.append(f"{INDENT}}},")
        out.append("})")

    exposed = [(name, constants_enum_name(iface)) for name in (c.name for c in iface.consts)]
    for cenum in iface.cenums:
        exposed += [(v.name, cenum.qualified_name) for v in cenum.variants]
    for name, enum_name in exposed:
        enum_member = f"{enum_name}.{name}" if py_ident(name) == name else f"{enum_name}[{py_str(name)}]"
        out.append(_expose(iface.name, name, enum_member))
    for name, declaring in inherited_constants(iface, visible):
        out.append(_expose(iface.name, name, _read_constant(declaring.name, name)))
    return out


def _rename_keyword(name: str) -> list[str]:
    """A member named like a Python keyword is defined as ``name_``, then moved to its real name
    in the class namespace (a class body's ``locals()`` is that namespace), so zope and
    ``verifyObject`` see the IDL name."""
    if py_ident(name) == name:
        return []
    return [f"{INDENT}locals()[{py_str(name)}] = locals().pop({py_str(py_ident(name))})"]


def _fact_literal(value: object) -> str:
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        return "(" + ", ".join(py_literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return py_literal(value)


def _read_constant(iface: str, name: str) -> str:
    return f"{iface}.{name}" if py_ident(name) == name else f"getattr({iface}, {py_str(name)})"


def _expose(iface: str, name: str, value: str) -> str:
    if py_ident(name) != name:
        return f"setattr({iface}, {py_str(name)}, {value})"
    line = f"{iface}.{name} = {value}"
    if len(line) <= LINE_LENGTH:
        return line
    return f"{iface}.{name} = (\n{INDENT}{value}\n)"


def emit_module(f: model.IDLFile, source: str) -> str:
    """The binding module for one parsed IDL file; ``source`` is its path as shown in the header."""
    visible = visible_interfaces(f)
    interfaces = f.interfaces
    body: list[str] = []
    exported: list[str] = []
    for iface in interfaces:
        body += ["", "", *_emit_interface(iface, visible)]
        if iface.consts:
            exported.append(constants_enum_name(iface))
        exported += [c.qualified_name for c in iface.cenums]
        exported.append(iface.name)

    uses_methods = any(
        isinstance(m, model.Method) and script_visible(m) for iface in interfaces for m in iface.members
    )
    uses_attrs = any(
        isinstance(m, model.Attribute) and script_visible(m) for iface in interfaces for m in iface.members
    )
    uses_enum = any(iface.consts or iface.cenums for iface in interfaces)
    uses_classvar = any(iface.constants() for iface in interfaces)
    uses_tags = uses_methods or uses_attrs

    names = ", ".join(i.name for i in interfaces)
    doc = f"XPCOM interface bindings for {PurePath(source).name}: {names}." if interfaces else (
        f"{PurePath(source).name} declares no interfaces (only types other IDL files use)."
    )
    lines = [header(source).rstrip("\n")]
    directives_at = len(lines)
    lines += [f'"""{_escape_doc(doc)}"""', "", "from __future__ import annotations", ""]

    stdlib = []
    if uses_enum:
        stdlib.append("import enum as _enum")
    if interfaces:
        stdlib.append("import uuid as _uuid")
    if uses_classvar:
        stdlib.append("from typing import ClassVar as _ClassVar")
    third = []
    if uses_attrs:
        third.append("from zope.interface import Attribute as _Attribute")
    if any(i.base is None for i in interfaces):
        third.append("from zope.interface import Interface as _Interface")
    if interfaces:
        third.append("from zope.interface import taggedValue as _taggedValue")
    # The member-tagging helper is shared run-time code, not a copy in every module.
    first_party = ["from components.bindings import tag_members as _tag_members"] if uses_tags else []
    local: dict[str, list[str]] = {}
    own = {i.name for i in interfaces}
    for iface in interfaces:
        wanted = [iface.base] if iface.base else []
        wanted += [d.name for _, d in inherited_constants(iface, visible)]
        for name in wanted:
            if name in own:
                continue
            where = visible[name].module
            if name not in local.setdefault(where, []):
                local[where].append(name)
    local_lines = [_import_line(mod, names) for mod, names in sorted(local.items(), key=_isort_key)]
    for group in (stdlib, third, first_party, local_lines):
        if group:
            lines += group + [""]
    all_line = f"__all__ = [{', '.join(py_str(n) for n in exported)}]"
    if len(all_line) <= LINE_LENGTH:
        lines.append(all_line)
    else:
        lines += ["__all__ = [", *(f"{INDENT}{py_str(n)}," for n in exported), "]"]
    lines += body

    # The module is named after the IDL file (nsIFoo.py), not in snake case: N999.  Interface
    # method specifications take no self, as zope.interface wants: N805.
    if uses_methods:
        directives = ["# Named after its IDL file; zope method specifications take no self."]
        directives.append("# ruff: noqa: N999, N805")
    else:
        directives = ["# Named after its IDL file.", "# ruff: noqa: N999"]
    if any(len(line) > LINE_LENGTH for line in lines):
        directives.append("# Doc comments keep the IDL's line breaks, however long the lines.")
        directives.append("# ruff: noqa: E501")
    lines[directives_at:directives_at] = directives
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- the package


_INIT_DOC = '''\
"""The generated XPCOM interface bindings: one module per IDL file, and ``Ci``.

``Ci`` maps every interface name to its zope.interface binding, the way scripts see
``Components.interfaces``: ``Ci.nsIFoo`` or ``Ci["nsIFoo"]``, ``"nsIFoo" in Ci`` (an interface
object works there too), ``len(Ci)`` and iteration over the names in sorted order.  Constants
read as ``Ci.nsIFoo.NAME``.  The package also exports each interface under its own name, which
hides the module of the same name: reach a module's enums with
``from components.interfaces.nsIFoo import nsIFooConstants``.
"""'''

_INIT_TABLE = '''\
def _missing(name: str) -> str:
    return f"no interface named {name!r} in Ci (is its IDL in idl/, and was codegen regen run?)"


class InterfaceTable(_Mapping[str, _InterfaceClass]):
    """Every generated interface binding by name; read-only."""

    __slots__ = ()

    def __getitem__(self, name: str) -> _InterfaceClass:
        try:
            return _BY_NAME[name]
        except KeyError:
            raise KeyError(_missing(name)) from None

    def __getattr__(self, name: str) -> _InterfaceClass:
        # Only reached for names that are not generated interfaces (those are class attributes).
        raise AttributeError(_missing(name))

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in _BY_NAME
        return any(item is iface for iface in _BY_NAME.values())

    def __iter__(self) -> _Iterator[str]:
        return iter(_BY_NAME)

    def __len__(self) -> int:
        return len(_BY_NAME)

    def __repr__(self) -> str:
        return f"<Ci: {len(_BY_NAME)} interfaces>"
'''


def emit_package_init(modules: Sequence[tuple[str, Sequence[str]]], source: str = "idl/") -> str:
    """``__init__.py`` of the bindings package: imports every binding and defines ``Ci``.

    ``modules`` lists (module name, interface names) for every generated module.
    """
    pairs = sorted((iface, mod) for mod, ifaces in modules for iface in ifaces)
    seen: dict[str, str] = {}
    for iface, mod in pairs:
        if iface in seen:
            raise EmitError(f"interface {iface} is declared in both {seen[iface]}.idl and {mod}.idl")
        seen[iface] = mod
    names = [iface for iface, _ in pairs]
    lines = [header(source).rstrip("\n"), *_INIT_DOC.split("\n"), ""]
    lines += ["from __future__ import annotations", ""]
    lines += [
        "from collections.abc import Iterator as _Iterator",
        "from collections.abc import Mapping as _Mapping",
        "",
        "from zope.interface.interface import InterfaceClass as _InterfaceClass",
        "",
    ]
    by_module: dict[str, list[str]] = {}
    for iface, mod in pairs:
        by_module.setdefault(mod, []).append(iface)
    lines += [_import_line(mod, names) for mod, names in sorted(by_module.items(), key=_isort_key)]
    if by_module:
        lines.append("")
    lines.append('__all__ = ["Ci", "InterfaceTable"]')
    lines += ["", "_BY_NAME: dict[str, _InterfaceClass] = {"]
    lines += [f"{INDENT}{py_str(n)}: {n}," for n in names]
    lines += ["}", "", "", *_INIT_TABLE.rstrip("\n").split("\n")]
    if names:
        lines.append("")
        # Class attributes, so that attribute access needs no __getattr__ and mypy sees each
        # binding's own type (and with it the ClassVar constants).
        lines += [f"{INDENT}{n} = {n}" for n in names]
    lines += ["", "", "Ci = InterfaceTable()"]
    text = "\n".join(lines) + "\n"
    if any(len(line) > LINE_LENGTH for line in text.split("\n")):
        text = text.replace("\n", "\n# ruff: noqa: E501\n", 1)
    return text
