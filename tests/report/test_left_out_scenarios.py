"""A claim a partial run checked only in part says how many of its scenarios the selection left out.

With ``-k`` keeping one of a claim's three scenarios, the claim read "holds" on that one's
account, the same words as when all three ran and passed.
"""

from __future__ import annotations

import json

import pytest

from .conftest import LEAN_SUBPROCESS, PASS_FAIL_STEPS, REPORT_ARGS, bound_project

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: Kept in part

  @claim:MS-01
  Scenario: Kept by the keyword
    Given a step that passes
    Then it holds

  @claim:MS-01
  Scenario: Left out once
    Given a step that passes
    Then it holds

  @claim:MS-01 @claim:EN-02
  Scenario: Left out twice
    Given a step that passes
    Then it holds
"""


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:
    return bound_project(pytester, claims_yaml, PASS_FAIL_STEPS, {"features/part": FEATURE})


def _claims(project: pytest.Pytester) -> dict[str, dict]:
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    assert report["partial"] is True
    return {c["id"]: c for c in report["claims"]}


def _check(project: pytest.Pytester) -> None:
    claims = _claims(project)
    assert (claims["MS-01"]["status"], claims["MS-01"]["left_out"]) == ("passed", 2)
    # Every scenario of EN-02 was left out: it is not in this run, nothing to say "in part" about.
    assert (claims["EN-02"]["status"], claims["EN-02"]["left_out"]) == ("unselected", 1)
    html = (project.path / "out" / "conformance.html").read_text()
    assert "1 of its 3 scenarios ran: the selection left 2 out" in html


def test_a_keyword_run_says_how_many_scenarios_of_a_claim_it_left_out(project):
    project.runpytest("scenarios", *REPORT_ARGS, "-k", "kept_by").assert_outcomes(passed=1)
    _check(project)


def test_the_counts_come_back_from_xdist_workers(project):
    result = project.runpytest_subprocess(
        "scenarios", *REPORT_ARGS, *LEAN_SUBPROCESS, "-n", "2", "-k", "kept_by"
    )
    result.assert_outcomes(passed=1)
    _check(project)


def test_a_whole_run_leaves_nothing_out(project):
    project.runpytest("scenarios", *REPORT_ARGS).assert_outcomes(passed=3)
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    assert report["partial"] is False
    assert {c["id"]: c["left_out"] for c in report["claims"]}["MS-01"] == 0
