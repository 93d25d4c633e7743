from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harness.clock import ScaledClock

START = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)


def test_time_flows_n_times_as_fast_as_the_wall_clock():
    wall = [50.0]
    clock = ScaledClock(60, START, monotonic=lambda: wall[0])
    assert clock.now() == START
    wall[0] += 3.0 + 1e-9
    assert clock.now() == START + timedelta(minutes=3)
    assert clock.wall_seconds(timedelta(minutes=3)) == 3.0


def test_scale_one_is_real_time_and_timers_use_the_scaled_instant():
    wall = [0.0]
    clock = ScaledClock(1, START, monotonic=lambda: wall[0])
    fired = []
    clock.call_at(START + timedelta(seconds=15), lambda: fired.append(1))
    assert clock.pop_due() == []
    wall[0] = 15.0
    [callback] = clock.pop_due()
    callback()
    assert fired == [1]


def test_time_moves_in_ticks_so_timers_wake_at_the_instant_they_were_set_for():
    wall = [0.0]
    clock = ScaledClock(60, START, monotonic=lambda: wall[0])
    assert clock.tick == 5
    wall[0] = 0.25 + 0.01  # 15.6 s of cluster time: still the tick that began at 15 s
    assert clock.now() == START + timedelta(seconds=15)
    assert clock.wall_seconds_until(START + timedelta(seconds=20)) == pytest.approx(4.4 / 60)


def test_a_scale_that_is_not_positive_is_refused():
    with pytest.raises(ValueError, match="positive"):
        ScaledClock(0)
