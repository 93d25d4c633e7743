"""A feature file with no scenario (empty, or only comments) runs nothing and stops nothing.

An empty feature file (what ``touch`` or an unsaved editor leaves) made pytest-bdd raise a
``KeyError`` while collecting, which ended the whole run as an internal error: no scenario of any
other file ran.
"""

from __future__ import annotations

import json

import pytest
import yaml

from harness.report.claims import parse_catalogue
from harness.steps.tag_lint import tag_problems

from .conftest import bound_project

pytest_plugins = ["pytester"]

GOOD = """\
Feature: Good
  @claim:MS-01
  Scenario: fine
    Given a step that passes
    Then a check that passes
"""
STEPS = """\
from pytest_bdd import given, then


@given("a step that passes")
def _():
    pass


@then("a check that passes")
def _():
    pass
"""


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:
    files = {"features/good": GOOD, "features/empty": "", "features/notes": "# later\n"}
    return bound_project(pytester, claims_yaml, STEPS, files)


def _run(project: pytest.Pytester) -> tuple[pytest.RunResult, dict]:
    result = project.runpytest("scenarios", "-p", "harness.report.plugin", "--conformance-report", "out")
    return result, json.loads((project.path / "out" / "conformance.json").read_text())


def test_an_empty_or_comment_only_file_runs_nothing_and_stops_nothing(project, claims_yaml):
    result, report = _run(project)
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK
    assert [p for p in report["problems"] if "empty.feature" in p or "notes.feature" in p] == []
    catalogue = parse_catalogue(yaml.safe_load(claims_yaml))
    assert tag_problems(project.path / "features", catalogue) == []
