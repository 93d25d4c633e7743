"""How the report shows a kubectl comparison: what was checked, expected against actual.

A step that compares kubectl output checks one row, the header, a substring or the whole text; the
report shows exactly that check, as a table a QA engineer reads at a glance, never Python reprs.
The step's own verdict decides whether it matched (``Evidence.judge_step``); this module only
lays the evidence out.

Steps may name their check (``Evidence.kubectl(..., check="row")``); for steps that do not, the
check is read from the step's wording. kubectl's tables are read the way kubectl prints them: the
header's runs of two or more spaces mark where each column starts and every row is cut at the
same offsets (the last column takes the rest of the line, as messages hold spaces).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from harness.report.evidence import Diff, Evidence, KubectlRun
from harness.report.model import StepResult

__all__ = [
    "CHECK_LABELS",
    "Comparison",
    "ComparisonRow",
    "check_of_step",
    "comparison_of",
    "kubectl_diffs",
    "quoted",
    "row_name_of",
]

CHECK_LABELS = {
    "row": "one row",
    "columns": "the columns",
    "contains": "contains",
    "absent": "does not contain",
    "output": "the whole output",
}

# Read from the step text when the step did not name its check; first match wins.
_STEP_WORDING = (
    (re.compile(r"\brow\b", re.IGNORECASE), "row"),
    (re.compile(r"\bcolumns?\b", re.IGNORECASE), "columns"),
    # before "contains": `the output does not contain "x"` is the opposite check
    (re.compile(r"\b(?:does not|doesn't|never) (?:contain|include|mention)s?\b", re.IGNORECASE), "absent"),
    (re.compile(r"\bcontains?\b|\bincludes?\b|\bmentions?\b", re.IGNORECASE), "contains"),
    (re.compile(r"\boutput (is|reads|equals)\b|\bprints\b", re.IGNORECASE), "output"),
)
_COLUMN = re.compile(r"\S+(?: \S+)*")
_QUOTED = re.compile(r'"([^"]*)"')
_CELL = re.compile(r"^(?P<column>[^=\n]+?)=(?P<value>'.*'|\".*\")$")


def check_of_step(step_text: str) -> str | None:
    """The kind of comparison a step's wording describes, or None when it does not say."""
    return next((check for pattern, check in _STEP_WORDING if pattern.search(step_text)), None)


@dataclass(frozen=True)
class ComparisonRow:
    """One expected value next to what kubectl printed; ``ok`` is None where it cannot be told."""

    label: str
    expected: str
    actual: str
    ok: bool | None


@dataclass(frozen=True)
class Comparison:
    """A kubectl comparison ready to render: a table of rows, or expected text next to the output."""

    check: str
    label: str
    matched: bool | None
    rows: list[ComparisonRow] = field(default_factory=list)
    expected_text: str | None = None


def comparison_of(run: KubectlRun, row_name: str | None = None) -> Comparison | None:
    """The comparison a kubectl run carries, or None when no step compared its output."""
    if run.expected is None:
        return None
    check = run.check or "output"
    label = CHECK_LABELS.get(check, check)
    if check == "row":
        cells = _expected_cells(run.expected)
        if cells is not None:
            name = run.row or row_name
            actual = _row_cells(run.output, name)
            if actual is None and run.matched and run.row is None:
                actual = _row_cells(run.output, None)  # the step found its row: the only one
            rows = [_cell_row(column, value, actual, run.matched) for column, value in cells]
            return Comparison(check, f'row "{name}"' if name else label, run.matched, rows)
    if check == "columns":
        return Comparison(check, label, run.matched, [_columns_row(run.expected, run.output)])
    return Comparison(check, label, run.matched, expected_text=run.expected)


def row_name_of(step_text: str) -> str | None:
    """The row a step names in quotes (``the row of "module-1" reads:`` → ``module-1``)."""
    match = _QUOTED.search(step_text)
    return match.group(1) if match else None


def kubectl_diffs(evidence: Evidence, step: StepResult | None) -> list[Diff]:
    """The cells (or header) a failed kubectl step found different, as field-path diffs."""
    if step is None:
        return []
    diffs = []
    for run in evidence.kubectl_runs:
        if run.step_line != step.line or run.matched is not False:
            continue
        comparison = comparison_of(run, row_name_of(step.name))
        if comparison is None:
            continue
        where = comparison.label if comparison.check == "row" else "output"
        diffs += [
            Diff(f"{where} {row.label}", quoted(row.expected), quoted(row.actual))
            for row in comparison.rows
            if row.ok is False
        ]
    return diffs


def quoted(text: str) -> str:
    """A cell as a reader sees it: quoted, so that a blank cell is visible as ``""``."""
    return f'"{text}"'


def _expected_cells(expected: str) -> list[tuple[str, str]] | None:
    """``COLUMN='value'`` lines (one per expected cell) as pairs; None when the text is not that."""
    cells = []
    for line in expected.splitlines():
        match = _CELL.match(line.strip())
        if match is None:
            return None
        try:
            value = ast.literal_eval(match["value"])
        except (ValueError, SyntaxError):
            return None
        cells.append((match["column"].strip(), str(value)))
    return cells or None


def _cell_row(
    column: str, expected: str, actual: dict[str, str] | None, matched: bool | None = None
) -> ComparisonRow:
    """A step that passed found its row, so a row the report cannot find is named otherwise in
    the output (the cluster's name for it), not missing: that is said, and not judged."""
    if actual is None and matched:
        return ComparisonRow(column, expected, "(the output below names this row otherwise)", None)
    if actual is None:
        return ComparisonRow(column, expected, "(row not found)", False)
    found = actual.get(column)
    if found is None:
        return ComparisonRow(column, expected, "(no such column)", False)
    return ComparisonRow(column, expected, found, found == expected)


def _columns_row(expected: str, output: str) -> ComparisonRow:
    lines = [line for line in output.splitlines() if line.strip()]
    header = " ".join(m.group() for m in _COLUMN.finditer(lines[0])) if lines else ""
    return ComparisonRow("header", expected, header, header.split() == expected.split())


def _row_cells(output: str, name: str | None) -> dict[str, str] | None:
    """The cells of the row whose NAME is ``name`` (or the only row), as kubectl printed them."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    if not lines:
        return None
    spans = [(m.start(), m.group()) for m in _COLUMN.finditer(lines[0])]
    rows = [_cut(line, spans) for line in lines[1:]]
    if name is None:
        return rows[0] if len(rows) == 1 else None
    return next((row for row in rows if row.get("NAME") == name), None)


def _cut(line: str, spans: list[tuple[int, str]]) -> dict[str, str]:
    cells = {}
    for index, (start, column) in enumerate(spans):
        end = spans[index + 1][0] if index + 1 < len(spans) else len(line)
        cells[column] = line[start:end].strip()
    return cells
