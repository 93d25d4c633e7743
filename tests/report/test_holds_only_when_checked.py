"""A hostile reader's audit: no report says a claim holds on a scenario that checked nothing.

Each case is a way a claim could be said to hold without any scenario having checked it in this
run: a scenario skipped, xfailed, errored in setup or teardown, lost with a crashed worker, passed
without a Then step, or passed with only the page's (unchecked) expectation for a Then step. The
report model is built in-process, as the plugin builds it, and read back from the JSON and the
HTML claim row, so the files cannot disagree with the model. (The nested runs that produce these
scenarios for real are in test_xfail_scenarios, test_unfinished_scenarios, test_page_expectation
and test_truthful_report.)
"""

from __future__ import annotations

import json
import re

import pytest

from harness.report.assemble import assemble_run
from harness.report.model import ErrorInfo, ScenarioResult, StepResult
from harness.report.render_cucumber import render_cucumber
from harness.report.render_html import render_html
from harness.report.status import Status
from harness.report.unfinished import unfinished


def _skipped(make_scenario) -> ScenarioResult:
    scenario = make_scenario("skipped", Status.SKIPPED, ["EN-04"])
    scenario.steps = [StepResult("Then", "then", "it holds", 4)]
    scenario.skip_reason = "needs kubectl"
    return scenario


def _xfailed(make_scenario) -> ScenarioResult:
    scenario = make_scenario("xfailed", Status.FAILED, ["EN-04"])
    scenario.xfail = "known flaky"
    return scenario


def _setup_error(make_scenario) -> ScenarioResult:
    scenario = make_scenario("setup", Status.ERROR, ["EN-04"])
    scenario.steps = [StepResult("Then", "then", "it holds", 4)]
    scenario.error = ErrorInfo(phase="setup", type="ClaimTagError", message="unknown claim")
    return scenario


def _teardown_error(make_scenario) -> ScenarioResult:
    scenario = make_scenario("teardown", Status.ERROR, ["EN-04"])
    scenario.error = ErrorInfo(phase="teardown", type="RuntimeError", message="cluster did not stop")
    return scenario


def _no_then(make_scenario) -> ScenarioResult:
    scenario = make_scenario("no then", Status.PASSED, ["EN-04"])
    scenario.steps = scenario.steps[:1]
    return scenario


def _then_never_ran(make_scenario) -> ScenarioResult:
    """Passed, yet its Then step is recorded as not reached (a payload no run of this plugin
    makes, but one the model must not take for a check)."""
    scenario = make_scenario("then never ran", Status.PASSED, ["EN-04"])
    scenario.steps[1].status = Status.SKIPPED
    return scenario


def _only_the_page_then(make_scenario) -> ScenarioResult:
    """A known deviation whose only Then step is the page's expectation, which is not checked
    while the scenario passes: it checked nothing."""
    scenario = make_scenario("page only", Status.DEVIATION, ["MS-03"], deviation=True)
    scenario.steps[1] = StepResult("But", "then", 'the page says: the row of "x" reads:', 5, Status.SKIPPED)
    return scenario


def _crashed(make_scenario) -> ScenarioResult:
    skeleton = make_scenario("crashed", Status.SKIPPED, ["EN-04"])
    crashes = {skeleton.nodeid: "worker crashed"}
    [scenario] = unfinished({skeleton.nodeid: skeleton.to_dict()}, {}, crashes, "")
    return scenario


WAYS = {
    "skipped": (_skipped, "EN-04", "skipped"),
    "xfailed": (_xfailed, "EN-04", "failed"),
    "errored in setup": (_setup_error, "EN-04", "error"),
    "errored in teardown": (_teardown_error, "EN-04", "error"),
    "no Then step": (_no_then, "EN-04", "uncovered"),
    "Then step never ran": (_then_never_ran, "EN-04", "uncovered"),
    "only the page's unchecked Then": (_only_the_page_then, "MS-03", "uncovered"),
    "worker crashed": (_crashed, "EN-04", "error"),
}


@pytest.mark.parametrize("way", list(WAYS))
def test_no_report_says_holds_for_a_claim_no_scenario_checked(way, make_scenario, catalogue):
    build, claim_id, expected = WAYS[way]
    run = assemble_run([build(make_scenario)], catalogue, started_at="t", duration=0.0)
    statuses = {c["id"]: c["status"] for c in run.to_dict()["claims"]}
    assert statuses[claim_id] == expected
    assert "passed" not in statuses.values() and "deviation" not in statuses.values()
    assert run.claim_counts()["passed"] == 0
    row = re.search(rf'<tr data-status="(\w+)" id="claim-{claim_id}">', render_html(run))
    assert row is not None and row.group(1) == expected


def test_with_a_scenario_that_did_check_it_the_claim_holds(make_scenario, catalogue):
    """The control: the cases above fail only for what they leave out."""
    checked = make_scenario("checked", Status.PASSED, ["EN-04"])
    run = assemble_run([checked], catalogue, started_at="t", duration=0.0)
    assert {c.claim.id: c.status for c in run.claims}["EN-04"] is Status.PASSED


def test_cucumber_leaves_out_the_unchecked_page_step_of_a_passing_deviation(make_scenario, catalogue):
    """Cucumber readers call a scenario with a skipped step skipped: the known deviation that
    passed read as skipped there, while the checked page steps of a failed one stay."""
    passed = make_scenario("still", Status.DEVIATION, ["MS-03"], deviation=True)
    passed.steps.append(StepResult("But", "then", 'the page says: the row of "x" reads:', 6, Status.SKIPPED))
    failed = make_scenario("fixed", Status.FAILED, ["MS-03"], line=9, deviation=True)
    failed.steps.append(StepResult("But", "then", 'the page says: the row of "x" reads:', 12, Status.PASSED))
    failed.page_expectation = "met"
    run = assemble_run([passed, failed], catalogue, started_at="t", duration=0.0)
    elements = {e["name"]: e for f in json.loads(render_cucumber(run)) for e in f["elements"]}
    assert [s["result"]["status"] for s in elements["still"]["steps"]] == ["passed", "passed"]
    assert [s["name"] for s in elements["fixed"]["steps"]][-1] == 'the page says: the row of "x" reads:'
