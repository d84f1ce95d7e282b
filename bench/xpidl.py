"""The compiler workload: parse + generate bindings (and conformance tests) for every file of
idl/ and for a large synthetic corpus, in-process, reported as files per second.

It times codegen.regen.generate, the in-memory half of `python -m codegen regen` (one shared
include loader, bindings + conformance tests emitted), so the figure is what a regen costs.

The synthetic corpus is deterministic (seeded) and shaped like real Mozilla interfaces: a doc
comment per member, constants whose values reference earlier constants, attributes (some
readonly, some with [must_use]), methods with in/out/optional/array/size_is/retval
parameters, a cenum, a forward declaration and a %{C++ %} block. Every file includes
nsISupports.idl, so include resolution is exercised too (through -I, as pyxpidl does).
"""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import random
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import Clock, Elapsed, Missing, Params, Result

ROOT = Path(__file__).resolve().parent.parent
IDL = ROOT / "idl"

SCALARS = ["boolean", "octet", "short", "long", "long long", "unsigned short", "unsigned long",
           "unsigned long long", "double", "float", "AString", "ACString", "AUTF8String",
           "PRTime", "nsISupports"]


def synthetic_idl(i: int, rng: random.Random, members: int = 40) -> str:
    """One synthetic interface file with about `members` members."""
    name = f"nsISynthetic{i:05d}"
    out = ['#include "nsISupports.idl"', "", f"interface {name}Helper;", "",
           "%{C++", f"#define NS_SYNTHETIC_{i}_CONTRACTID \"@example.org/synthetic;{i}\"", "%}", "",
           "/**", f" * Synthetic interface number {i}, generated for the benchmark.",
           " * It has no meaning; its shape follows real XPCOM interfaces.", " */",
           f"[scriptable, uuid({uuid.UUID(int=rng.getrandbits(128), version=4)})]",
           f"interface {name} : nsISupports", "{",
           "  cenum Mode : 8 {", "    MODE_OFF = 0,", "    MODE_ON,", "    MODE_AUTO = (1 << 4)", "  };", ""]
    for k in range(members):
        kind = k % 4
        doc = f"  /** Member {k} of {name}: what it does, in a sentence or two of prose. */"
        out.append(doc)
        if kind == 0:
            val = f"{k + 1}" if k < 4 else f"(CONST_{k - 4} | {rng.randrange(1, 1 << 16):#x})"
            out.append(f"  const unsigned long CONST_{k} = {val};")
        elif kind == 1:
            ty = rng.choice(SCALARS)
            ro = "readonly " if rng.random() < 0.5 else ""
            # [infallible] would need a [builtinclass] interface (pyxpidl rejects it otherwise).
            extra = "[must_use] " if rng.random() < 0.2 else ""
            out.append(f"  {extra}{ro}attribute {ty} attr{k};")
        elif kind == 2:
            a, b = rng.choice(SCALARS), rng.choice(SCALARS)
            out.append(f"  [must_use] {rng.choice(SCALARS)} method{k}(in {a} aFirst, "
                       f"[optional] in {b} aSecond);")
        else:
            out.append(f"  void method{k}(in unsigned long aCount, "
                       f"[array, size_is(aCount)] in octet aData, [retval] out long aResult);")
    out += ["};", ""]
    return "\n".join(out)


def _emitters() -> list[tuple[str, Callable[[Any, str], Any]]]:
    """The code generators to time after each parse, as far as they exist in codegen/ today.

    Each is called as emit(model, source_path) -> text (emit_bindings.emit_module's shape);
    a generator taking only the model is adapted."""
    found: list[tuple[str, Callable[[Any, str], Any]]] = []
    for mod_name, fn_names in (("codegen.emit_bindings", ("emit_module", "emit")),
                               ("codegen.emit_tests", ("emit_module", "emit_tests", "emit"))):
        if importlib.util.find_spec(mod_name) is None:
            continue
        mod = importlib.import_module(mod_name)
        fn = next((getattr(mod, n) for n in fn_names if callable(getattr(mod, n, None))), None)
        if fn is None:
            continue
        if len(inspect.signature(fn).parameters) >= 2:
            found.append((mod_name.rsplit(".", 1)[1], fn))
        else:
            found.append((mod_name.rsplit(".", 1)[1], lambda m, _src, fn=fn: fn(m)))
    return found


