# Generated from idl/netwerk/base/nsIAuthPrompt2.idl by codegen; do not edit.
# Named after its IDL file; zope method specifications take no self.
# ruff: noqa: N999, N805
"""XPCOM interface bindings for nsIAuthPrompt2.idl: nsIAuthPrompt2."""

from __future__ import annotations

import enum as _enum
import uuid as _uuid
from typing import ClassVar as _ClassVar

from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIAuthPrompt2Constants", "nsIAuthPrompt2"]


class nsIAuthPrompt2Constants(_enum.IntEnum):
    """The constants of nsIAuthPrompt2."""

    #: The credentials would travel in the clear (Basic over ws:).
    LEVEL_NONE = 0
    #: The password is not sent, only a digest of it (Digest over ws:).
    LEVEL_PW_ENCRYPTED = 1
    #: The connection is encrypted (wss:, or an https proxy).
    LEVEL_SECURE = 2


class nsIAuthPrompt2(nsISupports):
    """Asks the user (or a password store) for credentials. A channel finds
    one through its notificationCallbacks
    (getInterface(nsIAuthPrompt2)) when a server answers 401 or a proxy
    answers 407 and it has no credentials, or the ones it tried were
    refused (then authInfo.flags has PREVIOUS_FAILED).

    This channel calls promptAuth on the trio thread and waits for its
    answer; a prompt that must wait for a person should answer from a store
    or return false rather than block for long. Firefox's asyncPromptAuth
    (with a callback and a cancelable) is not part of this subset.
    """

    _taggedValue("uuid", _uuid.UUID("354d8dd2-4d8f-4e07-a402-0cfad33a7fd6"))
    _taggedValue("flags", ("scriptable",))

    LEVEL_NONE: _ClassVar[int]
    LEVEL_PW_ENCRYPTED: _ClassVar[int]
    LEVEL_SECURE: _ClassVar[int]

    def promptAuth(aChannel, level, authInfo):
        """Ask for credentials.

        @param aChannel   the channel that needs them (for this component, the
                          nsIWebSocketChannel; its URI names the server).
        @param level      one of the LEVEL_* constants: how well the answer
                          will be protected on its way.
        @param authInfo   what is asked for (flags, scheme, realm) and where
                          the answer goes (username, password, domain).
        @return           true when authInfo now holds credentials to try;
                          false when the user cancelled: the request then
                          fails with the server's (or proxy's) refusal.

        XPIDL: boolean promptAuth(in nsISupports aChannel,
                                  in unsigned long level,
                                  in nsIAuthInformation authInfo)
        """


_tag_members(nsIAuthPrompt2, {
    "promptAuth": {
        "returns": "boolean",
        "params": (
            ("aChannel", "in", "nsISupports"),
            ("level", "in", "unsigned long"),
            ("authInfo", "in", "nsIAuthInformation"),
        ),
        "results": (),
        "flags": (),
    },
})
nsIAuthPrompt2.LEVEL_NONE = nsIAuthPrompt2Constants.LEVEL_NONE
nsIAuthPrompt2.LEVEL_PW_ENCRYPTED = nsIAuthPrompt2Constants.LEVEL_PW_ENCRYPTED
nsIAuthPrompt2.LEVEL_SECURE = nsIAuthPrompt2Constants.LEVEL_SECURE
