"""A QA author's first hour, end to end: real plugins, real step library, real simulated cluster.

Each test builds a small project laid out like this one (features/, scenarios/, fixtures/) in a
temporary directory and runs pytest on it the way ``dkp-harness run`` does, then reads what the
author would read: the terminal and the report.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap

import pytest

from tests.project_layout import ROOT, copy_project_layout

from .conftest import LEAN_SUBPROCESS

pytest_plugins = ["pytester"]

BACKGROUND = """\
  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.23.1 | alpha    |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And 3 minutes pass
"""

WRONG = (
    "Feature: Wrong\n"
    + BACKGROUND
    + """
  @claim:MS-07
  Scenario: A wrong expectation
    Then the Module "module-1" is in phase "Ready"
"""
)
"""A scenario whose expectation is not met (the Module is Available), its step at line 12."""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """This project's layout with the real conftest, catalogue, binding module and example source."""
    return copy_project_layout(pytester)


def _feature(project: pytest.Pytester, relative: str, body: str) -> None:
    path = project.path / "features" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body))


def _failure_section(output: str, test_name: str) -> list[str]:
    """The lines pytest prints for one failed test, from its ``___ name ___`` header to the next."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"^_+ {test_name} _+$", line))
    end = next(
        (i for i in range(start + 1, len(lines)) if re.match(r"^(_{3,} \S|={5,}|-{5,} )", lines[i])),
        len(lines),
    )
    return lines[start:end]


def test_a_feature_file_dropped_into_a_new_folder_runs_with_its_own_tag(project):
    _feature(
        project,
        "upgrades/upgrade.feature",
        "Feature: Upgrades\n"
        + BACKGROUND
        + """
  @claim:MS-07 @smoke
  Scenario: The module appears after the scan
    Then the Module "module-1" is in phase "Available"
""",
    )
    result = project.runpytest("scenarios", "-m", "smoke", "--conformance-report", "out")
    result.assert_outcomes(passed=1)
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    [feature] = report["features"]
    assert feature["uri"] == "features/upgrades/upgrade.feature"
    assert report["partial"] is True and report["selection"] == {"markexpr": "smoke"}


def test_a_failing_step_prints_feature_line_step_and_diff_on_one_screen(project):
    _feature(
        project,
        "upgrades/upgrade.feature",
        "Feature: Upgrades\n"
        + BACKGROUND
        + """
  @claim:MS-07
  Scenario: A wrong expectation
    Then the Module "module-1" is in phase "Ready"
""",
    )
    result = project.runpytest("scenarios", "--conformance-report", "out")
    result.assert_outcomes(failed=1)
    section = _failure_section(result.stdout.str(), "test_upgrades_upgrade__a_wrong_expectation")
    text = "\n".join(section)
    assert len(section) <= 40, text
    assert "features/upgrades/upgrade.feature:11: Scenario: A wrong expectation" in text
    assert 'Then the Module "module-1" is in phase "Ready"' in text
    assert "step at line 12" in text
    assert re.search(r"status\.phase: expected \"?Ready\"?, actual \"?Available", text), text
    for frame in ("pluggy/", "_pytest/", "pytest_bdd/", "harness/", "World("):
        assert frame not in text, f"{frame} in\n{text}"
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    [scenario] = report["features"][0]["scenarios"]
    # The virtual instant the scenario failed at: three minutes after it started.
    assert scenario["evidence"]["failure_at"] == "2024-12-16T09:03:00Z"


def test_the_readable_failure_is_made_without_building_pytests_traceback(project, monkeypatch):
    """The traceback the readable text replaces costs ~60 ms of CPU per failed scenario (pytest
    parses every frame's source file): under ``--tb=auto`` it must not be built at all."""
    built: list[str] = []
    original = pytest.ExceptionInfo.getrepr

    def counting(self, *args, **kwargs):
        built.append(self.typename)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pytest.ExceptionInfo, "getrepr", counting)
    _feature(project, "wrong.feature", WRONG)
    result = project.runpytest("scenarios")
    result.assert_outcomes(failed=1)
    assert "step at line 12" in result.stdout.str()
    assert built == []
    project.runpytest("scenarios", "--tb=short").assert_outcomes(failed=1)
    assert built, "an explicit --tb style still gets pytest's traceback"


def test_tb_long_still_shows_every_frame(project):
    _feature(project, "wrong.feature", WRONG)
    result = project.runpytest("scenarios", "--tb=long")
    result.assert_outcomes(failed=1)
    assert "harness/steps/library/assertions.py" in result.stdout.str()


def test_an_undefined_step_prints_the_closest_steps_and_nothing_else(project):
    _feature(
        project,
        "typo.feature",
        """\
        Feature: Typo
          @claim:MS-07
          Scenario: A misspelled step
            When I rnu `kubectl get module`
        """,
    )
    result = project.runpytest("scenarios")
    result.assert_outcomes(failed=1)
    section = _failure_section(result.stdout.str(), "test_typo__a_misspelled_step")
    assert (
        section[1] == "features/typo.feature:4: no step definition matches: When I rnu `kubectl get module`"
    )
    assert "closest defined steps:" in section[2]
    assert re.search(r"When I run `\{command\}`\s+\(harness/steps/library/kubectl\.py:\d+\)", section[3])
    assert len(section) <= 8, "\n".join(section)


