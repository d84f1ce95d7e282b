"""wschannel's options, output styles and error messages: the real command in a subprocess (pipes, or
a pty for the interactive prompt) against the `websockets` server, raw servers and a real proxy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import trio
from support.rawserver import RawServer, http_response
from support.wsserver import websockets_server

pytestmark = pytest.mark.timeout(60)

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "components.websocket"]


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONWARNINGS="error")
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env.pop(name, None)  # (the machine's own proxy settings must not leak into the tests)
    env.update(extra)
    return env


def run_cli(*args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, cwd=ROOT, env=_env(**env),
                          timeout=45)


async def arun_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """The CLI while this test's trio run serves a RawServer."""
    return await trio.run_process([*CLI, *args], stdin=stdin, capture_stdout=True, capture_stderr=True,
                                  cwd=ROOT, env=_env(), check=False)


async def echo_handler(ws: Any) -> None:
    """Echo; a client that closes right after its last line is not an error here."""
    from websockets.exceptions import ConnectionClosed

    try:
        async for msg in ws:
            await ws.send(msg)
    except ConnectionClosed:
        pass


def _events(out: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.decode().splitlines()]


def test_json_output_tells_sent_from_received() -> None:
    proc = run_cli("--json", stdin="héllo\n".encode())
    assert proc.returncode == 0, proc.stderr.decode()
    events = _events(proc.stdout)
    assert [e["event"] for e in events] == ["open", "message", "message", "close"]
    assert events[0]["url"].startswith("ws://127.0.0.1:") and events[0]["http"] == "http/1.1"
    assert events[1] == {"event": "message", "direction": "sent", "type": "text", "data": "héllo"}
    assert events[2]["direction"] == "received" and events[2]["data"] == "héllo"
    assert events[3] == {"event": "close", "code": 1000, "reason": ""}


def test_prefix_marks_sent_and_received_lines() -> None:
    proc = run_cli("--prefix", "-q", stdin=b"one\n")
    assert proc.returncode == 0
    assert proc.stdout.decode().splitlines() == ["> one", "< one"]


def test_frame_log_with_compression_headers_and_subprotocol() -> None:
    seen: dict[str, Any] = {}

    async def handler(ws: Any) -> None:
        seen["ua"] = ws.request.headers.get("X-Trace")
        seen["protocol"] = ws.subprotocol
        await ws.send("server says " * 3)  # compressed, before the client can close
        await echo_handler(ws)

    with websockets_server(handler, subprotocols=["b"]) as srv:
        proc = run_cli(srv.url, "-v", "-H", "X-Trace: abc 123", "--subprotocol", "a", "--subprotocol", "b",
                       stdin=b"compress me compress me compress me\n")
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert seen == {"ua": "abc 123", "protocol": "b"}
    assert "protocol b; extensions permessage-deflate" in err
    lines = err.splitlines()
    assert any(ln.startswith("-> TEXT   FIN RSV1 MASK") and ln.endswith(" 35 bytes") for ln in lines), err
    assert any(ln.startswith("<- TEXT   FIN RSV1 ") and ln.endswith(" 36 bytes") for ln in lines), err
    assert any(line.startswith("-> CLOSE  FIN MASK") for line in lines)


def test_no_compression_and_json_frames() -> None:
    async def greeting_then_echo(ws: Any) -> None:
        await ws.send("hi")  # a received frame whatever the race with the client's close
        await echo_handler(ws)

    with websockets_server(greeting_then_echo) as srv:
        proc = run_cli(srv.url, "--no-compression", "--json", "-v", stdin=b"x\n")
    assert proc.returncode == 0, proc.stderr.decode()
    events = _events(proc.stdout)
    (opened,) = [e for e in events if e["event"] == "open"]  # (frames may be logged before it)
    assert opened["extensions"] == ""
    frames = [e for e in events if e["event"] == "frame"]
    sent = [f for f in frames if f["direction"] == "sent"]
    assert sent[0] == {"event": "frame", "direction": "sent", "opcode": 1, "name": "TEXT", "fin": True,
                       "rsv1": False, "rsv2": False, "rsv3": False, "masked": True, "length": 1}
    received = [f for f in frames if f["direction"] == "received"]
    assert received[0]["name"] == "TEXT" and not received[0]["masked"]


def test_ping_interval_pings_on_an_idle_connection() -> None:
    with websockets_server(echo_handler) as srv:
        cmd = [*CLI, srv.url, "-v", "--ping-interval", "1"]
        with subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              cwd=ROOT, env=_env()) as proc:
            assert proc.stderr is not None and proc.stdin is not None
            lines = []
            while not any(line.startswith("<- PONG") for line in lines):  # the idle second passes,
                line = proc.stderr.readline().decode()                    # a Ping goes, its Pong comes
                assert line, lines
                lines.append(line)
            proc.stdin.close()
            rest = proc.stderr.read().decode()
    text = "".join(lines) + rest
    assert proc.returncode == 0, text
    assert "-> PING" in text and "<- PONG" in text


