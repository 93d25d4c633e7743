"""The pytest plugin that turns a conformance run into the report files.

Load it with ``-p harness.report.plugin`` or ``pytest_plugins = ["harness.report.plugin"]``.

Options: ``--conformance-report DIR`` writes ``conformance.html``, ``conformance.json``,
``junit.xml`` and ``cucumber.json`` there; ``--claims FILE`` (default ``fixtures/claims.yaml``
under the rootdir); ``--conformance-progress`` prints one line per finished scenario;
``--docs-base-url`` is where relative page URLs of the catalogue are published.

Data path, the same with and without pytest-xdist: the process that runs a scenario records its
steps (pytest-bdd hooks) and evidence (the ``conformance_evidence`` fixture) on the item, builds
the redacted :class:`~harness.report.model.ScenarioResult` when the teardown report is made and
attaches it, as JSON, to that report's ``user_properties``. The controller reads it back in
``pytest_runtest_logreport`` and writes the files once, at session end.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Generator, Iterable
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from harness.report.claims import DEFAULT_DOCS_BASE, CatalogueError, load_catalogue
from harness.report.evidence import Evidence
from harness.report.model import StepCatalogueEntry
from harness.report.recorder import (
    PhaseOutcome,
    ScenarioRecorder,
    build_scenario,
    scenario_template,
)
from harness.report.redaction import redact, redact_value
from harness.report.status import failure_status
from harness.report.tags import apply_tag, claim_tag_problems, register_markers
from harness.report.xdist_controller import PAYLOAD_KEY, STATE, STEP_CATALOGUE, Controller, SessionState

__all__ = ["PAYLOAD_KEY", "evidence_for", "set_step_catalogue"]

_RECORDER = pytest.StashKey[ScenarioRecorder]()


def set_step_catalogue(config: pytest.Config, entries: Iterable[StepCatalogueEntry | dict[str, Any]]) -> None:
    """Hand the step library's catalogue to the report (call it from ``pytest_configure``).

    Entries are :class:`StepCatalogueEntry` or dicts with the same keys (pattern, kind, doc,
    example, used_by, function). Without a call the report says "not provided".
    """
    config.stash[STEP_CATALOGUE] = [_catalogue_entry(e) for e in entries]


def _catalogue_entry(entry: StepCatalogueEntry | dict[str, Any]) -> StepCatalogueEntry:
    if isinstance(entry, StepCatalogueEntry):
        return entry
    try:
        return StepCatalogueEntry(**entry)
    except TypeError as exc:
        raise TypeError(
            f"step catalogue entry {entry!r} is not valid ({exc}); "
            "use the keys pattern, kind, doc, example, used_by, function"
        ) from None


def evidence_for(item: pytest.Item) -> Evidence:
    """The evidence recorder of a running scenario, for code that has the item but no fixture."""
    return _recorder(item).evidence


@pytest.fixture
def conformance_evidence(request: pytest.FixtureRequest) -> Evidence:
    """Where steps record timelines, kubectl outputs, diffs, objects, notes and logs."""
    return evidence_for(request.node)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "DKP conformance report")
    group.addoption(
        "--conformance-report",
        metavar="DIR",
        default=None,
        help="write conformance.html, conformance.json, junit.xml and cucumber.json to DIR",
    )
    group.addoption(
        "--claims",
        metavar="FILE",
        default=None,
        help="claims catalogue (default: fixtures/claims.yaml under the rootdir)",
    )
    group.addoption(
        "--conformance-progress",
        action="store_true",
        default=False,
        help="print one line per finished scenario: status, claim IDs, name",
    )
    group.addoption(
        "--docs-base-url",
        metavar="URL",
        default=DEFAULT_DOCS_BASE,
        help="base URL the catalogue's relative page URL is published under",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    register_markers(config)
    option = config.getoption("--claims")
    path = Path(option) if option else config.rootpath / "fixtures" / "claims.yaml"
    if not path.is_absolute():
        path = Path(config.invocation_params.dir, path)
    catalogue = None
    if path.exists() or option:
        try:
            catalogue = load_catalogue(path)
        except CatalogueError as exc:
            raise pytest.UsageError(str(exc)) from None
    config.stash[STATE] = SessionState(catalogue, path)
    if not _is_worker(config):
        config.pluginmanager.register(Controller(config), "harness-report-controller")


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> bool | None:
    return apply_tag(tag, function)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Fail the collection of a module whose scenarios carry unknown claim IDs."""
    report = yield
    items = [x for x in (report.result or []) if isinstance(x, pytest.Item)]
    state = collector.config.stash.get(STATE, None)
    if state is None or not items:
        return report
    known = None if state.catalogue is None else state.catalogue.ids
    problems = claim_tag_problems(items, known, state.catalogue_path)
    if problems:
        report.outcome = "failed"
        report.longrepr = "\n".join(problems)
        report.result = []
    return report


