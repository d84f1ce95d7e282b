"""The `websockets` echo server in a child process, for tests with thousands of connections.

    from support.wsprocess import websockets_echo_process

    with websockets_echo_process() as [url]:      # ws://127.0.0.1:<port>/
        ...                                       # open channels to url
    with websockets_echo_process(("127.0.0.1", "127.0.0.2")) as urls:   # one URL per address
        ...

Several loopback addresses let handshakes run side by side: the channel admits one CONNECTING
connection per address (RFC 6455 4.1), so a test that opens thousands of connections one
address at a time waits a round trip per connection.

support.wsserver runs the same independent server in a thread of the test process; here it gets
a process (and so a core) of its own, and its memory and CPU stay out of the test process's
figures (RSS per connection, CPU per message). It lifts its own RLIMIT_NOFILE, answers Close
frames and pings, echoes every message, and exits when the context ends (its stdin closes).
"""

from __future__ import annotations

import contextlib
import select
import subprocess
import sys
from collections.abc import Iterator, Sequence

__all__ = ["websockets_echo_process"]

_SERVER = r"""
import asyncio, resource, sys
from websockets.asyncio.server import serve

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

async def echo(ws):
    async for msg in ws:
        await ws.send(msg)

async def main():
    loop = asyncio.get_running_loop()
    gone = loop.create_future()
    loop.add_reader(0, lambda: sys.stdin.buffer.read1(4096) or gone.done() or gone.set_result(None))
    hosts = sys.argv[1:] or ["127.0.0.1"]
    async with serve(echo, hosts, 0, ping_interval=None, compression=None, backlog=4096,
                     max_queue=None) as server:
        print("URLS", *(f"ws://%s:%d/" % s.getsockname()[:2] for s in server.sockets), flush=True)
        await gone

asyncio.run(main())
"""


@contextlib.contextmanager
def websockets_echo_process(hosts: Sequence[str] = ("127.0.0.1",),
                            timeout: float = 20.0) -> Iterator[list[str]]:
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, *hosts], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdin is not None
    try:
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        line = proc.stdout.readline() if ready else b""
        if not line.startswith(b"URLS "):
            raise RuntimeError(f"the websockets echo server did not start (said {line!r})")
        yield line.decode().split()[1:]
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        proc.stdout.close()
