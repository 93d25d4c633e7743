"""The cluster clock, the scenario timeline and eventually-checks, on a fake wall clock (no waiting)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harness.target import timing
from harness.target.timing import ClusterClock, Timeline, eventually, parse_date_header, parse_timestamp

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


class FakeWall:
    """A monotonic clock that only moves when ``pause`` is called (patched into timing)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def pause(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def wall(monkeypatch):
    fake = FakeWall()
    monkeypatch.setattr(timing, "pause", fake.pause)
    monkeypatch.setattr(timing.time, "monotonic", fake)
    return fake


def cluster_reading(wall: FakeWall, scale: float):
    """A Date header: the cluster's time, ``scale`` times the wall clock, truncated to the second."""

    def read() -> datetime:
        exact = T0 + timedelta(seconds=(wall.now - 100.0) * scale)
        return exact.replace(microsecond=0)

    return read


@pytest.mark.parametrize("scale", [1.0, 60.0])
def test_the_clock_measures_how_fast_the_clusters_time_runs(wall, scale):
    clock = ClusterClock(cluster_reading(wall, scale), monotonic=wall)
    rate = clock.calibrate()
    assert rate == pytest.approx(scale, rel=0.05)
    wall.pause(10.0)
    assert (
        abs((clock.now() - (T0 + timedelta(seconds=(wall.now - 100.0) * scale))).total_seconds())
        < scale * 0.6
    )


@pytest.mark.parametrize("scale", [1.0, 60.0])
def test_three_minutes_of_cluster_time_take_three_minutes_or_three_seconds(wall, scale):
    clock = ClusterClock(cluster_reading(wall, scale), monotonic=wall)
    clock.calibrate()
    timeline = Timeline(clock)
    timeline.start()
    before = wall.now
    timeline.wait(timedelta(minutes=3))
    waited = wall.now - before
    # Three minutes, plus one 15-second release check for what fell due at the end to be done.
    assert 195 / scale <= waited <= 195 / scale * 1.1 + 0.05
    # Steps take time on a real cluster: the next wait still lasts its full span from now.
    wall.pause(20 / scale)
    timeline.wait(timedelta(minutes=1))
    assert wall.now - before == pytest.approx((195 + 20 + 60 + 15) / scale, rel=0.1)
    assert timeline.elapsed == timedelta(minutes=4)


def test_timestamps_are_compared_on_the_scenarios_timeline_within_the_slack(wall):
    clock = ClusterClock(cluster_reading(wall, 1.0), monotonic=wall)
    timeline = Timeline(clock, scenario_start=datetime(2024, 12, 16, 9, 0, tzinfo=UTC))
    timeline.start()
    assert timeline.anchor is not None
    three_minutes_on = (timeline.anchor + timedelta(minutes=3, seconds=4)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert timeline.same_time("2024-12-16T09:03:00Z", three_minutes_on) is True
    assert timeline.same_time("2024-12-16T09:06:00Z", three_minutes_on) is False
    assert timeline.same_time("Ready", three_minutes_on) is None


def test_eventually_retries_until_the_check_holds(wall):
    clock = ClusterClock(cluster_reading(wall, 60.0), monotonic=wall)
    clock.calibrate()
    calls = []

    def check() -> str:
        calls.append(wall.now)
        if len(calls) < 4:
            raise AssertionError("not yet")
        return "done"

    assert eventually(check, clock) == "done"
    assert len(calls) == 4


def test_eventually_gives_up_after_the_deadline_with_the_checks_own_message(wall):
    clock = ClusterClock(cluster_reading(wall, 60.0), monotonic=wall)
    clock.calibrate()
    start_wall = wall.now

    def check() -> None:
        raise AssertionError("Module 'module-one': status.phase is 'Available', expected 'Ready'")

    with pytest.raises(AssertionError, match="expected 'Ready'"):
        eventually(check, clock, deadline=timedelta(minutes=4))
    # 4 cluster minutes at 60x is 4 wall seconds (at least the 2-second floor), and not much more.
    assert 4.0 <= wall.now - start_wall <= 6.0


def test_other_errors_are_not_retried(wall):
    clock = ClusterClock(cluster_reading(wall, 1.0), monotonic=wall)
    calls = []

    def check() -> None:
        calls.append(1)
        raise KeyError("bug")

    with pytest.raises(KeyError):
        eventually(check, clock)
    assert calls == [1]


def test_http_dates_and_kubernetes_timestamps_parse_to_utc():
    assert parse_date_header("Mon, 05 Jan 2026 12:00:00 GMT") == T0
    assert parse_timestamp("2026-01-05T12:00:00Z") == T0
    assert parse_timestamp("v1.2.3") is None
    assert parse_timestamp(3) is None


def test_a_clock_that_never_moves_fails_calibration_with_what_to_do(wall):
    stopped = T0.replace(microsecond=0)
    clock = ClusterClock(lambda: stopped, monotonic=wall)
    with pytest.raises(timing.ClockStandsStill, match=r"did not move in 10 s.*--time-scale"):
        clock.calibrate()
    assert timing.CALIBRATION_DEADLINE <= wall.now - 100.0 <= timing.CALIBRATION_DEADLINE + 0.1
