"""RFC 6455 §5.3 masking: the C accelerator and the pure-Python fallback agree."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components.websocket.protocol import mask as mask_module

try:
    from components.websocket.protocol import _speedups  # type: ignore[attr-defined]
except ImportError:  # not built: the C half of each parametrization is skipped
    _speedups = None

ROOT = Path(__file__).resolve().parents[2]


def _naive(data: bytes, key: bytes) -> bytes:
    return bytes(b ^ key[i % 4] for i, b in enumerate(data))


MASKS = [
    pytest.param(mask_module.mask_python, id="python"),
    pytest.param(
        _speedups.mask if _speedups else None,
        id="c",
        marks=pytest.mark.skipif(_speedups is None, reason="C accelerator not built"),
    ),
]
ENCODERS = [
    pytest.param(mask_module._encode_masked_frame_python, id="python"),
    pytest.param(
        _speedups.encode_masked_frame if _speedups else None,
        id="c",
        marks=pytest.mark.skipif(_speedups is None, reason="C accelerator not built"),
    ),
]

SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 125, 126, 127, 511, 512, 513, 4096, 65535, 65536, 65537]


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize("size", SIZES)
def test_mask_matches_definition(mask: Callable[[bytes, bytes], bytes], size: int) -> None:
    data = os.urandom(size)
    key = os.urandom(4)
    assert mask(data, key) == _naive(data, key)
    assert mask(mask(data, key), key) == data  # masking is its own inverse


@pytest.mark.parametrize("mask", MASKS)
def test_mask_accepts_any_buffer(mask: Callable[[object, bytes], bytes]) -> None:
    data = os.urandom(1000)
    key = b"\x01\x02\x03\x04"
    expected = _naive(data, key)
    assert mask(bytearray(data), key) == expected
    assert mask(memoryview(data), key) == expected
    assert type(mask(bytearray(data), key)) is bytes


@pytest.mark.parametrize("mask", MASKS)
@given(data=st.binary(max_size=2000), key=st.binary(min_size=4, max_size=4))
def test_mask_property(mask: Callable[[bytes, bytes], bytes], data: bytes, key: bytes) -> None:
    assert mask(data, key) == _naive(data, key)


@pytest.mark.parametrize("encode", ENCODERS)
@pytest.mark.parametrize("size", [0, 125, 126, 127, 600, 65535, 65536, 1 << 20])
def test_encoders_agree_with_the_spec(encode: Callable[[int, bytes, bytes], bytes], size: int) -> None:
    payload = os.urandom(size)
    key = os.urandom(4)
    if size < 126:
        header = bytes([0x82, 0x80 | size])
    elif size < 65536:
        header = bytes([0x82, 0xFE]) + size.to_bytes(2, "big")
    else:
        header = bytes([0x82, 0xFF]) + size.to_bytes(8, "big")
    assert encode(0x82, payload, key) == header + key + _naive(payload, key)


@pytest.mark.skipif(_speedups is None, reason="C accelerator not built")
def test_c_and_python_encoders_identical() -> None:
    for size in SIZES:
        payload = os.urandom(size)
        key = os.urandom(4)
        for b0 in (0x81, 0x02, 0xC1, 0x8A):
            assert _speedups.encode_masked_frame(b0, payload, key) == (
                mask_module._encode_masked_frame_python(b0, payload, key)
            )


@pytest.mark.skipif(_speedups is None, reason="C accelerator not built")
def test_c_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        _speedups.mask(b"abc", b"abc")
    with pytest.raises(ValueError):
        _speedups.encode_masked_frame(256, b"", b"abcd")
    with pytest.raises(TypeError):
        _speedups.mask(b"abc")
    with pytest.raises(TypeError):
        _speedups.mask("text", b"abcd")


KEY_SOURCES = [
    pytest.param(mask_module._random_key_python, id="python"),
    pytest.param(
        _speedups.random_key if _speedups else None,
        id="c",
        marks=pytest.mark.skipif(_speedups is None, reason="C accelerator not built"),
    ),
]
CLIENT_ENCODERS = [
    pytest.param(mask_module._encode_client_frame_python, id="python"),
    pytest.param(
        _speedups.encode_client_frame if _speedups else None,
        id="c",
        marks=pytest.mark.skipif(_speedups is None, reason="C accelerator not built"),
    ),
]


@pytest.mark.parametrize("random_key", KEY_SOURCES)
def test_random_keys_come_from_a_pool_and_differ(random_key: Callable[[], bytes]) -> None:
    keys = [random_key() for _ in range(5000)]  # crosses several 4 KiB pool refills
    assert all(len(k) == 4 and type(k) is bytes for k in keys)
    assert len(set(keys)) > 4990


@pytest.mark.parametrize("encode", CLIENT_ENCODERS)
@pytest.mark.parametrize("size", [0, 3, 125, 126, 65535, 65536])
def test_client_frames_carry_fresh_keys(encode: Callable[[int, bytes], bytes], size: int) -> None:
    payload = os.urandom(size)
    hlen = 2 if size < 126 else 4 if size < 65536 else 10
    frames = [encode(0x82, payload) for _ in range(1100)]  # crosses a pool refill
    keys = {fr[hlen : hlen + 4] for fr in frames}
    assert len(keys) > 1090
    for fr in frames[:50]:
        key = fr[hlen : hlen + 4]
        assert fr == mask_module._encode_masked_frame_python(0x82, payload, key)


@pytest.mark.skipif(_speedups is None, reason="C accelerator not built")
def test_c_key_pool_can_be_discarded() -> None:
    _speedups.random_key()
    _speedups.discard_key_pool()
    assert len({_speedups.random_key() for _ in range(100)}) == 100


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_draws_different_keys() -> None:
    """The pool is per process: a forked child must not replay the parent's keys."""
    mask_module.random_key()  # make sure the parent has a pool
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report its next key and leave at once
        os.write(write_fd, mask_module.random_key())
        os._exit(0)
    os.close(write_fd)
    child_key = os.read(read_fd, 4)
    os.close(read_fd)
    os.waitpid(pid, 0)
    assert child_key != mask_module.random_key()


