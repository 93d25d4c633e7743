"""Update windows: when a release may be deployed, and when the next chance comes.

docs/dkp-behaviour.md §6.3 (``go_lib/hooks/update/window.go``, revision 9e4e2c7e, re-read for this
module). The rules are DKP's, including the surprising ones, because users see their effect in
release messages:

* everything is UTC; a window is open at ``t`` only when ``t``'s weekday is listed (no days =
  every day) **and** ``from < t < to`` strictly, both placed on ``t``'s own calendar day — so a
  reconcile at exactly ``10:00:00`` is outside a ``10:00`` window, and an overnight window
  (``from`` later than ``to``) is never open;
* no windows at all means always open; several windows are open when any one is;
* the next allowed time is ``t`` itself when ``t`` is inside a window; otherwise the search starts
  on the **next** calendar day (a window later today is skipped) and yields the first allowed
  day's ``from``; the earliest result over all windows wins.

Pure functions of their arguments; "now" is always passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

__all__ = [
    "UpdateWindow",
    "format_full_year",
    "format_rfc822",
    "is_allowed",
    "next_allowed_time",
    "parse_window",
    "parse_windows",
]

# The CRD pattern for from/to (module-update-policy.yaml): one- or two-digit hour, two-digit minute.
_HH_MM = re.compile(r"^(?:\d|[01]\d|2[0-3]):[0-5]\d$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index == datetime.weekday()


@dataclass(frozen=True)
class UpdateWindow:
    """One ``{from, to, days}`` entry; ``days`` holds weekday numbers (Monday = 0), empty = all."""

    start: time
    end: time
    days: frozenset[int] = frozenset()

    def allows_day(self, moment: datetime) -> bool:
        return not self.days or moment.weekday() in self.days

    def bounds_on(self, moment: datetime) -> tuple[datetime, datetime]:
        """This window's ``from`` and ``to`` placed on ``moment``'s calendar day (UTC)."""
        day = moment.date()
        return (
            datetime.combine(day, self.start, tzinfo=UTC),
            datetime.combine(day, self.end, tzinfo=UTC),
        )

    def is_open(self, moment: datetime) -> bool:
        moment = _as_utc(moment)
        start, end = self.bounds_on(moment)
        return self.allows_day(moment) and start < moment < end


def parse_window(raw: Mapping[str, Any]) -> UpdateWindow:
    """Build a window from its API form ``{"from": "8:00", "to": "10:00", "days": ["Mon"]}``."""
    days = raw.get("days") or []
    if not isinstance(days, list):
        raise ValueError(f"update window days must be a list of weekday names, got {days!r}")
    return UpdateWindow(
        _parse_hh_mm(raw.get("from"), "from"),
        _parse_hh_mm(raw.get("to"), "to"),
        frozenset(_parse_day(day) for day in days),
    )


def parse_windows(raw: Iterable[Mapping[str, Any]] | None) -> tuple[UpdateWindow, ...]:
    return tuple(parse_window(item) for item in raw or ())


def is_allowed(windows: Sequence[UpdateWindow], moment: datetime) -> bool:
    """May an update happen at ``moment``? No windows means always."""
    return not windows or any(window.is_open(moment) for window in windows)


def next_allowed_time(windows: Sequence[UpdateWindow], earliest: datetime) -> datetime:
    """The first moment at or after ``earliest`` that DKP reports as allowed (rules above)."""
    earliest = _as_utc(earliest)
    if not windows:
        return earliest
    return min(_next_for_window(window, earliest) for window in windows)


def _next_for_window(window: UpdateWindow, earliest: datetime) -> datetime:
    if window.is_open(earliest):
        return earliest
    # docs/dkp-behaviour.md §6.3: the search starts on the next day even if a window opens later today.
    day = earliest + timedelta(days=1)
    while True:
        if window.allows_day(day):
            start, end = window.bounds_on(day)
            if earliest < end:
                return earliest if earliest > start else start
        day += timedelta(days=1)


def format_rfc822(moment: datetime) -> str:
    """Go's ``time.RFC822`` layout in UTC, as release messages print it: ``18 Oct 19 10:00 UTC``."""
    moment = _as_utc(moment)
    month = _MONTHS[moment.month - 1]  # not %b: that one follows the process locale
    return f"{moment.day:02d} {month} {moment.year % 100:02d} {moment.hour:02d}:{moment.minute:02d} UTC"


def format_full_year(moment: datetime) -> str:
    """Go's ``02 Jan 2006 15:04 MST`` layout in UTC, newer release messages': ``18 Oct 2019 10:00 UTC``."""
    moment = _as_utc(moment)
    month = _MONTHS[moment.month - 1]
    return f"{moment.day:02d} {month} {moment.year:04d} {moment.hour:02d}:{moment.minute:02d} UTC"


def _parse_hh_mm(value: Any, field: str) -> time:
    if not isinstance(value, str) or not _HH_MM.match(value):
        raise ValueError(
            f"update window {field!r} must be a time of day like '8:00' or '23:30' (UTC), got {value!r}"
        )
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _parse_day(value: Any) -> int:
    # DKP compares lower-cased names; the CRD enum (Mon..Sun) keeps anything else out of the API.
    name = value.lower() if isinstance(value, str) else ""
    if name not in _WEEKDAYS:
        raise ValueError(f"update window day must be one of Mon, Tue, Wed, Thu, Fri, Sat, Sun; got {value!r}")
    return _WEEKDAYS.index(name)


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
