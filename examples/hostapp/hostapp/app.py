"""The application: open a channel by contract ID, let the message log talk, report."""

from __future__ import annotations

from dataclasses import dataclass

from components import Cc, Ci, newURI
from hostapp.components import CONTRACT, MessageLog


@dataclass
class Outcome:
    received: list[str]
    status: int  # onStop's nsresult (0 == NS_OK)


async def talk(url: str) -> Outcome:
    """Connect to ``url``, exchange the log's messages, and return what came back."""
    scheme = url.partition(":")[0]
    channel = Cc[f"@mozilla.org/network/protocol;1?name={scheme}"].createInstance(Ci.nsIWebSocketChannel)
    listener = Cc[CONTRACT].createInstance(Ci.nsIWebSocketListener)
    # The collected replies are the component's own Python attributes, not part of
    # nsIWebSocketListener: reach them through the concrete class.
    if not isinstance(listener, MessageLog):
        raise TypeError(f"{CONTRACT} is not the host's MessageLog (replaced by {type(listener).__name__})")
    channel.asyncOpen(newURI(url), "", listener, channel)
    await listener.finished.wait()
    assert listener.status is not None
    return Outcome(listener.received, listener.status)