def pytest_bdd_before_step(
    request: pytest.FixtureRequest,
    feature: Feature,
    scenario: Scenario,
    step: Step,
    step_func: Callable[..., object],
) -> None:
    _recorder(request.node).step_started(step, step_func)


def pytest_bdd_after_step(
    request: pytest.FixtureRequest,
    feature: Feature,
    scenario: Scenario,
    step: Step,
    step_func: Callable[..., object],
    step_func_args: dict[str, object],
) -> None:
    _recorder(request.node).step_finished()


def pytest_bdd_step_error(
    request: pytest.FixtureRequest,
    feature: Feature,
    scenario: Scenario,
    step: Step,
    step_func: Callable[..., object],
    step_func_args: dict[str, object],
    exception: Exception,
) -> None:
    _recorder(request.node).step_finished(exception)


def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario, step: Step, exception: Exception
) -> None:
    _recorder(request.node).step_not_found(step, exception)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember how each phase ended; at teardown attach the finished scenario to the report."""
    report = yield
    _redact_report(report)
    template = scenario_template(item)
    if template is None:
        return report
    recorder = _recorder(item)
    recorder.phases[report.when] = _phase_outcome(report, call)
    recorder.duration += report.duration
    if report.when == "teardown":
        result = build_scenario(item, template, recorder)
        payload = json.dumps(redact_value(result.to_dict()), sort_keys=True)
        report.user_properties = [*report.user_properties, (PAYLOAD_KEY, payload)]
    return report


def _recorder(item: pytest.Item) -> ScenarioRecorder:
    recorder = item.stash.get(_RECORDER, None)
    if recorder is None:
        recorder = item.stash[_RECORDER] = ScenarioRecorder()
    return recorder


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _phase_outcome(report: pytest.TestReport, call: pytest.CallInfo[None]) -> PhaseOutcome:
    if report.passed:
        return PhaseOutcome("passed")
    excinfo = call.excinfo
    return PhaseOutcome(
        outcome=report.outcome,
        type=excinfo.typename if excinfo else "",
        message=_stable(redact(excinfo.exconly() if excinfo else str(report.longrepr or ""))),
        traceback=_stable(redact(str(report.longrepr or ""))),
        exception_status=failure_status(excinfo.value) if excinfo else None,
    )


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


def _stable(text: str) -> str:
    """Drop object addresses (``<function _ at 0x7f...>``) so equal runs give equal reports."""
    return _ADDRESS.sub("0x…", text)


def _redact_report(report: pytest.TestReport) -> None:
    """Keep secrets out of pytest's own terminal output and any other plugin's files."""
    if report.longrepr is not None and not isinstance(report.longrepr, tuple):
        text = str(report.longrepr)
        cleaned = redact(text)
        if cleaned != text:
            report.longrepr = cleaned
    report.sections = [(title, redact(body)) for title, body in report.sections]
