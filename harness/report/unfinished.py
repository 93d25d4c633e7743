"""Scenarios a run selected but never finished: stopped early, or lost with a crashed worker.

The report is built from the scenarios that finished (each sends its result with its teardown
report). A scenario that never got there left no trace: after ``-x``/``--maxfail`` the rest of the
selection did not run, and a scenario whose pytest-xdist worker crashed (``os._exit``, a
segfault, the OOM killer) ends in one failed report from xdist with no result attached. Both
vanished from the report, which then read as a whole run: their claims "uncovered" (no scenario
checks them) or "holds" on the account of the scenarios that did run, and the crash went unseen.

So every process notes the scenarios it collected (after deselection) as skeletons, with their
claims and steps; an xdist worker ships them to the controller in ``config.workeroutput``. At the
end, a selected scenario with no result is added: **could not check** when its worker crashed,
**skipped** ("not run: …") when the run stopped before it; and the run is partial.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from harness.report.model import ErrorInfo, ScenarioResult
from harness.report.recorder import ScenarioRecorder, build_scenario, scenario_template
from harness.report.redaction import redact, redact_value
from harness.report.status import Status

__all__ = [
    "CRASH_PHASE",
    "EXPECTED_KEY",
    "NOT_RUN",
    "crash_of",
    "skeletons",
    "skeletons_from",
    "unfinished",
]

#: The ``config.workeroutput`` key under which an xdist worker ships its collected scenarios.
EXPECTED_KEY = "harness.report.expected"
#: The ``ErrorInfo.phase`` of a scenario whose worker process crashed while running it.
CRASH_PHASE = "crash"
#: How the skip reason of a scenario the run stopped before starts.
NOT_RUN = "not run:"
_XDIST_CRASH_PHASE = "???"
"""The ``when`` of the report pytest-xdist makes for the item a crashed worker was running."""


def skeletons(items: Iterable[pytest.Item]) -> dict[str, dict[str, Any]]:
    """The collected scenarios as redacted result dicts (every step not reached), by node id."""
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        template = scenario_template(item)
        if template is not None:
            result = build_scenario(item, template, ScenarioRecorder())
            found[item.nodeid] = redact_value(result.to_dict())
    return found


def skeletons_from(workeroutput: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The skeletons an xdist worker shipped (nothing when it crashed before its end)."""
    raw = (workeroutput or {}).get(EXPECTED_KEY)
    if not isinstance(raw, str):
        return {}
    data = json.loads(raw)
    return data if isinstance(data, dict) else {}


def crash_of(report: pytest.TestReport) -> str | None:
    """xdist's message for the item its worker was running when it crashed, or None."""
    if report.when != _XDIST_CRASH_PHASE or not report.failed:
        return None
    return redact(str(report.longrepr or "the worker crashed"))


def unfinished(
    expected: Mapping[str, dict[str, Any]],
    finished: Mapping[str, ScenarioResult],
    crashes: Mapping[str, str],
    stop_reason: str,
) -> list[ScenarioResult]:
    """The selected scenarios with no result: crashed ones could not be checked, the rest did not run."""
    results = []
    for nodeid in sorted(set(expected) | set(crashes)):
        if nodeid in finished:
            continue
        skeleton = expected.get(nodeid)
        scenario = ScenarioResult.from_dict(skeleton) if skeleton else _bare(nodeid)
        if nodeid in crashes:
            scenario.status, scenario.skip_reason = Status.ERROR, None
            scenario.error = ErrorInfo(
                phase=CRASH_PHASE,
                type="WorkerCrashed",
                message=f"{crashes[nodeid]}: the process running the scenario died, so nothing was "
                "learnt from it (a crash of the harness or of a tool it ran, or the machine's memory)",
            )
        else:
            scenario.status, scenario.error = Status.SKIPPED, None
            scenario.skip_reason = f"{NOT_RUN} {stop_reason}"
        results.append(scenario)
    return sorted(results, key=lambda s: (s.feature_uri, s.line, s.nodeid))


def _bare(nodeid: str) -> ScenarioResult:
    """A scenario known only by its node id (its worker crashed before any skeleton arrived)."""
    path = nodeid.split("::", 1)[0]
    return ScenarioResult(
        nodeid=nodeid,
        name=nodeid.split("::")[-1],
        feature_name=path,
        feature_uri=path,
        line=1,
        status=Status.ERROR,
    )
