"""The manager: queue, timers, backoff, settle and time jumps, over the real fake API server.

Toy controllers record what they were asked to reconcile and when (virtual time), so each test
states one rule of the manager as an observable sequence. Objects are ModuleUpdatePolicies only
because no simulated DKP controller runs here and the kind is simple.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from harness.api import kinds
from harness.clock import RealClock, ScaledClock
from harness.dkp.runtime.manager import BackgroundDriver, LivelockError, Manager, TimeControlError
from harness.dkp.runtime.predicates import generation_changed
from harness.dkp.runtime.reconcile import Request, Result, Watch
from harness.kube.errors import Conflict


def policy(name: str, mode: str = "Auto") -> dict:
    return {
        "apiVersion": "deckhouse.io/v1alpha2",
        "kind": "ModuleUpdatePolicy",
        "metadata": {"name": name},
        "spec": {"update": {"mode": mode}},
    }


class Recorder:
    """Records (name, virtual time) per reconcile; ``plan`` maps a name to what to return or raise."""

    resource = kinds.MODULE_UPDATE_POLICY

    def __init__(self, clock, name="recorder", plan=None, watches=()):
        self.name = name
        self.clock = clock
        self.plan = plan or {}
        self.watches = tuple(watches)
        self.calls: list[tuple[str, datetime]] = []

    def reconcile(self, request: Request) -> Result:
        self.calls.append((request.name, self.clock.now()))
        outcome = self.plan.get(request.name, Result())
        if callable(outcome):
            outcome = outcome(len(self.calls))
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def names(self) -> list[str]:
        return [n for n, _ in self.calls]

    def offsets(self, start: datetime) -> list[float]:
        return [(t - start).total_seconds() for _, t in self.calls]


def test_existing_objects_are_reconciled_once_at_start(kube, clock, make_manager):
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("a"))
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("b"))
    rec = Recorder(clock)
    manager = make_manager([rec])
    assert manager.settle() == 2
    assert sorted(rec.names()) == ["a", "b"]


def test_events_waiting_for_the_same_key_are_deduplicated_and_served_in_arrival_order(
    kube, clock, make_manager
):
    rec = Recorder(clock)
    manager = make_manager([rec])
    for name in ("c", "a", "b"):
        kube.create(kinds.MODULE_UPDATE_POLICY, policy(name))
    kube.patch(kinds.MODULE_UPDATE_POLICY, "c", {"spec": {"update": {"mode": "Manual"}}})
    manager.settle()
    assert rec.names() == ["c", "a", "b"]


def test_watch_mapper_enqueues_requests_for_other_kinds(kube, clock, make_manager):
    watch = Watch(kinds.MODULE_CONFIG, map=lambda e: [Request("mapped-" + e.object["metadata"]["name"])])
    rec = Recorder(clock, watches=[watch])
    manager = make_manager([rec])
    kube.create(
        kinds.MODULE_CONFIG,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleConfig",
            "metadata": {"name": "x"},
            "spec": {"enabled": True},
        },
    )
    manager.settle()
    assert rec.names() == ["mapped-x"]


def test_predicate_ignores_updates_that_do_not_change_the_generation(kube, clock, make_manager):
    rec = Recorder(clock)
    rec.predicate = staticmethod(generation_changed)
    manager = make_manager([rec])
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("a"))
    manager.settle()
    kube.patch(kinds.MODULE_UPDATE_POLICY, "a", {"metadata": {"labels": {"x": "y"}}})
    manager.settle()
    kube.patch(kinds.MODULE_UPDATE_POLICY, "a", {"spec": {"update": {"mode": "Manual"}}})
    manager.settle()
    assert rec.names() == ["a", "a"]


def test_requeue_after_fires_at_the_virtual_deadline(kube, clock, make_manager):
    start = clock.now()
    rec = Recorder(clock, plan={"a": lambda n: Result(timedelta(minutes=3)) if n == 1 else Result()})
    manager = make_manager([rec])
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("a"))
    manager.settle()
    manager.advance(timedelta(minutes=2, seconds=59))
    assert rec.offsets(start) == [0.0]
    manager.advance(timedelta(seconds=1))
    assert rec.offsets(start) == [0.0, 180.0]


def test_a_halted_manager_runs_only_the_kept_controllers_until_restarted(kube, clock, make_manager):
    """Deckhouse scaled to zero: its controllers neither reconcile changes nor keep their timers;
    the kept one (Kubernetes' own) goes on; a restart lists everything again."""
    start = clock.now()
    every_minute = Recorder(clock, plan={"a": Result(timedelta(minutes=1))})
    kept = Recorder(clock, name="kept")
    manager = make_manager([every_minute, kept])
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("a"))
    manager.settle()
    manager.halt(keep=["kept"])
    assert manager.halted
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("b"))
    manager.advance(timedelta(minutes=10))
    assert (every_minute.offsets(start), kept.names()) == ([0.0], ["a", "b"])
    manager.restart()
    manager.advance(timedelta(minutes=1))
    assert not manager.halted
    assert every_minute.offsets(start) == [0.0, 600.0, 600.0, 660.0]
    assert sorted(every_minute.names()[1:3]) == ["a", "b"]
    with pytest.raises(KeyError, match="no controller named"):
        manager.halt(keep=["nobody"])


