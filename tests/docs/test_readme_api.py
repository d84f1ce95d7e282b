"""The README's connect(), sync.connect() and frame-log examples run as written, against the
built-in echo server (the URL in them is pointed at it)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

README = Path(__file__).parents[2] / "README.md"

pytestmark = pytest.mark.timeout(60)

_SERVER = textwrap.dedent("""
    import threading, trio
    from functools import partial
    from components.websocket.echoserver import serve_echo

    _ready = threading.Event()
    async def _serve():
        global PORT
        async with trio.open_nursery() as nursery:
            PORT = await nursery.start(partial(serve_echo, 0))
            _ready.set()
            await trio.sleep_forever()
    threading.Thread(target=trio.run, args=(_serve,), daemon=True).start()
    _ready.wait()
""")


def _block(marker: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    (block,) = [b for b in blocks if marker in b]
    return block.replace('"ws://127.0.0.1:9001/path"', 'f"ws://127.0.0.1:{PORT}/path"')


def _run(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", _SERVER + script], capture_output=True, text=True,
                          timeout=50)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_async_connect_example() -> None:
    out = _run(_block("from components.websocket import connect"))
    assert out.splitlines() == ["hello", "b'\\x00\\x01'", "1000 "]


def test_sync_connect_example() -> None:
    out = _run(_block("from components.websocket.sync import connect"))
    assert out.splitlines() == ["hello", "again"]


def test_frame_log_example() -> None:
    script = _block("websocketevent/service;1") + textwrap.dedent("""
        from components.websocket.sync import connect
        with connect(f"ws://127.0.0.1:{PORT}/") as ws:
            ws.send("logged")
            ws.recv(timeout=5)
    """)
    out = _run(script)
    assert "-> 1 b'logged'" in out and "<- 1 b'logged'" in out and "-> 8 b'\\x03\\xe8'" in out
