"""A first-time reader of the HTML learns what each status means where the counts are, and what
the report shows is what they came for.

The meanings sat in the footer, below every scenario: a "known deviation" tile at the top read
like a failure. A failed scenario's "Error detail" ended with the terminal's pointer to this very
report. An object's YAML began with twenty lines of managedFields that `kubectl get -o yaml` hides.
A known deviation whose claim only a non-@deviation scenario failed said "the scenarios that
demonstrate the difference did not pass", though none demonstrating it had run.
"""

from __future__ import annotations

import re
from dataclasses import replace

from harness.report.assemble import assemble_run
from harness.report.model import ErrorInfo
from harness.report.render_html import render_html
from harness.report.status import Status
from harness.steps.world import evidence_yaml


def _render(scenarios, catalogue) -> str:
    return render_html(assemble_run(scenarios, catalogue, started_at="2024-12-16T09:00:00Z", duration=1.0))


def test_the_status_legend_is_under_the_counts_and_says_what_a_known_deviation_is(make_scenario, catalogue):
    html = _render([make_scenario("ms", Status.DEVIATION, ["MS-03"], deviation=True)], catalogue)
    legend = html.index('id="legend"')
    assert html.index('id="scenario-counts"') < legend < html.index('id="claims"')
    body = re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", html[legend : html.index("</details>", legend)]))
    assert "known deviation DKP does something other than the page says" in body
    assert "--fail-on-deviation fails the run on it" in body
    for label in ("holds", "not met", "could not check", "skipped", "uncovered", "not in this run"):
        assert f" {label} " in body, label
    tiles = re.findall(r'<div class="tile st-deviation" title="([^"]+)"', html)
    assert len(tiles) == 2 and all(t.startswith("DKP does something other") for t in tiles)


def test_the_error_detail_does_not_point_at_the_report_it_is_in(make_scenario, catalogue):
    terminal = (
        "features/sources.feature:3: Scenario: x\n  expectation not met:\n    AssertionError: boom\n"
        "  (every frame: --tb=long; details: reports/conformance.html)"
    )
    error = ErrorInfo(phase="call", type="AssertionError", message="boom", traceback=terminal)
    html = _render([replace(make_scenario("x", Status.FAILED, ["EN-04"]), error=error)], catalogue)
    assert "(every frame: --tb=long)" in html
    assert "details: reports/conformance.html" not in html


def test_a_deviation_claim_failed_by_another_scenario_says_so(make_scenario, catalogue):
    html = _render([make_scenario("expects Ready", Status.FAILED, ["MS-03"])], catalogue)
    card = html[html.index('id="deviations"') : html.index('id="scenarios"')]
    assert "A scenario checking this claim did not pass in this run" in card
    assert "demonstrate the difference did not pass" not in card


def test_an_objects_yaml_in_the_evidence_leaves_out_managed_fields_as_kubectl_does():
    obj = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "Module",
        "metadata": {"name": "module-one", "managedFields": [{"manager": "deckhouse-controller"}]},
        "status": {"phase": "Error"},
    }
    text = evidence_yaml(obj)
    assert "managedFields" not in text
    assert "name: module-one" in text and "phase: Error" in text
    assert obj["metadata"]["managedFields"], "the object itself is left as it was"
