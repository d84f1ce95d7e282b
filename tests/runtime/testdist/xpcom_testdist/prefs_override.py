"""A host replacing a built-in service: entry points load after the built-ins and win."""

from zope.interface import implementer

from components import Ci
from components.manager import component
from components.prefs import PrefBranch


@component(
    classID="{f4e6a8b0-3c5d-4e7f-a091-b2c3d4e5f6a7}",
    contractIDs=("@mozilla.org/preferences-service;1",),
)
@implementer(Ci.nsIPrefBranch)
class HostPrefs(PrefBranch):
    def __init__(self):
        super().__init__()
        self.setIntPref("network.websocket.max-connections", 7)
