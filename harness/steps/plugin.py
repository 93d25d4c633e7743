"""pytest plugin of the step library: the ``world`` fixture, the steps, and friendly step errors.

Load it from the root conftest (``pytest_plugins = ["harness.steps.plugin", ...]``). It

- registers every step module of :mod:`harness.steps.library` (their step fixtures live there)
  and the target plugin (:mod:`harness.target.plugin`: the ``--dkp-*`` options and the target
  factory: a simulated cluster per scenario, or a share of a real cluster);
- gives each scenario its target inside a :class:`~harness.steps.world.World`, with a history
  recorder subscribed before the first step, and feeds the phase timeline to the report's
  evidence at the end of the scenario, pass or fail;
- replaces pytest-bdd's bare "Step definition is not found" with the closest defined steps;
- tells the world which step runs (feature file, line, docstring), so a mistake in a docstring
  names the feature file's line, and refuses an Outline step whose ``<placeholder>`` no Examples
  column filled (:mod:`harness.steps.step_place`);
- looks each step text up once (:mod:`harness.steps.step_lookup`);
- tells the report the virtual instant at which a scenario failed, so its timeline marks it;
- drops a scenario bound twice (by scenarios/test_features.py, which binds every feature file,
  and by a hand-written ``scenarios()`` module), so nothing runs twice;
- hands the step catalogue to the report plugin when that is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry
from pytest_bdd.utils import registry_get_safe

from harness.feature_text import real_path
from harness.report.visible_text import visible
from harness.steps.binding import AUTO_BINDING_ATTRIBUTE
from harness.steps.catalogue import CATALOGUE
from harness.steps.history import History
from harness.steps.library import MODULES
from harness.steps.lint import closest_steps, describe_candidates, suggested_line
from harness.steps.plugin_loading import companions
from harness.steps.step_lookup import install as install_step_lookup_cache
from harness.steps.step_place import StepPlace, is_outline, outline_problem, unfilled_placeholder
from harness.steps.world import EvidenceSink, NullEvidence, TargetFactory, World

__all__ = ["UnknownStepError"]

# pytest imports (and so registers) every step module; importing them here first would stop
# pytest from rewriting their asserts. Loaded as ``pytest_plugins`` would load them, without an
# entry-point scan per name (harness.steps.plugin_loading).
pytest_plugin_registered = companions(["harness.target.plugin", *MODULES, "harness.steps.eras_plugin"])

install_step_lookup_cache()


class UnknownStepError(LookupError):
    """A feature line no step definition matches; the message lists the closest ones."""


_WORLD = pytest.StashKey[World]()


@pytest.fixture
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The scenario's shared state around its target (started on first use)."""
    evidence = _evidence(request)
    cache = tmp_path / "kubectl-cache"
    cache.mkdir()
    # imported here: pytest registers the module as a plugin first, so it is not imported twice
    from harness.steps.eras_plugin import cluster_options

    factory: TargetFactory = request.getfixturevalue("dkp_target_factory")
    state = World(factory=factory, evidence=evidence, cache_dir=cache, options=cluster_options(request))
    request.node.stash[_WORLD] = state
    try:
        yield state
    finally:
        try:
            if state.started:
                _feed_timeline(state.history, evidence)
            state.close()
        finally:
            # The item outlives its scenario (pytest keeps every item until the session ends), so
            # a World left in its stash kept the whole stopped cluster alive: store, history,
            # manager (21,397 recorded versions after 27 scenarios, ~13,000 of them from the
            # four-week one). Every full garbage collection then scanned them all again, and
            # memory only grew.
            del request.node.stash[_WORLD]


def _feed_timeline(history: History, evidence: EvidenceSink) -> None:
    """Every phase change of the scenario, with the phase it left, into the report."""
    previous: dict[tuple[str, str], str] = {}
    for change in history.timeline():
        key = (change.kind, change.name)
        old = previous.get(key)
        evidence.timeline(change.at, change.kind, change.name, "status.phase", old, change.phase)
        previous[key] = change.phase


