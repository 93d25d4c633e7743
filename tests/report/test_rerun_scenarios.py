"""A scenario run more than once in a session is reported by its worst run, with every run's status.

A rerun plugin (pytest-rerunfailures' ``--reruns``) runs a failed scenario again in the same
item. The report's per-item recorder carried the first run's steps into the second, and the
controller kept the last result: a scenario that failed and then passed read "passed" with a
failed step, its Then step lost ("checked nothing") and its claim uncovered. The stand-in below
reruns a failed item exactly as such a plugin does: ``runtestprotocol`` again, the failed reports
logged with the outcome ``rerun``.
"""

from __future__ import annotations

import json

import pytest

from .conftest import REPORT_ARGS, bound_project

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: Flaky

  @claim:MS-01
  Scenario: Fails first, passes on the rerun
    Given a step that fails the first time
    Then it holds
"""
STEPS = """\
import pytest
from _pytest.runner import runtestprotocol
from pytest_bdd import given, then

RUNS = {"count": 0}


@given("a step that fails the first time")
def _():
    RUNS["count"] += 1
    assert RUNS["count"] > 1, "not as the page says"


@then("it holds")
def _():
    pass


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    for run in range(2):
        reports = runtestprotocol(item, nextitem=nextitem, log=False)
        failed = any(r.failed for r in reports)
        for report in reports:
            if failed and run == 0 and report.failed:
                report.outcome = "rerun"
            item.ihook.pytest_runtest_logreport(report=report)
        if not failed:
            break
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True
"""


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:
    return bound_project(pytester, claims_yaml, STEPS, {"features/flaky": FEATURE})


def test_a_scenario_that_passed_only_on_a_rerun_is_reported_by_its_failed_run(project):
    result = project.runpytest("scenarios", *REPORT_ARGS)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*1 scenario(s) did not pass in one of their runs*exit code 1"])
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    [scenario] = report["features"][0]["scenarios"]
    assert scenario["status"] == "failed"
    assert scenario["attempts"] == ["failed", "passed"]
    assert [(s["name"], s["status"]) for s in scenario["steps"]] == [
        ("a step that fails the first time", "failed"),
        ("it holds", "skipped"),
    ]
    assert {c["id"]: c["status"] for c in report["claims"]}["MS-01"] == "failed"
    assert any("ran 2 times with different results (failed, passed)" in p for p in report["problems"])
    html = (project.path / "out" / "conformance.html").read_text()
    assert "Ran 2 times in this session (failed, then passed)" in html
    assert (
        "ran 2 times: failed, passed (the worst is shown)" in (project.path / "out" / "junit.xml").read_text()
    )
