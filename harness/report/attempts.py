"""A scenario that ran more than once in one session: a rerun, or the same node id given twice.

A rerun plugin (pytest-rerunfailures' ``--reruns``) runs a failed scenario again, and
``--keep-duplicates`` runs a node id as often as it is given. Each run ends with its own result;
the controller kept the last, so a scenario that failed and then passed read "passed", with the
claim it checks held. The report keeps the worst of the runs and says how each ended.
"""

from __future__ import annotations

from dataclasses import replace

from harness.report.model import ScenarioResult
from harness.report.status import worst

__all__ = ["merged_attempts"]


def merged_attempts(earlier: ScenarioResult, later: ScenarioResult) -> ScenarioResult:
    """The worse of two runs of one scenario (the earlier on a tie), listing every run's status."""
    attempts = [*(earlier.attempts or [earlier.status.value]), later.status.value]
    kept = earlier if worst([earlier.status, later.status]) is earlier.status else later
    return replace(kept, attempts=attempts, duration=earlier.duration + later.duration)
