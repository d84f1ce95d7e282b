"""The typing-stub emitter: golden output, and what mypy makes of user code with the real stubs.

Golden files: ``tests/codegen/golden/*.pyi.golden`` (refresh as test_emit_bindings.py says).
The mypy tests run ``mypy --strict`` in a subprocess over small snippets of user code against
the generated bindings of this checkout and compare the errors it reports, line by line, with
the ones the snippet marks (``# E: code``).  Without the stubs every member of a channel is
``Any`` to mypy and the marked lines report nothing, so these tests fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codegen import model, parse_file
from codegen.emit_stubs import ACSTRING_TYPES, emit_package_stub, emit_stub
from codegen.regen import PROJECT_ROOT, include_dirs

IDL_DIR = PROJECT_ROOT / "idl"
GOLDEN = Path(__file__).parent / "golden"  # shared with test_emit_bindings.py, same sample IDL
SAMPLE_IDL = GOLDEN / "idl" / "nsIGoldenSample.idl"
SAMPLE_SOURCE = "tests/codegen/golden/idl/nsIGoldenSample.idl"
SUPPORTS_IDL = IDL_DIR / "xpcom" / "base" / "nsISupports.idl"


def parse(path: Path) -> model.IDLFile:
    return parse_file(path, [path.parent, *include_dirs(IDL_DIR)])


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.golden"
    if os.environ.get("CODEGEN_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from {path}"


def sample_stubs() -> dict[str, str]:
    supports, sample = parse(SUPPORTS_IDL), parse(SAMPLE_IDL)
    modules = [("nsISupports", ["nsISupports"]), ("nsIGoldenSample", [i.name for i in sample.interfaces])]
    where = {iface: mod for mod, ifaces in modules for iface in ifaces}
    return {
        "nsISupports.pyi": emit_stub(supports, "idl/xpcom/base/nsISupports.idl", "nsISupports", where),
        "nsIGoldenSample.pyi": emit_stub(sample, SAMPLE_SOURCE, "nsIGoldenSample", where),
        "__init__.pyi": emit_package_stub(modules),
    }


@pytest.mark.parametrize("fname", ["nsIGoldenSample.pyi", "__init__.pyi"])
def test_golden(fname: str) -> None:
    check_golden(fname, sample_stubs()[fname])


def test_stub_shapes() -> None:
    text = sample_stubs()["nsIGoldenSample.pyi"]
    # Readonly attribute -> read-only property; writable -> plain attribute.
    assert "    @property\n    def name(self) -> str:" in text and "\n    count: int\n" in text
    # A Python keyword as a parameter gets the binding's trailing underscore; keyword members
    # (global, import, the constant None) cannot be spelled in a class body and are left out.
    assert "class_: str" in text and "def import" not in text and "global" not in text
    # inout/out come back as a tuple; the optional argument has a default.
    assert "def exchange(self, aValue: int) -> tuple[int, str]: ..." in text
    assert "aCount: int = ..." in text
    # A member named like a builtin does not hide the builtin in annotations.
    assert "def list(self) -> _builtins.list[str]: ..." in text
    # Constants, inherited ones too, are ints on the interface object's type.
    derived = text.split("class nsIGoldenDerivedInterface", 1)[1]
    assert "EXTRA: ClassVar[int]" in derived and "FLAG_A: ClassVar[int]" in derived
    # nsIURI is only forward-declared and defined by no file of this package: Any.
    assert "aURI: Any" in text


def test_stubs_compile_and_generic_query_interface() -> None:
    for text in sample_stubs().values():
        compile(text, "<stub>", "exec")
    requestor = emit_stub(
        parse(PROJECT_ROOT / "idl/xpcom/base/nsIInterfaceRequestor.idl"),
        "x.idl",
        "nsIInterfaceRequestor",
        {"nsISupports": "nsISupports", "nsIInterfaceRequestor": "nsIInterfaceRequestor"},
    )
    assert "def getInterface(self, uuid: InterfaceObject[_T]) -> _T:" in requestor
    supports = sample_stubs()["nsISupports.pyi"]
    assert "def QueryInterface" not in supports


def test_bytes_acstring_members_exist() -> None:
    # The table names real members: a rename in the IDL must not leave it silently stale.
    found = set()
    for idl in (PROJECT_ROOT / "idl").rglob("*.idl"):
        for iface in parse(idl).interfaces:
            for member in iface.members:
                if isinstance(member, model.Attribute | model.Method):
                    found.add(f"{iface.name}.{member.name}")
    assert set(ACSTRING_TYPES) <= found


def test_the_checkout_has_a_stub_beside_every_binding() -> None:
    folder = PROJECT_ROOT / "components" / "interfaces"
    modules = {p.stem for p in folder.glob("*.py")}
    assert modules == {p.stem for p in folder.glob("*.pyi")}
    assert (PROJECT_ROOT / "components" / "py.typed").is_file()


# ---------------------------------------------------------------- mypy on user code


def mypy_errors(tmp_path: Path, snippet: str, root: Path = PROJECT_ROOT) -> dict[int, set[str]]:
    """Line -> error codes ``mypy --strict`` reports for ``snippet`` (a user's module), with the
    ``components`` package of ``root``."""
    path = tmp_path / "user_code.py"
    path.write_text(textwrap.dedent(snippet), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-error-summary",
         "--show-error-codes", "--cache-dir", str(tmp_path / ".mypy_cache"), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        # The editable install is an import hook mypy cannot follow: point it at the checkout.
        env={**os.environ, "MYPYPATH": str(root)},
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    errors: dict[int, set[str]] = {}
    for line in done.stdout.splitlines():
        m = re.match(r".*user_code\.py:(\d+): error: .*\[([\w-]+)\]$", line)
        if m:
            errors.setdefault(int(m.group(1)), set()).add(m.group(2))
    return errors


def expected_errors(snippet: str) -> dict[int, set[str]]:
    expected: dict[int, set[str]] = {}
    for number, line in enumerate(textwrap.dedent(snippet).splitlines(), 1):
        m = re.search(r"# E: ([\w, -]+)$", line)
        if m:
            expected[number] = {c.strip() for c in m.group(1).split(",")}
    return expected


USER_CODE = """\
from components import Cc, Ci
from components.interfaces import nsIURI, nsIWebSocketChannel, nsIWebSocketListener
from components.manager import query_interface

ch = Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance(Ci.nsIWebSocketChannel)
ch.sendMsg("x")
ch.sendMsg(1)  # E: arg-type
ch.pingInterval = 30
ch.pingInterval = "x"  # E: assignment
ch.protocol = "chat"
ch.sendBinaryMsg(b"\\x00")
ch.sendBinaryMsg("text")  # E: arg-type
ch.close(Ci.nsIWebSocketChannel.CLOSE_NORMAL, "bye")
ch.close("1000", "bye")  # E: arg-type
ch.extensions = "x"  # E: misc
ch.sendMessage("x")  # E: attr-defined
Ci.nsIWebSocketChanel  # E: attr-defined
code: int = Ci.nsIWebSocketChannel.CLOSE_GOING_AWAY
uri = ch.URI
uri.spec  # E: union-attr
if uri is not None:
    spec: str = uri.spec

prefs = Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)
timeout: int = prefs.getIntPref("network.websocket.timeout.open", 20)
prefs.setBoolPref("x", "yes")  # E: arg-type


