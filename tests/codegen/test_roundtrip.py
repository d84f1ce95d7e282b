"""Property test: interfaces built at random, written out as IDL, parse back to the same model."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.parser import parse_string

ROOT = """\
[ref, astring] native AString(ignored);
[ref, cstring] native ACString(ignored);
[scriptable, uuid(00000000-0000-0000-c000-000000000046)]
interface nsISupports {};
"""

TYPES = [
    "long",
    "unsigned long long",
    "boolean",
    "double",
    "AString",
    "ACString",
    "nsISupports",
    "Array<long>",
    "Array<Array<AString> >",
    "octet",
    "wstring",
]
INT_TYPES = {"long": (-(2**31), 2**31 - 1), "unsigned long": (0, 2**32 - 1), "short": (-(2**31), 2**31 - 1)}

names = st.from_regex(r"[a-z][A-Za-z0-9]{0,8}", fullmatch=True).map(lambda s: "m" + s)


@dataclass
class Member:
    kind: str  # const / attribute / method
    name: str
    type: str
    readonly: bool = False
    value: int = 0
    params: tuple[tuple[str, str, str], ...] = ()
    doc: str | None = None

    def render(self) -> str:
        doc = f"/** {self.doc} */\n  " if self.doc else ""
        if self.kind == "const":
            return f"{doc}const {self.type} {self.name} = {self.value};"
        if self.kind == "attribute":
            return f"{doc}{'readonly ' if self.readonly else ''}attribute {self.type} {self.name};"
        params = ", ".join(f"{d} {t} {n}" for d, t, n in self.params)
        return f"{doc}{self.type} {self.name}({params});"


@st.composite
def members(draw: st.DrawFn) -> list[Member]:
    chosen = draw(st.lists(names, min_size=1, max_size=25, unique_by=str.lower))
    out = []
    for name in chosen:
        kind = draw(st.sampled_from(["const", "attribute", "method"]))
        doc = draw(st.none() | st.from_regex(r"[A-Za-z][A-Za-z0-9 .,]{0,30}", fullmatch=True).map(str.strip))
        if kind == "const":
            type_ = draw(st.sampled_from(sorted(INT_TYPES)))
            low, high = INT_TYPES[type_]
            out.append(Member("const", name, type_, value=draw(st.integers(low, high)), doc=doc or None))
        elif kind == "attribute":
            out.append(
                Member(
                    "attribute",
                    name,
                    draw(st.sampled_from(TYPES)),
                    readonly=draw(st.booleans()),
                    doc=doc or None,
                )
            )
        else:
            pnames = draw(st.lists(names, max_size=4, unique=True))
            params = tuple(
                (draw(st.sampled_from(["in", "out", "inout"])), draw(st.sampled_from(TYPES)), p)
                for p in pnames
            )
            out.append(
                Member(
                    "method", name, draw(st.sampled_from(["void", *TYPES])), params=params, doc=doc or None
                )
            )
    return out


@settings(max_examples=100, deadline=None, database=None)
@given(members())
def test_written_interfaces_parse_back(ms: list[Member]) -> None:
    body = "\n  ".join(m.render() for m in ms)
    text = (
        ROOT + f"[scriptable, builtinclass, uuid(0c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)]\n"
        f"interface nsIRandom : nsISupports {{\n  {body}\n}};\n"
    )
    iface = parse_string(text, "random.idl").interfaces[-1]
    assert [m.name for m in iface.members] == [m.name for m in ms]
    for want, got in zip(ms, iface.members, strict=True):
        assert type(got).__name__.lower() == want.kind
        assert str(got.type) == want.type
        assert got.doc == (want.doc.strip() if want.doc else None)
        if want.kind == "const":
            assert got.value == want.value  # type: ignore[union-attr]
        elif want.kind == "attribute":
            assert got.readonly == want.readonly  # type: ignore[union-attr]
        else:
            assert [(p.direction, str(p.type), p.name) for p in got.params] == list(want.params)  # type: ignore[union-attr]
