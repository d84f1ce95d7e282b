"""Credentials for a server (401) or a proxy (407): from a URI's userinfo or an nsIAuthPrompt2.

A channel never stores passwords of its own.  It has two sources, in this order:

* the userinfo of the URI it was asked to open (``ws://user:pass@host/``), or of a
  proxy URL; percent-escapes are decoded, since nsIURI keeps userinfo escaped;
* the host application, through the ``nsIAuthPrompt2`` that the channel's
  ``notificationCallbacks`` (or, failing those, its load group's) hand out from
  ``getInterface``, exactly where Firefox looks.

:func:`prompt_credentials` asks the prompt once and turns every way of not
answering (no callbacks, no prompt, ``false``, a prompt that raised, an empty
user name and password) into ``None``, so that the caller has one thing to test:
the request then fails with the refusal it got.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from zope.interface import implementer

from components.interfaces import Ci
from components.netobjects import get_interface

__all__ = ["AuthInformation", "Credentials", "prompt_credentials", "uri_credentials"]

log = logging.getLogger("components.websocket")


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and password (and a domain, which no scheme here uses)."""

    username: str
    password: str
    domain: str = ""


def uri_credentials(uri: Any) -> Credentials | None:
    """The userinfo of *uri* (an nsIURI) as credentials, unescaped; None when it has none."""
    if not uri.hasUserPass:
        return None
    return Credentials(unquote(uri.username), unquote(uri.password))


@implementer(Ci.nsIAuthInformation)
class AuthInformation:
    """The nsIAuthInformation handed to a prompt: the question, and room for the answer."""

    __slots__ = ("_flags", "_realm", "_scheme", "domain", "password", "username")

    def __init__(self, flags: int, scheme: str, realm: str, username: str = "") -> None:
        self._flags = flags
        self._scheme = scheme
        self._realm = realm
        self.username = username
        self.password = ""
        self.domain = ""

    @property
    def flags(self) -> int:
        return self._flags

    @property
    def authenticationScheme(self) -> str:
        return self._scheme

    @property
    def realm(self) -> str:
        return self._realm


def _auth_prompt(channel: Any) -> Any:
    """The nsIAuthPrompt2 of *channel*'s callbacks, else of its load group's; None when neither has one."""
    requestors = [getattr(channel, "notificationCallbacks", None)]
    group = getattr(channel, "loadGroup", None)
    if group is not None:
        requestors.append(getattr(group, "notificationCallbacks", None))
    for requestor in requestors:
        try:
            prompt = get_interface(requestor, Ci.nsIAuthPrompt2)
        except Exception:  # noqa: BLE001 - the host's getInterface failing means "no prompt"
            log.exception("notificationCallbacks.getInterface(nsIAuthPrompt2) raised")
            continue
        if prompt is not None:
            return prompt
    return None


def prompt_credentials(
    channel: Any,
    *,
    scheme: str,
    realm: str,
    proxy: bool = False,
    secure: bool = False,
    previous_failed: bool = False,
    username: str = "",
) -> Credentials | None:
    """Ask the nsIAuthPrompt2 behind *channel*'s notificationCallbacks for credentials.

    *scheme* is the challenge's scheme (``"basic"`` / ``"digest"``), *realm* its
    realm; *proxy* selects AUTH_PROXY over AUTH_HOST; *secure* says the credentials
    travel inside TLS (LEVEL_SECURE; otherwise Digest is LEVEL_PW_ENCRYPTED and
    Basic LEVEL_NONE); *previous_failed* sets PREVIOUS_FAILED; *username* is
    offered as the prompt's starting value.  *channel* is passed to promptAuth as
    aChannel.  Returns None when nobody answers (see the module docs).
    """
    prompt = _auth_prompt(channel)
    if prompt is None:
        return None
    flags = Ci.nsIAuthInformation.AUTH_PROXY if proxy else Ci.nsIAuthInformation.AUTH_HOST
    if previous_failed:
        flags |= Ci.nsIAuthInformation.PREVIOUS_FAILED
    if secure:
        level = Ci.nsIAuthPrompt2.LEVEL_SECURE
    elif scheme == "digest":
        level = Ci.nsIAuthPrompt2.LEVEL_PW_ENCRYPTED
    else:
        level = Ci.nsIAuthPrompt2.LEVEL_NONE
    info = AuthInformation(flags, scheme, realm, username)
    try:
        answered = prompt.promptAuth(channel, level, info)
    except Exception:  # noqa: BLE001 - a failing prompt is a cancelled one
        log.exception("nsIAuthPrompt2.promptAuth raised")
        return None
    if not answered:
        return None
    user, password, domain = (str(v or "") for v in (info.username, info.password, info.domain))
    if not user and not password:
        return None
    return Credentials(user, password, domain)
