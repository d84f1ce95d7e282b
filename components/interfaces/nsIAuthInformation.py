# Generated from idl/netwerk/base/nsIAuthInformation.idl by codegen; do not edit.
# Named after its IDL file.
# ruff: noqa: N999
"""XPCOM interface bindings for nsIAuthInformation.idl: nsIAuthInformation."""

from __future__ import annotations

import enum as _enum
import uuid as _uuid
from typing import ClassVar as _ClassVar

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsIAuthInformationConstants", "nsIAuthInformation"]


class nsIAuthInformationConstants(_enum.IntEnum):
    """The constants of nsIAuthInformation."""

    #: The credentials are for the server (a 401 answer).
    AUTH_HOST = 1
    #: The credentials are for a proxy (a 407 answer).
    AUTH_PROXY = 2
    #: The scheme wants a domain too (NTLM); never set by this channel.
    NEED_DOMAIN = 4
    #: Only a password is wanted: the user name is known and fixed.
    ONLY_PASSWORD = 8
    #: Credentials offered for this request before were refused.
    PREVIOUS_FAILED = 16
    #: The request is for another origin than the page; never set here.
    CROSS_ORIGIN_SUB_RESOURCE = 32


class nsIAuthInformation(nsISupports):
    """What an authentication prompt is told about a request for credentials,
    and where it writes the answer. The channel fills in the flags, the
    scheme and the realm (and a user name it already knows, such as the one
    of a URI's userinfo); the prompt sets username and password (and domain,
    when NEED_DOMAIN is set) before it returns true.
    """

    _taggedValue("uuid", _uuid.UUID("b9166eab-7fa0-4871-90f1-267687dcdf05"))
    _taggedValue("flags", ("scriptable",))

    AUTH_HOST: _ClassVar[int]
    AUTH_PROXY: _ClassVar[int]
    NEED_DOMAIN: _ClassVar[int]
    ONLY_PASSWORD: _ClassVar[int]
    PREVIOUS_FAILED: _ClassVar[int]
    CROSS_ORIGIN_SUB_RESOURCE: _ClassVar[int]

    flags = _Attribute(
        "flags",
        "A combination of the constants above.",
    )

    authenticationScheme = _Attribute(
        "authenticationScheme",
        "The authentication scheme of the challenge being answered, lower-case:\n"
        "\"basic\" or \"digest\".",
    )

    realm = _Attribute(
        "realm",
        "The realm the server named in its challenge (shown to the user so they\n"
        "know which credentials are meant); may be empty.",
    )

    username = _Attribute(
        "username",
        "The user name; the prompt may find one already set.",
    )

    password = _Attribute(
        "password",
        "The password.",
    )

    domain = _Attribute(
        "domain",
        "The domain, for schemes that use one (NEED_DOMAIN); otherwise unused.",
    )


_tag_members(nsIAuthInformation, {
    "flags": {
        "type": "unsigned long",
        "readonly": True,
        "flags": (),
    },
    "authenticationScheme": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "realm": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "username": {
        "type": "AUTF8String",
        "readonly": False,
        "flags": (),
    },
    "password": {
        "type": "AUTF8String",
        "readonly": False,
        "flags": (),
    },
    "domain": {
        "type": "AUTF8String",
        "readonly": False,
        "flags": (),
    },
})
nsIAuthInformation.AUTH_HOST = nsIAuthInformationConstants.AUTH_HOST
nsIAuthInformation.AUTH_PROXY = nsIAuthInformationConstants.AUTH_PROXY
nsIAuthInformation.NEED_DOMAIN = nsIAuthInformationConstants.NEED_DOMAIN
nsIAuthInformation.ONLY_PASSWORD = nsIAuthInformationConstants.ONLY_PASSWORD
nsIAuthInformation.PREVIOUS_FAILED = nsIAuthInformationConstants.PREVIOUS_FAILED
nsIAuthInformation.CROSS_ORIGIN_SUB_RESOURCE = nsIAuthInformationConstants.CROSS_ORIGIN_SUB_RESOURCE
