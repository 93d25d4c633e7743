"""The terminal's account of a failed scenario: feature:line, the Gherkin step, the diff.

pytest's default traceback for a scenario is ~65 lines of pytest-bdd, pluggy and fixture frames
with a repr of the world object, and never names the feature line. A QA engineer needs where
(``features/x.feature:12``), which step, what was expected and what was found. This text replaces
the traceback when pytest's ``--tb`` is left at ``auto``; ``--tb=long`` (or any explicit style)
still shows every frame. It is bounded so that one failure fits a screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.report.evidence import Diff
from harness.report.model import StepResult
from harness.report.visible_text import visible

__all__ = ["MAX_LINES", "failure_text", "unknown_step_text"]

MAX_LINES = 36
_MAX_MESSAGE_LINES = 16
_MAX_DIFFS = 8


_MAX_TABLE_ROWS = 6


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    """The step's data table as the author wrote it: columns aligned, the first rows only."""
    shown = rows[:_MAX_TABLE_ROWS]
    widths = [
        max(len(row[i]) for row in shown if i < len(row)) for i in range(max(map(len, shown), default=0))
    ]
    lines = [
        "      | " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |" for row in shown
    ]
    if len(rows) > len(shown):
        lines.append(f"      … {len(rows) - len(shown)} more rows")
    return lines


def failure_text(
    location: str,
    scenario: str,
    step: StepResult | None,
    message: str,
    diffs: Sequence[Diff],
    report: str | None = None,
) -> str:
    """A failed scenario in at most :data:`MAX_LINES` lines."""
    lines = [f"{location}: Scenario: {scenario}"]
    if step is not None:
        lines.append(f"  step at line {step.line} did not pass:")
        lines.append(f"    {step.keyword} {step.name}")
        lines += _table(step.datatable or [])
    lines.append("  expectation not met:" if step is None or step.status.value == "failed" else "  error:")
    lines += _bounded(message.splitlines(), _MAX_MESSAGE_LINES, "    ")
    if diffs:
        lines.append("  expected vs actual:")
        for diff in diffs[:_MAX_DIFFS]:
            lines.append(f"    {diff.field_path}: expected {diff.expected}, actual {diff.actual}")
        if len(diffs) > _MAX_DIFFS:
            lines.append(f"    … {len(diffs) - _MAX_DIFFS} more in the report")
    tail = "  (every frame: --tb=long"
    lines.append(f"{tail}; details: {report})" if report else f"{tail})")
    return visible("\n".join(_bounded(lines, MAX_LINES, "")))


def unknown_step_text(message: str) -> str:
    """An undefined step: the step library's message (closest steps with file:line) and nothing else."""
    return visible("\n".join(_bounded(message.strip().splitlines(), MAX_LINES, "")))


def _bounded(lines: Sequence[str], limit: int, indent: str) -> list[str]:
    shown = [f"{indent}{line}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"{indent}… {len(lines) - limit} more lines")
    return shown
