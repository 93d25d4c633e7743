"""pytest plugin: the longest scenarios first, so two workers finish together.

pytest-xdist hands tests to its workers in collection order, and pytest-randomly shuffles that
order on every run. The scenarios are uneven: two of them let weeks of virtual time pass and take
a quarter of a conformance run's CPU between them. Started last on one worker, such a scenario
leaves the other worker idle for seconds at the end, and the run's wall time changed by that much
from one run to the next. Longest-processing-time-first scheduling fixes both: each run records
how long every scenario took (setup, call and teardown, from the reports the controller receives)
in pytest's cache (``.pytest_cache``, key ``dkp-harness/durations``), and the next run's
collection puts the scenarios in decreasing order of that time, a scenario without a record
first (it may be long, and it gets one). Only scenarios move, among the places scenarios had:
the unit tests keep their order, and with it their module-scoped fixtures. Every worker reads the
same record and sorts stably after pytest-randomly, so all workers collect the same order, as
xdist requires. Without the cache plugin (``-p no:cacheprovider``) nothing is recorded or moved.
Scenarios are independent (each has its own cluster), so their order changes no result.
"""

from __future__ import annotations

import pytest

__all__ = ["CACHE_KEY"]

CACHE_KEY = "dkp-harness/durations"
_SCENARIOS = "scenarios/"


def _is_scenario(nodeid: str) -> bool:
    return nodeid.startswith(_SCENARIOS)


def _recorded(config: pytest.Config) -> dict[str, float]:
    cache = getattr(config, "cache", None)
    if cache is None:
        return {}
    found = cache.get(CACHE_KEY, {})
    return (
        {k: float(v) for k, v in found.items() if isinstance(v, int | float)}
        if isinstance(found, dict)
        else {}
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    recorded = _recorded(config)
    if not recorded:
        return
    places = [i for i, item in enumerate(items) if _is_scenario(item.nodeid)]
    scenarios = [items[i] for i in places]
    scenarios.sort(key=lambda item: -recorded.get(item.nodeid, float("inf")))
    for place, item in zip(places, scenarios, strict=True):
        items[place] = item


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config, "cache", None) is not None and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Recorder(config), "dkp-harness-durations")


class _Recorder:
    """Sums the phases of each scenario (under xdist, from the workers' reports) and merges them
    into the record at the end (a partial run keeps the other scenarios' times)."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self._spent: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if _is_scenario(report.nodeid):
            self._spent[report.nodeid] = self._spent.get(report.nodeid, 0.0) + report.duration

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self) -> None:
        cache = self._config.cache
        if cache is None or not self._spent:
            return
        spent = {k: round(v, 3) for k, v in self._spent.items()}
        cache.set(CACHE_KEY, {**_recorded(self._config), **spent})
