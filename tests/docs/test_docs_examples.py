"""Every Python example in the docs site (docs/**/*.md) runs, and prints what it says it prints.

The examples are written against ``ws://127.0.0.1:8765/`` (the tutorial has the reader start
``python -m components.websocket.echoserver 8765``); here they talk to an echo server this test
starts on a free loopback port instead.  The Python blocks of one page run in order in one fresh
interpreter, as a reader following the page would run them.  A comment ``# prints: TEXT`` says
the example prints the line TEXT: those lines must appear in the output, in that order.

Shell blocks are commands, not examples: for each ``python -m MODULE`` line the module must
exist, so a renamed entry point cannot leave the docs behind.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[2] / "docs"
PLACEHOLDER = "127.0.0.1:8765"

_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", flags=re.S | re.M)

# Echo server with the subprotocol the connect() page negotiates, reporting its port.
_SERVER = """
import functools, trio
from components.websocket.echoserver import serve_echo

async def main():
    async with trio.open_nursery() as nursery:
        port = await nursery.start(functools.partial(serve_echo, protocols=("chat",)))
        print(port, flush=True)

trio.run(main)
"""


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)


def blocks(page: Path, language: str) -> list[str]:
    return [body for lang, body in _BLOCK.findall(page.read_text(encoding="utf-8")) if lang == language]


def pages_with_python() -> list[Path]:
    return [p for p in pages() if blocks(p, "python")]


@pytest.fixture(scope="module")
def echo_port() -> Iterator[int]:
    server = subprocess.Popen([sys.executable, "-c", _SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        yield int(server.stdout.readline())
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()


def test_the_docs_have_examples() -> None:
    names = {p.relative_to(DOCS).as_posix() for p in pages_with_python()}
    assert {"tutorial.md", "connect.md", "xpcom.md", "toolchain.md"} <= names


@pytest.mark.timeout(120)
@pytest.mark.parametrize("page", pages_with_python(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_examples_run(page: Path, echo_port: int, tmp_path: Path) -> None:
    code = "\n\n".join(textwrap.dedent(b) for b in blocks(page, "python"))
    expected = [m.group(1).rstrip() for m in re.finditer(r"# prints: (.*)$", code, flags=re.M)]
    script = tmp_path / f"{page.stem}.py"
    script.write_text(code.replace(PLACEHOLDER, f"127.0.0.1:{echo_port}"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=100, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    lines = iter(done.stdout.splitlines())
    for want in expected:
        assert any(line.rstrip() == want for line in lines), f"{want!r} not printed in order:\n{done.stdout}"


def test_shell_commands_name_real_modules() -> None:
    named = set()
    for page in pages():
        for body in blocks(page, "sh"):
            named |= set(re.findall(r"^python -m ([\w.]+)", body, flags=re.M))
    assert named, "no shell commands found"
    for module in sorted(named):
        assert importlib.util.find_spec(module) is not None, module
