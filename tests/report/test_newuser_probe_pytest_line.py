"""`pytest scenarios --feature-path features/x.feature:2` (a line of the Feature's description,
above every scenario) ended "153 deselected … no tests ran" (exit 5), which does not say that the
line is what to change; `dkp-harness run` refuses such a line naming the first scenario's. The
pytest path now does the same."""

from __future__ import annotations

import pytest

from .conftest import REPORT_ARGS, bound_project

pytest_plugins = ["pytester"]


FEATURE = """\
Feature: Lines
  A description line.

  @claim:MS-01
  Scenario: First
    Given the count 0

  @claim:MS-01
  Scenario: Second
    Given the count 1
"""
STEPS = """\
from pytest_bdd import given, parsers


@given(parsers.parse("the count {n:d}"))
def _(n):
    pass
"""


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:
    return bound_project(pytester, claims_yaml, STEPS, {"features/lines": FEATURE})


@pytest.mark.parametrize("line", [1, 2, 4])
def test_a_line_above_the_first_scenario_is_a_usage_error_naming_the_first(project, line):
    result = project.runpytest("scenarios", *REPORT_ARGS, f"--feature-path=features/lines.feature:{line}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            f"*features/lines.feature:{line}: no scenario starts at or above line {line}*"
            "the first starts at line 5*"
        ]
    )


def test_the_first_scenario_line_and_below_still_select(project):
    result = project.runpytest("scenarios", *REPORT_ARGS, "--feature-path=features/lines.feature:5")
    result.assert_outcomes(passed=1)
    result = project.runpytest("scenarios", *REPORT_ARGS, "--feature-path=features/lines.feature:7")
    result.assert_outcomes(passed=1)