class Listener:
    def onStart(self, aContext: object) -> None: ...
    def onStop(self, aContext: object, aStatusCode: int) -> None: ...
    def onMessageAvailable(self, aContext: object, aMsg: str) -> None: ...
    def onBinaryMessageAvailable(self, aContext: object, aMsg: bytes) -> None: ...
    def onAcknowledge(self, aContext: object, aSize: int) -> None: ...
    def onServerClose(self, aContext: object, aCode: int, aReason: str) -> None: ...
    def onError(self) -> None: ...


class Deaf:
    def onStart(self, aContext: object) -> None: ...


ch.asyncOpen(None, "", Listener(), None)
ch.asyncOpen(None, "", Deaf(), None)  # E: arg-type


def typed(channel: nsIWebSocketChannel, listener: nsIWebSocketListener, obj: object) -> nsIURI | None:
    if Ci.nsIWebSocketChannel.providedBy(obj):
        obj.sendMsg("narrowed by providedBy")
    same = query_interface(channel, Ci.nsIWebSocketChannel)
    same.pingTimeout = 5
    return same.originalURI
"""


def test_mypy_checks_user_code_against_the_idl_types(tmp_path: Path) -> None:
    assert mypy_errors(tmp_path, USER_CODE) == expected_errors(USER_CODE)


def test_without_the_stubs_mypy_sees_nothing_wrong(tmp_path: Path) -> None:
    # The control: the same package without its .pyi files leaves every channel member Any, so
    # none of the marked mistakes is reported -- the errors above come from the stubs.
    root = tmp_path / "bare"
    shutil.copytree(PROJECT_ROOT / "components", root / "components", ignore=shutil.ignore_patterns("*.pyi"))
    errors = mypy_errors(tmp_path, USER_CODE, root)
    assert not set(errors) & set(expected_errors(USER_CODE)), errors
