"""``@deviation`` on a scenario whose claims have no deviation reason: one verdict everywhere.

The lint called it a mistake, yet the run printed ``DEVIATION EN-02``, counted a scenario
deviation, showed the claim as "holds" with no known deviation, and ``--fail-on-deviation`` exited
1 for it. Now the scenario could not be checked (a mistake in the scenario, like an unknown claim
ID): the run, the report, the exit code and the lint agree, in the lint's words.
"""

from __future__ import annotations

import json
import textwrap

import pytest

pytest_plugins = ["pytester"]

FEATURE = textwrap.dedent("""\
    Feature: Module sources

      @claim:EN-02 @deviation
      Scenario: A deviation nobody explained
        Given a registry with module "module-one"
        Then the source lists "module-one"

      @claim:MS-03 @deviation
      Scenario: A deviation the catalogue explains
        Given a registry with module "module-one"
        Then the source lists "module-one"
    """)

MESSAGE = (
    "features/sources.feature:3: @deviation, but none of its claims (EN-02) has a deviation reason in "
    "the claims catalogue; add the reason to the claim it demonstrates, or drop @deviation"
)


@pytest.mark.parametrize("fail_on_deviation", [False, True])
def test_an_unexplained_deviation_could_not_be_checked_in_the_run_the_report_and_the_exit_code(
    bdd_project, fail_on_deviation
):
    (bdd_project.path / "features" / "sources.feature").write_text(FEATURE)
    options = ["--fail-on-deviation"] if fail_on_deviation else []
    result = bdd_project.runpytest(
        "-p", "harness.report.plugin", "--conformance-report", "out", "--conformance-progress", *options
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["ERROR     EN-02 A deviation nobody explained", "DEVIATION MS-03 *"])
    assert "DEVIATION EN-02" not in result.stdout.str()
    report = json.loads((bdd_project.path / "out" / "conformance.json").read_text())
    scenarios = {s["name"]: s for f in report["features"] for s in f["scenarios"]}
    unexplained = scenarios["A deviation nobody explained"]
    assert unexplained["status"] == "error"
    assert MESSAGE in unexplained["error"]["message"]
    assert scenarios["A deviation the catalogue explains"]["status"] == "deviation"
    claims = {c["id"]: c["status"] for c in report["claims"]}
    assert claims["EN-02"] == "error" and claims["MS-03"] == "deviation"
    assert report["counts"]["scenarios"]["deviation"] == 1


def test_the_run_says_what_the_lint_says(tmp_path, catalogue):
    from harness.steps.tag_lint import tag_problems

    features = tmp_path / "features"
    features.mkdir()
    (features / "sources.feature").write_text(FEATURE)
    lint = [str(p) for p in tag_problems(features, catalogue)]
    assert MESSAGE in lint
