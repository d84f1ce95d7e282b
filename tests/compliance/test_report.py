"""compliance.report on a hand-made index.json: grading, the table, and the exit-status rule.

No Python 2.7, no fuzzing server, no network: only the parsing and the decisions.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:   # compliance/ is a folder of the checkout, not an installed package
    sys.path.insert(0, str(ROOT))

from compliance import cases, report  # noqa: E402
from compliance.report import CaseResult  # noqa: E402

INDEX = Path(__file__).with_name("index.json")
SELECTED = ["1.1.1", "2.10", "3.2", "6.4.3", "7.1.6"]


def _results(expected_agents: tuple[str, ...] = ("ours", "websockets")) -> list[report.TesteeResult]:
    index = report.load_index(INDEX)
    return [report.TesteeResult(a, report.results_for(index, a, SELECTED), 1.0) for a in expected_agents]


@pytest.mark.parametrize(("behavior", "close", "verdict"), [
    ("OK", "OK", "OK"),
    ("INFORMATIONAL", "OK", "INFORMATIONAL"),
    ("OK", "INFORMATIONAL", "INFORMATIONAL"),
    ("NON-STRICT", "OK", "NON-STRICT"),
    ("OK", "WRONG CODE", "NON-STRICT"),          # the close grade counts as much as the frames'
    ("OK", "FAILED BY CLIENT", "NON-STRICT"),
    ("OK", "UNCLEAN", "FAILED"),
    ("INFORMATIONAL", "FAILED", "FAILED"),
    ("NO_CLOSE", "OK", "FAILED"),
    ("UNIMPLEMENTED", "FAILED", "UNIMPLEMENTED"),
    ("MISSING", "MISSING", "FAILED"),
])
def test_verdict_is_the_worse_of_behavior_and_close(behavior: str, close: str, verdict: str) -> None:
    assert CaseResult("1.1.1", behavior, close).verdict == verdict


def test_index_is_read_per_agent_and_missing_cases_fail() -> None:
    index = report.load_index(INDEX)
    assert set(index) == {"ours", "websockets"}
    assert index["ours"]["3.2"] == CaseResult("3.2", "NON-STRICT", "OK", 1002)
    ours = report.results_for(index, "ours", [*SELECTED, "9.1.1"])
    assert ours["9.1.1"].verdict == "FAILED"
    assert report.load_index(INDEX.with_name("nothing-here.json")) == {}


def test_expected_listed_cases_that_stay_non_ok_pass() -> None:
    verdict = report.judge_run(_results(), {"3.2", "6.4.3"})
    assert verdict is not None and verdict.passed
    assert verdict.still_expected == ["3.2", "6.4.3"]


def test_unexpected_non_ok_case_fails() -> None:
    verdict = report.judge_run(_results(), {"3.2"})
    assert verdict is not None and not verdict.passed
    assert verdict.unexpected == ["6.4.3"]


def test_missing_result_of_ours_fails() -> None:
    results = _results()
    del results[0].cases["1.1.1"]
    results[0].cases["1.1.1"] = CaseResult("1.1.1", report.MISSING, report.MISSING)
    verdict = report.judge_run(results, {"3.2", "6.4.3"})
    assert verdict is not None and verdict.unexpected == ["1.1.1"]


def test_listed_case_that_now_passes_fails() -> None:
    verdict = report.judge_run(_results(), {"3.2", "6.4.3", "2.10", "7.1.6"})
    assert verdict is not None and not verdict.passed
    assert verdict.now_passing == ["2.10", "7.1.6"]     # INFORMATIONAL counts as passing
    assert verdict.unexpected == []


def test_judgement_ends_with_a_pass_fail_count() -> None:
    ours = _results()[0].cases
    lines = report.render_judgement(ours, report.judge(ours, {"3.2", "6.4.3", "2.10"})).splitlines()
    assert lines[-2:] == ["ours: FAIL", "autobahn: 2 passed, 1 failed, 2 skipped"]
    assert any(line.startswith("ours, NOW PASSING") and line.endswith(": 2.10") for line in lines)
    assert "  3.2      NON-STRICT (behavior NON-STRICT, close OK, close code 1002)" in lines


def test_listed_case_outside_the_selection_is_ignored() -> None:
    verdict = report.judge_run(_results(), {"3.2", "6.4.3", "12.1.1"})
    assert verdict is not None and verdict.passed


def test_peers_never_count() -> None:
    results = _results()
    peer = results[1]
    assert peer.not_acceptable() == ["2.10", "3.2", "6.4.3"]     # websockets is worse than ours here
    verdict = report.judge_run(results, {"3.2", "6.4.3"})
    assert verdict is not None and verdict.passed
    assert report.judge_run([peer], set()) is None               # no ours: nothing to judge


def test_table_counts_and_lists() -> None:
    results = _results()
    text = report.render_text(results, SELECTED)
    md = report.render_markdown(results, SELECTED).splitlines()
    assert md[0] == "| testee | OK | NON-STRICT | INFORMATIONAL | UNIMPLEMENTED | FAILED | time | " \
                    "not OK (INFORMATIONAL aside) |"
    assert md[2] == "| ours | 2 | 2 | 1 | 0 | 0 | 1 s | 3.2, 6.4.3 |"
    assert md[3] == "| websockets | 1 | 1 | 1 | 0 | 2 | 1 s | 2.10, 3.2, 6.4.3 |"
    assert text.splitlines()[1].split()[:6] == ["ours", "2", "2", "1", "0", "0"]


def test_a_testee_that_did_not_run_shows_its_note() -> None:
    gone = report.TesteeResult("picows", report.results_for({}, "picows", SELECTED), None, "not installed")
    assert report.render_markdown([gone], SELECTED).splitlines()[2] == \
        "| picows | - | - | - | - | - | - | not installed |"


def test_markdown_escapes_patterns() -> None:
    results = _results()
    results[0].cases["6.4.4"] = CaseResult("6.4.4", "FAILED", "FAILED")
    row = report.render_markdown(results, [*SELECTED, "6.4.4"]).splitlines()[2]
    assert row.endswith("| 3.2, 6.4.\\* |")


def test_compress_names_whole_groups() -> None:
    universe = ["6.3.1", "6.3.2", "6.4.1", "6.4.2", "7.1.1", "12.1.1", "12.1.2", "12.2.1"]
    assert report.compress(["6.4.1", "6.4.2", "7.1.1"], universe) == ["6.4.*", "7.1.1"]
    assert report.compress(["12.1.1", "12.1.2", "12.2.1"], universe) == ["12.*"]
    assert report.compress(["6.4.1", "6.4.2"], ["6.4.1", "6.4.2"]) == ["6.4.*"]
    assert report.compress(["6.3.1"], universe) == ["6.3.1"]


def test_expected_list_format(tmp_path: Path) -> None:
    listed = tmp_path / "expected.txt"
    listed.write_text("# comment\n3.2 3.3  # reserved bits\n\n5.15\n")
    assert report.load_expected(listed) == {"3.2", "3.3", "5.15"}
    assert report.load_expected(tmp_path / "absent.txt") == set()
    shipped = report.load_expected()
    assert all(cases.case_key(i) for i in shipped)     # every entry is a case id


def test_case_selections() -> None:
    assert cases.patterns("1-3") == ["1.*", "2.*", "3.*"]
    assert cases.patterns("all") == ["*"]
    assert cases.patterns("6.4.*, 7.1.1") == ["6.4.*", "7.1.1"]
    for bad in ("", "3-1", "x", "6.4.*;rm"):
        with pytest.raises(ValueError):
            cases.patterns(bad)
