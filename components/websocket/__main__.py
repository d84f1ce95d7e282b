"""``wschannel`` / ``python -m components.websocket``: an interactive WebSocket client.

    wschannel ws://127.0.0.1:9001/chat        # stdin lines are sent, messages printed
    wschannel                                 # no URL: talks to a built-in echo server
    wschannel URL --binary big.iso            # sends a file with sendBinaryStream
    wschannel URL -v                          # plus a live frame log (nsIWebSocketEventService)
    wschannel URL --json                      # one JSON object per event on stdout

It is built only on the public surface -- :func:`components.websocket.connect`
over the channel component, the frame log from ``Cc["@mozilla.org/websocketevent/
service;1"]`` -- so it doubles as a worked example.

Output.  Received text goes to stdout, one message per line; everything else
(connection info, binary message sizes, the frame log, the progress bar, errors)
goes to stderr, so stdout can be piped.  On a terminal (or with ``--prefix``)
received lines start with ``< `` and sent ones with ``> `` (the prompt, with
readline editing and a history file); ``--json`` prints every event instead as one
JSON object per line on stdout (``open``, ``message`` with ``direction`` sent or
received, ``frame``, ``close``, ``error``; binary data in base64).

Exit status: 0 after a clean close; 1 when the connection could not be opened;
2 for usage errors; 3 when an open connection failed or ended without the closing
handshake; 130 when interrupted.  Errors say why ("connection refused by
127.0.0.1:1", "no such host ...", "server answered 403 Forbidden ...", the TLS
verification message) and name the status (``NS_ERROR_...``).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import ssl
import sys
import threading
from collections.abc import Callable
from functools import partial
from typing import Any, Final, TextIO

import trio

from components.results import Cr, XPCOMError, result_name
from components.websocket.client import ConnectionClosedError, ConnectionClosedOK, WebSocket, connect
from components.websocket.echoserver import serve_echo

__all__ = ["EXIT_CONNECTION_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_OPEN_FAILED", "EXIT_USAGE", "main"]

EXIT_OK: Final = 0
EXIT_OPEN_FAILED: Final = 1
EXIT_USAGE: Final = 2
EXIT_CONNECTION_FAILED: Final = 3
EXIT_INTERRUPTED: Final = 130

_OPCODES: Final = {0: "CONT", 1: "TEXT", 2: "BINARY", 8: "CLOSE", 9: "PING", 10: "PONG"}
_HISTORY_LENGTH: Final = 1000


class _Output:
    """Everything the CLI prints, from any thread, in one of its two styles."""

    def __init__(self, args: argparse.Namespace, out: TextIO, err: TextIO, interactive: bool) -> None:
        self.json = bool(args.json)
        self.quiet = bool(args.quiet)
        self.prefix = (args.prefix or interactive) and not self.json
        self.interactive = interactive and not self.json
        self.out, self.err = out, err
        self._lock = threading.Lock()
        #: True while readline's input() holds the terminal (set by its pre-input hook, once
        #: the terminal is in raw mode and the prompt is drawn): only then is a prompt redrawn
        #: under a printed line, so a "> " on the screen always means keys are being read.
        self.prompting = False

    def _emit(self, stream: TextIO, line: str) -> None:
        with self._lock:
            if self.interactive:
                # Print above the prompt, then redraw it with what is typed so far.
                import readline

                stream.write(f"\r\x1b[K{line}\n")
                stream.flush()
                if self.prompting:
                    self.out.write("> " + readline.get_line_buffer())
                    self.out.flush()
            else:
                stream.write(line + "\n")
                stream.flush()

    def event(self, kind: str, **fields: Any) -> None:
        if self.json:
            self._emit(self.out, json.dumps({"event": kind, **fields}, ensure_ascii=False))

    def note(self, text: str) -> None:
        if not self.quiet and not self.json:
            self._emit(self.err, text)

    def error(self, text: str) -> None:
        self._emit(self.err, f"wschannel: error: {text}")

    # -- what happened ------------------------------------------------------------------------

    def opened(self, ws: WebSocket) -> None:
        ch = ws.channel
        http = getattr(ch, "httpVersion", "")
        self.event("open", url=ws.url, subprotocol=ws.subprotocol, extensions=ws.extensions,
                   http=http, serial=ch.serial)
        info = [f"connected to {ws.url}"]
        if ws.subprotocol:
            info.append(f"protocol {ws.subprotocol}")
        if ws.extensions:
            info.append(f"extensions {ws.extensions}")
        if http:
            info.append(http)
        self.note("; ".join(info))

    def message(self, sent: bool, msg: str | bytes) -> None:
        direction = "sent" if sent else "received"
        if self.json:
            if isinstance(msg, str):
                self.event("message", direction=direction, type="text", data=msg)
            else:
                self.event("message", direction=direction, type="binary",
                           data=base64.b64encode(msg).decode("ascii"), length=len(msg))
        elif isinstance(msg, str):
            if not sent:
                self._emit(self.out, f"< {msg}" if self.prefix else msg)
            elif self.prefix and not self.interactive:  # (on a terminal the prompt shows it)
                self._emit(self.out, f"> {msg}")
        elif not sent:
            self.note(f"< binary message, {len(msg)} bytes")

    def frame(self, sent: bool, frame: Any) -> None:
        name = _OPCODES.get(frame.opCode, str(frame.opCode))
        flags = [f for f, on in (("FIN", frame.finBit), ("RSV1", frame.rsvBit1), ("RSV2", frame.rsvBit2),
                                 ("RSV3", frame.rsvBit3), ("MASK", frame.maskBit)) if on]
        if self.json:
            self.event("frame", direction="sent" if sent else "received", opcode=frame.opCode, name=name,
                       fin=frame.finBit, rsv1=frame.rsvBit1, rsv2=frame.rsvBit2, rsv3=frame.rsvBit3,
                       masked=frame.maskBit, length=len(frame.payload))
        else:
            self._emit(self.err, f"{'->' if sent else '<-'} {name:<6} {' '.join(flags):<18} "
                                 f"{len(frame.payload)} bytes")

    def closed(self, ws: WebSocket) -> None:
        self.event("close", code=ws.close_code, reason=ws.close_reason)
        if ws.close_code is not None and ws.close_code != 1006:
            self.note(f"server closed: {ws.close_code}{' ' + ws.close_reason if ws.close_reason else ''}")

    def failed(self, e: XPCOMError) -> None:
        from components.proxy import describe_status

        why = e.message or describe_status(e.result) or "failed"
        self.event("error", status=result_name(e.result), result=e.result, message=why,
                   code=getattr(e, "code", None))
        self.error(f"{why} ({result_name(e.result)})")


class _FrameLog:
    """An nsIWebSocketEventListener printing the frames of one channel."""

    def __init__(self, output: _Output) -> None:
        self.output = output
        self.serial: int | None = None

    def _mine(self, serial: int) -> bool:
        return self.serial is None or serial == self.serial

    def webSocketCreated(self, serial: int, uri: str, protocols: str) -> None: ...
    def webSocketOpened(self, serial: int, uri: str, protocols: str, extensions: str, http: int) -> None: ...
    def webSocketMessageAvailable(self, serial: int, data: Any, kind: int) -> None: ...
    def webSocketClosed(self, serial: int, clean: bool, code: int, reason: str) -> None: ...

    def frameReceived(self, serial: int, frame: Any) -> None:
        if self._mine(serial):
            self.output.frame(False, frame)

    def frameSent(self, serial: int, frame: Any) -> None:
        if self._mine(serial):
            self.output.frame(True, frame)


class _CountingReader:
    """A binary file whose reads move the progress bar.

    onAcknowledge fires once per *message*, so for one big sendBinaryStream it can
    only say "done".  The bar therefore follows the bytes the channel has read from
    the file (on its worker thread) and stops one byte short of full; the
    acknowledgement -- the last byte written to the socket -- completes it.
    """

    def __init__(self, path: str, bar: Any) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close(), which the channel calls
        self.size = os.fstat(self._file.fileno()).st_size
        self._bar = bar
        self._read = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self._file.read(n)
        self._read += len(chunk)
        if self._bar is not None:
            self._bar.update(min(self._read, self.size - 1) - self._bar.n)
        return chunk

    def close(self) -> None:
        self._file.close()


# -- the session ----------------------------------------------------------------------------------


def _line_reader(interactive: bool, output: _Output) -> Callable[[], str | None]:
    """A blocking "next line or None at EOF" for stdin (readline's input() on a terminal)."""
    if interactive:
        import readline

        def prompting() -> None:
            output.prompting = True

        readline.set_pre_input_hook(prompting)

        def read_interactive() -> str | None:
            try:
                return input("> ")
            except EOFError:
                return None
            finally:
                output.prompting = False

        return read_interactive

    def read_piped() -> str | None:
        line = sys.stdin.readline()
        return line.rstrip("\r\n") if line else None

    return read_piped


def _history_file() -> str:
    return os.environ.get("WSCHANNEL_HISTORY") or os.path.expanduser("~/.wschannel_history")


async def _send_file(ws: WebSocket, path: str, output: _Output) -> None:
    bar = None
    if not output.quiet and not output.json:
        from tqdm import tqdm

        bar = tqdm(total=os.path.getsize(path), unit="B", unit_scale=True, unit_divisor=1024,
                   file=output.err, mininterval=0, ascii=not output.err.isatty(), leave=True)
    reader = _CountingReader(path, bar)
    await ws.send_stream(reader, reader.size)
    while ws.buffered_amount and not ws.closed:  # the acknowledgement completes the bar
        await trio.sleep(0.02)
    if bar is not None:
        if not ws.closed:
            bar.update(bar.total - bar.n)
        bar.close()
    output.event("sent_file", path=path, length=reader.size, complete=not ws.closed)


async def _pump_stdin(ws: WebSocket, output: _Output, read_line: Callable[[], str | None]) -> None:
    # One reader thread for the whole session, so that the next read (on a terminal:
    # readline's input(), which puts the terminal in raw mode) is already waiting while the
    # previous line is being sent. A thread per line left a gap in which the terminal was back
    # in cooked mode, where a Ctrl-D typed ahead became a NUL for the next input(): lost.
    # The channel is small, so a fast pipe is still read only as fast as the lines go out.
    send, receive = trio.open_memory_channel[str | None | Exception](16)
    token = trio.lowlevel.current_trio_token()

    def reader() -> None:
        while True:
            try:
                item: str | None | Exception = read_line()
            except Exception as e:  # e.g. undecodable input: reported by the session
                item = e
            try:
                trio.from_thread.run(send.send, item, trio_token=token)
            except (trio.RunFinishedError, trio.BrokenResourceError, trio.Cancelled):
                return
            if not isinstance(item, str):
                return

    threading.Thread(target=reader, name="wschannel-stdin", daemon=True).start()
    async with receive:
        async for item in receive:
            if isinstance(item, Exception):
                raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"cannot read stdin: {item}") from None
            if item is None:
                break
            await ws.send(item)
            output.message(True, item)
    await ws.close(1000)


