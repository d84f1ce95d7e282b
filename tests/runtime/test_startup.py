"""Start-up cost: what the first ``Cc`` lookup imports outside the channel, and its entry-point walk."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from components import manager


@pytest.mark.parametrize("group", ["console_scripts", "pytest11", "xpcom.components", "no.such.group"])
def test_entry_point_walk_agrees_with_importlib_metadata(group: str) -> None:
    ours = [(e.name, e.value, e.group) for e in manager.entry_points(group)]
    theirs = [(e.name, e.value, e.group) for e in importlib.metadata.entry_points(group=group)]
    assert ours == theirs


def test_first_distribution_of_a_name_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder, value in (("a", "first.mod"), ("b", "second.mod")):
        info = tmp_path / folder / "Same_Name-1.0.dist-info"
        info.mkdir(parents=True)
        text = f"# comment\n[xpcom.test.dup]\nthing = {value}:attr.sub [extra]\n"
        (info / "entry_points.txt").write_text(text)
    monkeypatch.setattr(sys, "path", [str(tmp_path / "a"), str(tmp_path / "missing"), str(tmp_path / "b")])
    [ep] = manager.entry_points("xpcom.test.dup")
    assert (ep.name, ep.value) == ("thing", "first.mod:attr.sub [extra]")
    assert [(e.name, e.value) for e in importlib.metadata.entry_points(group="xpcom.test.dup")] == [
        (ep.name, ep.value)
    ]


def test_entry_point_load_follows_the_attribute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ep_target_mod.py").write_text("class A:\n    class B:\n        pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    ep = manager._EntryPoint("x", "ep_target_mod:A.B", "g")
    assert ep.load().__qualname__ == "A.B"
    assert manager._EntryPoint("y", "ep_target_mod", "g").load().__name__ == "ep_target_mod"


def test_the_first_lookup_does_not_import_importlib_metadata() -> None:
    code = textwrap.dedent("""
        import sys
        import components
        components.Cc["@mozilla.org/preferences-service;1"]
        assert "importlib.metadata" not in sys.modules, "importlib.metadata imported"
        assert "components.websocket.channel" in sys.modules   # every built-in module is loaded
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
