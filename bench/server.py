"""The benchmark's echo server: picows on uvloop, in its own process.

Why picows: it is the fastest WebSocket implementation available to Python (Cython, frame-level
callbacks, no per-message coroutine), so the server is never the bottleneck and every client is
measured against the same peer. picows implements no permessage-deflate at all, so whatever a
client offers, compression is never negotiated: every workload compares framing, not zlib.
(Clients are additionally configured with compression disabled; see bench/README.md.)

Two resources:
  any path except /discard   echo every frame as-is (same opcode, same FIN bit), so fragmented
                             messages come back fragmented the same way and stay valid;
  /discard                   swallow data frames (the stream workload measures the client's send
                             path, not the loopback's ability to carry 1 GiB twice).
Close frames are answered with the same payload and the TCP connection is then dropped by the
server, as RFC 6455 section 7.1.1 recommends.

Usage: python -m bench.server [--port 0] [--lifetime 7200]
Prints "PORT <n>" on stdout once listening; exits after --lifetime seconds at most, or earlier
when its stdin reaches EOF (the runner holds the pipe, so the server cannot outlive it).
"""
from __future__ import annotations

import argparse
import asyncio
import sys

try:
    import uvloop
    from picows import WSFrame, WSListener, WSMsgType, WSTransport, WSUpgradeRequest, ws_create_server
except ImportError:          # no picows (or uvloop): fall back to the plain asyncio server
    WSListener = object
    HAVE_PICOWS = False
else:
    HAVE_PICOWS = True

from bench.common import raise_nofile


class Echo(WSListener):  # type: ignore[misc]
    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        mt = frame.msg_type
        if mt is WSMsgType.CLOSE:
            # Echo the close payload verbatim (empty stays empty: no 1005 on the wire), then hang up.
            transport.send(WSMsgType.CLOSE, frame.get_payload_as_bytes())
            transport.disconnect()
        elif mt is WSMsgType.PING:
            transport.send_pong(frame.get_payload_as_bytes())
        elif mt is not WSMsgType.PONG:
            # TEXT, BINARY or CONTINUATION: the payload memoryview is only valid during this
            # callback, and send() copies it into the transport's buffer, so this is safe.
            transport.send(mt, frame.get_payload_as_memoryview(), frame.fin)


class Discard(WSListener):  # type: ignore[misc]
    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        mt = frame.msg_type
        if mt is WSMsgType.CLOSE:
            transport.send(WSMsgType.CLOSE, frame.get_payload_as_bytes())
            transport.disconnect()
        elif mt is WSMsgType.PING:
            transport.send_pong(frame.get_payload_as_bytes())


def listener_for(request: WSUpgradeRequest) -> WSListener:
    return Discard() if request.path.startswith(b"/discard") else Echo()


async def serve(port: int, lifetime: float) -> None:
    server = await ws_create_server(
        listener_for, "127.0.0.1", port,
        # 1 MiB messages are the largest the echo workloads send; the stream workload's frames are
        # whatever the channel fragments into. 1 GiB bounds a single unfragmented frame.
        max_frame_size=1 << 30,
        websocket_handshake_timeout=10,
        backlog=2048,
    )
    bound = server.sockets[0].getsockname()[1]
    print(f"PORT {bound}", flush=True)

    loop = asyncio.get_running_loop()
    stdin_closed = loop.create_future()

    def on_stdin() -> None:
        # Any read of b"" means the runner went away (or closed the pipe on purpose).
        if not sys.stdin.buffer.read1(4096) and not stdin_closed.done():
            stdin_closed.set_result(None)

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    try:
        await asyncio.wait_for(stdin_closed, timeout=lifetime)
    except TimeoutError:
        pass
    finally:
        loop.remove_reader(sys.stdin.fileno())
        server.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=7200.0, help="hard upper bound on run time (s)")
    ap.add_argument("--impl", choices=("auto", "picows", "asyncio"), default="auto")
    args = ap.parse_args()
    if args.impl == "asyncio" or (args.impl == "auto" and not HAVE_PICOWS):
        from bench import rawserver

        print("bench.server: using the asyncio fallback server", file=sys.stderr)
        rawserver.main(args.port, args.lifetime)
        return
    raise_nofile()
    uvloop.run(serve(args.port, args.lifetime))


if __name__ == "__main__":
    main()
