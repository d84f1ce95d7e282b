"""HTTP/2 peers for the RFC 8441 tests, both over TLS with the test CA's certificates.

    from support.h2server import hypercorn_server, H2Server, Answer

    async with hypercorn_server() as srv:             # hypercorn + an ASGI echo app, h2 and http/1.1
        lis = await run_channel(srv.url, setup=trust)  # srv.connections: TCP connections seen
    async with hypercorn_server(alpn=("http/1.1",)) as srv: ...      # an HTTP/1.1-only server

    async with H2Server(connect_protocol=False) as srv: ...   # h2 without extended CONNECT
    async with H2Server(answer=lambda req: Answer(reset=h2.errors.ErrorCodes.REFUSED_STREAM)) as srv:

hypercorn is the real RFC 8441 server.  :class:`H2Server` is ours, on the h2 library, for
what hypercorn never does: SETTINGS without ENABLE_CONNECT_PROTOCOL, RST_STREAM, GOAWAY and
non-2xx answers on demand.  Its accepted streams are WebSocket echoes (the core's server
role, no extensions); on ALPN http/1.1 it is the built-in HTTP/1.1 echo server.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.settings
import trio

from components.websocket.echoserver import handle_connection
from components.websocket.protocol.connection import (
    BinaryMessage,
    CloseReceived,
    Connection,
    Role,
    TextMessage,
    echo_code,
)
from support.tls import server_context, test_ca

__all__ = ["Answer", "H2Server", "HypercornServer", "hypercorn_server"]


# -- hypercorn ----------------------------------------------------------------------------------------


class HypercornServer:
    """What the echo app saw: per WebSocket, the HTTP version and the client's port."""

    def __init__(self) -> None:
        self.port = 0
        self.sessions: list[dict[str, Any]] = []
        self.open_sessions = 0

    @property
    def url(self) -> str:
        return f"wss://127.0.0.1:{self.port}/echo"

    def url_for(self, path: str) -> str:
        return f"wss://127.0.0.1:{self.port}{path}"

    @property
    def connections(self) -> set[int]:
        """The client ports of the WebSockets served: one per TCP connection."""
        return {s["client"][1] for s in self.sessions}

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                await send({"type": message["type"] + ".complete"})
                if message["type"] == "lifespan.shutdown":
                    return
        if scope["type"] != "websocket":
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        self.sessions.append({"http_version": scope["http_version"], "client": scope["client"],
                              "path": scope["path"], "headers": headers,
                              "subprotocols": list(scope["subprotocols"])})
        await receive()  # websocket.connect
        if scope["path"] == "/reject":
            await send({"type": "websocket.close", "code": 1000})
            return
        protocols = scope["subprotocols"]
        await send({"type": "websocket.accept", "subprotocol": protocols[0] if protocols else None})
        self.open_sessions += 1
        try:
            while True:
                message = await receive()
                if message["type"] == "websocket.disconnect":
                    return
                if message.get("text") is not None:
                    await send({"type": "websocket.send", "text": message["text"]})
                else:
                    await send({"type": "websocket.send", "bytes": message["bytes"]})
        finally:
            self.open_sessions -= 1


@contextlib.asynccontextmanager
async def hypercorn_server(alpn: Sequence[str] = ("h2", "http/1.1")) -> AsyncIterator[HypercornServer]:
    """hypercorn on 127.0.0.1 (a free port) with the echo app, over TLS, offering *alpn*."""
    from hypercorn.config import Config
    from hypercorn.trio import serve

    cert = test_ca().issue_cert("127.0.0.1", "localhost")
    state = HypercornServer()
    with tempfile.TemporaryDirectory() as tmp:
        certfile, keyfile = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        cert.cert_chain_pems[0].write_to_path(certfile)
        cert.private_key_pem.write_to_path(keyfile)
        config = Config()
        config.bind = ["127.0.0.1:0"]
        config.certfile, config.keyfile = certfile, keyfile
        config.alpn_protocols = list(alpn)
        config.accesslog = config.errorlog = None
        config.graceful_timeout = 0.5
        stop = trio.Event()
        async with trio.open_nursery() as nursery:
            binds = await nursery.start(lambda task_status: serve(  # type: ignore[arg-type]
                state.app, config, shutdown_trigger=stop.wait, task_status=task_status))
            state.port = int(binds[0].rsplit(":", 1)[1])
            try:
                yield state
            finally:
                stop.set()


# -- our h2 server, for faults ------------------------------------------------------------------------


@dataclass
class Answer:
    """How :class:`H2Server` answers one extended CONNECT.

    ``reset``: RST_STREAM with that code instead of an answer; ``goaway``: GOAWAY with
    that code instead of an answer; ``never``: no answer at all; else ``status`` (a 2xx
    opens the WebSocket echo) with ``headers``.  ``after_first``: once the first message
    arrived on the open WebSocket, "reset" the stream, "goaway" the connection or "drop"
    TCP instead of echoing it.  ``silent``: the open WebSocket answers nothing (no echo,
    no Pong).  ``flood``: right after the 2xx, send that many bytes of 64 KiB binary messages
    as fast as the client's flow-control window allows (``flooded`` counts the bytes sent).
    """

    status: int = 200
    headers: Sequence[tuple[str, str]] = ()
    reset: int | None = None
    goaway: int | None = None
    after_first: str | None = None
    never: bool = False
    silent: bool = False
    flood: int = 0


