"""End-to-end: real pytest sessions with the plugin over a real feature file and step definitions."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET

import pytest

from .conftest import LEAN_SUBPROCESS, REPORT_ARGS

pytest_plugins = ["pytester"]

EXPECTED_CLAIMS = {
    "MS-01": "passed",
    "MS-03": "deviation",
    "EN-02": "error",
    "EN-04": "failed",
    "DKP-01": "uncovered",
}
EXPECTED_SCENARIOS = {
    "A source is synchronised": "passed",
    "The module becomes Ready": "failed",
    "kubectl get ms shows an empty message": "deviation",
    "The harness cannot reach the registry": "error",
}


def _load(pytester: pytest.Pytester) -> dict:
    return json.loads((pytester.path / "out" / "conformance.json").read_text())


def _scenarios(report: dict) -> dict[str, dict]:
    return {s["name"]: s for f in report["features"] for s in f["scenarios"]}


def _mask_wall_time(html: str) -> str:
    """Durations, the start instant and the worker count are the only run-dependent text."""
    html = re.sub(r"(&lt;1 ms|\d+ ms|\d+\.\d+ s)", "T", html)
    html = re.sub(r"run started \S+", "run started T", html)
    return re.sub(r"workers \d+", "workers N", html)


def test_the_report_files_show_each_claim_and_scenario_with_its_status(bdd_project):
    result = bdd_project.runpytest(*REPORT_ARGS)
    result.assert_outcomes(passed=2, failed=2)
    out = bdd_project.path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "conformance.html",
        "conformance.json",
        "cucumber.json",
        "junit.xml",
    ]
    report = _load(bdd_project)
    assert {c["id"]: c["status"] for c in report["claims"]} == EXPECTED_CLAIMS
    scenarios = _scenarios(report)
    assert {name: s["status"] for name, s in scenarios.items()} == EXPECTED_SCENARIOS
    assert report["counts"]["claims"] == {
        "failed": 1,
        "error": 1,
        "deviation": 1,
        "passed": 1,
        "skipped": 0,
        "uncovered": 1,
        "unselected": 0,
        "not_applicable": 0,
    }
    assert report["partial"] is False and report["selection"] == {}
    assert report["target"] == {"kind": "simulator", "time_mode": "virtual"}
    assert report["step_catalogue"] is None


def test_steps_errors_and_evidence_reach_the_report(bdd_project):
    result = bdd_project.runpytest(*REPORT_ARGS)
    # pytest's summary says "failed" for the scenario that errored; the run says what it was
    result.stdout.fnmatch_lines(
        ["1 scenario(s) could not be checked (ERROR: *pytest counts them among the failed"]
    )
    scenarios = _scenarios(_load(bdd_project))
    broken = scenarios["The harness cannot reach the registry"]
    assert [s["status"] for s in broken["steps"]] == ["error", "skipped"]
    assert broken["error"]["type"] == "ConnectionRefusedError"
    failed = scenarios["The module becomes Ready"]
    assert [s["status"] for s in failed["steps"]] == ["passed", "failed"]
    assert "module module-one is Installing, expected Ready" in failed["error"]["message"]
    assert failed["evidence"]["diffs"] == [
        {"field_path": "status.phase", "expected": "Ready", "actual": "Installing"}
    ]
    synced = scenarios["A source is synchronised"]
    assert [e["new"] for e in synced["evidence"]["timeline_entries"]] == ["Active", "Available"]
    assert synced["evidence"]["kubectl_runs"][0]["matched"] is True
    assert synced["claims"] == ["MS-01"] and synced["duration"] > 0


def test_junit_and_cucumber_outputs_are_well_formed(bdd_project):
    bdd_project.runpytest(*REPORT_ARGS)
    root = ET.parse(bdd_project.path / "out" / "junit.xml").getroot()
    cases = list(root.iter("testcase"))
    assert len(cases) == 4 and {c.get("classname") for c in cases} == {"Module sources"}
    assert (root.get("failures"), root.get("errors")) == ("1", "1")
    failure = next(c for c in cases if c.get("name") == "The module becomes Ready").find("failure")
    assert 'Then module "module-one" is in phase "Ready"' in failure.get("message")
    features = json.loads((bdd_project.path / "out" / "cucumber.json").read_text())
    assert [len(f["elements"]) for f in features] == [4]
    statuses = [[s["result"]["status"] for s in e["steps"]] for e in features[0]["elements"]]
    assert statuses == [
        ["passed", "passed", "passed"],
        ["passed", "failed"],
        ["passed", "passed"],
        ["failed", "skipped"],
    ]


def test_the_same_results_come_out_under_xdist(bdd_project):
    bdd_project.runpytest(*REPORT_ARGS)
    serial = _load(bdd_project)
    serial_html = (bdd_project.path / "out" / "conformance.html").read_text()
    result = bdd_project.runpytest_subprocess(*REPORT_ARGS, *LEAN_SUBPROCESS, "-n", "2")
    result.assert_outcomes(passed=2, failed=2)
    parallel = _load(bdd_project)
    assert parallel["environment"]["workers"] == "2"
    assert parallel["claims"] == serial["claims"]
    strip = {"duration"}
    for name, scenario in _scenarios(parallel).items():
        expected = _scenarios(serial)[name]
        assert scenario["status"] == expected["status"]
        assert scenario["evidence"] == expected["evidence"]
        assert [{k: v for k, v in s.items() if k not in strip} for s in scenario["steps"]] == [
            {k: v for k, v in s.items() if k not in strip} for s in expected["steps"]
        ]
    parallel_html = (bdd_project.path / "out" / "conformance.html").read_text()
    assert _mask_wall_time(parallel_html) == _mask_wall_time(serial_html)


def test_progress_prints_one_line_per_finished_scenario(bdd_project):
    result = bdd_project.runpytest("-p", "harness.report.plugin", "--conformance-progress")
    result.stdout.fnmatch_lines_random(
        [
            "PASSED    MS-01 A source is synchronised",
            "FAILED    EN-04 The module becomes Ready",
            "DEVIATION MS-03 kubectl get ms shows an empty message",
            "ERROR     EN-02 The harness cannot reach the registry",
        ]
    )


def test_an_unknown_claim_id_errors_only_its_scenario_with_file_and_line(bdd_project):
    bdd_project.makefile(
        ".feature",
        **{
            "features/typo": textwrap.dedent("""\
        Feature: Typo

          Scenario: Fine
            Given the registry is unreachable

          @claim:MS-99
          Scenario: Mistyped claim
            Given the registry is unreachable
        """)
        },
    )
    bdd_project.makepyfile(
        test_typo=(
            "from pytest_bdd import given, scenarios\n"
            'scenarios("features/typo.feature")\n'
            '@given("the registry is unreachable")\n'
            "def _():\n    pass\n"
        )
    )
    result = bdd_project.runpytest("-p", "harness.report.plugin", "test_typo.py")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_mistyped_claim*",
            "features/typo.feature:6: unknown claim ID 'MS-99'*known IDs are in fixtures/claims.yaml",
        ]
    )
    out = result.stdout.str()
    assert "pluggy/" not in out and "_pytest/" not in out and "def pytest_runtest_setup" not in out


def test_report_tags_are_accepted_under_strict_markers_and_become_markers(bdd_project):
    result = bdd_project.runpytest("-p", "harness.report.plugin", "-m", "deviation", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["*test_kubectl_get_ms_shows_an_empty_message*", "1/4 tests collected*"])


def test_a_malformed_catalogue_stops_the_run_with_its_error(bdd_project):
    (bdd_project.path / "fixtures" / "claims.yaml").write_text("version: 2\n")
    result = bdd_project.runpytest("-p", "harness.report.plugin")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*claims.yaml: 'version' must be 1 (found 2)*"])


SETUP_FEATURE = """\
Feature: Odd outcomes

  @claim:DKP-01
  Scenario: A fixture breaks before the first step
    Given the registry is unreachable

  @claim:MS-01
  Scenario: Skipped on purpose
    Given a step that skips

  @claim:MS-01
  Scenario Outline: Outline rows are separate scenarios
    Given a registry with module "<name>"

    Examples:
      | name       |
      | module-one |
      | module-two |
