"""pytest plugin of the step library: the ``world`` fixture, the steps, and friendly step errors.

Load it from the root conftest (``pytest_plugins = ["harness.steps.plugin", ...]``). It

- registers every step module of :mod:`harness.steps.library` (their step fixtures live there);
- gives each scenario its own simulated cluster inside a :class:`~harness.steps.world.World`,
  with a history recorder subscribed before the first step, and feeds the phase timeline to the
  report's evidence at the end of the scenario, pass or fail;
- replaces pytest-bdd's bare "Step definition is not found" with the closest defined steps;
- hands the step catalogue to the report plugin when that is loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from harness.cluster import SimulatedCluster
from harness.registry.backends.distribution import DistributionBackend
from harness.steps.catalogue import CATALOGUE
from harness.steps.history import History
from harness.steps.library import MODULES
from harness.steps.lint import closest_steps, describe_candidates, lint
from harness.steps.world import ClusterOptions, EvidenceSink, NullEvidence, World

__all__ = ["UnknownStepError"]

# pytest imports (and so registers) every step module; importing them here first would stop
# pytest from rewriting their asserts.
pytest_plugins = list(MODULES)


class UnknownStepError(LookupError):
    """A feature line no step definition matches; the message lists the closest ones."""


@pytest.fixture
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The scenario's shared state around its own simulated cluster (started on first use)."""
    evidence = _evidence(request)
    cache = tmp_path / "kubectl-cache"
    cache.mkdir()
    state = World(factory=start_cluster, evidence=evidence, cache_dir=cache)
    try:
        yield state
    finally:
        if state.started:
            _feed_timeline(state.history, evidence)
        state.close()


def start_cluster(options: ClusterOptions) -> SimulatedCluster:
    """A running SimulatedCluster shaped by the options the scenario's first steps set."""
    backend = DistributionBackend(credentials=options.credentials) if options.credentials else None
    return SimulatedCluster(start=options.start, registry=backend, tls=True).start()


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


def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario, step: Step, exception: Exception
) -> None:
    """Raise an error that says which defined steps read most like the unknown line."""
    near = closest_steps(step.type, step.name, CATALOGUE)
    where = f"{feature.rel_filename}:{step.line_number}"
    raise UnknownStepError(
        f"{where}: no step definition matches: {step.keyword.strip()} {step.name}\n"
        + describe_candidates(near, "  closest defined steps:")
        + "\n  (the full list: `dkp-harness steps`)"
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # Only the process that writes the report needs the catalogue; xdist workers skip the lint.
    if config.pluginmanager.has_plugin("harness.report.plugin") and not hasattr(config, "workerinput"):
        from harness.report.plugin import set_step_catalogue

        features = config.rootpath / "features"
        usage = lint(features, CATALOGUE).usage if features.is_dir() else {}
        entries: list[dict[str, Any]] = [step.to_dict(usage.get(step.key)) for step in CATALOGUE]
        set_step_catalogue(config, entries)
