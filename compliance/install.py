"""The Python 2.7 virtualenv that holds `wstest` (autobahntestsuite 25.10.1 runs only on 2.7).

Built once under the work folder and reused while it still answers `wstest -a` with the right
version and was built from the same constraints file; anything else (a half-finished
install, changed pins) is thrown away and rebuilt, so a fresh CI machine and a developer's
machine end up with the same environment.

Python 3.11 cannot make a 2.7 environment with `venv`, and the 2.7 interpreter from pyenv has
no virtualenv of its own, so the host interpreter runs virtualenv 20.21.1 from a private
`--target` folder: the last release that can still create 2.7 environments (20.22 dropped
them) and whose embedded pip 20.3.4 / setuptools 44.1.1 are the last for 2.7. Nothing is
installed into the host environment or into the 2.7 interpreter itself.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

SUITE = "autobahntestsuite==25.10.1"
SUITE_VERSION_LINE = "AutobahnTestSuite 25.10.1"
CONSTRAINTS = Path(__file__).with_name("requirements-py27.txt")

# virtualenv and the three libraries it needs, pinned together: 20.21.1 accepts
# platformdirs<4, filelock<4 and distlib<1; these are the releases it was tried with.
BOOTSTRAP = ("virtualenv==20.21.1", "platformdirs==3.11.0", "filelock==3.12.2", "distlib==0.3.8")

# The README and CI name this interpreter; other 2.7 builds are tried after it.
PYENV_PREFERRED = "2.7.18"

INSTALL_TIMEOUT = 900      # seconds for one pip run (wsaccel is compiled from source)
PROBE_TIMEOUT = 60         # seconds for `python -c ...` / `wstest -a`


class SetupError(Exception):
    """The suite cannot be made to run here; the message says why and what to do."""


def _probe_27(command: list[str], env: dict[str, str] | None = None) -> str | None:
    """The real path of the interpreter `command` starts, if it is a working CPython 2.7."""
    code = "import sys; sys.stdout.write(sys.executable if sys.version_info[:2] == (2, 7) else '')"
    try:
        out = subprocess.run(command + ["-c", code], capture_output=True, text=True, env=env,
                             timeout=PROBE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = out.stdout.strip()
    return path if out.returncode == 0 and path and os.path.exists(path) else None


def _pyenv_versions() -> tuple[str | None, list[str]]:
    """pyenv's binary and its 2.7 builds, 2.7.18 (what this project documents) first."""
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return None, []
    try:
        out = subprocess.run([pyenv, "versions", "--bare"], capture_output=True, text=True,
                             timeout=PROBE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return pyenv, []
    found = [v.strip() for v in out.stdout.splitlines() if v.strip().startswith("2.7")]
    found.sort(key=lambda v: (v != PYENV_PREFERRED, [-int(p) for p in v.split(".") if p.isdigit()]))
    return pyenv, found


def find_python27() -> str:
    """Locate CPython 2.7: $AUTOBAHN_PYTHON27, then pyenv's 2.7 builds, then python2.7/python2."""
    tried = []
    explicit = os.environ.get("AUTOBAHN_PYTHON27")
    if explicit:
        path = _probe_27([explicit])
        if path:
            return path
        raise SetupError(f"AUTOBAHN_PYTHON27={explicit} is not a working Python 2.7 interpreter")
    pyenv, versions = _pyenv_versions()
    for version in versions:
        # What `PYENV_VERSION=2.7.18 python` runs, asked of pyenv itself: a `python` looked up
        # from here would be the running interpreter's, which pyenv put first on PATH.
        path = _probe_27([str(pyenv), "exec", "python"], env={**os.environ, "PYENV_VERSION": version})
        tried.append(f"PYENV_VERSION={version} python")
        if path:
            return path
    for name in ("python2.7", "python2"):
        exe = shutil.which(name)
        tried.append(name)
        if exe:
            path = _probe_27([exe])
            if path:
                return path
    raise SetupError(
        "The Autobahn|Testsuite (autobahntestsuite 25.10.1) runs only on Python 2.7, and none was "
        f"found (tried: {', '.join(tried) or 'nothing to try'}). Install one, e.g. "
        f"`pyenv install {PYENV_PREFERRED}`, or point AUTOBAHN_PYTHON27 at a python2.7 binary."
    )


def _fingerprint(python27: str) -> str:
    """What the environment was built from: the interpreter, the suite and its constraints."""
    h = hashlib.sha256()
    h.update(python27.encode())
    h.update(SUITE.encode())
    h.update(CONSTRAINTS.read_bytes())
    return h.hexdigest()


def _run(argv: list[str], what: str, log: Path, env: dict[str, str] | None = None) -> None:
    print(f"compliance: {what}", file=sys.stderr, flush=True)
    with log.open("ab") as out:
        try:
            rc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                                timeout=INSTALL_TIMEOUT, check=False).returncode
        except subprocess.TimeoutExpired:
            raise SetupError(f"{what}: no result after {INSTALL_TIMEOUT} s; see {log}") from None
    if rc != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        raise SetupError(f"{what} failed (exit {rc}); the end of {log}:\n{tail}")


def wstest_works(wstest: Path) -> bool:
    try:
        out = subprocess.run([str(wstest), "-a"], capture_output=True, text=True,
                             timeout=PROBE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and SUITE_VERSION_LINE in out.stdout


def ensure_wstest(workdir: Path) -> Path:
    """The path of a working `wstest` 25.10.1, building its 2.7 virtualenv if needed."""
    venv = workdir / "py27"
    wstest = venv / "bin" / "wstest"
    stamp = venv / "built-from.sha256"
    python27 = find_python27()
    fingerprint = _fingerprint(python27)
    if stamp.exists() and stamp.read_text().strip() == fingerprint and wstest_works(wstest):
        return wstest

    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "install.log"
    log.write_text("")
    shutil.rmtree(venv, ignore_errors=True)
    bootstrap = workdir / "bootstrap"
    if not (bootstrap / "virtualenv").is_dir():
        shutil.rmtree(bootstrap, ignore_errors=True)
        _run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              "--target", str(bootstrap), *BOOTSTRAP],
             f"installing {BOOTSTRAP[0]} into {bootstrap}", log)
    env = {**os.environ, "PYTHONPATH": str(bootstrap)}
    # --app-data keeps virtualenv's wheel cache in the work folder instead of ~/.local/share.
    _run([sys.executable, "-m", "virtualenv", "--no-download", "--no-periodic-update",
          "--app-data", str(workdir / "virtualenv-data"), "--python", python27, str(venv)],
         f"creating a Python 2.7 virtualenv at {venv} ({python27})", log, env=env)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check",
           "--no-python-version-warning"]
    _run([*pip, "install", "--constraint", str(CONSTRAINTS), SUITE],
         f"installing {SUITE} (a few minutes the first time)", log)
    if not wstest_works(wstest):
        raise SetupError(f"{wstest} was installed but `wstest -a` does not report {SUITE_VERSION_LINE}; "
                         f"see {log}")
    stamp.write_text(fingerprint + "\n")
    return wstest
