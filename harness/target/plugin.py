"""pytest plugin of the target seam: the ``--dkp-*`` options, the target factory, the run target.

Loaded by the step library's plugin. Without ``--dkp-kubeconfig`` every scenario gets its own
simulated cluster; with it, every scenario gets its share of that cluster (per-scenario names,
cleanup at the end). Each process (the xdist controller and every worker) opens its own
connection in ``pytest_configure`` and fills ``config.stash[RUN_TARGET_KEY]``, which the report
reads to name the target. The run id is chosen once, by the controller, and handed to workers so
that all of a run's names share it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from harness.report.run_target import RUN_TARGET_KEY
from harness.target.base import VIRTUAL_TIME, RegistryAccess, ScenarioOptions, Target
from harness.target.naming import new_run_id
from harness.target.options import TargetOptions, TargetOptionsError, add_pytest_options, read_auth

__all__ = ["CONNECTION_KEY"]

CONNECTION_KEY: pytest.StashKey[Any] = pytest.StashKey()
_RUN_ID = "dkp_run_id"
_RUN_ID_KEY: pytest.StashKey[str] = pytest.StashKey()


def pytest_addoption(parser: pytest.Parser) -> None:
    add_pytest_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    options = TargetOptions.from_namespace(config.option, pytest_names=True)
    try:
        options.validate()
    except TargetOptionsError as exc:
        raise pytest.UsageError(str(exc).replace("--", "--dkp-")) from None
    if options.kubeconfig is None:
        from harness.target.simulator_info import describe_simulator

        config.stash[RUN_TARGET_KEY] = describe_simulator(
            config.getoption("--dkp-deckhouse-version", None), config.getoption("--dkp-edition", None)
        )
        return
    # Only a real cluster needs the kubernetes client (~0.4 s of imports per process).
    from harness.target.kubeclient import TargetConnectionError
    from harness.target.kubeconfig import Connection, TargetSettings
    from harness.target.registry_probe import plain_http_problem

    worker_input = getattr(config, "workerinput", None)
    run_id = (worker_input or {}).get(_RUN_ID) or options.run_id or new_run_id()
    config.stash[_RUN_ID_KEY] = run_id
    assert options.registry is not None
    problem = (
        None if worker_input else plain_http_problem(options.registry, options.registry_scheme or "https")
    )
    if problem is not None:
        raise pytest.UsageError(f"{problem} (pytest: --dkp-registry-scheme http)")
    registry = RegistryAccess(
        push=options.registry,
        pull=options.cluster_registry or options.registry,
        scheme=options.registry_scheme or "https",
        credentials=read_auth(options.registry_auth) if options.registry_auth else None,
    )
    settings = TargetSettings(options.kubeconfig, registry, options.context, run_id)
    try:
        connection = Connection.open(settings)
    except TargetConnectionError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[CONNECTION_KEY] = connection
    config.stash[RUN_TARGET_KEY] = dict(connection.info)
    config.add_cleanup(connection.close)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a real cluster, scenarios tagged ``@simulation-only`` skip as needing virtual time."""
    if config.stash.get(CONNECTION_KEY, None) is None:
        return
    skip = pytest.mark.skip(
        reason=VIRTUAL_TIME + "tagged @simulation-only: its checks fall inside states that last only "
        "seconds on the simulator (its download and install durations), which a real cluster does not keep"
    )
    for item in items:
        if item.get_closest_marker("simulation_only") is not None:
            item.add_marker(skip)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: every worker uses the controller's run id."""
    run_id = node.config.stash.get(_RUN_ID_KEY, None)
    if run_id is not None:
        node.workerinput[_RUN_ID] = run_id


@pytest.fixture
def dkp_target_factory(request: pytest.FixtureRequest) -> Callable[[ScenarioOptions], Target]:
    """Builds the scenario's target from what its first steps decided."""
    connection = request.config.stash.get(CONNECTION_KEY, None)
    if connection is None:
        from harness.target.simulator import start_simulator

        return start_simulator
    from harness.target.kubeconfig import KubeconfigTarget

    return lambda options: KubeconfigTarget.start(connection, options)
