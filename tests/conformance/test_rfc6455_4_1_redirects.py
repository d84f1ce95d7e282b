"""RFC 6455 4.1 / 4.2.2 with redirects (followed by this product, see the issue): the request
after a redirect is a complete new opening handshake to the new target: fresh key, Host of the
new server, the same Origin, subprotocol and extension offers.
(Statuses, hop limits and scheme rules are covered in tests/channel/test_redirects_tls.py.)
"""

from __future__ import annotations

import pytest
from support.cases import echo_script
from support.listener import RecordingListener, run_channel
from support.rawserver import RawServer, redirect_response

from components import Cr

pytestmark = pytest.mark.timeout(30)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_to_another_server_is_a_fresh_full_handshake(status: int) -> None:
    got = {}

    def start(lis):
        got["uri"] = lis.channel.URI.spec
        got["original"] = lis.channel.originalURI.spec
        got["protocol"] = lis.channel.protocol
        lis.channel.close(1000, "")

    async with RawServer(echo_script, path="/final?x=1", subprotocol="chat") as target:
        async with RawServer(None, respond=redirect_response(target.url, status)) as first:
            lis = await run_channel(first.url_for("/start"), RecordingListener(on_start=start),
                                    origin="http://origin.example", protocol="chat, superchat")
    lis.expect_status(Cr.NS_OK)
    r1, r2 = first.requests[0], target.requests[0]
    assert r2.target == "/final?x=1"
    assert r2.header("host") == f"127.0.0.1:{target.port}"
    assert r2.header("sec-websocket-key") != r1.header("sec-websocket-key")
    for h in ("origin", "sec-websocket-protocol", "sec-websocket-extensions", "sec-websocket-version"):
        assert r2.header(h) == r1.header(h), h
    assert got == {"uri": target.url, "original": first.url_for("/start"), "protocol": "chat"}


async def test_a_location_with_a_fragment_is_followed_without_it() -> None:
    # RFC 6455 §3: a WebSocket request never carries a fragment; the Location may (RFC 9110
    # §10.2.2 lets it), so the channel follows it and drops the fragment.
    got = {}

    def start(lis):
        got["uri"] = lis.channel.URI.spec
        lis.channel.close(1000, "")

    async with RawServer(echo_script, path="/final") as target:
        location = target.url_for("/final#part")
        async with RawServer(None, respond=redirect_response(location, 302)) as first:
            lis = await run_channel(first.url, RecordingListener(on_start=start))
    lis.expect_status(Cr.NS_OK)
    assert target.requests[0].target == "/final"
    assert got["uri"] == target.url_for("/final")
