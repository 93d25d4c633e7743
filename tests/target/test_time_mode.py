"""The report names a ``serve --time-scale 60`` sandbox "scaled x60", however the reads fell.

The rate is measured from ``Date`` headers (one-second resolution) over half a wall second, so it
is known to a few percent; rounding it gave x59 about one run in three. The clock now keeps the
bounds its edges allow and reports the simplest scale within them. The reads here take a
pseudo-random few milliseconds on a fake wall clock (seeded: the same every run, no waiting).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from harness.target import timing
from harness.target.timing import ClusterClock, simplest_rate, time_mode

T0 = datetime(2026, 1, 5, 12, 0, 0, 300000, tzinfo=UTC)


class JitteryWall:
    """A monotonic clock moved by ``pause`` and by each request's way there and back."""

    def __init__(self, seed: int) -> None:
        self.now = 100.0
        self.random = random.Random(seed)

    def __call__(self) -> float:
        return self.now

    def pause(self, seconds: float) -> None:
        self.now += seconds

    def reader(self, scale: float):
        def read() -> datetime:
            self.now += self.random.uniform(0.0005, 0.006)  # the request reaches the server
            seen = (T0 + timedelta(seconds=(self.now - 100.0) * scale)).replace(microsecond=0)
            self.now += self.random.uniform(0.0005, 0.006)  # the answer comes back
            return seen

        return read


@pytest.mark.parametrize(
    ("scale", "expected"), [(60.0, "scaled x60"), (1.0, "real"), (3600.0, "scaled x3600")]
)
def test_the_time_mode_is_the_scale_the_sandbox_runs_at(monkeypatch, scale, expected):
    modes = set()
    for seed in range(40):
        wall = JitteryWall(seed)
        monkeypatch.setattr(timing, "pause", wall.pause)
        clock = ClusterClock(wall.reader(scale), monotonic=wall)
        clock.calibrate()
        low, high = clock.rate_bounds()
        assert low <= scale <= high
        modes.add(clock.time_mode())
    assert modes == {expected}


@pytest.mark.parametrize(
    ("low", "high", "scale"),
    [
        (58.9, 61.2, 60),
        (0.97, 1.03, 1),
        (3420.0, 3780.0, 3600),
        (9.6, 10.4, 10),
        (59.1, 59.4, 59),
        (14.2, 15.9, 15),
    ],
)
def test_the_scale_has_the_digits_the_measurement_supports(low, high, scale):
    assert simplest_rate(low, high) == scale


def test_a_clock_at_the_wall_clocks_pace_is_real_time():
    assert time_mode(0.98, 1.02) == "real"
    assert time_mode(57.3, 61.8) == "scaled x60"
