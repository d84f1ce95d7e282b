"""The lexer on its own: token by token, as pyxpidl tokenises."""

from __future__ import annotations

import pytest

from codegen.errors import IDLError
from codegen.lexer import Lexer, SourceText, tokenize


def types(text: str) -> list[str]:
    return [t for t, _ in tokenize(text)]


def test_multiword_type_names_are_single_identifiers() -> None:
    assert tokenize("unsigned long long unsigned long unsigned short long long long") == [
        ("IDENTIFIER", "unsigned long long"),
        ("IDENTIFIER", "unsigned long"),
        ("IDENTIFIER", "unsigned short"),
        ("IDENTIFIER", "long long"),
        ("IDENTIFIER", "long"),
    ]


def test_multiword_names_need_word_boundaries_and_single_spaces() -> None:
    assert tokenize("long longer") == [("IDENTIFIER", "long"), ("IDENTIFIER", "longer")]
    assert tokenize("unsigned  long") == [("IDENTIFIER", "unsigned"), ("IDENTIFIER", "long")]


def test_keywords_and_ordinary_type_names() -> None:
    words = "cenum const interface in inout out attribute raises readonly native typedef webidl"
    assert types(words) == [w.upper() for w in words.split()]
    # Type names are not reserved.
    assert types("void boolean string") == ["IDENTIFIER"] * 3


def test_leading_underscore_is_dropped_and_escapes_keywords() -> None:
    assert tokenize("_foo _interface") == [("IDENTIFIER", "foo"), ("IDENTIFIER", "interface")]


def test_iid_is_one_token_in_either_case() -> None:
    assert tokenize("0c4f1ddc-a2f4-4a8e-9d1b-0123456789AB") == [
        ("IID", "0c4f1ddc-a2f4-4a8e-9d1b-0123456789AB")
    ]
    assert tokenize("deadbeef-0000-0000-0000-000000000000")[0][0] == "IID"


def test_decimal_numbers_carry_their_minus() -> None:
    assert tokenize("-12 34") == [("NUMBER", -12), ("NUMBER", 34)]
    assert tokenize("1-2") == [("NUMBER", 1), ("NUMBER", -2)]
    assert tokenize("1 - 2") == [("NUMBER", 1), ("-", "-"), ("NUMBER", 2)]


def test_hex_needs_lowercase_x() -> None:
    assert tokenize("0x1F") == [("HEXNUM", 31)]
    assert tokenize("0X1F") == [("NUMBER", 0), ("IDENTIFIER", "X1F")]


def test_shift_operators_are_tokens() -> None:
    assert types("1 << 2 >> 3") == ["NUMBER", "LSHIFT", "NUMBER", "RSHIFT", "NUMBER"]
    assert types("Array<Array<T>>") == ["IDENTIFIER", "<", "IDENTIFIER", "<", "IDENTIFIER", "RSHIFT"]
    assert types("Array<Array<T> >")[-2:] == [">", ">"]


def test_operator_characters() -> None:
    assert types("(){}[]<>,;:=|+-*") == list("(){}[]<>,;:=|+-*")


@pytest.mark.parametrize("ch", ["&", "~", "/", "^", "!", "@", "$", "?", "."])
def test_other_characters_are_errors(ch: str) -> None:
    with pytest.raises(IDLError) as info:
        tokenize(f"const long X = 1 {ch} 2;", "f.idl")
    assert info.value.message == f"unexpected character {ch!r}"
    assert str(info.value.location) == "f.idl:1:18"


def test_native_text_is_verbatim() -> None:
    toks = tokenize("native Foo(std::function<void(a&&, b::c)>>);")
    assert toks == [
        ("NATIVE", "native"),
        ("IDENTIFIER", "Foo"),
        ("(", "("),
        ("NATIVEID", "std::function<void(a&&, b::c)>>"),
        (")", ")"),
        (";", ";"),
    ]
    # Only right after `native Name` does '(' start verbatim text.
    assert types("void f(in long x);")[3] == "IN"


def test_native_text_must_close_on_its_line() -> None:
    with pytest.raises(IDLError) as info:
        tokenize("native Foo(bar\n);", "n.idl")
    assert "unterminated native type" in info.value.message
    assert str(info.value.location) == "n.idl:1:12"


