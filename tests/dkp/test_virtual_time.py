"""Cheap virtual time: the manager replays idle periodic looks instead of running them.

The manager tests drive toy controllers over the real API server; the release and source tests
use the real controllers against a real registry. Each checks that what DKP would show (object
state, the Deckhouse log, the instants at which things happen) is kept while the work is skipped.
tests/dkp/test_idle_replay.py has the finer toy cases (shortcut on and off compared, a dishonest look).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from harness.api import annotations as ann
from harness.api import kinds
from harness.dkp.rules import conditions
from harness.dkp.runtime.reconcile import Request, Result, Watch

SCAN = timedelta(minutes=3)
T0 = "2024-12-16T09:00:00Z"


class Ticker:
    """A periodic look every 3 min that logs and records when it really ran."""

    name = "ticker"
    resource = kinds.MODULE_SOURCE
    watches: tuple[Watch, ...] = ()

    def __init__(self, clock, log, *, idle: bool) -> None:
        self.clock, self.log, self.idle = clock, log, idle
        self.ran: list[datetime] = []

    def reconcile(self, request: Request) -> Result:
        self.ran.append(self.clock.now())
        self.log.info("ticker", "looked", name=request.name)
        return Result(requeue_after=SCAN, idle=self.idle)


class Writer:
    """Writes one unrelated object at ``at`` (a change the ticker's look might depend on)."""

    name = "writer"
    resource = kinds.MODULE_CONFIG
    watches: tuple[Watch, ...] = ()

    def __init__(self, kube, clock, at: timedelta) -> None:
        self.kube, self.clock, self.at, self.start = kube, clock, at, clock.now()

    def reconcile(self, request: Request) -> Result:
        due = self.start + self.at
        if request.name != "w":
            return Result()  # its own object's creation event
        if self.clock.now() < due:
            return Result(requeue_after=due - self.clock.now())
        body = {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleConfig", "metadata": {"name": "x"}}
        self.kube.create(kinds.MODULE_CONFIG, {**body, "spec": {"enabled": True}})
        return Result()


def minutes(ticker: Ticker) -> list[int]:
    return [int((t - ticker.ran[0]).total_seconds() // 60) for t in ticker.ran]


def logged_minutes(log) -> list[int]:
    stamps = [json.loads(line)["time"] for line in log.lines() if '"ticker"' in line]
    start = datetime.fromisoformat(stamps[0].replace("Z", "+00:00"))
    return [
        int((datetime.fromisoformat(s.replace("Z", "+00:00")) - start).total_seconds() // 60) for s in stamps
    ]


def test_idle_periodic_looks_are_coalesced_but_still_logged_once_per_period(clock, dkp_log, make_manager):
    ticker = Ticker(clock, dkp_log, idle=True)
    manager = make_manager([ticker])
    manager.enqueue("ticker", Request("a"))
    manager.settle()
    manager.advance(timedelta(hours=1))

    # the first look of the jump runs (the registry may have changed before it); the rest are
    # replayed: each logs its line at its own instant, none runs
    assert minutes(ticker) == [0, 3]
    assert logged_minutes(dkp_log) == list(range(0, 61, 3))
    assert manager.coalesced == 19


def test_looks_not_marked_idle_all_run(clock, dkp_log, make_manager):
    ticker = Ticker(clock, dkp_log, idle=False)
    manager = make_manager([ticker])
    manager.enqueue("ticker", Request("a"))
    manager.advance(timedelta(hours=1))

    assert minutes(ticker) == list(range(0, 61, 3))
    assert manager.coalesced == 0


def test_another_timer_and_its_change_interrupt_the_coalescing(kube, clock, dkp_log, make_manager):
    ticker = Ticker(clock, dkp_log, idle=True)
    manager = make_manager([ticker, Writer(kube, clock, timedelta(minutes=31))])
    manager.enqueue("ticker", Request("a"))
    manager.enqueue("writer", Request("w"))
    manager.advance(timedelta(hours=1))

    # the looks up to the writer's change at 31 min are replayed; the ticker's reads are not
    # recorded, so any change may matter to it: the next look (33) runs, then replays again
    assert minutes(ticker) == [0, 33]
    assert logged_minutes(dkp_log) == list(range(0, 61, 3))


def test_a_timer_not_owned_by_the_manager_ends_the_replaying_when_it_fires(clock, dkp_log, make_manager):
    ticker = Ticker(clock, dkp_log, idle=True)
    manager = make_manager([ticker])
    clock.call_at(clock.now() + timedelta(minutes=10), lambda: None)  # it may change anything
    manager.enqueue("ticker", Request("a"))
    manager.advance(timedelta(minutes=30))

    assert minutes(ticker) == [0, 12]
    assert logged_minutes(dkp_log) == list(range(0, 31, 3))


def test_with_the_shortcut_off_every_look_runs(clock, dkp_log, make_manager):
    ticker = Ticker(clock, dkp_log, idle=True)
    manager = make_manager([ticker], coalesce=False)
    manager.enqueue("ticker", Request("a"))
    manager.advance(timedelta(minutes=30))

    assert minutes(ticker) == list(range(0, 31, 3))
    assert manager.coalesced == 0


# -- the real controllers ---------------------------------------------------------------------------


def enable(kube, clock, module="demo", source="example"):
    obj = kube.get(kinds.MODULE, module)
    obj["properties"]["source"] = source
    obj = kube.update(kinds.MODULE, obj)
    conditions.set_true(obj["status"]["conditions"], "EnabledByModuleConfig", now=clock.now())
    kube.update(kinds.MODULE, obj, subresource="status")


def set_phase(kube, phase, module="demo"):
    obj = kube.get(kinds.MODULE, module)
    obj["status"]["phase"] = phase
    kube.update(kinds.MODULE, obj, subresource="status")


def deckhouse_config(kube, mode):
    body = {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleConfig", "metadata": {"name": "deckhouse"}}
    settings = {"releaseChannel": "Stable", "update": {"mode": mode}}
    try:
        current = kube.get(kinds.MODULE_CONFIG, "deckhouse")
    except Exception:  # noqa: BLE001 - first call creates it
        kube.create(kinds.MODULE_CONFIG, {**body, "spec": {"version": 1, "settings": settings}})
        return
    current["spec"]["settings"] = settings
    kube.update(kinds.MODULE_CONFIG, current)


def release(kube, name):
    return kube.get(kinds.MODULE_RELEASE, name)


@pytest.fixture
def demo(kube, clock, manager, source_manifest, publisher):
    """``demo`` v1.0.0 deployed from ``example`` at 09:00:00 (its first release installs at once)."""
    deckhouse_config(kube, "Manual")
    publisher.publish("demo", "v1.0.0", channels=["Stable"])
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()
    enable(kube, clock)
    manager.settle()
    return publisher


def manual_policy(kube, module="demo"):
    """A ModuleUpdatePolicy ``manual`` (mode Manual) named by the Module, so its releases carry it."""
    named_policy(kube, "manual", {"mode": "Manual"}, module)


def named_policy(kube, name, update, module="demo"):
    """A ModuleUpdatePolicy ``name`` with ``update`` named by the Module, so its releases carry it."""
    body = {"apiVersion": "deckhouse.io/v1alpha2", "kind": "ModuleUpdatePolicy", "metadata": {"name": name}}
    kube.create(kinds.MODULE_UPDATE_POLICY, {**body, "spec": {"releaseChannel": "Stable", "update": update}})
    obj = kube.get(kinds.MODULE, module)
    obj["properties"]["updatePolicy"] = name
    kube.update(kinds.MODULE, obj)


@pytest.mark.registry
def test_a_release_waiting_for_approval_is_not_polled_and_approval_still_deploys_at_once(
    kube, manager, demo, publisher
):
    set_phase(kube, "Ready")
    manual_policy(kube)
    publisher.publish("demo", "v1.1.0", channels=["Stable"])
    manager.advance(SCAN)
    assert release(kube, "demo-v1.1.0")["status"]["phase"] == "Pending"
    before = manager.reconciles
    manager.advance(timedelta(days=7))

    assert (
        release(kube, "demo-v1.1.0")["metadata"]["labels"]["modules.deckhouse.io/update-policy"] == "manual"
    )
    assert manager.reconciles - before < 10  # DKP would look 40,320 times
    assert release(kube, "demo-v1.1.0")["status"]["phase"] == "Pending"
    annotations = {"modules.deckhouse.io/approved": "true"}
    kube.patch(kinds.MODULE_RELEASE, "demo-v1.1.0", {"metadata": {"annotations": annotations}})
    manager.settle()  # DKP watches its releases' annotations: no wait for a check
    assert release(kube, "demo-v1.1.0")["status"]["phase"] == "Deployed"


@pytest.mark.registry
def test_a_policy_change_is_noticed_at_the_next_15_second_check_of_the_release(kube, clock, manager, demo):
    set_phase(kube, "Ready")
    demo.publish("demo", "v1.1.0", channels=["Stable"])
    manager.advance(SCAN)  # the release is made and checked at 09:03:00: its checks fall on :00, :15 …
    manager.advance(timedelta(hours=1, seconds=7))
    deckhouse_config(kube, "Auto")
    manager.settle()
    assert release(kube, "demo-v1.1.0")["status"]["phase"] == "Pending"  # 10:03:07: no check yet
    manager.advance(timedelta(seconds=7))
    assert release(kube, "demo-v1.1.0")["status"]["phase"] == "Pending"  # 10:03:14
    manager.advance(timedelta(seconds=1))
    assert release(kube, "demo-v1.1.0")["status"]["phase"] == "Deployed"  # 10:03:15, as DKP
    assert clock.now().strftime("%H:%M:%S") == "10:03:15"


@pytest.mark.registry
def test_is_updating_turns_false_at_the_first_check_after_the_module_is_ready(kube, manager, demo):
    def updating():
        return release(kube, "demo-v1.0.0")["metadata"]["annotations"][ann.IS_UPDATING]

    assert updating() == "true"
    manager.advance(timedelta(seconds=20))
    set_phase(kube, "Ready")  # 09:00:20, between DKP's checks at :15 and :30
    manager.settle()
    assert updating() == "true"
    manager.advance(timedelta(seconds=9))
    assert updating() == "true"  # 09:00:29
    manager.advance(timedelta(seconds=1))
    assert updating() == "false"  # 09:00:30


@pytest.mark.registry
def test_a_quiet_source_keeps_its_3_minute_sync_time_and_log_and_sees_a_publish_at_the_next_jump(
    kube, manager, dkp_log, demo
):
    manager.advance(timedelta(days=1))
    source = kube.get(kinds.MODULE_SOURCE, "example")
    assert source["status"]["syncTime"] == "2024-12-17T09:00:00Z"
    scans = [line for line in dkp_log.lines() if "module source reconciled" in line]
    assert len(scans) >= 24 * 20 + 1  # one per 3 minutes, as DKP logs them
    assert manager.coalesced > 400

    demo.publish("other", "v0.1.0", channels=["Stable"])
    manager.advance(SCAN)
    assert kube.get(kinds.MODULE, "other")["status"]["phase"] == "Available"


@pytest.mark.registry
def test_a_window_wait_message_moves_on_at_midnight_as_dkps_next_day_search_does(kube, manager, demo):
    # A named policy: under the deckhouse ModuleConfig's settings DKP resolves the policy again at
    # every 15 s check and clears the message before setting it again, two writes a check that a
    # replay must repeat too (tests/cluster/test_cycle_replay.py): two days of them cost ~5 s.
    set_phase(kube, "Ready")
    windows = [{"days": ["Mon", "Wed"], "from": "13:30", "to": "14:00"}]
    named_policy(kube, "windowed", {"mode": "Auto", "windows": windows})
    manager.set_time(datetime.fromisoformat("2024-12-16T14:05:00+00:00"))
    demo.publish("demo", "v1.0.1", channels=["Stable"])
    manager.advance(SCAN)  # Monday 14:06, after Monday's window
    waiting = "Release is waiting for the update window until {} 13:30 UTC"
    assert release(kube, "demo-v1.0.1")["status"]["message"] == waiting.format("18 Dec 24")
    manager.set_time(datetime.fromisoformat("2024-12-17T23:59:59+00:00"))
    assert release(kube, "demo-v1.0.1")["status"]["message"] == waiting.format("18 Dec 24")
    # from Wednesday 00:00 DKP searches from Thursday on, so it names next Monday's window
    manager.set_time(datetime.fromisoformat("2024-12-18T00:00:15+00:00"))
    assert release(kube, "demo-v1.0.1")["status"]["message"] == waiting.format("23 Dec 24")
    manager.set_time(datetime.fromisoformat("2024-12-18T13:30:20+00:00"))
    assert release(kube, "demo-v1.0.1")["status"]["phase"] == "Deployed"  # Wednesday's window
