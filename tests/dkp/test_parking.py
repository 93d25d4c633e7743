"""DKP's 15-second check grid for parked releases (pure arithmetic of harness.dkp.runtime.parking)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from harness.dkp.runtime.parking import Parked, Parking, fingerprint

ANCHOR = datetime(2024, 12, 16, 9, 3, tzinfo=UTC)
EVERY_15S = timedelta(seconds=15)


def at(seconds: float) -> datetime:
    return ANCHOR + timedelta(seconds=seconds)


def test_a_change_between_checks_is_seen_at_the_next_check_of_the_grid():
    parked = Parked(ANCHOR, EVERY_15S, ())
    assert parked.next_check(at(3607)) == at(3615)


def test_a_change_exactly_on_a_check_is_seen_at_that_check():
    assert Parked(ANCHOR, EVERY_15S, ()).next_check(at(30)) == at(30)


def test_a_change_at_the_parking_instant_waits_for_the_following_check():
    assert Parked(ANCHOR, EVERY_15S, ()).next_check(ANCHOR) == at(15)


def test_a_timed_deadline_before_the_next_check_wins():
    parked = Parked(ANCHOR, timedelta(seconds=60), (), deadline=at(45))
    assert parked.next_check(at(10)) == at(45)


def test_poking_marks_the_parked_releases_that_read_the_kind():
    parking = Parking()
    parking.park("a", Parked(ANCHOR, EVERY_15S, (), reads=frozenset({"modules.deckhouse.io"})))
    parking.park("b", Parked(ANCHOR, EVERY_15S, (), reads=frozenset({"modules.deckhouse.io", "x.y"})))
    parking.park("c", Parked(ANCHOR, EVERY_15S, (), reads=frozenset({"x.y"})))
    assert parking.poke("modules.deckhouse.io") == ["a", "b"]
    assert parking.get("a").poked and parking.get("b").poked
    assert not parking.get("c").poked
    parking.unpark("a")
    assert len(parking) == 2


def test_the_fingerprint_follows_generation_and_annotations_but_not_status():
    release = {"metadata": {"generation": 1, "annotations": {"x": "1"}}, "status": {"phase": "Pending"}}
    moved = {**release, "status": {"phase": "Deployed"}}
    approved = {"metadata": {"generation": 1, "annotations": {"x": "1", "y": "2"}}}
    assert fingerprint(release) == fingerprint(moved)
    assert fingerprint(release) != fingerprint(approved)
