"""`python -m compliance [--cases 1-10|all|6.4.*] [--testee ours|websockets|...|all]`

Exit status: 0 when our channel's results are as compliance/expected-non-ok.txt says (every
other case OK or INFORMATIONAL, every listed case still not), 1 when they are not, 2 when the
suite could not be run (no Python 2.7, install failure, the fuzzing server did not start).
Peers' results are printed and never change it.
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from compliance import cases, report
from compliance.install import SetupError, ensure_wstest
from compliance.runner import ROOT, Budget, run
from compliance.server import ServerError
from compliance.testees import OURS, TESTEES


def _testees(value: str) -> list[str]:
    names = list(TESTEES) if value == "all" else [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in TESTEES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown testee {', '.join(unknown)}; one of {', '.join(TESTEES)}, all")
    return names


def _cases(value: str) -> list[str]:
    try:
        return cases.patterns(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m compliance", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=_cases, default=cases.patterns("1-10"), metavar="SELECTION",
                   help="all, sections A-B, case ids or patterns, comma-separated (default 1-10)")
    p.add_argument("--testee", type=_testees, default=list(TESTEES), metavar="NAMES",
                   help=f"comma-separated from {', '.join(TESTEES)}, or all (default all)")
    p.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown (- prints it)")
    p.add_argument("--workdir", type=Path, default=ROOT / ".autobahn",
                   help="the 2.7 virtualenv and the last run's reports (default .autobahn/)")
    p.add_argument("--expected", type=Path, default=report.EXPECTED_FILE,
                   help="cases ours is known not to pass (default compliance/expected-non-ok.txt)")
    p.add_argument("--case-timeout", type=float, default=60.0, help="seconds per case (default 60)")
    return p.parse_args(argv)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    # SystemExit unwinds through the `with` blocks, so the fuzzing server and a running testee
    # are stopped when CI's timeout (or anyone) sends SIGTERM.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        wstest = ensure_wstest(args.workdir)
        budget = Budget(case_timeout=args.case_timeout)
        results, ids = run(wstest, args.cases, args.testee, args.workdir, budget)
    except (SetupError, ServerError) as e:
        print(f"compliance: {e}", file=sys.stderr)
        return 2
    print(report.render_text(results, ids))
    if args.markdown:
        table = report.render_markdown(results, ids) + "\n"
        if args.markdown == "-":
            print("\n" + table, end="")
        else:
            Path(args.markdown).write_text(table)
    print(f"\nreports: {args.workdir / 'run' / 'reports' / 'index.html'}")
    verdict = report.judge_run(results, report.load_expected(args.expected), OURS)
    if verdict is None:
        return 0   # only peers were run: nothing to hold against us
    ours = next(r for r in results if r.name == OURS)
    print(report.render_judgement(ours.cases, verdict))
    return 0 if verdict.passed else 1


if __name__ == "__main__":
    sys.exit(main())
