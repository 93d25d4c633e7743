"""The pytest plugin that turns a conformance run into the report files.

Load it with ``-p harness.report.plugin`` or ``pytest_plugins = ["harness.report.plugin"]``.

Options: ``--conformance-report DIR`` writes ``conformance.html``, ``conformance.json``,
``junit.xml`` and ``cucumber.json`` there; ``--claims FILE`` (default ``fixtures/claims.yaml``
under the rootdir); ``--conformance-progress`` prints one line per finished scenario;
``--claim ID`` and ``--feature-path PATH[:LINE]`` select scenarios; ``--fail-on-deviation`` makes
a known deviation fail the exit code; ``--docs-base-url`` is where relative page URLs of the
catalogue are published. A run that selected nothing leaves the previous report files untouched.

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
from pytest_bdd.parser import Feature, Scenario, ScenarioTemplate, Step

from harness.report.claims import DEFAULT_DOCS_BASE, CatalogueError, load_catalogue
from harness.report.comparisons import kubectl_diffs
from harness.report.evidence import Evidence
from harness.report.failure_text import failure_text, unknown_step_text
from harness.report.launcher import LAUNCHER, USAGE, launched_by_cli
from harness.report.left_out import LEFT_OUT_KEY, count_left_out
from harness.report.model import StepCatalogueEntry
from harness.report.page_expectation import check_page_expectation, failing_then, is_page_step
from harness.report.recorder import (
    PhaseOutcome,
    ScenarioRecorder,
    UnreadableFeature,
    build_scenario,
    build_unreadable,
    example_of,
    relative_path,
    scenario_template,
    unreadable_feature,
)
from harness.report.redaction import redact, redact_value
from harness.report.selection import (
    check_claim_filter,
    check_expressions,
    check_feature_lines,
    check_marker_names,
    filter_items,
)
from harness.report.status import Status, failure_status
from harness.report.tags import apply_tag, item_claim_problems, register_feature_tags, register_markers
from harness.report.unfinished import EXPECTED_KEY, skeletons
from harness.report.xdist_controller import PAYLOAD_KEY, STATE, STEP_CATALOGUE, Controller, SessionState

__all__ = ["PAYLOAD_KEY", "ClaimTagError", "error_text", "evidence_for", "set_step_catalogue"]

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
    if launched_by_cli():
        # pytest's refusal of an option it does not know ("unrecognized arguments: --bogus") is
        # made after this hook: it then shows dkp-harness run's usage, not "python -m pytest".
        parser.prog = LAUNCHER
        parser.optparser.usage = USAGE
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
        "--claim",
        metavar="ID",
        action="append",
        default=[],
        help="run only the scenarios tagged @claim:ID (repeat for several claims)",
    )
    group.addoption(
        "--feature-path",
        metavar="PATH",
        action="append",
        default=[],
        help="run only the scenarios of this feature file, or of the feature files under this folder",
    )
    group.addoption(
        "--fail-on-deviation",
        action="store_true",
        default=False,
        help="exit 1 when a scenario passed only as a known deviation (for CI that wants none)",
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
    register_feature_tags(config, config.rootpath / "features")
    check_expressions(config)
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
    check_claim_filter(config.getoption("--claim"), None if catalogue is None else catalogue.ids)
    if not _is_worker(config):
        check_feature_lines(config.getoption("--feature-path") or [], config.invocation_params.dir)
    config.stash[STATE] = SessionState(catalogue, path)
    if not _is_worker(config):
        config.pluginmanager.register(Controller(config), "harness-report-controller")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse a ``-m`` tag nothing has, once every plugin registered its markers, before any
    xdist worker starts (xdist starts them in its own, later, ``pytest_sessionstart``)."""
    if not _is_worker(session.config):
        check_marker_names(session.config)


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> bool | None:
    return apply_tag(tag, function)


class ClaimTagError(LookupError):
    """A scenario names a claim ID the catalogue does not have (a typo leaves a claim unchecked)."""


