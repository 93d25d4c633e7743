"""The step catalogue's "Used by" counts what its heading says, the scenarios of this run, and shows
a step declared under two keywords as one row with one count."""

from __future__ import annotations

import re

from harness.report.assemble import assemble_run
from harness.report.model import StepCatalogueEntry
from harness.report.render_html import render_html
from harness.report.status import Status
from tests.report.conftest import _make_scenario

RUN_STEP = "harness.steps.library.commands:run_command"
MOMENT_STEP = "harness.steps.library.clock:it_is"


def _entries() -> list[StepCatalogueEntry]:
    """As the step library gives them: its own counts over every feature file, per keyword."""
    return [
        StepCatalogueEntry("I run {command}", "given", "runs a command", used_by=0, function=RUN_STEP),
        StepCatalogueEntry("I run {command}", "when", "runs a command", used_by=23, function=RUN_STEP),
        StepCatalogueEntry("it is {moment}", "given", "sets the clock", used_by=141, function=MOMENT_STEP),
    ]


def _one_scenario_run() -> object:
    scenario = _make_scenario("s", Status.PASSED, [])
    scenario.steps[0].function = RUN_STEP
    return assemble_run([scenario], None, started_at="t", duration=0, step_catalogue=_entries())


def test_used_by_counts_the_scenarios_of_this_run_not_every_feature_file():
    run = _one_scenario_run()
    counts = {(e.kind, e.pattern): e.used_by for e in run.step_catalogue or []}  # type: ignore[attr-defined]
    assert counts == {
        ("given", "I run {command}"): 1,
        ("when", "I run {command}"): 1,
        ("given", "it is {moment}"): 0,
    }


def test_the_html_shows_one_row_per_step_with_its_keywords_together():
    html = render_html(_one_scenario_run())  # type: ignore[arg-type]
    catalogue = html[html.index('id="step-catalogue"') :]
    assert "Used by (scenarios of this run)" in catalogue
    rows = [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr><td>.*?</tr>", catalogue, re.S)]
    assert len(rows) == 2
    assert "given / when" in rows[0] and "I run {command}" in rows[0] and "|1|" in rows[0]
    assert "it is {moment}" in rows[1] and "|0|" in rows[1] and "141" not in catalogue
