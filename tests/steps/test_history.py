from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from harness.kube.client import EventType, WatchEvent
from harness.kube.resources import Resource
from harness.steps.history import History, HistoryError

MR = Resource("deckhouse.io", "v1alpha1", "modulereleases", "ModuleRelease")
MODULE = Resource("deckhouse.io", "v1alpha1", "modules", "Module")
START = datetime(2024, 12, 18, 13, 25, tzinfo=UTC)


class Feed:
    """Drives a History the way the cluster's change feed does, one minute per change."""

    def __init__(self):
        self.now = START
        self.history = History(now=lambda: self.now)

    def change(
        self, resource, name, phase, *, module="module-one", annotations=None, kind=EventType.MODIFIED
    ):
        obj = {
            "metadata": {"name": name, "annotations": annotations or {}},
            "spec": {"moduleName": module},
            "status": {"phase": phase},
        }
        self.history.record(WatchEvent(kind, resource, obj))
        self.now += timedelta(minutes=1)


def test_the_timeline_has_one_row_per_phase_change_not_per_write():
    feed = Feed()
    for phase in ("Available", "Available", "Downloading", "Installing", "Installing", "Ready"):
        feed.change(MODULE, "module-one", phase)
    rows = feed.history.timeline()
    assert [r.phase for r in rows] == ["Available", "Downloading", "Installing", "Ready"]
    assert rows[1].at == START + timedelta(minutes=2)


def test_went_through_accepts_the_phases_in_order_with_others_between():
    feed = Feed()
    for phase in ("Available", "Downloading", "Installing", "Ready"):
        feed.change(MODULE, "module-one", phase)
    feed.history.assert_went_through("Module", "module-one", ["Downloading", "Ready"])


def test_went_through_fails_on_the_wrong_order_and_tells_the_real_sequence():
    feed = Feed()
    for phase in ("Available", "Installing", "Downloading", "Ready"):
        feed.change(MODULE, "module-one", phase)
    with pytest.raises(HistoryError, match="Available → Installing → Downloading → Ready"):
        feed.history.assert_went_through("Module", "module-one", ["Downloading", "Installing", "Ready"])


def test_went_through_of_a_name_never_seen_names_the_objects_of_its_kind_that_were():
    feed = Feed()
    feed.change(MR, "module-one-v0.7.23", "Deployed")
    feed.change(MR, "module-one-v0.8.0", "Pending")
    with pytest.raises(HistoryError) as caught:
        feed.history.assert_went_through("ModuleRelease", "module-one-v0.7.32", ["Deployed"])
    assert str(caught.value).endswith(
        "none (it never had a phase); no ModuleRelease of that name was ever seen (did you mean"
        " 'module-one-v0.7.23'? the ModuleRelease objects seen: module-one-v0.7.23, module-one-v0.8.0)"
    )
    with pytest.raises(HistoryError) as seen:  # a name that was there: no list
        feed.history.assert_went_through("ModuleRelease", "module-one-v0.8.0", ["Deployed"])
    assert "ever seen" not in str(seen.value)


def test_a_release_deployed_after_its_approval_passes():
    feed = Feed()
    feed.change(MR, "module-one-v0.8.0", "Pending")
    feed.change(MR, "module-one-v0.8.0", "Pending", annotations={"modules.deckhouse.io/approved": "true"})
    feed.change(MR, "module-one-v0.8.0", "Deployed", annotations={"modules.deckhouse.io/approved": "true"})
    feed.history.assert_never_deployed_before_approval("module-one-v0.8.0")


def test_a_release_deployed_before_its_approval_fails_even_if_approved_later():
    feed = Feed()
    feed.change(MR, "module-one-v0.8.0", "Pending")
    feed.change(MR, "module-one-v0.8.0", "Deployed")
    feed.change(MR, "module-one-v0.8.0", "Deployed", annotations={"modules.deckhouse.io/approved": "true"})
    with pytest.raises(HistoryError, match="Deployed at 2024-12-18 13:26:00 UTC without"):
        feed.history.assert_never_deployed_before_approval("module-one-v0.8.0")


def test_an_approval_under_another_key_does_not_count():
    feed = Feed()
    feed.change(MR, "module-one-v0.8.0", "Deployed", annotations={"release.deckhouse.io/approved": "true"})
    with pytest.raises(HistoryError):
        feed.history.assert_never_deployed_before_approval("module-one-v0.8.0")


def test_two_deployed_releases_at_any_moment_break_the_invariant_even_if_fixed_later():
    feed = Feed()
    feed.change(MR, "module-one-v0.7.24", "Deployed")
    feed.change(MR, "module-one-v0.8.0", "Deployed")
    feed.change(MR, "module-one-v0.7.24", "Superseded")
    with pytest.raises(HistoryError, match=re.escape("module-one-v0.7.24, module-one-v0.8.0")):
        feed.history.assert_single_deployed("module-one")


def test_superseding_before_deploying_keeps_the_invariant_and_other_modules_do_not_count():
    feed = Feed()
    feed.change(MR, "module-one-v0.7.24", "Deployed")
    feed.change(MR, "module-two-v1.2.3", "Deployed", module="module-two")
    feed.change(MR, "module-one-v0.7.24", "Superseded")
    feed.change(MR, "module-one-v0.8.0", "Deployed")
    feed.history.assert_single_deployed("module-one")


def test_a_deleted_release_no_longer_counts_as_deployed():
    feed = Feed()
    feed.change(MR, "module-one-v0.7.24", "Deployed")
    feed.change(MR, "module-one-v0.7.24", "Deployed", kind=EventType.DELETED)
    feed.change(MR, "module-one-v0.8.0", "Deployed")
    feed.history.assert_single_deployed("module-one")
