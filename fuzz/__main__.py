"""``python -m fuzz``: run a fuzz target (see fuzz/__init__.py and the README's Fuzzing section).

    python -m fuzz list                               # the targets
    python -m fuzz TARGET [--runs N] [--seconds S] [--engine auto|atheris|hypothesis] [-- LIBFUZZER ARGS]
    python -m fuzz all --seconds 5                    # every byte target in turn, one process each
    python -m fuzz repro TARGET FILE...               # rerun saved inputs (a crash, a corpus file)
    python -m fuzz seeds [TARGET...]                  # rewrite fuzz/corpus/ from the targets' seeds()
    python -m fuzz channel [--connections N] [--seed S] [--concurrency C]   # end to end

Exit status 0 when no crash was found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

from fuzz import BYTE_TARGETS
from fuzz.engine import CORPUS_DIR, atheris_available, load_target, reproduce, run_atheris, run_hypothesis

WORK_DIR = Path(__file__).resolve().parent.parent / ".fuzz"


def _target(name: str, args: argparse.Namespace, extra: list[str]) -> int:
    work = Path(args.work) if args.work else WORK_DIR / name
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if atheris_available() else "hypothesis"
    if engine == "atheris":
        return run_atheris(name, args.runs, args.seconds, work, extra)
    runs, seconds = args.runs, args.seconds
    if runs is None and seconds is None:
        runs = 10_000
    return 1 if run_hypothesis(name, runs, seconds, work).crash else 0


_STAT = re.compile(r"stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb):\s*(\d+)")


def _all(args: argparse.Namespace) -> int:
    """Every byte target in its own process, one after the other; a summary table at the end."""
    failed = 0
    rows = []
    for name in BYTE_TARGETS:
        cmd = [sys.executable, "-m", "fuzz", name, "--engine", args.engine]
        if args.runs is not None:
            cmd += ["--runs", str(args.runs)]
        if args.seconds is not None:
            cmd += ["--seconds", str(args.seconds)]
        start = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        took = time.monotonic() - start
        output = proc.stdout + proc.stderr
        stats = dict(_STAT.findall(output))
        summary = [line for line in output.splitlines() if line.startswith(f"fuzz {name}:")]
        if proc.returncode:
            failed += 1
            sys.stdout.write(output[-4000:])
        rows.append((name, proc.returncode, stats, summary[-1] if summary else "", took))
    for name, rc, stats, line, took in rows:
        if stats:
            line = (f"fuzz {name}: {stats.get('number_of_executed_units', '?')} inputs in {took:.1f} s "
                    f"({stats.get('average_exec_per_sec', '?')}/s), engine atheris, "
                    f"peak RSS {stats.get('peak_rss_mb', '?')} MB, {'CRASH' if rc else 'no crash'}")
        print(line or f"fuzz {name}: exit {rc}")
    return 1 if failed else 0


def _seeds(names: list[str]) -> int:
    for name in names or BYTE_TARGETS:
        folder = CORPUS_DIR / name
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            if not old.name.startswith("regress-"):  # crashes found earlier stay in the corpus
                old.unlink()
        seeds = load_target(name).seeds()
        for seed_name, data in seeds.items():
            (folder / seed_name).write_bytes(data)
        print(f"{folder}: {len(seeds)} seeds")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", help="a target, or list / all / repro / seeds / channel")
    parser.add_argument("files", nargs="*", help="repro: the target, then input files")
    parser.add_argument("--runs", type=int, help="stop after this many inputs")
    parser.add_argument("--seconds", type=float, help="stop after this much time")
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    parser.add_argument("--work", help="corpus and crash folder (default .fuzz/TARGET)")
    parser.add_argument("--connections", type=int, default=1000, help="channel: connections to open")
    parser.add_argument("--seed", type=int, default=6455, help="channel: the random streams' seed")
    parser.add_argument("--concurrency", type=int, default=20, help="channel: connections at once")
    args = parser.parse_args(argv)
    if args.target == "list":
        for name in (*BYTE_TARGETS, "channel"):
            print(name)
        return 0
    if args.target == "all":
        return _all(args)
    if args.target == "seeds":
        return _seeds(args.files)
    if args.target == "repro":
        if len(args.files) < 2:
            parser.error("repro TARGET FILE...")
        name, *paths = args.files
        return max(reproduce(name, Path(p)) for p in paths)
    if args.target == "channel":
        from fuzz.channel import main as channel_main

        return channel_main(args.connections, args.seed, args.concurrency)
    if args.target not in BYTE_TARGETS:
        parser.error(f"unknown target {args.target!r} (python -m fuzz list)")
    return _target(args.target, args, extra)


sys.exit(main())
