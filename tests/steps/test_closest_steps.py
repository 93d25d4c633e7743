"""The "closest defined steps" of an unknown line lead a QA author to the step they meant.

A new user writes a step in their own words before reading the catalogue; the lint and the run
answer with three definitions. They used to rank by characters only, and gave the release-list
step for ``Then module "my-module" is Ready`` and nothing about time for ``When I wait 3 minutes``,
and listed one definition three times (its ``Given``/``When`` and ``publishes`` phrasings).
"""

from __future__ import annotations

import pytest

from harness.cli import main
from harness.steps.catalogue import CATALOGUE
from harness.steps.library import load_all
from harness.steps.lint import closest_steps


@pytest.mark.parametrize(
    ("kind", "text", "meant"),
    [
        ("then", 'module "my-module" is Ready', 'the {kind} "{name}" is in phase "{phase}"'),
        ("then", 'the Module "my-module" has phase "Ready"', 'the {kind} "{name}" is in phase "{phase}"'),
        ("when", "I wait 3 minutes", "{span} passes"),
        ("when", "3 minutes passed", "{span} passes"),
        ("when", 'I enable the module "module-one"', 'the Deckhouse CLI enables the module "{name}"'),
        ("when", "I rnu `kubectl get module`", "I run `{command}`"),
    ],
)
def test_a_step_in_the_authors_own_words_gets_the_step_meant_first(kind, text, meant):
    load_all()
    near = closest_steps(kind, text, CATALOGUE)
    assert near[0].pattern == meant, [step.pattern for step in near]


def test_a_moment_in_other_words_lists_the_moment_steps():
    load_all()
    text = "the time is Monday 2024-12-16 09:00 UTC"
    near = [step.pattern for step in closest_steps("given", text, CATALOGUE)]
    assert {"it is {moment}", "it becomes {moment}"} <= set(near)


def test_each_definition_is_offered_once():
    load_all()
    near = closest_steps("given", "the registry has the module:", CATALOGUE)
    assert near[0].pattern == "the registry has the modules:"
    assert len({step.function for step in near}) == len(near) == 3


def test_the_lint_names_the_phase_step_for_a_phase_written_in_other_words(tmp_path, capsys):
    (tmp_path / "mine.feature").write_text(
        'Feature: Mine\n  Scenario: Ready\n    Then module "my-module" is Ready\n', encoding="utf-8"
    )
    assert main(["steps", "--lint", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    closest = out.split("closest defined steps:\n", 1)[1].splitlines()[0]
    assert 'Then the {kind} "{name}" is in phase "{phase}"' in closest
