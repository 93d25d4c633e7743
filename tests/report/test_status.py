from __future__ import annotations

import pytest

from harness.report.model import StepResult
from harness.report.recorder import PhaseOutcome, scenario_outcome
from harness.report.status import Status, claim_status, failure_status, worst

P, F, E, S, D, U = (
    Status.PASSED,
    Status.FAILED,
    Status.ERROR,
    Status.SKIPPED,
    Status.DEVIATION,
    Status.UNCOVERED,
)


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        ([], S),
        ([P], P),
        ([P, S], P),
        ([S, S], S),
        ([P, D], D),
        ([D, E], E),
        ([E, F, P], F),
        ([F, S], F),
    ],
)
def test_a_parent_takes_the_worst_status_of_its_children(children, expected):
    assert worst(children) is expected


@pytest.mark.parametrize(
    ("scenarios", "expected"),
    [
        ([], U),
        ([S], S),
        ([S, S], S),
        ([P], P),
        ([P, S], P),
        ([D], D),
        ([P, D], D),
        ([P, F], F),
        ([D, E], E),
        ([E], E),
        ([S, E], E),
        ([E, F], F),
    ],
)
def test_a_claim_fails_on_any_failure_else_error_deviation_passed_skipped_or_uncovered(scenarios, expected):
    assert claim_status(scenarios) is expected


def test_a_deviation_scenario_makes_a_claim_a_deviation_only_when_the_catalogue_gives_a_reason():
    assert claim_status([D], has_deviation_reason=True) is D
    assert claim_status([D], has_deviation_reason=False) is P
    assert claim_status([P, D], has_deviation_reason=False) is P
    assert claim_status([D, F], has_deviation_reason=False) is F


def test_a_claim_no_selected_scenario_checks_is_unselected_not_uncovered():
    assert claim_status([], selected=False) is Status.UNSELECTED
    assert claim_status([], selected=True) is U


def test_assertions_are_conformance_failures_and_other_exceptions_harness_errors():
    assert failure_status(AssertionError("phase is Installing")) is F
    assert failure_status(pytest.fail.Exception("explicit")) is F
    assert failure_status(KeyError("x")) is E
    assert failure_status(ConnectionRefusedError()) is E


def test_a_step_library_can_mark_its_own_exception_as_a_conformance_failure():
    class PhaseMismatch(Exception):
        conformance_failure = True

    assert failure_status(PhaseMismatch()) is F


def _steps(*statuses: Status) -> list[StepResult]:
    return [StepResult("Given", "given", f"step {i}", i, s) for i, s in enumerate(statuses)]


PASSED = PhaseOutcome("passed")


@pytest.mark.parametrize(
    ("phases", "steps", "deviation", "expected", "error_phase"),
    [
        ({"setup": PASSED, "call": PASSED, "teardown": PASSED}, _steps(P, P), False, P, None),
        ({"setup": PASSED, "call": PASSED, "teardown": PASSED}, _steps(P, P), True, D, None),
        (
            {"setup": PASSED, "call": PhaseOutcome("failed"), "teardown": PASSED},
            _steps(P, F),
            False,
            F,
            "call",
        ),
        (
            {"setup": PASSED, "call": PhaseOutcome("failed"), "teardown": PASSED},
            _steps(P, F),
            True,
            F,
            "call",
        ),
        (
            {"setup": PASSED, "call": PhaseOutcome("failed"), "teardown": PASSED},
            _steps(E, S),
            False,
            E,
            "call",
        ),
        ({"setup": PhaseOutcome("failed", "RuntimeError"), "teardown": PASSED}, _steps(S), False, E, "setup"),
        ({"setup": PhaseOutcome("skipped"), "teardown": PASSED}, _steps(S), False, S, None),
        (
            {"setup": PASSED, "call": PhaseOutcome("skipped"), "teardown": PASSED},
            _steps(P, S),
            False,
            S,
            None,
        ),
        (
            {"setup": PASSED, "call": PASSED, "teardown": PhaseOutcome("failed")},
            _steps(P),
            False,
            E,
            "teardown",
        ),
        (
            {"setup": PASSED, "call": PhaseOutcome("failed", exception_status=F), "teardown": PASSED},
            _steps(P),
            False,
            F,
            "call",
        ),
    ],
)
def test_scenario_outcome_follows_phases_steps_and_the_deviation_tag(
    phases, steps, deviation, expected, error_phase
):
    status, error = scenario_outcome(phases, steps, deviation)
    assert status is expected
    assert (error.phase if error else None) == error_phase
