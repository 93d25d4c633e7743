"""``file.feature:LINE`` on an Outline's Examples row runs that row only, as Cucumber's does; a
line of the Outline above its rows runs every row. It ran every row, whatever the line."""

from __future__ import annotations

import json

import pytest

from harness.report.selection import filter_items

from .conftest import REPORT_ARGS, bound_project

pytest_plugins = ["pytester"]

OUTLINE = """\
Feature: Rows

  @claim:MS-01
  Scenario Outline: A count of <n>
    Given the count <n>

    Examples: small
      | n |
      | 1 |
      # a comment between rows
      | 2 |

    Examples: large
      | n  |

      | 10 |

  @claim:MS-01
  Scenario: After
    Given the count 0
"""
STEPS = """\
from pytest_bdd import given, parsers


@given(parsers.parse("the count {n:d}"))
def _(n):
    pass
"""


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:
    return bound_project(pytester, claims_yaml, STEPS, {"features/rows": OUTLINE})


def _counts(project: pytest.Pytester, line: int) -> list[dict[str, str]]:
    result = project.runpytest("scenarios", *REPORT_ARGS, f"--feature-path=features/rows.feature:{line}")
    assert result.ret == 0, result.stdout.str()
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    return [s.get("example", {}) for f in report["features"] for s in f["scenarios"]]


@pytest.mark.parametrize(("line", "rows"), [(9, ["1"]), (11, ["2"]), (16, ["10"])])
def test_a_row_line_runs_that_row_only(project, line, rows):
    assert [example.get("n") for example in _counts(project, line)] == rows


@pytest.mark.parametrize("line", [4, 7, 8, 14])
def test_a_line_above_the_rows_or_on_a_header_runs_every_row(project, line):
    assert sorted(example.get("n") for example in _counts(project, line)) == ["1", "10", "2"]


@pytest.mark.parametrize("line", ["²", "١٢", "12²"])
def test_a_line_in_other_than_ascii_digits_is_a_usage_error_not_a_traceback(tmp_path, line):
    """``str.isdigit`` took ``²`` (then ``int`` raised: pytest's INTERNALERROR) and ``١٢``
    (``int`` read 12: a scenario nobody named)."""
    with pytest.raises(pytest.UsageError, match=r"the line after ':' must be written in ASCII digits"):
        filter_items([], [], [f"features/a.feature:{line}"], tmp_path)
