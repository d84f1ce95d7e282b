"""Name resolution and the semantic rules pyxpidl enforces.

Theory of operation
-------------------
A file is checked after every file it includes (the loader sees to that), in one pass
over its productions in source order, as pyxpidl resolves them:

* an ``#include`` makes the included file's whole scope visible from that line on;
* a declaration enters the scope when it is reached, so a name is usable only after
  its declaration (forward declarations exist for that), except that an interface's
  own name is usable inside its body;
* a cenum becomes visible to the rest of the file as ``<Interface>_<Name>``;
* constants are evaluated with unbounded integers, in order, and may name earlier
  constants of the same interface or any of its bases.

Checks annotate the model as they go: ``TypeRef.kind``/``.target``, ``Const.value``,
``CEnumVariant.value`` and ``IDLFile.scope``.  The first violation raises ``IDLError``
at the place it is about.
"""

from __future__ import annotations

from collections import ChainMap

from codegen import model as m
from codegen.errors import IDLError
from codegen.lexer import is_iid

TYPE_CHECKING = False  # see codegen/__init__.py: no typing at run time
if TYPE_CHECKING:
    from collections.abc import Mapping, MutableMapping
    from typing import Any


# Integer builtins a const may have (nsresult and refcounts are not constants' types).
INTEGER_TYPES = {
    name
    for name, (_, _, bits) in m.BUILTIN_TYPES.items()
    if bits and name not in ("nsresult", "MozExternalRefCountType")
}  # includes char16_t, which scripts see as a number

INTERFACE_ATTRIBUTES = {
    "uuid",
    "scriptable",
    "builtinclass",
    "function",
    "object",
    "main_process_scriptable_only",
    "rust_sync",
}
METHOD_ATTRIBUTES = {
    "binaryname",
    "noscript",
    "notxpcom",
    "nostdcall",
    "symbol",
    "implicit_jscontext",
    "optional_argc",
    "must_use",
    "can_run_script",
    "infallible",
}
ATTRIBUTE_ATTRIBUTES = (METHOD_ATTRIBUTES - {"optional_argc"}) | {
    "setter_can_run_script",
    "getter_can_run_script",
}
PARAM_ATTRIBUTES = {"size_is", "iid_is", "default", "const", "array", "retval", "shared", "optional"}
NATIVE_ATTRIBUTES = {"ptr", "ref", "array", *m.NATIVE_SPECIALTYPES}

# Attributes that carry a value, ``name(value)``; every other attribute is a flag.
VALUED = {"uuid", "binaryname", "size_is", "iid_is", "default"}


# More than this many vtable slots breaks the xptcall stubs of non-builtinclass interfaces.
MAX_VTABLE_SLOTS = 250

INT32 = (-(2**31), 2**31 - 1)
UINT32 = (0, 2**32 - 1)


def check_file(idl: m.IDLFile) -> None:
    """Resolve and check ``idl`` (whose includes are already checked); fills ``idl.scope``."""
    _FileChecker(idl).run()


def check_attributes(
    kind: str, attrs: dict[str, str | None], locations: dict[str, m.Location], allowed: set[str]
) -> None:
    """Known attribute names only; values exactly where a value belongs."""
    for name, value in attrs.items():
        loc = locations.get(name)
        if name not in allowed:
            raise IDLError(f"unexpected attribute '{name}' on {kind}", loc)
        if name in VALUED and value is None:
            raise IDLError(f"attribute '{name}' needs a value: {name}(...)", loc)
        if name not in VALUED and value is not None:
            raise IDLError(f"attribute '{name}' takes no value", loc)


# Constants are evaluated with unbounded integers, as pyxpidl does, but hostile input
# (``1 << 99999999``, or squaring a hundred times) must not eat the machine: no
# intermediate value may need more bits than this.  Real constants need 33 at most.
MAX_INTERMEDIATE_BITS = 4096


