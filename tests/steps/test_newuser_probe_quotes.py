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


def test_an_unknown_then_step_near_a_step_with_a_parse_type_gets_the_closest_steps(tmp_path, capsys):
    """`Then the Module "module-one" has version "v0.7.23"` (no such step) reached the message
    step, whose pattern has a parse type (``{message:Any}``): the loose pattern was compiled
    without the catalogue's types, and the run said only ``format spec 'Any' not recognised``
    while the lint crashed with a traceback."""
    line = 'the Module "module-one" has version "v0.7.23"'
    assert quoting_hint("then", "Then", line, CATALOGUE) == ""
    assert quoting_hint("then", "Then", "the Module module-one has the message Ready", CATALOGUE) == (
        '  did you mean: Then the Module "module-one" has the message "Ready"? '
        "(a step's values are written in double quotes)"
    )
    (tmp_path / "v.feature").write_text(f"Feature: v\n\n  Scenario: v\n    Then {line}\n")
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"Then {line}" in out
    assert 'Then the {kind} "{name}" has the message "{message:Any}"' in out
