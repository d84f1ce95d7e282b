"""RFC 6455 §5: frame encoding, the RFC's own examples, close payloads, close codes."""

from __future__ import annotations

import pytest

from components.results import Cr
from components.websocket.protocol.frames import (
    RSV1,
    FrameError,
    Opcode,
    decode_frames,
    encode_client_frame,
    encode_close_payload,
    encode_frame,
    is_valid_close_code,
    parse_close_payload,
    parse_extended_length,
)

KEY = bytes([0x37, 0xFA, 0x21, 0x3D])


# RFC 6455 §5.7 examples, byte for byte.
@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (dict(opcode=1, payload=b"Hello"), "810548656c6c6f"),
        (dict(opcode=1, payload=b"Hello", mask_key=KEY), "818537fa213d7f9f4d5158"),
        (dict(opcode=1, payload=b"Hel", fin=False), "010348656c"),
        (dict(opcode=0, payload=b"lo"), "80026c6f"),
        (dict(opcode=9, payload=b"Hello"), "890548656c6c6f"),
        (dict(opcode=10, payload=b"Hello", mask_key=KEY), "8a8537fa213d7f9f4d5158"),
    ],
)
def test_rfc6455_examples(kwargs: dict, expected: str) -> None:
    assert encode_frame(**kwargs).hex() == expected


def test_rfc6455_extended_length_examples() -> None:
    assert encode_frame(2, bytes(256))[:4].hex() == "827e0100"
    assert encode_frame(2, bytes(65536))[:10].hex() == "827f0000000000010000"


@pytest.mark.parametrize(
    ("size", "header_len"),
    [(0, 2), (125, 2), (126, 4), (127, 4), (65535, 4), (65536, 10), (16 << 20, 10)],
)
def test_client_frame_uses_minimal_length_and_masks(size: int, header_len: int) -> None:
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    wire = encode_client_frame(0x82, payload)
    assert len(wire) == header_len + 4 + size
    assert wire[1] & 0x80, "client frames carry the MASK bit"
    frames, used = decode_frames(wire)
    assert used == len(wire)
    assert frames[0].payload == payload and frames[0].masked and frames[0].opcode == 2
    if size >= 8:
        assert wire[header_len + 4 :] != payload  # actually masked (key never all-zero in practice)


def test_each_client_frame_gets_a_fresh_key() -> None:
    keys = {encode_client_frame(0x81, b"x")[2:6] for _ in range(2000)}
    assert len(keys) > 1990  # 2000 draws from 2**32: collisions are astronomically rare


def test_encode_frame_can_lie_about_lengths() -> None:
    assert encode_frame(1, b"a", length_form=16).hex() == "817e000161"
    assert encode_frame(1, b"", length=1 << 63, length_form=64).hex() == "817f8000000000000000"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (bytes([0x82, 126, 0, 125]), "non-minimal 16-bit"),
        (bytes([0x82, 127]) + (65535).to_bytes(8, "big"), "non-minimal 64-bit"),
        (bytes([0x82, 127]) + (1 << 63).to_bytes(8, "big"), "most significant bit"),
    ],
)
def test_bad_extended_lengths(header: bytes, message: str) -> None:
    with pytest.raises(FrameError, match=message) as info:
        parse_extended_length(header, 0, len(header), header[1] & 0x7F)
    assert (info.value.code, info.value.status) == (1002, Cr.NS_ERROR_ILLEGAL_VALUE)


def test_extended_length_waits_for_its_bytes() -> None:
    assert parse_extended_length(bytes([0x82, 126, 1]), 0, 3, 126) is None
    assert parse_extended_length(bytes([0x82, 127, 0, 0, 0, 0, 0, 1, 0]), 0, 9, 127) is None
    assert parse_extended_length(bytes([0x82, 126, 1, 0]), 0, 4, 126) == (256, 4)


def test_valid_close_codes() -> None:
    valid = {c for c in range(0, 70000) if is_valid_close_code(c)}
    expected = {1000, 1001, 1002, 1003, *range(1007, 1015), *range(3000, 5000)}
    assert valid == expected
    for never in (1004, 1005, 1006, 1015, 999, 2999, 5000, 0):
        assert not is_valid_close_code(never)


def test_close_payloads() -> None:
    assert encode_close_payload(None) == b""
    assert encode_close_payload(0, "ignored") == b""
    assert encode_close_payload(1000, "bye") == b"\x03\xe8bye"
    assert parse_close_payload(b"") == (1005, "")
    assert parse_close_payload(b"\x0f\xa0h\xc3\xa9") == (4000, "hé")


@pytest.mark.parametrize(
    ("payload", "code", "status"),
    [
        (b"\x03", 1002, Cr.NS_ERROR_ILLEGAL_VALUE),
        (b"\x03\xec", 1002, Cr.NS_ERROR_ILLEGAL_VALUE),  # 1004
        (b"\x03\xed", 1002, Cr.NS_ERROR_ILLEGAL_VALUE),  # 1005
        (b"\x03\xee", 1002, Cr.NS_ERROR_ILLEGAL_VALUE),  # 1006
        (b"\x03\xf7", 1002, Cr.NS_ERROR_ILLEGAL_VALUE),  # 1015
        (b"\x13\x88", 1002, Cr.NS_ERROR_ILLEGAL_VALUE),  # 5000
        (b"\x03\xe8\xff", 1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA),
        (b"\x03\xe8\xed\xa0\x80", 1007, Cr.NS_ERROR_CANNOT_CONVERT_DATA),  # surrogate
    ],
)
def test_bad_close_payloads(payload: bytes, code: int, status: int) -> None:
    with pytest.raises(FrameError) as info:
        parse_close_payload(payload)
    assert (info.value.code, info.value.status) == (code, status)


def test_decode_frames_reports_rsv_and_partial_input() -> None:
    wire = encode_frame(Opcode.TEXT, b"abc", rsv=RSV1, fin=False) + encode_frame(0, b"de")[:3]
    frames, used = decode_frames(wire)
    assert len(frames) == 1 and used == 5
    assert (frames[0].fin, frames[0].rsv, frames[0].opcode, frames[0].payload) == (False, RSV1, 1, b"abc")
