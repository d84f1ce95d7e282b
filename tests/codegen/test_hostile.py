"""Hostile input: every case ends in a clear IDLError (or exit 1), never a traceback."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.errors import IDLError
from codegen.includes import MAX_FILE_SIZE
from codegen.parser import MAX_NESTING, parse_file, parse_string

U = "uuid(0c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)"
PRE = f"[scriptable, {U}] interface nsISupports {{\n"


def fails(text: str) -> IDLError:
    with pytest.raises(IDLError) as info:
        parse_string(text, "h.idl")
    return info.value


def test_deeply_nested_parentheses() -> None:
    err = fails(PRE + "const long X = " + "(" * 100_000 + "1" + ")" * 100_000 + ";};")
    assert err.message == f"nested more than {MAX_NESTING} levels deep"
    assert err.location is not None and err.location.line == 2


def test_deeply_nested_unary_minus() -> None:
    assert "nested more than" in fails(PRE + "const long X = " + "- " * 50_000 + "1;};").message


def test_deeply_nested_generics() -> None:
    assert (
        "nested more than"
        in fails(PRE + "attribute " + "Array<" * 5_000 + "long" + " >" * 5_000 + " a;};").message
    )


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_NESTING - 1
    idl = parse_string(
        PRE + "const long X = " + "(" * depth + "7" + ")" * depth + ";\n"
        "const long Y = " + "1 | " * (MAX_NESTING - 1) + "2;\n};",
        "ok.idl",
    )
    assert dict(idl.interfaces[0].constants()) == {"X": 7, "Y": 3}
    idl.to_json()


def test_unterminated_comment_in_a_large_file() -> None:
    err = fails("typedef long X;\n/*" + "x" * (3 << 20))
    assert (err.message, err.location.line if err.location else 0) == ("unterminated comment", 2)


def test_unterminated_cdata_in_a_large_file() -> None:
    err = fails("%{C++\n" + "int x;\n" * 400_000)
    assert err.message.startswith("unterminated %{C++ block")


def test_unterminated_everything_else() -> None:
    assert fails(PRE).message == "unexpected end of file"
    assert fails("native X(abc").message.startswith("unterminated native type")
    assert fails('#include "never.idl').message == "#include needs a file name in double quotes"


def test_binary_garbage() -> None:
    rng = random.Random(1234)
    blob = bytes(rng.getrandbits(8) for _ in range(1 << 16))
    err = fails(blob.decode("latin-1"))
    assert err.location is not None


def test_binary_garbage_file_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "garbage.idl"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(IDLError, match="not valid UTF-8"):
        parse_file(path, [])


def test_a_10_mib_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "big.idl"
    line = b"typedef long T;\n"
    path.write_bytes(line * ((10 << 20) // len(line)))
    with pytest.raises(IDLError) as info:
        parse_file(path, [])
    assert info.value.message == f"'{path}' is larger than {MAX_FILE_SIZE >> 20} MiB; no IDL file is that big"
    with pytest.raises(IDLError, match="larger than"):
        parse_string("x" * (10 << 20), "big.idl")


def test_a_large_file_under_the_limit_parses(tmp_path: Path) -> None:
    path = tmp_path / "large.idl"
    path.write_text("".join(f"typedef long T{i};\n" for i in range(20_000)))  # ~400 KB
    assert len(parse_file(path, []).typedefs) == 20_000


def test_a_huge_single_line() -> None:
    idl = parse_string(" ".join(f"typedef long T{i};" for i in range(20_000)), "line.idl")
    assert idl.typedefs[-1].location is not None and idl.typedefs[-1].location.line == 1


def test_cli_reports_hostile_files_without_traceback(tmp_path: Path) -> None:
    cases = {
        "garbage.idl": bytes(range(256)),
        "nul.idl": b"interface \x00;",
        "comment.idl": b"/* open",
        "cdata.idl": b"%{C++\nnever closed",
        "nested.idl": PRE.encode() + b"const long X = " + b"(" * 10_000 + b"1" + b")" * 10_000 + b";};",
        "big.idl": b" " * (10 << 20),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        proc = subprocess.run(
            [sys.executable, "-m", "codegen", "parse", name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 1, (name, proc.stderr)
        assert proc.stderr.startswith(f"{name}:") or proc.stderr.startswith(f"'{name}'"), proc.stderr
        assert "Traceback" not in proc.stderr


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.sampled_from(list("interface const long X=;{}[]()<>,:|+-*0x1a%{C++\n}/#\"'_ ")),
        max_size=200,
    )
)
def test_random_token_soup_never_crashes(text: str) -> None:
    try:
        parse_string(text, "soup.idl")
    except IDLError:
        pass


@settings(max_examples=200, deadline=None, database=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    try:
        parse_string(data.decode("latin-1"), "bytes.idl")
    except IDLError:
        pass
