"""The HTTP side of the opening handshake: what each hop's request carries, what its answer leaves.

Theory of operation
-------------------
Firefox opens a WebSocket through an HTTP channel, and host applications change
the handshake through that channel: request headers, cookies, credentials, and the
observer service's ``http-on-modify-request`` / ``http-on-examine-response``.  Here
the same shape is split in two:

* :class:`HandshakeRequests` lives for one asyncOpen.  It holds what the WebSocket
  channel fixed (its extra headers, with the default User-Agent; its cookie jar; the
  URI's credentials) and what the open learns on the way (the challenge answered,
  and for which origin).  The opener asks it, per hop, for a
  :class:`HandshakeChannel` (:meth:`~HandshakeRequests.begin`), hands it the
  response head (:meth:`~HandshakeRequests.examine`), and after a 401 asks whether
  to try again (:meth:`~HandshakeRequests.answer_challenge`).
* :class:`HandshakeChannel` is one hop's nsIHttpChannel: the subject observers see.
  Its request headers are final once ``http-on-modify-request`` has run; they go to
  :class:`~.protocol.handshake.ClientHandshake` as its extra fields (over HTTP/1.1
  or, lower-cased, in an HTTP/2 extended CONNECT).

Each hop's request is built in one order: the channel's headers (User-Agent first),
then ``Authorization``, then ``Cookie`` (merged after a Cookie the host set), then
the observers.  Credentials belong to an origin (scheme, host, port): the URI's
userinfo to the origin of the URI that asyncOpen was given, a prompt's answer to
the origin that asked.  A redirect to another origin carries neither, nor the
Authorization or Cookie fields the host set on the channel; its cookies are the
jar's for the new URI.

Authentication (RFC 9110 §11): the URI's credentials are sent with the first
request as Basic, as websockets, aiohttp and curl do (Firefox waits for a 401).  A
401 is answered at most once per origin, with the strongest challenge we can meet
(:func:`~.protocol.httpauth.choose_challenge`) and credentials from the URI (unless
those were just refused) or else from the nsIAuthPrompt2 behind notificationCallbacks;
a Digest ``stale=true`` after our answer gets one more try with the new nonce.
A 401 that cannot be answered, or a second one, fails the open as any other
refusal (NS_ERROR_WEBSOCKET_CONNECTION_REFUSED).  The retry uses a new connection.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from typing import Any, Final

from zope.interface import implementer

from components.interfaces import Ci
from components.observers import has_observers, observer_service
from components.results import Cr, XPCOMError
from components.websocket.cookies import cookie_header, default_cookie_jar, store_cookies
from components.websocket.credentials import Credentials, prompt_credentials, uri_credentials
from components.websocket.protocol.handshake import ResponseHead
from components.websocket.protocol.httpauth import (
    Challenge,
    basic_authorization,
    choose_challenge,
    digest_authorization,
    parse_challenges,
)
from components.websocket.protocol.httpfields import FieldRefused, HeaderList

__all__ = [
    "MODIFY_REQUEST",
    "EXAMINE_RESPONSE",
    "HandshakeChannel",
    "HandshakeRequests",
    "channel_headers",
    "default_user_agent",
    "set_request_header",
    "visit_headers",
]

log = logging.getLogger("components.websocket")

MODIFY_REQUEST: Final = "http-on-modify-request"
EXAMINE_RESPONSE: Final = "http-on-examine-response"
#: The preference that replaces the default User-Agent (Firefox's name).
USER_AGENT_PREF: Final = "general.useragent.override"
_DEFAULT_PORT: Final = {"ws": 80, "wss": 443}
#: Response fields Firefox joins with a newline rather than ", " (their values hold commas).
_NEWLINE_JOINED: Final = frozenset({"set-cookie", "www-authenticate", "proxy-authenticate"})

Origin = tuple[str, str, int]


@functools.cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xpcom-websocket")
    except PackageNotFoundError:
        return "0"


def default_user_agent() -> str:
    """``User-Agent`` when neither the channel nor ``general.useragent.override`` sets one."""
    return f"xpcom-websocket/{_version()}"


def channel_headers(prefs: Any) -> HeaderList:
    """A channel's starting headers: just User-Agent (the preference's, else ours)."""
    headers = HeaderList()
    try:
        agent = str(prefs.getCharPref(USER_AGENT_PREF, ""))
    except Exception:  # noqa: BLE001 - a mistyped pref is no pref
        agent = ""
    headers.put("User-Agent", agent.strip() or default_user_agent())
    return headers


def set_request_header(headers: HeaderList, name: Any, value: Any, merge: Any) -> None:
    """nsIHttpChannel.setRequestHeader's checks and effect, for the channel and a hop."""
    try:
        headers.set(name, value, bool(merge))
    except FieldRefused as e:
        raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, str(e)) from None


