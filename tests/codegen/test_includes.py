"""#include: search order, each file once, visibility, cycles, missing files, encodings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codegen.errors import IDLError
from codegen.includes import decode_source
from codegen.parser import parse_file, parse_string

U = "uuid(0c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_names_from_includes_are_visible_transitively(idl_dir: Path) -> None:
    write(idl_dir / "mid.idl", '#include "nsISupports.idl"\ntypedef PRUint32 MidInt;\n')
    top = write(
        idl_dir / "top.idl",
        '#include "mid.idl"\n[scriptable, ' + U + "]\n"
        "interface nsITop : nsISupports { attribute MidInt a; attribute AString s; };\n",
    )
    idl = parse_file(top, [idl_dir])
    assert {"MidInt", "PRUint32", "AString", "nsISupports", "nsITop"} <= set(idl.scope)
    assert idl.interfaces[0].base_decl is idl.scope["nsISupports"]


def test_each_file_is_parsed_once(idl_dir: Path) -> None:
    write(idl_dir / "a.idl", '#include "nsISupports.idl"\n')
    write(idl_dir / "b.idl", '#include "nsISupports.idl"\n')
    top = write(idl_dir / "top.idl", '#include "a.idl"\n#include "b.idl"\n#include "root.idl"\n')
    idl = parse_file(top, [idl_dir])
    a, b, root = (inc.file for inc in idl.includes)
    assert a is not None and b is not None
    assert a.includes[0].file is b.includes[0].file  # the same nsISupports.idl object
    assert root is a.includes[0].file.includes[0].file  # type: ignore[union-attr]
    paths = [f.path for f in idl.included_files()]
    assert len(paths) == len(set(paths)) == 4


def test_include_dirs_are_searched_in_order(tmp_path: Path) -> None:
    write(tmp_path / "first" / "x.idl", "typedef long FromFirst;\n")
    write(tmp_path / "second" / "x.idl", "typedef long FromSecond;\n")
    top = write(tmp_path / "top" / "top.idl", '#include "x.idl"\n')
    idl = parse_file(top, [tmp_path / "first", tmp_path / "second"])
    assert "FromFirst" in idl.scope and "FromSecond" not in idl.scope
    assert idl.includes[0].path == os.path.join(str(tmp_path / "first"), "x.idl")


def test_includes_are_not_relative_to_the_including_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "dir" / "sibling.idl", "typedef long S;\n")
    top = write(tmp_path / "dir" / "top.idl", '#include "sibling.idl"\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(IDLError) as info:
        parse_file(top, [])
    assert info.value.message == "cannot find include file 'sibling.idl'"
    assert (info.value.location.line, info.value.location.column) == (1, 1)  # type: ignore[union-attr]
    # ...but the name as given is tried first, relative to the working directory.
    idl = parse_file(top, [tmp_path / "dir"])
    assert "S" in idl.scope
    monkeypatch.chdir(tmp_path / "dir")
    assert "S" in parse_file("top.idl", []).scope


def test_include_cycle_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.idl", '#include "b.idl"\n')
    write(tmp_path / "b.idl", 'typedef long B;\n#include "a.idl"\n')
    with pytest.raises(IDLError) as info:
        parse_file(tmp_path / "a.idl", [tmp_path])
    err = info.value
    assert err.message.startswith("include cycle: ")
    assert err.message.endswith(
        "a.idl -> " + os.path.join(str(tmp_path), "b.idl") + " -> " + os.path.join(str(tmp_path), "a.idl")
    )
    assert err.location is not None and err.location.line == 2 and err.location.file.endswith("b.idl")
    assert str(err).split("\n")[1] == '#include "a.idl"'


def test_self_include_is_a_cycle(tmp_path: Path) -> None:
    write(tmp_path / "self.idl", '#include "self.idl"\n')
    with pytest.raises(IDLError, match="include cycle"):
        parse_file(tmp_path / "self.idl", [tmp_path])


def test_errors_in_included_files_point_into_them(idl_dir: Path) -> None:
    write(idl_dir / "bad.idl", "typedef long X;\n  typedef nsIMissing Y;\n")
    top = write(idl_dir / "top.idl", '#include "bad.idl"\n')
    with pytest.raises(IDLError) as info:
        parse_file(top, [idl_dir])
    text = str(info.value)
    assert text.split("\n")[0] == f"{os.path.join(str(idl_dir), 'bad.idl')}:2:11: unknown type 'nsIMissing'"
    assert text.split("\n")[1:] == ["  typedef nsIMissing Y;", " " * 10 + "^"]


def test_conflicting_names_across_files(idl_dir: Path) -> None:
    write(idl_dir / "one.idl", "typedef long Same;\n")
    write(idl_dir / "two.idl", "typedef short Same;\n")
    top = write(idl_dir / "top.idl", '#include "one.idl"\n#include "two.idl"\n')
    with pytest.raises(IDLError, match="'Same' is declared twice"):
        parse_file(top, [idl_dir])


def test_identical_declarations_across_files_are_fine(idl_dir: Path) -> None:
    write(idl_dir / "one.idl", "typedef long Same;\n[ptr] native P(void);\n")
    write(idl_dir / "two.idl", "typedef long Same;\n[ptr] native P(void);\n")
    top = write(idl_dir / "top.idl", '#include "one.idl"\n#include "two.idl"\n')
    parse_file(top, [idl_dir])


def test_missing_root_file_is_an_idl_error(tmp_path: Path) -> None:
    with pytest.raises(IDLError, match=r"cannot read '.*nope.idl'"):
        parse_file(tmp_path / "nope.idl", [])


def test_a_nul_in_an_include_name_or_folder_names_no_file(idl_dir: Path) -> None:
    # Found by the idl fuzz target: os.access (the include probe) raises ValueError on a NUL.
    with pytest.raises(IDLError, match=r"1:1: cannot find include file 'a\x00b.idl'"):
        parse_string('#include "a\0b.idl"\n', "x.idl", [idl_dir])
    assert parse_string('#include "nsISupports.idl"\n', "y.idl", ["no\0where", idl_dir]).includes


def test_parse_string_follows_includes(idl_dir: Path) -> None:
    idl = parse_string('#include "nsISupports.idl"\ntypedef PRUint32 T;\n', "mem.idl", [idl_dir])
    assert idl.path == "mem.idl" and idl.typedefs[0].type.kind == "typedef"


def test_parse_string_errors_carry_the_source_line() -> None:
    with pytest.raises(IDLError) as info:
        parse_string("typedef long X;\ntypedef Nope Y;\n", "mem.idl")
    assert str(info.value) == "mem.idl:2:9: unknown type 'Nope'\ntypedef Nope Y;\n        ^"


def test_invalid_utf8_is_reported_with_its_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.idl"
    bad.write_bytes(b"typedef long X;\ntypedef \xff\xfe Y;\n")
    with pytest.raises(IDLError) as info:
        parse_file(bad, [])
    assert info.value.message == "file is not valid UTF-8 (byte 0xff)"
    assert info.value.location is not None
    assert (info.value.location.line, info.value.location.column) == (2, 9)


def test_bom_and_crlf_are_accepted() -> None:
    text = decode_source(b"\xef\xbb\xbftypedef long X;\r\n%{C++\r\nint y;\r\n%}\r\n", "w.idl")
    assert text == "typedef long X;\n%{C++\nint y;\n%}\n"
    idl = parse_string(text, "w.idl")
    assert idl.cdata[0].text == "int y;\n"


def test_include_chains_have_a_depth_limit(tmp_path: Path) -> None:
    from codegen.includes import MAX_INCLUDE_DEPTH

    for i in range(MAX_INCLUDE_DEPTH + 5):
        write(tmp_path / f"f{i}.idl", f'#include "f{i + 1}.idl"\n')
    write(tmp_path / f"f{MAX_INCLUDE_DEPTH + 5}.idl", "typedef long End;\n")
    with pytest.raises(IDLError) as info:
        parse_file(tmp_path / "f0.idl", [tmp_path])
    assert info.value.message == f"#include nested more than {MAX_INCLUDE_DEPTH} files deep"
    # A chain just inside the limit is fine.
    assert "End" in parse_file(tmp_path / "f6.idl", [tmp_path]).scope


def test_constants_and_vtable_slots_of_bases_from_included_files(idl_dir: Path) -> None:
    u1, u2 = "1c4f1ddc-a2f4-4a8e-9d1b-0123456789ab", "2c4f1ddc-a2f4-4a8e-9d1b-0123456789ab"
    write(
        idl_dir / "base.idl",
        '#include "nsISupports.idl"\n'
        f"[scriptable, uuid({u1})] interface nsIBase : nsISupports {{ const long B = 40; }};\n"
        f"[scriptable, uuid({u2})] interface nsIMid : nsIBase {{ const long M = B + 1; "
        + " ".join(f"attribute long a{i};" for i in range(124))
        + " };\n",
    )
    top = write(
        idl_dir / "top.idl",
        '#include "base.idl"\n'
        f"[scriptable, {U}] interface nsITop : nsIMid {{ const long T = M + B + 1; }};\n",
    )
    assert dict(parse_file(top, [idl_dir]).interfaces[0].constants()) == {"T": 82}
    # 1 (QueryInterface) + 248 (124 attributes) + 2 = 251 slots: over the limit.
    over = write(
        idl_dir / "over.idl",
        f'#include "base.idl"\n[scriptable, {U}] interface nsIOver : nsIMid {{ attribute long x; }};\n',
    )
    with pytest.raises(IDLError, match="has 251 vtable slots"):
        parse_file(over, [idl_dir])


def test_long_inheritance_chains() -> None:
    root = "[scriptable, uuid(00000000-0000-0000-0000-000000000000)] interface nsISupports"
    parts = [root + " { const long C0 = 1; };"]
    for i in range(1, 1500):
        base = "nsISupports" if i == 1 else f"I{i - 1}"
        parts.append(
            f"[scriptable, uuid({i:08x}-0000-0000-0000-000000000000)] interface I{i} : {base} "
            f"{{ const long C{i} = C{i - 1} + C0; }};"
        )
    idl = parse_string("\n".join(parts), "chain.idl")
    assert idl.interfaces[-1].consts[0].value == 1500