async def _talk(ws: WebSocket, args: argparse.Namespace, output: _Output, interactive: bool) -> None:
    """Send (the file, then stdin's lines) while printing what arrives; raises the
    receiving side's ConnectionClosedError, if any, once the sender is stopped."""

    async def sending() -> None:
        try:
            if args.binary:
                await _send_file(ws, args.binary, output)
            await _pump_stdin(ws, output, _line_reader(interactive, output))
        except (ConnectionClosedOK, ConnectionClosedError):
            pass  # the receiving side reports how the connection ended

    failure: ConnectionClosedError | None = None
    async with trio.open_nursery() as nursery:
        nursery.start_soon(sending)
        try:
            async for msg in ws:
                output.message(False, msg)
        except ConnectionClosedError as e:
            failure = e
        finally:
            nursery.cancel_scope.cancel()  # (a stdin read still blocked is abandoned)
    if failure is not None:
        raise failure


def _options(args: argparse.Namespace) -> dict[str, Any]:
    protocols = [p.strip() for p in (args.protocol or "").split(",") if p.strip()] + list(args.subprotocol)
    headers = []
    for header in args.header:
        name, sep, value = header.partition(":")
        if not sep or not name.strip():
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"a header is 'Name: value', not {header!r}")
        headers.append((name.strip(), value.strip()))
    options: dict[str, Any] = {
        "subprotocols": protocols,
        "origin": args.origin,
        "headers": headers,
        "compression": not args.no_compression,
        "proxy": args.proxy,
    }
    if args.ping_interval is not None:
        options["ping_interval"] = args.ping_interval
    if args.ping_timeout is not None:
        options["ping_timeout"] = args.ping_timeout
    if args.max_size is not None:
        options["max_size"] = args.max_size
    if args.cafile:
        try:
            options["ssl"] = ssl.create_default_context(cafile=args.cafile)
        except (OSError, ssl.SSLError) as e:
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, f"cannot read {args.cafile}: {e}") from None
    return options


