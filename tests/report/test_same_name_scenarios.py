"""Two scenarios with one name in one feature file: both run, both are reported, neither hides.

pytest-bdd keys a feature's scenarios by name, and the binding used to take that dict: the first
of two same-named scenarios was silently dropped (``1 passed`` and exit 0 though it would fail),
and ``file.feature:LINE`` at its line matched nothing.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from harness.report.compare import compare_runs

from .conftest import REPORT_ARGS, bound_project

pytest_plugins = ["pytester"]

TWINS = """\
Feature: Twins

  @claim:MS-01
  Scenario: Same name
    Given a step that fails

  @claim:MS-01
  Scenario: Same name
    Given a step that passes
"""
STEPS = """\
from pytest_bdd import given


@given("a step that fails")
def _():
    assert False, "the first twin's expectation"


@given("a step that passes")
def _():
    pass
"""


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:
    return bound_project(pytester, claims_yaml, STEPS, {"features/twins": TWINS})


def test_both_scenarios_run_and_the_report_lists_each_at_its_line(project):
    result = project.runpytest("scenarios", *REPORT_ARGS)
    result.assert_outcomes(passed=1, failed=1)
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    [feature] = report["features"]
    assert [(s["name"], s["line"], s["status"]) for s in feature["scenarios"]] == [
        ("Same name", 4, "failed"),
        ("Same name", 8, "passed"),
    ]
    assert report["status"] == "failed"
    assert {c["id"]: c["status"] for c in report["claims"]}["MS-01"] == "failed"
    junit = ET.parse(project.path / "out" / "junit.xml").getroot()
    assert [(c.get("line"), c.find("failure") is not None) for c in junit.iter("testcase")] == [
        ("4", True),
        ("8", False),
    ]


def test_the_line_of_the_first_selects_it(project):
    result = project.runpytest("scenarios", *REPORT_ARGS, "--feature-path=features/twins.feature:5")
    result.assert_outcomes(failed=1, deselected=1)
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    assert [s["line"] for f in report["features"] for s in f["scenarios"]] == [4]


def _run(statuses: list[str]) -> dict:
    scenarios = [
        {"feature_uri": "features/twins.feature", "name": "Same name", "status": s, "example": {}}
        for s in statuses
    ]
    return {"claims": [], "features": [{"uri": "features/twins.feature", "scenarios": scenarios}]}


def test_comparing_two_runs_keeps_the_two_scenarios_of_one_name_apart():
    result = compare_runs(_run(["failed", "passed"]), _run(["passed", "passed"]), ("a", "b"))
    assert [(d.key, d.left, d.right) for d in result.scenarios] == [
        ("features/twins.feature: Same name", "failed", "passed")
    ]
    assert result.same_scenarios == 1
    result = compare_runs(_run(["passed", "failed"]), _run(["passed", "passed"]), ("a", "b"))
    assert [d.key for d in result.scenarios] == ["features/twins.feature: Same name #2"]
