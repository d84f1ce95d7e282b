# Generated from idl/netwerk/base/nsILoadInfo.idl by codegen; do not edit.
# Named after its IDL file.
# ruff: noqa: N999
"""XPCOM interface bindings for nsILoadInfo.idl: nsILoadInfo."""

from __future__ import annotations

import enum as _enum
import uuid as _uuid
from typing import ClassVar as _ClassVar

from zope.interface import Attribute as _Attribute
from zope.interface import taggedValue as _taggedValue

from components.bindings import tag_members as _tag_members

from .nsISupports import nsISupports

__all__ = ["nsILoadInfoConstants", "nsILoadInfo"]


class nsILoadInfoConstants(_enum.IntEnum):
    """The constants of nsILoadInfo."""

    #: Content policy type for loads that fit no other type.
    TYPE_OTHER = 1
    #: Content policy type of a WebSocket connection.
    TYPE_WEBSOCKET = 16


class nsILoadInfo(nsISupports):
    """Who started a load and why: carried by a channel from its creation, so
    that checks made later (the Origin sent, the content policy) see where
    the load came from. Immutable once made.
    """

    _taggedValue("uuid", _uuid.UUID("3b854ccf-1737-4523-a04b-007419683b3d"))
    _taggedValue("flags", ("scriptable",))

    TYPE_OTHER: _ClassVar[int]
    TYPE_WEBSOCKET: _ClassVar[int]

    loadingOrigin = _Attribute(
        "loadingOrigin",
        "The origin (scheme://host[:port]) of the document that started the\n"
        "load, or empty when no document did (a load from chrome code).",
    )

    contentPolicyType = _Attribute(
        "contentPolicyType",
        "One of the TYPE_* constants.",
    )

    innerWindowID = _Attribute(
        "innerWindowID",
        "The inner window that started the load, or 0 for none.",
    )


_tag_members(nsILoadInfo, {
    "loadingOrigin": {
        "type": "AUTF8String",
        "readonly": True,
        "flags": (),
    },
    "contentPolicyType": {
        "type": "unsigned long",
        "readonly": True,
        "flags": (),
    },
    "innerWindowID": {
        "type": "unsigned long long",
        "readonly": True,
        "flags": (),
    },
})
nsILoadInfo.TYPE_OTHER = nsILoadInfoConstants.TYPE_OTHER
nsILoadInfo.TYPE_WEBSOCKET = nsILoadInfoConstants.TYPE_WEBSOCKET
