"""Time on a real target: the cluster's clock, waits that follow it, and eventually-checks.

On the simulator a step moves virtual time and every check reads a settled cluster. A real
cluster cannot be told what time it is, and its controllers run on their own: "3 minutes pass"
must really let three minutes of the *cluster's* time go by, and a check must give DKP the time
its documented intervals allow before it fails. This module is the one place in the harness
that waits on the wall clock, and only a real target uses it.

* :class:`ClusterClock` reads the cluster's time from the ``Date`` header every Kubernetes API
  server sends (kube-apiserver does, as every Go ``net/http`` server; the sandbox of
  ``dkp-harness serve --time-scale N`` sends its scaled time there). It measures how fast that
  time runs against the wall clock, so the same code waits three real minutes on a real cluster
  and three seconds on a sandbox running 60 times faster.
* :class:`Timeline` keeps the scenario's time: the scenario's first write anchors it, and each
  "N minutes pass" moves it on, so waits do not drift by the time the steps themselves take, and
  a timestamp a check expects ("syncTime: 2024-12-16T09:03:00Z", three minutes after the
  scenario's "it is Monday 2024-12-16 09:00 UTC") is compared with the cluster's timestamp
  three minutes after the anchor, within :data:`TIMESTAMP_SLACK`.
* :func:`eventually` runs a check until it holds or :data:`CHECK_DEADLINE` of cluster time has
  passed: the 3-minute ModuleSource scan interval plus :data:`SLACK` (DKP's release checks run
  every 15 seconds, well inside that).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

__all__ = [
    "CHECK_DEADLINE",
    "LONGEST_WAIT",
    "RELEASE_CHECK_INTERVAL",
    "SCAN_INTERVAL",
    "SLACK",
    "TIMESTAMP_SLACK",
    "ClusterClock",
    "Timeline",
    "eventually",
    "parse_date_header",
    "parse_timestamp",
    "simplest_rate",
    "time_mode",
]

T = TypeVar("T")

SCAN_INTERVAL = timedelta(minutes=3)
"""DKP rescans every ModuleSource this often (the page: "every three minutes")."""
RELEASE_CHECK_INTERVAL = timedelta(seconds=15)
"""DKP looks at a waiting ModuleRelease again this often."""
SLACK = timedelta(minutes=1)
"""Added to the documented intervals: time for DKP to download, install and write status."""
CHECK_DEADLINE = SCAN_INTERVAL + SLACK
"""How long (cluster time) a check keeps trying before it fails on a real target."""
TIMESTAMP_SLACK = timedelta(seconds=30)
"""How far (cluster time) a timestamp may lie from the instant the scenario's timeline expects."""
SETTLE_SLACK = RELEASE_CHECK_INTERVAL
"""Added to every wait on a real target: what fell due at its end has been looked at by DKP's
next release check (on the simulator it has been done by the time the step returns)."""
LONGEST_WAIT = timedelta(minutes=30)
"""The longest single wait a real-target run makes; a scenario letting days pass needs virtual time."""
MIN_WALL_DEADLINE = 2.0
"""Wall seconds a check keeps trying at least, however fast the cluster's clock runs."""
_POLL_START, _POLL_MAX = 0.02, 1.0
_CALIBRATION_WALL = 0.5
CALIBRATION_DEADLINE = 10.0
"""Wall seconds the clock may stand still before calibration gives up. A real cluster's ``Date``
header moves every second, a ``serve --time-scale 60`` sandbox's every 0.1 s; one that has not
moved in ten seconds is a clock nobody moves (``dkp-harness serve`` without ``--time-scale``)."""


class ClockStandsStill(RuntimeError):
    """The cluster's clock did not move while the run calibrated against it; the message says why."""


def pause(seconds: float) -> None:
    """Wait on the wall clock: real-target mode only (see the module docstring), never in simulation."""
    if seconds > 0:
        threading.Event().wait(seconds)


def parse_date_header(value: str) -> datetime:
    """An HTTP ``Date`` header (RFC 7231, one-second resolution) as an aware UTC datetime."""
    return parsedate_to_datetime(value).astimezone(UTC)


