"""Server authentication: URI credentials, 401 Basic and Digest challenges, nsIAuthPrompt2, redirects."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from support.httprecorder import Recorded, answer, recording_server
from support.listener import run_channel
from support.rawserver import RawServer, http_response
from websockets.asyncio.server import ServerConnection, basic_auth
from websockets.http11 import Request, Response
from zope.interface import implementer

from components import Ci, Cr
from components.manager import NoInterfaceError

pytestmark = pytest.mark.timeout(60)

REFUSED = Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED
INFO = Ci.nsIAuthInformation


@implementer(Ci.nsIAuthPrompt2)
class Prompt:
    """Answers from a list (one per question); records every question."""

    def __init__(self, *answers: tuple[str, str] | None | Exception) -> None:
        self.answers = list(answers)
        self.asked: list[dict[str, Any]] = []

    def promptAuth(self, aChannel: Any, level: int, authInfo: Any) -> bool:
        self.asked.append(dict(
            channel=aChannel, level=level, flags=authInfo.flags, scheme=authInfo.authenticationScheme,
            realm=authInfo.realm, username=authInfo.username,
        ))
        reply = self.answers.pop(0) if self.answers else None
        if isinstance(reply, Exception):
            raise reply
        if reply is None:
            return False
        authInfo.username, authInfo.password = reply
        return True


class Callbacks:
    """notificationCallbacks handing out the prompt through getInterface."""

    def __init__(self, prompt: Any) -> None:
        self.prompt = prompt

    def getInterface(self, iid: Any) -> Any:
        if iid is Ci.nsIAuthPrompt2 and self.prompt is not None:
            return self.prompt
        raise NoInterfaceError(self, iid)


def with_prompt(prompt: Any) -> Any:
    def setup(ch: Any) -> None:
        ch.notificationCallbacks = Callbacks(prompt)

    return setup


def basic_of(recorded: Recorded) -> tuple[str, str] | None:
    value = recorded.headers.get("authorization")
    if value is None:
        return None
    scheme, _, data = value.partition(" ")
    assert scheme == "Basic"
    user, _, password = base64.b64decode(data).decode().partition(":")
    return user, password


# -- Basic ------------------------------------------------------------------------------------------


async def test_uri_credentials_are_sent_as_basic_at_once() -> None:
    with recording_server(basic_auth(realm="r", credentials=("alice", "s3cr:t"))) as srv:
        lis = await run_channel(srv.url_for("/", userinfo="alice:s3cr%3At"))
    lis.expect_status(Cr.NS_OK)
    assert len(srv.requests) == 1  # preemptive: no 401 round trip
    assert basic_of(srv.requests[0]) == ("alice", "s3cr:t")


async def test_a_basic_challenge_is_answered_from_the_prompt() -> None:
    prompt = Prompt(("bob", "pw"))
    with recording_server(basic_auth(realm="the realm", credentials=("bob", "pw"))) as srv:
        lis = await run_channel(srv.url, setup=with_prompt(prompt))
    lis.expect_status(Cr.NS_OK)
    assert [basic_of(r) for r in srv.requests] == [None, ("bob", "pw")]
    [asked] = prompt.asked
    assert asked["channel"] is lis.channel
    assert (asked["scheme"], asked["realm"], asked["flags"]) == ("basic", "the realm", INFO.AUTH_HOST)
    assert asked["level"] == Ci.nsIAuthPrompt2.LEVEL_NONE


async def test_refused_uri_credentials_ask_the_prompt_with_previous_failed() -> None:
    prompt = Prompt(("alice", "right"))
    with recording_server(basic_auth(realm="r", credentials=("alice", "right"))) as srv:
        lis = await run_channel(srv.url_for("/", userinfo="alice:wrong"), setup=with_prompt(prompt))
    lis.expect_status(Cr.NS_OK)
    assert [basic_of(r) for r in srv.requests] == [("alice", "wrong"), ("alice", "right")]
    [asked] = prompt.asked
    assert asked["flags"] == INFO.AUTH_HOST | INFO.PREVIOUS_FAILED and asked["username"] == "alice"


async def test_wrong_credentials_twice_fail_after_one_retry() -> None:
    prompt = Prompt(("alice", "still wrong"), ("alice", "never asked"))
    with recording_server(basic_auth(realm="r", credentials=("alice", "right"))) as srv:
        lis = await run_channel(srv.url_for("/", userinfo="alice:wrong"), setup=with_prompt(prompt))
    lis.expect_status(REFUSED)
    assert "start" not in lis.kinds()
    assert len(srv.requests) == 2 and len(prompt.asked) == 1


@pytest.mark.parametrize("prompt", [Prompt(None), Prompt(RuntimeError("prompt bug")), None])
async def test_cancelled_failing_or_missing_prompt_is_the_refusal(prompt: Any) -> None:
    with recording_server(basic_auth(realm="r", credentials=("a", "b"))) as srv:
        lis = await run_channel(srv.url, setup=with_prompt(prompt))
    lis.expect_status(REFUSED)
    assert len(srv.requests) == 1


async def test_no_callbacks_at_all_is_the_refusal() -> None:
    with recording_server(basic_auth(realm="r", credentials=("a", "b"))) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(REFUSED)
    assert len(srv.requests) == 1


async def test_an_unknown_scheme_is_not_answered() -> None:
    prompt = Prompt(("a", "b"))
    challenge = [("WWW-Authenticate", 'Bearer realm="api"'), ("WWW-Authenticate", "Negotiate")]
    with recording_server(lambda c, r: answer(c, 401, challenge)) as srv:
        lis = await run_channel(srv.url, setup=with_prompt(prompt))
    lis.expect_status(REFUSED)
    assert prompt.asked == [] and len(srv.requests) == 1


# -- Digest (RFC 7616), checked by a server-side computation written here ---------------------------


def _h(algorithm: str, text: str) -> str:
    fn = hashlib.sha256 if algorithm.startswith("SHA-256") else hashlib.md5
    return fn(text.encode()).hexdigest()


def _digest_params(header: str) -> dict[str, str]:
    assert header.startswith("Digest ")
    return {k: v1 or v2 for k, v1, v2 in re.findall(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', header[7:])}


class DigestServer:
    """A process_request doing RFC 7616 Digest with one user."""

    def __init__(self, algorithm: str, user: str, password: str, realm: str = "ws@test") -> None:
        self.algorithm, self.user, self.password, self.realm = algorithm, user, password, realm
        self.nonce, self.opaque = "dcd98b7102dd2f0e8b11d0f600bfb0c093", "5ccc069c403ebaf9f0171e9517f40e41"
        self.answers: list[dict[str, str]] = []

    def challenge(self, connection: ServerConnection) -> Response:
        value = (f'Digest realm="{self.realm}", qop="auth, auth-int", algorithm={self.algorithm}, '
                 f'nonce="{self.nonce}", opaque="{self.opaque}"')
        # A Basic challenge too: the client must pick the stronger Digest.
        challenges = [("WWW-Authenticate", 'Basic realm="weak"'), ("WWW-Authenticate", value)]
        return answer(connection, 401, challenges)

    def __call__(self, connection: ServerConnection, request: Request) -> Response | None:
        header = request.headers.get("Authorization")
        if header is None or not header.startswith("Digest "):
            return self.challenge(connection)
        p = _digest_params(header)
        self.answers.append(p)
        alg = self.algorithm
        ha1 = _h(alg, f"{self.user}:{self.realm}:{self.password}")
        if alg.endswith("-sess"):
            ha1 = _h(alg, f"{ha1}:{p['nonce']}:{p['cnonce']}")
        ha2 = _h(alg, f"GET:{p['uri']}")
        expected = _h(alg, f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:{p['qop']}:{ha2}")
        ok = (p.get("username") == self.user and p.get("realm") == self.realm and p.get("nonce") == self.nonce
              and p.get("opaque") == self.opaque and p.get("uri") == request.path and p.get("qop") == "auth"
              and p.get("response") == expected)
        return None if ok else self.challenge(connection)


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256", "SHA-256-sess"])
async def test_digest_from_uri_credentials(algorithm: str) -> None:
    server = DigestServer(algorithm, "Mufasa", "Circle of Life")
    with recording_server(server) as srv:
        lis = await run_channel(srv.url_for("/dir/index?x=1", userinfo="Mufasa:Circle%20of%20Life"))
    lis.expect_status(Cr.NS_OK)
    assert len(srv.requests) == 2  # preemptive Basic, the challenge, the Digest answer
    [p] = server.answers
    assert (p["algorithm"], p["nc"], p["uri"]) == (algorithm, "00000001", "/dir/index?x=1")


async def test_digest_from_the_prompt_and_wrong_password() -> None:
    server = DigestServer("SHA-256", "u", "right")
    prompt = Prompt(("u", "right"))
    with recording_server(server) as srv:
        lis = await run_channel(srv.url, setup=with_prompt(prompt))
    lis.expect_status(Cr.NS_OK)
    [asked] = prompt.asked
    assert (asked["scheme"], asked["realm"]) == ("digest", "ws@test")
    assert asked["level"] == Ci.nsIAuthPrompt2.LEVEL_PW_ENCRYPTED

    prompt = Prompt(("u", "wrong"))
    with recording_server(server) as srv:
        lis = await run_channel(srv.url, setup=with_prompt(prompt))
    lis.expect_status(REFUSED)
    assert len(srv.requests) == 2


async def test_a_stale_digest_nonce_is_retried_once_without_asking() -> None:
    class StaleOnce(DigestServer):
        def __call__(self, connection: ServerConnection, request: Request) -> Response | None:
            if self.nonce == "first" and request.headers.get("Authorization", "").startswith("Digest "):
                self.nonce = "second"  # the answer to "first" is right, but "first" has expired
                value = (f'Digest realm="{self.realm}", qop="auth", nonce="second", opaque="{self.opaque}", '
                         "stale=true")
                return answer(connection, 401, [("WWW-Authenticate", value)])
            return super().__call__(connection, request)

    server = StaleOnce("MD5", "u", "p")
    server.nonce = "first"
    prompt = Prompt(("u", "p"))
    with recording_server(server) as srv:
        lis = await run_channel(srv.url, setup=with_prompt(prompt))
    lis.expect_status(Cr.NS_OK)
    assert len(srv.requests) == 3 and len(prompt.asked) == 1
    assert server.answers[-1]["nonce"] == "second"

    class AlwaysStale(DigestServer):
        def __call__(self, connection: ServerConnection, request: Request) -> Response | None:
            value = f'Digest realm="{self.realm}", qop="auth", nonce="n{len(srv.requests)}", stale=true'
            return answer(connection, 401, [("WWW-Authenticate", value)])

    with recording_server(AlwaysStale("MD5", "u", "p")) as srv:
        lis = await run_channel(srv.url_for("/", userinfo="u:p"))
    lis.expect_status(REFUSED)
    assert len(srv.requests) == 3  # preemptive Basic, the Digest answer, one stale retry; then no more


# -- credentials and redirects -----------------------------------------------------------------------


async def test_credentials_do_not_follow_a_redirect_to_another_origin() -> None:
    with recording_server() as target:
        final = target.url_for("/final")
        with recording_server(
            lambda c, r: answer(c, 302, [("Location", final)]) if r.path == "/start" else None
        ) as first:
            lis = await run_channel(
                first.url_for("/start", userinfo="alice:pw"),
                setup=lambda ch: ch.setRequestHeader("Authorization", "Bearer host-token", False),
            )
    lis.expect_status(Cr.NS_OK)
    assert first.requests[0].all("Authorization") == ["Bearer host-token"]  # the host's own wins
    assert target.requests[0].all("Authorization") == []  # another port: another origin


async def test_credentials_follow_a_same_origin_redirect() -> None:
    def decide(connection: ServerConnection, request: Request) -> Response | None:
        if request.path == "/start":
            return answer(connection, 307, [("Location", "/next")])
        return None

    with recording_server(decide) as srv:
        lis = await run_channel(srv.url_for("/start", userinfo="alice:pw"))
    lis.expect_status(Cr.NS_OK)
    assert [r.path for r in srv.requests] == ["/start", "/next"]
    assert [basic_of(r) for r in srv.requests] == [("alice", "pw"), ("alice", "pw")]


async def test_a_prompted_answer_stays_with_its_origin() -> None:
    prompt = Prompt(("bob", "pw"))
    with recording_server() as target:
        final = target.url_for("/final")
        auth = basic_auth(realm="r", credentials=("bob", "pw"))

        async def decide(connection: ServerConnection, request: Request) -> Response | None:
            refusal = await auth(connection, request)
            return refusal if refusal is not None else answer(connection, 302, [("Location", final)])

        with recording_server(decide) as first:
            lis = await run_channel(first.url, setup=with_prompt(prompt))
    lis.expect_status(Cr.NS_OK)
    assert [basic_of(r) for r in first.requests] == [None, ("bob", "pw")]
    assert target.requests[0].all("Authorization") == []


# -- what the websockets server does not send: a raw server ----------------------------------------


async def test_a_401_that_keeps_the_connection_open_is_retried_on_a_new_one() -> None:
    challenge = 'Newauth realm="x", Basic  realm="raw \\"r\\"" , charset="UTF-8"'  # two challenges, one line

    def respond(request: Any) -> bytes | None:
        if request.header("authorization") is None:
            # A keep-alive 401 with a body: the server would wait for a next request on it.
            return http_response("HTTP/1.1 401 Unauthorized",
                                 [("WWW-Authenticate", challenge), ("Content-Length", "5")], b"nope!")
        return None  # the 101

    async def script(peer: Any) -> None:
        if peer.request.header("authorization") is None:
            await peer.expect_eof()  # the client closes the connection it will not reuse
        else:
            await peer.close_handshake(1000, "")
            await peer.aclose()

    prompt = Prompt(("u", "p"))
    async with RawServer(script, respond=respond) as srv:
        lis = await run_channel(srv.url, setup=with_prompt(prompt))
    lis.expect_status(Cr.NS_OK)
    assert [r.index for r in srv.requests] == [0, 1]
    assert srv.requests[1].header("authorization") == "Basic dTpw"
    assert prompt.asked[0]["realm"] == 'raw "r"'
