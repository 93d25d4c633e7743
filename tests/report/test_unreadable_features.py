"""A feature file that is not valid Gherkin shows in every report file, and fails the run.

The binding turns such a file into one failing test. The report used to record scenarios only,
so a run with one broken file among good ones wrote a green conformance.json and a JUnit file
with ``errors="0"``: CI pointed at junit.xml stayed green while a whole file never ran.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from harness.report.assemble import assemble_run
from harness.report.model import PARSE_PHASE, ErrorInfo, ScenarioResult, StepResult
from harness.report.render_cucumber import render_cucumber
from harness.report.status import Status
from harness.report.xdist_controller import _why_kept

from .conftest import LEAN_SUBPROCESS, REPORT_ARGS, bound_project

pytest_plugins = ["pytester"]

GOOD = """\
Feature: Good
  @claim:MS-01
  Scenario: fine
    Given a step that passes
"""
# Line 4 lacks the closing "|" of its row.
BROKEN = """\
Feature: Broken
  @claim:EN-02
  Scenario: with a table
    Given a step that passes
      | module   | version |
      | module-1 | v1.23.1
"""
STEPS = """\
from pytest_bdd import given


@given("a step that passes")
def _():
    pass
"""
WHERE = "features/broken/bad.feature:6"


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:
    """Two feature files bound the way scenarios/test_features.py binds them; one is broken."""
    return bound_project(pytester, claims_yaml, STEPS, {"features/good": GOOD, "features/broken/bad": BROKEN})


def _json(project: pytest.Pytester) -> dict:
    return json.loads((project.path / "out" / "conformance.json").read_text())


def test_a_broken_file_among_good_ones_is_an_error_in_every_report_file(project):
    result = project.runpytest("scenarios", *REPORT_ARGS)
    result.assert_outcomes(passed=1, failed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED

    report = _json(project)
    assert report["status"] == "error"
    assert report["counts"]["scenarios"]["error"] == 1
    [problem] = [p for p in report["problems"] if "bad.feature" in p]
    assert problem.startswith(f"{WHERE}: not a valid feature file: ")
    assert "another number of cells than the table's first row" in problem
    assert "none of the scenarios" in problem
    broken = next(f for f in report["features"] if f["uri"] == "features/broken/bad.feature")
    assert broken["status"] == "error"
    [entry] = broken["scenarios"]
    assert (entry["line"], entry["error"]["phase"]) == (6, "parse")

    junit = ET.parse(project.path / "out" / "junit.xml").getroot()
    assert (junit.get("failures"), junit.get("errors")) == ("0", "1")
    [case] = [c for c in junit.iter("testcase") if c.get("file") == "features/broken/bad.feature"]
    assert case.get("line") == "6"
    error = case.find("error")
    assert error is not None and error.get("message", "").startswith(f"{WHERE}: not a valid feature file")

    html = (project.path / "out" / "conformance.html").read_text()
    assert f"{WHERE}: not a valid feature file" in html
    assert 'class="verdict st-error"' in html and "This feature file is not valid Gherkin" in html

    cucumber = json.loads((project.path / "out" / "cucumber.json").read_text())
    [element] = next(f for f in cucumber if f["uri"] == "features/broken/bad.feature")["elements"]
    [hook] = element["before"]
    assert hook["result"]["status"] == "failed" and WHERE in hook["result"]["error_message"]


def test_a_run_of_only_the_broken_file_writes_a_report_that_shows_it_and_fails(project):
    for selection in ("features/broken/bad.feature", "features/broken/bad.feature:3", "features/broken"):
        result = project.runpytest("scenarios", *REPORT_ARGS, f"--feature-path={selection}")
        result.assert_outcomes(failed=1, deselected=1)
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        report = _json(project)
        assert report["status"] == "error" and report["partial"] is True
        assert [f["uri"] for f in report["features"]] == ["features/broken/bad.feature"]
        assert "were left as they were" not in result.stdout.str()


def test_a_selection_that_leaves_the_broken_file_out_does_not_run_it(project):
    result = project.runpytest("scenarios", *REPORT_ARGS, "--feature-path=features/good.feature")
    result.assert_outcomes(passed=1, deselected=1)
    assert result.ret == pytest.ExitCode.OK
    assert _json(project)["status"] == "passed"


def test_a_claim_selection_keeps_the_broken_file_which_may_hold_the_claim(project):
    result = project.runpytest("scenarios", *REPORT_ARGS, "--claim=EN-02")
    result.assert_outcomes(failed=1, deselected=1)
    assert _json(project)["status"] == "error"


def test_the_broken_file_reaches_the_report_from_an_xdist_worker(project):
    # One worker is enough: the note travels from a worker to the controller either way.
    result = project.runpytest_subprocess("scenarios", *REPORT_ARGS, *LEAN_SUBPROCESS, "-n", "1")
    result.assert_outcomes(passed=1, failed=1)
    report = _json(project)
    assert report["status"] == "error"
    assert any(p.startswith(f"{WHERE}: not a valid feature file") for p in report["problems"])


def _unreadable_entry() -> ScenarioResult:
    return ScenarioResult(
        nodeid="scenarios/test_features.py::test_broken_bad__unreadable",
        name=f"{WHERE}: not a valid feature file",
        feature_name="features/broken/bad.feature",
        feature_uri="features/broken/bad.feature",
        line=6,
        status=Status.ERROR,
        error=ErrorInfo(PARSE_PHASE, "GherkinParseError", f"{WHERE}: not a valid feature file: bad\n    | x"),
    )


def test_the_entry_of_a_broken_file_is_a_problem_but_not_an_untraced_scenario(catalogue):
    run = assemble_run([_unreadable_entry()], catalogue, started_at="t", duration=0.0, selection={"x": 1})
    assert run.status is Status.ERROR
    assert run.problems == [  # one line, and no "has no @claim tag": it is a file, not a scenario
        f"{WHERE}: not a valid feature file: bad | x (none of the scenarios of features/broken/bad.feature "
        "ran, so the claims they check are not counted; fix the file and run it again)"
    ]


def test_cucumber_json_shows_a_setup_error_as_a_failed_hook(catalogue):
    """Cucumber readers judge a scenario by its steps and hooks; all-skipped steps read as skipped."""
    setup_error = ScenarioResult(
        nodeid="scenarios/test_x.py::test_unknown_claim",
        name="unknown claim",
        feature_name="F",
        feature_uri="features/f.feature",
        line=3,
        status=Status.ERROR,
        steps=[StepResult("Given", "given", "a registry", 4)],
        error=ErrorInfo("setup", "ClaimTagError", "unknown claim ID 'MS-99'"),
    )
    run = assemble_run([setup_error], catalogue, started_at="t", duration=0.0)
    [feature] = json.loads(render_cucumber(run))
    [element] = feature["elements"]
    assert element["before"][0]["result"]["status"] == "failed"
    assert "unknown claim ID 'MS-99'" in element["before"][0]["result"]["error_message"]
    assert "after" not in element


def test_the_kept_reports_line_says_no_scenario_ran_only_when_none_did():
    assert _why_kept(False, pytest.ExitCode.NO_TESTS_COLLECTED) == "no scenario ran"
    assert _why_kept(True, pytest.ExitCode.INTERRUPTED) == "the run was interrupted"
    assert _why_kept(True, pytest.ExitCode.INTERNAL_ERROR) == "the run ended early (pytest exit code 3)"
