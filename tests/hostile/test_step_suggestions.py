"""The suggestion for an unknown step line under hostile input: huge lines, stray quotes.

The suggestion (closest steps, the quoted line, the rewritten line) runs on every unknown step of
a run and of ``dkp-harness steps --lint``. Timed with a script, it grew faster than the line: a
16 KB line took 4-10 s, the quoting hint's loose pattern backtracking quadratically, the rewrite
scanning the text before each quote. No step definition is longer than 80 characters, so a line
of more than :data:`~harness.steps.step_similarity.COMPARED_LENGTH` is never a near-miss of one:
only its start is ranked, and it is not rewritten. These tests check that bound on the work, not
a wall-clock time.
"""

from __future__ import annotations

import difflib

import pytest

from harness.steps import lint, step_similarity
from harness.steps.catalogue import CATALOGUE
from harness.steps.library import load_all
from harness.steps.lint import closest_steps, quoting_hint, suggested_line
from harness.steps.step_rewrite import rewritten_line
from harness.steps.step_similarity import COMPARED_LENGTH

load_all()
HUGE = 'the Module "module-one" is Ready ' * 3000  # ~100 KB


def test_no_defined_step_is_anywhere_near_the_compared_length():
    assert max(len(step.pattern) for step in CATALOGUE) * 4 < COMPARED_LENGTH


def test_a_huge_line_is_ranked_by_its_start_only(monkeypatch: pytest.MonkeyPatch):
    compared: list[int] = []

    class Recording(difflib.SequenceMatcher[str]):
        def __init__(self, isjunk: None, a: str, b: str) -> None:
            compared.append(len(a))
            super().__init__(isjunk, a, b)

    monkeypatch.setattr(step_similarity.difflib, "SequenceMatcher", Recording)
    near = closest_steps("then", HUGE, CATALOGUE)
    assert compared and max(compared) <= COMPARED_LENGTH
    assert 'the {kind} "{name}" is in phase "{phase}"' in [step.pattern for step in near]


def test_a_huge_line_is_not_quoted_or_rewritten(monkeypatch: pytest.MonkeyPatch):
    def never(*args: object) -> str:
        raise AssertionError("a line far longer than any step was handed to the suggestion")

    monkeypatch.setattr(lint, "quoting_hint", never)
    monkeypatch.setattr(lint, "rewritten_line", never)
    assert suggested_line("then", "Then", HUGE, CATALOGUE) == ""


def test_a_value_with_a_quote_in_it_is_not_offered():
    """The loose pattern took ``Ready" at Monday … UTC`` for the phase and offered a line ending
    in a stray quote."""
    line = 'the Module "x" is in phase "Ready" at Monday 2024-01-01 00:00 UTC'
    assert quoting_hint("then", "Then", line, CATALOGUE) == ""


def test_a_line_with_an_unbalanced_quote_is_not_rewritten():
    """``"a"b"`` came back as ``"a"``: the author's ``b`` was dropped from the offered line."""
    assert rewritten_line("then", "Then", 'the Module "a"b" is Ready', CATALOGUE) == ""
