"""``the page says:`` steps written where they cannot mean what they say.

The page's expectation is checked in the state the scenario reached when DKP's expectation was
not met, with the definition its text matches. Written as a Given or When (``When the page says:
I approve …``, ``And`` after a When, or in a Background), it was looked up and run as one: the
check changed the cluster. Such a scenario now errors at setup and ``dkp-harness steps --lint``
reports it, through the one rule (:func:`harness.report.page_expectation.misplaced_page_steps`).
"""

from __future__ import annotations

from pytest_bdd.parser import Step

from harness.report.page_expectation import misplaced_page_steps


def _step(line: int, kind: str, name: str) -> Step:
    keyword = {"given": "Given", "when": "When", "then": "Then"}[kind]
    return Step(name=name, type=kind, indent=4, line_number=line, keyword=keyword)


DKP = _step(7, "then", 'the message reads "none"')
PAGE = 'the page says: the message reads "Ready"'


def test_page_steps_after_the_last_when_are_in_place():
    steps = [_step(5, "given", "x"), _step(6, "when", "y"), DKP, _step(8, "then", PAGE)]
    assert misplaced_page_steps(True, steps) is None


def test_a_page_step_written_as_a_when_is_refused():
    steps = [_step(5, "when", "y"), DKP, _step(8, "when", 'the page says: I approve the ModuleRelease "r"')]
    problem = misplaced_page_steps(True, steps)
    assert problem is not None
    assert problem.startswith("'the page says:' steps (line 8) are written as Given or When steps")
    assert "start them with Then" in problem


def test_a_page_step_in_a_background_is_refused():
    """A Background has Given steps: its page step is one."""
    steps = [_step(3, "given", PAGE), _step(6, "when", "y"), DKP]
    problem = misplaced_page_steps(True, steps)
    assert problem is not None and "(line 3) are written as Given or When steps" in problem