def parse_timestamp(value: Any) -> datetime | None:
    """An RFC 3339 timestamp as Kubernetes writes it (``2024-12-16T09:00:00Z``), else ``None``."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or len(value) < 20 or value[10:11] != "T":
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None


class ClusterClock:
    """The cluster's now, from ``Date`` headers, and how fast it runs against the wall clock.

    The header has one-second resolution, so the clock remembers the wall instant at which the
    header last changed (an *edge*): between reads, now is that edge's second plus the measured
    rate times the wall time since. The rate is measured between the first and the latest edge,
    so it gets more precise the longer the run.
    """

    def __init__(self, read: Callable[[], datetime], monotonic: Callable[[], float] = time.monotonic) -> None:
        self._read = read
        self._mono = monotonic
        self._lock = threading.Lock()
        self._last: datetime | None = None
        self._first_edge: tuple[float, datetime] | None = None
        self._edge: tuple[float, datetime] | None = None
        self._read_started: float | None = None
        self._first_window: tuple[float, float, datetime] | None = None
        self._window: tuple[float, float, datetime] | None = None
        self.rate = 1.0
        """Cluster seconds per wall second (1 on a real cluster, N on ``serve --time-scale N``)."""

    def calibrate(self) -> float:
        """Read until two edges lie at least half a wall second apart; returns the rate.

        Raises :class:`ClockStandsStill` when no second edge came within
        :data:`CALIBRATION_DEADLINE` wall seconds: waiting longer would hang the run, silently.
        """
        started = self._mono()
        while True:
            self.sample()
            with self._lock:
                first, edge = self._first_edge, self._edge
            if first is not None and edge is not None and edge[0] - first[0] >= _CALIBRATION_WALL:
                return self.rate
            if self._mono() - started > CALIBRATION_DEADLINE:
                raise ClockStandsStill(
                    f"its clock (the Date header of its API server) did not move in "
                    f"{CALIBRATION_DEADLINE:.0f} s: a real cluster's moves every second. Against a "
                    "`dkp-harness serve` sandbox, start it with --time-scale (e.g. --time-scale 60): "
                    "without it the sandbox's time moves only with `dkp-harness time`"
                )
            pause(0.005)

    def sample(self) -> datetime:
        """Read the cluster's clock now (one API request) and update the rate."""
        started = self._mono()
        value = self._read()
        mono = self._mono()
        with self._lock:
            if self._last is not None and value > self._last and self._read_started is not None:
                # The clock reached ``value`` after the previous read started and before this one
                # answered: the wall window of the edge, for the bounds of the rate.
                self._window = (self._read_started, mono, value)
                self._first_window = self._first_window or self._window
            self._read_started = started
            if self._last is not None and value > self._last:
                self._edge = (mono, value)
                if self._first_edge is None:
                    self._first_edge = (mono, value)
                elif mono > self._first_edge[0]:
                    cluster = (value - self._first_edge[1]).total_seconds()
                    self.rate = max(cluster / (mono - self._first_edge[0]), 1e-3)
            self._last = value
        return value

    def rate_bounds(self) -> tuple[float, float]:
        """The lowest and highest rate the edges seen so far allow (both :attr:`rate` before two).

        Each edge is known only within the wall time of two reads (a few milliseconds), so a rate
        measured over half a second is known to a few percent: ``serve --time-scale 60`` measured
        59.3 one time and 60.4 the next.
        """
        with self._lock:
            first, last = self._first_window, self._window
        if first is None or last is None or last[2] <= first[2]:
            return (self.rate, self.rate)
        cluster = (last[2] - first[2]).total_seconds()
        shortest, longest = last[0] - first[1], last[1] - first[0]
        if shortest <= 0:
            return (cluster / longest, max(self.rate, cluster / longest))
        return (cluster / longest, cluster / shortest)

    def time_mode(self) -> str:
        """``real``, or ``scaled xN`` with N as precise as the measurement is (:func:`time_mode`)."""
        return time_mode(*self.rate_bounds())

    def now(self) -> datetime:
        """The estimated cluster now, without a request (falls back to a read before the first edge)."""
        with self._lock:
            edge = self._edge
        if edge is None:
            return self.sample()
        return edge[1] + timedelta(seconds=(self._mono() - edge[0]) * self.rate)

    def wall_seconds(self, span: timedelta) -> float:
        """How many wall seconds ``span`` of cluster time takes."""
        return span.total_seconds() / self.rate

    def wait_until(self, instant: datetime) -> None:
        """Wait until the cluster's clock reads ``instant`` (re-reading it on the way)."""
        while True:
            remaining = instant - self.now()
            if remaining <= timedelta(0):
                return
            # Sleep most of the way, then re-read: the estimate corrects itself on every read.
            pause(min(max(self.wall_seconds(remaining) * 0.9, 0.005), 30.0))
            self.sample()


