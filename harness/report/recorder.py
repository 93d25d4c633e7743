"""What happens to one scenario while it runs, in the process that runs it.

pytest-bdd hooks tell us when each step starts and how it ends; pytest's reports tell us how the
setup, call and teardown phases ended. :class:`ScenarioRecorder` keeps both on the pytest item,
and :func:`build_scenario` turns them into a :class:`~harness.report.model.ScenarioResult` at
teardown, the last report of every test. Only that result (as JSON) travels to the controller,
which is what makes the report work under pytest-xdist.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pytest_bdd.parser import ScenarioTemplate, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry

from harness.report.comparisons import check_of_step
from harness.report.evidence import Evidence
from harness.report.model import PARSE_PHASE, ErrorInfo, ScenarioResult, StepResult
from harness.report.page_expectation import PAGE_SAYS, is_page_step
from harness.report.redaction import redact
from harness.report.status import Status, failure_status

__all__ = [
    "PhaseOutcome",
    "ScenarioRecorder",
    "UnreadableFeature",
    "build_scenario",
    "build_unreadable",
    "example_of",
    "mark_unreadable",
    "relative_path",
    "scenario_result",
    "scenario_template",
    "step_function_name",
    "unreadable_feature",
]

# Held in a dict so freezegun (which patches module attributes) cannot freeze step durations.
_REAL_CLOCK: dict[str, Callable[[], float]] = {"perf_counter": time.perf_counter}


@dataclass(frozen=True)
class PhaseOutcome:
    """How one pytest phase (setup, call, teardown) ended."""

    outcome: str
    type: str = ""
    message: str = ""
    traceback: str = ""
    exception_status: Status | None = None
    xfail: str | None = None
    """The reason of the xfail mark pytest applied to this phase (it then calls a failure
    "xfailed" and a pass "xpassed"), else None."""


@dataclass
class ScenarioRecorder:
    """Per-item state; lives in ``item.stash`` from the first hook to the teardown report."""

    evidence: Evidence = field(default_factory=Evidence)
    steps: list[StepResult] = field(default_factory=list)
    phases: dict[str, PhaseOutcome] = field(default_factory=dict)
    duration: float = 0.0
    #: True once a step line matched no step definition (the scenario's fault, not DKP's).
    not_found: bool = False
    #: While the page's expectation of a ``@deviation`` scenario is checked
    #: (:mod:`harness.report.page_expectation`): its steps go to ``page``, not ``steps``.
    checking_page: bool = False
    #: The page's steps as checked, by line (their text as the feature file writes it).
    page: dict[int, StepResult] = field(default_factory=dict)
    #: What that check found (a ``PageExpectation`` value), or None when it did not happen.
    page_outcome: str | None = None
    _started: float = 0.0
    _current: StepResult | None = None

    def step_started(self, step: Step, function: Callable[..., object] | None) -> None:
        self._current = self._add(_step_result(step, Status.SKIPPED, step_function_name(function)))
        self.evidence.current_step_line = step.line_number
        self._started = _REAL_CLOCK["perf_counter"]()

    def step_finished(self, error: BaseException | None = None) -> None:
        current = self._current
        if current is None:
            return
        current.duration = max(0.0, _REAL_CLOCK["perf_counter"]() - self._started)
        current.status = Status.PASSED if error is None else failure_status(error)
        if error is not None:
            current.error = redact(f"{type(error).__name__}: {error}")
        # The step that compared kubectl output judges it: a passing row check matched.
        self.evidence.judge_step(current.line, error is None, check_of_step(current.name))
        self.evidence.current_step_line = None

    def step_not_found(self, step: Step, error: BaseException) -> None:
        self.not_found = not self.checking_page
        result = _step_result(step, Status.ERROR, None)
        result.error = redact(f"no step definition matches this text ({type(error).__name__}: {error})")
        self._add(result)

    def _add(self, result: StepResult) -> StepResult:
        if self.checking_page:
            result.name = f"{PAGE_SAYS}{result.name}"
            self.page[result.line] = result
        else:
            self.steps.append(result)
        return result


def step_function_name(function: Callable[..., object] | None) -> str | None:
    """``module:qualname`` of a step function; how the step catalogue counts usage."""
    if function is None:
        return None
    return f"{getattr(function, '__module__', '?')}:{getattr(function, '__qualname__', '?')}"


def item_claims(item: pytest.Item) -> list[str]:
    """The claim IDs an item's ``@claim:<ID>`` tags name, sorted, each once."""
    return sorted({str(m.args[0]) for m in item.iter_markers("claim") if m.args})


