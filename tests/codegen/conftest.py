"""Shared fixtures for the front-end tests: a tiny root IDL set written to a temp dir."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from codegen import model
from codegen.errors import IDLError
from codegen.parser import parse_file

# What every test file can include: the natives and nsISupports the real tree has, cut down.
ROOT_IDL = """\
typedef unsigned long PRUint32;
typedef long long PRInt64;
[ptr] native voidPtr(void);
[ref, nsid] native nsIIDRef(nsIID);
[ptr, nsid] native nsIDPtr(nsID);
[ptr] native nsQIResult(void);
[ref, astring] native AString(ignored);
[ref, cstring] native ACString(ignored);
[ref, utf8string] native AUTF8String(ignored);
[ref, domstring] native DOMString(ignored);
[jsval] native jsval(jsval);
[ptr, promise] native Promise(ignored);
"""

SUPPORTS_IDL = """\
#include "root.idl"
[scriptable, uuid(00000000-0000-0000-c000-000000000046)]
interface nsISupports {
  void QueryInterface(in nsIIDRef uuid, [iid_is(uuid), retval] out nsQIResult result);
};
"""


@pytest.fixture
def idl_dir(tmp_path: Path) -> Path:
    (tmp_path / "root.idl").write_text(ROOT_IDL)
    (tmp_path / "nsISupports.idl").write_text(SUPPORTS_IDL)
    return tmp_path


@pytest.fixture
def parse(idl_dir: Path) -> Callable[..., model.IDLFile]:
    """parse(text, name="t.idl", prelude=True): write the text (after an nsISupports include) and parse."""

    def _parse(text: str, name: str = "t.idl", prelude: bool = True) -> model.IDLFile:
        body = textwrap.dedent(text).lstrip("\n")
        if prelude:
            body = '#include "nsISupports.idl"\n' + body
        path = idl_dir / name
        path.write_text(body)
        return parse_file(path, [idl_dir])

    return _parse


@pytest.fixture
def error(parse: Callable[..., model.IDLFile]) -> Callable[..., IDLError]:
    """error(text): the IDLError parsing it raises (fails the test if none)."""

    def _error(text: str, name: str = "t.idl", prelude: bool = True) -> IDLError:
        with pytest.raises(IDLError) as info:
            parse(text, name, prelude)
        return info.value

    return _error


def _where(err: IDLError) -> tuple[int, int]:
    assert err.location is not None
    return err.location.line - 1, err.location.column


@pytest.fixture
def where() -> Callable[[IDLError], tuple[int, int]]:
    """where(err): (line, column) of an error, counting lines in the test's own text (after the
    one-line prelude ``parse`` adds)."""
    return _where


@pytest.fixture(autouse=True, scope="session")
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The command line caches parsed includes under ~/.cache/xpidl by default; the tests (and the
    subprocesses they start) keep theirs in a temporary folder instead."""
    old = os.environ.get("XPIDL_CACHE_DIR")
    os.environ["XPIDL_CACHE_DIR"] = str(tmp_path_factory.mktemp("xpidl-cache"))
    yield
    if old is None:
        os.environ.pop("XPIDL_CACHE_DIR", None)
    else:
        os.environ["XPIDL_CACHE_DIR"] = old
