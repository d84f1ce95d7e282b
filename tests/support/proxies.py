"""Real proxy servers, started by the tests on 127.0.0.1 (each in its own process).

    from support.proxies import tinyproxy, proxy_py, microsocks, twisted_socks4

    with tinyproxy() as p:                      # HTTP CONNECT (Debian's tinyproxy)
        p.url                                    # "http://127.0.0.1:<port>"
    with tinyproxy(auth=("u", "pw")) as p: ...   # answers 407 without Basic credentials
    with proxy_py(auth=("u", "pw"), tls=True) as p:   # proxy.py from PyPI; tls: an https:// proxy
        p.url                                    # "https://127.0.0.1:<port>" (test CA's certificate)
    with microsocks(auth=("u", "pw")) as p: ...  # SOCKS 5 (Debian's microsocks), RFC 1929 auth
    with twisted_socks4() as p: ...              # SOCKS 4 / 4a (Twisted's twistd socks, PyPI)

Each server gets a free port, is waited for until it accepts connections, and is
stopped (SIGTERM, then SIGKILL) at exit; its output goes to a log file named in
errors.  A missing program fails the test with the install command in the
message (CI installs them all in .ci/run) unless PROXY_TESTS_ALLOW_SKIP=1, which
only a developer's machine should set.

Channel helpers: `via(proxy)` is a setup for open_channel (the proxy as a URL or an
nsIProxyInfo, and the test CA trusted); `echo_once(url, setup)` opens, echoes one message
and closes cleanly; `expect_failure(url, setup, status)` expects onError + onStop(status);
`echo_origin(tls=False)` is the websockets echo server; `no_local_dns()` makes this trio
run's resolver refuse every name (and record them), so that a `local_url(srv)`
(ws://localhost:port/) can only be reached through a proxy that resolves it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import trio

from components import Cr
from components.proxy import proxy_info_from_url
from support.listener import RecordingListener, open_channel
from support.tls import client_context, server_context
from support.wsserver import echo_handler, websockets_server

__all__ = [
    "RunningProxy", "echo_once", "echo_origin", "expect_failure", "free_port", "local_url", "microsocks",
    "no_local_dns", "proxy_py", "tinyproxy", "twisted_socks4", "via",
]

_INSTALL = {
    "tinyproxy": "apt-get install tinyproxy",
    "microsocks": "apt-get install microsocks",
    "proxy": "pip install proxy.py",
    "twistd": "pip install twisted",
}


@dataclass
class RunningProxy:
    scheme: str
    port: int
    log: Path
    auth: tuple[str, str] | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def authority(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.authority}"

    def url_with(self, user: str, password: str) -> str:
        return f"{self.scheme}://{user}:{password}@{self.authority}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None and name in ("proxy", "twistd"):
        candidate = Path(sys.executable).with_name(name)
        found = str(candidate) if candidate.exists() else None
    if found is None:
        message = f"{name} is not installed ({_INSTALL[name]}; .ci/run installs it)"
        if os.environ.get("PROXY_TESTS_ALLOW_SKIP") == "1":
            pytest.skip(message)
        pytest.fail(message)
    return found


def _wait_listening(proc: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"proxy exited with {proc.returncode}: {tail}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"proxy did not listen on {port} within {timeout}s: {tail}")


@contextlib.contextmanager
def _run(argv: list[str], port: int, scheme: str, workdir: Path,
         auth: tuple[str, str] | None = None) -> Iterator[RunningProxy]:
    log = workdir / "proxy.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=workdir
        )
    running = RunningProxy(scheme, port, log, auth, proc)
    try:
        _wait_listening(proc, port, log)
        yield running
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextlib.contextmanager
def tinyproxy(auth: tuple[str, str] | None = None) -> Iterator[RunningProxy]:
    """tinyproxy in the foreground; every CONNECT port allowed (no ConnectPort line)."""
    program = _program("tinyproxy")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="tinyproxy-") as tmp:
        workdir = Path(tmp)
        lines = [f"Port {port}", "Listen 127.0.0.1", "Timeout 30", "MaxClients 50", "LogLevel Connect",
                 "Allow 127.0.0.1", "DisableViaHeader Yes"]
        if auth is not None:
            lines.append(f"BasicAuth {auth[0]} {auth[1]}")
        conf = workdir / "tinyproxy.conf"
        conf.write_text("\n".join(lines) + "\n")
        with _run([program, "-d", "-c", str(conf)], port, "http", workdir, auth) as running:
            yield running


@contextlib.contextmanager
def proxy_py(auth: tuple[str, str] | None = None, tls: bool = False) -> Iterator[RunningProxy]:
    """proxy.py, one acceptor; *tls*: it speaks TLS itself (an https:// proxy) with a certificate
    for 127.0.0.1 from the test CA (support.tls)."""
    program = _program("proxy")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="proxypy-") as tmp:
        workdir = Path(tmp)
        argv = [program, "--hostname", "127.0.0.1", "--port", str(port), "--num-acceptors", "1",
                "--num-workers", "1", "--log-level", "WARNING", "--port-file", str(workdir / "port")]
        if auth is not None:
            argv += ["--basic-auth", f"{auth[0]}:{auth[1]}"]
        if tls:
            from support.tls import test_ca

            cert = test_ca().issue_cert("127.0.0.1", "localhost")
            cert.private_key_pem.write_to_path(str(workdir / "key.pem"))
            cert.cert_chain_pems[0].write_to_path(str(workdir / "cert.pem"))
            argv += ["--cert-file", str(workdir / "cert.pem"), "--key-file", str(workdir / "key.pem")]
        with _run(argv, port, "https" if tls else "http", workdir, auth) as running:
            yield running


@contextlib.contextmanager
def microsocks(auth: tuple[str, str] | None = None) -> Iterator[RunningProxy]:
    """microsocks (SOCKS 5); with *auth* it requires RFC 1929 username/password."""
    program = _program("microsocks")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="microsocks-") as tmp:
        argv = [program, "-i", "127.0.0.1", "-p", str(port)]
        if auth is not None:
            argv += ["-u", auth[0], "-P", auth[1]]
        with _run(argv, port, "socks5h", Path(tmp), auth) as running:
            yield running


@contextlib.contextmanager
def twisted_socks4() -> Iterator[RunningProxy]:
    """Twisted's SOCKS 4 server (``twistd socks``), which also speaks SOCKS 4a: it resolves a
    name sent after the 0.0.0.x address itself."""
    program = _program("twistd")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="twistd-socks-") as tmp:
        argv = [program, "--nodaemon", "--pidfile=", "socks", "-i", "127.0.0.1", "-p", str(port)]
        with _run(argv, port, "socks4a", Path(tmp)) as running:
            yield running


# -- the channel through a proxy ------------------------------------------------------------


class _NoLocalDNS(trio.abc.HostnameResolver):
    """A resolver that refuses every name and remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def getaddrinfo(self, host: Any, port: Any, family: int = 0, type: int = 0,
                          proto: int = 0, flags: int = 0) -> Any:
        self.asked.append(host.decode() if isinstance(host, bytes) else str(host))
        raise socket.gaierror(socket.EAI_NONAME, "local DNS is off in this test")

    async def getnameinfo(self, sockaddr: Any, flags: int) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "off")


