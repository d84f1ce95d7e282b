"""``python -m fuzz channel``: the channel end to end against hostile servers (tests/support/hostile.py).

The servers, the streams and the checks are the test suite's (``support.hostile``), so the
CI-sized test (tests/conformance/test_order_and_errors.py, 1000 connections) and this command
(any number) are one thing at two sizes.  Runs of :data:`BATCH` connections, each with its own
seed, so memory stays flat and a problem names the seed that reproduces it.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

BATCH = 1000


def main(connections: int, seed: int, concurrency: int) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import trio
    from support.hostile import run_hostile
    from support.listener import status_name

    done = problems = 0
    seconds = 0.0
    statuses: Counter[int] = Counter()
    batch_seed = seed
    while done < connections:
        n = min(BATCH, connections - done)
        report = trio.run(run_hostile, n, batch_seed, concurrency)
        done += n
        seconds += report.seconds
        statuses.update(report.statuses)
        if report.problems:
            problems += len(report.problems)
            print(f"seed {batch_seed}: {report.summary()}", flush=True)
        batch_seed += 1
    rate = done / seconds if seconds else 0.0
    shown = ", ".join(f"{status_name(s)} {n}" for s, n in statuses.most_common())
    print(f"fuzz channel: {done} connections in {seconds:.1f} s ({rate:.0f}/s), "
          f"{problems} problems; statuses: {shown}", flush=True)
    return 1 if problems else 0
