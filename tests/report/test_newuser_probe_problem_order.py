"""The report's "Needs attention" listed a feature file's untagged scenarios at lines 26, 3, 36,
50, 9: sorted as text, so line 9 came after line 50. They are listed in line order now."""

from __future__ import annotations

from harness.report.assemble import assemble_run
from harness.report.status import Status
from tests.report.conftest import _make_scenario


def test_problems_of_one_file_are_in_line_order():
    scenarios = [_make_scenario(f"s{line}", Status.PASSED, [], line=line) for line in (26, 3, 36, 50, 9)]
    run = assemble_run(scenarios, None, started_at="t", duration=0)
    lines = [int(p.split(":", 1)[1].split(" ", 1)[0]) for p in run.problems]
    assert lines == [3, 9, 26, 36, 50]
