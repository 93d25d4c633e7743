"""The one source of time for the simulated cluster.

Everything that needs "now" (the API server's timestamps, controller requeues, update windows,
the sync interval) reads it from a :class:`Clock` handed to it; nothing in the harness calls
``datetime.now()`` directly. A :class:`VirtualClock` only moves when told to, so a three-minute
sync or a Wednesday update window costs no wall time, and the same scenario gives the same result
on every run. :class:`RealClock` follows the wall clock for interactive sandboxes.

Timers are absolute instants with a callback. The clock never runs callbacks on its own thread:
whoever moves time (the manager's ``advance``) asks for the due timers and runs them, so that
work happens at a known point and can be settled before time moves again.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = [
    "MAX_TIME_SCALE",
    "Clock",
    "RealClock",
    "ScaledClock",
    "Timer",
    "VirtualClock",
    "parse_duration",
    "utc",
]

Callback = Callable[[], None]


def utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime (naive values are taken to be UTC)."""
    if value.tzinfo is UTC:  # already (the usual case: every instant the clocks hand out)
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@dataclass(order=True)
class Timer:
    """A pending callback at an absolute instant; ``cancel()`` makes it a no-op.

    Timers due at the same instant fire in the order they were made: by ``created`` (the clock's
    instant when the timer was asked for), then ``seq``. For timers made by ``call_at`` both orders
    are the same; ``created`` only matters when a driver stands in for a timer that an earlier,
    skipped look would have made (the manager's fast-time shortcut, docs/architecture.md).
    """

    when: datetime
    created: datetime
    seq: int
    callback: Callback = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class Clock(Protocol):
    """What every time-dependent part of the harness is given."""

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    def call_at(self, when: datetime, callback: Callback, *, created: datetime | None = None) -> Timer:
        """Arrange for ``callback`` to be run by whoever drives the clock at ``when``.

        ``created`` (default: now) orders it among the timers due at the same instant.
        """
        ...

    def next_deadline(self) -> datetime | None:
        """The earliest pending timer, or ``None``."""
        ...

    def pop_due(self) -> list[Callback]:
        """Remove and return the callbacks of all timers due at or before ``now()``, in order."""
        ...


class _TimerQueue:
    """A thread-safe heap of timers shared by both clocks."""

    def __init__(self) -> None:
        self._heap: list[Timer] = []
        self._seq = itertools.count()
        self._lock = threading.Lock()

    def add(self, when: datetime, created: datetime, callback: Callback) -> Timer:
        timer = Timer(utc(when), utc(created), next(self._seq), callback)
        with self._lock:
            heapq.heappush(self._heap, timer)
        return timer

    def next_deadline(self) -> datetime | None:
        with self._lock:
            while self._heap and self._heap[0].cancelled:
                heapq.heappop(self._heap)
            return self._heap[0].when if self._heap else None

    def pop_due(self, now: datetime) -> list[Callback]:
        due: list[Callback] = []
        with self._lock:
            while self._heap and self._heap[0].when <= now:
                timer = heapq.heappop(self._heap)
                if not timer.cancelled:
                    due.append(timer.callback)
        return due

    def __len__(self) -> int:
        with self._lock:
            return sum(1 for t in self._heap if not t.cancelled)


class _TimedClock:
    """The timer half both clocks share; subclasses say what "now" is."""

    def __init__(self) -> None:
        self._timers = _TimerQueue()

    def now(self) -> datetime:
        raise NotImplementedError

    def call_at(self, when: datetime, callback: Callback, *, created: datetime | None = None) -> Timer:
        return self._timers.add(when, self.now() if created is None else created, callback)

    def call_later(self, delay: timedelta, callback: Callback) -> Timer:
        return self.call_at(self.now() + delay, callback)

    def next_deadline(self) -> datetime | None:
        return self._timers.next_deadline()

    def pop_due(self) -> list[Callback]:
        return self._timers.pop_due(self.now())


