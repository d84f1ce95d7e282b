"""``python -m codegen watch``: regenerate the bindings and tests whenever an IDL file changes.

One ``regen`` at start, then one after every batch of changes under the IDL folder (watchfiles
groups the events of one save, or of a ``git checkout``, into one batch).  Each run is the
ordinary ``regen`` (``codegen.regen.run``): a file that does not parse or check is reported
located, with its source line and a caret, and *nothing* is written, so the bindings and tests
on disk stay those of the last good state until the next edit fixes it.  The process lives as
long as the watch, so its parse cache stays warm: after an edit only the changed file and the
files including it are parsed again.

watchfiles is an optional dependency (``pip install -e '.[watch]'``; the ``test`` extra has it).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from typing import TextIO

from codegen.regen import Layout, run

# How long a batch of file events may keep growing before the regen starts (milliseconds):
# long enough to take an editor's write-rename-chmod as one change, short enough to feel instant.
DEBOUNCE_MS = 150
READY_MS = 300


def _is_idl(change: object, path: str) -> bool:
    return path.endswith(".idl")


def watch(
    layout: Layout,
    cache_dir: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Regenerate now and after every change under ``layout.idl_dir`` until ``stop`` is set
    (or Ctrl-C).  Returns the exit status: 0, or 2 when watchfiles is not installed."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        from watchfiles import watch as watch_changes
    except ImportError:
        print(
            "codegen watch: needs the watchfiles package: pip install 'xpcom-websocket[watch]'",
            file=err,
        )
        return 2
    _regen(layout, cache_dir, out, err, ())
    watching = False
    try:
        # The first (empty) batch comes once the watcher is in place and has been quiet for
        # READY_MS: only then is "watching" true, so an edit made after that line is never missed.
        for changes in watch_changes(
            layout.idl_dir,
            watch_filter=_is_idl,
            debounce=DEBOUNCE_MS,
            step=25,
            stop_event=stop,
            rust_timeout=READY_MS,
            yield_on_timeout=True,
        ):
            if not watching:
                watching = True
                where = layout.shown(layout.idl_dir)
                print(f"codegen watch: watching {where}/ (Ctrl-C to stop)", file=out, flush=True)
            if changes:
                _regen(layout, cache_dir, out, err, sorted({path for _, path in changes}))
    except KeyboardInterrupt:
        pass
    return 0


def _regen(layout: Layout, cache_dir: str | None, out: TextIO, err: TextIO, changed: Iterable[str]) -> None:
    from pathlib import Path

    names = [layout.shown(Path(p)) for p in changed]
    if names:
        print(f"codegen watch: changed: {', '.join(names)}", file=out, flush=True)
    status = run("regen", layout, out, err, cache_dir=cache_dir)
    if status != 0:
        print("codegen watch: the last good output is kept; waiting for the next change", file=err)
    out.flush()
    err.flush()


def main(layout: Layout, cache_dir: str | None) -> int:
    if not os.path.isdir(layout.idl_dir):
        print(f"codegen watch: no IDL folder at {layout.idl_dir}", file=sys.stderr)
        return 1
    return watch(layout, cache_dir)
