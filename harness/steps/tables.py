"""Tables in scenarios: Gherkin datatables, and the tables kubectl prints.

kubectl prints with a tab writer: every column is left-aligned and starts at the same offset in
the header and in each row, and columns are separated by at least three spaces, while a header
may itself hold one space ("UPDATE POLICY"). So the header's runs of two or more spaces give the
column boundaries, and each row is cut at the same offsets; the last column takes the rest of the
line, because messages contain spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["KubectlTable", "MissingRow", "TableError", "parse_kubectl_table", "rows_as_dicts"]

_COLUMN = re.compile(r"\S+(?: \S+)*")


class TableError(ValueError):
    """A table that cannot be read; the message says what is wrong with it."""


class MissingRow(AssertionError):
    """The table has no row of that name: the cluster does not show what the scenario expects.

    An expectation not met, as a missing object is (so a real cluster's check waits for it),
    not a table the step cannot read.
    """


def rows_as_dicts(datatable: list[list[str]]) -> list[dict[str, str]]:
    """A datatable whose first row is the header → one dict per following row."""
    if not datatable:
        raise TableError("the step needs a datatable with a header row, e.g. | name | phase |")
    header = [cell.strip() for cell in datatable[0]]
    return [dict(zip(header, (cell.strip() for cell in row), strict=True)) for row in datatable[1:]]


@dataclass(frozen=True)
class KubectlTable:
    """Columns (as printed) and rows (column → cell text) of one ``kubectl get`` output."""

    columns: list[str]
    rows: list[dict[str, str]]

    def row(self, name: str) -> dict[str, str]:
        """The row whose NAME cell is ``name``; the error lists the names that are there."""
        for row in self.rows:
            if row.get("NAME") == name:
                return row
        names = ", ".join(r.get("NAME", "?") for r in self.rows) or "no rows at all"
        raise MissingRow(f"no row named {name!r} in the kubectl output (rows: {names})")


def parse_kubectl_table(text: str) -> KubectlTable:
    """Read kubectl's default table output into columns and rows."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise TableError("kubectl printed nothing (expected a table with a header row)")
    header = lines[0]
    spans = _split_on_wide_gaps(header)
    columns = [name for _, name in spans]
    starts = [start for start, _ in spans]
    rows = [_cut(line, starts, columns) for line in lines[1:]]
    return KubectlTable(columns, rows)


def _split_on_wide_gaps(header: str) -> list[tuple[int, str]]:
    """Column names with their start offsets: names are separated by two or more spaces."""
    return [(match.start(), match.group()) for match in _COLUMN.finditer(header)]


def _cut(line: str, starts: list[int], columns: list[str]) -> dict[str, str]:
    cells: dict[str, str] = {}
    for index, column in enumerate(columns):
        begin = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(line)
        cells[column] = line[begin:end].strip()
    return cells
