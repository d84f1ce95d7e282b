"""One test per grammar feature: source in, model out (after checks)."""

from __future__ import annotations

from collections.abc import Callable

from codegen import model as m
from codegen.parser import parse_source

Parse = Callable[..., m.IDLFile]
IFACE = "[scriptable, uuid(0c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)]\ninterface nsIFoo : nsISupports {\n%s\n};\n"


def iface(parse: Parse, body: str, attrs: str = "") -> m.Interface:
    text = IFACE % body
    if attrs:
        text = text.replace("[scriptable", f"[scriptable, {attrs}")
    idl = parse(text)
    return idl.interfaces[-1]


def test_empty_file_parses_to_no_productions() -> None:
    assert parse_source("", "e.idl").productions == []
    assert parse_source("// only a comment\n", "e.idl").productions == []


def test_interface_with_base_uuid_and_flags(parse: Parse) -> None:
    i = iface(parse, "", attrs="builtinclass, rust_sync, main_process_scriptable_only, object")
    assert (i.name, i.base, i.uuid) == ("nsIFoo", "nsISupports", "0c4f1ddc-a2f4-4a8e-9d1b-0123456789ab")
    assert i.scriptable and i.builtinclass and i.rust_sync and i.main_process_scriptable_only and i.object
    assert not i.function
    assert i.location == m.Location(i.location.file if i.location else "", 3, 11)


def test_uuid_is_normalised_to_lower_case(parse: Parse) -> None:
    idl = parse("[uuid(0C4F1DDC-A2F4-4A8E-9D1B-0123456789AB)] interface nsIUp : nsISupports {};")
    assert idl.interfaces[0].uuid == "0c4f1ddc-a2f4-4a8e-9d1b-0123456789ab"
    assert idl.interfaces[0].attrs["uuid"] == "0C4F1DDC-A2F4-4A8E-9D1B-0123456789AB"


def test_forward_declaration_and_webidl(parse: Parse) -> None:
    idl = parse("interface nsIBar;\nwebidl Document;\n")
    assert [type(p) for p in idl.productions[1:]] == [m.Forward, m.WebIDL]
    assert idl.forwards[0].name == "nsIBar" and idl.webidls[0].name == "Document"


def test_typedef_and_native(parse: Parse) -> None:
    idl = parse("typedef unsigned long long MyID;\n[ref, cstring] native MyStr(nsACString);\n")
    td, nat = idl.typedefs[0], idl.natives[0]
    assert td.name == "MyID" and td.type.name == "unsigned long long" and td.type.kind == "builtin"
    assert nat.name == "MyStr" and nat.cpp_type == "nsACString" and nat.ref and not nat.ptr
    assert nat.specialtype == "cstring"


def test_native_with_cplusplus_template_text(parse: Parse) -> None:
    idl = parse("native Map(std::map<K, std::function<void(int)>>);\n")
    assert idl.natives[0].cpp_type == "std::map<K, std::function<void(int)>>"


def test_cdata_at_top_level_and_in_interfaces(parse: Parse) -> None:
    idl = parse("%{C++\n#define X 1\n%}\n" + IFACE % "%{ C++\n  int helper();\n%} C++")
    assert idl.cdata[0].text == "#define X 1\n"
    assert idl.interfaces[0].cdata[0].text == "  int helper();\n"


def test_consts_with_expressions(parse: Parse) -> None:
    i = iface(
        parse,
        """
        const unsigned long A = 1;
        const unsigned long B = 0x10;
        const long C = -5;
        const long D = A | B << 2;
        const long E = (A + B) * 3 - 1;
        const unsigned short F = D >> 1;
        const PRUint32 G = 1 - -2;
        const long H = - (3);
        """,
    )
    assert dict(i.constants()) == {
        "A": 1,
        "B": 16,
        "C": -5,
        "D": 1 | (16 << 2),
        "E": 50,
        "F": (1 | 64) >> 1,
        "G": 3,
        "H": -3,
    }
    assert str(i.consts[3].expr) == "A | (B << 2)"


def test_const_names_from_the_base_interface(parse: Parse) -> None:
    idl = parse(
        IFACE % "const long BASE = 7;" + "[scriptable, uuid(1c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)]\n"
        "interface nsIDerived : nsIFoo { const long MORE = BASE + 1; };\n"
    )
    assert dict(idl.interfaces[1].constants()) == {"MORE": 8}


def test_cenum(parse: Parse) -> None:
    i = iface(parse, "cenum Mode : 8 { A, B = 5, C, D = (1 << 4), };\nconst long AFTER = C + 1;")
    cenum = i.cenums[0]
    assert (cenum.name, cenum.width, cenum.qualified_name) == ("Mode", 8, "nsIFoo_Mode")
    assert [(v.name, v.value) for v in cenum.variants] == [("A", 0), ("B", 5), ("C", 6), ("D", 16)]
    assert dict(i.constants())["AFTER"] == 7


def test_cenum_without_trailing_comma_and_used_elsewhere(parse: Parse) -> None:
    idl = parse(
        IFACE
        % "cenum Kind : 32 { ONE = 1, TWO };"
        + "[scriptable, uuid(1c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)]\n"
        "interface nsIUser : nsISupports { attribute nsIFoo_Kind kind; };\n"
    )
    attr = idl.interfaces[1].attributes[0]
    assert attr.type.kind == "cenum" and attr.type.target is idl.interfaces[0].cenums[0]


