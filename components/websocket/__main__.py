"""``wschannel`` / ``python -m components.websocket``: an interactive WebSocket client.

    wschannel ws://127.0.0.1:9001/chat        # stdin lines are sent, messages printed
    wschannel                                 # no URL: talks to a built-in echo server
    wschannel URL --binary big.iso            # sends a file with sendBinaryStream

It is built only on the public surface -- the channel comes from
``Cc["@mozilla.org/network/protocol;1?name=ws"]`` like in Firefox chrome code --
so it doubles as a worked example.  Received text goes to stdout, one message
per line; everything else (connection info, binary message sizes, the progress
bar, errors) goes to stderr so stdout can be piped.

stdin is read on a plain thread that calls ``sendMsg`` directly: the channel's
send methods are thread-safe, which this exercises.  End of input closes the
connection cleanly (1000); the exit status is 0 after a clean close, 1 when the
connection failed (the status name is printed), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import os
import ssl
import sys
import threading
from functools import partial
from typing import Any, TextIO

import trio

from components import Cc, Ci, Cr, XPCOMError, newURI
from components.results import result_name
from components.websocket.echoserver import serve_echo

__all__ = ["main"]

BAR_WIDTH = 30


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)  # pragma: no cover


class _CountingReader:
    """A binary file whose reads report progress.

    onAcknowledge fires once per *message*, so for one big sendBinaryStream it can
    only say "done".  The bar therefore follows the bytes the channel has read
    from the file (on its worker thread) and stops one step short of full; the
    acknowledgement -- the last byte written to the socket -- completes it.
    """

    def __init__(self, path: str, report: Any) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close(), which the channel calls
        self.size = os.fstat(self._file.fileno()).st_size
        self._report = report
        self._read = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self._file.read(n)
        self._read += len(chunk)
        self._report(min(self._read, self.size - 1))
        return chunk

    def close(self) -> None:
        self._file.close()


class _Client:
    """The nsIWebSocketListener of the CLI."""

    def __init__(self, channel: Any, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
        self.channel = channel
        self.args = args
        self.out, self.err = out, err
        self.done = trio.Event()
        self.status: int | None = None
        self.file_size = 0
        self.acked = 0
        self._bar_lock = threading.Lock()

    def _note(self, text: str) -> None:
        if not self.args.quiet:
            print(text, file=self.err, flush=True)

    def _progress(self, sent: int) -> None:
        if self.args.quiet or not self.file_size:
            return
        with self._bar_lock:  # reads report from the channel's worker thread
            if self.acked < self.file_size or sent >= self.file_size:  # never redraw after 100%
                self._draw(sent)

    def _draw(self, sent: int) -> None:
        filled = BAR_WIDTH * sent // self.file_size
        pct = 100 * sent // self.file_size
        self.err.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {pct:3d}% "
                       f"{_size(sent)} / {_size(self.file_size)}")
        if sent >= self.file_size:
            self.err.write("\n")
        self.err.flush()

    # -- nsIWebSocketListener -----------------------------------------------------------------------

    def onStart(self, ctx: Any) -> None:
        ch = self.channel
        info = [f"connected to {ch.URI.spec}"]
        if ch.protocol:
            info.append(f"protocol {ch.protocol}")
        if ch.extensions:
            info.append(f"extensions {ch.extensions}")
        self._note("; ".join(info))
        if self.args.binary:
            f = _CountingReader(self.args.binary, self._progress)
            self.file_size = f.size
            self._progress(0)
            ch.sendBinaryStream(f, self.file_size)
        threading.Thread(target=self._read_stdin, name="wschannel stdin", daemon=True).start()

    def _read_stdin(self) -> None:
        # A plain thread: sendMsg/close are safe to call off the trio thread.
        stdin = sys.stdin
        try:
            for line in stdin:
                self.channel.sendMsg(line.rstrip("\r\n"))
            self.channel.close(Ci.nsIWebSocketChannel.CLOSE_NORMAL, "")
        except XPCOMError:
            pass  # the connection ended meanwhile; onStop reports why

    def onMessageAvailable(self, ctx: Any, msg: str) -> None:
        print(msg, file=self.out, flush=True)

    def onBinaryMessageAvailable(self, ctx: Any, msg: bytes) -> None:
        self._note(f"< binary message, {len(msg)} bytes")

    def onAcknowledge(self, ctx: Any, size: int) -> None:
        if self.file_size and size == self.file_size and self.acked < self.file_size:
            self.acked = size
            self._progress(size)

    def onServerClose(self, ctx: Any, code: int, reason: str) -> None:
        self._note(f"server closed: {code}{' ' + reason if reason else ''}")

    def onError(self) -> None:
        pass

    def onStop(self, ctx: Any, status: int) -> None:
        self.status = status
        self.done.set()


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wschannel",
        description="Interactive WebSocket client on the nsIWebSocketChannel component. Lines read "
        "from stdin are sent as text messages; received messages are printed. Without a URL, a "
        "built-in echo server is started on 127.0.0.1 and used.",
    )
    p.add_argument("url", nargs="?", help="ws:// or wss:// URL (default: a built-in echo server)")
    p.add_argument("--binary", metavar="FILE", help="send FILE as one binary message (sendBinaryStream)")
    p.add_argument("--protocol", default="", help="subprotocols to offer, comma-separated")
    p.add_argument("--origin", default="", help="the Origin header")
    p.add_argument("--cafile", help="trust the CA certificates in this PEM file (wss)")
    p.add_argument("-q", "--quiet", action="store_true", help="print received messages only")
    return p


async def _session(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    async with trio.open_nursery() as nursery:
        url = args.url
        if url is None:
            port = await nursery.start(partial(serve_echo, 0))
            url = f"ws://127.0.0.1:{port}/"
            if not args.quiet:
                print(f"echo server on {url}", file=err, flush=True)
        try:
            uri = newURI(url)
            scheme = uri.scheme
            if scheme not in ("ws", "wss"):
                raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"not a ws: or wss: URL: {url}")
            ch = Cc[f"@mozilla.org/network/protocol;1?name={scheme}"].createInstance(Ci.nsIWebSocketChannel)
            ch.protocol = args.protocol
            if args.cafile:
                ch.sslContext = ssl.create_default_context(cafile=args.cafile)
            client = _Client(ch, args, out, err)
            ch.asyncOpen(uri, args.origin, client, None)
        except XPCOMError as e:
            print(f"wschannel: error: {e}", file=err, flush=True)
            nursery.cancel_scope.cancel()
            return 2
        await client.done.wait()
        nursery.cancel_scope.cancel()
    status = client.status
    if status == Cr.NS_OK:
        return 0
    assert status is not None
    print(f"wschannel: error: connection ended with {result_name(status)} (0x{status:08x})",
          file=err, flush=True)
    return 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.binary and not os.path.isfile(args.binary):
        print(f"wschannel: error: no such file: {args.binary}", file=sys.stderr)
        return 2
    try:
        return trio.run(_session, args, sys.stdout, sys.stderr)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