def get_request_header(headers: HeaderList, name: Any) -> str:
    value = headers.get(name) if isinstance(name, str) else None
    if value is None:
        raise XPCOMError(Cr.NS_ERROR_NOT_AVAILABLE, f"no {name!r} request header")
    return value


def visit_headers(fields: Any, visitor: Any) -> None:
    """Call ``visitor.visitHeader`` (or *visitor* itself) for each ``(name, value)`` of *fields*."""
    visit: Callable[[str, str], Any] | None = getattr(visitor, "visitHeader", None)
    if visit is None:
        if not callable(visitor):
            raise XPCOMError(Cr.NS_ERROR_ILLEGAL_VALUE, "a visitor has visitHeader or is callable")
        visit = visitor
    for name, value in list(fields):
        try:
            visit(name, value)
        except XPCOMError:
            raise
        except Exception as e:  # noqa: BLE001 - nothing but XPCOMError leaves a public method
            raise XPCOMError(Cr.NS_ERROR_FAILURE, f"the header visitor raised {e!r}") from e


def _origin(uri: Any) -> Origin:
    return (uri.scheme, uri.asciiHost, uri.port if uri.port != -1 else _DEFAULT_PORT.get(uri.scheme, -1))


@implementer(Ci.nsIHttpChannel)
class HandshakeChannel:
    """One hop of the opening handshake as an nsIHttpChannel (see the interface)."""

    __slots__ = ("_callbacks", "_headers", "_response", "_sent", "_uri")

    def __init__(self, uri: Any, headers: HeaderList, callbacks: Any) -> None:
        self._uri = uri
        self._headers = headers
        self._callbacks = callbacks
        self._sent = False
        self._response: ResponseHead | None = None

    @property
    def requestMethod(self) -> str:
        return "GET"

    @property
    def URI(self) -> Any:
        return self._uri

    @property
    def notificationCallbacks(self) -> Any:
        return self._callbacks

    def setRequestHeader(self, aHeader: str, aValue: str, aMerge: bool) -> None:
        if self._sent:
            raise XPCOMError(Cr.NS_ERROR_IN_PROGRESS, "the request has been written")
        set_request_header(self._headers, aHeader, aValue, aMerge)

    def getRequestHeader(self, aHeader: str) -> str:
        return get_request_header(self._headers, aHeader)

    def visitRequestHeaders(self, aVisitor: Any) -> None:
        visit_headers(self._headers, aVisitor)

    def _head(self) -> ResponseHead:
        if self._response is None:
            raise XPCOMError(Cr.NS_ERROR_NOT_AVAILABLE, "no response yet")
        return self._response

    @property
    def responseStatus(self) -> int:
        return self._head().status

    @property
    def responseStatusText(self) -> str:
        return self._head().reason

    def getResponseHeader(self, header: str) -> str:
        lower = header.lower() if isinstance(header, str) else ""
        values = [v for n, v in self._head().headers if n == lower]
        if not values:
            raise XPCOMError(Cr.NS_ERROR_NOT_AVAILABLE, f"no {header!r} response header")
        return ("\n" if lower in _NEWLINE_JOINED else ", ").join(values)

    def visitResponseHeaders(self, aVisitor: Any) -> None:
        visit_headers(self._head().headers, aVisitor)

    # -- for the opener ---------------------------------------------------------------------------

    def request_headers(self) -> list[tuple[str, str]]:
        """The extra request fields, final once the hop has begun."""
        return self._headers.items()


