"""Reading the suite's index.json, grading each case once, the table, and the exit-status rule.

index.json (written by the server on /updateReports) maps agent -> case id -> a record with two
grades, and a case is only as good as the worse of them:

- `behavior`: what the client did with the frames (OK, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED,
  FAILED; NO_CLOSE is an old spelling of a failure);
- `behaviorClose`: how the connection ended (OK, INFORMATIONAL, WRONG CODE, FAILED BY CLIENT,
  UNCLEAN, FAILED). The suite's own HTML report colours WRONG CODE and FAILED BY CLIENT as
  lesser faults, UNCLEAN and FAILED as failures; here they count as NON-STRICT and FAILED.

A case that never reached the report (the client crashed or was killed) is FAILED. Only OK and
INFORMATIONAL are acceptable for our channel, except the cases listed in expected-non-ok.txt;
a listed case that now passes fails the run too, so that list can only shrink.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from compliance.cases import case_key

VERDICTS = ("OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED")   # table column order
ACCEPTABLE = frozenset({"OK", "INFORMATIONAL"})
_SEVERITY = {"OK": 0, "INFORMATIONAL": 1, "NON-STRICT": 2, "UNIMPLEMENTED": 3, "FAILED": 4}
_BEHAVIOR = {"OK": "OK", "NON-STRICT": "NON-STRICT", "INFORMATIONAL": "INFORMATIONAL",
             "UNIMPLEMENTED": "UNIMPLEMENTED"}
_CLOSE = {"OK": "OK", "INFORMATIONAL": "INFORMATIONAL", "WRONG CODE": "NON-STRICT",
          "FAILED BY CLIENT": "NON-STRICT"}
MISSING = "MISSING"

EXPECTED_FILE = Path(__file__).with_name("expected-non-ok.txt")


@dataclass(frozen=True)
class CaseResult:
    case_id: str
    behavior: str
    behavior_close: str
    close_code: int | None = None

    @property
    def verdict(self) -> str:
        if self.behavior == "UNIMPLEMENTED":
            return "UNIMPLEMENTED"   # the case was skipped; how it then closed says nothing
        grades = (_BEHAVIOR.get(self.behavior, "FAILED"), _CLOSE.get(self.behavior_close, "FAILED"))
        return max(grades, key=_SEVERITY.__getitem__)

    @property
    def acceptable(self) -> bool:
        return self.verdict in ACCEPTABLE

    def describe(self) -> str:
        if self.behavior == MISSING:
            return f"{self.verdict} (no result: the client never finished this case)"
        return (f"{self.verdict} (behavior {self.behavior}, close {self.behavior_close}, "
                f"close code {self.close_code})")


@dataclass
class TesteeResult:
    """One testee's graded cases (every selected id, MISSING filled in) and how its run went."""

    name: str
    cases: dict[str, CaseResult]
    seconds: float | None = None
    note: str = ""      # "not installed", "exit 1", "timed out after 900 s", ...

    def count(self, verdict: str) -> int:
        return sum(1 for c in self.cases.values() if c.verdict == verdict)

    def not_acceptable(self) -> list[str]:
        return sorted((i for i, c in self.cases.items() if not c.acceptable), key=case_key)


def load_index(path: Path) -> dict[str, dict[str, CaseResult]]:
    """agent -> case id -> CaseResult; {} if the server never wrote the file."""
    if not path.exists():
        return {}
    raw = json.loads(path.read_text())
    return {
        agent: {
            case_id: CaseResult(case_id, str(rec.get("behavior", "FAILED")),
                                str(rec.get("behaviorClose", "FAILED")), rec.get("remoteCloseCode"))
            for case_id, rec in cases.items()
        }
        for agent, cases in raw.items()
    }


def results_for(index: Mapping[str, Mapping[str, CaseResult]], agent: str,
                selected: Iterable[str]) -> dict[str, CaseResult]:
    """The agent's result for every selected case, a MISSING (FAILED) one where it has none."""
    mine = index.get(agent, {})
    return {i: mine.get(i, CaseResult(i, MISSING, MISSING)) for i in selected}


def load_expected(path: Path = EXPECTED_FILE) -> set[str]:
    """Case ids from the expected-non-OK list: whitespace-separated, `#` starts a comment."""
    if not path.exists():
        return set()
    ids: set[str] = set()
    for line in path.read_text().splitlines():
        ids.update(line.split("#", 1)[0].split())
    return ids


@dataclass(frozen=True)
class Judgement:
    """What our channel's results mean for the exit status."""

    unexpected: list[str]     # not OK/INFORMATIONAL and not on the list
    now_passing: list[str]    # on the list, selected, and OK/INFORMATIONAL now
    still_expected: list[str]  # on the list and still not OK

    @property
    def passed(self) -> bool:
        return not self.unexpected and not self.now_passing


