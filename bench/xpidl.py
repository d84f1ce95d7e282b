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