def _evidence(request: pytest.FixtureRequest) -> EvidenceSink:
    if request.config.pluginmanager.has_plugin("harness.report.plugin"):
        found: EvidenceSink = request.getfixturevalue("conformance_evidence")
        return found
    return NullEvidence()


def pytest_bdd_step_error(
    request: pytest.FixtureRequest,
    feature: Feature,
    scenario: Scenario,
    step: Step,
    step_func: Callable[..., object],
    step_func_args: dict[str, object],
    exception: Exception,
) -> None:
    """Tell the report when (in virtual time) the scenario failed, for its timeline."""
    _mark_failure(request)


def pytest_bdd_before_step_call(
    request: pytest.FixtureRequest,
    feature: Feature,
    scenario: Scenario,
    step: Step,
    step_func: Callable[..., object],
    step_func_args: dict[str, object],
) -> None:
    """Give the world the step's place; refuse an Outline placeholder that no column filled.

    Raised here, the error goes through pytest-bdd's step error like the step's own would: the
    report shows it at this step, as "could not check".
    """
    state = step_func_args.get("world")
    if isinstance(state, World):
        state.step = StepPlace(
            Path(feature.filename), step.line_number, step.docstring, request.config.rootpath
        )
    template = registry_get_safe(scenario_wrapper_template_registry, getattr(request.node, "function", None))
    if template is not None and (empty := outline_problem(template, step.line_number)) is not None:
        raise empty
    columns = _outline_columns(request.node, step)
    if columns is not None and (error := unfilled_placeholder(step.name, columns)) is not None:
        raise error


def _outline_columns(item: pytest.Item, step: Step) -> list[str] | None:
    """The Examples columns when ``step`` is written in a Scenario Outline; ``None`` otherwise.

    A Background step is rendered with the Outline's row too, but it also runs for plain
    scenarios, where a ``<...>`` is text; only the Outline's own steps (below its line) count.
    """
    template = registry_get_safe(scenario_wrapper_template_registry, getattr(item, "function", None))
    if template is None or not is_outline(template) or step.line_number <= template.line_number:
        return None
    return [column for examples in template.examples for column in examples.example_params]


def _mark_failure(request: pytest.FixtureRequest) -> None:
    state = request.node.stash.get(_WORLD, None)
    failed_at = getattr(state.evidence, "failed_at", None) if state is not None else None
    if state is None or not state.started or failed_at is None:
        return
    failed_at(state.now())


def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario, step: Step, exception: Exception
) -> None:
    """Raise an error that says which defined steps read most like the unknown line.

    In an Outline without an Examples row, the line is unknown because its ``<placeholder>`` was
    never filled (``Then <n> steps pass``): that is the error to give.
    """
    _mark_failure(request)
    template = registry_get_safe(scenario_wrapper_template_registry, getattr(request.node, "function", None))
    if template is not None and step.line_number > template.line_number:
        empty = outline_problem(template)
        if empty is not None:
            raise empty
    near = closest_steps(step.type, step.name, CATALOGUE)
    where = f"{_shown(feature.filename, request.config.rootpath)}:{step.line_number}"
    # The author's line is echoed (and rewritten): its control characters are shown, not obeyed.
    raise UnknownStepError(
        visible(
            f"{where}: no step definition matches: {step.keyword.strip()} {step.name}\n"
            + _with_newline(suggested_line(step.type, step.keyword.strip(), step.name, CATALOGUE))
            + describe_candidates(near, "  closest defined steps:")
            + "\n  (the full list: `dkp-harness steps`)"
        )
    )


def _with_newline(text: str) -> str:
    return f"{text}\n" if text else ""


def _shown(filename: str, root: Path) -> str:
    """A feature file as the user typed it: relative to the project root when it is inside."""
    path = real_path(filename)
    return path.relative_to(root.resolve()).as_posix() if path.is_relative_to(root.resolve()) else str(path)


