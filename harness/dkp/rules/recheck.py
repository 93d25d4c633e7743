"""When DKP looks at a waiting ModuleRelease again: the one source of next-check times.

DKP's release controller re-checks a waiting release every 15 s (``defaultCheckInterval``) and
every 60 s under an ``Ignore`` policy (docs/dkp-behaviour.md §5.3, §5.4); the controller's
timer always follows that period. For a release waiting on time alone (update window, canary)
:func:`timed_wait` says how long its checks cannot show anything new: the fast-time shortcut
replays them up to that check and runs that one (``Result.until``), the very check at which
DKP's polling deploys; ``tests/dkp/test_shortcuts_differential.py`` proves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from harness.dkp.rules.windows import UpdateWindow

__all__ = ["CHECK_INTERVAL", "IGNORE_INTERVAL", "on_check_grid", "timed_wait"]

CHECK_INTERVAL = timedelta(seconds=15)  # defaultCheckInterval
IGNORE_INTERVAL = timedelta(seconds=60)  # a release under an Ignore policy


def on_check_grid(now: datetime, instant: datetime) -> timedelta:
    """The first 15 s check strictly after ``instant``, counted from ``now``."""
    steps = (instant - now) // CHECK_INTERVAL + 1
    return CHECK_INTERVAL * max(steps, 1)


def timed_wait(windows: Sequence[UpdateWindow], apply_after: datetime | None, now: datetime) -> timedelta:
    """When a release waiting on time (window, canary) can first see something new.

    Nothing it shows can change before the next window opens, the canary time passes (a window
    is open only strictly after its ``from``) or the UTC date changes (the "until" time is
    searched from the day after the check), so the first 15 s check after that instant is the
    first one that can differ from the current look.
    """
    instants = [
        start
        for window in windows
        for day in range(8)
        for start in [window.bounds_on(now + timedelta(days=day))[0]]
        if start >= now and window.allows_day(start)
    ]
    if apply_after is not None and apply_after > now:
        instants.append(apply_after - CHECK_INTERVAL + timedelta(microseconds=1))
    if windows:
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        instants.append(midnight - timedelta(microseconds=1))  # a check at 00:00:00 sees the new day
    if not instants:
        return CHECK_INTERVAL
    return on_check_grid(now, min(instants))
