"""nsresult codes and XPCOMError."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components import Cr, XPCOMError
from components.manager import ComponentNotRegisteredError, NoInterfaceError
from components.results import failed, result_name, succeeded

REFERENCE = Path("/work/shared/REFERENCE.md")


def test_codes_from_the_reference_have_their_exact_values() -> None:
    expected = {
        "NS_OK": 0x00000000, "NS_ERROR_FAILURE": 0x80004005, "NS_ERROR_NOT_IMPLEMENTED": 0x80004001,
        "NS_NOINTERFACE": 0x80004002, "NS_ERROR_UNEXPECTED": 0x8000FFFF, "NS_ERROR_OUT_OF_MEMORY": 0x8007000E,
        "NS_ERROR_ILLEGAL_VALUE": 0x80070057, "NS_ERROR_INVALID_ARG": 0x80070057,
        "NS_ERROR_NOT_AVAILABLE": 0x80040111, "NS_ERROR_FACTORY_NOT_REGISTERED": 0x80040154,
        "NS_ERROR_NOT_CONNECTED": 0x804B000C, "NS_ERROR_CONNECTION_REFUSED": 0x804B000D,
        "NS_ERROR_NET_TIMEOUT": 0x804B000E, "NS_ERROR_IN_PROGRESS": 0x804B000F,
        "NS_ERROR_NET_RESET": 0x804B0014, "NS_ERROR_INVALID_CONTENT_ENCODING": 0x804B001B,
        "NS_ERROR_UNKNOWN_HOST": 0x804B001E, "NS_ERROR_SOCKET_CREATE_FAILED": 0x804B0034,
        "NS_ERROR_NET_INTERRUPT": 0x804B0047, "NS_ERROR_ALREADY_OPENED": 0x804B0049,
        "NS_ERROR_NET_INADEQUATE_SECURITY": 0x804B0052, "NS_ERROR_NET_TIMEOUT_EXTERNAL": 0x804B0055,
        "NS_ERROR_WEBSOCKET_CONNECTION_REFUSED": 0x804B0057, "NS_BASE_STREAM_CLOSED": 0x80470002,
        "NS_ERROR_CANNOT_CONVERT_DATA": 0x80460001, "NS_ERROR_FILE_TOO_BIG": 0x8052000F,
        "NS_ERROR_MALFORMED_URI": 0x804B000A,
    }
    for name, value in expected.items():
        assert getattr(Cr, name) == value, name


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference is not on this machine")
def test_every_code_named_in_the_reference_exists() -> None:
    for name, value in re.findall(r"(NS_[A-Z_]+) (0x[0-9A-F]{8})", REFERENCE.read_text()):
        assert getattr(Cr, name) == int(value, 16), name


def test_names_of_codes() -> None:
    assert result_name(0x804B0049) == "NS_ERROR_ALREADY_OPENED"
    assert result_name(Cr.NS_ERROR_INVALID_ARG) == "NS_ERROR_ILLEGAL_VALUE"  # aliases: one canonical name
    assert result_name(Cr.NS_NOINTERFACE) == "NS_NOINTERFACE"
    assert result_name(Cr.NS_OK) == "NS_OK"
    assert result_name(0x80001234) == "0x80001234"
    assert succeeded(Cr.NS_OK) and failed(Cr.NS_ERROR_FAILURE) and not failed(Cr.NS_OK)


def test_error_shows_the_symbolic_name() -> None:
    e = XPCOMError(Cr.NS_ERROR_ALREADY_OPENED, "the channel was opened before")
    assert e.result == 0x804B0049 and e.name == "NS_ERROR_ALREADY_OPENED"
    assert str(e) == "NS_ERROR_ALREADY_OPENED (0x804b0049): the channel was opened before"
    assert str(XPCOMError(Cr.NS_ERROR_ALREADY_OPENED)) == "NS_ERROR_ALREADY_OPENED (0x804b0049)"
    assert repr(e) == "XPCOMError(NS_ERROR_ALREADY_OPENED, 'the channel was opened before')"


def test_family_subclasses_are_xpcom_errors() -> None:
    e = ComponentNotRegisteredError("@x;1")
    assert isinstance(e, XPCOMError) and isinstance(e, KeyError)
    assert e.result == Cr.NS_ERROR_FACTORY_NOT_REGISTERED and e.contractID == "@x;1"
    assert str(e) == "NS_ERROR_FACTORY_NOT_REGISTERED (0x80040154): no component for '@x;1'"
    n = NoInterfaceError(object(), Cr)
    assert isinstance(n, XPCOMError) and n.result == Cr.NS_NOINTERFACE
