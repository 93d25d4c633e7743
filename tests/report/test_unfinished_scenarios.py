"""A selected scenario that never finished is reported as what happened to it, never left out.

After ``-x`` (``--maxfail``) the rest of the selection did not run, and a scenario whose
pytest-xdist worker crashed left only xdist's "worker crashed" report. Both used to vanish from
the report, which then read as a whole run: the claims of the scenarios not run were "uncovered"
(no scenario checks them), and a claim checked by the crashed scenario and a passing one "held".
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from .conftest import LEAN_SUBPROCESS, PASS_FAIL_STEPS, REPORT_ARGS, bound_project

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: Stops

  @claim:MS-01
  Scenario: The first fails
    Given a step that fails

  @claim:EN-02
  Scenario: The second never runs
    Given a step that passes
    Then it holds

  @claim:EN-04
  Scenario: The worker dies
    Given the process dies

  @claim:EN-04
  Scenario: The claim's other scenario passes
    Given a step that passes
    Then it holds
"""
STEPS = (
    PASS_FAIL_STEPS
    + """

@given("the process dies")
def _():
    import os

    if os.environ.get("PYTEST_XDIST_WORKER"):
        os._exit(1)
"""
)


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:
    return bound_project(pytester, claims_yaml, STEPS, {"features/stops": FEATURE})


def _report(project: pytest.Pytester) -> dict:
    return json.loads((project.path / "out" / "conformance.json").read_text())


def _scenarios(report: dict) -> dict[str, dict]:
    return {s["name"]: s for f in report["features"] for s in f["scenarios"]}


def _claims(report: dict) -> dict[str, str]:
    return {c["id"]: c["status"] for c in report["claims"]}


def test_the_scenarios_a_stopped_run_never_ran_are_reported_as_not_run_and_the_run_is_partial(project):
    result = project.runpytest("scenarios", *REPORT_ARGS, "-x")
    result.assert_outcomes(failed=1)
    report = _report(project)
    scenarios = _scenarios(report)
    assert len(scenarios) == 4
    second = scenarios["The second never runs"]
    assert second["status"] == "skipped"
    assert second["skip_reason"] == "not run: the run stopped before it (stopping after 1 failures)"
    assert [s["status"] for s in second["steps"]] == ["skipped", "skipped"]
    # Not "uncovered" (a scenario checks it) and no deviation-reason problem for MS-03 either.
    assert _claims(report) == {
        "MS-01": "failed",
        "MS-03": "unselected",
        "EN-02": "skipped",
        "EN-04": "skipped",
        "DKP-01": "unselected",
    }
    assert report["partial"] is True
    assert report["selection"]["stopped"] == "the run stopped before it (stopping after 1 failures)"
    assert len(report["selection"]["not_run"]) == 3
    assert report["counts"]["scenarios"]["skipped"] == 3
    html = (project.path / "out" / "conformance.html").read_text()
    assert "The run stopped before 3 of the selected scenarios ran (stopping after 1 failures)" in html
    junit = ET.parse(project.path / "out" / "junit.xml").getroot()
    assert junit.get("tests") == "4" and junit.get("skipped") == "3"


def test_a_scenario_whose_xdist_worker_crashed_could_not_be_checked_and_its_claim_does_not_hold(project):
    result = project.runpytest_subprocess("scenarios", *REPORT_ARGS, *LEAN_SUBPROCESS, "-n", "2")
    assert "crashed while running" in result.stdout.str()
    report = _report(project)
    crashed = _scenarios(report)["The worker dies"]
    assert crashed["status"] == "error"
    assert crashed["error"]["phase"] == "crash"
    assert "crashed while running" in crashed["error"]["message"]
    assert crashed["claims"] == ["EN-04"]
    assert _claims(report)["EN-04"] == "error"
    assert report["counts"]["scenarios"]["error"] == 1
    assert report["partial"] is False
    junit = ET.parse(project.path / "out" / "junit.xml").getroot()
    assert junit.get("tests") == "4" and junit.get("errors") == "1"
    assert "1 scenario(s) could not be checked" in result.stdout.str()


LONE_WORKER_FEATURE = """\
Feature: Crashes

  @claim:EN-04
  Scenario Outline: The worker dies on <what>
    Given the process dies

    Examples:
      | what |
      | kill |

  @claim:EN-04
  Scenario: The claim's other scenario passes
    Given a step that passes
    Then it holds

  @claim:EN-02
  Scenario: A scenario no worker was left to run
    Given a step that passes
    Then it holds

  @claim:EN-04
  Scenario: A scenario of the claim the selection leaves out
    Given a step that passes
    Then it holds

  @claim:EN-02
  Scenario Outline: Rows kept on <what>
    Given a step that passes

    Examples:
      | what |
      | é    |
      | é    |
"""


def test_a_worker_that_crashed_before_shipping_its_scenarios_still_leaves_them_named_with_their_claims(
    pytester: pytest.Pytester, claims_yaml: str
):
    """The only worker crashes on the first scenario and is not replaced: nothing it collected
    reached the controller but node ids, not even its count of the scenarios ``-k`` left out.
    The controller names every scenario from the feature files (an Outline row included, its id
    escaped and numbered by pytest), keeps its claims, lists the ones never run, and counts the
    ones the selection left out from the ids no worker collected."""
    project = bound_project(pytester, claims_yaml, STEPS, {"features/crashes": LONE_WORKER_FEATURE})
    result = project.runpytest_subprocess(
        "scenarios",
        *REPORT_ARGS,
        *LEAN_SUBPROCESS,
        "-n",
        "1",
        "--max-worker-restart",
        "0",
        "-k",
        "not leaves_out",
    )
    assert "crashed" in result.stdout.str()
    report = _report(project)
    scenarios = _scenarios(report)
    assert sorted(scenarios) == [
        "A scenario no worker was left to run",
        "Rows kept on é",
        "The claim's other scenario passes",
        "The worker dies on kill",
    ]
    crashed = scenarios["The worker dies on kill"]
    assert (crashed["status"], crashed["error"]["phase"], crashed["claims"]) == ("error", "crash", ["EN-04"])
    assert (crashed["feature_uri"], crashed["line"], crashed["example"]) == (
        "features/crashes.feature",
        4,
        {"what": "kill"},
    )
    assert [s["name"] for s in crashed["steps"]] == ["the process dies"]
    never = scenarios["A scenario no worker was left to run"]
    assert never["status"] == "skipped" and never["claims"] == ["EN-02"]
    assert never["skip_reason"] == (
        "not run: the run ended before it: a pytest-xdist worker crashed, none took it over"
    )
    # Neither claim "holds" or is "uncovered" on the account of what did not run.
    claims = _claims(report)
    assert (claims["EN-04"], claims["EN-02"]) == ("error", "skipped")
    assert report["partial"] is True and len(report["selection"]["not_run"]) == 4
    # The kept rows (``\xe90``, ``\xe91``) are not counted as left out; the deselected scenario is.
    left_out = {c["id"]: c["left_out"] for c in report["claims"]}
    assert (left_out["EN-04"], left_out["EN-02"]) == (1, 0)