_CLAIM_PROBLEMS = pytest.StashKey[list[str]]()


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Note the unknown claim IDs of each scenario; that scenario (only) errors at setup."""
    report = yield
    items = [x for x in (report.result or []) if isinstance(x, pytest.Item)]
    state = collector.config.stash.get(STATE, None)
    if state is None or not items:
        return report
    catalogue = state.catalogue
    known = None if catalogue is None else catalogue.ids
    explained = None if catalogue is None else frozenset(c.id for c in catalogue.claims if c.deviation)
    for item in items:
        problems = item_claim_problems(item, known, state.catalogue_path, explained)
        if problems:
            item.stash[_CLAIM_PROBLEMS] = problems
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    problems = item.stash.get(_CLAIM_PROBLEMS, None)
    if problems:
        raise ClaimTagError("\n".join(problems))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Apply ``--claim`` and ``--feature``: deselect the scenarios they leave out."""
    claims, features = config.getoption("--claim"), config.getoption("--feature-path")
    if not claims and not features:
        return
    kept, dropped = filter_items(items, claims, features, config.invocation_params.dir)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Count, per claim, the scenarios a filter left out (:mod:`harness.report.left_out`)."""
    if not items or STATE not in items[0].config.stash:
        return
    count_left_out(items, items[0].config.stash[STATE].left_out)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Note every selected scenario, so one that never finishes (``-x``, a crashed xdist worker)
    is still reported (:mod:`harness.report.unfinished`); a worker ships them to the controller."""
    config = session.config
    if not config.getoption("--conformance-report") or STATE not in config.stash:
        return
    found = skeletons(session.items)
    if _is_worker(config):
        config.workeroutput[EXPECTED_KEY] = json.dumps(found)  # type: ignore[attr-defined]
        config.workeroutput[LEFT_OUT_KEY] = json.dumps(config.stash[STATE].left_out)  # type: ignore[attr-defined]
    else:
        config.stash[STATE].expected.update(found)


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


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario, step: Step, exception: Exception
) -> None:
    _recorder(request.node).step_not_found(step, exception)


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    """Take the page's expectation (``But the page says: …``) out of the steps pytest-bdd runs: it
    is checked only when DKP's expectation is not met (:func:`pytest_runtest_call`), and it has no
    step definition of its own that a library's pattern could also match."""
    scenario.steps[:] = [step for step in scenario.steps if not is_page_step(step.name)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """When DKP's expectation of a ``@deviation`` scenario is not met, check the page's (the
    scenario's fixtures, its cluster included, are still up here; teardown comes later)."""
    try:
        return (yield)
    except BaseException:
        template = scenario_template(item)
        recorder = item.stash.get(_RECORDER, None)
        request = getattr(item, "funcargs", {}).get("request")
        deviation = item.get_closest_marker("deviation") is not None
        if template is not None and recorder is not None and request is not None:
            failing = failing_then(deviation, recorder.steps)
            if failing is not None:
                check_page_expectation(request, template.render(example_of(item)), recorder, failing.line)
        raise


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember how each phase ended; at teardown attach the finished scenario to the report."""
    report = yield
    template = scenario_template(item)
    if template is None:
        _redact_report(report)
        problem = unreadable_feature(item)
        if problem is not None:
            _record_unreadable(item, problem, report)
        return report
    recorder = _recorder(item)
    if report.skipped:
        _skip_at_feature_line(item, template, report)
    if report.failed and item.config.option.tbstyle == "auto" and report.when != "call":
        if call.excinfo is not None and isinstance(call.excinfo.value, ClaimTagError):
            report.longrepr = str(call.excinfo.value)
    _redact_report(report)
    recorder.phases[report.when] = _phase_outcome(report, call)
    recorder.duration += report.duration
    if report.when == "teardown":
        result = build_scenario(item, template, recorder)
        payload = json.dumps(redact_value(result.to_dict()), sort_keys=True)
        report.user_properties = [*report.user_properties, (PAYLOAD_KEY, payload)]
        # A rerun of the item (--reruns) starts over: its steps and phases are its own.
        del item.stash[_RECORDER]
    return report


def _record_unreadable(item: pytest.Item, problem: UnreadableFeature, report: pytest.TestReport) -> None:
    """Attach the entry of a feature file that is not valid Gherkin, like a finished scenario's.

    The test standing for the file has no scenario behind it; without an entry the run's other
    scenarios alone would make the report (and the JUnit file CI reads) green.
    """
    recorder = _recorder(item)
    recorder.duration += report.duration
    if report.when == "teardown":
        result = build_unreadable(item, problem, recorder.duration)
        payload = json.dumps(redact_value(result.to_dict()), sort_keys=True)
        report.user_properties = [*report.user_properties, (PAYLOAD_KEY, payload)]


def _skip_at_feature_line(item: pytest.Item, template: ScenarioTemplate, report: pytest.TestReport) -> None:
    """Point a skipped scenario's summary line at its ``feature:line``, not at pytest-bdd's code.

    pytest's short summary prints the place the skip was raised (``(path, line, reason)``); for a
    scenario that is a line inside pytest-bdd, which tells the reader nothing.
    """
    if not (isinstance(report.longrepr, tuple) and len(report.longrepr) == 3):
        return
    _, _, reason = report.longrepr
    path = relative_path(template.feature.filename, item.config.rootpath)
    report.longrepr = (str(path), template.line_number, reason)


def pytest_itemcollected(item: pytest.Item) -> None:
    """Under ``--tb=auto`` a scenario's failure is told by :func:`_readable_failure`, in place of
    the traceback pytest would build: it is never built. pytest reads the source of every frame of
    it (pytest-bdd, pluggy, the harness) and walks their syntax trees, ~60 ms of CPU per failed
    scenario here, and the text was thrown away as soon as it was made."""
    template = scenario_template(item)
    if template is None or item.config.option.tbstyle != "auto":
        return

    def repr_failure(excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return _readable_failure(item, template, _recorder(item), excinfo)

    item.repr_failure = repr_failure  # type: ignore[method-assign]


def _readable_failure(
    item: pytest.Item,
    template: ScenarioTemplate,
    recorder: ScenarioRecorder,
    excinfo: pytest.ExceptionInfo[BaseException] | None,
) -> str:
    """The failure as a QA engineer reads it: feature:line, the Gherkin step, the diff."""
    error = excinfo.value if excinfo else None
    message = "failed" if error is None else f"{type(error).__name__}: {error}"
    if recorder.not_found:
        return unknown_step_text(str(error) if error is not None else message)
    failing = next((s for s in recorder.steps if s.status in (Status.FAILED, Status.ERROR)), None)
    rendered = template.render(example_of(item))
    location = f"{relative_path(template.feature.filename, item.config.rootpath)}:{template.line_number}"
    diffs = [*recorder.evidence.diffs, *kubectl_diffs(recorder.evidence, failing)]
    return failure_text(location, rendered.name, failing, _stable(message), diffs, _report_hint(item))


def _report_hint(item: pytest.Item) -> str | None:
    target = item.config.getoption("--conformance-report")
    if not target:
        return None
    return str(Path(target, "conformance.html"))


def _recorder(item: pytest.Item) -> ScenarioRecorder:
    recorder = item.stash.get(_RECORDER, None)
    if recorder is None:
        recorder = item.stash[_RECORDER] = ScenarioRecorder()
    return recorder


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


_STRICT_XPASS = "[XPASS(strict)]"
"""How pytest's report of a strict xfail whose test passed starts (its outcome: failed)."""


def _phase_outcome(report: pytest.TestReport, call: pytest.CallInfo[None]) -> PhaseOutcome:
    xfail = getattr(report, "wasxfail", None)
    if report.passed:
        return PhaseOutcome("passed", xfail=None if xfail is None else redact(str(xfail)))
    strict_xpass = _strict_xpass(report, call)
    if strict_xpass is not None:
        return PhaseOutcome("passed", xfail=strict_xpass)
    excinfo = call.excinfo
    if xfail is not None and excinfo is not None and not _declared(excinfo):
        return _xfailed(xfail, excinfo, report)
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr or "")
        return PhaseOutcome(outcome="skipped", type="Skipped", message=_stable(redact(reason)))
    return PhaseOutcome(
        outcome=report.outcome,
        type=excinfo.typename if excinfo else "",
        message=_stable(redact(error_text(excinfo) if excinfo else str(report.longrepr or ""))),
        traceback=_stable(redact(str(report.longrepr or ""))),
        exception_status=failure_status(excinfo.value) if excinfo else None,
    )


