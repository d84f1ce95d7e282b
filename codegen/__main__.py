"""Command line: ``python -m codegen parse|regen|check|watch``.

``parse [-I DIR]... FILE [--json]`` runs the front end on FILE: on success it exits 0
(printing the model as JSON with ``--json``, or a one-line summary); on bad input it
prints ``path:line:column: message``, the source line and a caret to stderr and exits 1.
``regen``, ``check`` and ``watch`` belong to the generators (``codegen.regen.main``,
``codegen.watch``), imported only when asked for so that parsing works on its own.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # see codegen/__init__.py: no typing at run time
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn

USAGE = "usage: python -m codegen {parse,regen,check,watch} [args...]"


PARSE_USAGE = "usage: python -m codegen parse [-I DIR]... [--json] [--cache-dir DIR | --no-cache] FILE"

PARSE_HELP = f"""{PARSE_USAGE}

Parse and check one XPIDL file.

options:
  -I DIR           include directory (repeatable, searched in order)
  --json           print the parsed model as JSON
  --cache-dir DIR  keep parsed includes here (default: $XPIDL_CACHE_DIR, else
                   $XDG_CACHE_HOME/xpidl or ~/.cache/xpidl)
  --no-cache       parse every include again; keep nothing
"""


class ParseArgs:
    def __init__(self) -> None:
        self.include_dirs: list[str] = []
        self.json = False
        self.cache_dir: str | None = None
        self.no_cache = False
        self.file = ""


def parse_args(argv: Sequence[str]) -> ParseArgs:
    """The options of ``parse``.  Read by hand rather than with argparse: this command runs once
    per IDL file in a build, and argparse (with the gettext and locale it pulls in) cost more
    start-up than the rest of the option handling put together.  Usage errors exit 2, as
    argparse's do."""

    def usage_error(message: str) -> NoReturn:
        print(f"{PARSE_USAGE}\npython -m codegen parse: error: {message}", file=sys.stderr)
        raise SystemExit(2)

    args = ParseArgs()
    files: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        arg = items[i]
        i += 1

        def value(flag: str) -> str:
            nonlocal i
            if i >= len(items):
                usage_error(f"argument {flag}: expected one argument")
            i += 1
            return items[i - 1]

        if arg in ("-h", "--help"):
            print(PARSE_HELP, end="")
            raise SystemExit(0)
        if arg == "-I":
            args.include_dirs.append(value("-I"))
        elif arg.startswith("-I"):
            args.include_dirs.append(arg[2:])
        elif arg == "--json":
            args.json = True
        elif arg == "--no-cache":
            args.no_cache = True
        elif arg == "--cache-dir":
            args.cache_dir = value("--cache-dir")
        elif arg.startswith("--cache-dir="):
            args.cache_dir = arg.split("=", 1)[1]
        elif arg == "--":
            files += items[i:]
            break
        elif arg.startswith("-") and arg != "-":
            usage_error(f"unrecognized argument: {arg}")
        else:
            files.append(arg)
    if len(files) != 1:
        usage_error("expected one FILE" if not files else f"unrecognized arguments: {' '.join(files[1:])}")
    args.file = files[0]
    return args


def parse_main(argv: Sequence[str]) -> int:
    from codegen.cache import default_directory, shared
    from codegen.errors import IDLError
    from codegen.includes import Loader

    args = parse_args(argv)
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
        out = idl.to_json()
    else:
        names = ", ".join(i.name for i in idl.interfaces) or "no interfaces"
        out = f"{args.file}: ok ({names})\n"
    try:
        sys.stdout.write(out)
        sys.stdout.flush()
    except OSError as err:  # stdout closed or full: say so rather than exit 0 with less
        print(f"{args.file}: cannot write the output: {err.strerror or err}", file=sys.stderr)
        return 1
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


def run_as_script() -> NoReturn:
    """``python -m codegen``: main(), then the exit.

    A parse is one short process per file of a build, so once its output is flushed it ends
    with ``os._exit``, as mypy's command line does: the interpreter's teardown (freeing every
    module, object and the parse tables one by one) would otherwise be about a tenth of the run.
    The other commands write files, may run threads (watch) and exit normally."""
    import os

    argv = sys.argv[1:]
    status = main(argv)
    if not argv or argv[0] != "parse":
        sys.exit(status)
    try:  # parse_main flushed stdout (a failure there is its exit status); stderr may hold more
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(status)


if __name__ == "__main__":
    run_as_script()