def simplest_rate(low: float, high: float) -> int:
    """The whole number with the fewest significant digits between ``low`` and ``high``.

    A rate measured as 58.9 to 61.2 is reported as 60, not as the 59 or 61 that rounding its
    midpoint gave by chance: a scale is chosen by a person (10, 60, 100, 3600), and digits the
    measurement does not support are noise. Among equally simple candidates the one nearest the
    midpoint wins; an interval holding no whole number gives the nearest one.
    """
    middle = (low + high) / 2
    step = 10 ** math.floor(math.log10(high)) if high >= 10 else 1
    while step >= 1:
        candidate = round(middle / step) * step
        if low <= candidate <= high:
            return int(candidate)
        step //= 10
    return round(middle)


def time_mode(low: float, high: float) -> str:
    """How a report names a clock whose rate lies between ``low`` and ``high``."""
    scale = simplest_rate(low, high)
    return "real" if scale <= 1 else f"scaled x{scale}"


@dataclass
class Timeline:
    """The scenario's time on a real target: anchored at its first write, moved by its waits."""

    clock: ClusterClock
    scenario_start: datetime | None = None
    """The instant the scenario says it starts at ("Given it is ..."), if it says one."""
    anchor: datetime | None = None
    """The cluster's time when the scenario first wrote to it."""
    elapsed: timedelta = field(default=timedelta(0))

    def start(self) -> None:
        if self.anchor is None:
            self.anchor = self.clock.sample()

    def wait(self, span: timedelta) -> None:
        """Let the scenario's time run ``span`` on; waits for the cluster's clock to catch up.

        The wait lasts at least ``span`` from now (on the simulator the steps in between take no
        time; here they do) and reaches at least the scenario's timeline, plus
        :data:`SETTLE_SLACK` so that what falls due exactly at the end has happened, as it has
        on the simulator when the step returns.
        """
        self.start()
        assert self.anchor is not None
        self.elapsed += span
        end = max(self.anchor + self.elapsed, self.clock.now() + span)
        self.clock.wait_until(end + SETTLE_SLACK)

    def describe(self) -> str:
        """How the scenario's times map onto the cluster's (for failure messages)."""
        if self.scenario_start is None or self.anchor is None:
            return ""
        return (
            f"timestamps are read on the scenario's timeline: its {self.scenario_start:%Y-%m-%dT%H:%M:%SZ} "
            f"is {self.anchor:%Y-%m-%dT%H:%M:%SZ} on the cluster, "
            f"within {int(TIMESTAMP_SLACK.total_seconds())} s"
        )

    def same_time(self, expected: Any, actual: Any) -> bool | None:
        """``expected`` (scenario time) and ``actual`` (cluster time) name the same instant, ± slack."""
        want, got = parse_timestamp(expected), parse_timestamp(actual)
        if want is None or got is None or self.scenario_start is None or self.anchor is None:
            return None
        on_cluster = self.anchor + (want - self.scenario_start)
        return abs(got - on_cluster) <= TIMESTAMP_SLACK


def eventually(
    attempt: Callable[[], T],
    clock: ClusterClock,
    deadline: timedelta = CHECK_DEADLINE,
    on_retry: Callable[[], None] | None = None,
) -> T:
    """``attempt()`` until it stops raising ``AssertionError`` or ``deadline`` of cluster time passes.

    The last failure is re-raised unchanged, so the step's message is what the reader sees.
    """
    end_cluster = clock.now() + deadline
    end_wall = time.monotonic() + max(clock.wall_seconds(deadline), MIN_WALL_DEADLINE)
    delay = _POLL_START
    while True:
        try:
            return attempt()
        except AssertionError:
            if clock.now() >= end_cluster and time.monotonic() >= end_wall:
                raise
        if on_retry is not None:
            on_retry()
        pause(delay)
        clock.sample()
        delay = min(delay * 2, _POLL_MAX, max(clock.wall_seconds(RELEASE_CHECK_INTERVAL) / 4, _POLL_START))
