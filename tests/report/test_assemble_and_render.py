from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from harness.report.assemble import assemble_run
from harness.report.evidence import Evidence
from harness.report.model import ErrorInfo, ScenarioResult, StepCatalogueEntry
from harness.report.render_cucumber import render_cucumber
from harness.report.render_html import render_html
from harness.report.render_json import render_json
from harness.report.render_junit import render_junit
from harness.report.status import Status
from harness.report.write import write_reports


@pytest.fixture
def failed(make_scenario, rich_evidence):
    def build(name: str, claims: list[str], status: Status = Status.FAILED) -> ScenarioResult:
        scenario = make_scenario(name, status, claims, line=20, evidence=rich_evidence())
        scenario.steps[0].error = "AssertionError: module-one is Installing, expected Ready"
        scenario.error = ErrorInfo(
            "call",
            "AssertionError",
            "module-one is Installing, expected Ready",
            "Traceback ...\nAssertionError",
            step_line=21,
        )
        return scenario

    return build


@pytest.fixture
def make_run(make_scenario, rich_evidence, failed, catalogue):
    def build(step_catalogue=None):
        scenarios = [
            make_scenario("source syncs", Status.PASSED, ["MS-01"], line=5, evidence=rich_evidence()),
            make_scenario("empty message", Status.DEVIATION, ["MS-03"], line=10, deviation=True),
            failed("module ready", ["EN-04"]),
            failed("harness broke", ["EN-02"], Status.ERROR),
            make_scenario("untraced", Status.SKIPPED, [], line=30, uri="features/other.feature"),
        ]
        return assemble_run(
            reversed(scenarios),
            catalogue,
            started_at="2024-12-16T09:00:00Z",
            duration=1.5,
            step_catalogue=step_catalogue,
        )

    return build


def test_claims_get_their_status_in_catalogue_order_and_unchecked_claims_are_uncovered(catalogue, make_run):
    run = make_run()
    assert [(c.claim.id, c.status) for c in run.claims] == [
        ("MS-01", Status.PASSED),
        ("MS-03", Status.DEVIATION),
        ("EN-02", Status.ERROR),
        ("EN-04", Status.FAILED),
        ("DKP-01", Status.UNCOVERED),
    ]
    assert run.claim_counts() == {
        "failed": 1,
        "error": 1,
        "deviation": 1,
        "passed": 1,
        "skipped": 0,
        "uncovered": 1,
        "unselected": 0,
        "not_applicable": 0,
    }
    assert run.scenario_counts() == {
        "failed": 1,
        "error": 1,
        "deviation": 1,
        "passed": 1,
        "skipped": 1,
        "needs_virtual_time": 0,
        "other_era": 0,
        "checked_nothing": 0,
    }


def test_features_and_scenarios_are_sorted_and_take_the_worst_status(catalogue, make_run):
    run = make_run()
    assert [f.uri for f in run.features] == ["features/other.feature", "features/sources.feature"]
    assert [s.line for s in run.features[1].scenarios] == [5, 10, 20, 20]
    assert run.features[1].status is Status.FAILED
    assert run.features[0].status is Status.SKIPPED


def test_untraced_scenarios_and_unexplained_deviations_are_flagged(catalogue, make_scenario):
    stray = make_scenario("stray deviation", Status.DEVIATION, ["MS-01"], deviation=True)
    run = assemble_run(
        [stray, make_scenario("untraced", Status.PASSED, [])], catalogue, started_at="t", duration=0
    )
    assert any("has no @claim tag" in p for p in run.problems)
    assert any(
        "'stray deviation' is tagged @deviation but none of its claims has a deviation note" in p
        for p in run.problems
    )


def test_step_usage_is_counted_from_the_run_when_the_library_leaves_it_out(catalogue, make_scenario):
    scenario = make_scenario("s", Status.PASSED, ["MS-01"])
    scenario.steps[0].function = "harness.steps.sources:registry_step"
    entries = [
        StepCatalogueEntry("the module {name} is Ready", "then", "checks the phase", used_by=7),
        StepCatalogueEntry(
            "a registry", "given", "starts a registry", function="harness.steps.sources:registry_step"
        ),
    ]
    run = assemble_run([scenario], catalogue, started_at="t", duration=0, step_catalogue=entries)
    assert [(e.kind, e.used_by) for e in run.step_catalogue] == [("given", 1), ("then", 7)]


def test_html_is_deterministic_and_self_contained(catalogue, make_run):
    first, second = render_html(make_run()), render_html(make_run())
    assert first == second
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", first)
    assert "@import" not in first and "url(" not in first
    assert 'id="claim-table"' in first


def test_html_shows_claims_deviations_evidence_and_failure_story(catalogue, make_run):
    html = render_html(make_run())
    assert (
        'href="https://deckhouse.io/products/kubernetes-platform/documentation/v1/module-development/run/#module-source"'
        in html
    )
    assert "the controller writes an empty message; the page shows Ready" in html
    assert "DKP did not behave as documented" not in html
    assert "An expectation of this scenario was not met" in html
    assert "This scenario could not be carried out" in html
    assert "module-one   900      example   Ready" in html
    assert "2024-12-16T09:03:00Z" in html and "+3m" in html
    assert "status.phase" in html and "kind: Module" in html
    assert "Step catalogue not provided" in html