def _implementation(env_value: str | None) -> str:
    env = dict(os.environ)
    env.pop("WSCHANNEL_NO_SPEEDUPS", None)
    if env_value is not None:
        env["WSCHANNEL_NO_SPEEDUPS"] = env_value
    code = "from components.websocket.protocol import mask; print(mask.IMPLEMENTATION, mask.mask.__module__)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_env_var_forces_the_python_fallback() -> None:
    assert _implementation("1") == "python components.websocket.protocol.mask"


@pytest.mark.skipif(_speedups is None, reason="C accelerator not built")
def test_c_accelerator_selected_by_default() -> None:
    assert _implementation(None).split()[0] == "c"
    assert _implementation("0").split()[0] == "c"


def test_active_implementation_matches_environment() -> None:
    forced = os.environ.get("WSCHANNEL_NO_SPEEDUPS", "") not in ("", "0")
    if forced or _speedups is None:
        assert mask_module.IMPLEMENTATION == "python"
        assert mask_module.mask is mask_module.mask_python
    else:
        assert mask_module.IMPLEMENTATION == "c"


INTO_ENCODERS = [
    pytest.param(mask_module._encode_client_frame_into_python, id="python"),
    pytest.param(
        _speedups.encode_client_frame_into if _speedups else None,
        id="c",
        marks=pytest.mark.skipif(_speedups is None, reason="C accelerator not built"),
    ),
]


@pytest.mark.parametrize("encode_into", INTO_ENCODERS)
def test_frames_written_into_a_reused_buffer(encode_into: Callable[[bytearray, int, object], int]) -> None:
    # Growing, shrinking and regrowing frames through one buffer: each frame is exactly what the
    # bytes-returning encoder makes with the same key, and the buffer only ever grows.
    buf = bytearray()
    for size in [70000, 0, 3, 125, 126, 65535, 65536, 200000, 1000]:
        payload = os.urandom(size)
        before = len(buf)
        n = encode_into(buf, 0x82, memoryview(payload))
        hlen = 2 if size < 126 else 4 if size < 65536 else 10
        assert n == hlen + 4 + size and len(buf) == max(before, n)
        frame = bytes(buf[:n])
        key = frame[hlen : hlen + 4]
        assert frame == mask_module._encode_masked_frame_python(0x82, payload, key)


@pytest.mark.parametrize("encode_into", INTO_ENCODERS)
def test_a_buffer_with_a_live_view_is_never_grown(
    encode_into: Callable[[bytearray, int, object], int],
) -> None:
    buf = bytearray()
    encode_into(buf, 0x82, b"x" * 10)
    view = memoryview(buf)
    with pytest.raises(BufferError):
        encode_into(buf, 0x82, b"y" * 1000)
    view.release()
    assert encode_into(buf, 0x82, b"y" * 1000) == 1008


@pytest.mark.skipif(_speedups is None, reason="C accelerator not built")
def test_payload_view_is_a_bounded_writable_window() -> None:
    dst = _speedups.payload_buffer(10)
    _speedups.fill(dst, 0, bytes(10))
    view = _speedups.payload_view(dst, 3, 4)
    assert not view.readonly and view.nbytes == 4
    view[:] = b"abcd"
    del dst  # the view keeps the bytes object alive
    assert bytes(view) == b"abcd"
    view.release()
    for offset, length in [(-1, 1), (0, 11), (8, 3), (3, -1)]:
        with pytest.raises(ValueError):
            _speedups.payload_view(_speedups.payload_buffer(10), offset, length)
    with pytest.raises(TypeError):
        _speedups.payload_view(bytearray(10), 0, 1)
