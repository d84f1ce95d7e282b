"""The parsed XPIDL, as plain dataclasses.

This is the contract between the front end (lexer, parser, checks) and everything
that reads IDL: the emitters and ``python -m codegen parse --json``.  It holds no
behaviour beyond small read-only conveniences, and it only ever grows (fields are
added, never renamed or removed).

Shape
-----
``IDLFile``                     one parsed source file
  .path: str                    the path it was read from (as resolved)
  .productions: list[Decl]      top-level declarations in source order
  .includes: list[Include]      its ``#include`` lines (``.file`` is the parsed IDLFile)
  .scope: dict[str, Decl]       after checks: every name visible in this file,
                                including names from included files (transitively);
                                a cenum appears as ``<Iface>_<Name>``; ``.resolve(name)`` reads it
  .included_files()             every file included, transitively, each once
  .interfaces / .typedefs / .natives / .forwards / .webidls / .cdata   filtered views

Top-level declarations (``Decl``): ``Include``, ``CDATA`` (a ``%{C++`` block),
``Forward`` (``interface X;``), ``Typedef``, ``Native``, ``WebIDL``, ``Interface``.

``Interface``
  .name, .base (str | None), .base_decl (the base ``Interface`` after checks), .attrs,
  .members (source order), .doc, .location
  .uuid (lower-case str | None), .scriptable, .builtinclass, .function, .main_process_scriptable_only,
  .rust_sync, .object: conveniences reading ``attrs``
  .consts / .cenums / .attributes / .methods / .cdata: filtered views of ``members``
  .constants(): every (name, value) readable as ``Ci.nsIFoo.NAME`` in order (consts and cenum variants)

Members: ``Const`` (``.type``, ``.expr``, ``.value`` evaluated int), ``CEnum`` (``.width`` 8/16/32,
``.variants`` of ``CEnumVariant(name, value)``; used elsewhere as ``<Iface>_<Name>``, see
``.qualified_name``), ``Attribute`` (``.readonly``, ``.type``), ``Method`` (``.type`` = return type,
``.params``, ``.raises``), ``Param`` (``.direction`` in/out/inout, ``.type``), ``CDATA``.

Bracketed ``[...]`` annotations live in ``attrs: dict[str, str | None]`` in source order: the
value is ``None`` for flags (``scriptable``, ``retval``) and the argument text for
``uuid(...)``, ``binaryname(X)``, ``size_is(n)``, ``iid_is(n)``, ``default(x)``.  Each class has
read-only properties for the attributes it knows (``Param.retval``, ``Method.noscript``, ...).

Types: ``TypeRef(name, args)``; ``Array<T>`` is ``TypeRef("Array", [TypeRef("T")])``.  After
checks, ``TypeRef.kind`` says what the name resolved to: ``"builtin"``, ``"interface"``
(also forward-declared interfaces), ``"native"``, ``"typedef"``, ``"cenum"``, ``"webidl"``,
``"array"``, and ``TypeRef.target`` is the declaration (``Interface``, ``Forward``, ``Native``,
``Typedef``, ``CEnum``, ``WebIDL``; None for builtins and arrays; a ``Forward`` only when no
definition of the interface is visible in the file).  Builtin names are kept
as written (``unsigned long long``, ``uint64_t``, ``octet``...);
``BUILTIN_TYPES`` maps each to (canonical C-ish name, signed, bits); bits is 0 for the
non-integer builtins (``char16_t`` counts as a 16-bit unsigned integer, as in pyxpidl).

``Typedef``: ``.name``, ``.type``, ``.attrs`` (pyxpidl accepts and ignores attributes here).

``Native``: ``.name``, ``.cpp_type`` (verbatim text in the parentheses), ``.attrs``, and
``.ptr`` / ``.ref`` / ``.specialtype`` (one of nsid, utf8string, cstring, astring, domstring,
jsval, promise, or None) / ``.array``.

Positions: ``Location(file, line, column)``, 1-based; a declaration's location is that of its
name.  Doc comments: ``doc`` is the text of the
``/** ... */`` comments just before a declaration with the comment markers and leading ``*``
removed (several comments joined by a blank line), or ``None``.

JSON: ``obj.as_dict()`` gives plain data (each object tagged with ``"kind"``) and
``IDLFile.to_json()`` a stable, indented string.  ``scope`` and the parsed files behind
includes are left out of the JSON (only the include's name and resolved path).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# name -> (canonical fixed-width name, signed, bits).  Non-integer builtins have bits 0.
BUILTIN_TYPES: dict[str, tuple[str, bool, int]] = {
    "boolean": ("bool", False, 0),
    "void": ("void", False, 0),
    "octet": ("uint8_t", False, 8),
    "short": ("int16_t", True, 16),
    "long": ("int32_t", True, 32),
    "long long": ("int64_t", True, 64),
    "unsigned short": ("uint16_t", False, 16),
    "unsigned long": ("uint32_t", False, 32),
    "unsigned long long": ("uint64_t", False, 64),
    "int8_t": ("int8_t", True, 8),
    "int16_t": ("int16_t", True, 16),
    "int32_t": ("int32_t", True, 32),
    "int64_t": ("int64_t", True, 64),
    "uint8_t": ("uint8_t", False, 8),
    "uint16_t": ("uint16_t", False, 16),
    "uint32_t": ("uint32_t", False, 32),
    "uint64_t": ("uint64_t", False, 64),
    "nsresult": ("nsresult", False, 32),
    "MozExternalRefCountType": ("MozExternalRefCountType", False, 32),
    "float": ("float", False, 0),
    "double": ("double", False, 0),
    "char": ("char", False, 0),
    "string": ("string", False, 0),
    "wchar": ("wchar", False, 0),
    "wstring": ("wstring", False, 0),
    "char16_t": ("char16_t", False, 16),  # an integer to scripts, so usable in consts
}

# Native attributes that say what kind of value a native carries (at most one per native).
NATIVE_SPECIALTYPES = ("nsid", "utf8string", "cstring", "astring", "domstring", "jsval", "promise")


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column}


def _attrs_dict(attrs: dict[str, str | None]) -> dict[str, str | None]:
    return dict(attrs)


@dataclass
class TypeRef:
    name: str
    args: list[TypeRef] = field(default_factory=list)
    location: Location | None = None
    kind: str | None = None  # filled in by checks; see module docstring
    # Filled in by checks: the declaration the name resolved to (None for builtins and Array).
    target: Any = field(default=None, repr=False, compare=False)

    @property
    def is_array(self) -> bool:
        return self.name == "Array"

    def __str__(self) -> str:
        if not self.args:
            return self.name
        inner = ", ".join(str(a) for a in self.args)
        # A space before the closing '>' so nested generics lex back the same way.
        return f"{self.name}<{inner}{' ' if inner.endswith('>') else ''}>"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "type",
            "name": self.name,
            "args": [a.as_dict() for a in self.args],
            "resolved": self.kind,
        }


# ---------------------------------------------------------------- const expressions


@dataclass
class Num:
    value: int
    location: Location | None = None

    def __str__(self) -> str:
        return str(self.value)


@dataclass
class NameRef:
    name: str
    location: Location | None = None

    def __str__(self) -> str:
        return self.name


@dataclass
class Unary:
    op: str  # only "-"
    operand: Expr
    location: Location | None = None

    def __str__(self) -> str:
        return f"-{_paren(self.operand)}"


@dataclass
class Binary:
    op: str  # "|", "<<", ">>", "+", "-", "*"
    left: Expr
    right: Expr
    location: Location | None = None

    def __str__(self) -> str:
        return f"{_paren(self.left)} {self.op} {_paren(self.right)}"


Expr = Num | NameRef | Unary | Binary


def _paren(e: Expr) -> str:
    return f"({e})" if isinstance(e, Binary) else str(e)


# ---------------------------------------------------------------- members


@dataclass
class Const:
    name: str
    type: TypeRef
    expr: Expr
    value: int | None = None  # evaluated by checks
    doc: str | None = None
    location: Location | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "const",
            "name": self.name,
            "type": self.type.as_dict(),
            "expr": str(self.expr),
            "value": self.value,
            "doc": self.doc,
            "location": _loc(self.location),
        }


@dataclass
class CEnumVariant:
    name: str
    expr: Expr | None = None  # None: previous value + 1 (or 0 for the first)
    value: int | None = None  # evaluated by checks
    location: Location | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "cenum_variant",
            "name": self.name,
            "expr": None if self.expr is None else str(self.expr),
            "value": self.value,
            "location": _loc(self.location),
        }


@dataclass
class CEnum:
    name: str
    width: int
    variants: list[CEnumVariant] = field(default_factory=list)
    interface: str | None = None  # the interface it is declared in
    doc: str | None = None
    location: Location | None = None

    @property
    def qualified_name(self) -> str:
        """The name other declarations use for it: ``nsIFoo_Name``."""
        return f"{self.interface}_{self.name}" if self.interface else self.name

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "cenum",
            "name": self.name,
            "qualified_name": self.qualified_name,
            "width": self.width,
            "variants": [v.as_dict() for v in self.variants],
            "doc": self.doc,
            "location": _loc(self.location),
        }


@dataclass
class Attribute:
    name: str
    type: TypeRef
    readonly: bool = False
    attrs: dict[str, str | None] = field(default_factory=dict)
    doc: str | None = None
    location: Location | None = None
    attr_locations: dict[str, Location] = field(default_factory=dict, repr=False, compare=False)

    noscript = property(lambda self: "noscript" in self.attrs)
    notxpcom = property(lambda self: "notxpcom" in self.attrs)
    nostdcall = property(lambda self: "nostdcall" in self.attrs)
    infallible = property(lambda self: "infallible" in self.attrs)
    implicit_jscontext = property(lambda self: "implicit_jscontext" in self.attrs)
    must_use = property(lambda self: "must_use" in self.attrs)
    symbol = property(lambda self: "symbol" in self.attrs)
    can_run_script = property(lambda self: "can_run_script" in self.attrs)
    binaryname = property(lambda self: self.attrs.get("binaryname"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "attribute",
            "name": self.name,
            "type": self.type.as_dict(),
            "readonly": self.readonly,
            "attrs": _attrs_dict(self.attrs),
            "doc": self.doc,
            "location": _loc(self.location),
        }


@dataclass
class Param:
    name: str
    direction: str  # "in", "out", "inout"
    type: TypeRef
    attrs: dict[str, str | None] = field(default_factory=dict)
    location: Location | None = None
    attr_locations: dict[str, Location] = field(default_factory=dict, repr=False, compare=False)

    retval = property(lambda self: "retval" in self.attrs)
    optional = property(lambda self: "optional" in self.attrs)
    array = property(lambda self: "array" in self.attrs)
    const = property(lambda self: "const" in self.attrs)
    shared = property(lambda self: "shared" in self.attrs)
    size_is = property(lambda self: self.attrs.get("size_is"))
    iid_is = property(lambda self: self.attrs.get("iid_is"))
    default = property(lambda self: self.attrs.get("default"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "param",
            "name": self.name,
            "direction": self.direction,
            "type": self.type.as_dict(),
            "attrs": _attrs_dict(self.attrs),
            "location": _loc(self.location),
        }


@dataclass
class Method:
    name: str
    type: TypeRef  # the return type
    params: list[Param] = field(default_factory=list)
    raises: list[str] = field(default_factory=list)
    attrs: dict[str, str | None] = field(default_factory=dict)
    doc: str | None = None
    location: Location | None = None
    attr_locations: dict[str, Location] = field(default_factory=dict, repr=False, compare=False)

    noscript = property(lambda self: "noscript" in self.attrs)
    notxpcom = property(lambda self: "notxpcom" in self.attrs)
    nostdcall = property(lambda self: "nostdcall" in self.attrs)
    implicit_jscontext = property(lambda self: "implicit_jscontext" in self.attrs)
    optional_argc = property(lambda self: "optional_argc" in self.attrs)
    must_use = property(lambda self: "must_use" in self.attrs)
    can_run_script = property(lambda self: "can_run_script" in self.attrs)
    symbol = property(lambda self: "symbol" in self.attrs)
    infallible = property(lambda self: "infallible" in self.attrs)
    binaryname = property(lambda self: self.attrs.get("binaryname"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "method",
            "name": self.name,
            "type": self.type.as_dict(),
            "params": [p.as_dict() for p in self.params],
            "raises": list(self.raises),
            "attrs": _attrs_dict(self.attrs),
            "doc": self.doc,
            "location": _loc(self.location),
        }


@dataclass
class CDATA:
    """A ``%{C++ ... %}`` block, text kept verbatim (without the markers)."""

    text: str
    location: Location | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "cdata", "text": self.text, "location": _loc(self.location)}


Member = Const | CEnum | Attribute | Method | CDATA


# ---------------------------------------------------------------- top level


@dataclass
class Include:
    name: str  # as written in the #include line
    path: str | None = None  # resolved path
    file: IDLFile | None = field(default=None, repr=False, compare=False)
    location: Location | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "include", "name": self.name, "path": self.path, "location": _loc(self.location)}


@dataclass
class Forward:
    """``interface nsIFoo;``"""

    name: str
    doc: str | None = None
    location: Location | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "forward", "name": self.name, "doc": self.doc, "location": _loc(self.location)}


@dataclass
class WebIDL:
    """``webidl Name;``"""

    name: str
    doc: str | None = None
    location: Location | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "webidl", "name": self.name, "doc": self.doc, "location": _loc(self.location)}


@dataclass
class Typedef:
    name: str
    type: TypeRef
    doc: str | None = None
    location: Location | None = None
    attrs: dict[str, str | None] = field(default_factory=dict)  # accepted and ignored, as pyxpidl does

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "typedef",
            "name": self.name,
            "type": self.type.as_dict(),
            "attrs": _attrs_dict(self.attrs),
            "doc": self.doc,
            "location": _loc(self.location),
        }


@dataclass
class Native:
    name: str
    cpp_type: str  # verbatim text between the parentheses
    attrs: dict[str, str | None] = field(default_factory=dict)
    doc: str | None = None
    location: Location | None = None
    attr_locations: dict[str, Location] = field(default_factory=dict, repr=False, compare=False)

    ptr = property(lambda self: "ptr" in self.attrs)
    ref = property(lambda self: "ref" in self.attrs)
    array = property(lambda self: "array" in self.attrs)

    @property
    def specialtype(self) -> str | None:
        for name in NATIVE_SPECIALTYPES:
            if name in self.attrs:
                return name
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "native",
            "name": self.name,
            "cpp_type": self.cpp_type,
            "attrs": _attrs_dict(self.attrs),
            "specialtype": self.specialtype,
            "doc": self.doc,
            "location": _loc(self.location),
        }


@dataclass
class Interface:
    name: str
    base: str | None = None
    attrs: dict[str, str | None] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    doc: str | None = None
    location: Location | None = None
    attr_locations: dict[str, Location] = field(default_factory=dict, repr=False, compare=False)
    base_location: Location | None = field(default=None, repr=False, compare=False)
    # Filled in by checks: the base's Interface declaration (None for nsISupports).
    base_decl: Interface | None = field(default=None, repr=False, compare=False)

    @property
    def uuid(self) -> str | None:
        value = self.attrs.get("uuid")
        return value.lower() if value else None

    scriptable = property(lambda self: "scriptable" in self.attrs)
    builtinclass = property(lambda self: "builtinclass" in self.attrs)
    function = property(lambda self: "function" in self.attrs)
    object = property(lambda self: "object" in self.attrs)
    main_process_scriptable_only = property(lambda self: "main_process_scriptable_only" in self.attrs)
    rust_sync = property(lambda self: "rust_sync" in self.attrs)

    @property
    def consts(self) -> list[Const]:
        return [m for m in self.members if isinstance(m, Const)]

    @property
    def cenums(self) -> list[CEnum]:
        return [m for m in self.members if isinstance(m, CEnum)]

    @property
    def attributes(self) -> list[Attribute]:
        return [m for m in self.members if isinstance(m, Attribute)]

    @property
    def methods(self) -> list[Method]:
        return [m for m in self.members if isinstance(m, Method)]

    @property
    def cdata(self) -> list[CDATA]:
        return [m for m in self.members if isinstance(m, CDATA)]

    def constants(self) -> list[tuple[str, int | None]]:
        """Every constant of this interface in source order: consts and cenum variants."""
        out: list[tuple[str, int | None]] = []
        for m in self.members:
            if isinstance(m, Const):
                out.append((m.name, m.value))
            elif isinstance(m, CEnum):
                out.extend((v.name, v.value) for v in m.variants)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "interface",
            "name": self.name,
            "base": self.base,
            "uuid": self.uuid,
            "attrs": _attrs_dict(self.attrs),
            "members": [m.as_dict() for m in self.members],
            "doc": self.doc,
            "location": _loc(self.location),
        }


Decl = Include | CDATA | Forward | WebIDL | Typedef | Native | Interface


@dataclass
class IDLFile:
    path: str
    productions: list[Decl] = field(default_factory=list)
    scope: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def includes(self) -> list[Include]:
        return [p for p in self.productions if isinstance(p, Include)]

    @property
    def interfaces(self) -> list[Interface]:
        return [p for p in self.productions if isinstance(p, Interface)]

    @property
    def typedefs(self) -> list[Typedef]:
        return [p for p in self.productions if isinstance(p, Typedef)]

    @property
    def natives(self) -> list[Native]:
        return [p for p in self.productions if isinstance(p, Native)]

    @property
    def forwards(self) -> list[Forward]:
        return [p for p in self.productions if isinstance(p, Forward)]

    @property
    def webidls(self) -> list[WebIDL]:
        return [p for p in self.productions if isinstance(p, WebIDL)]

    @property
    def cdata(self) -> list[CDATA]:
        return [p for p in self.productions if isinstance(p, CDATA)]

    def included_files(self) -> list[IDLFile]:
        """Every file this one includes, transitively, each once, depth first."""
        seen: dict[str, IDLFile] = {}

        def walk(f: IDLFile) -> None:
            for inc in f.includes:
                if inc.file is not None and inc.file.path not in seen:
                    seen[inc.file.path] = inc.file
                    walk(inc.file)

        walk(self)
        return list(seen.values())

    def resolve(self, name: str) -> Any:
        """The declaration a name refers to in this file (after checks), or None."""
        return self.scope.get(name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "file",
            "path": self.path,
            "productions": [p.as_dict() for p in self.productions],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, sort_keys=False) + "\n"


def _loc(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else loc.as_dict()
