"""What every test process needs before any test runs."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest

from harness.registry.backends.distribution import DistributionBackend
from tests.lean_pytester import lean
from tests.registry_pool import pooled

# pytester's in-process runs (the authoring, eras and report tests run whole scenario suites that
# way) forget every module first imported during the run. That costs twice:
#
# - a forgotten module whose package is kept leaves a stale attribute on the package. httpx
#   imports httpcore only when its first client is built and keeps the exception classes of the
#   httpcore it met then; ``from harness.registry import transport`` finds the forgotten module,
#   whose ``httpx`` is no longer the process's. Either way a registry test running later in the
#   same worker gets a raw "Connection refused" where it expects the harness's own error;
# - the next run imports it all again: anyio's pytest plugin and hypothesis (loaded from their entry
#   points by the in-process runs of tests whose subject is plugin loading, see
#   tests/lean_pytester.py; this project's own runs disable anyio) are ~0.2 s each.
#
# So what an in-process scenario run may import first is imported once per process that runs
# tests, before the first test: httpcore, the simulator target (the cluster, the API server, the
# controllers), the registry client, the publisher, the fault proxy's bypass, the report's writer
# (Jinja and the renderers, which the plugin imports only when it writes; ~50 in-process runs
# write a report, and each re-imported them and loaded the compiled template again, ~15 ms), and
# those plugins' packages. Not in pytest-xdist's controller, which runs no test: there these ~0.3 s
# of imports only delayed the start of the workers.
WARM_IMPORTS = (
    "anyio.pytest_plugin",
    "httpcore",
    "hypothesis",
    "harness.registry.client",
    "harness.registry.faults.bypass",
    "harness.registry.publisher",
    "harness.report.write",
    "harness.target.simulator",
)


def pytest_configure(config: pytest.Config) -> None:
    runs_tests = hasattr(config, "workerinput") or config.getoption("dist", "no") == "no"
    if runs_tests:
        for name in WARM_IMPORTS:
            importlib.import_module(name)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` first, in the order they had (after pytest-randomly's shuffle).

    Under xdist every worker takes tests from the front of this list; a test that runs for
    seconds (the sandbox run waits out a scaled 3-minute rescan) dealt out last keeps one worker
    busy while the other has nothing left, and the run's wall time grows by up to its length.
    Longest first is the classic cure for that tail. The sort is stable and the same in every
    process, as xdist requires.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture
def pooled_registry() -> Iterator[DistributionBackend]:
    """A serving registry process from this process's pool, as empty as a fresh one.

    Starting and stopping a registry costs ~0.1 s of CPU between the Go process and the harness's
    side of it (config, port, supervisor thread, scratch folder), and most tests that talk to a
    registry cannot tell a fresh one from one whose storage and log were emptied: scenarios already
    share registries this way. After the test the registry is emptied and given back, or stopped
    when the test stopped or broke it. Tests about the process itself (its start, its log from the
    first line, its death) use a registry of their own.
    """
    yield from pooled()


@pytest.fixture
def pytester(pytester: pytest.Pytester, request: pytest.FixtureRequest) -> pytest.Pytester:
    """pytest's ``pytester`` whose in-process runs load only the installed plugins a nested
    project can use (see :mod:`tests.lean_pytester`), unless the test module says ``ALL_PLUGINS``."""
    if getattr(request.module, "ALL_PLUGINS", False):
        return pytester
    return lean(pytester)