def _write_corpus(dest: Path, count: int) -> list[Path]:
    rng = random.Random(20260101)    # fixed seed: the same corpus on every run
    dest.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        f = dest / f"nsISynthetic{i:05d}.idl"
        f.write_text(synthetic_idl(i, rng))
        files.append(f)
    return files


def run_xpidl(p: Params) -> Result:
    if importlib.util.find_spec("codegen.parser") is None:
        raise Missing("codegen/parser.py does not exist yet")
    try:
        from codegen.regen import Layout, generate
    except ImportError:
        return _run_parse_emit(p)   # an older codegen without regen.generate
    # Exactly what `python -m codegen regen` computes (parse everything with one shared include
    # loader, emit bindings + conformance tests, all in memory), minus the disk comparison: on a
    # copy of idl/ first, then on that copy plus the synthetic corpus in idl/synthetic/.
    with tempfile.TemporaryDirectory(prefix="bench-xpidl-") as tmp_name:
        tmp = Path(tmp_name)
        shutil.copytree(IDL, tmp / "idl")
        layout = Layout.under(tmp)
        try:
            generate(layout)          # untimed: PLY tables, imports
        except ImportError as e:      # the compiler is still being written
            raise Missing(f"codegen is incomplete: {e}") from e
        n_real = len(list((tmp / "idl").rglob("*.idl")))
        t0 = Clock()
        out_real = generate(layout)
        t_real = t0.stop()
        synth = _write_corpus(tmp / "idl" / "synthetic", p.count)
        t0 = Clock()
        out_all = generate(layout)
        t_all = t0.stop()
        mib_in = sum(f.stat().st_size for f in synth) / 2**20
    n_all = n_real + len(synth)
    return Result(n_all / t_all, "files/s", {
        "seconds": float(t_all), "cpu_us_per_op": t_all.cpu / n_all * 1e6,
        "idl_files": n_real, "idl_files_per_s": n_real / t_real,
        "synthetic_files": len(synth), "synthetic_mib": mib_in,
        "files_generated": len(out_all), "generated_mib": sum(map(len, out_all.values())) / 2**20,
        "idl_only_files_generated": len(out_real), "pipeline": "codegen.regen.generate",
    })


def _run_parse_emit(p: Params) -> Result:
    """Fallback for a codegen without regen: parse_file + the emitters, file by file."""
    import codegen

    include_dirs = sorted({str(f.parent) for f in IDL.rglob("*.idl")})
    real = sorted(IDL.rglob("*.idl"))
    emitters = _emitters()
    with tempfile.TemporaryDirectory(prefix="bench-xpidl-") as tmp_name:
        synth = _write_corpus(Path(tmp_name), p.count)

        def compile_all(files: list[Path]) -> Elapsed:
            t0 = Clock()
            for f in files:
                model = codegen.parse_file(str(f), include_dirs=include_dirs)
                src = str(f.relative_to(IDL)) if f.is_relative_to(IDL) else f.name
                for _name, emit in emitters:
                    emit(model, src)
            return t0.stop()

        try:
            compile_all(real[:1])             # build/load PLY tables outside the clock
        except ImportError as e:              # the compiler is still being written
            raise Missing(f"codegen is incomplete: {e}") from e
        t_real = compile_all(real)
        t_synth = compile_all(synth)
    n = len(real) + len(synth)
    return Result(n / (t_real + t_synth), "files/s", {
        "idl_files": len(real), "idl_files_per_s": len(real) / t_real if t_real else 0.0,
        "synthetic_files": len(synth), "synthetic_files_per_s": len(synth) / t_synth,
        "generators": [e[0] for e in emitters] or ["none yet"], "pipeline": "parse_file + emitters",
    })


