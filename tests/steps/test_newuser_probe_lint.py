"""What a new user meets first: the lint (README step 3) before the first run.

An Outline step whose ``<placeholder>`` no Examples column fills passed `dkp-harness steps --lint`
("0 invalid step value(s)") and only the run said so; the lint reports it now, with the message the
run gives.
"""

from __future__ import annotations

from pytest_bdd import parsers

from harness.steps.catalogue import StepDef
from harness.steps.lint import lint


def _step(kind: str, pattern: str, line: int) -> StepDef:
    return StepDef(kind, pattern, "", "", "lib.py", line, f"lib:{line}", parsers.parse(pattern))


LIBRARY = [
    _step("given", "it is {moment}", 1),
    _step("then", 'the {kind} "{name}" is in phase "{phase}"', 2),
]

OUTLINE = """Feature: f
  Background:
    Given it is Monday 2024-12-16 09:00 UTC

  Scenario Outline: missing column
    Given it is Monday 2024-12-16 09:00 UTC
    Then the Module "<name>" is in phase "<phase>"

    Examples:
      | name       |
      | module-one |
      | module-two |
"""


def test_the_lint_reports_an_outline_placeholder_no_examples_column_fills(tmp_path):
    features = tmp_path / "features"
    features.mkdir()
    (features / "a.feature").write_text(OUTLINE)
    report = lint(features, LIBRARY)
    assert not report.ok
    lines = report.lines()
    assert lines == [
        'features/a.feature:7: Then the Module "module-one" is in phase "<phase>": the placeholder '
        "<phase> is not a column of the Outline's Examples (the columns are: <name>); write one of "
        "them, or add a column 'phase' to the Examples table"
    ], "one problem per step line, not one per Examples row"


def test_a_placeholder_in_a_plain_scenario_or_a_filled_one_is_not_reported(tmp_path):
    features = tmp_path / "features"
    features.mkdir()
    (features / "a.feature").write_text(
        "Feature: f\n"
        "  Scenario: plain\n"
        '    Then the Module "<x>" is in phase "Ready"\n'
        "\n"
        "  Scenario Outline: filled\n"
        '    Then the Module "<name>" is in phase "Ready"\n'
        "\n"
        "    Examples:\n"
        "      | name       |\n"
        "      | module-one |\n"
    )
    assert lint(features, LIBRARY).invalid == []
