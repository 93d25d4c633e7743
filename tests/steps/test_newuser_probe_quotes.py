"""A new user left out the double quotes around a step's value (`is in phase Ready`, `the
objects of features/sources/example-source.yaml`): the lint and the run listed the closest
steps, whose patterns show `"{phase}"`, but did not say that the quotes are the whole mistake.
Both now print the line as it should read."""

from __future__ import annotations

from harness.cli import main
from harness.steps.catalogue import CATALOGUE
from harness.steps.lint import quoting_hint

FEATURE = """\
Feature: quotes

  Scenario: missing quotes
    Given it is Monday 2024-12-16 09:00 UTC
    And the cluster has the objects of features/sources/example-source.yaml
    Then the Module "module-one" is in phase Ready
    And the Module module-one is in phase "Ready"
"""


def test_a_step_without_its_quotes_gets_the_quoted_line():
    assert quoting_hint("then", "Then", "the Module module-one is in phase Ready", CATALOGUE) == (
        '  did you mean: Then the Module "module-one" is in phase "Ready"? '
        "(a step's values are written in double quotes)"
    )
    assert quoting_hint(
        "given", "And", "the cluster has the objects of features/sources/example-source.yaml", CATALOGUE
    ).startswith('  did you mean: And the cluster has the objects of "features/sources/example-source.yaml"?')


def test_a_different_wording_gets_no_quoting_hint():
    assert quoting_hint("when", "When", "3 minutes passed", CATALOGUE) == ""


def test_the_lint_prints_it_under_the_undefined_step(tmp_path, capsys):
    (tmp_path / "q.feature").write_text(FEATURE)
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert 'did you mean: Then the Module "module-one" is in phase "Ready"?' in out
    assert 'did you mean: And the Module "module-one" is in phase "Ready"?' in out
    assert 'did you mean: And the cluster has the objects of "features/sources/example-source.yaml"?' in out
