"""The two fuzzing engines behind ``python -m fuzz``: atheris (coverage-guided) and hypothesis.

A target is a module with ``one_input(data: bytes) -> None`` (raise = crash), ``seeds()`` (the
seed corpus, name -> bytes), ``INSTRUMENT`` (the packages whose bytecode atheris instruments for
coverage) and optionally ``MAX_LEN`` (the largest input the engine generates) and
``memory_bound(data) -> int`` (bytes a single input may allocate, checked with tracemalloc).

What counts as a crash is the same under both engines, and checked here rather than by
each engine's own means, so a finding reproduces the same way whichever found it:

* an exception escaping ``one_input`` (every target catches its documented errors itself and
  raises :class:`Crash` when an invariant fails);
* a hang: more than :data:`HANG_SECONDS` of CPU time on one input.  CPU time, not wall time:
  the machine is shared, and a target that waits for nothing can only hang by computing.
  (libFuzzer's own wall-clock ``-timeout`` stays on, at a few times that, as a backstop for
  a hang inside C code, where the signal cannot interrupt);
* memory: one input in every :data:`MEMORY_SAMPLE` runs under ``tracemalloc``, and its peak
  must stay within the target's ``memory_bound(data)``; the whole run is also bounded by
  libFuzzer's ``-rss_limit_mb`` (:data:`RSS_LIMIT_MB`).

Atheris runs in its own process (``atheris.Fuzz`` never returns) and prints libFuzzer's final
statistics; the hypothesis engine (when atheris is not installed, or ``--engine hypothesis``)
feeds the target the seeds, then random bytes and seeds mutated byte-wise, in batches until
the run or time budget is spent.  Both print one summary line ``fuzz <target>: N inputs in S s
(R/s), engine E, no crash`` (or the crash and where its input was written).
"""

from __future__ import annotations

import hashlib
import importlib
import random
import signal
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

__all__ = [
    "Crash",
    "Hang",
    "MemoryBoundExceeded",
    "HANG_SECONDS",
    "MEMORY_SAMPLE",
    "RSS_LIMIT_MB",
    "Summary",
    "checked",
    "load_target",
    "seed_inputs",
    "read_boundaries",
    "run_atheris",
    "run_hypothesis",
    "atheris_available",
]

HANG_SECONDS = 1.0
MEMORY_SAMPLE = 64
TRACED_SLOWDOWN = 10  # how much longer an input may take while tracemalloc traces it
RSS_LIMIT_MB = 1024
FUZZ_DIR = Path(__file__).resolve().parent
CORPUS_DIR = FUZZ_DIR / "corpus"


class Crash(AssertionError):
    """A target's invariant failed for this input (the message says which)."""


class Hang(Exception):
    """One input took more than HANG_SECONDS of CPU time."""


class MemoryBoundExceeded(Exception):
    """One input allocated more than its target's stated bound."""


def load_target(name: str) -> ModuleType:
    """The target module ``fuzz.targets.<name>`` (import it inside atheris' instrumentation)."""
    return importlib.import_module(f"fuzz.targets.{name}")


def seed_inputs(name: str) -> list[bytes]:
    """The committed seed corpus of a target (``fuzz/corpus/<name>/``), sorted by file name."""
    folder = CORPUS_DIR / name
    if not folder.is_dir():
        return []
    return [p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()]


def read_boundaries(seed: int, n: int, most: int = 12) -> list[int]:
    """Where a stream of *n* bytes is cut into reads, from one input byte: 0 one read, 1 one
    byte at a time, otherwise up to *most* cuts at places *seed* picks (the list of read ends)."""
    if n <= 1 or seed == 0:
        return [n]
    if seed == 1:
        return list(range(1, n + 1))
    rng = random.Random(seed)
    return [*sorted(set(rng.sample(range(1, n), min(n - 1, rng.randint(1, most))))), n]


def _on_hang(signum: int, frame: FrameType | None) -> None:
    raise Hang(f"more than {HANG_SECONDS} s of CPU time on one input")


