"""Fault injection for RawServer scripts: what a broken network or a hostile server does.

RawServer (support.rawserver) already is the fault-injecting server: its scripts run on real
loopback sockets and may send any bytes, reset (`peer.abort()`), stop reading (`rcvbuf=`) or
answer the handshake with anything (`respond=`). These helpers add the faults that need the
socket underneath a script's stream:

    from support.faults import trickle, nodelay, half_close, cut_tcp

    async def script(peer):
        nodelay(peer)                                   # every send is its own TCP segment
        await trickle(peer, frame_bytes, interval=0.001)   # one byte per segment: 1-byte reads
        await half_close(peer)                          # FIN our side, keep reading theirs
        await cut_tcp(peer)                             # drop TCP under TLS: no close_notify

    RawServer(script, respond=b"")    # send no head: the script trickles its own 101
                                      # (`handshake_response(peer.request)`)

`trickle(peer, data, interval, chunk=1)` sends *data* *chunk* bytes at a time with *interval*
seconds between sends (TCP_NODELAY set first), so the client reads it in pieces that small;
it stops quietly when the client hangs up (a timeout under test). `socket_of(peer)` is the
trio socket under a plain or TLS stream.
"""

from __future__ import annotations

import trio

from support.rawserver import Peer

__all__ = ["cut_tcp", "half_close", "nodelay", "socket_of", "trickle"]


def socket_of(peer: Peer) -> trio.socket.SocketType:
    """The TCP socket under the peer's stream (plain SocketStream or SSLStream over one)."""
    stream = peer.stream
    while not isinstance(stream, trio.SocketStream):
        stream = stream.transport_stream  # type: ignore[attr-defined]
    return stream.socket


def nodelay(peer: Peer) -> None:
    """No Nagle: each send leaves as its own segment (loopback then delivers it alone)."""
    socket_of(peer).setsockopt(trio.socket.IPPROTO_TCP, trio.socket.TCP_NODELAY, 1)


async def trickle(peer: Peer, data: bytes, interval: float, chunk: int = 1) -> bool:
    """Send *data* in *chunk*-byte pieces, *interval* s apart; False if the client left first."""
    nodelay(peer)
    for i in range(0, len(data), chunk):
        try:
            await peer.send(data[i:i + chunk])
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            return False
        await trio.sleep(interval)
    return True


async def half_close(peer: Peer) -> None:
    """Shut down our sending direction (FIN) and keep the receiving one open."""
    socket_of(peer).shutdown(trio.socket.SHUT_WR)


async def cut_tcp(peer: Peer) -> None:
    """Close the TCP connection under the stream without any TLS close_notify."""
    sock = socket_of(peer)
    peer.closed = True
    sock.close()