async def _session(args: argparse.Namespace, out: TextIO, err: TextIO, interactive: bool) -> int:
    output = _Output(args, out, err, interactive)
    async with trio.open_nursery() as nursery:
        url = args.url
        if url is None:
            port = await nursery.start(partial(serve_echo, 0))
            url = f"ws://127.0.0.1:{port}/"
            output.note(f"echo server on {url}")
        try:
            status = await _client(url, args, output, interactive)
        finally:
            nursery.cancel_scope.cancel()
    return status


async def _client(url: str, args: argparse.Namespace, output: _Output, interactive: bool) -> int:
    frames = None
    if args.frames:
        from components import Cc, Ci

        service = Cc["@mozilla.org/websocketevent/service;1"].getService(Ci.nsIWebSocketEventService)
        frames = _FrameLog(output)
        service.addListener(0, frames)
    try:
        try:
            opener = connect(url, **_options(args))
        except XPCOMError as e:
            output.error(e.message or str(e))
            return EXIT_USAGE
        if frames is not None:
            frames.serial = opener.channel.serial
        opened = False
        try:
            async with opener as ws:
                opened = True
                output.opened(ws)
                await _talk(ws, args, output, interactive)
        except ConnectionClosedOK:
            pass
        except ConnectionClosedError as e:
            if opened:
                output.closed(ws)
            output.failed(e)
            return EXIT_CONNECTION_FAILED if opened else EXIT_OPEN_FAILED
        except XPCOMError as e:  # (asyncOpen's own checks: a fragment, no host ...)
            output.error(e.message or str(e))
            return EXIT_USAGE
        output.closed(ws)
        return EXIT_OK
    finally:
        if frames is not None:
            await trio.sleep(0)  # let the last frames' events arrive
            service.removeListener(0, frames)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wschannel",
        description="Interactive WebSocket client on the nsIWebSocketChannel component. Lines read "
        "from stdin are sent as text messages; received messages are printed. Without a URL, a "
        "built-in echo server is started on 127.0.0.1 and used.",
        epilog="exit status: 0 clean close, 1 could not connect, 2 usage error, 3 the connection "
        "failed after opening, 130 interrupted",
    )
    p.add_argument("url", nargs="?", help="ws:// or wss:// URL (default: a built-in echo server)")
    p.add_argument("-H", "--header", action="append", default=[], metavar="'NAME: VALUE'",
                   help="add a request header to the handshake (repeatable)")
    p.add_argument("--subprotocol", action="append", default=[], metavar="NAME",
                   help="offer a subprotocol (repeatable, in order of preference)")
    p.add_argument("--protocol", default="", help="subprotocols to offer, comma-separated")
    p.add_argument("--origin", default="", help="the Origin header")
    p.add_argument("--no-compression", action="store_true", help="do not offer permessage-deflate")
    p.add_argument("--ping-interval", type=int, metavar="SECONDS",
                   help="send a keepalive ping after this idle time")
    p.add_argument("--ping-timeout", type=int, metavar="SECONDS", help="how long a ping may go unanswered")
    p.add_argument("--max-size", type=int, metavar="BYTES",
                   help="largest message accepted (default: the pref)")
    p.add_argument("--proxy", metavar="URL", help="proxy URL: http://host:port, socks5h://host:port, "
                   "direct:// for none (default: http_proxy / https_proxy / all_proxy / no_proxy, as curl)")
    p.add_argument("--cafile", help="trust the CA certificates in this PEM file (wss)")
    p.add_argument("--binary", metavar="FILE", help="send FILE as one binary message (sendBinaryStream)")
    p.add_argument("-v", "--frames", action="store_true",
                   help="log every frame sent and received (direction, opcode, flags, length) to stderr")
    p.add_argument("--json", action="store_true",
                   help="print every event as one JSON object per line on stdout")
    p.add_argument("--prefix", action="store_true",
                   help="mark lines '< ' (received) and '> ' (sent) even when not on a terminal")
    p.add_argument("-q", "--quiet", action="store_true", help="print received messages only")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.binary and not os.path.isfile(args.binary):
        print(f"wschannel: error: no such file: {args.binary}", file=sys.stderr)
        return EXIT_USAGE
    interactive = sys.stdin.isatty() and sys.stdout.isatty() and not args.json
    history = None
    if interactive:
        import readline

        history = _history_file()
        try:
            readline.read_history_file(history)
        except OSError:
            pass  # no history yet
        readline.set_history_length(_HISTORY_LENGTH)
    try:
        return trio.run(_session, args, sys.stdout, sys.stderr, interactive)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    finally:
        if history is not None:
            import readline

            try:
                readline.write_history_file(history)
            except OSError:
                pass
            sys.stdout.write("\n")


if __name__ == "__main__":
    sys.exit(main())