def _strict_xpass(report: pytest.TestReport, call: pytest.CallInfo[None]) -> str | None:
    """The mark's reason when a strict ``xfail`` scenario's steps all passed, else None.

    pytest fails such a test with no exception, only ``[XPASS(strict)] reason``; the report read
    it as "could not check". Its steps did what the scenario says, so it holds, shown as marked
    and listed for attention like any xpass; pytest still fails the run for it.
    """
    text = str(report.longrepr or "")
    if not report.failed or call.excinfo is not None or not text.startswith(_STRICT_XPASS):
        return None
    return redact(text[len(_STRICT_XPASS) :].strip())


def _declared(excinfo: pytest.ExceptionInfo[BaseException]) -> bool:
    """``pytest.xfail()`` or ``pytest.skip()`` called by the scenario: no expectation failed."""
    return isinstance(excinfo.value, pytest.xfail.Exception | pytest.skip.Exception)


def _xfailed(
    xfail: object, excinfo: pytest.ExceptionInfo[BaseException], report: pytest.TestReport
) -> PhaseOutcome:
    """A phase an ``xfail`` mark turned into "xfailed": the report keeps the failure it was.

    pytest files it with the skips; the report called it a skip whose reason was the failure text,
    and a claim checked by it and by a passing scenario "held". An expectation that is not met is
    not met whatever the mark says (a known page-vs-DKP difference is a ``@deviation`` with its
    reason in the claims catalogue).
    """
    return PhaseOutcome(
        outcome="failed",
        type=excinfo.typename,
        message=_stable(redact(error_text(excinfo))),
        traceback=_stable(redact(str(report.longrepr or ""))),
        exception_status=failure_status(excinfo.value),
        xfail=redact(str(xfail)),
    )


def error_text(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """``Type: message`` as the terminal's failure text shows it (``ScenarioError: unknown phase
    …``): pytest's ``exconly()`` names a non-builtin type by its module path, and the report read
    "did not pass: harness.steps.errors.ScenarioError: …", Python machinery a scenario author
    cannot act on. The traceback keeps the full path."""
    text = excinfo.exconly()
    qualified = f"{excinfo.type.__module__}.{excinfo.type.__qualname__}"
    return excinfo.type.__qualname__ + text[len(qualified) :] if text.startswith(qualified) else text


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
