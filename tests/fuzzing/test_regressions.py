"""Every crash the fuzz targets (fuzz/targets/) found, as a test of the behaviour itself.

Each test names the target and the input shape that found it; the input is also kept in the
target's seed corpus (fuzz/corpus/<target>/regress-*), so every fuzz run replays it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from components import Cr
from components.websocket.protocol import Connection, ProtocolFailure, Role
from components.websocket.protocol.frames import encode_frame

ROOT = Path(__file__).resolve().parents[2]


def _feed(conn: Connection, *chunks: bytes) -> list[object]:
    events: list[object] = []
    for chunk in chunks:
        events.extend(conn.receive_data(chunk))
    return events


@pytest.mark.parametrize("role", [Role.CLIENT, Role.SERVER])
@pytest.mark.parametrize("cut", [None, 2, 3])
def test_a_non_minimal_length_fails_1002_wherever_the_reads_are_cut(role: Role, cut: int | None) -> None:
    # frames: 82 7e 00 2f with a 125-byte limit was 1002 in one read but 1009 when the read
    # ended before the 16-bit length (the header was checked as if the length were 126).
    key = b"\x01\x02\x03\x04" if role is Role.SERVER else None
    frame = encode_frame(0x2, b"x" * 47, length_form=16, mask_key=key)
    conn = Connection(role, max_message_size=125)
    conn.establish()
    chunks = (frame,) if cut is None else (frame[:cut], frame[cut:])
    events = _feed(conn, *chunks)
    assert len(events) == 1 and isinstance(events[0], ProtocolFailure)
    assert (events[0].code, events[0].status) == (1002, Cr.NS_ERROR_ILLEGAL_VALUE)


@pytest.mark.parametrize("cut", [None, 2, 3])
def test_an_oversized_extended_length_still_fails_1009_before_its_payload(cut: int | None) -> None:
    # The other side of the fix above: a minimal 16-bit length over the limit is 1009 as soon
    # as the length has arrived, with none of the payload.
    frame = encode_frame(0x2, b"x" * 300)[:4]
    conn = Connection(Role.CLIENT, max_message_size=125)
    conn.establish()
    chunks = (frame,) if cut is None else (frame[:cut], frame[cut:])
    events = _feed(conn, *chunks)
    assert [(e.code, e.status) for e in events] == [(1009, Cr.NS_ERROR_FILE_TOO_BIG)]  # type: ignore[attr-defined]


def test_a_non_ascii_key_is_a_rejected_request_not_a_value_error() -> None:
    # handshake (server side): a Sec-WebSocket-Key with a byte over 0x7F reached base64 as
    # non-ASCII text, whose ValueError is not binascii.Error: it escaped receive_data.
    from components.websocket.protocol import RequestRejected, ServerHandshake

    request = (b"GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               b"Sec-WebSocket-Key: \xe4GhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    with pytest.raises(RequestRejected) as info:
        ServerHandshake().receive_data(request)
    assert info.value.http_status == 400


@pytest.mark.parametrize("name", [None, 7, b"network.websocket.timeout.open", ("a",)])
@pytest.mark.parametrize(
    "call",
    [
        lambda p, n: p.getIntPref(n),
        lambda p, n: p.getBoolPref(n, True),
        lambda p, n: p.setIntPref(n, 1),
        lambda p, n: p.setCharPref(n, "x"),
        lambda p, n: p.clearUserPref(n),
        lambda p, n: p.getPrefType(n),
        lambda p, n: p.prefHasUserValue(n),
        lambda p, n: p.prefHasDefaultValue(n),
        lambda p, n: p.getChildList(n),
        lambda p, n: p.addObserver(n, lambda *a: None),
        lambda p, n: p.removeObserver(n, lambda *a: None),
    ],
    ids=["getIntPref", "getBoolPref+", "setIntPref", "setCharPref", "clearUserPref", "getPrefType",
         "prefHasUserValue", "prefHasDefaultValue", "getChildList", "addObserver", "removeObserver"],
)
def test_a_pref_name_that_is_not_a_string_is_illegal_value(name: object, call: Callable[..., object]) -> None:
    # prefs: a non-string name was stored under that key (setIntPref(None, 1) worked) or
    # raised TypeError from a dict lookup or str.startswith.
    from components import XPCOMError
    from components.prefs import PrefBranch

    with pytest.raises(XPCOMError) as info:
        call(PrefBranch(), name)
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE


@pytest.mark.parametrize(
    "call",
    [lambda p: p.getIntPref("missing", "abc"), lambda p: p.getIntPref("missing", None),
     lambda p: p.getCharPref("missing", 5), lambda p: p.getStringPref("missing", b"x"),
     lambda p: p.getBoolPref("missing", "yes")],
    ids=["int<-str", "int<-None", "char<-int", "string<-bytes", "bool<-str"],
)
def test_a_fallback_of_the_wrong_type_is_illegal_value(call: Callable[..., object]) -> None:
    # prefs: getIntPref("missing", "abc") returned int("abc"): ValueError out of the service.
    from components import XPCOMError
    from components.prefs import PrefBranch

    with pytest.raises(XPCOMError) as info:
        call(PrefBranch())
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE


def test_fallbacks_of_the_right_type_are_returned() -> None:
    from components.prefs import PrefBranch

    p = PrefBranch()
    assert p.getIntPref("missing", 5) == 5
    assert p.getBoolPref("missing", 0) is False
    assert p.getCharPref("missing", "d") == "d"


def test_an_observer_that_raises_is_logged_and_the_rest_still_hear(caplog: pytest.LogCaptureFixture) -> None:
    # prefs: an observer's exception came out of setIntPref, after the value had changed, and
    # the observers after it were never told (Firefox ignores what an observer returns).
    from components.prefs import PrefBranch

    p = PrefBranch()
    heard: list[str] = []

    def failing(subject: object, topic: str, data: str) -> None:
        raise RuntimeError("observer bug")

    p.addObserver("fuzz.", failing)
    p.addObserver("fuzz.", lambda subject, topic, data: heard.append(data))
    p.setIntPref("fuzz.a", 3)
    assert p.getIntPref("fuzz.a") == 3
    assert heard == ["fuzz.a"]
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert "observer bug" in caplog.text


def test_an_international_host_ending_in_a_number_follows_the_ipv4_rule() -> None:
    # uri: 'ws://Їȕ.1/' parsed to 'ws://xn--ula96i.1/', a spec that does not parse again (an
    # ASCII host ending in a number is an IPv4 address).  The rule now applies after the IDNA
    # mapping, as in browsers: that host is malformed, and fullwidth digits are an address.
    from components import XPCOMError, newURI

    with pytest.raises(XPCOMError) as info:
        newURI("ws://Їȕ.1/")
    assert info.value.result == Cr.NS_ERROR_MALFORMED_URI
    uri = newURI("ws://１２７.０.０.１:9001/")
    assert (uri.host, uri.spec) == ("127.0.0.1", "ws://127.0.0.1:9001/")
    assert newURI(uri.spec).spec == uri.spec


def test_a_resolved_path_starting_with_two_slashes_stays_a_path() -> None:
    # uri: resolving against a base without an authority can leave a path that starts with
    # "//" ('foo:/a/b' + '..//x' -> '//x'); written as 'foo://x' it read back as the host 'x'.
    from components import newURI

    uri = newURI("..//x", newURI("foo:/a/b"))
    assert (uri.spec, uri.host, uri.filePath) == ("foo:/.//x", "", "/.//x")
    again = newURI(uri.spec)
    assert again.spec == uri.spec and again.host == ""


def test_a_control_character_in_a_constant_doc_comment_is_escaped_in_the_bindings() -> None:
    # idl: a NUL in a constant's doc comment was written verbatim into the generated `#:` comment,
    # and Python source may not contain NUL anywhere: the bindings did not compile.
    from codegen import emit_bindings, parse_string

    text = ('#include "nsISupports.idl"\n[uuid(4b0cd2a0-6e7e-4e44-9d62-fa7a8e2d9b01)]\n'
            "interface nsINul : nsISupports {\n  /** bad\x00byte\x1b here */\n  const long A = 1;\n};\n")
    idl = parse_string(text, "nul.idl", include_dirs=[str(ROOT / "idl" / "xpcom" / "base")])
    source = emit_bindings.emit_module(idl, "nul.idl")
    compile(source, "<emitted>", "exec")
    assert "#: bad\\x00byte\\x1b here" in source


@pytest.mark.parametrize("bytewise", [False, True], ids=["one-read", "byte-by-byte"])
def test_a_head_over_the_bound_is_refused_however_it_arrives(bytewise: bool) -> None:
    # handshake: h11 bounds a head only while it is incomplete, so a request or response head
    # over the bound was accepted when it came in one read and refused when it trickled in.
    from components.websocket.protocol import (
        ClientHandshake,
        HandshakeError,
        RequestRejected,
        ServerHandshake,
    )
    from components.websocket.protocol.handshake import accept_value

    def feed(side: ClientHandshake | ServerHandshake, data: bytes) -> object:
        for chunk in ([data[i : i + 1] for i in range(len(data))] if bytewise else [data]):
            result = side.receive_data(chunk)
            if result is not None:
                return result
        return None

    pad = b"X-Pad: " + b"a" * 600 + b"\r\n"
    request = (b"GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
               + pad + b"\r\n")
    with pytest.raises(RequestRejected) as info:
        feed(ServerHandshake(max_request_size=512), request)
    assert info.value.http_status == 431
    assert feed(ServerHandshake(max_request_size=1024), request) is not None

    key = "dGhlIHNhbXBsZSBub25jZQ=="
    response = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Accept: " + accept_value(key).encode() + b"\r\n" + pad + b"\r\n")
    client = ClientHandshake("h", key=key, max_head_size=512)
    client.request()
    with pytest.raises(HandshakeError) as refused:
        feed(client, response)
    assert refused.value.status == Cr.NS_ERROR_WEBSOCKET_CONNECTION_REFUSED
    roomy = ClientHandshake("h", key=key, max_head_size=1024)
    roomy.request()
    assert feed(roomy, response) is not None
