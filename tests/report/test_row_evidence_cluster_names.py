"""A row check on a real cluster: the step looks the row up under the cluster's name for it
(``module-one-qa7e2``), the step text says ``module-one``. The evidence must show the row the step
compared, never "(row not found)" in every cell of a check that passed."""

from __future__ import annotations

import textwrap

from harness.report.comparisons import comparison_of, row_name_of
from harness.report.evidence import Evidence, KubectlRun

OUTPUT = textwrap.dedent("""\
    NAME               WEIGHT   SOURCE    PHASE
    module-one-qa7e2   900      example   Ready
    module-two-qa7e2   910      example   Ready""")
EXPECTED = "WEIGHT='900'\nPHASE='Ready'"
STEP = 'the row of "module-one" reads:'


def _judged(evidence: Evidence, passed: bool) -> KubectlRun:
    evidence.judge_step(None, passed, "row")
    return evidence.kubectl_runs[0]


def test_the_row_the_step_names_is_recorded_and_shown():
    evidence = Evidence()
    evidence.kubectl("kubectl get modules", OUTPUT, expected=EXPECTED, check="row", row="module-one-qa7e2")
    run = _judged(evidence, passed=True)
    assert Evidence.from_dict(evidence.to_dict()).kubectl_runs[0] == run  # it survives the JSON
    comparison = comparison_of(run, row_name_of(STEP))
    assert comparison is not None and comparison.label == 'row "module-one-qa7e2"'
    assert [(r.label, r.actual, r.ok) for r in comparison.rows] == [
        ("WEIGHT", "900", True),
        ("PHASE", "Ready", True),
    ]


def test_a_passed_row_check_without_the_cluster_name_is_not_shown_as_row_not_found():
    evidence = Evidence()
    evidence.kubectl("kubectl get modules", OUTPUT, expected=EXPECTED, check="row")
    comparison = comparison_of(_judged(evidence, passed=True), row_name_of(STEP))
    assert comparison is not None and comparison.matched is True
    assert all(r.actual != "(row not found)" and r.ok is not False for r in comparison.rows)
    assert comparison.rows[0].actual == "(the output below names this row otherwise)"


def test_a_passed_check_of_the_only_row_shows_its_cells():
    evidence = Evidence()
    only = "\n".join(OUTPUT.splitlines()[:2])
    evidence.kubectl("kubectl get module module-one-qa7e2", only, expected=EXPECTED, check="row")
    comparison = comparison_of(_judged(evidence, passed=True), row_name_of(STEP))
    assert comparison is not None
    assert [(r.actual, r.ok) for r in comparison.rows] == [("900", True), ("Ready", True)]


def test_a_failed_check_whose_row_is_missing_still_says_so():
    evidence = Evidence()
    evidence.kubectl("kubectl get modules", OUTPUT, expected=EXPECTED, check="row", row="module-three-qa7e2")
    comparison = comparison_of(_judged(evidence, passed=False), row_name_of(STEP))
    assert comparison is not None
    assert [(r.actual, r.ok) for r in comparison.rows] == [("(row not found)", False)] * 2
