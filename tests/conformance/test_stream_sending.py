"""sendBinaryStream: a stream becomes the fragments of ONE binary message (RFC 6455 5.4).

The raw server checks the fragment sequence (first frame opcode 2, then continuations, FIN on
the last only, no other data frame interleaved), the bytes, the single acknowledgement with the
whole length, and that a stream shorter than the announced length fails with 1009 /
NS_ERROR_FILE_TOO_BIG.
"""

from __future__ import annotations

import io
import resource
import sys

import pytest
from support.cases import pattern
from support.listener import RecordingListener, run_channel, set_pref
from support.rawserver import OP_BINARY, OP_CONT, RawServer

from components import Cr

pytestmark = pytest.mark.timeout(60)


async def _send_stream(make_stream, length: int, *, then=None, n_messages: int = 1):
    got: list = []

    async def script(peer):
        for _ in range(n_messages):
            got.append(await peer.recv_data())
        await lis.wait_for("ack", n_messages)
        c = await peer.close_handshake(1000)
        assert c.code == 1000
        await peer.aclose()

    def start(lis):
        lis.channel.sendBinaryStream(make_stream(), length)
        if then is not None:
            then(lis.channel)

    lis = RecordingListener(on_start=start)
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis, timeout=50)
    lis.expect_status(Cr.NS_OK)
    return lis, got


@pytest.mark.parametrize("size", [0, 1, 125, 65536, 1 << 20, 3 * (1 << 20) + 17])
async def test_file_stream_arrives_as_one_binary_message(tmp_path, size: int) -> None:
    data = pattern(size, seed=size & 0xFF)
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    lis, got = await _send_stream(lambda: open(path, "rb"), size)  # noqa: SIM115 - the channel closes it
    m = got[0]
    assert m.kind == "binary" and m.data == data
    assert m.frames[0].opcode == OP_BINARY
    assert all(f.opcode == OP_CONT for f in m.frames[1:])
    assert [f.fin for f in m.frames] == [False] * (len(m.frames) - 1) + [True]
    assert lis.acks == [size]


@pytest.mark.timeout(90)
async def test_16_mib_stream_is_fragmented(tmp_path) -> None:
    data = pattern(16 << 20, seed=5)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    lis, got = await _send_stream(lambda: open(path, "rb"), len(data))  # noqa: SIM115
    m = got[0]
    assert m.data == data
    assert len(m.frames) > 1, "a 16 MiB stream was sent as a single frame (not streamed)"
    assert lis.acks == [16 << 20]


async def test_bytes_and_nsIInputStream_are_accepted() -> None:
    from components import Cc, Ci

    s = Cc["@mozilla.org/io/string-input-stream;1"].createInstance(Ci.nsIInputStream)
    s.setData(b"from an nsIInputStream")
    lis, got = await _send_stream(lambda: s, 22, then=lambda ch: ch.sendBinaryStream(io.BytesIO(b"bio"), 3),
                                  n_messages=2)
    assert [m.data for m in got] == [b"from an nsIInputStream", b"bio"]
    assert lis.acks == [22, 3]


async def test_length_shorter_than_the_stream_sends_length_bytes() -> None:
    lis, got = await _send_stream(lambda: io.BytesIO(b"0123456789"), 4)
    assert got[0].data == b"0123"
    assert lis.acks == [4]


async def test_messages_queued_after_a_stream_follow_it_uninterleaved(tmp_path) -> None:
    data = pattern(3 << 20, seed=9)
    path = tmp_path / "d.bin"
    path.write_bytes(data)

    def then(ch):
        ch.sendMsg("after")
        ch.sendBinaryMsg(b"after2")

    lis, got = await _send_stream(lambda: open(path, "rb"), len(data), then=then,  # noqa: SIM115
                                  n_messages=3)
    assert [m.kind for m in got] == ["binary", "text", "binary"]
    assert got[0].data == data and got[1].text == "after" and got[2].data == b"after2"
    assert lis.acks == [len(data), 5, 6]


@pytest.mark.parametrize(("have", "announce"), [(500, 1000), (0, 10), ((2 << 20) + 5, 3 << 20)],
                         ids=["half", "empty", "short-after-chunks"])
async def test_short_stream_fails_1009_file_too_big(have: int, announce: int) -> None:
    got = {}

    async def script(peer):
        m = await peer.recv_close()  # fragments of the partial message may come first
        got["close"] = m
        await peer.echo_close(m)
        await peer.aclose()

    lis = RecordingListener(
        on_start=lambda lis: lis.channel.sendBinaryStream(io.BytesIO(b"s" * have), announce))
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_ERROR_FILE_TOO_BIG)
    assert got["close"].code == 1009
    assert lis.acks == []
    peer = srv.peers[0]
    assert not any(f.fin and f.opcode in (OP_BINARY, OP_CONT) for f in peer.frames), \
        "a short stream must not end its message as if it were complete"


def _maxrss() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


@pytest.mark.timeout(120)
async def test_large_stream_uses_bounded_memory(tmp_path) -> None:
    """256 MiB from a sparse file: the channel must not read it all into memory."""
    size = 256 << 20
    path = tmp_path / "sparse.bin"
    with open(path, "wb") as f:
        f.truncate(size)
    got = {}

    async def script(peer):
        total, frames = 0, 0
        while True:
            f, n = await peer.skip_frame()
            total += n
            frames += 1
            if f.fin:
                break
        got["total"], got["frames"] = total, frames
        await lis.wait_for("ack")
        await peer.close_handshake(1000)
        await peer.aclose()

    before = _maxrss()
    lis = RecordingListener(on_start=lambda lis: lis.channel.sendBinaryStream(open(path, "rb"), size))  # noqa: SIM115
    with set_pref("network.websocket.max-message-size", 512 << 20):
        async with RawServer(script) as srv:
            await run_channel(srv.url, lis, timeout=100)
    lis.expect_status(Cr.NS_OK)
    assert got["total"] == size and got["frames"] > 1
    assert lis.acks == [size]
    grown = _maxrss() - before
    assert grown < 128 << 20, f"peak RSS grew by {grown >> 20} MiB sending a 256 MiB stream"


async def test_pings_during_a_stream_are_answered_between_its_fragments(tmp_path) -> None:
    data = pattern(6 << 20, seed=11)
    path = tmp_path / "s.bin"
    path.write_bytes(data)
    got = {"pongs": []}

    async def script(peer):
        first = await peer.recv_frame()  # the stream's first fragment is on its way
        assert first.opcode == OP_BINARY and not first.fin
        peer._partial.append(first)  # hand it back to the reassembly
        for i in range(3):
            await peer.send_ping(b"p%d" % i)
        while True:
            m = await peer.recv_message()
            if m.kind == "pong":
                got["pongs"].append(m.data)
            elif m.kind == "binary":
                assert m.frames[0] is first
                got["data"] = m.data
                break
        while b"p2" not in got["pongs"]:
            got["pongs"].append((await peer.recv_message()).data)
        await lis.wait_for("ack")
        await peer.close_handshake(1000)
        await peer.aclose()

    lis = RecordingListener(
        on_start=lambda lis: lis.channel.sendBinaryStream(open(path, "rb"), len(data)))  # noqa: SIM115
    async with RawServer(script) as srv:
        await run_channel(srv.url, lis)
    lis.expect_status(Cr.NS_OK)
    assert got["pongs"] in ([b"p0", b"p1", b"p2"], [b"p0", b"p2"], [b"p1", b"p2"], [b"p2"])  # 5.5.3
    assert got["data"] == data
