"""The page's expectation in a ``@deviation`` scenario: checked when DKP's known behaviour is not.

A ``@deviation`` scenario checks what DKP does where the page says otherwise. When it fails, DKP no
longer does what the claims catalogue records: it may now do what the page says (the deviation is
fixed), or a third thing. The report could not tell the two apart, since nothing said what the page
expects. A scenario may say it in its own steps: a Then step (usually ``But``) written

    But the page says: the row of "example" reads:
      | MSG | Ready |

holds the page's expectation as an ordinary step text (its table or docstring included). pytest-bdd
does not run it with the scenario's steps (the report plugin takes it out first), so while DKP's
known behaviour holds it is not checked, and shown as skipped. When a Then step of DKP's
expectation is not met, the report plugin checks each such step in the scenario's state, with
the definition its text matches: all met means DKP now matches the page; one not met means
neither DKP's known behaviour nor the page's was observed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Protocol

import pytest
from pytest_bdd.parser import Scenario, Step
from pytest_bdd.scenario import _execute_step_function, get_step_function

from harness.report.model import StepResult
from harness.report.status import Status, failure_status


class PageRecorder(Protocol):
    """What the check needs of :class:`harness.report.recorder.ScenarioRecorder` (which imports
    this module to know the page's steps, so it is not imported back)."""

    checking_page: bool
    page_outcome: str | None

    def step_not_found(self, step: Step, error: BaseException) -> None: ...


__all__ = [
    "PAGE_SAYS",
    "PageExpectation",
    "PageRecorder",
    "block_of",
    "check_page_expectation",
    "failing_then",
    "is_page_step",
    "misplaced_page_steps",
    "page_steps",
]

PAGE_SAYS = "the page says: "
"""How a step that holds the page's expectation starts; the rest is an ordinary step text."""


class PageExpectation(StrEnum):
    """What the check of the page's expectation found (``ScenarioResult.page_expectation``)."""

    MET = "met"
    """Every step of the page's expectation passed: DKP now matches the page."""
    NOT_MET = "not_met"
    """A step of it was not met: DKP does neither what the catalogue records nor what the page says."""
    ERROR = "error"
    """A step of it could not be carried out (no definition matches it, a harness error)."""


def is_page_step(text: str) -> bool:
    """Whether a step text holds the page's expectation."""
    return text.startswith(PAGE_SAYS)


def page_steps(steps: Iterable[Step]) -> list[Step]:
    """The steps holding the page's expectation, as the steps they hold (same line, table, docstring)."""
    return [
        Step(
            name=step.name[len(PAGE_SAYS) :],
            type=step.type,
            indent=step.indent,
            line_number=step.line_number,
            keyword=step.keyword,
            datatable=step.datatable,
            docstring=step.docstring,
        )
        for step in steps
        if is_page_step(step.name)
    ]


def misplaced_page_steps(deviation: bool, steps: Iterable[Step]) -> str | None:
    """Why ``the page says:`` steps of a scenario mean nothing, or None when they do.

    They are checked only when DKP's expectation of a ``@deviation`` scenario is not met; in any
    other scenario they are never checked, and a reader would take them for checks. The run makes
    such a scenario (only) error at setup and ``dkp-harness steps --lint`` reports it, alike.
    In a ``@deviation`` scenario they must be Then steps: a Given or When one would be run as
    one, changing the cluster while the page's expectation is checked.
    """
    steps = list(steps)
    lines = [step.line_number for step in steps if is_page_step(step.name)]
    if not lines:
        return None
    if not deviation:
        return (
            f"{_page_lines(lines)} are checked only in a @deviation scenario, when DKP's recorded "
            "behaviour is not observed; tag the scenario @deviation, or make them ordinary Then steps"
        )
    acting = [step.line_number for step in steps if is_page_step(step.name) and step.type != "then"]
    if acting:
        return (
            f"{_page_lines(acting)} are written as Given or When steps: the page's expectation is "
            "checked in the state the scenario reached, never acted on; start them with Then (or "
            "But or And after a Then step)"
        )
    return None


def _page_lines(lines: list[int]) -> str:
    return f"'{PAGE_SAYS.strip()}' steps (line {', '.join(map(str, lines))})"


def failing_then(deviation: bool, steps: Iterable[StepResult]) -> StepResult | None:
    """The Then step of DKP's expectation that was not met, in a ``@deviation`` scenario whose first
    step that did not pass is one; None otherwise (a Given or When that failed, or an error, set no
    scene for the page's expectation)."""
    failing = next((s for s in steps if s.status in (Status.FAILED, Status.ERROR)), None)
    if (
        deviation
        and failing is not None
        and failing.status is Status.FAILED
        and failing.type == "then"
        and not is_page_step(failing.name)
    ):
        return failing
    return None


def block_of(steps: Sequence[Step], line: int) -> list[Step]:
    """The run of Then steps (``And``/``But`` included) around the step on ``line``: the checks of one
    state of the cluster. A page step of an earlier block was about an earlier state, one of a later
    block about a state the scenario never reached; neither can be checked now."""
    index = next((i for i, step in enumerate(steps) if step.line_number == line), None)
    if index is None:
        return []
    start = index
    while start > 0 and steps[start - 1].type == "then":
        start -= 1
    end = index
    while end + 1 < len(steps) and steps[end + 1].type == "then":
        end += 1
    return list(steps[start : end + 1])


def check_page_expectation(
    request: pytest.FixtureRequest, scenario: Scenario, recorder: PageRecorder, failing_line: int
) -> None:
    """Run the page's steps of the failing Then step's block (:func:`block_of`) in the scenario's
    state, through pytest-bdd's own step runner (so every plugin's step hooks see them); the
    recorder keeps their results apart from DKP's steps. Without page steps in that block nothing
    is checked, and the report says the deviation was not observed, as without any."""
    steps = page_steps(block_of(scenario.steps, failing_line))
    if not steps:
        return
    recorder.checking_page = True
    try:
        recorder.page_outcome = _run(request, scenario, steps, recorder)
    finally:
        recorder.checking_page = False


def _run(
    request: pytest.FixtureRequest, scenario: Scenario, steps: list[Step], recorder: PageRecorder
) -> PageExpectation | None:
    for step in steps:
        context = get_step_function(request=request, step=step)
        if context is None:
            recorder.step_not_found(step, LookupError(f"no step definition matches: {step.name}"))
            return PageExpectation.ERROR
        try:
            _execute_step_function(request, scenario, step, context)
        except pytest.skip.Exception:
            return None  # not checked (a step that needs virtual time on a real cluster, say)
        except (Exception, pytest.fail.Exception) as exc:  # noqa: BLE001 - the step's outcome, recorded by its hook
            met_not = failure_status(exc) is Status.FAILED
            return PageExpectation.NOT_MET if met_not else PageExpectation.ERROR
    return PageExpectation.MET
