"""One test per error: the message and the line:column it points at.

Line numbers count lines of the snippet itself (the fixture adds one include line above it).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from codegen import model as m
from codegen.errors import IDLError

Error = Callable[..., IDLError]
Where = Callable[[IDLError], tuple[int, int]]
Parse = Callable[..., m.IDLFile]

U = "uuid(0c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)"
U2 = "uuid(1c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)"


def iface(body: str, attrs: str = "scriptable", name: str = "nsIFoo", base: str = "nsISupports") -> str:
    return f"[{attrs}, {U}]\ninterface {name} : {base} {{\n{body}\n}};\n"


CASES = [
    # --- syntax
    ("interface nsIFoo : nsISupports {", "unexpected end of file", (1, 33)),
    ("const long X = 1;", "syntax error at 'const'", (1, 1)),
    (iface("const long X = 1-2;"), "syntax error at '-2' (a minus sign right before a digit", (3, 17)),
    (iface("const long X = (1)-2;"), "write 'a - 1' with spaces", (3, 19)),
    (
        iface("attribute Array<Array<long>> a;"),
        "syntax error at '>>' (to close nested generics write '> >'",
        (3, 27),
    ),
    (
        iface("").replace("};", "}") + "typedef long X;",
        "syntax error at 'typedef' (missing ';' after '}'?)",
        (5, 1),
    ),
    (iface("").replace("};", "}"), "unexpected end of file (missing ';' after '}'?)", (4, 2)),
    (iface("") + "typedef long X", "unexpected end of file", (5, 15)),
    ("[] interface nsIFoo;", "syntax error at ']'", (1, 2)),
    ("[scriptable] interface nsIFoo;", "forward declaration of 'nsIFoo' cannot have attributes", (1, 2)),
    (
        "interface nsIFoo : nsISupports;",
        "forward declaration of 'nsIFoo' cannot name a base interface",
        (1, 20),
    ),
    ("native Empty();", "syntax error at ')'", (1, 14)),
    # --- interfaces
    ("[scriptable] interface nsIFoo : nsISupports {};", "interface 'nsIFoo' has no uuid", (1, 24)),
    ("[uuid(nonsense)] interface nsIFoo : nsISupports {};", "malformed uuid 'nonsense'", (1, 2)),
    (f"[{U}] interface nsIFoo {{}};", "interface 'nsIFoo' must derive from another interface", (1, 56)),
    (f"[{U}] interface nsIFoo : nsIBar {{}};", "unknown base interface 'nsIBar'", (1, 65)),
    (
        f"interface nsIBar;\n[{U}] interface nsIFoo : nsIBar {{}};",
        "base interface 'nsIBar' is only forward",
        (2, 65),
    ),
    (
        f"[{U}] interface nsIFoo : PRUint32 {{}};",
        "base 'PRUint32' of interface 'nsIFoo' is not an interface",
        (1, 65),
    ),
    (
        f"[{U}, wobbly] interface nsIFoo : nsISupports {{}};",
        "unexpected attribute 'wobbly' on interface",
        (1, 46),
    ),
    (
        f"[{U}, scriptable(x)] interface nsIFoo : nsISupports {{}};",
        "attribute 'scriptable' takes no value",
        (1, 46),
    ),
    ("[uuid] interface nsIFoo : nsISupports {};", "attribute 'uuid' needs a value", (1, 2)),
    (
        f"[{U}] interface nsIBase : nsISupports {{}};\n" + iface("", base="nsIBase").replace(U, U2),
        "scriptable interface 'nsIFoo' cannot derive from non-scriptable 'nsIBase'",
        (3, 20),
    ),
    (
        f"[scriptable, builtinclass, {U}] interface nsIBase : nsISupports {{}};\n"
        + iface("", base="nsIBase").replace(U, U2),
        "derives from [builtinclass] 'nsIBase' so it must be [builtinclass] too",
        (3, 20),
    ),
    (iface("", attrs="builtinclass"), "[builtinclass] interface 'nsIFoo' must also be [scriptable]", (1, 2)),
    (
        iface("void a();\nvoid b();", attrs="scriptable, function"),
        "[function] interface 'nsIFoo' has more",
        (2, 11),
    ),
    (
        iface("%{C++\n  virtual void Evil();\n%}"),
        "%{C++ blocks inside an interface cannot declare virtual",
        (4, 3),
    ),
    # --- names and types
    ("typedef long boolean;", "'boolean' is a builtin type and cannot be redeclared", (1, 14)),
    ("typedef long X;\ntypedef short X;", "'X' is declared twice (first declared at", (2, 15)),
    ("typedef long X;\nnative X(x);", "'X' is declared twice", (2, 8)),
    (iface("attribute nsIMissing a;"), "unknown type 'nsIMissing'", (3, 11)),
    (iface("attribute Array<long, long> a;"), "Array takes exactly one type parameter", (3, 11)),
    (iface("attribute Array a;"), "Array takes exactly one type parameter", (3, 11)),
    (iface("attribute Map<long> a;"), "'Map' is not a generic type", (3, 11)),
    (
        "interface nsIFoo;\ntypedef nsIFoo Bad;",
        "typedef 'Bad' must name a builtin, native, cenum or typedef",
        (2, 9),
    ),
    ("typedef Array<long> Bad;", "typedef 'Bad' must name a builtin, native, cenum or typedef", (1, 9)),
    (
        iface("void f(in PRUint32 x);") + "typedef long PRUint32x;\ntypedef Later Y;",
        "unknown type 'Later'",
        (6, 9),
    ),
    # --- natives
    ("[ptr, ref] native N(n);", "native 'N' cannot be both [ptr] and [ref]", (1, 19)),
    ("[astring, cstring] native N(n);", "native 'N' has more than one kind: astring, cstring", (1, 11)),
    ("[shiny] native N(n);", "unexpected attribute 'shiny' on native", (1, 2)),
    # --- members
    (iface("attribute long a;\nvoid a();"), "'a' is already a member of 'nsIFoo' (line 4)", (4, 6)),
    (iface("const long A = 1;\ncenum E : 8 { A };"), "'A' is already a member of 'nsIFoo'", (4, 15)),
    (iface("[bogus] void f();"), "unexpected attribute 'bogus' on method", (3, 2)),
    (iface("[optional_argc] attribute long a;"), "unexpected attribute 'optional_argc' on attribute", (3, 2)),
    (iface("void f([bogus] in long a);"), "unexpected attribute 'bogus' on parameter", (3, 9)),
    (iface("[binaryname] void f();"), "attribute 'binaryname' needs a value", (3, 2)),
    (iface("void f(in long a, in long a);"), "method 'f' has two parameters named 'a'", (3, 27)),
    (
        iface("[notxpcom] void f();"),
        "scriptable interface 'nsIFoo' has a [notxpcom] method 'f', so it must be",
        (3, 2),
    ),
    (
        iface("[nostdcall] attribute long a;"),
        "has a [nostdcall] attribute 'a', so it must be [builtinclass]",
        (3, 2),
    ),
    (
        iface("[infallible] readonly attribute long a;"),
        "[infallible] attribute 'a' needs a [builtinclass]",
        (3, 2),
    ),
    (
        iface("[infallible, notxpcom] readonly attribute long a;", attrs="scriptable, builtinclass"),
        "[infallible] cannot be combined with [notxpcom] on 'a'",
        (3, 2),
    ),
    (
        iface("attribute voidPtr p;"),
        "attribute 'p' has the non-scriptable type 'voidPtr', so it must be [noscript]",
        (3, 19),
    ),
    (
        iface("voidPtr f();"),
        "method 'f' returns the non-scriptable type 'voidPtr', so it must be [noscript]",
        (3, 9),
    ),
    (
        iface("void f(in voidPtr p);"),
        "parameter 'p' has the non-scriptable type 'voidPtr', so method 'f' must be",
        (3, 19),
    ),
    (
        f"[{U2}] interface nsIHidden : nsISupports {{}};\n" + iface("attribute nsIHidden h;"),
        "attribute 'h' has the non-scriptable type 'nsIHidden'",
        (4, 21),
    ),
    (
        iface("void f([retval] out long a, in long b);"),
        "[retval] parameter 'a' must be the last parameter",
        (3, 9),
    ),
    (iface("void f([array, size_is(n)] in long a);"), "size_is(n) names no parameter of method 'f'", (3, 16)),
    (
        iface("void f(in long n, [array, size_is(n)] in long a);"),
        "size_is parameter 'n' must be an unsigned long",
        (3, 27),
    ),
    (
        iface("void f(out PRUint32 n, [array, size_is(n)] in long a);"),
        "in parameter 'a' has size_is(n) naming an out",
        (3, 32),
    ),
    (iface("void f([iid_is(i)] out nsQIResult r);"), "iid_is(i) names no parameter of method 'f'", (3, 9)),
    (
        iface("void f(in long i, [iid_is(i)] out nsQIResult r);"),
        "iid_is parameter 'i' must be an nsid native",
        (3, 20),
    ),
    (iface("attribute long string;"), "'string' is a builtin type name and cannot name a member", (3, 16)),
    (iface("void f(in long boolean);"), "'boolean' is a builtin type name and cannot name a member", (3, 16)),
    (iface("cenum E : 8 { void };"), "'void' is a builtin type name and cannot name a member", (3, 15)),
    (
        iface("[infallible] readonly attribute ACString s;", attrs="scriptable, builtinclass"),
        "[infallible] attribute 's' must have a builtin, interface, webidl or cenum type",
        (3, 2),
    ),
    (
        iface("[infallible] readonly attribute PRUint32 s;", attrs="scriptable, builtinclass"),
        "[infallible] attribute 's' must have a builtin, interface, webidl or cenum type, not 'PRUint32'",
        (3, 2),
    ),
    (
        "native Raw(raw);\n" + iface("void f(in Raw r);"),
        "method 'f' taking the native 'Raw' by value",
        (4, 15),
    ),
    (
        "native Raw(raw);\n" + iface("[noscript] attribute Raw r;"),
        "writable attribute 'r' of the by-value",
        (4, 26),
    ),
    (
        iface("[can_run_script, setter_can_run_script] attribute long a;"),
        "[setter_can_run_script] is redundant next to [can_run_script]",
        (3, 18),
    ),
    (
        iface("void f(out PRUint32 n, [array, size_is(n)] inout long a);"),
        "inout parameter 'a' has size_is(n)",
        (3, 32),
    ),
    (
        f"[scriptable, rust_sync, builtinclass, {U2}] interface nsIBase : nsISupports {{}};\n"
        + iface("", attrs="scriptable, builtinclass", base="nsIBase"),
        "derives from [rust_sync] 'nsIBase' so it must be [rust_sync] too",
        (3, 20),
    ),
    (
        iface("", attrs="scriptable, rust_sync"),
        "[rust_sync] interface 'nsIFoo' is scriptable, so it must be",
        (1, 14),
    ),
    # --- consts and cenums
    (iface("const boolean B = 1;"), "const 'B' must have an integer type, not 'boolean'", (3, 7)),
    (iface("const ACString S = 1;"), "const 'S' must have an integer type, not 'ACString'", (3, 7)),
    (iface("const nsresult R = 1;"), "const 'R' must have an integer type, not 'nsresult'", (3, 7)),
    (iface("const long X = 2147483648;"), "value 2147483648 of const 'X' is out of int32 range", (3, 12)),
    (iface("const short X = 2147483648;"), "value 2147483648 of const 'X' is out of int32 range", (3, 13)),
    (iface("const unsigned long X = -1;"), "value -1 of const 'X' is out of uint32 range", (3, 21)),
    (
        iface("const unsigned long long X = 0x100000000;"),
        "value 4294967296 of const 'X' is out of uint32",
        (3, 26),
    ),
    (iface("const long X = Y;"), "unknown constant 'Y'", (3, 16)),
    (iface("const long X = X;"), "unknown constant 'X'", (3, 16)),
    (iface("const long X = 1 << -1;"), "negative shift count -1", (3, 18)),
    (iface("const long X = 1 << 5000;"), "shift count 5000 is too large", (3, 18)),
    (iface("const long X = (1 << 4000) * (1 << 4000);"), "constant expression exceeds 4096 bits", (3, 28)),
    (iface("cenum E : 12 { A };"), "cenum 'E' width must be 8, 16 or 32, not 12", (3, 7)),
]


@pytest.mark.parametrize(("source", "message", "position"), CASES, ids=[c[1][:60] for c in CASES])
def test_error(error: Error, where: Where, source: str, message: str, position: tuple[int, int]) -> None:
    err = error(source)
    assert message in err.message
    assert where(err) == position


def test_error_text_has_location_line_and_caret(error: Error) -> None:
    err = error(iface("attribute nsIMissing a;"))
    text = str(err)
    head, line, caret = text.split("\n")
    assert head.endswith("t.idl:4:11: unknown type 'nsIMissing'")
    assert line == "attribute nsIMissing a;"
    assert caret == " " * 10 + "^"


def test_caret_keeps_tabs(error: Error) -> None:
    err = error(iface("\tattribute nsIMissing a;"))
    assert str(err).split("\n")[2] == "\t" + " " * 10 + "^"


def test_vtable_limit_for_non_builtinclass(error: Error, where: Where, parse: Parse) -> None:
    body = "\n".join(f"attribute long a{i};" for i in range(125))  # 250 slots + QueryInterface
    err = error(iface(body))
    assert "interface 'nsIFoo' has 251 vtable slots, more than 250" in err.message
    assert where(err) == (2, 11)
    parse(iface(body, attrs="scriptable, builtinclass"))  # builtinclass has no limit
    parse(iface("\n".join(f"readonly attribute long a{i};" for i in range(249))))  # 250 exactly


def test_builtinclass_allows_notxpcom_and_infallible(parse: Parse) -> None:
    parse(
        iface(
            "[notxpcom, nostdcall] void f();\n[infallible] readonly attribute long a;",
            "scriptable, builtinclass",
        )
    )


def test_noscript_allows_non_scriptable_types(parse: Parse) -> None:
    parse(iface("[noscript] attribute voidPtr p;\n[noscript] voidPtr f(in voidPtr q);"))


def test_non_scriptable_interfaces_have_no_such_rule(parse: Parse) -> None:
    parse(f"[{U}] interface nsIPlain : nsISupports {{ attribute voidPtr p; [notxpcom] void f(); }};")


def test_names_must_be_declared_before_use(error: Error) -> None:
    err = error(iface("attribute nsILater l;") + f"[{U2}] interface nsILater : nsISupports {{}};")
    assert err.message == "unknown type 'nsILater'"


def test_repeated_attributes_are_allowed_and_the_last_wins(parse: Parse) -> None:
    idl = parse(f"[{U}, scriptable, {U2}, scriptable] interface nsIFoo : nsISupports {{}};")
    assert idl.interfaces[0].uuid == U2[5:-1] and list(idl.interfaces[0].attrs) == ["uuid", "scriptable"]


def test_forward_declarations_make_later_interfaces_usable(parse: Parse) -> None:
    idl = parse(
        "interface nsILater;\n"
        + iface("attribute nsILater l;")
        + f"[scriptable, {U2}] interface nsILater : nsISupports {{}};"
    )
    t = idl.interfaces[0].attributes[0].type
    assert t.kind == "interface"
    assert idl.scope["nsILater"] is idl.interfaces[1]
    assert t.target is idl.interfaces[1]  # re-pointed from the forward declaration


def test_identical_redeclarations_are_allowed(parse: Parse) -> None:
    idl = parse(
        "typedef long X;\ntypedef long X;\nnative N(n);\nnative N(n);\ninterface nsIFoo;\n"
        + iface("")
        + "interface nsIFoo;"
    )
    assert isinstance(idl.scope["nsIFoo"], m.Interface)


def test_interface_may_use_its_own_name(parse: Parse) -> None:
    idl = parse(iface("attribute nsIFoo self;"))
    assert idl.interfaces[0].attributes[0].type.target is idl.interfaces[0]


def test_direction_rules_only_apply_to_in_params(parse: Parse) -> None:
    parse(iface("void f(out PRUint32 n, [array, size_is(n)] out long a);"))
    parse(iface("void f(in nsIIDRef i, [iid_is(i)] out nsQIResult r);"))


def test_type_resolution_is_recorded(parse: Parse) -> None:
    idl = parse(
        iface("attribute PRUint32 a;\nattribute AString s;\nattribute nsISupports i;\nattribute long l;")
    )
    kinds = [a.type.kind for a in idl.interfaces[0].attributes]
    assert kinds == ["typedef", "native", "interface", "builtin"]


def test_char16_t_and_typedefs_of_integers_make_consts(parse: Parse) -> None:
    idl = parse(iface("const char16_t C = 65;\nconst PRInt64 L = -1;"))
    assert dict(idl.interfaces[0].constants()) == {"C": 65, "L": -1}


def test_cenum_values_are_not_checked_against_the_width(parse: Parse) -> None:
    # pyxpidl accepts these, so we do too.
    idl = parse(iface("cenum E : 8 { A = 255, B, C = -1 };\ncenum Empty : 16 {};"))
    assert [v.value for v in idl.interfaces[0].cenums[0].variants] == [255, 256, -1]
    assert idl.interfaces[0].cenums[1].variants == []


def test_typedef_attributes_are_accepted_and_kept(parse: Parse) -> None:
    idl = parse("[anything] typedef long X;")
    assert idl.typedefs[0].attrs == {"anything": None}


def test_inputs_may_take_sizes_from_inout_params(parse: Parse) -> None:
    parse(iface("void f(inout PRUint32 n, [array, size_is(n)] in long a);"))


def test_script_invisible_members_need_no_scriptable_types(parse: Parse) -> None:
    parse(
        iface(
            "[notxpcom] voidPtr f(in voidPtr p);\n[nostdcall] attribute voidPtr q;",
            "scriptable, builtinclass",
        )
    )


def test_pointer_natives_do_not_force_builtinclass(parse: Parse) -> None:
    parse(iface("[noscript] void f(in voidPtr p);\n[noscript] attribute voidPtr q;"))


def test_nsISupports_may_have_notxpcom_members(parse: Parse) -> None:
    parse(
        f"[scriptable, {U}] interface nsISupports {{ [notxpcom] void AddRef(); }};",
        name="alt.idl",
        prelude=False,
    )


def test_forward_declared_types_are_given_the_benefit_of_the_doubt(parse: Parse) -> None:
    parse("interface nsIUnknown;\n" + iface("attribute nsIUnknown u;"))


def test_intermediate_values_may_exceed_the_range(parse: Parse) -> None:
    idl = parse(iface("const long X = (1 << 100) >> 98;"))
    assert idl.interfaces[0].consts[0].value == 4


def test_long_lines_are_shown_as_a_window_around_the_column() -> None:
    from codegen.errors import IDLError as Err

    loc = m.Location("f.idl", 1, 1001)
    text = str(Err("bad", loc, "x" * 1000 + "Y" + "z" * 1000))
    head, line, caret = text.split("\n")
    assert head == "f.idl:1:1001: bad"
    assert line.startswith("...x") and line.endswith("z...") and len(line) == 206
    assert line[caret.index("^")] == "Y"


def test_end_of_file_error_points_after_the_last_token(error: Error, where: Where) -> None:
    err = error("typedef long X;\ninterface nsIFoo : nsISupports {\n\n\n")
    assert err.message == "unexpected end of file" and where(err) == (2, 33)