def test_a_newer_requeue_replaces_the_older_one(kube, clock, make_manager):
    start = clock.now()
    delays = {1: timedelta(seconds=10), 2: timedelta(seconds=3)}
    rec = Recorder(clock, plan={"a": lambda n: Result(delays.get(n))})
    manager = make_manager([rec])
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("a"))
    manager.settle()
    clock.advance(timedelta(seconds=1))
    kube.patch(kinds.MODULE_UPDATE_POLICY, "a", {"spec": {"update": {"mode": "Manual"}}})
    manager.settle()
    manager.advance(timedelta(seconds=30))
    assert rec.offsets(start) == [0.0, 1.0, 4.0]


def test_failures_are_logged_and_retried_with_doubling_backoff(kube, clock, make_manager, dkp_log):
    start = clock.now()
    rec = Recorder(
        clock, plan={"a": lambda n: Conflict("the object has been modified") if n <= 4 else Result()}
    )
    manager = make_manager([rec])
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("a"))
    manager.settle()
    manager.advance(timedelta(minutes=1))
    assert rec.offsets(start) == [0.0, 1.0, 3.0, 7.0, 15.0]
    errors = [line for line in dkp_log.lines() if "Reconciler error" in line]
    assert len(errors) == 4
    assert "the object has been modified" in errors[0] and '"retryAfter":"1s"' in errors[0]


def test_a_failure_dkp_would_not_have_is_also_reported_as_a_simulator_bug(kube, clock, make_manager, caplog):
    """A KeyError in a reconcile is the harness's bug: DKP's log gets its line as ever, and the
    process's log (serve's stderr) the trace, where a sandbox user can see it."""
    rec = Recorder(
        clock, plan={"a": lambda n: KeyError("spec") if n == 1 else Result(), "b": lambda n: Conflict("x")}
    )
    manager = make_manager([rec])
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("a"))
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("b"))
    with caplog.at_level("ERROR", logger="harness.dkp.runtime.manager"):
        manager.settle()
    bugs = [r for r in caplog.records if r.getMessage().startswith("simulator bug:")]
    assert len(bugs) == 1 and "Request(name='a'" in bugs[0].getMessage()
    assert isinstance(bugs[0].exc_info[1], KeyError)  # the Conflict of "b" is DKP's own failure


def test_backoff_is_capped_at_five_minutes(kube, clock, make_manager):
    start = clock.now()
    rec = Recorder(clock, plan={"a": RuntimeError("boom")})
    manager = make_manager([rec])
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("a"))
    manager.advance(timedelta(minutes=30))
    gaps = [b - a for a, b in zip(rec.offsets(start), rec.offsets(start)[1:], strict=False)]
    assert gaps[:9] == [1, 2, 4, 8, 16, 32, 64, 128, 256]
    assert set(gaps[9:]) == {300}


def test_livelock_is_reported_with_the_hottest_key(kube, clock, dkp_log):
    class Flipper(Recorder):
        def reconcile(self, request):
            super().reconcile(request)
            mode = kube.get(kinds.MODULE_UPDATE_POLICY, request.name)["spec"]["update"]["mode"]
            kube.patch(
                kinds.MODULE_UPDATE_POLICY,
                request.name,
                {"spec": {"update": {"mode": "Manual" if mode == "Auto" else "Auto"}}},
            )
            return Result()

    manager = Manager(kube, clock, dkp_log, [Flipper(clock, name="flipper")], max_per_key=50)
    manager.start()
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("hot"))
    with pytest.raises(LivelockError, match=r"flipper/hot x51"):
        manager.settle()
    manager.stop()