def scenario_template(item: pytest.Item) -> ScenarioTemplate | None:
    """The pytest-bdd scenario behind a test item, or None for a plain pytest test."""
    function = getattr(item, "function", None)
    if function is None:
        return None
    try:
        return scenario_wrapper_template_registry.get(function)
    except TypeError:  # not weak-referenceable: certainly not a scenario
        return None


@dataclass(frozen=True)
class UnreadableFeature:
    """A feature file pytest-bdd could not parse, as the binding found it.

    The binding turns such a file into one failing test; without this note on the test the report
    would not know the test stands for a file, and a run with a broken file would report green.
    """

    path: str
    """The file's absolute path."""
    line: int | None
    """The line the parser stopped at, when it says."""
    message: str
    """What the test prints: ``file:line: not a valid feature file: …`` and the offending line."""
    error_type: str
    """The parser's exception class, e.g. ``GherkinParseError``."""


_UNREADABLE_ATTRIBUTE = "dkp_unreadable_feature"
_Function = TypeVar("_Function", bound=Callable[..., object])


def mark_unreadable(function: _Function, problem: UnreadableFeature) -> _Function:
    """Note on the test standing for an unreadable feature file which file it stands for."""
    setattr(function, _UNREADABLE_ATTRIBUTE, problem)
    return function


def unreadable_feature(item: pytest.Item) -> UnreadableFeature | None:
    """The unreadable feature file a test item stands for, or None for any other test."""
    found = getattr(getattr(item, "function", None), _UNREADABLE_ATTRIBUTE, None)
    return found if isinstance(found, UnreadableFeature) else None


def build_unreadable(item: pytest.Item, problem: UnreadableFeature, duration: float) -> ScenarioResult:
    """The report entry of an unreadable feature file: one entry that could not be checked.

    Its error's phase is :data:`~harness.report.model.PARSE_PHASE`, which the renderers and the
    "needs attention" list recognise; none of the file's scenarios ran, and the entry says so.
    """
    uri = relative_path(problem.path, item.config.rootpath)
    where = f"{uri}:{problem.line}" if problem.line else uri
    return ScenarioResult(
        nodeid=item.nodeid,
        name=f"{where}: not a valid feature file",
        feature_name=uri,
        feature_uri=uri,
        line=problem.line or 1,
        status=Status.ERROR,
        duration=duration,
        error=ErrorInfo(phase=PARSE_PHASE, type=problem.error_type, message=redact(problem.message)),
        description="The file is not valid Gherkin, so none of its scenarios ran.",
    )


def build_scenario(
    item: pytest.Item, template: ScenarioTemplate, recorder: ScenarioRecorder
) -> ScenarioResult:
    """The finished scenario: its steps merged with what ran, its status and its error."""
    return scenario_result(
        item.nodeid,
        template,
        example_of(item),
        item.config.rootpath,
        recorder,
        claims=item_claims(item),
        deviation=item.get_closest_marker("deviation") is not None,
    )


def scenario_result(
    nodeid: str,
    template: ScenarioTemplate,
    example: dict[str, Any],
    rootpath: Path,
    recorder: ScenarioRecorder,
    *,
    claims: list[str],
    deviation: bool,
) -> ScenarioResult:
    """A scenario's result from its template and what the recorder saw (nothing: not reached).

    The controller of an xdist run builds one from a node id alone (:mod:`harness.report.node_scenarios`),
    without the pytest item; it then reads the claims and ``@deviation`` from the tags.
    """
    rendered = template.render(example)
    feature = template.feature
    steps = _merge_steps(rendered.steps, recorder.steps, recorder.page)
    status, error = scenario_outcome(recorder.phases, steps, deviation)
    skip_reason = _skip_reason(recorder.phases) if status is Status.SKIPPED else None
    rule_tags = template.rule.tags if template.rule else set()
    return ScenarioResult(
        nodeid=nodeid,
        name=rendered.name,
        feature_name=feature.name,
        feature_uri=relative_path(feature.filename, rootpath),
        line=template.line_number,
        status=status,
        tags=sorted(template.tags | feature.tags | rule_tags),
        claims=claims,
        deviation=deviation,
        duration=recorder.duration,
        steps=steps,
        error=error,
        evidence=recorder.evidence,
        description=template.description or "",
        example={str(k): str(v) for k, v in example.items()},
        feature_line=feature.line_number,
        feature_description=feature.description or "",
        feature_tags=sorted(feature.tags),
        skip_reason=skip_reason,
        page_expectation=recorder.page_outcome,
        xfail=next((p.xfail for p in recorder.phases.values() if p.xfail is not None), None),
    )