# ---------------------------------------------------------------- per-file CLI vs pyxpidl
#
# `python -m codegen parse ... --json`, one process per file, against PyPI's xpidl 1.0 (an older
# release of Mozilla's PLY parser, Python 2 only) driven the way a build drives pyxpidl: one
# process per file, with -I for every folder, its lex/yacc tables cached between runs.  Both
# parse the same files.  xpidl 1.0 predates some of the XPIDL idl/ uses, so the corpus is idl/
# brought down to its dialect (written out once, then read by both compilers):
#   * [must_use] and the `promise` native kind dropped, Array<T> written T;
#   * nsresult, a builtin since, is added to 1.0's builtin table by the driver.
# xpidl 1.0 parses an included file again at every #include line that reaches it, so its work
# grows with the number of include *paths*, not files: on a tree where files include files that
# include the same files (any real one) a single file can take it half a minute.  Today's pyxpidl
# parses each file once per run, and the driver gives 1.0 that per-run cache (include_cache, on by
# default; --pyxpidl-as-published turns it off), so the comparison is with the work the current
# parser does.  The generated part of the corpus is written in the common
# dialect from the start and includes like a real tree: every file includes nsISupports.idl and up
# to three of the twenty files before it, derives from one of them or from nsISupports, and uses
# their interfaces as types.

PYXPIDL_DRIVER = '''\
import os, sys
sys.path.insert(0, os.environ["XPIDL_TABLES"])
from xpidl import xpidl

xpidl.builtinMap["nsresult"] = xpidl.Builtin("nsresult", "nsresult", False, True)
_parsed = {}

def _resolve(self, parent):
    for path in [self.filename] + [os.path.join(d, self.filename) for d in parent.incdirs]:
        if not os.path.exists(path):
            continue
        idl = _parsed.get(path)
        if idl is None:
            idl = parent.parser.parse(open(path).read(), filename=path)
            idl.resolve(parent.incdirs, parent.parser)
            _parsed[path] = idl
        self.IDL = idl
        for name in idl.getNames():
            parent.setName(name)
        parent.deps.extend(idl.deps)
        return
    raise xpidl.IDLError("File '%s' not found" % self.filename, self.location)

if os.environ.get("XPIDL_INCLUDE_CACHE") == "1":
    xpidl.Include.resolve = _resolve
args = sys.argv[1:]
dirs = []
while args[0] == "-I":
    dirs.append(args[1])
    args = args[2:]
parser = xpidl.IDLParser(outputdir=os.environ["XPIDL_TABLES"])
idl = parser.parse(open(args[0]).read(), filename=args[0])
idl.resolve(dirs, parser)
'''

COMPAT_SCALARS = ["boolean", "octet", "short", "long", "long long", "unsigned short", "unsigned long",
                  "unsigned long long", "double", "float", "AString", "ACString", "AUTF8String", "PRTime"]


def down_level(text: str) -> str:
    """idl/ text in the dialect xpidl 1.0 parses (see above)."""
    import re

    text = text.replace("[must_use] ", "").replace(", promise]", "]")
    return re.sub(r"\bArray<\s*([A-Za-z_][A-Za-z0-9_]*)\s*>", r"\1", text)


