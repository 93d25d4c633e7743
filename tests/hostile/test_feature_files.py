"""Feature "files" that are not files, and Outlines without a row: a clear error, nothing lost.

Every ``*.feature`` name under ``features/`` stands for scenarios. A symbolic link that loops made
``Path.resolve()`` raise ``RuntimeError`` (Python 3.11), so a run with a selection ended in an
INTERNALERROR with no report and the lint in a traceback; a folder named ``x.feature`` or a link
to nothing was named by Python's ``[Errno 21] …`` and ``:0``. A ``Scenario Outline:`` without an
Examples row ran once with its ``<placeholders>`` as text and failed on a step's value; one whose
Examples header named a column twice ran every row with the last such cell, silently.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.steps.lint import feature_step_lines
from harness.steps.tag_lint import tag_problems
from tests.report.conftest import bound_project, claims_yaml  # noqa: F401  (fixture)

pytest_plugins = ["pytester"]

GOOD = """\
Feature: Good
  @claim:MS-01
  Scenario: fine
    Given a step that passes
"""
OUTLINES = """\
Feature: Outlines
  @claim:MS-01
  Scenario Outline: no Examples at all
    Given a step that passes
    Then <n> steps pass

  @claim:MS-01
  Scenario Outline: a header and no row
    Given a step that passes
    Then <n> steps pass

    Examples:
      | n |

  @claim:MS-01
  Scenario Outline: one row
    Given a step that passes
    Then <n> steps pass

    Examples:
      | n |
      | 3 |

  @claim:MS-01
  Scenario Outline: a column named twice
    Given a step that passes
    Then <n> steps pass

    Examples:
      | n | n |
      | 1 | 2 |
"""
STEPS = """\
from pytest_bdd import given, parsers, then


@given("a step that passes")
def _():
    pass


@then(parsers.parse("{n:d} steps pass"))
def _(n):
    pass
"""
REPORT_ARGS = ("-p", "harness.report.plugin", "-p", "harness.steps.plugin", "--conformance-report", "out")
LOOP = "features/odd/loop.feature"
FOLDER = "features/odd/folder.feature"
DANGLING = "features/odd/dangling.feature"


@pytest.fixture
def project(pytester: pytest.Pytester, claims_yaml: str) -> pytest.Pytester:  # noqa: F811
    """A good feature, an Outline feature, and three ``*.feature`` names that are not files."""
    bound_project(pytester, claims_yaml, STEPS, {"features/good": GOOD, "features/outlines": OUTLINES})
    odd = pytester.path / "features" / "odd"
    odd.mkdir()
    (odd / "loop.feature").symlink_to("loop.feature")
    (odd / "folder.feature").mkdir()
    (odd / "dangling.feature").symlink_to("nowhere.feature")
    return pytester


def test_links_and_folders_named_feature_are_errors_in_the_run_and_the_report(project):
    # The selection is what made the loop an INTERNALERROR: it resolves every file's path.
    result = project.runpytest_inprocess("scenarios", *REPORT_ARGS, "--feature-path=features")
    assert "INTERNALERROR" not in result.stdout.str()
    result.assert_outcomes(passed=2, failed=6)
    problems = json.loads((project.path / "out" / "conformance.json").read_text())["problems"]
    expected = {
        LOOP: "is a symbolic link that loops",
        FOLDER: "is a folder, not a feature file: rename it",
        DANGLING: "is a symbolic link to a file that does not exist",
    }
    for name, words in expected.items():
        assert any(p.startswith(f"{name}: {words}") for p in problems), (name, problems)
    assert not any("Errno" in p for p in problems), problems


def test_the_lint_names_each_link_and_folder_by_its_own_name_without_a_traceback(project, monkeypatch):
    monkeypatch.chdir(project.path)
    found = {p.location: p.message for p in tag_problems(Path("features"), None)}
    assert found[LOOP].startswith("is a symbolic link that loops")
    assert found[FOLDER].startswith("is a folder")
    assert found[DANGLING].startswith("is a symbolic link to a file that does not exist")
    assert list(feature_step_lines(Path("features")))  # the readable files are still linted


def test_a_run_naming_a_looping_link_says_so_before_any_scenario(project, monkeypatch, capsys):
    monkeypatch.chdir(project.path)
    assert main(["run", LOOP, "--report-dir", str(project.path / "reports")]) == 4
    err = capsys.readouterr().err
    assert f"{LOOP}: is a symbolic link that loops" in err
    assert "did you mean" not in err


def test_an_outline_without_an_examples_row_says_so_in_the_run_and_the_lint(project, monkeypatch):
    result = project.runpytest_inprocess(
        "scenarios", *REPORT_ARGS, "--feature-path=features/outlines.feature"
    )
    result.assert_outcomes(passed=1, failed=3)
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    [outlines] = [f for f in report["features"] if f["uri"] == "features/outlines.feature"]
    errors = {s["line"]: s["error"]["message"] for s in outlines["scenarios"] if s.get("error")}
    for line in (3, 8):
        assert f"the Scenario Outline at line {line} has no Examples row" in errors[line], errors
        assert "add an 'Examples:' table" in errors[line]
    # pytest-bdd filled <n> from the last of the two cells: the first column's values were lost
    assert "the Examples table names the column 'n' twice" in errors[25], errors

    monkeypatch.chdir(project.path)
    lint = [line for line in feature_step_lines(Path("features/outlines.feature")) if line.unfilled]
    assert [(line.line, "has no Examples row" in str(line.unfilled)) for line in lint][:1] == [(4, True)]
    assert any(line.line == 9 and "has no Examples row" in str(line.unfilled) for line in lint)
    assert not any(17 <= line.line < 25 for line in lint)  # the Outline with a row is fine
    assert any(line.line == 26 and "twice" in str(line.unfilled) for line in lint)


def test_every_kind_of_unreadable_path_has_its_own_fix():
    # root reads any file, so a feature file without read permission cannot be made here: the
    # words for it are checked on the error itself.
    import errno

    from harness.feature_text import unreadable_file

    assert unreadable_file(PermissionError(errno.EACCES, "denied")).startswith("cannot be read (permission")
    assert "chmod a+r" in unreadable_file(PermissionError(errno.EACCES, "denied"))
    assert unreadable_file(OSError(errno.EIO, "I/O error")) == "cannot be read: I/O error"