def evaluate(expr: m.Expr, lookup: Any) -> int:
    """The value of a constant expression; ``lookup(NameRef)`` gives a name's value."""
    if isinstance(expr, m.Num):
        return expr.value
    if isinstance(expr, m.NameRef):
        return int(lookup(expr))
    if isinstance(expr, m.Unary):
        return -evaluate(expr.operand, lookup)
    left = evaluate(expr.left, lookup)
    right = evaluate(expr.right, lookup)
    op = expr.op
    if op in ("<<", ">>"):
        if right < 0:
            raise IDLError(f"negative shift count {right}", expr.location)
        if op == ">>":
            return left >> right
        if right > MAX_INTERMEDIATE_BITS:
            raise IDLError(f"shift count {right} is too large", expr.location)
        value = left << right
    elif op == "|":
        value = left | right
    elif op == "+":
        value = left + right
    elif op == "-":
        value = left - right
    elif op == "*":
        value = left * right
    else:
        raise AssertionError(op)
    if value.bit_length() > MAX_INTERMEDIATE_BITS:
        raise IDLError(f"constant expression exceeds {MAX_INTERMEDIATE_BITS} bits", expr.location)
    return value


class _FileChecker:
    def __init__(self, idl: m.IDLFile):
        self.idl = idl
        self.scope: dict[str, Any] = idl.scope
        self.forward_refs: list[m.TypeRef] = []  # types that resolved to a forward declaration
        # Per interface (by id; every interface stays alive in the scope during the run):
        # the constants readable through it, and its vtable size, base included.  Caching
        # them keeps long inheritance chains linear instead of quadratic.
        self.constants_of: dict[int, ChainMap[str, int | None]] = {}
        self.slots_of: dict[int, int] = {}

    # -- scope -----------------------------------------------------------------------

    def declare(self, name: str, decl: Any) -> None:
        if name in m.BUILTIN_TYPES:
            raise IDLError(f"'{name}' is a builtin type and cannot be redeclared", decl.location)
        old = self.scope.get(name)
        if old is None or old is decl:
            self.scope[name] = decl
            return
        if isinstance(old, m.Forward) and isinstance(decl, m.Interface):
            self.scope[name] = decl
            return
        if isinstance(old, m.Interface) and isinstance(decl, m.Forward):
            return
        if _same_declaration(old, decl):
            return
        where = f" (first declared at {old.location})" if old.location else ""
        raise IDLError(f"'{name}' is declared twice{where}", decl.location)

    def lookup(self, name: str) -> Any:
        return self.scope.get(name)

    # -- types -----------------------------------------------------------------------

    def resolve_type(self, t: m.TypeRef) -> None:
        if t.args or t.name == "Array":
            if t.name != "Array":
                raise IDLError(f"'{t.name}' is not a generic type", t.location)
            if len(t.args) != 1:
                raise IDLError("Array takes exactly one type parameter: Array<T>", t.location)
            self.resolve_type(t.args[0])
            t.kind = "array"
            return
        if t.name in m.BUILTIN_TYPES:
            t.kind = "builtin"
            return
        decl = self.lookup(t.name)
        if decl is None:
            raise IDLError(f"unknown type '{t.name}'", t.location)
        kinds = {
            m.Interface: "interface",
            m.Forward: "interface",
            m.Native: "native",
            m.Typedef: "typedef",
            m.CEnum: "cenum",
            m.WebIDL: "webidl",
        }
        t.kind = kinds[type(decl)]
        t.target = decl
        if isinstance(decl, m.Forward):
            self.forward_refs.append(t)

    @staticmethod
    def underlying(t: m.TypeRef) -> tuple[str, Any]:
        """(kind, builtin name or declaration) once typedefs are looked through."""
        seen = 0
        while t.kind == "typedef" and seen < 1000:
            t = t.target.type
            seen += 1
        if t.kind == "builtin":
            return "builtin", t.name
        return t.kind or "", t.target

    def is_scriptable(self, t: m.TypeRef) -> bool:
        """Whether scripts can see a value of this type (pyxpidl's rule for [noscript])."""
        kind, decl = self.underlying(t)
        if kind == "array":
            inner = t
            while inner.kind == "typedef":
                inner = inner.target.type
            return self.is_scriptable(inner.args[0])
        if kind == "interface":
            # A name only forward-declared cannot be judged: it is given the benefit of the doubt.
            return not isinstance(decl, m.Interface) or decl.scriptable
        if kind == "native":
            return decl.specialtype is not None  # raw C++ types are invisible to scripts
        return True  # builtins, cenums, webidl types

    # -- the pass --------------------------------------------------------------------

    def run(self) -> None:
        for production in self.idl.productions:
            if isinstance(production, m.Include):
                assert production.file is not None
                for name, decl in production.file.scope.items():
                    self.declare(name, decl)
            elif isinstance(production, (m.Forward, m.WebIDL)):
                self.declare(production.name, production)
            elif isinstance(production, m.Typedef):
                self.check_typedef(production)
            elif isinstance(production, m.Native):
                self.check_native(production)
            elif isinstance(production, m.Interface):
                self.check_interface(production)
        # A type used while only forward-declared points at the interface itself when the
        # file (or an include) defines it after all, so emitters can follow it.
        for t in self.forward_refs:
            defined = self.scope.get(t.name)
            if isinstance(defined, m.Interface):
                t.target = defined

    def check_typedef(self, td: m.Typedef) -> None:
        self.resolve_type(td.type)
        if td.type.kind not in ("builtin", "cenum", "native", "typedef"):
            raise IDLError(
                f"typedef '{td.name}' must name a builtin, native, cenum or typedef type, "
                f"not {td.type.kind} '{td.type}'",
                td.type.location,
            )
        self.declare(td.name, td)

    def check_native(self, native: m.Native) -> None:
        check_attributes("native", native.attrs, native.attr_locations, NATIVE_ATTRIBUTES)
        if native.ptr and native.ref:
            raise IDLError(f"native '{native.name}' cannot be both [ptr] and [ref]", native.location)
        special = [a for a in native.attrs if a in m.NATIVE_SPECIALTYPES]
        if len(special) > 1:
            raise IDLError(
                f"native '{native.name}' has more than one kind: " + ", ".join(special),
                native.attr_locations.get(special[1], native.location),
            )
        self.declare(native.name, native)

    # -- interfaces ------------------------------------------------------------------

    def check_interface(self, iface: m.Interface) -> None:
        check_attributes("interface", iface.attrs, iface.attr_locations, INTERFACE_ATTRIBUTES)
        self.declare(iface.name, iface)
        uuid = iface.attrs.get("uuid")
        if uuid is None:
            raise IDLError(f"interface '{iface.name}' has no uuid", iface.location)
        if len(uuid) != 36 or not is_iid(uuid):
            raise IDLError(f"malformed uuid '{uuid}'", iface.attr_locations.get("uuid"))
        if iface.builtinclass and not iface.scriptable:
            raise IDLError(
                f"[builtinclass] interface '{iface.name}' must also be [scriptable]",
                iface.attr_locations.get("builtinclass"),
            )
        if iface.function and len(iface.methods) > 1:
            raise IDLError(f"[function] interface '{iface.name}' has more than one method", iface.location)
        base = self.check_base(iface)
        iface.base_decl = base
        # Constants visible so far: the bases' (nearest wins), then this interface's in order.
        base_env = self.visible_constants(base) if base is not None else ChainMap()
        env: ChainMap[str, int | None] = base_env.new_child()
        self.constants_of[id(iface)] = env

        members: dict[str, Any] = {}

        def add_member(name: str, member: Any) -> None:
            if name in members:
                prev = members[name].location
                where = f" (line {prev.line})" if prev else ""
                raise IDLError(f"'{name}' is already a member of '{iface.name}'{where}", member.location)
            members[name] = member

        for member in iface.members:
            if isinstance(member, m.CDATA):
                self.check_cdata(member)
                continue
            self.check_member_name(member)
            add_member(member.name, member)
            if isinstance(member, m.Const):
                self.check_const(member, env)
                env[member.name] = member.value
            elif isinstance(member, m.CEnum):
                self.check_cenum(member, env)
                for variant in member.variants:
                    self.check_member_name(variant)
                    add_member(variant.name, variant)
            elif isinstance(member, m.Attribute):
                self.check_attribute(iface, member)
            else:
                self.check_method(iface, member)

        if not iface.builtinclass:
            slots = self.vtable_slots(iface)
            if slots > MAX_VTABLE_SLOTS:
                raise IDLError(
                    f"interface '{iface.name}' has {slots} vtable slots, more than {MAX_VTABLE_SLOTS}; "
                    "make it [builtinclass] or split it",
                    iface.location,
                )

    def visible_constants(self, iface: m.Interface) -> ChainMap[str, int | None]:
        """Constants readable through ``iface``: its own, then its bases' (nearest wins)."""
        cached = self.constants_of.get(id(iface))
        if cached is not None:
            return cached
        # An interface from an included file: build its chain once, from the root down.
        chain: list[m.Interface] = []
        current: m.Interface | None = iface
        while current is not None and id(current) not in self.constants_of and current not in chain:
            chain.append(current)
            current = current.base_decl
        env: ChainMap[str, int | None] = self.constants_of[id(current)] if current is not None else ChainMap()
        for link in reversed(chain):
            env = env.new_child(dict(link.constants()))
            self.constants_of[id(link)] = env
        return env

    def vtable_slots(self, iface: m.Interface) -> int:
        """Methods plus getters and setters, this interface's and its bases'."""
        cached = self.slots_of.get(id(iface))
        if cached is not None:
            return cached
        chain: list[m.Interface] = []
        current: m.Interface | None = iface
        while current is not None and id(current) not in self.slots_of and current not in chain:
            chain.append(current)
            current = current.base_decl
        total = self.slots_of[id(current)] if current is not None else 0
        for link in reversed(chain):
            for member in link.members:
                if isinstance(member, m.Method):
                    total += 1
                elif isinstance(member, m.Attribute):
                    total += 1 if member.readonly else 2
            self.slots_of[id(link)] = total
        return total

    def check_base(self, iface: m.Interface) -> m.Interface | None:
        if iface.base is None:
            if iface.name != "nsISupports":
                raise IDLError(
                    f"interface '{iface.name}' must derive from another interface (at least nsISupports)",
                    iface.location,
                )
            return None
        base = self.lookup(iface.base)
        loc = iface.base_location or iface.location
        if base is None:
            raise IDLError(f"unknown base interface '{iface.base}'", loc)
        if isinstance(base, m.Forward):
            raise IDLError(
                f"base interface '{iface.base}' is only forward-declared; include its IDL file", loc
            )
        if not isinstance(base, m.Interface):
            raise IDLError(f"base '{iface.base}' of interface '{iface.name}' is not an interface", loc)
        if base is iface:
            raise IDLError(f"interface '{iface.name}' cannot derive from itself", loc)
        if iface.scriptable and not base.scriptable:
            raise IDLError(
                f"scriptable interface '{iface.name}' cannot derive from non-scriptable '{base.name}'", loc
            )
        if base.rust_sync and not iface.rust_sync:
            raise IDLError(
                f"interface '{iface.name}' derives from [rust_sync] '{base.name}' "
                "so it must be [rust_sync] too",
                loc,
            )
        if iface.rust_sync and iface.scriptable and not iface.builtinclass:
            raise IDLError(
                f"[rust_sync] interface '{iface.name}' is scriptable, so it must be [builtinclass]",
                iface.attr_locations.get("rust_sync", iface.location),
            )
        if iface.scriptable and base.builtinclass and not iface.builtinclass:
            raise IDLError(
                f"interface '{iface.name}' derives from [builtinclass] '{base.name}' "
                "so it must be [builtinclass] too",
                loc,
            )
        return base

    @staticmethod
    def check_member_name(member: Any) -> None:
        if member.name in m.BUILTIN_TYPES:
            raise IDLError(
                f"'{member.name}' is a builtin type name and cannot name a member", member.location
            )

    def check_cdata(self, cdata: m.CDATA) -> None:
        if "virtual" not in cdata.text:  # the usual case, answered without importing re
            return
        import re

        found = re.search(r"\bvirtual\b", cdata.text)
        if found is None:
            return
        loc = cdata.location
        if loc is not None:
            # The block's text starts on the line after '%{C++'.
            before = cdata.text[: found.start()]
            line = loc.line + 1 + before.count("\n")
            column = found.start() - (before.rfind("\n") + 1) + 1
            loc = m.Location(loc.file, line, column)
        raise IDLError("%{C++ blocks inside an interface cannot declare virtual members", loc)

    def check_const(self, const: m.Const, env: MutableMapping[str, int | None]) -> None:
        self.resolve_type(const.type)
        kind, name = self.underlying(const.type)
        if kind != "builtin" or name not in INTEGER_TYPES:
            raise IDLError(
                f"const '{const.name}' must have an integer type, not '{const.type}'", const.type.location
            )
        value = self.evaluate(env, const.expr)
        signed = m.BUILTIN_TYPES[name][1]
        low, high = INT32 if signed else UINT32
        if not low <= value <= high:
            range_name = "int32" if signed else "uint32"
            raise IDLError(
                f"value {value} of const '{const.name}' is out of {range_name} range", const.location
            )
        const.value = value

    def check_cenum(self, cenum: m.CEnum, env: MutableMapping[str, int | None]) -> None:
        if cenum.width not in (8, 16, 32):
            raise IDLError(
                f"cenum '{cenum.name}' width must be 8, 16 or 32, not {cenum.width}", cenum.location
            )
        previous = -1
        for variant in cenum.variants:
            # pyxpidl does not check the values against the width; neither do we.
            value = previous + 1 if variant.expr is None else self.evaluate(env, variant.expr)
            variant.value = value
            env[variant.name] = value  # later variants may name earlier ones
            previous = value
        self.declare(cenum.qualified_name, cenum)

    @staticmethod
    def evaluate(env: Mapping[str, int | None], expr: m.Expr) -> int:
        def lookup(ref: m.NameRef) -> int:
            value = env.get(ref.name)
            if value is None:
                raise IDLError(f"unknown constant '{ref.name}'", ref.location)
            return value

        return evaluate(expr, lookup)

    # -- attributes and methods ------------------------------------------------------

    def check_member_flags(self, iface: m.Interface, member: m.Attribute | m.Method, kind: str) -> None:
        """[infallible] soundness, and what forces an interface to be [builtinclass]."""
        if member.infallible:
            where = member.attr_locations.get("infallible", member.location)
            if member.type.kind not in ("builtin", "interface", "webidl", "cenum"):
                raise IDLError(
                    f"[infallible] {kind} '{member.name}' must have a builtin, interface, webidl or cenum "
                    f"type, not '{member.type}'",
                    where,
                )
            if iface.scriptable and not iface.builtinclass:
                raise IDLError(f"[infallible] {kind} '{member.name}' needs a [builtinclass] interface", where)
            if member.notxpcom:
                raise IDLError(f"[infallible] cannot be combined with [notxpcom] on '{member.name}'", where)
        # Scripts could implement a scriptable interface that is not builtinclass, and
        # XPConnect cannot call such an implementation with these calling conventions.
        if not iface.scriptable or iface.builtinclass or iface.name == "nsISupports":
            return
        if member.notxpcom or member.nostdcall:
            flag = "notxpcom" if member.notxpcom else "nostdcall"
            raise IDLError(
                f"scriptable interface '{iface.name}' has a [{flag}] {kind} '{member.name}', "
                "so it must be [builtinclass]",
                member.attr_locations.get(flag, member.location),
            )
        if isinstance(member, m.Method):
            for param in member.params:
                if param.direction == "in" and self.by_value_native(param.type):
                    raise IDLError(
                        f"scriptable interface '{iface.name}' has method '{member.name}' taking the native "
                        f"'{param.type}' by value (parameter '{param.name}'), so it must be [builtinclass]",
                        param.location,
                    )
        elif not member.readonly and self.by_value_native(member.type):
            raise IDLError(
                f"scriptable interface '{iface.name}' has writable attribute '{member.name}' of the "
                f"by-value native type '{member.type}', so it must be [builtinclass]",
                member.location,
            )

    def by_value_native(self, t: m.TypeRef) -> bool:
        """A native with neither [ptr]/[ref] nor a kind: a raw C++ value."""
        kind, decl = self.underlying(t)
        return kind == "native" and decl.specialtype is None and not (decl.ptr or decl.ref)

    @staticmethod
    def visible_to_scripts(iface: m.Interface, member: m.Attribute | m.Method) -> bool:
        return iface.scriptable and not (member.noscript or member.notxpcom or member.nostdcall)

    def check_attribute(self, iface: m.Interface, attr: m.Attribute) -> None:
        check_attributes("attribute", attr.attrs, attr.attr_locations, ATTRIBUTE_ATTRIBUTES)
        if "can_run_script" in attr.attrs:
            for redundant in ("setter_can_run_script", "getter_can_run_script"):
                if redundant in attr.attrs:
                    raise IDLError(
                        f"[{redundant}] is redundant next to [can_run_script]",
                        attr.attr_locations.get(redundant),
                    )
        self.resolve_type(attr.type)
        self.check_member_flags(iface, attr, "attribute")
        if self.visible_to_scripts(iface, attr) and not self.is_scriptable(attr.type):
            raise IDLError(
                f"attribute '{attr.name}' has the non-scriptable type '{attr.type}', "
                "so it must be [noscript]",
                attr.location,
            )

    def check_method(self, iface: m.Interface, method: m.Method) -> None:
        check_attributes("method", method.attrs, method.attr_locations, METHOD_ATTRIBUTES)
        self.resolve_type(method.type)
        params: dict[str, m.Param] = {}
        for param in method.params:
            check_attributes("parameter", param.attrs, param.attr_locations, PARAM_ATTRIBUTES)
            if param.name in params:
                raise IDLError(
                    f"method '{method.name}' has two parameters named '{param.name}'", param.location
                )
            self.check_member_name(param)
            params[param.name] = param
            self.resolve_type(param.type)
        for i, param in enumerate(method.params):
            if param.retval and i != len(method.params) - 1:
                raise IDLError(
                    f"[retval] parameter '{param.name}' must be the last parameter",
                    param.attr_locations.get("retval", param.location),
                )
            if param.size_is is not None:
                target = self.param_target(method, param, "size_is", params)
                kind, name = self.underlying(target.type)
                if kind != "builtin" or m.BUILTIN_TYPES[name][0] != "uint32_t":
                    raise IDLError(
                        f"size_is parameter '{target.name}' must be an unsigned long (uint32_t), "
                        f"not '{target.type}'",
                        param.attr_locations.get("size_is", param.location),
                    )
            if param.iid_is is not None:
                target = self.param_target(method, param, "iid_is", params)
                kind, decl = self.underlying(target.type)
                if kind != "native" or decl.specialtype != "nsid":
                    raise IDLError(
                        f"iid_is parameter '{target.name}' must be an nsid native such as nsIIDRef, "
                        f"not '{target.type}'",
                        param.attr_locations.get("iid_is", param.location),
                    )
        self.check_member_flags(iface, method, "method")
        if self.visible_to_scripts(iface, method):
            if not self.is_scriptable(method.type):
                raise IDLError(
                    f"method '{method.name}' returns the non-scriptable type '{method.type}', "
                    "so it must be [noscript]",
                    method.location,
                )
            for param in method.params:
                if param.iid_is is None and not self.is_scriptable(param.type):
                    raise IDLError(
                        f"parameter '{param.name}' has the non-scriptable type '{param.type}', "
                        f"so method '{method.name}' must be [noscript]",
                        param.location,
                    )

    @staticmethod
    def param_target(method: m.Method, param: m.Param, attr: str, params: dict[str, m.Param]) -> m.Param:
        name = param.attrs[attr]
        assert name is not None
        where = param.attr_locations.get(attr, param.location)
        target = params.get(name)
        if target is None:
            raise IDLError(f"{attr}({name}) names no parameter of method '{method.name}'", where)
        # An input (in or inout) cannot take its size or IID from an output-only parameter.
        if param.direction != "out" and target.direction == "out":
            raise IDLError(
                f"{param.direction} parameter '{param.name}' has {attr}({name}) naming an out parameter",
                where,
            )
        return target


def _same_declaration(a: Any, b: Any) -> bool:
    """An identical redeclaration (e.g. the same typedef in two files) is allowed."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (m.Forward, m.WebIDL)):
        return bool(a.name == b.name)
    if isinstance(a, m.Typedef):
        return a.name == b.name and str(a.type) == str(b.type)
    if isinstance(a, m.Native):
        return bool(a.name == b.name and a.cpp_type == b.cpp_type and a.attrs == b.attrs)
    return False