def no_local_dns() -> _NoLocalDNS:
    resolver = _NoLocalDNS()
    trio.socket.set_custom_hostname_resolver(resolver)
    return resolver


@contextlib.contextmanager
def echo_origin(tls: bool = False) -> Iterator[Any]:
    with websockets_server(echo_handler, compression=None, ssl=server_context() if tls else None) as srv:
        yield srv


def via(proxy: Any, tls: bool = False) -> Callable[[Any], None]:
    def setup(ch: Any) -> None:
        ch.proxyInfo = proxy if not isinstance(proxy, str) else proxy_info_from_url(proxy)
        ch.sslContext = client_context()
    return setup


async def echo_once(
    url: str, setup: Callable[[Any], None], text: str = "through the proxy"
) -> RecordingListener:
    """Open, send *text*, expect it back, close; returns the listener (status NS_OK checked)."""
    lis = RecordingListener(on_start=lambda lis: lis.channel.sendMsg(text))
    open_channel(url, lis, setup=setup)
    _kind, got = await lis.wait_for("message")
    assert got == text
    lis.channel.close(1000, "")
    status = await lis.wait_stopped()
    lis.expect_status(Cr.NS_OK)
    assert status == Cr.NS_OK
    return lis


async def expect_failure(url: str, setup: Callable[[Any], None], status: int) -> RecordingListener:
    lis = RecordingListener()
    open_channel(url, lis, setup=setup)
    await lis.wait_stopped()
    lis.expect_status(status)
    assert lis.kinds() == ["error", "stop"]
    return lis


def local_url(srv: Any, scheme: str = "ws") -> str:
    return f"{scheme}://localhost:{srv.port}/"