def judge(ours: Mapping[str, CaseResult], expected: set[str]) -> Judgement:
    """Only our results count; listed cases outside the selection are neither here nor there."""
    bad = {i for i, c in ours.items() if not c.acceptable}
    ordered = lambda ids: sorted(ids, key=case_key)  # noqa: E731
    return Judgement(
        unexpected=ordered(bad - expected),
        now_passing=ordered(i for i in expected & ours.keys() if i not in bad),
        still_expected=ordered(bad & expected),
    )


def judge_run(results: Iterable[TesteeResult], expected: set[str], ours: str = "ours") -> Judgement | None:
    """The judgement of a run: ours alone decides (None when ours was not run)."""
    mine = next((r for r in results if r.name == ours), None)
    return None if mine is None else judge(mine.cases, expected)


def compress(ids: Iterable[str], universe: Iterable[str]) -> list[str]:
    """Case ids with every fully listed group of the selection written as one pattern (`6.4.*`)."""
    bad = set(ids)
    everything = sorted(set(universe) | bad, key=case_key)

    def walk(prefix: tuple[str, ...], members: list[str]) -> list[str]:
        if prefix and len(members) > 1 and all(m in bad for m in members):
            # The narrowest pattern that still names them all: 6.4.* rather than 6.* when
            # only 6.4 was selected.
            parts = [m.split(".") for m in members]
            common = [p[0] for p in zip(*parts, strict=False) if len(set(p)) == 1]
            return [".".join(common) + ".*"]
        out: list[str] = []
        groups: dict[str, list[str]] = {}
        for m in members:
            groups.setdefault(m.split(".")[len(prefix)], []).append(m)
        for part, group in groups.items():
            here = (*prefix, part)
            if group == [".".join(here)]:
                out.extend(g for g in group if g in bad)
            else:
                out.extend(walk(here, [g for g in group if g != ".".join(here)]))
                if ".".join(here) in bad:
                    out.append(".".join(here))
        return out

    return walk((), everything)


def _rows(results: list[TesteeResult], universe: list[str]) -> list[list[str]]:
    rows = []
    for r in results:
        if r.note and not any(c.behavior != MISSING for c in r.cases.values()):
            rows.append([r.name, *["-"] * len(VERDICTS), _seconds(r), r.note])
            continue
        listed = ", ".join(compress(r.not_acceptable(), universe)) or "-"
        rows.append([r.name, *(str(r.count(v)) for v in VERDICTS), _seconds(r),
                     f"{listed} ({r.note})" if r.note else listed])
    return rows


def _seconds(r: TesteeResult) -> str:
    return "-" if r.seconds is None else f"{r.seconds:.0f} s"


HEADER = ["testee", *VERDICTS, "time", "not OK (INFORMATIONAL aside)"]


def render_text(results: list[TesteeResult], universe: list[str]) -> str:
    rows = [HEADER, *_rows(results, universe)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER) - 1)]
    lines = []
    for row in rows:
        cells = [c.ljust(w) if i == 0 else c.rjust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=False))]
        lines.append("  ".join([*cells, row[-1]]))
    return "\n".join(lines)


def render_markdown(results: list[TesteeResult], universe: list[str]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    # `6.4.*` twice in a row would turn the text between the stars into italics.
    lines += ["| " + " | ".join(row).replace("*", "\\*") + " |" for row in _rows(results, universe)]
    return "\n".join(lines)


def render_judgement(ours: Mapping[str, CaseResult], verdict: Judgement) -> str:
    lines = []
    for title, ids in (("UNEXPECTED (not OK, not in compliance/expected-non-ok.txt)", verdict.unexpected),
                       ("expected (listed in compliance/expected-non-ok.txt)", verdict.still_expected)):
        if ids:
            lines.append(f"ours, {title}:")
            lines += [f"  {i:<8} {ours[i].describe()}" for i in ids]
    if verdict.now_passing:
        lines.append("ours, NOW PASSING (remove from compliance/expected-non-ok.txt): "
                     + " ".join(verdict.now_passing))
    # The last line in the form CI logs are read for: acceptable cases pass, listed ones that
    # still fail are skipped, unexpected ones and listed ones that pass now fail.
    failed = len(verdict.unexpected) + len(verdict.now_passing)
    passed = len(ours) - failed - len(verdict.still_expected)
    lines.append(f"ours: {'PASS' if verdict.passed else 'FAIL'}")
    lines.append(f"autobahn: {passed} passed, {failed} failed, {len(verdict.still_expected)} skipped")
    return "\n".join(lines)
