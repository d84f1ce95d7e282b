"""The `websockets` server as a witness of what the handshake request carried.

    from support.httprecorder import recording_server

    with recording_server() as srv:                       # accepts, then closes with 1000
        lis = await run_channel(srv.url_for("/x"), setup=...)
    srv.requests[0].headers["user-agent"]                 # what the server received
    srv.requests[0].raw                                   # [(name, value), ...] as sent

    def decide(connection, request):                      # websockets' process_request
        return answer(connection, 401, [("WWW-Authenticate", 'Basic realm="r"')])
    with recording_server(decide, set_cookies=["sid=1; Path=/"]) as srv: ...

*decide* may be any websockets ``process_request`` (such as ``basic_auth(...)``) and
runs after the request is recorded; *set_cookies* are added to the 101 through
``process_response``.  :func:`answer` builds a non-101 response with headers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.http11 import Request, Response

from support.wsserver import websockets_server

__all__ = ["Recorded", "RecordingServer", "answer", "recording_server"]


@dataclass
class Recorded:
    """One request the server received."""

    path: str
    raw: list[tuple[str, str]]

    @property
    def headers(self) -> dict[str, str]:
        """Header values by lower-case name (the last one when repeated)."""
        return {n.lower(): v for n, v in self.raw}

    def all(self, name: str) -> list[str]:
        return [v for n, v in self.raw if n.lower() == name.lower()]


class RecordingServer:
    def __init__(self, server: Any) -> None:
        self.server = server
        self.requests: list[Recorded] = []

    @property
    def port(self) -> int:
        return int(self.server.port)

    @property
    def url(self) -> str:
        return str(self.server.url)

    def url_for(self, path: str, userinfo: str = "") -> str:
        at = f"{userinfo}@" if userinfo else ""
        return f"{self.server.scheme}://{at}127.0.0.1:{self.port}{path}"


def answer(connection: ServerConnection, status: int, headers: Iterable[tuple[str, str]] = ()) -> Response:
    """A refusal (or redirect) with *headers*, for a process_request to return."""
    response = connection.respond(status, "")
    for name, value in headers:
        response.headers[name] = value
    return response


async def _close_at_once(ws: ServerConnection) -> None:
    await ws.close(1000, "")


@contextlib.contextmanager
def recording_server(
    decide: Callable[[ServerConnection, Request], Any] | None = None,
    *,
    set_cookies: Iterable[str] = (),
    **serve_kw: Any,
) -> Iterator[RecordingServer]:
    cookies = list(set_cookies)
    rec: RecordingServer

    async def process_request(connection: ServerConnection, request: Request) -> Response | None:
        rec.requests.append(Recorded(request.path, list(request.headers.raw_items())))
        if decide is None:
            return None
        result = decide(connection, request)
        if hasattr(result, "__await__"):
            result = await result
        return result  # type: ignore[no-any-return]

    def process_response(connection: ServerConnection, request: Request, response: Response) -> Response:
        if response.status_code == 101:
            for cookie in cookies:
                response.headers["Set-Cookie"] = cookie  # (Headers appends)
        return response

    with websockets_server(
        _close_at_once, process_request=process_request, process_response=process_response, **serve_kw
    ) as server:
        rec = RecordingServer(server)
        yield rec