def compat_idl(i: int, rng: random.Random, earlier: list[str], members: int = 40) -> str:
    """One generated file of the CLI corpus; `earlier`: names of files it may include."""
    name = f"nsIGenerated{i:04d}"
    includes = rng.sample(earlier, min(len(earlier), rng.randint(0, 3)))
    base = rng.choice(includes) if includes and rng.random() < 0.5 else "nsISupports"
    types = COMPAT_SCALARS + includes + ["nsISupports"]
    contract = f'#define NS_GENERATED_{i}_CONTRACTID "@example.org/g;{i}"'
    out = ['#include "nsISupports.idl"', *(f'#include "{n}.idl"' for n in includes), ""]
    out += [f"interface {name}Helper;", "", "%{C++", contract, "%}", ""]
    out += ["/**", f" * Generated interface {i}: shaped like a real XPCOM interface.", " */"]
    out += [f"[scriptable, uuid({uuid.UUID(int=rng.getrandbits(128), version=4)})]",
            f"interface {name} : {base}", "{"]
    for k in range(members):
        out.append(f"  /** Member {k} of {name}, documented in a sentence of prose. */")
        kind = k % 4
        if kind == 0:
            val = f"{k + 1}" if k < 4 else f"(G{i}_CONST_{k - 4} | {rng.randrange(1, 1 << 16):#x})"
            out.append(f"  const unsigned long G{i}_CONST_{k} = {val};")
        elif kind == 1:
            ro = "readonly " if rng.random() < 0.5 else ""
            out.append(f"  {ro}attribute {rng.choice(types)} attr{k};")
        elif kind == 2:
            out.append(f"  {rng.choice(types)} method{k}(in {rng.choice(types)} aFirst, "
                       f"[optional] in {rng.choice(COMPAT_SCALARS)} aSecond);")
        else:
            out.append(f"  void method{k}(in unsigned long aCount, "
                       f"[array, size_is(aCount)] in octet aData, [retval] out long aResult);")
    out += ["};", ""]
    return "\n".join(out)


def write_cli_corpus(dest: Path, count: int) -> tuple[list[Path], list[Path]]:
    """idl/ down-levelled into dest/idl and `count` generated files into dest/generated.
    Returns (idl files, generated files), paths relative to dest."""
    real = []
    for f in sorted(IDL.rglob("*.idl")):
        rel = Path("idl") / f.relative_to(IDL)
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(down_level(f.read_text(encoding="utf-8")), encoding="utf-8")
        real.append(rel)
    rng = random.Random(20260102)
    (dest / "generated").mkdir()
    made: list[Path] = []
    names: list[str] = []
    for i in range(count):
        text = compat_idl(i, rng, names[-20:])
        rel = Path("generated") / f"nsIGenerated{i:04d}.idl"
        (dest / rel).write_text(text, encoding="utf-8")
        names.append(rel.stem)
        made.append(rel)
    return real, made


