"""A feature file saved by a Windows editor (UTF-8 byte-order mark, CRLF) runs like any other.

Read as plain UTF-8 the mark stayed a character before the first tag, and pytest-bdd's Gherkin
parser rejected the whole file ("not a valid feature file") although nothing was wrong with it.
"""

from __future__ import annotations

import json

import pytest

from harness.report.claims import parse_catalogue
from harness.steps.step_place import docstring_first_line
from harness.steps.tag_lint import tag_problems

from .conftest import bound_project

pytest_plugins = ["pytester"]

FEATURE = (
    "@claim:MS-01\n"
    "Feature: Saved on Windows\n"
    "\n"
    "  Scenario: fine\n"
    "    Given a step that passes\n"
    "    And a step with a docstring\n"
    '      """\n'
    "      text\n"
    '      """\n'
    "    Then a check holds\n"
)
WINDOWS = b"\xef\xbb\xbf" + FEATURE.replace("\n", "\r\n").encode()
STEPS = """\
from pytest_bdd import given, then


@given("a step that passes")
def _():
    pass


@given("a step with a docstring")
def _(docstring):
    assert docstring == "text"


@then("a check holds")
def _():
    pass
"""


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:
    return bound_project(pytester, claims_yaml, STEPS, {"features/windows": WINDOWS})


def test_it_runs_and_its_first_line_tag_counts_for_the_claim(project):
    result = project.runpytest("scenarios", "-p", "harness.report.plugin", "--conformance-report", "out")
    result.assert_outcomes(passed=1)
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    assert [p for p in report["problems"] if "windows.feature" in p] == []
    assert {c["id"]: c["status"] for c in report["claims"]}["MS-01"] == "passed"


def test_the_lints_read_it_as_the_parser_does(project, claims_yaml):
    import yaml

    catalogue = parse_catalogue(yaml.safe_load(claims_yaml))
    features = project.path / "features"
    assert tag_problems(features, catalogue) == []
    assert docstring_first_line(features / "windows.feature", 6) == 8
