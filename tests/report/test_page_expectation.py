"""A failed ``@deviation`` scenario tells "DKP now matches the page" from "neither" by the page's
expectation it writes (``But the page says: <step>``, harness.report.page_expectation).

One nested run holds the four cases: DKP's recorded behaviour still observed (the page's step is
reached but not checked), DKP now doing what the page says (fixed), DKP doing a third thing
(neither), and a scenario that writes no page expectation (not told).
"""

from __future__ import annotations

import json

import pytest

from .conftest import REPORT_ARGS, bound_project

pytest_plugins = ["pytester"]

CLAIMS = """\
version: 1
page: {title: "How to start module in the DKP cluster?", url: "en/module-development/run/"}
claims:
  - {id: MS-03, kind: page, anchor: "#a", section: "s", claim: "MSG reads Ready", deviation: "none"}
  - {id: REL-03, kind: page, anchor: "#a", section: "s", claim: "the message reads Ready", deviation: "none"}
  - {id: DKP-16, kind: dkp, anchor: "§1", section: "s", claim: "DKP writes a message", deviation: null}
  - {id: EN-06, kind: page, anchor: "#a", section: "s", claim: "READY reads Ready", deviation: "none"}
  - {id: UP-01, kind: page, anchor: "#a", section: "s", claim: "the mode reads Ready", deviation: "none"}
"""

STEPS = """\
import pytest
from pytest_bdd import given, parsers, then


@pytest.fixture
def state():
    return {}


@given(parsers.parse('DKP writes "{text}"'))
def _(state, text):
    state["message"] = text


@then(parsers.parse('the message reads "{text}"'))
def _(state, text):
    assert state["message"] == text, f"the message is {state['message']!r}"


@then("the fields read:")
def _(state, datatable):
    assert dict(datatable) == state, f"the fields are {state!r}"
"""

FILE = "features/deviations.feature"
FEATURE = """\
Feature: Deviations

  @claim:MS-03 @deviation
  Scenario: DKP still does what the catalogue records
    Given DKP writes "none"
    Then the message reads "none"
    But the page says: the message reads "Ready"

  @claim:REL-03 @claim:DKP-16 @deviation
  Scenario: DKP now does what the page says
    Given DKP writes "Ready"
    Then the message reads "none"
    But the page says: the fields read:
      | message | Ready |

  @claim:EN-06 @deviation
  Scenario: DKP does a third thing
    Given DKP writes "Booting"
    Then the message reads "none"
    But the page says: the message reads "Ready"

  @claim:UP-01 @deviation
  Scenario: The page's expectation is not written
    Given DKP writes "Ready"
    Then the message reads "none"
"""


def test_a_failed_deviation_tells_fixed_from_neither_by_the_pages_expectation(pytester: pytest.Pytester):
    project = bound_project(pytester, CLAIMS, STEPS, {"features/deviations": FEATURE})
    result = project.runpytest("scenarios", *REPORT_ARGS, "--fail-on-deviation")
    result.assert_outcomes(passed=1, failed=3)
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    scenarios = {s["name"]: s for f in report["features"] for s in f["scenarios"]}

    still = scenarios["DKP still does what the catalogue records"]
    assert (still["status"], still["page_expectation"]) == ("deviation", None)
    # reached after DKP's expectation passed, and shown as not checked: not a pass
    assert [s["status"] for s in still["steps"]] == ["passed", "passed", "skipped"]

    fixed = scenarios["DKP now does what the page says"]
    assert (fixed["status"], fixed["page_expectation"]) == ("failed", "met")
    assert [s["status"] for s in fixed["steps"]] == ["passed", "failed", "passed"]
    assert fixed["steps"][2]["name"] == "the page says: the fields read:"
    assert fixed["error"]["step_line"] == 12  # the failure shown is DKP's expectation's

    neither = scenarios["DKP does a third thing"]
    assert (neither["status"], neither["page_expectation"]) == ("failed", "not_met")
    assert [s["status"] for s in neither["steps"]] == ["passed", "failed", "failed"]
    assert "the message is 'Booting'" in neither["steps"][2]["error"]

    untold = scenarios["The page's expectation is not written"]
    assert (untold["status"], untold["page_expectation"]) == ("failed", None)

    claims = {c["id"]: (c["status"], c["deviation_observed"], c["deviation_fixed"]) for c in report["claims"]}
    assert claims == {
        "MS-03": ("deviation", True, None),
        # the page's claim now holds; DKP-16, checked as documented by the same scenario, is not met
        "REL-03": ("passed", False, True),
        "DKP-16": ("failed", None, None),
        "EN-06": ("failed", False, False),
        "UP-01": ("failed", False, None),
    }
    problems = "\n".join(report["problems"])
    assert "claim REL-03: DKP now matches the page: this deviation is fixed" in problems
    assert "claim EN-06: deviation not observed: neither DKP's known behaviour nor the page's" in problems
    assert "claim UP-01: the known deviation the claims catalogue records was not observed" in problems

    html = (project.path / "out" / "conformance.html").read_text()
    assert "DKP now matches the page: this deviation is fixed." in html
    assert "Deviation not observed: neither DKP's known behaviour nor the page's." in html

    out = result.stdout.str()
    assert "DKP now matches the page: 1 known deviation scenario(s) are fixed (" + FILE + ":10)" in out
    assert "neither DKP's known behaviour nor the page's, in 1 scenario(s) (" + FILE + ":17)" in out
    # --fail-on-deviation: the fixed one fails as written, like any failure; exit 1 either way
    assert result.ret == 1


