"""Entry-point discovery, with a real distribution installed into a scratch directory.

tests/runtime/testdist is built and installed with pip (no dependencies, no build
isolation: setuptools comes from this environment), then a fresh interpreter with
that directory on PYTHONPATH looks components up.  Nothing is patched: the manager
reads the installed metadata exactly as it would in a host application.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support.dists import env_with, install_offline

TESTDIST = Path(__file__).parent / "testdist"

PROBE = textwrap.dedent("""
    import json, logging
    logging.disable(logging.CRITICAL)
    from components import Cc, Ci, Cr, XPCOMError
    out = {}
    out["greet"] = Cc["@testdist.example/greeter;1"].createInstance().greet("trio")
    try:
        Cc["@testdist.example/half;1"]
    except XPCOMError as e:
        out["half"] = [e.result == Cr.NS_ERROR_FACTORY_NOT_REGISTERED, repr(e.__cause__)]
    prefs = Cc["@mozilla.org/preferences-service;1"].getService(Ci.nsIPrefBranch)
    out["prefs"] = [type(prefs).__name__, prefs.getIntPref("network.websocket.max-connections")]
    out["io"] = "@mozilla.org/network/io-service;1" in Cc
    out["failures"] = sorted(Cc.load_failures())
    print(json.dumps(out))
""")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_offline(TESTDIST, tmp_path_factory.mktemp("testdist"))


def _probe(site: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE], env=env_with(site), capture_output=True, text=True,
                          cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_installed_distribution_contributes_components(site: Path) -> None:
    assert any(p.name.startswith("xpcom_testdist") and p.name.endswith(".dist-info") for p in site.iterdir())
    out = _probe(site)
    assert out["greet"] == "hello, trio"
    assert out["io"] is True  # built-ins are still there


def test_failing_entry_point_module_is_isolated_and_rolled_back(site: Path) -> None:
    out = _probe(site)
    ok, cause = out["half"]
    assert ok and "fails on purpose" in cause
    assert "xpcom_testdist.broken" in out["failures"]


def test_entry_points_load_after_builtins_and_override_them(site: Path) -> None:
    assert _probe(site)["prefs"] == ["HostPrefs", 7]


def test_without_the_distribution_nothing_is_found() -> None:
    from components import Cc

    assert "@testdist.example/greeter;1" not in Cc
