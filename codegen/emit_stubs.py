"""Model -> typing stubs: one ``.pyi`` per binding module, plus the package's, for type checkers.

Theory of operation
-------------------
The bindings (``emit_bindings``) are zope.interface objects, which say nothing a type checker can
use: to mypy every member of ``Ci.nsIWebSocketChannel`` was ``Any``.  Next to each binding module
``nsIFoo.py`` the emitter writes ``nsIFoo.pyi``, and a type checker reads the stub instead of the
module (PEP 561: a stub next to a module shadows it).  Run time is untouched: Python never imports
a ``.pyi``.

In a stub each interface is two classes:

* ``nsIFoo``, a ``typing.Protocol``: what an *object* providing the interface looks like (its
  attributes and methods with Python types).  Being structural, any object with the right members
  satisfies it, as any object with a listener's methods is a listener at run time.  It is the type
  to annotate with (``ch: nsIWebSocketChannel``).
* ``nsIFooInterface``, a subclass of :class:`components.bindings.InterfaceObject`
  ``[nsIFoo]``: what the *interface object* ``Ci.nsIFoo`` is -- zope's interface API
  (``providedBy`` narrows to ``nsIFoo``) and the constants, as class-level ints.  ``Ci`` is
  typed so that ``Ci.nsIFoo`` is one, and ``createInstance`` / ``getService`` /
  ``query_interface`` (``components.manager``) are generic over it: they return ``nsIFoo``.

IDL types become Python types as the run time passes them (the table is :func:`py_type`):
strings are ``str``; ``ACString`` is ``str`` except in the members that carry bytes
(:data:`ACSTRING_TYPES`: ``bytes``, or ``str | bytes``, where the run time carries binary data
there); integers ``int``,
``boolean`` ``bool``, ``float``/``double`` ``float``; ``Array<T>`` a ``list`` going out and any
``Sequence`` coming in; an interface its protocol, except ``nsISupports`` ("any object": listener
contexts are arbitrary values), which is ``object``.  XPCOM interface pointers may be null, so
an interface type is ``nsIFoo | None`` both ways (``ch.securityInfo`` is null on ``ws:``): typed
code narrows before use.  Readonly attributes are read-only properties.  A method returns
``None`` (void), its one result, or a tuple of its return value and its ``out`` parameters
(``emit_bindings.results``).  A method whose result is
``[iid_is(x)] out nsQIResult`` is generic: passed ``Ci.nsIFoo`` it returns ``nsIFoo``.

``nsISupports.QueryInterface`` is left out of the protocol on purpose: a protocol member is a
requirement, and plain Python objects (listeners, say) are nsISupports without declaring it -- the
component manager answers QueryInterface for them.  Typed code asks with
``components.manager.query_interface(obj, Ci.nsIFoo)``.  Natives other than strings and IIDs
(``jsval``, ``Promise``, ``webidl`` types) are ``Any``; so is a forward-declared interface no IDL
file under ``idl/`` defines.  Members whose IDL name is a Python keyword cannot be spelled in a
class body and are left out (``getattr`` reaches them, untyped).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from codegen import model
from codegen.emit_bindings import (
    INDENT,
    LINE_LENGTH,
    arguments,
    clean_doc,
    constants_enum_name,
    docstring,
    header,
    inherited_constants,
    optional_count,
    py_ident,
    results,
    script_visible,
    visible_interfaces,
)

#: ``ACString`` members (``Interface.member``; a method's parameters and result alike) whose
#: values are not ``str`` at run time, and what they are: ``bytes`` for binary message payloads,
#: frame payloads and stream contents; ``str | bytes`` for a message that may be either.  Every
#: other ``ACString`` (subprotocols, schemes, ASCII host names, pref values) is ``str``.
ACSTRING_TYPES: dict[str, str] = {
    "nsIWebSocketChannel.sendBinaryMsg": "bytes",
    "nsIWebSocketListener.onBinaryMessageAvailable": "bytes",
    "nsIInputStream.read": "bytes",
    "nsIInputStream.readBytes": "bytes",
    "nsIWebSocketFrame.payload": "bytes",
    "nsIWebSocketEventListener.webSocketMessageAvailable": "str | bytes",
}

_INTEGER = frozenset(name for name, (_, _, bits) in model.BUILTIN_TYPES.items() if bits) | {"nsresult"}
_BUILTIN = {"boolean": "bool", "void": "None", "float": "float", "double": "float"}
_STRING_BUILTINS = frozenset({"string", "wstring", "char", "wchar"})
_STRING_NATIVES = frozenset({"astring", "utf8string", "domstring", "cstring"})

# Builtins the stubs spell in annotations, which a member of the same name would hide.
_BUILTIN_NAMES = frozenset({"bool", "bytes", "float", "int", "list", "object", "str", "tuple"})

# The generated name of an interface object's type: ``Ci.nsIFoo`` is an ``nsIFooInterface``.
INTERFACE_SUFFIX = "Interface"


def interface_object_name(iface: str) -> str:
    return f"{iface}{INTERFACE_SUFFIX}"


@dataclass
class _Names:
    """What one stub refers to, so its imports can be written once the body is done."""

    module: str  # the module being emitted
    own: set[str]  # interfaces (and enums) defined in it
    where: Mapping[str, str]  # every interface in the tree -> its module
    local: dict[str, set[str]] = field(default_factory=dict)  # module -> names to import
    typing: set[str] = field(default_factory=set)
    sequence: bool = False
    shadowed: frozenset[str] = frozenset()  # builtins a member of the current class hides
    builtins: bool = False  # whether ``builtins`` is imported to reach them

    def spell(self, annotation: str) -> str:
        """``annotation`` with every builtin the class body shadows read from ``builtins``
        (in ``def list(self) -> list[str]`` the class's own ``list`` would be found first)."""
        if not self.shadowed:
            return annotation
        import re

        def qualify(match: re.Match[str]) -> str:
            self.builtins = True
            return f"_builtins.{match.group(0)}"

        pattern = r"(?<![.\w])(?:" + "|".join(sorted(self.shadowed)) + r")(?![\w])"
        return re.sub(pattern, qualify, annotation)

    def interface(self, name: str) -> str:
        """The protocol for interface ``name``, imported if it lives in another module."""
        module = self.where.get(name)
        if module is None:
            self.typing.add("Any")
            return "Any"
        self.use(module, name)
        return name

    def use(self, module: str, name: str) -> None:
        if module != self.module and name not in self.own:
            self.local.setdefault(module, set()).add(name)


def py_type(t: model.TypeRef, names: _Names, *, param: bool, acstring: str = "str") -> str:
    """The Python type of an IDL type, as a parameter (``param``) or as a value read back."""
    if t.kind == "array" or t.is_array:
        inner = py_type(t.args[0], names, param=param, acstring=acstring)
        if param:
            names.sequence = True
            return f"Sequence[{inner}]"
        return f"list[{inner}]"
    if t.kind == "typedef":
        return py_type(t.target.type, names, param=param, acstring=acstring)
    if t.kind == "cenum" or (t.kind == "builtin" and t.name in _INTEGER):
        return "int"
    if t.kind == "builtin":
        if t.name in _STRING_BUILTINS:
            return "str"
        return _BUILTIN[t.name]
    if t.kind == "native":
        special = t.target.specialtype
        if special == "cstring":
            return acstring
        if special in _STRING_NATIVES:
            return "str"
        names.typing.add("Any")
        return "Any"
    if t.kind == "interface":
        if t.name == "nsISupports":
            return "object"
        protocol = names.interface(t.name)
        return protocol if protocol == "Any" else f"{protocol} | None"
    names.typing.add("Any")  # webidl and anything unknown
    return "Any"


def _is_keyword(name: str) -> bool:
    import keyword

    return keyword.iskeyword(name)


def _iid_result(method: model.Method) -> tuple[model.Param, model.Param] | None:
    """(the IID parameter, the result it types) for ``[iid_is(x), retval] out nsQIResult``."""
    outs = results(method)
    if method.type.name != "void" or len(outs) != 1 or outs[0].iid_is is None:
        return None
    iid = next((p for p in arguments(method) if p.name == outs[0].iid_is), None)
    return None if iid is None else (iid, outs[0])


def _method(iface: model.Interface, method: model.Method, names: _Names) -> list[str]:
    acstring = ACSTRING_TYPES.get(f"{iface.name}.{method.name}", "str")
    args = arguments(method)
    first_optional = len(args) - optional_count(method)
    generic = _iid_result(method)
    params = ["self"]
    for i, p in enumerate(args):
        if generic is not None and p is generic[0]:
            names.typing.add("TypeVar")
            names.use("components.bindings", "InterfaceObject")
            kind = "InterfaceObject[_T]"
        else:
            kind = py_type(p.type, names, param=True, acstring=acstring)
        params.append(f"{py_ident(p.name)}: {names.spell(kind)}" + (" = ..." if i >= first_optional else ""))
    if generic is not None:
        returns = "_T"
    else:
        parts = [] if method.type.name == "void" else [py_type(method.type, names, param=False,
                                                               acstring=acstring)]
        parts += [py_type(p.type, names, param=False, acstring=acstring) for p in results(method)]
        returns = "None" if not parts else parts[0] if len(parts) == 1 else f"tuple[{', '.join(parts)}]"
        returns = names.spell(returns)
    head = f"{INDENT}def {method.name}({', '.join(params)}) -> {returns}:"
    if len(head) > LINE_LENGTH:
        inner = [f"{INDENT * 2}{p}," for p in params]
        head_lines = [f"{INDENT}def {method.name}(", *inner, f"{INDENT}) -> {returns}:"]
    else:
        head_lines = [head]
    doc = clean_doc(method.doc)
    if doc:
        return [*head_lines, *docstring(doc, INDENT * 2), f"{INDENT * 2}..."]
    head_lines[-1] += " ..."
    return head_lines


def _attribute(iface: model.Interface, attr: model.Attribute, names: _Names) -> list[str]:
    acstring = ACSTRING_TYPES.get(f"{iface.name}.{attr.name}", "str")
    kind = names.spell(py_type(attr.type, names, param=False, acstring=acstring))
    doc = clean_doc(attr.doc)
    if not attr.readonly:
        return [f"{INDENT}{attr.name}: {kind}", *(docstring(doc, INDENT) if doc else [])]
    out = [f"{INDENT}@property", f"{INDENT}def {attr.name}(self) -> {kind}:"]
    if doc:
        return [*out, *docstring(doc, INDENT * 2), f"{INDENT * 2}..."]
    out[-1] += " ..."
    return out


def _enum(name: str, doc: str, members: Sequence[tuple[str, int]]) -> list[str]:
    out = [f"class {name}(_enum.IntEnum):", *docstring(doc, INDENT), ""]
    out += [f"{INDENT}{member} = {value}" for member, value in members if not _is_keyword(member)]
    return out


def _interface(iface: model.Interface, f: model.IDLFile, names: _Names) -> list[str]:
    visible = visible_interfaces(f)
    out: list[str] = []
    if iface.consts:
        members = [(c.name, c.value or 0) for c in iface.consts]
        out += _enum(constants_enum_name(iface), f"The constants of {iface.name}.", members) + ["", ""]
    for cenum in iface.cenums:
        doc = clean_doc(cenum.doc) or f"The cenum {cenum.name} of {iface.name} ({cenum.width} bits)."
        out += _enum(cenum.qualified_name, doc, [(v.name, v.value or 0) for v in cenum.variants]) + ["", ""]

    bases = [names.interface(iface.base)] if iface.base else []
    names.typing.add("Protocol")
    out.append(f"class {iface.name}({', '.join([*bases, 'Protocol'])}):")
    out += docstring(clean_doc(iface.doc) or f"An object providing {iface.name}.", INDENT)
    body: list[str] = []
    spelled = {m.name for m in iface.members if isinstance(m, model.Attribute | model.Method)}
    names.shadowed = frozenset(spelled & _BUILTIN_NAMES)
    for member in iface.members:
        if not isinstance(member, model.Attribute | model.Method):
            continue
        if not script_visible(member) or _is_keyword(member.name):
            continue
        if iface.name == "nsISupports" and member.name == "QueryInterface":
            continue  # see the module docstring: not a requirement on Python objects
        if isinstance(member, model.Attribute):
            body += ["", *_attribute(iface, member, names)]
        else:
            body += ["", *_method(iface, member, names)]
    out += body
    names.shadowed = frozenset()

    # The interface object: Ci.nsIFoo, its constants (own and inherited) and zope's API.
    names.use("components.bindings", "InterfaceObject")
    obj = interface_object_name(iface.name)
    out += ["", "", f"class {obj}(InterfaceObject[{iface.name}], Protocol):"]
    out += docstring(f"The interface object ``Ci.{iface.name}`` (a zope.interface InterfaceClass).", INDENT)
    # Constants read as int (as in XPCOM): at run time they are members of the enums above, and
    # flags are combined with | into plain ints.
    constants = [name for name, _ in iface.constants()]
    constants += [name for name, _ in inherited_constants(iface, visible)]
    if constants:
        names.typing.add("ClassVar")
        out.append("")
        out += [f"{INDENT}{name}: ClassVar[int]" for name in constants if not _is_keyword(name)]
    return out


def emit_stub(f: model.IDLFile, source: str, module: str, where: Mapping[str, str]) -> str:
    """The stub of one binding module; ``where`` maps every interface of the tree to its module."""
    own = {i.name for i in f.interfaces}
    own |= {constants_enum_name(i) for i in f.interfaces if i.consts}
    own |= {c.qualified_name for i in f.interfaces for c in i.cenums}
    names = _Names(module, own, where)
    body: list[str] = []
    for iface in f.interfaces:
        body += ["", "", *_interface(iface, f, names)]
    exported = []
    for iface in f.interfaces:
        exported += [constants_enum_name(iface)] if iface.consts else []
        exported += [c.qualified_name for c in iface.cenums]
        exported += [iface.name, interface_object_name(iface.name)]

    lines = [header(source).rstrip("\n"), "# Typing stub of the binding module beside it (PEP 561).",
             "# ruff: noqa: N801, N802, N803, N815, N999, E501"]
    lines += [f'"""Types of {module}.py, from {source}: see codegen.emit_stubs."""', ""]
    stdlib = []
    if names.builtins:
        stdlib.append("import builtins as _builtins")
    if any(i.consts or i.cenums for i in f.interfaces):
        stdlib.append("import enum as _enum")
    if names.sequence:
        stdlib.append("from collections.abc import Sequence")
    if names.typing:
        stdlib.append(f"from typing import {', '.join(sorted(names.typing))}")
    first_party = [f"from {mod} import {', '.join(sorted(n))}" for mod, n in names.local.items()
                   if mod.startswith("components.")]
    relative = [f"from .{mod} import {', '.join(sorted(n, key=lambda s: (s.lower(), s)))}"
                for mod, n in sorted(names.local.items(), key=lambda kv: (kv[0].lower(), kv[0]))
                if not mod.startswith("components.")]
    for group in (stdlib, sorted(first_party), relative):
        if group:
            lines += group + [""]
    if "TypeVar" in names.typing:
        lines += ['_T = TypeVar("_T")', ""]
    listed = ", ".join(f'"{n}"' for n in exported)
    lines.append(f"__all__ = [{listed}]" if exported else "__all__: list[str] = []")
    lines += body
    return "\n".join(lines).rstrip("\n") + "\n"


def emit_package_stub(modules: Sequence[tuple[str, Sequence[str]]], source: str = "idl/") -> str:
    """``__init__.pyi``: every protocol re-exported, and ``Ci`` with each interface object typed."""
    pairs = sorted((iface, mod) for mod, ifaces in modules for iface in ifaces)
    lines = [header(source).rstrip("\n"), "# Typing stub of the package's __init__.py (PEP 561).",
             "# ruff: noqa: N801, N815, N999, E501"]
    lines += ['"""Types of the bindings package: ``Ci`` and every interface\'s protocol."""', ""]
    lines += ["from collections.abc import Iterator, Mapping", "from typing import Any, Final", ""]
    lines += ["from components.bindings import InterfaceObject", ""]
    # Re-exported explicitly (``X as X``), as the package exports each interface at run time.
    exported = sorted((mod, name) for iface, mod in pairs for name in (iface, interface_object_name(iface)))
    for mod, name in sorted(exported, key=lambda p: (p[0].lower(), p[0], p[1].lower(), p[1])):
        lines.append(f"from .{mod} import {name} as {name}")
    if pairs:
        lines.append("")
    lines += ['__all__ = ["Ci", "InterfaceTable"]', "", ""]
    lines.append("class InterfaceTable(Mapping[str, InterfaceObject[Any]]):")
    lines.append(f'{INDENT}"""Every generated interface object by name; read-only."""')
    lines.append("")
    lines += [f"{INDENT}{iface}: Final[{interface_object_name(iface)}]" for iface, _ in pairs]
    if pairs:
        lines.append("")
    lines += [
        f"{INDENT}def __getitem__(self, name: str) -> InterfaceObject[Any]: ...",
        f"{INDENT}def __contains__(self, item: object) -> bool: ...",
        f"{INDENT}def __iter__(self) -> Iterator[str]: ...",
        f"{INDENT}def __len__(self) -> int: ...",
        "",
        "",
        "Ci: Final[InterfaceTable]",
    ]
    return "\n".join(lines) + "\n"
