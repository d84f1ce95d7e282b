"""The README's examples run as written (against the built-in echo server).

The usage example is the first thing a newcomer copies; if the public surface
drifts from it, this test fails instead of the newcomer.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

README = Path(__file__).parents[2] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.timeout(60)
def test_usage_example_echoes_through_the_channel() -> None:
    example = next(b for b in _python_blocks() if "asyncOpen" in b)
    assert "ws://127.0.0.1:9001/path" in example and example.rstrip().endswith("trio.run(main)")
    # Point the example at a built-in echo server on a free port instead of 9001, and
    # print onStop's status so the test sees the clean close.
    example = example.replace('newURI("ws://127.0.0.1:9001/path")', 'newURI(f"ws://127.0.0.1:{PORT}/path")')
    example = example.replace("self.done.set()", "print('stop', status); self.done.set()")
    example = example.rstrip().removesuffix("trio.run(main)")
    script = example + textwrap.dedent("""
        from components.websocket.echoserver import serve_echo

        async def _top():
            global PORT
            async with trio.open_nursery() as nursery:
                PORT = await nursery.start(serve_echo)
                await main()
                nursery.cancel_scope.cancel()

        trio.run(_top)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=50)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["hello", "stop 0"], done.stdout + done.stderr