def python2() -> list[str]:
    """The Python 2.7 command that has xpidl 1.0 and ply (XPIDL_PYTHON2, else pyenv's 2.7.18)."""
    import os
    import subprocess

    explicit = os.environ.get("XPIDL_PYTHON2")
    if explicit:
        return [explicit]
    try:
        prefix = subprocess.run(["pyenv", "prefix", "2.7.18"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Missing(f"no Python 2.7 for pyxpidl (set XPIDL_PYTHON2): {e}") from e
    if prefix.returncode:
        raise Missing("no pyenv Python 2.7.18 for pyxpidl (set XPIDL_PYTHON2)")
    # The interpreter itself, not pyenv's shim: the shim's own start-up is not pyxpidl's cost.
    return [str(Path(prefix.stdout.strip()) / "bin" / "python")]


# Mozilla's current parser (xpcom/idl-parser/xpidl/xpidl.py, Python 3, PLY) cannot ship with us;
# given its path (XPIDL_PYXPIDL: the file, or the folder holding it), it is driven like this: its
# own include resolution (an include cache per run, as the build has it), no WebIDL config
# (none of the files measured declares webidl), nothing printed on success.
CURRENT_DRIVER = """\
import os, sys
sys.path.insert(0, os.environ["XPIDL_PYXPIDL_DIR"])
import xpidl
args = sys.argv[1:]
dirs = []
while args[0] == "-I":
    dirs.append(args[1])
    args = args[2:]
parser = xpidl.IDLParser()
try:
    idl = parser.parse(open(args[0], encoding="utf-8").read(), filename=args[0])
    idl.resolve(dirs, parser, {})
except xpidl.IDLError as e:
    sys.exit(str(e))
"""


def current_dialect(text: str) -> str:
    """idl/ text as today's pyxpidl takes it: it dropped the `domstring` native kind (Mozilla's
    DOMString natives became `astring` ones), which ours still accepts."""
    import re

    return re.sub(r"\bdomstring\b", "astring", text)


def current_pyxpidl() -> Path | None:
    """Mozilla's current xpidl.py, named by XPIDL_PYXPIDL (the file or its folder), if given."""
    import os

    named = os.environ.get("XPIDL_PYXPIDL")
    if not named:
        return None
    path = Path(named)
    if path.is_dir():
        path = path / "xpidl.py"
    if not path.is_file():
        raise Missing(f"XPIDL_PYXPIDL={named}: no xpidl.py there")
    return path


def child_env(**extra: str) -> dict[str, str]:
    """The environment both compilers run in: ours, with each compiler's bytecode cached as a
    user's Python caches it (a PYTHONDONTWRITEBYTECODE set for the benchmark process would make
    every run compile its sources again: ours and pyxpidl's xpidl.py alike)."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


class Timing:
    """Per-file medians of alternating runs: wall clock and CPU (user + system) seconds."""

    def __init__(self, names: list[str]):
        self.names = names
        self.wall: dict[str, dict[Path, float]] = {n: {} for n in names}
        self.cpu: dict[str, dict[Path, float]] = {n: {} for n in names}

    def summary(self, group: list[Path], ours: str, theirs: str) -> dict[str, float]:
        out: dict[str, float] = {"files": len(group)}
        for n in (ours, theirs):
            out[f"{n}_ms_per_file"] = sum(self.wall[n][f] for f in group) / len(group) * 1e3
            out[f"{n}_cpu_ms_per_file"] = sum(self.cpu[n][f] for f in group) / len(group) * 1e3
        out["ratio"] = out[f"{theirs}_ms_per_file"] / out[f"{ours}_ms_per_file"]
        out["cpu_ratio"] = out[f"{theirs}_cpu_ms_per_file"] / out[f"{ours}_cpu_ms_per_file"]
        return out


def run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """One process: (wall s, CPU s of the child, exit code, stderr)."""
    import resource
    import subprocess
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode, done.stderr


def alternate(files: list[Path], commands: dict[str, list[str]], cwd: Path, env: dict[str, str],
              repeat: int, ours: str = "ours") -> Timing:
    """Run every command on every file, round-robin (`repeat` rounds per file), after one
    untimed round; a failure of any run is an error.  Besides the compilers, each round times
    the interpreter floors (`python -I -S -c pass`, `python -c pass`) once."""
    import statistics
    import sys

    floor_commands = {"floor_bare": [sys.executable, "-I", "-S", "-c", "pass"],
                      "floor_site": [sys.executable, "-c", "pass"]}
    timing = Timing([*commands, *floor_commands])

    def run(name: str, cmd: list[str]) -> tuple[float, float]:
        wall, cpu, code, err = run_once(cmd, cwd, env)
        if code:
            raise RuntimeError(f"{name}: {' '.join(cmd[-1:])} failed: {err.strip()[-500:]}")
        return wall, cpu

    for f in files:  # untimed: tables, bytecode, our include cache
        for name, cmd in commands.items():
            run(name, [*cmd, str(f)])
    for f in files:
        samples: dict[str, list[tuple[float, float]]] = {n: [] for n in timing.names}
        for _ in range(repeat):
            for name, cmd in commands.items():
                samples[name].append(run(name, [*cmd, str(f)]))
            for name, cmd in floor_commands.items():
                samples[name].append(run(name, cmd))
        for name, got in samples.items():
            timing.wall[name][f] = statistics.median(w for w, _ in got)
            timing.cpu[name][f] = statistics.median(c for _, c in got)
    return timing


def floors(timing: Timing, group: list[Path]) -> dict[str, float]:
    """The interpreter's own start-up over the same rounds: wall and CPU ms."""
    out = {}
    for n in ("floor_bare", "floor_site"):
        out[f"{n}_ms"] = sum(timing.wall[n][f] for f in group) / len(group) * 1e3
        out[f"{n}_cpu_ms"] = sum(timing.cpu[n][f] for f in group) / len(group) * 1e3
    return out


def ours_command(include: list[str]) -> list[str]:
    import sys

    return [sys.executable, "-m", "codegen", "parse", *include, "--json"]


def run_xpidl_cli(p: Params, repeat: int = 3, include_cache: bool = True) -> Result:
    """Per-file CLI runs of ours against xpidl 1.0 on the same files, alternating; see above."""
    import subprocess

    py2 = python2()
    probe = subprocess.run([*py2, "-c", "import xpidl.xpidl, ply"], capture_output=True, text=True)
    if probe.returncode:
        raise Missing("xpidl 1.0 / ply are not installed for Python 2.7 "
                      "(PYENV_VERSION=2.7.18 python -m pip install xpidl ply)")
    with tempfile.TemporaryDirectory(prefix="bench-xpidl-cli-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus"
        real, made = write_cli_corpus(corpus, p.count)
        dirs = sorted({str(f.parent) for f in real + made})
        include = [a for d in dirs for a in ("-I", d)]
        (tmp / "driver.py").write_text(PYXPIDL_DRIVER)
        (tmp / "tables").mkdir()
        env = child_env(XPIDL_CACHE_DIR=str(tmp / "cache"), XPIDL_TABLES=str(tmp / "tables"),
                        XPIDL_INCLUDE_CACHE="1" if include_cache else "0")
        # Ours takes FILE after --json (the options may come in any order).
        commands = {"ours": ours_command(include), "pyxpidl": [*py2, str(tmp / "driver.py"), *include]}
        files = real + made
        timing = alternate(files, commands, corpus, env, repeat)

    total, idl_part, generated = (timing.summary(g, "ours", "pyxpidl") for g in (files, real, made))
    return Result(total["ratio"], "x pyxpidl", {
        **total, "idl": idl_part, "generated": generated, "repeat": repeat, **floors(timing, files),
        "pyxpidl": "xpidl 1.0 on Python 2.7 (stand-in for Mozilla's pyxpidl)"
        + (", with a per-run include cache" if include_cache else ", as published"),
    })


def mozilla_corpus(folder: Path, count: int) -> tuple[list[Path], list[str]]:
    """Up to 2 x `count` candidate files spread evenly over the sorted IDL files of a Mozilla
    tree (the selection is cut to `count` accepted files later), and the -I options: the
    folder itself when it is flat (as dist/idl is), else every folder holding IDL files."""
    idls = sorted(folder.rglob("*.idl"))
    if not idls:
        raise Missing(f"no IDL files under {folder}")
    step = max(1, len(idls) // (2 * count))
    dirs = sorted({str(f.parent) for f in idls})
    return idls[::step][: 2 * count], [a for d in dirs for a in ("-I", d)]


def run_xpidl_current(p: Params, repeat: int = 3) -> Result:
    """Ours against Mozilla's current pyxpidl (XPIDL_PYXPIDL), both on this Python, alternating:
    on the IDL files of a Mozilla tree when XPIDL_MOZILLA_IDL names one (files either compiler
    rejects are left out: an old tree breaks some of today's rules), else on the corpus of the
    stand-in comparison in today's dialect (idl/ as it is plus the generated files)."""
    import os
    import subprocess
    import sys

    xpidl_py = current_pyxpidl()
    if xpidl_py is None:
        raise Missing("set XPIDL_PYXPIDL to Mozilla's xpcom/idl-parser/xpidl/xpidl.py")
    probe = subprocess.run([sys.executable, "-c", "import ply"], capture_output=True, text=True)
    if probe.returncode:
        raise Missing("ply is not installed")
    with tempfile.TemporaryDirectory(prefix="bench-xpidl-current-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "driver.py").write_text(CURRENT_DRIVER)
        env = child_env(XPIDL_CACHE_DIR=str(tmp / "cache"), XPIDL_PYXPIDL_DIR=str(xpidl_py.parent))
        mozilla = os.environ.get("XPIDL_MOZILLA_IDL")
        skipped: list[str] = []
        if mozilla:
            candidates, include = mozilla_corpus(Path(mozilla), p.count)
            commands = {"ours": ours_command(include),
                        "pyxpidl": [sys.executable, str(tmp / "driver.py"), *include]}
            files: list[Path] = []
            for f in candidates:  # both must accept the file
                if len(files) == p.count:
                    break
                if any(run_once([*cmd, str(f)], tmp, env)[2] for cmd in commands.values()):
                    skipped.append(f.name)
                else:
                    files.append(f)
            cwd, corpus = tmp, f"{len(files)} Mozilla IDL files from {mozilla}"
            groups = {"mozilla": files}
        else:
            corpus_dir = tmp / "corpus"
            real = [corpus_dir / "idl" / f.relative_to(IDL) for f in sorted(IDL.rglob("*.idl"))]
            for src, dst in zip(sorted(IDL.rglob("*.idl")), real, strict=True):
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_text(current_dialect(src.read_text(encoding="utf-8")), encoding="utf-8")
            _, made = write_cli_corpus(tmp / "generated-only", p.count)
            made = [tmp / "generated-only" / f for f in made]
            dirs = sorted({str(f.parent) for f in real + made})
            include = [a for d in dirs for a in ("-I", d)]
            commands = {"ours": ours_command(include),
                        "pyxpidl": [sys.executable, str(tmp / "driver.py"), *include]}
            files, cwd = real + made, tmp
            corpus = f"idl/ ({len(real)} files) + {len(made)} generated files"
            groups = {"idl": real, "generated": made}
        timing = alternate(files, commands, cwd, env, repeat)

    total = timing.summary(files, "ours", "pyxpidl")
    return Result(total["ratio"], "x pyxpidl", {
        **total, **{k: timing.summary(g, "ours", "pyxpidl") for k, g in groups.items()},
        "repeat": repeat, "corpus": corpus, "rejected_by_either": skipped, **floors(timing, files),
        "pyxpidl": f"Mozilla's current xpidl.py ({xpidl_py}) on {sys.version.split()[0]}",
    })


if __name__ == "__main__":
    import argparse
    import json

    ap = argparse.ArgumentParser(prog="python -m bench.xpidl",
                                 description="Per-file CLI speed of codegen against pyxpidl.")
    ap.add_argument("--files", type=int, default=150, help="generated (or Mozilla) files (default 150)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per file and compiler (median kept)")
    ap.add_argument("--against", choices=("both", "stand-in", "current"), default="both",
                    help="xpidl 1.0 on Python 2.7 (stand-in), Mozilla's current parser (XPIDL_PYXPIDL), "
                    "or both (default; current only when XPIDL_PYXPIDL is set)")
    ap.add_argument("--pyxpidl-as-published", action="store_true",
                    help="without today's per-run include cache: 1.0 parses an include at every #include "
                    "(slow beyond measure on a large generated corpus)")
    args = ap.parse_args()
    report: dict[str, Any] = {}
    if args.against in ("both", "stand-in"):
        stand_in = run_xpidl_cli(Params(count=args.files), args.repeat, not args.pyxpidl_as_published)
        report["stand-in (xpidl 1.0, Python 2.7)"] = stand_in.to_json()
    if args.against == "current" or (args.against == "both" and current_pyxpidl() is not None):
        current = run_xpidl_current(Params(count=args.files), args.repeat)
        report["current pyxpidl"] = current.to_json()
    print(json.dumps(report, indent=2))