class HandshakeRequests:
    """The HTTP requests of one open (see the module docs)."""

    __slots__ = (
        "_answered", "_auth", "_channel", "_first", "_headers", "_jar", "_observers", "_stale",
        "_uri_credentials",
    )

    def __init__(self, channel: Any, uri: Any, headers: HeaderList, cookie_jar: Any) -> None:
        self._channel = channel
        self._first = uri
        self._headers = headers
        self._jar = cookie_jar if cookie_jar is not None else default_cookie_jar()
        self._uri_credentials = uri_credentials(uri)
        self._observers = _observer_service()  # (looked up once per open: a connection's cost)
        # The answered challenge: (origin, challenge, credentials, requests made with it).
        self._auth: tuple[Origin, Challenge, Credentials, int] | None = None
        self._answered: set[Origin] = set()
        self._stale: set[Origin] = set()  # origins whose Digest nonce went stale once

    def begin(self, uri: Any) -> HandshakeChannel:
        """The hop to *uri*: its request headers built and shown to ``http-on-modify-request``."""
        headers = self._headers.copy()
        origin = _origin(uri)
        if origin != _origin(self._first):
            headers.remove("Authorization")  # the host's own fields stay with their origin
            headers.remove("Cookie")
        authorization = self._authorization(uri, origin, headers)
        if authorization is not None:
            headers.put("Authorization", authorization)
        if self._jar is not None:
            cookies = cookie_header(self._jar, uri, self._first)
            if cookies:
                headers.put("Cookie", cookies, merge=True)
        hop = HandshakeChannel(uri, headers, getattr(self._channel, "notificationCallbacks", None))
        self._notify(hop, MODIFY_REQUEST)
        hop._sent = True
        return hop

    def examine(self, hop: HandshakeChannel, response: ResponseHead | None) -> None:
        """The hop's response head has arrived: cookies into the jar, ``http-on-examine-response``."""
        if response is None or hop._response is not None:
            return
        hop._response = response
        if self._jar is not None:
            store_cookies(self._jar, hop._uri, self._first, response.headers)
        self._notify(hop, EXAMINE_RESPONSE)

    def _notify(self, hop: HandshakeChannel, topic: str) -> None:
        service = self._observers
        if service is None or not has_observers(service, topic):
            return
        try:
            service.notifyObservers(hop, topic, "")
        except Exception:  # noqa: BLE001 - a host's replacement service must not break the open
            log.exception("notifying %s failed", topic)

    def _authorization(self, uri: Any, origin: Origin, headers: HeaderList) -> str | None:
        auth = self._auth
        if auth is not None and auth[0] == origin:
            _origin_, challenge, creds, count = auth
            self._auth = (origin, challenge, creds, count + 1)
            return _answer(challenge, creds, uri, count + 1)
        if (
            self._uri_credentials is not None
            and origin == _origin(self._first)
            and "Authorization" not in headers
        ):
            return basic_authorization(self._uri_credentials.username, self._uri_credentials.password)
        return None

    def answer_challenge(self, hop: HandshakeChannel) -> bool:
        """After a 401 to *hop*: True when the same URI should be tried again with credentials."""
        response = hop._response
        if response is None or response.status != 401:
            return False
        uri = hop._uri
        origin = _origin(uri)
        challenges = parse_challenges(v for n, v in response.headers if n == "www-authenticate")
        challenge = choose_challenge(challenges)
        if challenge is None:
            return False
        if origin in self._answered:
            # Answered once already: those credentials were refused too -- unless the server
            # says only our nonce was stale (RFC 7616 §3.3): then once more, same credentials.
            auth = self._auth
            stale = challenge.scheme == "digest" and challenge.params.get("stale", "").lower() == "true"
            if not stale or auth is None or auth[0] != origin or origin in self._stale:
                return False
            self._stale.add(origin)
            self._auth = (origin, challenge, auth[2], 0)
            return True
        sent = hop._headers.get("Authorization")
        known = self._uri_credentials if origin == _origin(self._first) else None
        creds = known
        if creds is not None and sent is not None and challenge.scheme == "basic":
            creds = None  # the URI's were sent as Basic and refused: ask
        if creds is None:
            username = known.username if known is not None else ""
            creds = prompt_credentials(
                self._channel,
                scheme=challenge.scheme,
                realm=challenge.realm,
                secure=uri.scheme == "wss",
                previous_failed=sent is not None,
                username=username,
            )
        if creds is None:
            return False
        self._answered.add(origin)
        self._auth = (origin, challenge, creds, 0)
        return True


def _answer(challenge: Challenge, creds: Credentials, uri: Any, count: int) -> str:
    if challenge.scheme == "basic":
        return basic_authorization(creds.username, creds.password)
    return digest_authorization(
        challenge,
        creds.username,
        creds.password,
        method="GET",
        uri=uri.pathQueryRef or "/",
        cnonce=os.urandom(16).hex(),
        nc=count,
    )


def _observer_service() -> Any:
    try:
        return observer_service()
    except Exception:  # noqa: BLE001 - no (working) observer service: nobody to notify
        log.exception("no observer service")
        return None
