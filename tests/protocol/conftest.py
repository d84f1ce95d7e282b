"""Fixtures shared by the core's tests."""

from __future__ import annotations

import pytest

from components.websocket.protocol import largeframe as largeframe_module


@pytest.fixture(params=["c-fill", "chunk-list"])
def collection(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """How a large payload is collected: the C fill into its final bytes (skipped when the
    accelerator is not active), or the pure-Python list of chunks."""
    if request.param == "chunk-list":
        monkeypatch.setattr(largeframe_module, "_payload_buffer", None)
    elif largeframe_module._payload_buffer is None:
        pytest.skip("the C accelerator is not active")
    return str(request.param)
