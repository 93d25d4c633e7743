"""The clock: virtual time moves only when told; timers fire only when their driver asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harness.clock import RealClock, VirtualClock, parse_duration, utc

START = datetime(2024, 12, 18, 13, 25, tzinfo=UTC)


def test_virtual_time_stands_still_until_it_is_moved():
    clock = VirtualClock(START)
    assert clock.now() == clock.now() == START
    clock.advance(timedelta(minutes=3))
    assert clock.now() == START + timedelta(minutes=3)
    clock.set(datetime(2024, 12, 25, 0, 0))  # naive means UTC
    assert clock.now() == datetime(2024, 12, 25, tzinfo=UTC)


def test_a_negative_advance_is_refused_with_the_duration_named():
    with pytest.raises(ValueError, match="negative duration"):
        VirtualClock(START).advance(timedelta(seconds=-1))


def test_due_timers_come_out_in_deadline_order_and_only_once():
    clock = VirtualClock(START)
    fired: list[str] = []
    clock.call_later(timedelta(seconds=20), lambda: fired.append("late"))
    clock.call_later(timedelta(seconds=5), lambda: fired.append("early"))
    clock.call_at(START + timedelta(seconds=5), lambda: fired.append("early-second"))
    assert clock.pop_due() == []
    assert clock.next_deadline() == START + timedelta(seconds=5)
    clock.advance(timedelta(seconds=30))
    for callback in clock.pop_due():
        callback()
    assert fired == ["early", "early-second", "late"]
    assert clock.pop_due() == []
    assert clock.next_deadline() is None


def test_a_cancelled_timer_never_fires_and_does_not_count_as_pending():
    clock = VirtualClock(START)
    timer = clock.call_later(timedelta(seconds=1), lambda: pytest.fail("cancelled timer fired"))
    assert clock.pending_timers == 1
    timer.cancel()
    assert clock.pending_timers == 0
    assert clock.next_deadline() is None
    clock.advance(timedelta(seconds=2))
    assert clock.pop_due() == []


def test_the_real_clock_is_aware_utc_and_shares_the_timer_queue():
    clock = RealClock()
    assert clock.now().tzinfo is UTC
    past = clock.now() - timedelta(seconds=1)
    clock.call_at(past, lambda: None)
    assert len(clock.pop_due()) == 1


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("15s", 15), ("3m", 180), ("1h30m", 5400), ("2d", 172800), ("1w", 604800), ("250ms", 0.25)],
    ids=["seconds", "minutes", "hours-and-minutes", "days", "weeks", "milliseconds"],
)
def test_go_style_durations_parse(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("3 minutes", 180),
        ("1 minute", 60),
        ("an hour", 3600),
        ("2 days and 1 hour", 176400),
        ("2 Weeks", 1209600),
    ],
)
def test_the_scenarios_spelled_out_durations_parse_too(text, seconds):
    """`dkp-harness time advance "3 minutes"` reads as the step `When 3 minutes pass` does."""
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "3", "three minutes", "3x", "m3", "3 mins", "3 minutes later"])
def test_a_bad_duration_says_what_forms_are_accepted(text):
    with pytest.raises(
        ValueError, match=r"use a number and a unit, e\.g\. 15s, 3m, 1h30m, 2d, or as the scenarios"
    ):
        parse_duration(text)


def test_utc_converts_other_zones():
    from datetime import timezone

    plus_three = datetime(2024, 12, 18, 16, 25, tzinfo=timezone(timedelta(hours=3)))
    assert utc(plus_three) == START
