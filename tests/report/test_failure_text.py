"""The terminal text of a failed scenario: what a QA author reads first."""

from __future__ import annotations

from harness.report.failure_text import failure_text
from harness.report.model import StepResult
from harness.report.status import Status


def _step(rows: list[list[str]]) -> StepResult:
    return StepResult(
        keyword="Then",
        type="then",
        name="the ModuleReleases are:",
        line=12,
        status=Status.FAILED,
        datatable=rows,
    )


def test_a_step_table_is_printed_with_its_columns_aligned():
    rows = [["name", "phase"], ["module-one-v0.7.23", "Superseded"], ["module-one-v0.7.24", "Deployed"]]
    text = failure_text("features/r.feature:10", "Two releases", _step(rows), "failed", [])
    assert [line for line in text.splitlines() if line.lstrip().startswith("|")] == [
        "      | name               | phase      |",
        "      | module-one-v0.7.23 | Superseded |",
        "      | module-one-v0.7.24 | Deployed   |",
    ]


def test_a_long_table_says_how_many_rows_it_leaves_out():
    rows = [["version"], *([f"v0.7.{n}"] for n in range(9))]
    text = failure_text("features/r.feature:10", "Many", _step(rows), "failed", [])
    assert "      … 4 more rows" in text.splitlines()
