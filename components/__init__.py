"""XPCOM-style components for Python: the WebSocket channel and what it stands on.

The public surface is the one Firefox chrome code knows::

    from components import Cc, Ci, Cr, XPCOMError, newURI

    ch = Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance(Ci.nsIWebSocketChannel)

Names are resolved lazily so that ``import components`` stays cheap and the
generated bindings, the component manager and the channel can import each other's
modules without cycles.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["Cc", "Ci", "Cr", "XPCOMError", "newURI"]

if TYPE_CHECKING:
    from components.interfaces import Ci
    from components.manager import Cc
    from components.results import Cr, XPCOMError
    from components.uri import newURI


# Public name -> the module that defines it; imported on first access.
_HOMES = {
    "Ci": "components.interfaces",
    "Cc": "components.manager",
    "Cr": "components.results",
    "XPCOMError": "components.results",
    "newURI": "components.uri",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'components' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
