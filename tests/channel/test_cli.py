"""The wschannel CLI end to end, in a subprocess with piped stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60)

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONWARNINGS="error")
    return subprocess.run(
        [sys.executable, "-m", "components.websocket", *args],
        input=stdin, capture_output=True, cwd=ROOT, env=env, timeout=45,
    )


def test_without_url_talks_to_the_builtin_echo_server() -> None:
    proc = run_cli(stdin="hello\nwörld\n\nlast line".encode())
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().splitlines() == ["hello", "wörld", "", "last line"]
    err = proc.stderr.decode()
    assert "echo server on ws://127.0.0.1:" in err
    assert "server closed: 1000" in err


def test_quiet_mode_prints_only_messages() -> None:
    proc = run_cli("-q", stdin=b"a\nb\n")
    assert proc.returncode == 0
    assert proc.stdout == b"a\nb\n"
    assert proc.stderr == b""


def test_binary_file_is_streamed_with_progress(tmp_path: Path) -> None:
    f = tmp_path / "blob.bin"
    f.write_bytes(os.urandom(2_500_000))
    proc = run_cli("--binary", str(f), stdin=b"")
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "100%|" in err and "2.38M/2.38M" in err  # tqdm's bar, completed by onAcknowledge
    assert "< binary message, 2500000 bytes" in err
    # The bar moves while the file is read in 1 MiB chunks, not only on the one
    # acknowledgement at the end: 1 MiB and 2 MiB of 2.5 MB read.
    assert " 42%|" in err and " 84%|" in err
    assert err.index(" 84%|") < err.index("100%|")


def test_connection_failure_exits_1_and_says_why() -> None:
    proc = run_cli("ws://127.0.0.1:9/")
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "connection refused by 127.0.0.1:9 (NS_ERROR_WEBSOCKET_CONNECTION_REFUSED)" in err


def test_bad_arguments_exit_2() -> None:
    assert run_cli("http://127.0.0.1/").returncode == 2
    proc = run_cli("--binary", "/no/such/file")
    assert proc.returncode == 2 and "no such file" in proc.stderr.decode()
    assert run_cli("--no-such-option").returncode == 2


def test_console_script_entry_point_is_declared() -> None:
    from importlib.metadata import entry_points

    (ep,) = [e for e in entry_points(group="console_scripts") if e.name == "wschannel"]
    assert ep.value == "components.websocket.__main__:main"


async def test_wss_url_with_cafile(tmp_path: Path) -> None:
    import ssl
    from functools import partial

    import trio
    import trustme

    from components.websocket.echoserver import handle_connection

    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(partial(trio.serve_ssl_over_tcp, handle_connection, 0, server_ctx,
                                                host="127.0.0.1"))
        port = listeners[0].transport_listener.socket.getsockname()[1]
        url = f"wss://127.0.0.1:{port}/"
        env = dict(os.environ, PYTHONWARNINGS="error")
        cli = [sys.executable, "-m", "components.websocket"]
        ok = await trio.run_process([*cli, "-q", "--cafile", str(cafile), url], stdin=b"secure\n",
                                    capture_stdout=True, capture_stderr=True, cwd=ROOT, env=env, check=False)
        untrusted = await trio.run_process([sys.executable, "-m", "components.websocket", url], stdin=b"",
                                           capture_stdout=True, capture_stderr=True, cwd=ROOT, env=env,
                                           check=False)
        nursery.cancel_scope.cancel()
    assert ok.returncode == 0, ok.stderr.decode()
    assert ok.stdout == b"secure\n"
    assert untrusted.returncode == 1
    assert "NS_ERROR_NET_INADEQUATE_SECURITY" in untrusted.stderr.decode()
