"""nsIWebSocketEventService: Firefox's frame log, against the `websockets` server and raw servers."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import trio
from support.rawserver import RawServer
from support.wsserver import websockets_server
from zope.interface.verify import verifyObject

from components import Cc, Ci, Cr, XPCOMError
from components.websocket import channel as channel_module
from components.websocket import connect
from components.websocket.protocol.connection import Connection
from components.websocket.protocol.observed import ObservedConnection

pytestmark = pytest.mark.timeout(30)
CONTRACT = "@mozilla.org/websocketevent/service;1"


class Recorder:
    """An nsIWebSocketEventListener that records every call."""

    def __init__(self) -> None:
        self.events: list[tuple[str, tuple[Any, ...]]] = []

    def _add(self, name: str, *args: Any) -> None:
        self.events.append((name, args))

    def webSocketCreated(self, serial: int, uri: str, protocols: str) -> None:
        self._add("created", serial, uri, protocols)

    def webSocketOpened(self, serial: int, uri: str, protocols: str, extensions: str, http_id: int) -> None:
        self._add("opened", serial, uri, protocols, extensions, http_id)

    def webSocketMessageAvailable(self, serial: int, data: Any, kind: int) -> None:
        self._add("message", serial, data, kind)

    def webSocketClosed(self, serial: int, clean: bool, code: int, reason: str) -> None:
        self._add("closed", serial, clean, code, reason)

    def frameReceived(self, serial: int, frame: Any) -> None:
        self._add("received", serial, frame)

    def frameSent(self, serial: int, frame: Any) -> None:
        self._add("sent", serial, frame)

    def frames(self, kind: str) -> list[Any]:
        return [args[1] for name, args in self.events if name == kind]

    def names(self) -> list[str]:
        return [name for name, _ in self.events]


@pytest.fixture
def service() -> Iterator[Any]:
    svc = Cc[CONTRACT].createInstance(Ci.nsIWebSocketEventService)
    yield svc
    channel_module.event_hook = None  # channels in later tests pay nothing again


async def test_frames_are_logged_unmasked_inflated_and_before_compression(service: Any) -> None:
    rec = Recorder()
    service.addListener(0, rec)
    text = "frame log " * 50
    with websockets_server(lambda ws: _echo_then_close(ws)) as srv:
        async with connect(srv.url) as ws:
            serial = ws.channel.serial
            await ws.send(text)
            assert await ws.recv() == text
            await ws.close(1000, "bye")
        await trio.sleep(0.05)
    assert "permessage-deflate" in ws.extensions
    (sent, close_sent) = rec.frames("sent")
    assert sent.opCode == Ci.nsIWebSocketFrame.OPCODE_TEXT and sent.finBit and sent.rsvBit1
    assert sent.maskBit and sent.payload == text.encode()  # before compression
    assert close_sent.opCode == 8 and close_sent.payload == b"\x03\xe8bye"
    received = rec.frames("received")
    assert received[0].opCode == 1 and received[0].rsvBit1 and not received[0].maskBit
    assert received[0].payload == text.encode()  # inflated
    assert received[-1].opCode == 8
    names = rec.names()
    assert names[:2] == ["created", "opened"] and names[-1] == "closed"
    assert ("message", (serial, text, Ci.nsIWebSocketEventListener.TYPE_STRING)) in rec.events
    assert rec.events[-1] == ("closed", (serial, True, 1000, "bye"))
    assert all(args[0] == serial for _, args in rec.events)
    verifyObject(Ci.nsIWebSocketFrame, sent)
    assert sent.timeStamp > 1e12  # milliseconds since the epoch


async def _echo_then_close(ws: Any) -> None:
    from websockets.exceptions import ConnectionClosed

    try:
        async for msg in ws:
            await ws.send(msg)
    except ConnectionClosed:
        pass


async def test_fragments_pings_and_compressed_fragments_from_a_raw_server(service: Any) -> None:
    rec = Recorder()
    service.addListener(0, rec)

    async def script(peer: Any) -> None:
        await peer.send_text("abcdefghi", fragments=3)
        await peer.send_ping(b"are you there")
        deflated = zlib.compressobj(wbits=-15)
        body = deflated.compress(b"x" * 3000) + deflated.flush(zlib.Z_SYNC_FLUSH)
        body = body[:-4]
        half = len(body) // 2
        await peer.send_frame(0x2, body[:half], fin=False, rsv1=True)
        await peer.send_frame(0x0, body[half:], fin=True)
        close = await peer.recv_close()
        await peer.echo_close(close)
        await peer.aclose()

    async with RawServer(script, extensions="permessage-deflate") as srv:
        async with connect(srv.url) as ws:
            assert await ws.recv() == "abcdefghi"
            assert await ws.recv() == b"x" * 3000
    await trio.sleep(0.05)
    received = rec.frames("received")
    assert [(f.opCode, f.finBit) for f in received[:3]] == [(1, False), (0, False), (0, True)]
    assert b"".join(f.payload for f in received[:3]) == b"abcdefghi"
    ping = received[3]
    assert (ping.opCode, ping.payload) == (9, b"are you there")
    pong = rec.frames("sent")[0]
    assert (pong.opCode, pong.payload, pong.maskBit) == (10, b"are you there", True)
    first, last = received[4], received[5]
    assert first.rsvBit1 and not last.rsvBit1
    assert first.payload + last.payload == b"x" * 3000  # each fragment's inflated part


async def test_no_listener_no_observation_and_switching_both_ways(service: Any) -> None:
    with websockets_server(_echo_then_close) as srv:
        async with connect(srv.url) as ws:
            conn = ws.channel._conn
            assert type(conn) is Connection  # the service exists, nobody listens: plain core
            rec = Recorder()
            service.addListener(0, rec)
            assert service.hasListenerFor(0) and not service.hasListenerFor(5)
            await trio.sleep(0.01)
            assert type(conn) is ObservedConnection
            await ws.send("seen")
            assert await ws.recv() == "seen"
            await trio.sleep(0.01)
            service.removeListener(0, rec)
            await trio.sleep(0.01)
            assert type(conn) is Connection
            await ws.send("unseen")
            assert await ws.recv() == "unseen"
    payloads = [f.payload for f in rec.frames("sent") + rec.frames("received")]
    assert payloads == [b"seen", b"seen"]


async def test_windows_are_kept_apart_and_sendMessage_reaches_the_channel(service: Any) -> None:
    in_window, others = Recorder(), Recorder()
    service.addListener(7, in_window)
    service.addListener(0, others)
    with websockets_server(_echo_then_close) as srv:
        ws_cm = connect(srv.url)
        from components.netobjects import LoadInfo

        ws_cm._ws.channel.loadInfo = LoadInfo(innerWindowID=7)
        async with ws_cm as ws:
            service.sendMessage(ws.channel.serial, "from devtools")
            assert await ws.recv() == "from devtools"
    await trio.sleep(0.05)
    assert "created" in in_window.names() and others.events == []
    assert [f.payload for f in in_window.frames("sent")][0] == b"from devtools"


def test_service_argument_errors(service: Any) -> None:
    verifyObject(Ci.nsIWebSocketEventService, service)
    for call in (lambda: service.addListener(0, None), lambda: service.removeListener(0, Recorder())):
        with pytest.raises(XPCOMError) as info:
            call()
        assert info.value.result == Cr.NS_ERROR_FAILURE
    with pytest.raises(XPCOMError) as bad:
        service.addListener(-1, Recorder())
    assert bad.value.result == Cr.NS_ERROR_ILLEGAL_VALUE
    with pytest.raises(XPCOMError) as gone:
        service.sendMessage(123456789, "x")
    assert gone.value.result == Cr.NS_ERROR_NOT_AVAILABLE


def test_serials_count_up_and_are_unsigned_longs() -> None:
    make = Cc["@mozilla.org/network/protocol;1?name=ws"].createInstance
    a, b = make(Ci.nsIWebSocketChannel), make(Ci.nsIWebSocketChannel)
    assert a.serial >= 1 and b.serial == a.serial + 1
    b.serial = 42
    assert b.serial == 42
    with pytest.raises(XPCOMError) as info:
        b.serial = -1
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE


async def test_a_raising_listener_does_not_disturb_the_channel(service: Any) -> None:
    class Broken(Recorder):
        def frameSent(self, serial: int, frame: Any) -> None:
            raise RuntimeError("tool bug")

    service.addListener(0, Broken())
    with websockets_server(_echo_then_close) as srv:
        async with connect(srv.url) as ws:
            await ws.send("still fine")
            assert await ws.recv() == "still fine"
