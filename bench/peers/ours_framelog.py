"""This project's channel with a frame-log listener registered (nsIWebSocketEventService), so
every frame is built into an nsIWebSocketFrame and delivered: what watching a connection costs.
The workloads are ours.py's; only the listener is added before the channel opens."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.common import Params, Result
from bench.peers import ours


class _Quiet:
    """An nsIWebSocketEventListener that takes every event and keeps nothing."""

    def webSocketCreated(self, *args: Any) -> None: ...
    def webSocketOpened(self, *args: Any) -> None: ...
    def webSocketMessageAvailable(self, *args: Any) -> None: ...
    def webSocketClosed(self, *args: Any) -> None: ...
    def frameReceived(self, *args: Any) -> None: ...
    def frameSent(self, *args: Any) -> None: ...


def _watched(fn: Callable[[str, Params], Result]) -> Callable[[str, Params], Result]:
    def go(url: str, p: Params) -> Result:
        from components import Cc, Ci

        service = Cc["@mozilla.org/websocketevent/service;1"].getService(Ci.nsIWebSocketEventService)
        service.addListener(0, _Quiet())
        return fn(url, p)

    return go


WORKLOADS = {name: _watched(ours.WORKLOADS[name]) for name in ("rtt", "pipe", "big", "conn")}