def test_a_typo_step_is_reported_as_not_checkable_not_as_a_broken_claim(project):
    _feature(
        project,
        "typo.feature",
        """\
        Feature: Typo
          @claim:MS-07
          Scenario: A misspelled step
            When I rnu `kubectl get module`
        """,
    )
    project.runpytest("scenarios", "--conformance-report", "out")
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    claims = {c["id"]: c["status"] for c in report["claims"]}
    assert claims["MS-07"] == "error"
    html = (project.path / "out" / "conformance.html").read_text()
    assert "This scenario could not be carried out" in html
    assert "DKP did not behave" not in html


def test_a_bad_k_expression_is_a_usage_error_not_an_internal_error(project):
    _feature(project, "x.feature", "Feature: x\n  Scenario: s\n    Given it is Monday 2024-12-16 09:00 UTC\n")
    result = project.runpytest_subprocess("scenarios", *LEAN_SUBPROCESS, "-n", "2", "-k", "a and (")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*-k 'a and (' is not a valid expression*"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_a_scenario_that_needs_virtual_time_is_counted_apart_from_failures(project):
    project.makeconftest(
        (ROOT / "conftest.py").read_text()
        + textwrap.dedent("""
        import pytest
        from pytest_bdd import given


        @given("a real cluster")
        def _():
            pytest.skip("needs virtual time: waits three minutes for a sync")
        """)
    )
    _feature(
        project,
        "real.feature",
        """\
        Feature: Real
          @claim:MS-02
          Scenario: A sync three minutes later
            Given a real cluster
        """,
    )
    result = project.runpytest("scenarios", "--conformance-report", "out")
    result.assert_outcomes(skipped=1)
    report = json.loads((project.path / "out" / "conformance.json").read_text())
    assert report["counts"]["scenarios"]["needs_virtual_time"] == 1
    assert report["counts"]["scenarios"]["skipped"] == 0
    [scenario] = [s for f in report["features"] for s in f["scenarios"]]
    assert scenario["skip_reason"] == "needs virtual time: waits three minutes for a sync"
    html = (project.path / "out" / "conformance.html").read_text()
    assert 'id="needs-virtual-time"' in html


def test_a_broken_feature_file_fails_alone_with_its_line_and_the_others_still_run(project):
    _feature(
        project,
        "ok.feature",
        "Feature: ok\n  @claim:MS-07\n  Scenario: fine\n    Given it is Monday 2024-12-16 09:00 UTC\n",
    )
    _feature(
        project,
        "broken/bad.feature",
        "Feature: bad\n  Scenario: x\n    Given it is Monday\n  Nonsense here\n",
    )
    result = project.runpytest("scenarios")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["features/broken/bad.feature:4: not a valid feature file: Unexpected token*"]
    )


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="the scenario runs the real kubectl")
def test_a_failing_kubectl_row_check_prints_the_cells_that_differ(project):
    _feature(
        project,
        "rows.feature",
        "Feature: Rows\n"
        + BACKGROUND
        + """
  @claim:MS-08
  Scenario: A wrong cell
    When I run `kubectl get module module-1`
    Then the row of "module-1" reads:
      | PHASE   | Ready |
      | ENABLED | False |
""",
    )
    result = project.runpytest("scenarios", "--conformance-report", "out")
    result.assert_outcomes(failed=1)
    section = "\n".join(_failure_section(result.stdout.str(), "test_rows__a_wrong_cell"))
    assert "features/rows.feature:13" not in section  # the scenario line, not a step line, heads it
    assert "features/rows.feature:11: Scenario: A wrong cell" in section
    assert "      | PHASE   | Ready |" in section
    assert 'row "module-1" PHASE: expected "Ready", actual "Available"' in section
    assert "ENABLED: expected" not in section  # cells that matched are not listed
    html = (project.path / "out" / "conformance.html").read_text()
    assert "not as expected" in html and '<tr class="bad"><td class="path">PHASE</td>' in html


def test_a_skipped_scenario_is_summarised_at_its_feature_line(project):
    _feature(
        project,
        "upgrades/later.feature",
        """\
        Feature: Later

          @claim:MS-07 @deckhouse-since:v1.76.0
          Scenario: Only for today's Deckhouse
            Given it is Monday 2024-12-16 09:00 UTC
        """,
    )
    result = project.runpytest("scenarios", "-rs")
    result.assert_outcomes(skipped=1)
    summary = [line for line in result.stdout.lines if line.startswith("SKIPPED")]
    assert len(summary) == 1, result.stdout.str()
    expected = "SKIPPED [1] features/upgrades/later.feature:4: checks Deckhouse v1.76.0"
    assert summary[0].startswith(expected), summary