class VirtualClock(_TimedClock):
    """A clock that only moves when told to.

    ``advance`` and ``set`` only move the instant; running the timers that became due (and
    settling the controllers in between) is the driver's job, see ``harness.dkp.runtime.manager``.
    """

    DEFAULT_START = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__()
        self._now = utc(start or self.DEFAULT_START)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        # No lock to read: the instant is one immutable object, replaced whole by ``set`` and
        # ``advance`` (which lock among themselves), so a reader sees the old one or the new one.
        # Every write stamps it several times.
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when``; timers keep their absolute deadlines (earlier ones become due)."""
        with self._lock:
            self._now = utc(when)

    def advance(self, delta: timedelta) -> None:
        """Move forward by ``delta`` without running anything."""
        if delta < timedelta(0):
            raise ValueError(f"cannot advance the clock by a negative duration {delta}")
        with self._lock:
            self._now += delta

    @property
    def pending_timers(self) -> int:
        return len(self._timers)


class RealClock(_TimedClock):
    """Wall-clock time for interactive sandboxes; timers are run by the sandbox loop."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ScaledClock(_TimedClock):
    """Time that flows ``scale`` times as fast as the wall clock, from ``start`` (default: now).

    What ``dkp-harness serve --time-scale N`` runs on: a sandbox that behaves like a real cluster
    (time passes by itself, nobody can move it) but where a 3-minute sync takes 3 seconds at
    N=60. ``scale=1`` is real time. The wall side is the monotonic clock, so a step of the system
    clock does not make the sandbox's time jump.

    Time moves in ticks (:attr:`tick`: a second, or five seconds above N=10), the way Kubernetes
    timestamps have whole seconds. Every interval the controllers schedule (15 s checks, 3 min
    scans, the install durations) is a whole number of ticks, so a timer falls due exactly on a
    tick and the controller it wakes reads the instant it was scheduled for: a controller that
    computes "my next check at or after now" then gets this check, not the one after it. At N=60
    a five-second tick lasts 83 ms of wall time, long enough for the wake-up to be handled.
    """

    def __init__(
        self,
        scale: float,
        start: datetime | None = None,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        if not 0 < scale <= MAX_TIME_SCALE:
            raise ValueError(f"the time scale must be positive and at most {MAX_TIME_SCALE:.0f}, got {scale}")
        super().__init__()
        import time

        self.scale = scale
        self.tick = 1 if scale <= 10 else 5
        """Seconds of this clock's time per tick."""
        self._monotonic = monotonic or time.monotonic
        origin = utc(start) if start is not None else datetime.now(UTC)
        self._origin = origin.replace(microsecond=0) - timedelta(seconds=origin.second % self.tick)
        self._wall_origin = self._monotonic()

    def _elapsed(self) -> float:
        return (self._monotonic() - self._wall_origin) * self.scale

    def now(self) -> datetime:
        return self._origin + timedelta(seconds=int(self._elapsed() // self.tick) * self.tick)

    def wall_seconds(self, span: timedelta) -> float:
        """How many wall seconds ``span`` of this clock's time takes."""
        return span.total_seconds() / self.scale

    def wall_seconds_until(self, when: datetime) -> float:
        """Wall seconds until the tick of ``when`` begins (negative: it has begun)."""
        return ((when - self._origin).total_seconds() - self._elapsed()) / self.scale


MAX_TIME_SCALE = 1e6
"""The fastest a scaled clock runs (virtual seconds per wall second). ``--time-scale inf`` made
every reading of the clock ``inf`` seconds, and the sandbox ended in "cannot convert float NaN to
integer"; a finite but huge scale runs past the year 9999 within the hour."""


_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """Parse a duration as the command line takes it: Go-style (``3m``, ``1h30m``, ``15s``, ``2d``;
    days and weeks allowed) or as the scenarios spell it (``3 minutes``, ``2 days and 1 hour``).

    Raises ``ValueError`` naming the bad input and both accepted forms.
    """
    import re

    cleaned = text.strip().replace(" ", "")
    parts = re.findall(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d|w)", cleaned)  # ASCII digits only, as Go
    if cleaned and "".join(n + u for n, u in parts) == cleaned:
        return timedelta(seconds=sum(float(n) * _DURATION_UNITS[u] for n, u in parts))
    spelled = parse_spelled_duration(text)
    if spelled is None:
        raise ValueError(
            f"invalid duration {text!r}: use a number and a unit, e.g. 15s, 3m, 1h30m, 2d, or as the "
            "scenarios write it, e.g. '3 minutes', '2 days and 1 hour'"
        )
    return spelled


def parse_spelled_duration(text: str) -> timedelta | None:
    """``"3 minutes"``, ``"an hour"``, ``"2 days and 3 hours"`` → timedelta; None when the text is
    not such a phrase (the step language's spans, :func:`harness.steps.phrases.parse_span`)."""
    import re

    part = re.compile(r"(?P<count>[0-9]+|an?|one)\s+(?P<unit>second|minute|hour|day|week)s?")
    cleaned = re.sub(r"\s+", " ", text.strip().lower())
    parts = list(part.finditer(cleaned))
    leftover = part.sub("", cleaned).replace(",", " ").replace(" and ", " ").strip()
    if not parts or leftover:
        return None
    seconds = 0
    for found in parts:
        count = found["count"]
        seconds += (1 if count in ("a", "an", "one") else int(count)) * _SPELLED_UNITS[found["unit"]]
    return timedelta(seconds=seconds)


_SPELLED_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
