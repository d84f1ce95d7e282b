"""Target ``idl``: the XPIDL front end (codegen: lexer, parser, include loader, checks), and the
bindings emitter on whatever it accepts.

One input is the bytes of an IDL file.  They are decoded as the loader decodes a file
(``includes.decode_source``: UTF-8, a BOM, newlines) and compiled with ``parse_string``,
includes resolved through idl/ (so ``#include "nsISupports.idl"`` works as in the tree); a
file the checks accept is then emitted (``emit_bindings.emit_module``) and the result must be
Python that compiles.

A crash is:

* any exception but ``IDLError``, or an ``IDLError`` without a location (every error about
  the input must point at a file, line and column) or whose text cannot be built;
* emitted bindings that do not compile;
* a hang (1 s CPU), or more than 8 MiB + 512 x the input's length allocated at peak.
"""

from __future__ import annotations

from pathlib import Path

from codegen import emit_bindings, parser
from codegen.errors import IDLError
from codegen.includes import decode_source
from fuzz.engine import Crash

INSTRUMENT = ("codegen",)
MAX_LEN = 1 << 13


ROOT = Path(__file__).resolve().parents[2]
INCLUDE_DIRS = sorted({str(p.parent) for p in (ROOT / "idl").rglob("*.idl")})
FILENAME = "fuzz/input.idl"


def one_input(data: bytes) -> None:
    try:
        text = decode_source(data, FILENAME)
        idl = parser.parse_string(text, FILENAME, include_dirs=INCLUDE_DIRS)
    except IDLError as err:
        if err.location is None:
            raise Crash(f"IDLError without a location: {err.message}") from None
        str(err)
        return
    except RecursionError:
        raise Crash("RecursionError (deep nesting must be a located error)") from None
    source = emit_bindings.emit_module(idl, FILENAME)
    try:
        compile(source, "<emitted>", "exec")
    except SyntaxError as err:
        raise Crash(f"emitted bindings do not compile: {err}") from None


def memory_bound(data: bytes) -> int:
    return (8 << 20) + 512 * len(data)


def seeds() -> dict[str, bytes]:
    out = {}
    for path in sorted((ROOT / "idl").rglob("*.idl")):
        out[path.name] = path.read_bytes()
    for path in sorted((ROOT / "tests" / "codegen" / "data").rglob("*.idl")):
        out[f"data-{path.name}"] = path.read_bytes()
    small = {
        "const-expr": b'#include "nsISupports.idl"\n'
                      b"[scriptable, uuid(0b0cd2a0-6e7e-4e44-9d62-fa7a8e2d9b01)]\n"
                      b"interface nsIFuzz : nsISupports {\n  const long A = (1 << 4) | 0x3;\n"
                      b"  const unsigned long B = A * 2 - 1;\n  attribute AString name;\n"
                      b"  [optional_argc] void m([optional] in long x, out long y);\n};\n",
        "cenum": b'#include "nsISupports.idl"\n[uuid(1b0cd2a0-6e7e-4e44-9d62-fa7a8e2d9b01)]\n'
                 b"interface nsIE : nsISupports {\n  cenum Kind : 8 { A, B = 4, C };\n};\n",
        "native-typedef": b"typedef long long PRTime;\n[ptr] native voidPtr(void);\n"
                          b"%{C++\n#include <x>\n%}\n",
        "webidl": b'#include "nsISupports.idl"\nwebidl Document;\n'
                  b"[uuid(2b0cd2a0-6e7e-4e44-9d62-fa7a8e2d9b01)]\n"
                  b"interface nsIW : nsISupports { readonly attribute Document doc; };\n",
        "doc-comments": b"/** a doc\n * comment */\n// line\n/* block */\n",
        "bad-byte": b"interface \xff;\n",
        "deep-parens": b'#include "nsISupports.idl"\n[uuid(3b0cd2a0-6e7e-4e44-9d62-fa7a8e2d9b01)]\n'
                       b"interface nsID : nsISupports { const long X = " + b"(" * 300 + b"1" + b")" * 300
                       + b"; };\n",
    }
    out.update(small)
    return out
