"""A scenario carrying a pytest ``xfail`` mark is reported as what its steps did.

pytest files an "xfailed" test with the skips and exits 0. The report did the same: a scenario
whose expectation was not met read "skipped" with the failure text as its skip reason, and a claim
checked by it and by a passing scenario "held". The report knows one way to say "DKP differs from
the page as expected": ``@deviation`` with the claim's reason in the catalogue.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from .conftest import PASS_FAIL_STEPS, REPORT_ARGS, bound_project

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: Marked

  @claim:MS-01 @xfail
  Scenario: Marked to fail and fails
    Given a step that fails

  @claim:MS-01
  Scenario: The claim's other scenario passes
    Given a step that passes
    Then it holds

  @claim:EN-02 @xfail
  Scenario: Marked to fail and passes
    Given a step that passes
    Then it holds
"""


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:
    return bound_project(pytester, claims_yaml, PASS_FAIL_STEPS, {"features/marked": FEATURE})


def test_an_xfailed_scenario_is_not_met_its_claim_follows_and_the_run_fails(project):
    result = project.runpytest("scenarios", *REPORT_ARGS)
    result.assert_outcomes(passed=1, xfailed=1, xpassed=1)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*1 scenario(s) marked xfail did not pass*exit code 1"])
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    scenarios = {s["name"]: s for f in report["features"] for s in f["scenarios"]}
    failed = scenarios["Marked to fail and fails"]
    assert failed["status"] == "failed" and failed["skip_reason"] is None
    assert failed["error"]["message"].startswith("AssertionError: not as the page says")
    assert failed["xfail"] == ""
    assert {c["id"]: c["status"] for c in report["claims"]}["MS-01"] == "failed"
    assert report["counts"]["scenarios"]["failed"] == 1 and report["counts"]["scenarios"]["skipped"] == 0
    junit = ET.parse(project.path / "out" / "junit.xml").getroot()
    assert junit.get("failures") == "1" and junit.get("skipped") == "0"
    html = (project.path / "out" / "conformance.html").read_text()
    assert html.count("Marked xfail: the report counts the scenario as what its steps did") == 2


def test_an_xpassed_scenario_is_shown_as_marked_and_listed_for_attention(project):
    project.runpytest("scenarios", *REPORT_ARGS)
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    scenarios = {s["name"]: s for f in report["features"] for s in f["scenarios"]}
    assert scenarios["Marked to fail and passes"]["xfail"] == ""
    assert any(
        "'Marked to fail and passes' is marked xfail and passed (xpass)" in p for p in report["problems"]
    )
    junit = (project.path / "out" / "junit.xml").read_text()
    assert "marked xfail: counted as what its steps did" in junit


def test_a_strict_xpass_holds_is_shown_as_marked_and_fails_the_run(project):
    """pytest fails a strict xfail that passed without an exception; it read "could not check"."""
    result = project.runpytest("scenarios", *REPORT_ARGS, "-o", "xfail_strict=true")
    assert result.ret == 1
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    scenarios = {s["name"]: s for f in report["features"] for s in f["scenarios"]}
    strict = scenarios["Marked to fail and passes"]
    assert (strict["status"], strict["xfail"], strict["error"]) == ("passed", "", None)
    assert {c["id"]: c["status"] for c in report["claims"]}["EN-02"] == "passed"
    assert report["counts"]["scenarios"]["error"] == 0
    assert any(
        "'Marked to fail and passes' is marked xfail and passed (xpass)" in p for p in report["problems"]
    )
