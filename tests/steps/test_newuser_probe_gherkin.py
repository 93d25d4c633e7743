"""An Examples row (or any table row) with a cell fewer than its header: the run and the lint said
"not valid Gherkin: Unknown parsing error: Parser errors: (15:7): inconsistent cell count within
the table", the parser's words, which neither say which cell count differs nor what to write."""

from __future__ import annotations

from harness.cli import main
from harness.feature_text import gherkin_problem

RAGGED = """Feature: f

  Scenario Outline: ragged
    Given it is Monday 2024-12-16 09:00 UTC
    Then the Module "<name>" is in phase "<phase>"

    Examples:
      | name       | phase |
      | module-one |
"""


def test_an_inconsistent_cell_count_says_which_row_and_what_to_write():
    message = gherkin_problem(
        "Unknown parsing error: Parser errors:\n(9:7): inconsistent cell count within the table"
    )
    assert "Unknown parsing error" not in message
    assert message.startswith("the table row at line 9 has another number of cells than the table's")
    assert "a cell for every column" in message and "|  |" in message


def test_the_lint_explains_a_ragged_examples_row(tmp_path, capsys):
    (tmp_path / "ragged.feature").write_text(RAGGED)
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "ragged.feature:9: not valid Gherkin: the table row at line 9 has another number of cells" in out
    assert "| module-one |" in out, "the offending line is still shown"


def test_other_parser_messages_are_left_as_they_were():
    assert gherkin_problem("(3:1): something else") == "(3:1): something else"
