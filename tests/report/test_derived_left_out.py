"""A total crash's left-out counts, derived on the controller (harness.report.derived_left_out).

tests/report/test_unfinished_scenarios.py crashes a real worker; these check, in process, which
node ids count: those of the collected ids' modules the command line asked for and nobody collected.
"""

from __future__ import annotations

from pathlib import Path

from harness.report.derived_left_out import derived_left_out
from harness.report.node_scenarios import NodeScenarios

FEATURE = """\
Feature: Three

  @claim:MS-01
  Scenario: Kept
    Given a step

  @claim:MS-01 @claim:EN-02
  Scenario: Dropped
    Given a step

  @claim:EN-04
  Scenario Outline: Row <n>
    Given a step

    Examples:
      | n |
      | 1 |
      | 2 |
"""
MODULE = "scenarios/test_features.py"


def _root(tmp_path: Path) -> Path:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "three.feature").write_text(FEATURE)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / MODULE).write_text(
        "from harness.steps.binding import bind_features\nbind_features(globals())\n"
    )
    return tmp_path


def _count(root: Path, collected: set[str], args: list[str]) -> dict[str, int]:
    return dict(derived_left_out(NodeScenarios(root), collected, args, root, escaped=True))


def test_the_scenarios_and_rows_nobody_collected_count_for_their_claims(tmp_path):
    root = _root(tmp_path)
    assert NodeScenarios(root).node_ids(MODULE) == [
        f"{MODULE}::test_three__kept",
        f"{MODULE}::test_three__dropped",
        f"{MODULE}::test_three__row_n[1]",
        f"{MODULE}::test_three__row_n[2]",
    ]
    kept = {f"{MODULE}::test_three__kept", f"{MODULE}::test_three__row_n[2]"}
    assert _count(root, kept, ["scenarios"]) == {"MS-01": 1, "EN-02": 1, "EN-04": 1}
    assert _count(root, kept, [MODULE]) == {"MS-01": 1, "EN-02": 1, "EN-04": 1}


def test_only_what_the_command_line_asked_for_counts(tmp_path):
    """Node ids given on the command line narrow what was collected, not what was deselected."""
    root = _root(tmp_path)
    kept = {f"{MODULE}::test_three__row_n[2]"}
    assert _count(root, kept, [f"{MODULE}::test_three__row_n"]) == {"EN-04": 1}
    assert _count(root, kept, [f"{MODULE}::test_three__row_n[2]"]) == {}
    assert _count(root, kept, ["features"]) == {}  # no binding module under it
    assert _count(root, set(), ["scenarios"]) == {}  # nothing collected: no module to walk
