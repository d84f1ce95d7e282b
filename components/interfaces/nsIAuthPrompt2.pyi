# Generated from idl/netwerk/base/nsIAuthPrompt2.idl by codegen; do not edit.
# Typing stub of the binding module beside it (PEP 561).
# ruff: noqa: N801, N802, N803, N815, N999, E501
"""Types of nsIAuthPrompt2.py, from idl/netwerk/base/nsIAuthPrompt2.idl: see codegen.emit_stubs."""

import enum as _enum
from typing import ClassVar, Protocol

from components.bindings import InterfaceObject

from .nsIAuthInformation import nsIAuthInformation
from .nsISupports import nsISupports

__all__ = ["nsIAuthPrompt2Constants", "nsIAuthPrompt2", "nsIAuthPrompt2Interface"]


class nsIAuthPrompt2Constants(_enum.IntEnum):
    """The constants of nsIAuthPrompt2."""

    LEVEL_NONE = 0
    LEVEL_PW_ENCRYPTED = 1
    LEVEL_SECURE = 2


class nsIAuthPrompt2(nsISupports, Protocol):
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

    def promptAuth(self, aChannel: object, level: int, authInfo: nsIAuthInformation | None) -> bool:
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
        """
        ...


class nsIAuthPrompt2Interface(InterfaceObject[nsIAuthPrompt2], Protocol):
    """The interface object ``Ci.nsIAuthPrompt2`` (a zope.interface InterfaceClass)."""

    LEVEL_NONE: ClassVar[int]
    LEVEL_PW_ENCRYPTED: ClassVar[int]
    LEVEL_SECURE: ClassVar[int]