@contextmanager
def _cpu_alarm() -> Iterator[None]:
    previous = signal.signal(signal.SIGPROF, _on_hang)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def checked(target: ModuleType) -> Callable[[bytes], None]:
    """``target.one_input`` with the hang and memory checks around it (see the module docs).

    Call it inside :func:`_cpu_alarm` (the engines do).
    """
    one_input: Callable[[bytes], None] = target.one_input
    bound: Callable[[bytes], int] | None = getattr(target, "memory_bound", None)
    count = 0

    def run(data: bytes) -> None:
        nonlocal count
        count += 1
        sample = bound is not None and count % MEMORY_SAMPLE == 0
        if sample:
            tracemalloc.start()
        # tracemalloc makes an input several times slower: the sampled run gets a larger budget.
        signal.setitimer(signal.ITIMER_PROF, HANG_SECONDS * (TRACED_SLOWDOWN if sample else 1))
        try:
            one_input(data)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            if sample:
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
        if sample:
            assert bound is not None
            limit = bound(data)
            if peak > limit:
                raise MemoryBoundExceeded(f"one input allocated {peak} bytes at peak, bound {limit}")

    return run


@dataclass
class Summary:
    target: str
    engine: str
    runs: int
    seconds: float
    crash: str = ""  # the exception, if one was found
    artifact: str = ""  # where the crashing input was written

    def line(self) -> str:
        rate = self.runs / self.seconds if self.seconds > 0 else 0.0
        head = (f"fuzz {self.target}: {self.runs} inputs in {self.seconds:.1f} s ({rate:.0f}/s), "
                f"engine {self.engine}")
        if self.crash:
            return f"{head}, CRASH {self.crash} (input: {self.artifact})"
        return f"{head}, no crash"