@pytest.hookimpl(tryfirst=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A feature file named on pytest's command line (``pytest features/mine/a.feature``, or its
    folder) is no test module, and pytest answered "not found … (no match in any of [<Dir
    mine>])": collect it as an error that says how to run it. ``pytest .`` or the suite's own
    paths never name a feature file or a folder under ``features/``, so they reach nothing here."""
    if file_path.suffix != ".feature":
        return None
    session = parent.session
    features = session.config.rootpath / "features"
    named = session.isinitpath(file_path) or (
        file_path.is_relative_to(features)
        and any(session.isinitpath(folder) for folder in file_path.parents if folder.is_relative_to(features))
    )
    return _FeatureFileHint.from_parent(parent, path=file_path) if named else None


class _FeatureFileHint(pytest.File):
    """Stands for a feature file given to pytest directly: its collection says how to run it."""

    def collect(self) -> Iterator[pytest.Item]:
        shown = (
            self.path.relative_to(self.config.rootpath)
            if self.path.is_relative_to(self.config.rootpath)
            else self.path
        )
        raise self.CollectError(
            f"{shown}: feature files run through scenarios/test_features.py, not as test files: run "
            f"`pytest scenarios --feature-path {shown}` (any folder or file.feature:LINE works too) or "
            f"`dkp-harness run {shown}`"
        )


_FEATURE_LINE = re.compile(r"(?P<path>.+\.feature):(?P<line>[0-9]+)")


def feature_line_hint(arg: str, cwd: Path, root: Path) -> str | None:
    """What to run instead of ``pytest features/x.feature:LINE``, the form ``dkp-harness run`` and
    Cucumber take; ``None`` for any other argument or a file that is not there.

    pytest reads the whole argument as a path and answered "file or directory not found:
    features/x.feature:12", though the file is there: it is the ``:LINE`` pytest does not take,
    and a feature file is no test module in any case. A missing file keeps pytest's own message.
    """
    match = _FEATURE_LINE.fullmatch(arg)
    if match is None:
        return None
    path = (cwd / match["path"]).resolve()
    if not path.is_file():
        return None
    shown = path.relative_to(root.resolve()).as_posix() if path.is_relative_to(root.resolve()) else str(path)
    selection = f"{shown}:{match['line']}"
    return (
        f"{selection}: feature files run through scenarios/test_features.py, not as test files, and "
        f"pytest takes no ':LINE' after a path: run `pytest scenarios --feature-path {selection}` or "
        f"`dkp-harness run {selection}`"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    """Refuse ``pytest features/x.feature:LINE`` with the commands that run that scenario."""
    config = session.config
    for arg in config.args:
        hint = feature_line_hint(arg, config.invocation_params.dir, config.rootpath)
        if hint is not None:
            raise pytest.UsageError(hint)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep one test per scenario: a hand-written binding wins over the automatic one."""
    explicit = {key for item in items if (key := _scenario_key(item)) and not _auto_bound(item)}
    items[:] = [item for item in items if not (_auto_bound(item) and _scenario_key(item) in explicit)]


def _scenario_key(item: pytest.Item) -> tuple[str, int, str] | None:
    """The file, line and example row of a scenario test: its line, not its name, since two
    scenarios of one file may share a name (a hand-written ``scenarios()`` binds only the last)."""
    function = getattr(item, "function", None)
    template = registry_get_safe(scenario_wrapper_template_registry, function)
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    filename = str(real_path(template.feature.filename))
    return (filename, template.line_number, str(getattr(callspec, "id", "")))


def _auto_bound(item: pytest.Item) -> bool:
    module = getattr(item, "module", None)
    return bool(getattr(module, AUTO_BINDING_ATTRIBUTE, False))


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # Only the process that writes the report needs the catalogue. How often each step was used
    # is counted by the report from the run's own scenarios (a lint of every feature file, which
    # this once did at every start, counted other scenarios than the run's).
    if config.pluginmanager.has_plugin("harness.report.plugin") and not hasattr(config, "workerinput"):
        from harness.report.plugin import set_step_catalogue

        entries: list[dict[str, Any]] = [step.to_dict() for step in CATALOGUE]
        set_step_catalogue(config, entries)