"""

SETUP_STEPS = """\
import pytest
from pytest_bdd import given, parsers, scenarios

scenarios("features/odd.feature")


@pytest.fixture(autouse=True)
def broken(request):
    if "fixture_breaks" in request.node.name:
        raise RuntimeError("could not start the simulated cluster")


@given("the registry is unreachable")
def _():
    pass


@given("a step that skips")
def _():
    pytest.skip("needs a real cluster")


@given(parsers.parse('a registry with module "{name}"'))
def registry_with(name):
    pass
"""

CATALOGUE_CONFTEST = """\
def pytest_configure(config):
    if config.pluginmanager.has_plugin("harness.report.plugin"):
        from harness.report.plugin import set_step_catalogue
        set_step_catalogue(config, [{
            "pattern": 'a registry with module "{name}"', "kind": "given", "doc": "Publishes a module",
            "example": 'Given a registry with module "m"', "used_by": None,
            "function": "test_odd:registry_with",
        }])
"""


def test_setup_errors_skips_outline_rows_and_the_step_catalogue(pytester, claims_yaml):
    pytester.makefile(".yaml", **{"fixtures/claims": claims_yaml})
    pytester.makefile(".feature", **{"features/odd": SETUP_FEATURE})
    pytester.makepyfile(test_odd=SETUP_STEPS)
    pytester.makeconftest(CATALOGUE_CONFTEST)
    pytester.runpytest("-p", "harness.report.plugin", "-p", "no:randomly", "--conformance-report", "out")
    report = json.loads((pytester.path / "out" / "conformance.json").read_text())
    scenarios = [s for f in report["features"] for s in f["scenarios"]]
    by_name = {s["name"]: s for s in scenarios}
    setup = by_name["A fixture breaks before the first step"]
    assert setup["status"] == "error" and setup["error"]["phase"] == "setup"
    assert "could not start the simulated cluster" in setup["error"]["message"]
    assert by_name["Skipped on purpose"]["status"] == "skipped"
    rows = [s for s in scenarios if s["name"].startswith("Outline rows")]
    assert sorted(s["example"]["name"] for s in rows) == ["module-one", "module-two"]
    assert {c["id"]: c["status"] for c in report["claims"]}["DKP-01"] == "error"
    assert report["step_catalogue"][0]["used_by"] == 2
    html = (pytester.path / "out" / "conformance.html").read_text()
    assert "Publishes a module" in html
