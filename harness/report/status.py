"""Result statuses and the rules that combine them.

The report is only trustworthy if it keeps apart "DKP broke a documented rule" (``failed``) and
"the harness itself broke, so we learned nothing" (``error``), and if a scenario that confirms a
known page-vs-DKP difference is shown as a ``deviation`` instead of a green pass or a red CI.

- A step or scenario is one of passed, failed, error, skipped, deviation.
- A feature and the run take the worst status of their scenarios (:func:`worst`).
- A documented claim is, in this order: failed if any of its scenarios failed or errored;
  deviation if one of its passing scenarios is a deviation; passed if any passed; skipped if all
  were skipped; uncovered if no scenario checks it (:func:`claim_status`).
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


# Worst first; a parent shows the first of these that any child has.
_SEVERITY = (Status.FAILED, Status.ERROR, Status.DEVIATION, Status.PASSED, Status.SKIPPED, Status.UNCOVERED)

#: Display order of the status counts for scenarios and for claims.
SCENARIO_ORDER = (Status.FAILED, Status.ERROR, Status.DEVIATION, Status.PASSED, Status.SKIPPED)
CLAIM_ORDER = (Status.FAILED, Status.DEVIATION, Status.PASSED, Status.SKIPPED, Status.UNCOVERED)


def worst(statuses: Iterable[Status], empty: Status = Status.SKIPPED) -> Status:
    """The worst of ``statuses`` (failed > error > deviation > passed > skipped), or ``empty``.

    ``failed`` ranks above ``error`` because a definite broken rule is the headline; the error
    count is shown next to it, so errors are never hidden.
    """
    present = set(statuses)
    return next((s for s in _SEVERITY if s in present), empty)


def claim_status(scenario_statuses: Iterable[Status]) -> Status:
    """Whether a documented claim holds, from the statuses of the scenarios that check it."""
    present = set(scenario_statuses)
    if present & {Status.FAILED, Status.ERROR}:
        return Status.FAILED
    for status in (Status.DEVIATION, Status.PASSED, Status.SKIPPED):
        if status in present:
            return status
    return Status.UNCOVERED


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