def test_page_steps_outside_a_deviation_scenario_could_not_be_checked(pytester: pytest.Pytester):
    """Never checked there, they would read as checks: the scenario errors at setup."""
    feature = (
        'Feature: F\n\n  @claim:DKP-16\n  Scenario: S\n    Given DKP writes "x"\n'
        '    Then the message reads "x"\n    But the page says: the message reads "x"\n'
    )
    project = bound_project(pytester, CLAIMS, STEPS, {"features/plain": feature})
    result = project.runpytest("scenarios", *REPORT_ARGS)
    result.assert_outcomes(errors=1)
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    [scenario] = [s for f in report["features"] for s in f["scenarios"]]
    assert scenario["status"] == "error"
    assert (
        "features/plain.feature:4: 'the page says:' steps (line 7) are checked only in a @deviation"
        in (scenario["error"]["message"])
    )


def _steps(*rows: tuple[str, str, int]):
    from pytest_bdd.parser import Step

    return [
        Step(name=name, type=kind, indent=4, line_number=line, keyword=kind.title())
        for kind, name, line in rows
    ]


def test_only_the_page_steps_of_the_failing_checks_block_are_checked():
    """A page step of an earlier block was about an earlier state (the When after it moved the
    cluster on), one of a later block about a state never reached: neither can be checked now."""
    from harness.report.page_expectation import block_of, page_steps

    steps = _steps(
        ("given", "a module", 3),
        ("when", "3 minutes pass", 4),
        ("then", "the row reads Ready", 5),
        ("then", "the page says: the row reads Pending", 6),
        ("when", "15 seconds pass", 7),
        ("then", "the release is Deployed", 8),
        ("then", "the page says: the release is Superseded", 9),
        ("then", "the source lists it", 10),
        ("when", "I approve it", 11),
        ("then", "the page says: it is gone", 12),
    )
    assert [s.name for s in page_steps(block_of(steps, 8))] == ["the release is Superseded"]
    assert [s.name for s in page_steps(block_of(steps, 10))] == ["the release is Superseded"]
    assert [s.name for s in page_steps(block_of(steps, 5))] == ["the row reads Pending"]
    assert block_of(steps, 99) == []


def test_the_failing_then_is_the_first_step_that_did_not_pass_and_only_a_check_of_dkps():
    from harness.report.model import StepResult
    from harness.report.page_expectation import failing_then
    from harness.report.status import Status

    given = StepResult("Given", "given", "a module", 3, Status.PASSED)
    then = StepResult("Then", "then", "the row reads Ready", 5, Status.FAILED)
    assert failing_then(True, [given, then]) is then
    assert failing_then(False, [given, then]) is None  # not a @deviation scenario
    broken = StepResult("When", "when", "3 minutes pass", 4, Status.ERROR)
    assert failing_then(True, [given, broken, then]) is None  # no scene was set