def test_attributes(parse: Parse) -> None:
    i = iface(
        parse,
        """
        readonly attribute long count;
        [noscript, binaryname(Other)] attribute PRUint32 renamed;
        [setter_can_run_script, getter_can_run_script, must_use] attribute AString name;
        """,
    )
    count, renamed, name = i.attributes
    assert count.readonly and count.type.name == "long"
    assert not renamed.readonly and renamed.noscript and renamed.binaryname == "Other"
    assert renamed.type.kind == "typedef"
    assert list(name.attrs) == ["setter_can_run_script", "getter_can_run_script", "must_use"]


def test_methods_and_params(parse: Parse) -> None:
    i = iface(
        parse,
        """
        [can_run_script, optional_argc] boolean doIt(in long a, [optional] in ACString b);
        void many(inout long c, out long d);
        void arrays(in PRUint32 count, [array, size_is(count)] in long values);
        void getIface(in nsIIDRef iid, [iid_is(iid), retval] out nsQIResult result);
        void constParam([const] in long x) raises(NS_ERROR_FAILURE, NS_ERROR_ABORT);
        void noParams();
        """,
    )
    do_it, many, arrays, get_iface, const_param, no_params = i.methods
    assert do_it.type.name == "boolean" and do_it.can_run_script and do_it.optional_argc
    assert [(p.name, p.direction) for p in do_it.params] == [("a", "in"), ("b", "in")]
    assert do_it.params[1].optional
    assert [p.direction for p in many.params] == ["inout", "out"]
    values = arrays.params[1]
    assert values.array and values.size_is == "count"
    assert get_iface.params[1].iid_is == "iid" and get_iface.params[1].retval
    assert const_param.params[0].const and const_param.raises == ["NS_ERROR_FAILURE", "NS_ERROR_ABORT"]
    assert no_params.params == []


def test_array_types(parse: Parse) -> None:
    i = iface(parse, "attribute Array<ACString> names;\nvoid f(in Array<Array<long> > nested);")
    names = i.attributes[0].type
    assert names.kind == "array" and names.args[0].name == "ACString" and names.args[0].kind == "native"
    nested = i.methods[0].params[0].type
    assert str(nested) == "Array<Array<long> >"


def test_doc_comments_attach_to_the_next_declaration(parse: Parse) -> None:
    idl = parse(
        """
        /**
         * The interface.
         *
         * Second paragraph.
         */
        [scriptable, uuid(0c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)]
        interface nsIDoc : nsISupports {
          /** A constant. */
          const long X = 1;
          /* not a doc comment */
          attribute long plain;
          /** First. */
          /** Second. */
          [noscript] void m();
        };
        """
    )
    i = idl.interfaces[0]
    assert i.doc == "The interface.\n\nSecond paragraph."
    assert i.consts[0].doc == "A constant."
    assert i.attributes[0].doc is None
    assert i.methods[0].doc == "First.\n\nSecond."


def test_doc_comment_before_attributes_belongs_to_the_member(parse: Parse) -> None:
    i = iface(parse, "/** Doc. */ [must_use] readonly attribute long a;\n/** Ret. */ long b();")
    assert i.attributes[0].doc == "Doc." and i.methods[0].doc == "Ret."


def test_includes_are_productions(parse: Parse) -> None:
    idl = parse("")
    inc = idl.includes[0]
    assert inc.name == "nsISupports.idl" and inc.file is not None and inc.path is not None
    assert inc.file.interfaces[0].name == "nsISupports"


def test_member_order_is_source_order(parse: Parse) -> None:
    i = iface(parse, "const long A = 1;\nattribute long b;\nvoid c();\ncenum D : 8 { E };\n%{C++\n%}")
    assert [type(x).__name__ for x in i.members] == ["Const", "Attribute", "Method", "CEnum", "CDATA"]


def test_keyword_escaped_by_underscore_as_a_name(parse: Parse) -> None:
    i = iface(parse, "attribute long _readonly;")
    assert i.attributes[0].name == "readonly"


def test_doc_comments_pass_over_cdata_blocks(parse: Parse) -> None:
    idl = parse("/** For the typedef. */\n%{C++\n%}\ntypedef long X;\n")
    assert idl.typedefs[0].doc == "For the typedef."


def test_doc_comments_inside_a_declaration_are_dropped(parse: Parse) -> None:
    i = iface(
        parse, "void f(/** lost */ in long a);\nvoid g();\n[noscript] /** lost too */ attribute long b;"
    )
    assert [getattr(member, "doc", None) for member in i.members] == [None, None, None]


def test_doc_comment_before_readonly(parse: Parse) -> None:
    i = iface(parse, "/** Read me. */ readonly attribute long a;")
    assert i.attributes[0].doc == "Read me."


def test_doc_comments_for_forward_typedef_native_webidl(parse: Parse) -> None:
    idl = parse(
        "/** F */ interface nsIF;\n/** T */ typedef long T;\n/** N */ [ptr] native N(n);\n/** W */ webidl W;"
    )
    assert [idl.forwards[0].doc, idl.typedefs[0].doc, idl.natives[0].doc, idl.webidls[0].doc] == [
        "F",
        "T",
        "N",
        "W",
    ]
