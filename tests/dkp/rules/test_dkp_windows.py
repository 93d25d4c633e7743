from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from harness.dkp.rules.windows import (
    format_rfc822,
    is_allowed,
    next_allowed_time,
    parse_window,
    parse_windows,
)

# dkp-behaviour §0: the upstream test clock, a Thursday.
THURSDAY = datetime(2019, 10, 17, 15, 33, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2019, 10, day, hour, minute, second, tzinfo=UTC)


def window(start: str, end: str, *days: str) -> dict[str, object]:
    raw: dict[str, object] = {"from": start, "to": end}
    if days:
        raw["days"] = list(days)
    return raw


@pytest.mark.parametrize(
    ("raw", "moment", "expected"),
    [
        pytest.param([], THURSDAY, True, id="no-windows-means-always"),
        pytest.param([window("15:00", "16:00")], THURSDAY, True, id="inside-a-daily-window"),
        pytest.param([window("16:00", "17:00")], THURSDAY, False, id="before-the-window"),
        pytest.param([window("10:00", "11:00")], at(17, 10), False, id="exactly-at-from-is-outside"),
        pytest.param([window("10:00", "11:00")], at(17, 10, 0, 1), True, id="a-second-after-from-is-inside"),
        pytest.param([window("10:00", "11:00")], at(17, 11), False, id="exactly-at-to-is-outside"),
        pytest.param([window("10:00", "11:00")], at(17, 10, 59, 59), True, id="a-second-before-to-is-inside"),
        pytest.param([window("15:00", "16:00", "Thu")], THURSDAY, True, id="listed-weekday"),
        pytest.param([window("15:00", "16:00", "Fri", "Sat")], THURSDAY, False, id="unlisted-weekday"),
        pytest.param([window("15:00", "16:00", "thu")], THURSDAY, True, id="day-names-are-case-insensitive"),
        pytest.param([window("22:00", "06:00")], at(17, 23), False, id="overnight-window-never-opens-late"),
        pytest.param([window("22:00", "06:00")], at(17, 3), False, id="overnight-window-never-opens-early"),
        pytest.param(
            [window("01:00", "02:00"), window("15:00", "16:00")],
            THURSDAY,
            True,
            id="several-windows-any-opens",
        ),
        pytest.param(
            [window("01:00", "02:00"), window("16:00", "17:00")],
            THURSDAY,
            False,
            id="several-windows-all-closed",
        ),
        pytest.param([window("9:00", "16:00")], THURSDAY, True, id="one-digit-hour-is-accepted"),
    ],
)
def test_window_is_open(raw, moment, expected):
    assert is_allowed(parse_windows(raw), moment) is expected


def test_times_in_other_zones_are_read_as_utc():
    plus_three = timezone(timedelta(hours=3))
    local = datetime(2019, 10, 17, 18, 33, tzinfo=plus_three)  # 15:33 UTC
    assert is_allowed(parse_windows([window("15:00", "16:00")]), local)


@pytest.mark.parametrize(
    ("raw", "moment", "expected"),
    [
        pytest.param([], THURSDAY, THURSDAY, id="no-windows-now"),
        pytest.param([window("15:00", "16:00")], THURSDAY, THURSDAY, id="inside-a-window-now"),
        pytest.param(
            [window("10:00", "11:00")],
            at(17, 8),
            at(18, 10),
            id="a-later-window-today-is-skipped-for-tomorrow",
        ),
        pytest.param([window("10:00", "11:00")], THURSDAY, at(18, 10), id="after-todays-window-tomorrow"),
        pytest.param([window("10:00", "11:00")], at(17, 10), at(18, 10), id="exactly-at-from-waits-a-day"),
        pytest.param([window("10:00", "11:00", "Mon")], THURSDAY, at(21, 10), id="next-listed-weekday"),
        pytest.param([window("10:00", "11:00", "Thu")], THURSDAY, at(24, 10), id="same-weekday-next-week"),
        pytest.param(
            [window("10:00", "11:00", "Sat"), window("12:00", "13:00", "Fri")],
            THURSDAY,
            at(18, 12),
            id="earliest-window-wins",
        ),
        pytest.param(
            [window("15:00", "16:00", "Fri"), window("15:00", "16:00", "Thu")],
            THURSDAY,
            THURSDAY,
            id="an-open-window-beats-a-later-one",
        ),
        pytest.param(
            [window("22:00", "06:00")], THURSDAY, at(18, 22), id="overnight-window-reports-tomorrows-from"
        ),
    ],
)
def test_next_allowed_time(raw, moment, expected):
    assert next_allowed_time(parse_windows(raw), moment) == expected


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        pytest.param(at(18, 10), "18 Oct 19 10:00 UTC", id="golden-shape"),
        pytest.param(
            datetime(2024, 1, 2, 3, 4, 59, tzinfo=UTC), "02 Jan 24 03:04 UTC", id="zero-padded-no-seconds"
        ),
        pytest.param(
            datetime(2024, 1, 2, 6, 4, tzinfo=timezone(timedelta(hours=3))),
            "02 Jan 24 03:04 UTC",
            id="converted-to-utc",
        ),
    ],
)
def test_rfc822_rendering(moment, text):
    assert format_rfc822(moment) == text


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [
        pytest.param(
            {"from": "24:00", "to": "10:00"}, "'from' must be a time of day", id="hour-out-of-range"
        ),
        pytest.param({"from": "10:00", "to": "10:5"}, "'to' must be a time of day", id="one-digit-minute"),
        pytest.param({"to": "10:00"}, "'from' must be a time of day", id="missing-from"),
        pytest.param(
            {"from": "1:00", "to": "2:00", "days": ["Funday"]}, "must be one of Mon", id="unknown-day"
        ),
        pytest.param({"from": "1:00", "to": "2:00", "days": "Mon"}, "must be a list", id="days-not-a-list"),
    ],
)
def test_bad_windows_are_refused_with_a_fix(raw, complaint):
    with pytest.raises(ValueError, match=complaint):
        parse_window(raw)
