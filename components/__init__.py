"""XPCOM-style components for Python: the WebSocket channel and what it stands on.

The public surface is the one Firefox chrome code knows::

    from components import Cc, Ci, Cr, XPCOMError, newURI

    ch = Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance(Ci.nsIWebSocketChannel)

Names are resolved lazily so that ``import components`` stays cheap and the
generated bindings, the component manager and the channel can import each other's
modules without cycles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Cc", "Ci", "Cr", "XPCOMError", "newURI"]

if TYPE_CHECKING:
    from components.interfaces import Ci
    from components.manager import Cc
    from components.results import Cr, XPCOMError
    from components.uri import newURI


def __getattr__(name: str) -> Any:
    if name == "Ci":
        from components.interfaces import Ci as value
    elif name == "Cc":
        from components.manager import Cc as value
    elif name in ("Cr", "XPCOMError"):
        from components import results

        value = getattr(results, name)
    elif name == "newURI":
        from components.uri import newURI as value
    else:
        raise AttributeError(f"module 'components' has no attribute {name!r}")
    globals()[name] = value
    return value
