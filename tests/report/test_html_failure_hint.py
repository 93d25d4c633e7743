"""The HTML's "compare the step with the documented claim" hint sits only where it helps.

It appeared on every scenario that did not pass: on one that could not be carried out (a mistake
in the scenario or the harness, nothing to compare with the page) and on one with no claim at all
(no claim to compare with). Only an unmet expectation of a scenario with a claim keeps it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from harness.report.assemble import assemble_run
from harness.report.model import ErrorInfo
from harness.report.render_html import render_html
from harness.report.status import Status

HINT = "compare the step with the documented claim"


def _story(html: str, name: str) -> str:
    """The body of one scenario's entry: from its name to the next scenario's summary."""
    start = html.index(f">{name}<")
    end = html.find("<summary", start)
    return html[start : end if end != -1 else len(html)]


def test_the_hint_is_shown_for_an_unmet_expectation_of_a_claim_only(make_scenario, catalogue):
    error = ErrorInfo(phase="call", type="AssertionError", message="module m is Installing")
    scenarios = [
        replace(make_scenario("unmet with claim", Status.FAILED, ["EN-04"], line=3), error=error),
        replace(make_scenario("unmet without claim", Status.FAILED, [], line=9), error=error),
        replace(
            make_scenario("could not check", Status.ERROR, ["EN-02"], line=15),
            error=ErrorInfo(phase="setup", type="ClaimTagError", message="unknown claim ID"),
        ),
    ]
    html = render_html(assemble_run(scenarios, catalogue, started_at="2024-12-16T09:00:00Z", duration=1.0))
    assert f"{HINT} (EN-04)" in _story(html, "unmet with claim")
    assert HINT not in _story(html, "unmet without claim")
    assert HINT not in _story(html, "could not check")
    assert len(re.findall(re.escape(HINT), html)) == 1
