"""RFC 6455 section 5.2 (RSV1-3, opcode): reserved bits and opcodes fail the connection.

Without a negotiated extension any RSV bit is a protocol error; opcodes 3-7 and 11-15 are
reserved. Close 1002, onStop NS_ERROR_ILLEGAL_VALUE; messages before the bad frame are
delivered, nothing from it or after it.
"""

from __future__ import annotations

import pytest
from support.cases import expect_failure
from support.rawserver import OP_BINARY, OP_CONT, OP_TEXT, build_frame

from components import Cr

pytestmark = pytest.mark.timeout(30)

GOOD = build_frame(OP_TEXT, b"good")


@pytest.mark.parametrize("rsv", ["rsv1", "rsv2", "rsv3"])
@pytest.mark.parametrize("opcode", [OP_TEXT, OP_BINARY, 0x9])
async def test_rsv_bit_without_extension_fails_1002(rsv: str, opcode: int) -> None:
    await expect_failure(GOOD + build_frame(opcode, b"x", **{rsv: True}), status=Cr.NS_ERROR_ILLEGAL_VALUE,
                         close_code=1002, delivered=["good"])


async def test_rsv_bit_on_a_continuation_fails_1002() -> None:
    wire = build_frame(OP_BINARY, b"a", fin=False) + build_frame(OP_CONT, b"b", rsv2=True)
    await expect_failure(wire, status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)


@pytest.mark.parametrize("opcode", [3, 4, 5, 6, 7, 11, 12, 13, 14, 15])
async def test_reserved_opcode_fails_1002(opcode: int) -> None:
    await expect_failure(GOOD + build_frame(opcode, b"payload"), status=Cr.NS_ERROR_ILLEGAL_VALUE,
                         close_code=1002, delivered=["good"])


async def test_reserved_opcode_inside_a_fragmented_message_fails_1002() -> None:
    wire = build_frame(OP_TEXT, b"par", fin=False) + build_frame(0xB, b"") + build_frame(OP_CONT, b"t")
    await expect_failure(wire, status=Cr.NS_ERROR_ILLEGAL_VALUE, close_code=1002)
