"""Creating a channel imports only what creating one needs: the rest of the driver (the core,
h11, deflate, the opener, the session) comes with the first asyncOpen.  Host applications create
components at start-up, where every imported module is paid for (issue 14 counts the ms)."""

from __future__ import annotations

import subprocess
import sys

LAZY = (
    "h11",
    "components.websocket.opener",
    "components.websocket.session",
    "components.websocket.transport",
    "components.websocket.protocol.connection",
    "components.websocket.protocol.handshake",
    "components.websocket.protocol.deflate",
)


def _loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return set(out.split())


def test_create_instance_does_not_import_the_driver() -> None:
    loaded = _loaded_after(
        "import components\n"
        "ch = components.Cc['@mozilla.org/network/protocol;1?name=ws']"
        ".createInstance(components.Ci.nsIWebSocketChannel)\n"
        "ch.protocol = 'chat'; ch.pingInterval = 5"
    )
    assert "components.websocket.channel" in loaded
    assert sorted(set(LAZY) & loaded) == []


def test_the_reexports_still_resolve() -> None:
    from components.websocket import channel

    assert channel.FIN_WAIT > 0 and channel.MAX_REDIRECTS == 10
    assert callable(channel.set_default_ssl_context) and callable(channel.default_ssl_context)
    try:
        channel.no_such_name  # noqa: B018
    except AttributeError as e:
        assert "no_such_name" in str(e)
    else:
        raise AssertionError("an unknown name must be an AttributeError")
