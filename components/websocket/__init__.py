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

Nothing is imported eagerly here: the component manager imports ``.channel`` on
the first lookup of a ws/wss contract.
"""
