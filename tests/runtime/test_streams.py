"""nsIInputStream over bytes and files, and the adapter sendBinaryStream uses."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import trio
from zope.interface import implementer
from zope.interface.verify import verifyObject

from components import Cc, Ci, Cr, XPCOMError
from components.streams import BytesInputStream, FileInputStream, as_input_stream, read_all


def _closed_error(call) -> None:
    with pytest.raises(XPCOMError) as info:
        call()
    assert info.value.result == Cr.NS_BASE_STREAM_CLOSED


def test_bytes_stream_reads_in_chunks_then_ends() -> None:
    s = BytesInputStream(bytearray(b"abcdef"))
    assert s.available() == 6
    assert s.read(4) == b"abcd"
    assert s.available() == 2
    assert s.readBytes(10) == b"ef"
    assert s.read(10) == b"" and s.available() == 0
    assert s.isNonBlocking() is False
    s.close()
    s.close()  # closing twice is fine
    _closed_error(s.available)
    _closed_error(lambda: s.read(1))


def test_bytes_stream_copies_its_input() -> None:
    data = bytearray(b"xy")
    s = BytesInputStream(data)
    data[0] = ord("z")
    assert s.read(2) == b"xy"


def test_bad_counts_are_illegal_values() -> None:
    s = BytesInputStream(b"x")
    for bad in (-1, 1.5, True, "3", 2**32):  # the count is an unsigned long
        with pytest.raises(XPCOMError) as info:
            s.read(bad)  # type: ignore[arg-type]
        assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE
    assert s.read(0) == b""


def test_string_input_stream_component() -> None:
    s = Cc["@mozilla.org/io/string-input-stream;1"].createInstance(Ci.nsIInputStream)
    assert s.read(5) == b""
    s.setData(b"hello")
    assert read_all(s) == b"hello"
    assert verifyObject(Ci.nsIInputStream, s)


def test_file_stream_over_a_real_file(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 40)
    f = path.open("rb")
    s = FileInputStream(f)
    assert verifyObject(Ci.nsIInputStream, s)
    assert s.available() == 10240
    assert s.read(1000) == bytes(range(256)) * 3 + bytes(range(232))
    assert s.available() == 9240
    assert read_all(s) == (bytes(range(256)) * 40)[1000:]
    assert s.read(10) == b"" and s.available() == 0
    s.close()
    assert f.closed  # the stream owned the file
    _closed_error(lambda: s.read(1))


def test_file_stream_can_leave_the_file_open() -> None:
    f = io.BytesIO(b"abc")
    s = FileInputStream(f, close_file=False)
    assert s.read(2) == b"ab"
    s.close()
    assert not f.closed


def test_file_stream_over_a_pipe_never_blocks_in_available() -> None:
    r, w = os.pipe()
    with open(r, "rb") as reader:
        s = FileInputStream(reader, close_file=False)
        assert s.available() == 0  # not seekable: unknown, and must not block
        os.write(w, b"data")
        os.close(w)
        assert read_all(s) == b"data"


def test_file_errors_and_odd_files() -> None:
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
            raise OSError("disk on fire")

    with pytest.raises(XPCOMError) as info:
        FileInputStream(Broken()).read(5)
    assert info.value.result == Cr.NS_ERROR_FAILURE
    assert isinstance(info.value.__cause__, OSError)

    class NotReady:
        def read(self, n: int) -> None:
            return None  # a non-blocking raw file with nothing to give

    with pytest.raises(XPCOMError) as info:
        FileInputStream(NotReady()).read(5)
    assert info.value.result == Cr.NS_BASE_STREAM_WOULD_BLOCK

    class Texty:
        def read(self, n: int) -> str:
            return "text"

    with pytest.raises(XPCOMError) as info:
        FileInputStream(Texty()).read(5)
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE


def test_adapter_accepts_streams_files_and_bytes(tmp_path: Path) -> None:
    s = BytesInputStream(b"q")
    assert as_input_stream(s) is s
    assert read_all(as_input_stream(b"raw")) == b"raw"
    assert read_all(as_input_stream(memoryview(b"view"))) == b"view"
    f = io.BytesIO(b"from a file")
    adapted = as_input_stream(f)
    assert Ci.nsIInputStream.providedBy(adapted)
    assert read_all(adapted, limit=4) == b"from"
    (tmp_path / "t.txt").write_text("hi")
    with open(tmp_path / "t.txt") as text, pytest.raises(XPCOMError) as info:
        as_input_stream(text)
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE
    with pytest.raises(XPCOMError) as info:
        as_input_stream(42)
    assert info.value.result == Cr.NS_ERROR_ILLEGAL_VALUE


def test_adapter_passes_duck_typed_streams_through() -> None:
    class ScriptStream:  # what a script-implemented nsIInputStream looks like: no declarations
        def available(self) -> int:
            return 0

        def read(self, n: int) -> bytes:
            return b""

        def close(self) -> None:
            pass

    obj = ScriptStream()
    assert as_input_stream(obj) is obj

    @implementer(Ci.nsIInputStream)
    class Declared(ScriptStream):
        pass

    d = Declared()
    assert as_input_stream(d) is d


async def test_reads_work_from_a_worker_thread(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(300_000))
    stream = as_input_stream(path.open("rb"))
    got = bytearray()
    while chunk := await trio.to_thread.run_sync(stream.read, 65536):
        got += chunk
    await trio.to_thread.run_sync(stream.close)
    assert bytes(got) == path.read_bytes()