def test_max_size_failure_exits_3_and_says_why() -> None:
    async def handler(ws: Any) -> None:
        await ws.send("y" * 5000)
        await ws.wait_closed()

    with websockets_server(handler) as srv:
        proc = run_cli(srv.url, "--max-size", "1000", stdin=b"")
    err = proc.stderr.decode()
    assert proc.returncode == 3, err
    assert "message exceeds the size limit (NS_ERROR_FILE_TOO_BIG)" in err


async def test_forbidden_handshake_says_so() -> None:
    async with RawServer(respond=http_response("HTTP/1.1 403 Forbidden")) as srv:
        proc = await arun_cli(srv.url)
    assert proc.returncode == 1
    assert "server answered 403 Forbidden" in proc.stderr.decode()


async def test_connection_lost_after_open_exits_3() -> None:
    async def script(peer: Any) -> None:
        await peer.send_text("bye")
        await peer.abort()

    async with RawServer(script) as srv:
        proc = await arun_cli(srv.url, stdin=b"")
    assert proc.returncode == 3
    assert proc.stdout == b"bye\n"
    assert "(NS_BASE_STREAM_CLOSED)" in proc.stderr.decode()


async def test_tls_verification_message(tmp_path: Path) -> None:
    import ssl
    from functools import partial

    import trustme

    from components.websocket.echoserver import handle_connection

    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(partial(trio.serve_ssl_over_tcp, handle_connection, 0, server_ctx,
                                                host="127.0.0.1"))
        port = listeners[0].transport_listener.socket.getsockname()[1]
        proc = await arun_cli(f"wss://127.0.0.1:{port}/")
        nursery.cancel_scope.cancel()
    assert proc.returncode == 1
    assert "certificate verify failed" in proc.stderr.decode()


def test_bad_header_and_proxy_arguments_exit_2() -> None:
    proc = run_cli("-H", "no colon here")
    assert proc.returncode == 2 and "a header is 'Name: value'" in proc.stderr.decode()
    proc = run_cli("-H", "Upgrade: h2c")
    assert proc.returncode == 2
    proc = run_cli("--proxy", "gopher://127.0.0.1:70")
    assert proc.returncode == 2


def test_proxy_that_refuses_says_why() -> None:
    proc = run_cli("--proxy", "http://127.0.0.1:1", "ws://example.invalid/")
    assert proc.returncode == 1
    assert "NS_ERROR_PROXY_CONNECTION_REFUSED" in proc.stderr.decode()


def test_through_a_real_http_proxy() -> None:
    from support.proxies import tinyproxy

    async def greeting(ws: Any) -> None:
        await ws.send("through the tunnel")  # before the client, at end of input, closes
        await echo_handler(ws)

    with websockets_server(greeting) as srv, tinyproxy() as proxy:
        proc = run_cli(srv.url, "--proxy", proxy.url, "-q", "-v")
        log = proxy.log.read_text(errors="replace")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b"through the tunnel\n"
    assert f"127.0.0.1:{srv.port}" in log  # the tunnel went through tinyproxy


def test_proxy_environment_is_followed_like_curl() -> None:
    # http_proxy names a closed port: the failure says the proxy refused, so the CLI went to the
    # proxy (and never resolved the name itself, which would have said "no such host").
    proc = run_cli("ws://example.invalid/", http_proxy="http://127.0.0.1:1")
    assert proc.returncode == 1
    assert "NS_ERROR_PROXY_CONNECTION_REFUSED" in proc.stderr.decode()


def test_interactive_prompt_readline_and_history(tmp_path: Path) -> None:
    import pty

    history = tmp_path / "history"
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(ROOT)
        env = _env(WSCHANNEL_HISTORY=str(history), TERM="dumb")
        os.execve(sys.executable, [*CLI], env)
    output = b""

    def read_until(needle: bytes, timeout: float = 20.0) -> None:
        nonlocal output
        deadline = time.monotonic() + timeout
        while needle not in output:
            assert time.monotonic() < deadline, output
            try:
                output += os.read(fd, 4096)
            except OSError:
                break

    read_until(b"> ")
    os.write(fd, b"first line\r")
    # A prompt under the echo: the next input() holds the terminal (a Ctrl-D sent before that
    # would meet a cooked terminal, as a user's could not).
    read_until(b"< first line\r\n> ")
    os.write(fd, b"\x04")  # Ctrl-D: close cleanly
    read_until(b"server closed: 1000")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert "first line" in history.read_text()


def test_json_error_event() -> None:
    proc = run_cli("--json", "ws://127.0.0.1:9/")
    assert proc.returncode == 1
    (event,) = _events(proc.stdout)
    assert event["event"] == "error" and event["status"] == "NS_ERROR_WEBSOCKET_CONNECTION_REFUSED"
    assert event["message"] == "connection refused by 127.0.0.1:9" and event["code"] is None
