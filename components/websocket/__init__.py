"""The WebSocket channel component and its sans-I/O protocol core.

Use the channel through the component manager, as Firefox chrome code does::

    ch = Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance(Ci.nsIWebSocketChannel)

Modules:

* :mod:`.protocol` -- the sans-I/O core (frames, masking, deflate, handshake,
  the Connection state machine); no trio, no sockets, no clocks.
* :mod:`.channel` -- the trio driver: the ws/wss components.  Host applications
  that need their own TLS trust (a private CA, test certificates) call
  ``channel.set_default_ssl_context(ctx)`` or set a channel's ``sslContext``
  before asyncOpen.
* :mod:`.admission` -- one CONNECTING per host, failed-reconnect backoff, the
  max-connections cap.
* :mod:`.echoserver` -- a small trio echo server on loopback (CLI, tests, benchmarks).
* ``python -m components.websocket`` / ``wschannel`` -- the interactive client.

For Python programs, :func:`connect` (``async with connect(url) as ws``, trio) and
``components.websocket.sync.connect`` (blocking) drive the same channel; see
:mod:`.client` and :mod:`.sync`.

Nothing is imported eagerly here: the component manager imports ``.channel`` on
the first lookup of a ws/wss contract, and the names below come from
:mod:`.client` on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["ConnectionClosed", "ConnectionClosedError", "ConnectionClosedOK", "WebSocket", "connect"]

if TYPE_CHECKING:
    from components.websocket.client import (
        ConnectionClosed,
        ConnectionClosedError,
        ConnectionClosedOK,
        WebSocket,
        connect,
    )


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from components.websocket import client

    value = getattr(client, name)
    globals()[name] = value
    return value