@pytest.mark.parametrize("gap", [" ", "\t", "\n", "/* c */", "// c\n"])
def test_nothing_may_come_between_a_natives_name_and_its_paren(gap: str) -> None:
    # As in pyxpidl, which enters its verbatim state right after the name and skips nothing there.
    with pytest.raises(IDLError) as info:
        tokenize(f"native Foo{gap}(bar);", "n.idl")
    assert "between a native's name and its '('" in info.value.message
    assert str(info.value.location) == "n.idl:1:11"
    assert types("native Foo;") == ["NATIVE", "IDENTIFIER", ";"]  # no text at all: the parser's to say


@pytest.mark.parametrize("text", ["(x)y", "x()y", "x(y)", "a(b)c(d)e", "x(y(z))w"])
def test_native_text_allows_one_inner_group_with_text_around_it(text: str) -> None:
    with pytest.raises(IDLError) as info:
        tokenize(f"native Foo({text});", "n.idl")
    assert "native type" in info.value.message


def test_comments_are_skipped() -> None:
    assert types("a /* x\n y */ b // c\n d") == ["IDENTIFIER"] * 3


def test_doc_comments_are_collected_with_offsets() -> None:
    lexer = Lexer(SourceText("d.idl", "/* no */ /** yes */ a /**/ b"))
    list(lexer)
    assert lexer.doc_comments == [(9, "/** yes */")]


def test_unterminated_comment() -> None:
    with pytest.raises(IDLError) as info:
        tokenize("a\n  /* never closed", "c.idl")
    assert info.value.message == "unterminated comment"
    assert str(info.value.location) == "c.idl:2:3"


@pytest.mark.parametrize("opener", ["%{C++\n", "%{ C++\n", "%{  C++  \n"])
def test_cdata_blocks(opener: str) -> None:
    assert tokenize(opener + "int x; // }\n%}") == [("CDATA", "int x; // }\n")]


def test_cdata_close_may_be_followed_by_cplusplus() -> None:
    assert tokenize("%{C++\nx\n%} C++ a") == [("CDATA", "x\n"), ("IDENTIFIER", "a")]


def test_cdata_opener_needs_newline() -> None:
    with pytest.raises(IDLError) as info:
        tokenize("%{C++ int x; %}", "b.idl")
    assert info.value.message == "'%{' must be followed by 'C++' and a newline"


def test_unterminated_cdata() -> None:
    with pytest.raises(IDLError) as info:
        tokenize("a\n%{C++\nint x;\n", "u.idl")
    assert info.value.message == "unterminated %{C++ block (no closing '%}')"
    assert str(info.value.location) == "u.idl:2:1"


def test_include_and_other_directives() -> None:
    assert tokenize('#include "a/b.idl"') == [("INCLUDE", "a/b.idl")]
    with pytest.raises(IDLError) as info:
        tokenize("#define X 1", "d.idl")
    assert info.value.message == "unrecognized directive '#define'"
    with pytest.raises(IDLError) as info:
        tokenize("#include <x.idl>", "d.idl")
    assert info.value.message == "#include needs a file name in double quotes"


def test_binary_garbage_is_an_error_not_a_crash() -> None:
    with pytest.raises(IDLError) as info:
        tokenize("interface \x00\x01", "g.idl")
    assert info.value.message == "unexpected character U+0000"
    assert str(info.value.location) == "g.idl:1:11"


def test_columns_after_multiline_tokens() -> None:
    lexer = Lexer(SourceText("p.idl", "/* a\nbc */ x\n\t y"))
    toks = list(lexer)
    locs = [lexer.source.location(t.lexpos) for t in toks]
    assert [(loc.line, loc.column) for loc in locs] == [(2, 7), (3, 3)]


def test_source_locations_backwards_and_forwards() -> None:
    src = SourceText("s.idl", "ab\ncd\nef")
    assert (src.location(7).line, src.location(7).column) == (3, 2)
    assert (src.location(1).line, src.location(1).column) == (1, 2)
    assert (src.location(4).line, src.location(4).column) == (2, 2)
