"""Replayed looks leave what polling leaves: toy controllers run with the shortcut on and off.

A 3-minute scan that writes a heartbeat (``status.syncTime``) and a release-like 15 s check that
waits for a gate object (logging each look, or silent, or with a timed wait) are driven through
the same script twice, once polling every look (``coalesce=False``) and once replaying the idle
ones (``harness.dkp.runtime.manager``). Every committed change (type, resourceVersion, object with
its managedFields), the Deckhouse log and the instant the wait ends must be identical. This is
the unit-sized twin of ``test_shortcuts_differential.py``; the last tests show the comparison
fails when a controller calls a look idle that is not.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness.api import kinds
from harness.apiserver import ApiServer
from harness.clock import VirtualClock
from harness.dkp.runtime.log import DeckhouseLog
from harness.dkp.runtime.manager import Manager
from harness.dkp.runtime.reads import ReadRecorder
from harness.dkp.runtime.reconcile import Request, Result, Watch
from harness.kube.errors import NotFound
from harness.kube.timestamps import stamp

from .conftest import CRD_DIR

SCAN = timedelta(minutes=3)
CHECK = timedelta(seconds=15)


class Scanner:
    """A source-like scan: reads its source and the configs, writes syncTime, logs."""

    name = "scanner"
    resource = kinds.MODULE_SOURCE
    watches: tuple[Watch, ...] = ()

    def __init__(self, kube: Any, clock: VirtualClock, log: DeckhouseLog) -> None:
        self.kube, self.clock, self.log = kube, clock, log

    def reconcile(self, request: Request) -> Result:
        self.kube.get(kinds.MODULE_SOURCE, request.name)
        self.kube.list(kinds.MODULE_CONFIG)
        self._beat(request.name)
        self.log.info("scanner", "scanned", source=request.name)
        return Result(requeue_after=SCAN, idle=True, heartbeat=lambda: self._beat(request.name))

    def _beat(self, name: str) -> None:
        source = self.kube.get(kinds.MODULE_SOURCE, name)
        source["status"] = {**(source.get("status") or {}), "syncTime": stamp(self.clock.now())}
        self.kube.update(kinds.MODULE_SOURCE, source, subresource="status")


class Waiter:
    """A release-like check every 15 s until a ModuleConfig ``gate`` exists, then Deployed.

    ``silent``: it logs nothing while it waits (the manager then moves its timer instead of
    replaying each look); ``opens``: it also waits until that instant (an update window).
    """

    name = "waiter"
    resource = kinds.MODULE_RELEASE
    watches: tuple[Watch, ...] = ()

    def __init__(
        self, kube: Any, clock: VirtualClock, log: DeckhouseLog, silent: bool, opens: datetime | None
    ) -> None:
        self.kube, self.clock, self.log, self.silent, self.opens = kube, clock, log, silent, opens
        self.honest = True

    def reconcile(self, request: Request) -> Result:
        release = self.kube.get(kinds.MODULE_RELEASE, request.name)
        if (release.get("status") or {}).get("phase") == "Deployed":
            return Result()
        try:
            self.kube.get(kinds.MODULE_CONFIG, "gate")
            window_open = self.opens is None or self.clock.now() > self.opens
        except NotFound:
            window_open = False
        if not window_open:
            if not self.silent:
                self.log.info("waiter", "waiting", release=request.name)
            until = self.opens + timedelta(microseconds=1) if self.opens and self.honest else None
            return Result(requeue_after=CHECK, idle=True, until=until)
        self.kube.patch(
            kinds.MODULE_RELEASE, request.name, {"status": {"phase": "Deployed"}}, subresource="status"
        )
        return Result()


def _obj(kind: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "deckhouse.io/v1alpha1", "kind": kind, "metadata": {"name": name}, "spec": spec}


def _run(
    coalesce: bool,
    script: Callable[[Any, Manager], None],
    *,
    silent: bool = False,
    opens: datetime | None = None,
    honest: bool = True,
) -> dict[str, Any]:
    clock = VirtualClock()
    server = ApiServer(clock, crd_dir=CRD_DIR)
    try:
        kube = server.client()
        changes: list[Any] = []
        kube.subscribe(lambda e: changes.append([str(e.type), e.object]))
        log = DeckhouseLog(clock)
        reads = ReadRecorder(kube)
        waiter = Waiter(reads, clock, log, silent, opens)
        waiter.honest = honest
        manager = Manager(
            kube,
            clock,
            log,
            [Scanner(reads, clock, log), waiter],
            coalesce=coalesce,
            reads=reads,
        )
        manager.start()
        kube.create(
            kinds.MODULE_SOURCE, _obj("ModuleSource", "example", {"registry": {"repo": "r.example/m"}})
        )
        kube.create(
            kinds.MODULE_RELEASE,
            _obj("ModuleRelease", "echo-v1.0.0", {"moduleName": "echo", "version": "1.0.0"}),
        )
        manager.settle()
        script(kube, manager)
        deployed = [c for c in changes if (c[1].get("status") or {}).get("phase") == "Deployed"]
        manager.stop()
        return {
            "changes": json.loads(json.dumps(changes, default=str)),
            "log": log.lines(),
            "coalesced": manager.coalesced,
            "deployed_at": deployed[0][1]["metadata"]["managedFields"][-1]["time"] if deployed else None,
        }
    finally:
        server.stop()


def _gate(kube: Any) -> None:
    kube.create(kinds.MODULE_CONFIG, _obj("ModuleConfig", "gate", {"enabled": True}))


def _on_grid(kube: Any, manager: Manager) -> None:
    """Time lands exactly on one of the release's checks, then the gate appears."""
    manager.advance(timedelta(hours=2))
    _gate(kube)
    manager.settle()
    manager.advance(timedelta(minutes=1))