def _skip_reason(phases: dict[str, PhaseOutcome]) -> str | None:
    """Why the scenario was skipped (``pytest.skip`` text without pytest's ``Skipped:`` prefix)."""
    for phase in ("setup", "call"):
        outcome = phases.get(phase)
        if outcome is not None and outcome.outcome == "skipped":
            return redact(_strip_skip_prefix(outcome.message)) or None
    return None


def _strip_skip_prefix(message: str) -> str:
    text = message.strip()
    for prefix in ("Skipped: ", "Skipped:"):
        text = text.removeprefix(prefix)
    return text.strip()


def scenario_outcome(
    phases: dict[str, PhaseOutcome], steps: list[StepResult], deviation: bool
) -> tuple[Status, ErrorInfo | None]:
    """Status and error of a scenario from its phases and steps (rules in ``harness.report.status``)."""
    status, error = _main_outcome(phases, steps)
    teardown = phases.get("teardown")
    if teardown and teardown.outcome == "failed" and status in (Status.PASSED, Status.SKIPPED):
        status, error = Status.ERROR, _error("teardown", teardown)
    if status is Status.PASSED and deviation:
        status = Status.DEVIATION
    return status, error


def _main_outcome(
    phases: dict[str, PhaseOutcome], steps: list[StepResult]
) -> tuple[Status, ErrorInfo | None]:
    setup, call = phases.get("setup"), phases.get("call")
    if setup is None or setup.outcome == "failed":
        return Status.ERROR, _error("setup", setup or PhaseOutcome("failed", message="setup never ran"))
    if setup.outcome == "skipped" or call is None or call.outcome == "skipped":
        return Status.SKIPPED, None
    if call.outcome == "passed":
        return Status.PASSED, None
    failing = next((s for s in steps if s.status in (Status.FAILED, Status.ERROR)), None)
    if failing is not None:
        return failing.status, _error("call", call, failing.line)
    return call.exception_status or Status.ERROR, _error("call", call)


def _error(phase: str, outcome: PhaseOutcome, step_line: int | None = None) -> ErrorInfo:
    return ErrorInfo(
        phase=phase,
        type=outcome.type,
        message=redact(outcome.message),
        traceback=redact(outcome.traceback),
        step_line=step_line,
    )


def _merge_steps(
    planned: list[Step], ran: list[StepResult], page: dict[int, StepResult] | None = None
) -> list[StepResult]:
    """Every step of the scenario, in order; the ones never reached stay ``skipped``.

    The page's expectation of a ``@deviation`` scenario (``the page says:`` steps) is not among the
    steps pytest-bdd runs: it is shown as checked after DKP's expectation was not met (``page``,
    by line), or skipped (not checked).
    """
    checked, ran_in_order = page or {}, iter(ran)
    merged = []
    for step in planned:
        found = checked.get(step.line_number) if is_page_step(step.name) else next(ran_in_order, None)
        merged.append(found or _step_result(step, Status.SKIPPED, None))
    return merged


def _step_result(step: Step, status: Status, function: str | None) -> StepResult:
    return StepResult(
        keyword=step.keyword.strip(),
        type=step.type,
        name=redact(step.name),
        line=step.line_number,
        status=status,
        docstring=None if step.docstring is None else redact(step.docstring),
        datatable=None
        if step.datatable is None
        else [[redact(str(c)) for c in r] for r in step.datatable.raw()],
        function=function,
    )


def example_of(item: pytest.Item) -> dict[str, Any]:
    callspec = getattr(item, "callspec", None)
    params = getattr(callspec, "params", {}) if callspec is not None else {}
    example = params.get("_pytest_bdd_example", {})
    return example if isinstance(example, dict) else {}


def relative_path(filename: str, root: Path) -> str:
    try:
        return Path(os.path.relpath(filename, root)).as_posix()
    except ValueError:
        return Path(filename).as_posix()
