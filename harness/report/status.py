"""Result statuses and the rules that combine them.

The report is only trustworthy if it keeps apart "DKP broke a documented rule" (``failed``) and
"the harness itself broke, so we learned nothing" (``error``), and if a scenario that confirms a
known page-vs-DKP difference is shown as a ``deviation`` instead of a green pass or a red CI.

- A step or scenario is one of passed, failed, error, skipped, deviation.
- A feature and the run take the worst status of their scenarios (:func:`worst`).
- A documented claim is, in this order: failed if any of its scenarios failed; error (could not
  be checked) if one errored; deviation if one of its passing scenarios is a deviation *and* the
  catalogue gives the claim a deviation reason; passed if any passed; skipped if all were
  skipped; uncovered if no scenario checks it, or unselected when a filtered run left out every
  scenario that would (:func:`claim_status`).

A failure means an expectation of the scenario was not met. Whether DKP or the scenario is wrong
is for the reader: the report shows the step, the expectation and what was found, never a verdict
on who is at fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import pytest

__all__ = ["CLAIM_ORDER", "SCENARIO_ORDER", "Status", "claim_status", "failure_status", "worst"]


class Status(StrEnum):
    """Outcome of a step, scenario, feature, run or claim."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"
    DEVIATION = "deviation"
    UNCOVERED = "uncovered"
    UNSELECTED = "unselected"
    NOT_APPLICABLE = "not_applicable"
    """A claim about other Deckhouse versions than the one the run checked (``since``/``before``)."""


# Worst first; a parent shows the first of these that any child has.
_SEVERITY = (
    Status.FAILED,
    Status.ERROR,
    Status.DEVIATION,
    Status.PASSED,
    Status.SKIPPED,
    Status.UNCOVERED,
    Status.UNSELECTED,
    Status.NOT_APPLICABLE,
)

#: Display order of the status counts for scenarios and for claims.
SCENARIO_ORDER = (Status.FAILED, Status.ERROR, Status.DEVIATION, Status.PASSED, Status.SKIPPED)
CLAIM_ORDER = (
    Status.FAILED,
    Status.ERROR,
    Status.DEVIATION,
    Status.PASSED,
    Status.SKIPPED,
    Status.UNCOVERED,
    Status.UNSELECTED,
    Status.NOT_APPLICABLE,
)


def worst(statuses: Iterable[Status], empty: Status = Status.SKIPPED) -> Status:
    """The worst of ``statuses`` (failed > error > deviation > passed > skipped), or ``empty``.

    ``failed`` ranks above ``error`` because a definite broken rule is the headline; the error
    count is shown next to it, so errors are never hidden.
    """
    present = set(statuses)
    return next((s for s in _SEVERITY if s in present), empty)


def claim_status(
    scenario_statuses: Iterable[Status],
    *,
    has_deviation_reason: bool = True,
    selected: bool = True,
    applicable: bool = True,
) -> Status:
    """Whether a documented claim holds, from the statuses of the scenarios that check it.

    A passing ``@deviation`` scenario makes the claim a deviation only when the catalogue says why
    the page and DKP differ for that claim (``has_deviation_reason``); otherwise the scenario just
    shows that the claim holds. ``selected`` is False for a claim none of whose scenarios a
    filtered run selected: it is not "uncovered", it was not asked about. ``applicable`` is False
    for a claim about other Deckhouse versions than the run's: unless a scenario still ran and
    judged it, it is "not applicable", neither uncovered nor skipped.
    """
    present = set(scenario_statuses)
    if not applicable and present <= {Status.SKIPPED}:
        return Status.NOT_APPLICABLE
    if Status.FAILED in present:
        return Status.FAILED
    if Status.ERROR in present:
        return Status.ERROR
    if Status.DEVIATION in present:
        return Status.DEVIATION if has_deviation_reason else Status.PASSED
    for status in (Status.PASSED, Status.SKIPPED):
        if status in present:
            return status
    return Status.UNCOVERED if selected else Status.UNSELECTED


def failure_status(exception: BaseException) -> Status:
    """Classify an exception raised by a step.

    Assertions (``assert``, ``pytest.fail``) mean DKP did not do what a step expected:
    ``failed``. Anything else (a ``KeyError``, a refused connection, a missing step
    definition) means the harness could not carry out the step: ``error``. A step library can
    mark its own exception type as a conformance failure with ``conformance_failure = True``.
    """
    if isinstance(exception, AssertionError) or getattr(exception, "conformance_failure", False):
        return Status.FAILED
    if isinstance(exception, pytest.fail.Exception):
        return Status.FAILED
    return Status.ERROR
