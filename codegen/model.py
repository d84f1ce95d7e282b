"""The parsed XPIDL, as plain classes.

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

TYPE_CHECKING = False  # see codegen/__init__.py: no typing at run time
if TYPE_CHECKING:
    from typing import Any, ClassVar

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


class _Record:
    """What the model classes share: equality over, and a repr of, the fields that identify a
    value (``_fields``; the links filled in by checks and the parsed file behind an include are
    left out, as they were from the dataclasses' comparisons), and, being mutable, no hash.

    Plain classes with hand-written ``__init__`` rather than dataclasses: ``python -m codegen
    parse`` runs once per file in a build, and building twenty dataclasses (and importing
    ``dataclasses`` with ``inspect``) cost about a fifth of its run."""

    _fields: ClassVar[tuple[str, ...]] = ()
    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields)

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({shown})"


class Location:
    __slots__ = ("file", "line", "column")
    file: str
    line: int
    column: int

    def __init__(self, file: str, line: int, column: int) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a Location is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a Location is immutable")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Location)
        return (self.file, self.line, self.column) == (other.file, other.line, other.column)

    def __hash__(self) -> int:
        return hash((self.file, self.line, self.column))

    def __repr__(self) -> str:
        return f"Location(file={self.file!r}, line={self.line!r}, column={self.column!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Location, (self.file, self.line, self.column))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column}


def _attrs_dict(attrs: dict[str, str | None]) -> dict[str, str | None]:
    return dict(attrs)


class TypeRef(_Record):
    _fields = ("name", "args", "location", "kind")
    name: str
    args: list[TypeRef]
    location: Location | None
    kind: str | None  # filled in by checks; see module docstring
    # Filled in by checks: the declaration the name resolved to (None for builtins and Array).
    target: Any

    def __init__(
        self,
        name: str,
        args: list[TypeRef] | None = None,
        location: Location | None = None,
        kind: str | None = None,
        target: Any = None,
    ) -> None:
        self.name = name
        self.args = [] if args is None else args
        self.location = location
        self.kind = kind
        self.target = target

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


class Num(_Record):
    _fields = ("value", "location")
    value: int
    location: Location | None

    def __init__(self, value: int, location: Location | None = None) -> None:
        self.value = value
        self.location = location

    def __str__(self) -> str:
        return str(self.value)


class NameRef(_Record):
    _fields = ("name", "location")
    name: str
    location: Location | None

    def __init__(self, name: str, location: Location | None = None) -> None:
        self.name = name
        self.location = location

    def __str__(self) -> str:
        return self.name


class Unary(_Record):
    _fields = ("op", "operand", "location")
    op: str  # only "-"
    operand: Expr
    location: Location | None

    def __init__(self, op: str, operand: Expr, location: Location | None = None) -> None:
        self.op = op
        self.operand = operand
        self.location = location

    def __str__(self) -> str:
        return f"-{_paren(self.operand)}"


class Binary(_Record):
    _fields = ("op", "left", "right", "location")
    op: str  # "|", "<<", ">>", "+", "-", "*"
    left: Expr
    right: Expr
    location: Location | None

    def __init__(self, op: str, left: Expr, right: Expr, location: Location | None = None) -> None:
        self.op = op
        self.left = left
        self.right = right
        self.location = location

    def __str__(self) -> str:
        return f"{_paren(self.left)} {self.op} {_paren(self.right)}"


Expr = Num | NameRef | Unary | Binary


def _paren(e: Expr) -> str:
    return f"({e})" if isinstance(e, Binary) else str(e)


# ---------------------------------------------------------------- members


class Const(_Record):
    _fields = ("name", "type", "expr", "value", "doc", "location")
    name: str
    type: TypeRef
    expr: Expr
    value: int | None  # evaluated by checks
    doc: str | None
    location: Location | None

    def __init__(
        self,
        name: str,
        type: TypeRef,
        expr: Expr,
        value: int | None = None,
        doc: str | None = None,
        location: Location | None = None,
    ) -> None:
        self.name = name
        self.type = type
        self.expr = expr
        self.value = value
        self.doc = doc
        self.location = location

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


class CEnumVariant(_Record):
    _fields = ("name", "expr", "value", "location")
    name: str
    expr: Expr | None  # None: previous value + 1 (or 0 for the first)
    value: int | None  # evaluated by checks
    location: Location | None

    def __init__(
        self,
        name: str,
        expr: Expr | None = None,
        value: int | None = None,
        location: Location | None = None,
    ) -> None:
        self.name = name
        self.expr = expr
        self.value = value
        self.location = location

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "cenum_variant",
            "name": self.name,
            "expr": None if self.expr is None else str(self.expr),
            "value": self.value,
            "location": _loc(self.location),
        }


class CEnum(_Record):
    _fields = ("name", "width", "variants", "interface", "doc", "location")
    name: str
    width: int
    variants: list[CEnumVariant]
    interface: str | None  # the interface it is declared in
    doc: str | None
    location: Location | None

    def __init__(
        self,
        name: str,
        width: int,
        variants: list[CEnumVariant] | None = None,
        interface: str | None = None,
        doc: str | None = None,
        location: Location | None = None,
    ) -> None:
        self.name = name
        self.width = width
        self.variants = [] if variants is None else variants
        self.interface = interface
        self.doc = doc
        self.location = location

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


class Attribute(_Record):
    _fields = ("name", "type", "readonly", "attrs", "doc", "location")
    name: str
    type: TypeRef
    readonly: bool
    attrs: dict[str, str | None]
    doc: str | None
    location: Location | None
    attr_locations: dict[str, Location]

    def __init__(
        self,
        name: str,
        type: TypeRef,
        readonly: bool = False,
        attrs: dict[str, str | None] | None = None,
        doc: str | None = None,
        location: Location | None = None,
        attr_locations: dict[str, Location] | None = None,
    ) -> None:
        self.name = name
        self.type = type
        self.readonly = readonly
        self.attrs = {} if attrs is None else attrs
        self.doc = doc
        self.location = location
        self.attr_locations = {} if attr_locations is None else attr_locations

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


class Param(_Record):
    _fields = ("name", "direction", "type", "attrs", "location")
    name: str
    direction: str  # "in", "out", "inout"
    type: TypeRef
    attrs: dict[str, str | None]
    location: Location | None
    attr_locations: dict[str, Location]

    def __init__(
        self,
        name: str,
        direction: str,
        type: TypeRef,
        attrs: dict[str, str | None] | None = None,
        location: Location | None = None,
        attr_locations: dict[str, Location] | None = None,
    ) -> None:
        self.name = name
        self.direction = direction
        self.type = type
        self.attrs = {} if attrs is None else attrs
        self.location = location
        self.attr_locations = {} if attr_locations is None else attr_locations

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


class Method(_Record):
    _fields = ("name", "type", "params", "raises", "attrs", "doc", "location")
    name: str
    type: TypeRef  # the return type
    params: list[Param]
    raises: list[str]
    attrs: dict[str, str | None]
    doc: str | None
    location: Location | None
    attr_locations: dict[str, Location]

    def __init__(
        self,
        name: str,
        type: TypeRef,
        params: list[Param] | None = None,
        raises: list[str] | None = None,
        attrs: dict[str, str | None] | None = None,
        doc: str | None = None,
        location: Location | None = None,
        attr_locations: dict[str, Location] | None = None,
    ) -> None:
        self.name = name
        self.type = type
        self.params = [] if params is None else params
        self.raises = [] if raises is None else raises
        self.attrs = {} if attrs is None else attrs
        self.doc = doc
        self.location = location
        self.attr_locations = {} if attr_locations is None else attr_locations

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


class CDATA(_Record):
    """A ``%{C++ ... %}`` block, text kept verbatim (without the markers)."""

    _fields = ("text", "location")
    text: str
    location: Location | None

    def __init__(self, text: str, location: Location | None = None) -> None:
        self.text = text
        self.location = location

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "cdata", "text": self.text, "location": _loc(self.location)}


Member = Const | CEnum | Attribute | Method | CDATA


# ---------------------------------------------------------------- top level


class Include(_Record):
    _fields = ("name", "path", "location")
    name: str  # as written in the #include line
    path: str | None  # resolved path
    file: IDLFile | None
    location: Location | None

    def __init__(
        self,
        name: str,
        path: str | None = None,
        file: IDLFile | None = None,
        location: Location | None = None,
    ) -> None:
        self.name = name
        self.path = path
        self.file = file
        self.location = location

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "include", "name": self.name, "path": self.path, "location": _loc(self.location)}


class Forward(_Record):
    """``interface nsIFoo;``"""

    _fields = ("name", "doc", "location")
    name: str
    doc: str | None
    location: Location | None

    def __init__(self, name: str, doc: str | None = None, location: Location | None = None) -> None:
        self.name = name
        self.doc = doc
        self.location = location

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "forward", "name": self.name, "doc": self.doc, "location": _loc(self.location)}


class WebIDL(_Record):
    """``webidl Name;``"""

    _fields = ("name", "doc", "location")
    name: str
    doc: str | None
    location: Location | None

    def __init__(self, name: str, doc: str | None = None, location: Location | None = None) -> None:
        self.name = name
        self.doc = doc
        self.location = location

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "webidl", "name": self.name, "doc": self.doc, "location": _loc(self.location)}


class Typedef(_Record):
    _fields = ("name", "type", "doc", "location", "attrs")
    name: str
    type: TypeRef
    doc: str | None
    location: Location | None
    attrs: dict[str, str | None]  # accepted and ignored, as pyxpidl does

    def __init__(
        self,
        name: str,
        type: TypeRef,
        doc: str | None = None,
        location: Location | None = None,
        attrs: dict[str, str | None] | None = None,
    ) -> None:
        self.name = name
        self.type = type
        self.doc = doc
        self.location = location
        self.attrs = {} if attrs is None else attrs

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "typedef",
            "name": self.name,
            "type": self.type.as_dict(),
            "attrs": _attrs_dict(self.attrs),
            "doc": self.doc,
            "location": _loc(self.location),
        }


class Native(_Record):
    _fields = ("name", "cpp_type", "attrs", "doc", "location")
    name: str
    cpp_type: str  # verbatim text between the parentheses
    attrs: dict[str, str | None]
    doc: str | None
    location: Location | None
    attr_locations: dict[str, Location]

    def __init__(
        self,
        name: str,
        cpp_type: str,
        attrs: dict[str, str | None] | None = None,
        doc: str | None = None,
        location: Location | None = None,
        attr_locations: dict[str, Location] | None = None,
    ) -> None:
        self.name = name
        self.cpp_type = cpp_type
        self.attrs = {} if attrs is None else attrs
        self.doc = doc
        self.location = location
        self.attr_locations = {} if attr_locations is None else attr_locations

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


class Interface(_Record):
    _fields = ("name", "base", "attrs", "members", "doc", "location")
    name: str
    base: str | None
    attrs: dict[str, str | None]
    members: list[Member]
    doc: str | None
    location: Location | None
    attr_locations: dict[str, Location]
    base_location: Location | None
    # Filled in by checks: the base's Interface declaration (None for nsISupports).
    base_decl: Interface | None

    def __init__(
        self,
        name: str,
        base: str | None = None,
        attrs: dict[str, str | None] | None = None,
        members: list[Member] | None = None,
        doc: str | None = None,
        location: Location | None = None,
        attr_locations: dict[str, Location] | None = None,
        base_location: Location | None = None,
        base_decl: Interface | None = None,
    ) -> None:
        self.name = name
        self.base = base
        self.attrs = {} if attrs is None else attrs
        self.members = [] if members is None else members
        self.doc = doc
        self.location = location
        self.attr_locations = {} if attr_locations is None else attr_locations
        self.base_location = base_location
        self.base_decl = base_decl

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


class IDLFile(_Record):
    _fields = ("path", "productions")
    path: str
    productions: list[Decl]
    scope: dict[str, Any]

    def __init__(
        self,
        path: str,
        productions: list[Decl] | None = None,
        scope: dict[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.productions = [] if productions is None else productions
        self.scope = {} if scope is None else scope

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
        return dumps_json(self.as_dict()) + "\n"


def _loc(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else loc.as_dict()


# ---------------------------------------------------------------- JSON


def dumps_json(value: Any) -> str:
    """``json.dumps(value, indent=2)``, byte for byte, for the plain data ``as_dict`` gives.

    Written out because ``json`` encodes indented output in pure Python, through a generator
    per container: for one file's model that cost more than parsing it.  Strings go through
    the same C escaper ``json`` uses; anything but str, int, bool, None, list, tuple and dict
    (with str keys) is handed to ``json`` itself."""
    out: list[str] = []
    _write_json(value, out, "\n")
    return "".join(out)


def _write_json(value: Any, out: list[str], newline: str) -> None:
    if value.__class__ is str:
        out.append(_quote(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value.__class__ is int:
        out.append(int.__repr__(value))
    elif value.__class__ is dict and all(k.__class__ is str for k in value):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        out.append("{")
        separator = inner
        for key, item in value.items():
            out.append(separator)
            out.append(_quote(key))
            out.append(": ")
            _write_json(item, out, inner)
            separator = "," + inner
        out.append(newline + "}")
    elif value.__class__ in (list, tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        out.append("[")
        separator = inner
        for item in value:
            out.append(separator)
            _write_json(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    else:  # floats, subclasses, other keys: json's own rules, at this indentation
        import json

        out.append(json.dumps(value, indent=2).replace("\n", newline))


try:
    from _json import encode_basestring_ascii as _quote
except ImportError:  # pragma: no cover - an interpreter without the C accelerator
    from json.encoder import py_encode_basestring_ascii as _quote
