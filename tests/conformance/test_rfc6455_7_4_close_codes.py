"""RFC 6455 section 7.4: which status codes a Close frame may carry.

Valid from a peer: 1000-1003, 1007-1011, the IANA-registered 1012-1014, and 3000-4999; they are
reported by onServerClose and echoed. Everything else (0-999, 1004-1006, 1015, 1016-2999,
5000+) is a protocol error: close 1002, onStop NS_ERROR_ILLEGAL_VALUE, no onServerClose.
"""

from __future__ import annotations

import pytest
from support.cases import expect_failure
from support.listener import run_channel
from support.rawserver import OP_CLOSE, RawServer, build_frame, close_payload

from components import Cr

pytestmark = pytest.mark.timeout(30)

VALID = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]
INVALID = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]


@pytest.mark.parametrize("code", VALID)
async def test_valid_code_reported_and_echoed(code: int) -> None:
    got = {}

    async def script(peer):
        await peer.send_close(code, "r")
        got["reply"] = await peer.recv_close()
        await peer.aclose()

    async with RawServer(script) as srv:
        lis = await run_channel(srv.url)
    lis.expect_status(Cr.NS_OK)
    assert lis.server_close == (code, "r")
    assert got["reply"].code == code


@pytest.mark.parametrize("code", INVALID)
async def test_invalid_code_fails_1002(code: int) -> None:
    lis, _ = await expect_failure(build_frame(OP_CLOSE, close_payload(code, "x")),
                                  status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)
    assert lis.server_close is None
