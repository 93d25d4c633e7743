"""Cucumber JSON, the legacy format that cucumber-html-reporter and CI plugins read.

A list of features, each with ``elements`` (scenarios) and their ``steps``; durations in
nanoseconds; tags with their ``@``. An error counts as ``failed`` here (the format has no
harness-error status); the error message says which it was.
"""

from __future__ import annotations

import json
import math
from typing import Any

from harness.report.model import FeatureResult, Run, ScenarioResult, StepResult
from harness.report.page_expectation import is_page_step
from harness.report.status import Status

__all__ = ["render_cucumber"]

_STEP_STATUS = {
    Status.PASSED: "passed",
    Status.FAILED: "failed",
    Status.ERROR: "failed",
    Status.SKIPPED: "skipped",
    Status.DEVIATION: "passed",
}


def render_cucumber(run: Run) -> str:
    metadata = run_metadata(run)
    return json.dumps([_feature(f, metadata) for f in run.features], indent=2, ensure_ascii=False) + "\n"


def run_metadata(run: Run) -> dict[str, str]:
    """What the run checked and how it was selected, as JUnit's properties say it.

    The format has no run-level object, so every feature carries it under ``metadata`` (a key
    Cucumber HTML reporters show and others ignore): a verdict read from this file alone must not
    pass for another cluster's, another Deckhouse version's or a whole run's.
    """
    data = {f"target.{key}": value for key, value in sorted(run.target.items())}
    data["partial"] = "true" if run.partial else "false"
    for key, value in sorted(run.selection.items()):
        data[f"selection.{key}"] = (
            ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        )
    return data


def _feature(feature: FeatureResult, metadata: dict[str, str]) -> dict[str, Any]:
    return {
        "metadata": metadata,
        "uri": feature.uri,
        "id": _slug(feature.name or feature.uri),
        "keyword": "Feature",
        "name": feature.name,
        "description": feature.description,
        "line": feature.line,
        "tags": _tags(feature.tags, feature.line - 1),
        "elements": [_scenario(feature, s) for s in feature.scenarios],
    }


def _scenario(feature: FeatureResult, scenario: ScenarioResult) -> dict[str, Any]:
    element: dict[str, Any] = {
        "id": f"{_slug(feature.name or feature.uri)};{_slug(scenario.name)}",
        "keyword": "Scenario",
        "type": "scenario",
        "name": scenario.name,
        "description": scenario.description,
        "line": scenario.line,
        "tags": _tags(scenario.tags, scenario.line - 1),
        "steps": [_step(scenario, s) for s in scenario.steps if not _unchecked_page_step(s)],
    }
    hook = _failed_hook(scenario)
    if hook is not None:
        element["after" if scenario.error and scenario.error.phase == "teardown" else "before"] = [hook]
    return element


def _unchecked_page_step(step: StepResult) -> bool:
    """The page's expectation of a ``@deviation`` scenario that was not checked (DKP's held): not
    a step that ran. Readers of the format call a scenario with a skipped step skipped, so a
    known deviation that passed read as skipped; the other reports show the step as skipped."""
    return is_page_step(step.name) and step.status is Status.SKIPPED


def _failed_hook(scenario: ScenarioResult) -> dict[str, Any] | None:
    """A scenario that stopped outside its steps, as the failed hook the format has for that.

    Readers of the format derive a scenario's status from its steps and hooks only: a setup error
    (an unknown claim ID), a teardown error or a feature file that is not valid Gherkin (no steps
    at all) would otherwise read as skipped or passed.
    """
    error = scenario.error
    if error is None or scenario.status not in (Status.FAILED, Status.ERROR) or scenario.failing_step:
        return None
    kind = "harness error" if scenario.status is Status.ERROR else "conformance failure"
    detail = f"{error.message}\n{error.traceback}" if error.traceback else error.message
    return {
        "match": {"location": f"{error.phase} phase"},
        "result": {"status": "failed", "duration": 0, "error_message": f"[{kind}] {detail}".rstrip()},
    }


def _step(scenario: ScenarioResult, step: StepResult) -> dict[str, Any]:
    result: dict[str, Any] = {
        "status": _STEP_STATUS[step.status],
        "duration": math.floor(step.duration * 1e9),
    }
    if step.status in (Status.FAILED, Status.ERROR):
        kind = "harness error" if step.status is Status.ERROR else "conformance failure"
        detail = scenario.error.traceback if scenario.error and scenario.error.traceback else step.error
        result["error_message"] = f"[{kind}] {step.error or ''}\n{detail or ''}".rstrip()
    data: dict[str, Any] = {
        "keyword": f"{step.keyword} ",
        "name": step.name,
        "line": step.line,
        "match": {"location": step.function or ""},
        "result": result,
    }
    if step.docstring is not None:
        data["doc_string"] = {"value": step.docstring, "line": step.line + 1, "content_type": ""}
    if step.datatable:
        data["rows"] = [{"cells": row} for row in step.datatable]
    return data


def _tags(tags: list[str], line: int) -> list[dict[str, Any]]:
    return [{"name": f"@{t}", "line": max(line, 1)} for t in tags]


def _slug(text: str) -> str:
    return "-".join(text.lower().split())
