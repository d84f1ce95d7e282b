"""RFC 6455 5.4 / RFC 7692, property-based: any legal fragmentation, interleaving of control
frames, compression choice and TCP segmentation delivers exactly the messages sent, and every
ping gets its pong in order. Each example is a real connection to the raw server.
"""

from __future__ import annotations

import pytest
import trio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.listener import run_channel
from support.rawserver import OP_BINARY, OP_CONT, OP_PING, OP_PONG, OP_TEXT, Deflater, RawServer, build_frame

from components import Cr

pytestmark = pytest.mark.timeout(120)

message = st.one_of(
    st.text(max_size=300).map(lambda t: ("text", t)),
    st.binary(max_size=300).map(lambda b: ("binary", b)),
)


@st.composite
def conversation(draw):
    """[(kind, data, n_fragments, pings_between, compress)], segment sizes for the wire."""
    deflate = draw(st.booleans())
    msgs = draw(st.lists(
        st.tuples(message, st.integers(1, 5), st.lists(st.binary(max_size=20), max_size=3),
                  st.booleans() if deflate else st.just(False)),
        min_size=1, max_size=8))
    segment = draw(st.sampled_from([1, 2, 7, 64, 1 << 16]))
    return deflate, msgs, segment


def _wire(deflate: bool, msgs) -> tuple[bytes, list, list[bytes]]:
    d = Deflater(15)
    out, expected, pings = [], [], []
    for (kind, data), nfrag, between, compress in msgs:
        raw = data.encode() if kind == "text" else data
        payload = d.compress(raw) if compress else raw
        size = -(-len(payload) // nfrag) if payload else 0
        chunks = [payload[i * size:(i + 1) * size] for i in range(nfrag)] if size else [b""] * nfrag
        for i, chunk in enumerate(chunks):
            op = (OP_TEXT if kind == "text" else OP_BINARY) if i == 0 else OP_CONT
            out.append(build_frame(op, chunk, fin=i == nfrag - 1, rsv1=compress and i == 0))
            if i < nfrag - 1:
                for p in between:
                    out.append(build_frame(OP_PING, p))
                    pings.append(p)
                out.append(build_frame(OP_PONG, b"ignored"))
        expected.append(data)
    return b"".join(out), expected, pings


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conversation())
def test_any_legal_fragmentation_delivers_exactly_the_messages(conv) -> None:
    deflate, msgs, segment = conv
    wire, expected, pings = _wire(deflate, msgs)
    got = {}

    async def script(peer):
        data = wire + build_frame(0x8, b"\x03\xe8")
        for i in range(0, len(data), segment):
            await peer.send(data[i:i + segment])
        got["pongs"] = []
        while (m := await peer.recv_message()).kind != "close":
            assert m.kind == "pong"
            got["pongs"].append(m.data)
        await peer.aclose()

    async def main():
        ext = "permessage-deflate" if deflate else None
        async with RawServer(script, extensions=ext) as srv:
            return await run_channel(srv.url)

    lis = trio.run(main)
    lis.expect_status(Cr.NS_OK)
    assert lis.messages == expected
    # RFC 6455 5.5.3: each pong echoes a ping, in order; a client may skip all but the latest.
    it = iter(pings)
    assert all(any(p == q for q in it) for p in got["pongs"]), (got["pongs"], pings)
    if pings:
        assert got["pongs"] and got["pongs"][-1] == pings[-1]