@dataclass
class _Stream:
    ws: Connection
    answer: Answer
    messages: int = 0


@dataclass
class H2Server:
    """HTTP/2 over TLS on the h2 library (see the module docs)."""

    connect_protocol: bool = True
    max_streams: int = 100
    answer: Callable[[dict[str, str]], Answer] = field(default=lambda request: Answer())
    port: int = 0
    #: ALPN protocol of each accepted TLS connection, in order.
    connections: list[str | None] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)
    flooded: int = 0

    @property
    def url(self) -> str:
        return f"wss://127.0.0.1:{self.port}/echo"

    async def __aenter__(self) -> H2Server:
        self._cm = self._running()
        return await self._cm.__aenter__()

    async def __aexit__(self, *exc: Any) -> bool | None:
        return await self._cm.__aexit__(*exc)

    @contextlib.asynccontextmanager
    async def _running(self) -> AsyncIterator[H2Server]:
        ctx = server_context()
        ctx.set_alpn_protocols(["h2", "http/1.1"])
        async with trio.open_nursery() as nursery:
            serve = partial(trio.serve_ssl_over_tcp, self._serve, 0, ctx, host="127.0.0.1")
            listeners = await nursery.start(serve)
            self.port = listeners[0].transport_listener.socket.getsockname()[1]
            try:
                yield self
            finally:
                nursery.cancel_scope.cancel()

    async def _serve(self, tls: trio.SSLStream[Any]) -> None:
        try:
            await tls.do_handshake()
        except trio.BrokenResourceError:
            return
        alpn = tls.selected_alpn_protocol()
        self.connections.append(alpn)
        if alpn != "h2":
            await handle_connection(tls)
            return
        try:
            await self._serve_h2(tls)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            pass
        finally:
            await trio.aclose_forcefully(tls)

    async def _serve_h2(self, tls: trio.SSLStream[Any]) -> None:
        config = h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        conn = h2.connection.H2Connection(config)
        settings: dict[int, int] = {h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: self.max_streams}
        if self.connect_protocol:
            settings[h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL] = 1
        conn.local_settings = h2.settings.Settings(client=False, initial_values=settings)
        conn.initiate_connection()
        await tls.send_all(conn.data_to_send())
        streams: dict[int, _Stream] = {}
        floods: dict[int, memoryview] = {}
        while True:
            data = await tls.receive_some(65536)
            if not data:
                return
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    request = dict(event.headers)  # type: ignore[arg-type]
                    self.requests.append(request)
                    answer = self.answer(request)
                    sid = event.stream_id
                    if answer.never:
                        pass
                    elif answer.goaway is not None:
                        conn.close_connection(answer.goaway)
                    elif answer.reset is not None:
                        conn.reset_stream(sid, answer.reset)
                    elif 200 <= answer.status < 300:
                        conn.send_headers(sid, [(":status", str(answer.status)), *answer.headers])
                        ws = Connection(Role.SERVER)
                        ws.establish()
                        streams[sid] = _Stream(ws, answer)
                        if answer.flood:
                            message = ws.send_binary(bytes(65536))
                            floods[sid] = memoryview(message * (answer.flood // 65536))
                    else:
                        conn.send_headers(sid, [(":status", str(answer.status)), *answer.headers],
                                          end_stream=True)
                elif isinstance(event, h2.events.DataReceived):
                    conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    stream = streams.get(event.stream_id)
                    if stream is not None and not stream.answer.silent:
                        if not self._echo(conn, event.stream_id, stream, event.data):
                            return  # "drop": TCP closed under every stream
                elif isinstance(event, h2.events.StreamEnded | h2.events.StreamReset):
                    streams.pop(event.stream_id, None)
                    floods.pop(event.stream_id, None)
            for sid, rest in list(floods.items()):
                while rest:
                    n = min(len(rest), conn.local_flow_control_window(sid), conn.max_outbound_frame_size)
                    if n <= 0:
                        break
                    conn.send_data(sid, rest[:n])
                    self.flooded += n
                    rest = rest[n:]
                floods[sid] = rest
            await tls.send_all(conn.data_to_send())
            if conn.state_machine.state is h2.connection.ConnectionState.CLOSED:
                return

    @staticmethod
    def _echo(conn: h2.connection.H2Connection, sid: int, stream: _Stream, data: bytes) -> bool:
        """Echo what *data* completes; False: close TCP now."""
        ws, out, end = stream.ws, [], False
        for ev in ws.receive_data(data):
            if isinstance(ev, TextMessage | BinaryMessage):
                stream.messages += 1
                fault = stream.answer.after_first if stream.messages == 1 else None
                if fault == "reset":
                    conn.reset_stream(sid, h2.errors.ErrorCodes.INTERNAL_ERROR)
                    return True
                if fault == "goaway":
                    conn.close_connection(h2.errors.ErrorCodes.NO_ERROR)
                    return True
                if fault == "drop":
                    return False
                out.append(ws.send_text(ev.data) if isinstance(ev, TextMessage) else ws.send_binary(ev.data))
            elif isinstance(ev, CloseReceived):
                code = echo_code(ev.code)
                out.append(ws.send_close(code, ev.reason if code else ""))
                end = True
        wire = ws.take_control() + b"".join(out)
        if wire or end:
            conn.send_data(sid, wire, end_stream=end)
        return True
