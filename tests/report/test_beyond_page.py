"""``@beyond-page``: scenarios that check DKP behaviour the page does not describe.

The project ships ~28 such scenarios (cases of DKP's own controller tests, admission policies),
and each was a "has no @claim tag" line under "Needs attention" in every report: a list a reader
learns to skip, where a real forgotten claim tag then hides. Tagged, they are counted once; an
untagged claimless scenario is still a problem, and a scenario tagged both ways is a mistake.
"""

from __future__ import annotations

import json
from pathlib import Path

from harness.report.assemble import assemble_run
from harness.report.render_html import render_html
from harness.report.render_json import render_json
from harness.report.status import Status
from harness.steps.binding import parse_feature
from harness.steps.tag_lint import tag_problems

ROOT = Path(__file__).resolve().parents[2]
MONDAY = "    Given it is Monday 2024-12-16 09:00 UTC\n    Then the output is empty\n"


def _beyond(make_scenario, name: str, claims: list[str], status: Status = Status.PASSED):
    scenario = make_scenario(name, status, claims)
    scenario.tags = [*scenario.tags, "beyond-page"]
    return scenario


def test_a_scenario_beyond_the_page_is_counted_not_listed_as_a_problem(catalogue, make_scenario):
    beyond = _beyond(make_scenario, "upstream case", [])
    forgotten = make_scenario("forgotten", Status.PASSED, [], line=30)
    run = assemble_run([beyond, forgotten], catalogue, started_at="t", duration=0)
    assert [p for p in run.problems if "upstream case" in p] == []
    [problem] = [p for p in run.problems if "'forgotten'" in p]
    assert "has no @claim tag" in problem and "@beyond-page" in problem
    assert run.beyond_page_count() == 1
    assert json.loads(render_json(run))["counts"]["beyond_page"] == 1
    html = render_html(run)
    assert 'id="beyond-page">1 of these scenarios checks DKP behaviour the page does not describe' in html


def test_a_scenario_beyond_the_page_that_checked_nothing_is_named(catalogue, make_scenario):
    scenario = _beyond(make_scenario, "no check", [])
    scenario.steps = [step for step in scenario.steps if step.type != "then"]
    run = assemble_run([scenario], catalogue, started_at="t", duration=0)
    assert [p for p in run.problems if "'no check'" in p] == [
        "features/sources.feature:3 'no check' is tagged @beyond-page but ran no Then step: it "
        "checked nothing (add a Then step that checks the behaviour it is about)"
    ]


def test_a_failure_beyond_the_page_still_fails_the_run(catalogue, make_scenario):
    run = assemble_run(
        [_beyond(make_scenario, "upstream case", [], Status.FAILED)], catalogue, started_at="t", duration=0
    )
    assert run.status is Status.FAILED


def test_beyond_the_page_and_a_claim_tag_is_a_mistake_in_the_report_and_the_lint(
    catalogue, make_scenario, tmp_path
):
    run = assemble_run([_beyond(make_scenario, "both", ["MS-01"])], catalogue, started_at="t", duration=0)
    assert any("is tagged @beyond-page and @claim:MS-01" in p for p in run.problems), run.problems

    features = tmp_path / "features"
    features.mkdir()
    (features / "x.feature").write_text(
        "Feature: x\n\n  @beyond-page @claim:MS-07\n  Scenario: Both\n" + MONDAY
        + "\n  @beyond-page\n  Scenario: Only beyond\n" + MONDAY
        + "\n  @beyond-page\n  Scenario: No check\n    Given it is Monday 2024-12-16 09:00 UTC\n"
    )  # fmt: skip
    problems = [str(p) for p in tag_problems(features, None)]
    assert problems == [
        "features/x.feature:4: scenario 'Both' is tagged @beyond-page and @claim:MS-07: a scenario "
        "beyond the page counts for no claim; drop @beyond-page, or the claim tag",
        "features/x.feature:14: scenario 'No check' is tagged @beyond-page but has no Then step: it "
        "checks nothing; add a Then step that checks the behaviour it is about",
    ]


def test_every_shipped_scenario_has_a_claim_or_says_it_is_beyond_the_page():
    """The project's own features give a report with no "has no @claim tag" line."""
    base = ROOT / "features"
    untraced = []
    for path in sorted(base.rglob("*.feature")):
        parsed = parse_feature(base, path.relative_to(base))
        for template in parsed.scenarios:
            rule = template.rule.tags if template.rule else set()
            tags = template.tags | parsed.feature.tags | rule
            if "beyond-page" not in tags and not any(t.startswith("claim:") for t in tags):
                untraced.append(f"{path.relative_to(ROOT)}:{template.line_number}")
    assert untraced == []
