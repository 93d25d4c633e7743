"""`dkp-harness run features/x.feature:2` (a line of the Feature's description or Background,
above every scenario) answered "no scenario matched the selection (features/x.feature:2); exit 5",
which does not say that the line is the problem, nor which lines would do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.cli import main
from harness.cli.run import ROOT, SelectionError, classify_path

PATH = "features/approval/approval.feature"


def _first_scenario_line(path: Path) -> int:
    """The first ``Scenario:`` line, where the selection starts the first scenario (read here
    independently of the harness's own parse)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if re.match(r"\s*Scenario( Outline| Template)?:", line):
            return number
    raise AssertionError(f"{path} has no scenario")


@pytest.mark.parametrize("line", ["1", "6", "34"])
def test_a_line_above_the_first_scenario_is_refused_with_the_lines_that_select_one(line):
    """The Feature line, a Background step, the first scenario's own tag line."""
    first = _first_scenario_line(ROOT / PATH)
    assert int(line) < first
    with pytest.raises(SelectionError) as refused:
        classify_path(f"{PATH}:{line}", ROOT)
    message = str(refused.value)
    assert message.startswith(f"{PATH}:{line}: no scenario starts at or above line {line}")
    assert f"the first starts at line {first}" in message
    assert f"or drop ':{line}' to run every scenario of the file" in message


def test_the_first_scenario_line_itself_still_selects(capsys):
    first = _first_scenario_line(ROOT / PATH)
    assert classify_path(f"{PATH}:{first}", ROOT) == ("feature", f"{PATH}:{first}")


def test_the_command_exits_4_before_running_and_keeps_the_reports(tmp_path, capsys):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "conformance.json").write_text("{}")
    assert main(["run", f"{PATH}:1", "--report-dir", str(reports)]) == 4
    err = capsys.readouterr().err
    assert f"{PATH}:1: no scenario starts at or above line 1" in err
    assert (reports / "conformance.json").read_text() == "{}"


@pytest.mark.parametrize("line", ["abc", "", "12a"])
def test_a_line_that_is_no_number_is_named_as_the_mistake(line):
    # It said "no such file or folder (did you mean 'features/approval/approval.feature'?)".
    with pytest.raises(SelectionError) as refused:
        classify_path(f"{PATH}:{line}", ROOT)
    message = str(refused.value)
    assert message.startswith(f"{PATH}:{line}: the line after ':' must be a number, e.g. {PATH}:12")
    assert "no such file" not in message


def test_a_missing_file_with_a_line_is_still_a_missing_file():
    with pytest.raises(SelectionError, match="no such file or folder"):
        classify_path("features/approval/nope.feature:abc", ROOT)
