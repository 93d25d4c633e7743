"""pytest plugin: the longest work first, dealt so that two workers finish together.

pytest-xdist hands tests to its workers in collection order, and pytest-randomly shuffles that
order on every run. The tests are uneven: two scenarios let weeks of virtual time pass and take a
quarter of a conformance run's CPU between them, and a few test modules of ``make test`` run a
time-scaled sandbox or whole ``dkp-harness run`` subprocesses for seconds. Started last on one
worker, such work leaves the other worker idle at the end, and the run's wall time changed by
that much from one run to the next. So each run records how long every test took (setup, call
and teardown, from the reports the controller receives) in pytest's cache (``.pytest_cache``,
key ``dkp-harness/durations``), and the next run's collection applies longest-processing-time
first scheduling:

- **blocks**: each scenario is a block of its own (scenarios are independent: each has its own
  cluster); the tests of any other module stay together as one block, in their order, so that
  module-scoped fixtures keep serving consecutive tests;
- **longest first**: blocks in decreasing order of recorded time; a block with a test that has
  no record goes first (it may be long, and it gets one);
- **dealt**: xdist's ``load`` scheduler gives each worker a first chunk of consecutive tests,
  then one test at a time as they finish. The plugin asks for chunks of one
  (``--maxschedchunk 1``, unless given) so that the first chunks hold two tests each, and deals
  those first tests so that each worker's chunk has about the same recorded time: without that,
  the two longest scenarios both went to the first worker.

Every worker reads the same record and sorts stably after pytest-randomly, so all workers collect
the same order, as xdist requires. Without the cache plugin (``-p no:cacheprovider``) nothing is
recorded or moved. Order changes no result: scenarios are independent, and the suite runs in
random order anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

__all__ = ["CACHE_KEY"]

CACHE_KEY = "dkp-harness/durations"
_SCENARIOS = "scenarios/"
_UNKNOWN = float("inf")


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


def _block_of(nodeid: str) -> str:
    """A scenario is its own block; any other test belongs to its module's."""
    module = nodeid.split("::", 1)[0]
    return nodeid if module.startswith(_SCENARIOS) else module


def _blocks(items: Sequence[pytest.Item]) -> list[list[pytest.Item]]:
    blocks: dict[str, list[pytest.Item]] = {}
    for item in items:
        blocks.setdefault(_block_of(item.nodeid), []).append(item)
    return list(blocks.values())


def _longest_first(items: Sequence[pytest.Item], recorded: dict[str, float]) -> list[pytest.Item]:
    def weight(block: list[pytest.Item]) -> float:
        return sum(recorded.get(item.nodeid, _UNKNOWN) for item in block)

    return [item for block in sorted(_blocks(items), key=lambda b: -weight(b)) for item in block]


def _first_chunk(most: int | None, total: int, workers: int) -> int:
    """The size of the first chunk xdist's ``load`` scheduler sends each worker (its formula)."""
    return max(min(total // workers // 4, most or total), 2)


def _dealt(
    items: list[pytest.Item], recorded: dict[str, float], workers: int, chunk: int
) -> list[pytest.Item]:
    """``items`` with its first ``workers * chunk`` tests dealt into per-worker chunks of about
    equal recorded time (greedy, longest first); the rest keep their order."""
    head, rest = items[: workers * chunk], items[workers * chunk :]
    hands: list[list[pytest.Item]] = [[] for _ in range(workers)]
    load = [0.0] * workers
    for item in sorted(head, key=lambda i: -recorded.get(i.nodeid, _UNKNOWN)):
        open_hands = [h for h in range(workers) if len(hands[h]) < chunk]
        hand = min(open_hands, key=lambda h: load[h])
        hands[hand].append(item)
        load[hand] += min(recorded.get(item.nodeid, _UNKNOWN), 1e9)
    return [item for hand in hands for item in hand] + rest


_DEAL = "dkp-harness-deal"
"""The key of the controller's word to its workers, in xdist's ``workerinput``: a worker's own
options say ``--dist no`` and do not carry the controller's ``--maxschedchunk``."""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    recorded = _recorded(config)
    if not recorded:
        return
    ordered = _longest_first(items, recorded)
    deal = getattr(config, "workerinput", {}).get(_DEAL)
    if deal is not None and len(ordered) >= 2 * deal["workers"]:
        chunk = _first_chunk(deal["maxschedchunk"], len(ordered), deal["workers"])
        ordered = _dealt(ordered, recorded, deal["workers"], chunk)
    items[:] = ordered


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config, "cache", None) is None or hasattr(config, "workerinput"):
        return
    if config.getoption("dist", "no") == "load":
        if config.getoption("maxschedchunk", None) is None:
            config.option.maxschedchunk = 1  # one test at a time after the first chunks (see above)
        config.pluginmanager.register(_Dealer(config), "dkp-harness-dealer")
    config.pluginmanager.register(_Recorder(config), "dkp-harness-durations")


class _Dealer:
    """Tells each worker how the controller's ``load`` scheduler will cut its first chunks."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[_DEAL] = {
            "workers": int(node.workerinput["workercount"]),
            "maxschedchunk": self._config.getoption("maxschedchunk", None),
        }


class _Recorder:
    """Sums the phases of each test (under xdist, from the workers' reports) and merges them into
    the record at the end (a partial run keeps the other tests' times)."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self._spent: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._spent[report.nodeid] = self._spent.get(report.nodeid, 0.0) + report.duration

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self) -> None:
        cache = self._config.cache
        if cache is None or not self._spent:
            return
        spent = {k: round(v, 3) for k, v in self._spent.items()}
        cache.set(CACHE_KEY, {**_recorded(self._config), **spent})