def _between_checks(kube: Any, manager: Manager) -> None:
    manager.advance(timedelta(hours=1, seconds=7))
    _gate(kube)
    manager.settle()
    manager.advance(timedelta(minutes=10))


def _same(fast: dict[str, Any], polling: dict[str, Any]) -> None:
    assert fast["deployed_at"] == polling["deployed_at"]
    assert len(fast["changes"]) == len(polling["changes"])
    for i, (a, b) in enumerate(zip(fast["changes"], polling["changes"], strict=True)):
        assert a == b, f"change {i} differs"
    assert fast["log"] == polling["log"]


WINDOW = datetime(2024, 12, 16, 10, 5, 7, tzinfo=UTC)


@pytest.mark.parametrize("script", [_on_grid, _between_checks], ids=["on-a-check", "between-checks"])
@pytest.mark.parametrize(
    ("silent", "opens"), [(False, None), (True, None), (True, WINDOW)], ids=["logging", "silent", "window"]
)
def test_replaying_idle_looks_leaves_the_same_history_log_and_timing_as_polling(script, silent, opens):
    polling = _run(False, script, silent=silent, opens=opens)
    fast = _run(True, script, silent=silent, opens=opens)
    assert polling["coalesced"] == 0
    assert fast["coalesced"] > 200  # the work was really skipped
    _same(fast, polling)


@pytest.mark.parametrize("silent", [False, True], ids=["logging", "silent"])
def test_a_change_exactly_on_a_check_instant_is_seen_at_the_following_check(silent):
    polling = _run(False, _on_grid, silent=silent)
    # the check at 11:00:00 ran before the gate appeared at 11:00:00: DKP sees it at 11:00:15
    assert polling["deployed_at"] == "2024-12-16T11:00:15Z"
    assert _run(True, _on_grid, silent=silent)["deployed_at"] == "2024-12-16T11:00:15Z"


def test_a_look_that_hides_its_time_dependence_is_caught_by_the_comparison():
    """The differential comparison can fail: a waiter that does not say when its window opens
    (no ``until``) is replayed past the opening, so it deploys later than polling does."""
    polling = _run(False, _between_checks, silent=True, opens=WINDOW, honest=False)
    fast = _run(True, _between_checks, silent=True, opens=WINDOW, honest=False)
    assert polling["deployed_at"] == "2024-12-16T10:05:15Z"
    assert fast["deployed_at"] != polling["deployed_at"]
    with pytest.raises(AssertionError):
        _same(fast, polling)


def test_heartbeat_versions_of_skipped_scans_are_all_in_the_history():
    fast = _run(True, _between_checks)
    beats = [c for c in fast["changes"] if c[1]["kind"] == "ModuleSource" and c[0] == "MODIFIED"]
    assert len(beats) == len(range(0, 70, 3))  # one per 3 minutes from 09:00 to 10:10:07
