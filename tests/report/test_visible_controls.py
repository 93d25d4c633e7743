"""Control characters from a feature file reach the reports and the terminal as visible symbols.

A NUL or an ESC sequence in a step line used to be written raw: the HTML report showed nothing
(or U+FFFD) in its place and the terminal obeyed the escape sequence. The HTML, the terminal's
failure text and JUnit now show Unicode's control pictures (``␀``, ``␛``); JSON keeps the text.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from harness.report.assemble import assemble_run
from harness.report.failure_text import failure_text
from harness.report.model import ErrorInfo, StepResult
from harness.report.render_html import render_html
from harness.report.render_json import render_json
from harness.report.render_junit import render_junit
from harness.report.status import Status
from harness.report.visible_text import visible

STEP = "the ModuleSource \x00example\x00 has \x1b[2Jphase\r Ready\x7f\x9b"


def test_each_control_character_but_tab_and_newline_gets_its_picture():
    assert visible(STEP) == "the ModuleSource \u2400example\u2400 has \u241b[2Jphase\u240d Ready\u2421\\x9b"
    assert visible("a\tb\nc") == "a\tb\nc"


def _run(catalogue, make_scenario):
    scenario = make_scenario("nul \x00 scenario", Status.FAILED, ["EN-04"])
    scenario.steps[0].name = STEP
    scenario.error = ErrorInfo("call", "AssertionError", "phase \x1b[31mInstalling\x1b[0m", "tb", step_line=4)
    return assemble_run([scenario], catalogue, started_at="t", duration=0)


def test_the_html_report_shows_pictures_where_the_text_had_controls(catalogue, make_scenario):
    html = render_html(_run(catalogue, make_scenario))
    assert "\x00" not in html and "\x1b" not in html and "\r" not in html
    assert "\u2400example\u2400" in html
    assert "nul \u2400 scenario" in html


def test_json_keeps_the_text_and_junit_shows_pictures(catalogue, make_scenario):
    run = _run(catalogue, make_scenario)
    scenario = json.loads(render_json(run))["features"][0]["scenarios"][0]
    assert scenario["steps"][0]["name"] == STEP
    root = ET.fromstring(render_junit(run))
    case = next(root.iter("testcase"))
    assert case.get("name") == "nul \u2400 scenario"


def test_the_terminal_failure_text_shows_pictures():
    step = StepResult(keyword="Then", type="then", name=STEP, line=12, status=Status.FAILED)
    text = failure_text("features/x.feature:10", "nul\x00", step, "found \x1b[31mred\x1b[0m", [])
    assert "\x00" not in text and "\x1b" not in text and "\r" not in text
    assert "Then the ModuleSource \u2400example\u2400" in text
    assert "found \u241b[31mred\u241b[0m" in text


def test_a_template_cache_written_with_other_compile_options_is_not_loaded(tmp_path):
    """Jinja keys its compiled templates by name and source; ``finalize`` is compiled into them. A
    cache left by an environment without it (the harness before this change, same template)
    made the report print raw NULs."""
    import jinja2

    from harness.report.render_html import make_environment

    loader = jinja2.DictLoader({"t": "[{{ x }}]"})
    plain = make_environment(str(tmp_path), loader, finalize=None)
    assert plain.get_template("t").render(x="a\x00") == "[a\x00]"
    assert list(tmp_path.iterdir()), "the plain environment cached its compiled template"
    ours = make_environment(str(tmp_path), loader)
    assert ours.get_template("t").render(x="a\x00") == "[a\u2400]"
