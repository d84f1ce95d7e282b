"""Large inputs parse completely.  (Speed is measured, not asserted: see the report.)"""

from __future__ import annotations

from codegen.parser import parse_string

U = "uuid(0c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)"


def big_interface(n: int) -> str:
    # A third each of constants, attributes and methods; builtinclass, since a plain
    # scriptable interface may not have more than 250 vtable slots.
    lines = [f"[scriptable, builtinclass, {U}] interface nsISupports {{"]
    for i in range(n):
        kind = i % 3
        if kind == 0:
            lines.append(f"  /** Constant {i}. */ const unsigned long C{i} = {i} | 0x100;")
        elif kind == 1:
            lines.append(f"  [must_use] readonly attribute unsigned long long a{i};")
        else:
            lines.append(f"  boolean m{i}(in long x, [optional] in double y);")
    lines.append("};")
    return "\n".join(lines) + "\n"


def test_five_thousand_members() -> None:
    idl = parse_string(big_interface(5000), "big.idl")
    iface = idl.interfaces[0]
    assert len(iface.members) == 5000
    assert iface.consts[-1].value == 4998 | 0x100
    assert iface.consts[-1].doc == "Constant 4998."
    assert iface.methods[-1].name == "m4997"
    assert iface.members[-1].location is not None and iface.members[-1].location.line == 5001