def test_concurrent_writes_from_many_threads_are_all_reconciled(kube, clock, make_manager):
    rec = Recorder(clock)
    manager = make_manager([rec])
    names = [f"p{i}" for i in range(40)]

    def create(chunk):
        for name in chunk:
            kube.create(kinds.MODULE_UPDATE_POLICY, policy(name))

    threads = [threading.Thread(target=create, args=(names[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    manager.settle()
    assert sorted(rec.names()) == sorted(names)


def test_advance_stops_at_each_timer_and_ends_at_the_target(kube, clock, make_manager):
    start = clock.now()
    rec = Recorder(clock, plan={"a": Result(timedelta(seconds=40))})
    manager = make_manager([rec])
    kube.create(kinds.MODULE_UPDATE_POLICY, policy("a"))
    now = manager.advance(timedelta(minutes=2, seconds=10))
    assert rec.offsets(start) == [0.0, 40.0, 80.0, 120.0]
    assert now == start + timedelta(minutes=2, seconds=10) == clock.now()


def test_set_time_moves_forward_and_refuses_to_go_back(kube, clock, make_manager):
    manager = make_manager([Recorder(clock)])
    target = clock.now() + timedelta(hours=4)
    assert manager.set_time(target) == target
    with pytest.raises(TimeControlError, match="only moves forward"):
        manager.set_time(target - timedelta(seconds=1))


@pytest.mark.parametrize("clock", [RealClock(), ScaledClock(60)], ids=["real", "scaled"])
def test_time_cannot_be_moved_on_a_clock_that_runs_by_itself(kube, dkp_log, clock):
    manager = Manager(kube, clock, dkp_log, [])
    with pytest.raises(
        TimeControlError, match=r"runs by itself \(real time, or scaled: serve --real-time or"
    ):
        manager.advance(timedelta(seconds=1))


def test_same_scenario_gives_the_same_reconcile_sequence(api, clock, dkp_log):
    def run():
        from harness.apiserver import ApiServer
        from harness.clock import VirtualClock

        vclock = VirtualClock(clock.now())
        server = ApiServer(vclock)
        client = server.client()
        rec = Recorder(vclock, plan={"a": Result(timedelta(seconds=7)), "b": Result(timedelta(seconds=5))})
        manager = Manager(client, vclock, dkp_log, [rec])
        manager.start()
        for name in ("b", "a"):
            client.create(kinds.MODULE_UPDATE_POLICY, policy(name))
        manager.advance(timedelta(seconds=36))
        server.stop()
        return rec.calls

    assert run() == run()


def test_background_driver_settles_when_work_arrives(kube, clock, dkp_log):
    done = threading.Event()

    class Signal(Recorder):
        def reconcile(self, request):
            result = super().reconcile(request)
            if request.name == "wake":
                done.set()
            return result

    rec = Signal(clock)
    manager = Manager(kube, clock, dkp_log, [rec])
    manager.start()
    driver = BackgroundDriver(manager, clock)
    driver.start()
    try:
        kube.create(kinds.MODULE_UPDATE_POLICY, policy("wake"))
        assert done.wait(timeout=10), "the background driver did not pick up the write"
    finally:
        driver.stop()
        manager.stop()
    assert not driver.alive
    assert rec.names() == ["wake"]


def test_wait_idle_returns_once_the_driver_has_reconciled_earlier_writes(kube, clock, dkp_log):
    """The sandbox's read barrier: a read after a write sees the controllers' work, without polling."""
    release = threading.Event()

    class Gate(Recorder):
        def reconcile(self, request):
            release.wait(timeout=10)  # held until the test lets the reconcile finish
            return super().reconcile(request)

    rec = Gate(clock)
    manager = Manager(kube, clock, dkp_log, [rec])
    manager.start()
    driver = BackgroundDriver(manager, clock)
    driver.start()
    try:
        assert driver.wait_idle(timeout=10)  # nothing to do yet
        kube.create(kinds.MODULE_UPDATE_POLICY, policy("late"))
        assert not driver.wait_idle(timeout=0)  # the reconcile is queued or running
        release.set()
        assert driver.wait_idle(timeout=10)
        assert rec.names() == ["late"]
    finally:
        release.set()
        driver.stop()
        manager.stop()
