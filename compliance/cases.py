"""Case selections as the command line takes them, turned into the fuzzing server's patterns.

The suite numbers its cases by section (1 framing, 2 pings/pongs, 3 reserved bits, 4 opcodes,
5 fragmentation, 6 UTF-8, 7 close handling, 9 limits/performance, 10 miscellaneous,
12 and 13 permessage-deflate; there is no 8 or 11). A selection is a comma-separated list of:

- `all`: every case (517 in 25.10.1);
- `A-B`: sections A to B inclusive (`1-10` is everything but permessage-deflate, 301 cases);
- a case id or a pattern with `*` as the server reads it (`6.4.*`, `7.1.1`, `12.*`).
"""
from __future__ import annotations

import re

_RANGE = re.compile(r"^(\d+)-(\d+)$")
_PATTERN = re.compile(r"^[0-9*]+(\.[0-9*]+)*$")


def patterns(selection: str) -> list[str]:
    """The spec.json `cases` list for a selection; ValueError names a part it cannot read."""
    out: list[str] = []
    for part in (p.strip() for p in selection.split(",")):
        if not part:
            continue
        if part == "all":
            out.append("*")
        elif m := _RANGE.match(part):
            first, last = int(m[1]), int(m[2])
            if first > last:
                raise ValueError(f"empty section range {part!r}")
            out.extend(f"{n}.*" for n in range(first, last + 1))
        elif _PATTERN.match(part):
            out.append(part)
        else:
            raise ValueError(f"{part!r} is not a case id, a pattern like 6.4.*, a range like 1-10, or all")
    if not out:
        raise ValueError("no cases selected")
    return out


def case_key(case_id: str) -> tuple[int, ...]:
    """Sort key: 9.10.1 after 9.2.1, as the suite orders them."""
    return tuple(int(p) for p in case_id.split("."))
