"""The report's step catalogue showed the docstrings' reST markup as typed: "lacks
``version.json`` (malformed metadata)", double backquotes and all, where docs/steps.md (Markdown)
shows code. The HTML now shows such spans as code, and stays escaped."""

from __future__ import annotations

from harness.report.assemble import assemble_run
from harness.report.model import StepCatalogueEntry
from harness.report.render_html import code_spans, render_html
from harness.report.status import Status
from tests.report.conftest import _make_scenario


def test_double_backquoted_spans_become_code_and_the_rest_is_escaped():
    assert str(code_spans("lacks ``version.json`` (a <b> & c)")) == (
        "lacks <code>version.json</code> (a &lt;b&gt; &amp; c)"
    )
    assert str(code_spans("``<repo>/<module>``")) == "<code>&lt;repo&gt;/&lt;module&gt;</code>"
    assert str(code_spans("one `` alone")) == "one `` alone"


def test_the_catalogue_in_the_html_shows_code_not_backquotes():
    entry = StepCatalogueEntry(
        "the release lacks version.json", "given", "Publish an image that lacks ``version.json``.", used_by=0
    )
    scenario = _make_scenario("s", Status.PASSED, [])
    run = assemble_run([scenario], None, started_at="t", duration=0, step_catalogue=[entry])
    html = render_html(run)
    catalogue = html[html.index('id="step-catalogue"') :]
    assert "lacks <code>version.json</code>." in catalogue
    assert "``" not in catalogue
