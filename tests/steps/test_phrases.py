from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from harness.steps.phrases import PhraseError, parse_moment, parse_span


def test_a_moment_with_the_right_weekday_is_read_as_utc():
    assert parse_moment("Wednesday 2024-12-18 13:25 UTC") == datetime(2024, 12, 18, 13, 25, tzinfo=UTC)


def test_a_moment_accepts_seconds_and_a_one_digit_hour():
    assert parse_moment("Monday 2024-12-23 9:05:30 UTC") == datetime(2024, 12, 23, 9, 5, 30, tzinfo=UTC)


def test_a_weekday_that_does_not_match_the_date_is_refused_naming_the_real_one():
    with pytest.raises(PhraseError, match="2024-12-18 is a Wednesday, not a Tuesday"):
        parse_moment("Tuesday 2024-12-18 13:25 UTC")


def test_a_moment_without_utc_is_refused_with_the_expected_form():
    with pytest.raises(PhraseError, match="<Weekday> <YYYY-MM-DD> <HH:MM> UTC"):
        parse_moment("Wednesday 2024-12-18 13:25")


def test_an_impossible_date_is_refused():
    with pytest.raises(PhraseError, match="2024-02-30"):
        parse_moment("Friday 2024-02-30 10:00 UTC")


def test_a_word_that_is_no_weekday_is_refused():
    with pytest.raises(PhraseError, match="not a weekday"):
        parse_moment("Someday 2024-12-18 13:25 UTC")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 minutes", timedelta(minutes=3)),
        ("1 minute", timedelta(minutes=1)),
        ("an hour", timedelta(hours=1)),
        ("2 days and 3 hours", timedelta(days=2, hours=3)),
        ("2 weeks", timedelta(weeks=2)),
        ("15 seconds", timedelta(seconds=15)),
    ],
)
def test_spans_are_read_in_words(text, expected):
    assert parse_span(text) == expected


@pytest.mark.parametrize("text", ["3 fortnights", "soon", "3m", "minutes 3", ""])
def test_unreadable_spans_are_refused_with_an_example(text):
    with pytest.raises(PhraseError, match=re.escape("e.g. '3 minutes'")):
        parse_span(text)


@pytest.mark.parametrize("text", ["-3 minutes", " -1 hour"])
def test_a_negative_span_says_time_only_moves_forward(text):
    with pytest.raises(PhraseError, match="is negative: virtual time only moves forward"):
        parse_span(text)
