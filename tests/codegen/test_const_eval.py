"""Constant expressions against Python's own integer arithmetic (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen import checks
from codegen import model as m
from codegen.errors import IDLError
from codegen.parser import parse_source

U = "uuid(0c4f1ddc-a2f4-4a8e-9d1b-0123456789ab)"

# Expressions as (IDL text, Python text); Python's precedence for these operators is
# the same as XPIDL's (| < shifts < + - < * < unary minus), so the same text evaluates
# the same way.  Unary minus is written "-(...)" so the lexer never glues it to a number.
leaves = st.integers(min_value=0, max_value=2**20).map(lambda n: (str(n), str(n))) | st.integers(
    min_value=0, max_value=2**16
).map(lambda n: (hex(n), hex(n)))


def combine(children: st.SearchStrategy[tuple[str, str]]) -> st.SearchStrategy[tuple[str, str]]:
    binary = st.tuples(children, st.sampled_from(["|", "+", "-", "*"]), children).map(
        lambda t: (f"{t[0][0]} {t[1]} {t[2][0]}", f"{t[0][1]} {t[1]} {t[2][1]}")
    )
    shifts = st.tuples(children, st.sampled_from(["<<", ">>"]), st.integers(0, 40)).map(
        lambda t: (f"{t[0][0]} {t[1]} {t[2]}", f"{t[0][1]} {t[1]} {t[2]}")
    )
    paren = children.map(lambda c: (f"({c[0]})", f"({c[1]})"))
    neg = children.map(lambda c: (f"-({c[0]})", f"-({c[1]})"))
    return binary | shifts | paren | neg


expressions = st.recursive(leaves, combine, max_leaves=12)


def evaluate_idl(text: str) -> int:
    idl = parse_source(f"[{U}] interface nsIX : nsISupports {{ const long long X = {text}; }};", "e.idl")
    const = idl.interfaces[0].consts[0]
    return checks.evaluate(const.expr, lambda ref: 0)


@settings(max_examples=400, deadline=None, database=None)
@given(expressions)
def test_matches_python(expr: tuple[str, str]) -> None:
    idl_text, py_text = expr
    try:
        expected = eval(py_text)  # noqa: S307 - generated arithmetic only
    except ValueError:  # a negative shift count, once precedence has regrouped the text
        with pytest.raises(IDLError, match="negative shift count"):
            evaluate_idl(idl_text)
        return
    try:
        assert evaluate_idl(idl_text) == expected
    except IDLError as err:
        # Only the documented bound on intermediate sizes may stop an evaluation.
        assert "too large" in err.message or "exceeds" in err.message, err.message


@settings(max_examples=200, deadline=None, database=None)
@given(st.integers(min_value=-(2**40), max_value=2**40))
def test_decimal_literals_with_their_minus(n: int) -> None:
    assert evaluate_idl(str(n)) == n


@settings(database=None)
@given(st.integers(min_value=-(2**31), max_value=2**31 - 1))
def test_int32_range_is_accepted_for_signed_consts(n: int) -> None:
    assert _const("long", n) == n


@settings(database=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_uint32_range_is_accepted_for_unsigned_consts(n: int) -> None:
    assert _const("unsigned short", n) == n  # the declared width does not narrow the range


def _const(type_name: str, n: int) -> int | None:
    root = f"[{U}] interface nsISupports {{ const {type_name} X = {n}; }};"
    from codegen.parser import parse_string

    idl = parse_string(root, "c.idl")
    return idl.interfaces[0].consts[0].value


def test_printing_keeps_structure() -> None:
    expr = parse_source(
        f"[{U}] interface nsIX : nsISupports {{ const long X = -(1 | 2) << 3 * A; }};", "p.idl"
    )
    const = expr.interfaces[0].consts[0]
    assert str(const.expr) == "-(1 | 2) << (3 * A)"
    assert isinstance(const.expr, m.Binary) and const.expr.op == "<<"
