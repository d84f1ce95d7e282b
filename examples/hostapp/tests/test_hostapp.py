"""The host application's tests: its component comes from the entry-point group, and a test
replaces the preferences service the whole stack reads.

Run with the distribution installed (``pip install -e examples/hostapp``, then ``python -m
pytest examples/hostapp/tests``); the main suite does that in tests/examples/.
"""

from __future__ import annotations

import trio
from hostapp.app import Outcome, talk
from hostapp.components import CONTRACT, GREETING_PREF, MessageLog
from zope.interface import implementer

from components import Cc, Ci
from components.manager import registry
from components.prefs import PrefBranch
from components.websocket.echoserver import open_echo_server


def talk_to_echo() -> Outcome:
    async def run() -> Outcome:
        async with open_echo_server() as port:
            return await talk(f"ws://127.0.0.1:{port}/")

    return trio.run(run)


def test_the_component_comes_from_the_entry_point_group() -> None:
    entry = Cc[CONTRACT]
    assert entry.factory is MessageLog and entry.provides(Ci.nsIWebSocketListener)
    assert "hostapp.components" not in Cc.load_failures()


def test_talks_to_a_server_with_the_default_preferences() -> None:
    outcome = talk_to_echo()
    assert outcome == Outcome(["hello", "message 1", "message 2"], 0)


@implementer(Ci.nsIPrefBranch)
class TunedPrefs(PrefBranch):
    """The real preferences service with the values this test wants."""

    def __init__(self) -> None:
        super().__init__()
        self.setStringPref(GREETING_PREF, "hi from the test")
        self.setIntPref("network.websocket.timeout.open", 2)


def test_a_swapped_preferences_service_is_what_everything_reads() -> None:
    with registry.register(TunedPrefs, "@mozilla.org/preferences-service;1"):
        prefs = Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)
        assert isinstance(prefs, TunedPrefs)
        outcome = talk_to_echo()
    assert outcome.received[0] == "hi from the test" and outcome.status == 0
    # Undone on leaving the block: the next run greets with the default again.
    assert talk_to_echo().received[0] == "hello"