def _write_artifact(directory: Path, data: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"crash-{hashlib.sha1(data).hexdigest()}"
    path.write_bytes(data)
    return path


def atheris_available() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


# -- atheris ------------------------------------------------------------------------------------


def run_atheris(name: str, runs: int | None, seconds: float | None, work: Path, extra: list[str]) -> int:
    """Fuzz *name* with atheris in this process (never returns: libFuzzer exits).

    *work* receives the growing corpus (``work/corpus``, seeded by libFuzzer from the committed
    seeds, which are never written to) and any crashing input (``work/crash-<sha1>``).
    """
    import atheris

    with atheris.instrument_imports(include=["fuzz.targets", *_instrumented(name)]):
        target = load_target(name)
    run = checked(target)
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    argv = [
        f"fuzz-{name}",
        str(corpus),
        str(CORPUS_DIR / name),
        f"-artifact_prefix={work}/",
        f"-timeout={int(HANG_SECONDS * 5)}",
        f"-rss_limit_mb={RSS_LIMIT_MB}",
        f"-max_len={getattr(target, 'MAX_LEN', 4096)}",
        "-print_final_stats=1",
        *extra,
    ]
    if runs is not None:
        argv.append(f"-runs={runs}")
    if seconds is not None:
        argv.append(f"-max_total_time={max(1, int(seconds))}")
    start = time.monotonic()

    def at_exit() -> None:
        sys.stderr.write(f"fuzz {name}: wall time {time.monotonic() - start:.1f} s, engine atheris\n")

    import atexit

    atexit.register(at_exit)
    signal.signal(signal.SIGPROF, _on_hang)
    atheris.Setup(argv, run)
    atheris.Fuzz()
    return 0  # not reached


def _instrumented(name: str) -> list[str]:
    # INSTRUMENT is read from the source without importing the target: the import must happen
    # inside the instrumentation context.
    import ast

    source = (FUZZ_DIR / "targets" / f"{name}.py").read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "INSTRUMENT" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            return list(value)
    return ["components"]


# -- hypothesis ---------------------------------------------------------------------------------


def _mutations(seeds: list[bytes], max_len: int) -> Any:
    """A hypothesis strategy: random bytes, seeds, and seeds with a few byte-level edits."""
    from hypothesis import strategies as st

    raw = st.binary(max_size=max_len)
    if not seeds:
        return raw

    @st.composite
    def mutated(draw: Any) -> bytes:
        data = bytearray(draw(st.sampled_from(seeds)))
        for _ in range(draw(st.integers(0, 6))):
            op = draw(st.integers(0, 5))
            pos = draw(st.integers(0, len(data)))
            if op == 0 and pos < len(data):  # flip a bit
                data[pos] ^= 1 << draw(st.integers(0, 7))
            elif op == 1 and pos < len(data):  # set a byte (boundary values likely)
                data[pos] = draw(st.sampled_from((0, 1, 0x7E, 0x7F, 0x80, 0xFF, draw(st.integers(0, 255)))))
            elif op == 2:  # insert bytes
                data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
            elif op == 3:  # delete a run
                del data[pos : pos + draw(st.integers(1, 16))]
            elif op == 4:  # splice in a piece of another seed
                other = draw(st.sampled_from(seeds))
                a = draw(st.integers(0, len(other)))
                data[pos:pos] = other[a : a + draw(st.integers(1, 64))]
            else:  # duplicate a run
                piece = data[pos : pos + draw(st.integers(1, 32))]
                data[pos:pos] = piece
        return bytes(data[:max_len])

    return st.one_of(raw, mutated(), mutated())


def run_hypothesis(
    name: str,
    runs: int | None,
    seconds: float | None,
    work: Path,
    *,
    batch: int = 2000,
    quiet: bool = False,
) -> Summary:
    """Fuzz *name* with hypothesis until *runs* inputs or *seconds* are spent (either may be None).

    The seeds run first, then batches of generated inputs.  The first crash stops the run; its
    input (shrunk by hypothesis) is written to ``work/crash-<sha1>``.
    """
    from hypothesis import HealthCheck, Phase, given, settings

    target = load_target(name)
    run = checked(target)
    seeds = seed_inputs(name)
    max_len: int = getattr(target, "MAX_LEN", 4096)
    strategy = _mutations(seeds, max_len)
    done = 0
    start = time.monotonic()
    summary = Summary(name, "hypothesis", 0, 0.0)
    last: list[bytes] = [b""]

    def record(data: bytes) -> None:
        nonlocal done
        done += 1
        last[0] = data
        run(data)

    def spent() -> bool:
        if runs is not None and done >= runs:
            return True
        return seconds is not None and time.monotonic() - start >= seconds

    with _cpu_alarm():
        try:
            for data in seeds:
                record(data)
            size = min(batch, 50)  # a first small batch measures the rate
            while not spent():
                if runs is not None:
                    size = max(1, min(size, runs - done))

                @settings(
                    max_examples=size,
                    database=None,
                    deadline=None,
                    phases=[Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck),
                    report_multiple_bugs=False,
                )
                @given(strategy)
                def batch_test(data: bytes) -> None:
                    record(data)

                begun, before = time.monotonic(), done
                batch_test()
                # A hypothesis batch cannot be cut short: size the next one to the time left.
                rate = (done - before) / max(time.monotonic() - begun, 1e-3)
                size = batch
                if seconds is not None:
                    left = seconds - (time.monotonic() - start)
                    size = int(max(10, min(batch, rate * left)))
        except Exception as exc:  # noqa: BLE001 - any exception from the target is the finding
            summary.crash = f"{type(exc).__name__}: {exc}"
            summary.artifact = str(_write_artifact(work, last[0]))
    summary.runs = done
    summary.seconds = time.monotonic() - start
    if not quiet:
        print(summary.line(), flush=True)
    return summary


def reproduce(name: str, path: Path) -> int:
    """Run one saved input through the target with the checks; 0 if it passes, 1 with the traceback."""
    import traceback

    target = load_target(name)
    run = checked(target)
    data = path.read_bytes()
    with _cpu_alarm():
        try:
            run(data)
        except Exception:  # noqa: BLE001
            traceback.print_exc()
            return 1
    print(f"fuzz {name}: {path} passes")
    return 0

