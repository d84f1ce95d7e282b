"""Micro-benchmarks of the sans-I/O core (not part of the test suite).

    .venv/bin/python tests/protocol/bench_core.py            # C accelerator if built
    WSCHANNEL_NO_SPEEDUPS=1 .venv/bin/python tests/protocol/bench_core.py
    .venv/bin/python tests/protocol/bench_core.py --profile  # cProfile of the decode loop
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
import zlib
from collections.abc import Callable

from components.websocket.protocol import mask as mask_module
from components.websocket.protocol.connection import Connection
from components.websocket.protocol.deflate import DeflateParams
from components.websocket.protocol.frames import RSV1, encode_frame


def opened(deflate: DeflateParams | None = None) -> Connection:
    conn = Connection()
    conn.establish(deflate)
    return conn


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    print(f"mask implementation: {mask_module.IMPLEMENTATION}")
    n_frames = 100_000
    text = ("x" * 64).encode()
    chunk_frames = 500  # ~ what one 64 KiB receive_some holds
    stream = encode_frame(1, text) * chunk_frames
    chunks = [stream] * (n_frames // chunk_frames)

    def decode() -> None:
        conn = opened()
        for c in chunks:
            conn.receive_data(c)

    dt = best_of(decode)
    print(f"decode 64-byte text frames, 500/chunk: {n_frames / dt / 1e6:.2f} M frames/s")

    bin_stream = encode_frame(2, text) * chunk_frames

    def decode_bin() -> None:
        conn = opened()
        for _ in range(n_frames // chunk_frames):
            conn.receive_data(bin_stream)

    dt = best_of(decode_bin)
    print(f"decode 64-byte binary frames, 500/chunk: {n_frames / dt / 1e6:.2f} M frames/s")

    single = encode_frame(1, text)

    def decode_one_per_call() -> None:
        conn = opened()
        for _ in range(n_frames):
            conn.receive_data(single)

    dt = best_of(decode_one_per_call)
    print(f"decode 64-byte text frames, 1/chunk:   {n_frames / dt / 1e6:.2f} M frames/s")

    msg = "x" * 64

    def send() -> None:
        conn = opened()
        for _ in range(n_frames):
            conn.send_text(msg)

    dt = best_of(send)
    print(f"send_text 64 bytes:                     {n_frames / dt / 1e6:.2f} M frames/s")

    big = os.urandom(1 << 20)
    big_frame = encode_frame(2, big)
    pieces = [big_frame[i : i + 65536] for i in range(0, len(big_frame), 65536)]

    def decode_big() -> None:
        conn = opened()
        for _ in range(50):
            for p in pieces:
                conn.receive_data(p)

    dt = best_of(decode_big, 3)
    print(f"decode 1 MiB frames in 64 KiB chunks:   {50 * len(big) / dt / 1e6:.0f} MB/s")

    def send_big() -> None:
        conn = opened()
        for _ in range(50):
            conn.send_binary(big)

    dt = best_of(send_big, 3)
    print(f"send_binary 1 MiB (mask+frame):         {50 * len(big) / dt / 1e6:.0f} MB/s")

    key = os.urandom(4)
    impls = [("python", mask_module.mask_python)]
    try:
        from components.websocket.protocol import _speedups  # type: ignore[attr-defined]

        impls.append(("c", _speedups.mask))
    except ImportError:
        pass
    for name, fn in impls:
        for size in (64, 1 << 20):
            data = os.urandom(size)
            reps = max(1, (256 << 20) // size)

            def run(fn: Callable[[bytes, bytes], bytes] = fn, data: bytes = data, reps: int = reps) -> None:
                for _ in range(reps):
                    fn(data, key)

            dt = best_of(run, 3)
            rate = size * reps / dt / 1e6
            print(f"mask {name:6} {size:>8} B: {rate:8.0f} MB/s  {dt / reps * 1e9:8.0f} ns/call")

    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    deflated = b""
    for _ in range(chunk_frames):
        p = comp.compress(text) + comp.flush(zlib.Z_SYNC_FLUSH)
        deflated += encode_frame(1, p[:-4], rsv=RSV1)

    def decode_deflate() -> None:
        conn = opened(DeflateParams())
        conn.receive_data(deflated)

    dt = best_of(decode_deflate)
    print(f"decode 64-byte deflated text frames:    {chunk_frames / dt / 1e6:.2f} M frames/s")

    if "--profile" in sys.argv:
        prof = cProfile.Profile()
        prof.runcall(decode)
        prof.runcall(send)
        pstats.Stats(prof).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
