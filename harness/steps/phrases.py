"""Time phrases of the step language: moments ("Wednesday 2024-12-18 13:25 UTC") and spans ("3 minutes").

A moment carries its weekday on purpose: update windows are defined by weekday, so a scenario
author reads and writes the weekday, and a date that does not fall on it is a typo that would make
the scenario test something else. It is refused with a message naming the real weekday.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from harness.clock import parse_spelled_duration

__all__ = ["LAST_YEAR", "PhraseError", "beyond_the_calendar", "parse_moment", "parse_span"]

LAST_YEAR = 9998
"""The virtual clock of a scenario stays in this year or before: ``datetime`` ends with 9999, and
the controllers schedule their next looks (minutes to weeks) after the clock's instant, so a
clock at 9999-12-31 ended the scenario in ``OverflowError: date value out of range``."""

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MOMENT = re.compile(
    r"^(?P<weekday>[A-Za-z]+)\s+(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\s+UTC$"
)


class PhraseError(ValueError):
    """A time phrase that cannot be understood; the message says what to write instead."""


def parse_moment(text: str) -> datetime:
    """``"Wednesday 2024-12-18 13:25 UTC"`` → aware UTC datetime, checking the weekday."""
    match = _MOMENT.match(text.strip())
    if match is None:
        raise PhraseError(
            f"cannot read the moment {text!r}: write it as <Weekday> <YYYY-MM-DD> <HH:MM> UTC, "
            "e.g. 'Wednesday 2024-12-18 13:25 UTC'"
        )
    try:
        moment = datetime.fromisoformat(f"{match['date']}T{_zero_pad(match['time'])}").replace(tzinfo=UTC)
    except ValueError as exc:
        raise PhraseError(f"cannot read the moment {text!r}: {exc}") from None
    weekday = match["weekday"].capitalize()
    if weekday not in WEEKDAYS:
        raise PhraseError(f"{match['weekday']!r} is not a weekday: use one of {', '.join(WEEKDAYS)}")
    if moment.year > LAST_YEAR:
        raise PhraseError(beyond_the_calendar(f"the moment {text!r}"))
    actual = WEEKDAYS[moment.weekday()]
    if weekday != actual:
        raise PhraseError(
            f"{match['date']} is a {actual}, not a {weekday}: fix the weekday or the date in {text!r}"
        )
    return moment


def beyond_the_calendar(what: str) -> str:
    """The error for a moment (or the end of a span) after :data:`LAST_YEAR`."""
    return (
        f"{what} is past the last year the virtual clock can reach ({LAST_YEAR}): the controllers "
        "schedule their next looks after it; name an earlier moment or a shorter span, e.g. '365 days'"
    )


def parse_span(text: str) -> timedelta:
    """``"3 minutes"``, ``"an hour"``, ``"2 days and 3 hours"`` → timedelta."""
    try:
        found = parse_spelled_duration(text)
    except OverflowError:  # more days than a timedelta holds (999999999)
        raise PhraseError(beyond_the_calendar(f"the duration {text!r}")) from None
    if found is None and text.strip().startswith("-"):
        raise PhraseError(
            f"the duration {text!r} is negative: virtual time only moves forward; to check an earlier "
            "moment, write the scenario's steps in that order (or start it earlier with 'Given it is …')"
        )
    if found is None:
        raise PhraseError(
            f"cannot read the duration {text!r}: write a number and a unit (seconds, minutes, hours, "
            "days, weeks), e.g. '3 minutes' or '2 days and 1 hour'"
        )
    return found


def _zero_pad(clock: str) -> str:
    hours, _, rest = clock.partition(":")
    return f"{int(hours):02d}:{rest}"