def test_a_claim_with_a_known_deviation_passed_without_a_deviation_scenario_is_not_said_to_hold_as_written(
    catalogue, make_scenario
):
    """MS-03's page text differs from DKP: a plain scenario of it passing checked what the two
    agree on; the card said "found the claim holding as the page says" beside the difference."""
    plain = make_scenario("a part both agree on", Status.PASSED, ["MS-03"])
    html = render_html(assemble_run([plain], catalogue, started_at="t", duration=0))
    card = html[html.index('<section id="deviations">') :]
    assert "Its scenarios passed in this run, but none tagged @deviation ran" in card
    assert "holding as the page says" not in html


def test_html_escapes_everything_it_shows(catalogue, make_scenario):
    evil = make_scenario("<script>alert(1)</script>", Status.PASSED, ["MS-01"])
    html = render_html(assemble_run([evil], catalogue, started_at="t", duration=0))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_lists_the_step_catalogue_when_provided(catalogue, make_run):
    entries = [
        StepCatalogueEntry(
            'module "{name}" is in phase "{phase}"',
            "then",
            "Checks Module.status.phase",
            'Then module "m" is in phase "Ready"',
            used_by=3,
        )
    ]
    html = render_html(make_run(entries))
    assert "Checks Module.status.phase" in html and "not provided" not in html


def test_json_twin_carries_claims_scenarios_steps_and_evidence(catalogue, make_run):
    data = json.loads(render_json(make_run()))
    assert data["counts"]["claims"]["uncovered"] == 1
    assert {c["id"]: c["status"] for c in data["claims"]}["MS-03"] == "deviation"
    scenario = data["features"][1]["scenarios"][0]
    assert scenario["status"] == "passed" and scenario["steps"][0]["status"] == "passed"
    assert scenario["evidence"]["timeline_entries"][1]["new"] == "Ready"


def test_junit_has_a_testcase_per_scenario_with_the_failing_step_and_real_error(catalogue, make_run):
    root = ET.fromstring(render_junit(make_run()))
    assert root.get("tests") == "5" and root.get("failures") == "1" and root.get("errors") == "1"
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["module ready"].get("classname") == "Module sources"
    failure = cases["module ready"].find("failure")
    assert "Given a registry (line 21)" in failure.get("message")
    assert "module-one is Installing, expected Ready" in failure.get("message")
    assert cases["harness broke"].find("error") is not None
    assert cases["untraced"].find("skipped") is not None
    assert "[   passed] Given a registry" in cases["source syncs"].find("system-out").text
    assert "known deviation" in cases["empty message"].find("system-out").text


def test_under_fail_on_deviation_a_known_deviation_is_a_junit_failure(catalogue, make_run):
    """The run exits 1 for it; a CI page counting junit.xml must not show it green."""
    run = make_run()
    run.fail_on_deviation = True
    root = ET.fromstring(render_junit(run))
    assert root.get("failures") == "2"
    failure = {c.get("name"): c for c in root.iter("testcase")}["empty message"].find("failure")
    assert failure is not None and failure.get("type") == "KnownDeviation"
    assert "claims MS-03" in failure.get("message") and "--fail-on-deviation" in failure.get("message")


def test_junit_survives_control_characters_in_errors(catalogue, failed):
    scenario = failed("ansi", ["EN-04"])
    scenario.error.traceback = "\x1b[31mred\x1b[0m\x00"
    ET.fromstring(render_junit(assemble_run([scenario], catalogue, started_at="t", duration=0)))


def test_cucumber_json_is_the_legacy_feature_list_format(catalogue, make_run):
    features = json.loads(render_cucumber(make_run()))
    sources = features[1]
    assert sources["keyword"] == "Feature" and sources["uri"] == "features/sources.feature"
    element = next(e for e in sources["elements"] if e["name"] == "module ready")
    assert element["type"] == "scenario" and {"name": "@claim:EN-04", "line": 19} in element["tags"]
    step = element["steps"][0]
    assert step["keyword"] == "Given " and step["result"]["status"] == "failed"
    assert step["result"]["error_message"].startswith("[conformance failure]")
    assert isinstance(step["result"]["duration"], int)


def test_write_reports_writes_the_four_files(catalogue, tmp_path, make_run):
    written = write_reports(make_run(), tmp_path / "out")
    assert [p.name for p in written] == ["conformance.html", "conformance.json", "junit.xml", "cucumber.json"]
    assert all(p.stat().st_size > 0 for p in written)


def test_an_empty_run_still_renders(catalogue):
    run = assemble_run([], None, started_at="t", duration=0)
    assert "No scenarios ran." in render_html(run)
    assert Evidence().is_empty()
