"""Command line: ``python -m codegen parse|regen|check|watch``.

``parse [-I DIR]... FILE [--json]`` runs the front end on FILE: on success it exits 0
(printing the model as JSON with ``--json``, or a one-line summary); on bad input it
prints ``path:line:column: message``, the source line and a caret to stderr and exits 1.
``regen``, ``check`` and ``watch`` belong to the generators (``codegen.regen.main``,
``codegen.watch``), imported only when asked for so that parsing works on its own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

USAGE = "usage: python -m codegen {parse,regen,check,watch} [args...]"


def parse_main(argv: Sequence[str]) -> int:
    from codegen.cache import default_directory, shared
    from codegen.errors import IDLError
    from codegen.includes import Loader

    ap = argparse.ArgumentParser(
        prog="python -m codegen parse", description="Parse and check one XPIDL file."
    )
    ap.add_argument(
        "-I",
        dest="include_dirs",
        action="append",
        default=[],
        metavar="DIR",
        help="include directory (repeatable, searched in order)",
    )
    ap.add_argument("--json", action="store_true", help="print the parsed model as JSON")
    ap.add_argument(
        "--cache-dir",
        metavar="DIR",
        default=None,
        help="keep parsed includes here (default: $XPIDL_CACHE_DIR, else $XDG_CACHE_HOME/xpidl "
        "or ~/.cache/xpidl)",
    )
    ap.add_argument("--no-cache", action="store_true", help="parse every include again; keep nothing")
    ap.add_argument("file", help="the .idl file")
    args = ap.parse_args(list(argv))
    try:
        directory = None if args.no_cache else (args.cache_dir or default_directory())
        cache = shared(directory) if directory is not None else None
        idl = Loader(args.include_dirs, cache=cache).load_root(args.file)
    except IDLError as err:
        print(err, file=sys.stderr)
        return 1
    except (RecursionError, MemoryError) as err:
        print(f"{args.file}: input too large or nested too deeply ({type(err).__name__})", file=sys.stderr)
        return 1
    except Exception as err:  # a compiler bug: still no traceback for the user, but say so
        print(
            f"{args.file}: internal error in the IDL compiler: {type(err).__name__}: {err}",
            file=sys.stderr,
        )
        return 1
    if args.json:
        sys.stdout.write(idl.to_json())
    else:
        names = ", ".join(i.name for i in idl.interfaces) or "no interfaces"
        print(f"{args.file}: ok ({names})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    command, rest = argv[0], argv[1:]
    if command == "parse":
        return parse_main(rest)
    if command in ("regen", "check", "watch"):
        from codegen import regen  # the generators' module; imported lazily

        return int(regen.main([command, *rest]))
    print(f"python -m codegen: unknown command '{command}'\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
