"""The HTML report opens in a real headless browser without console errors."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.report.assemble import assemble_run
from harness.report.render_html import render_html
from harness.report.status import Status

pytestmark = pytest.mark.chromium

CHROMIUM_TIMEOUT_S = 90


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("chromium not found: install it (apt-get install chromium) to check the HTML in a browser")


def _open(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM after scripts ran, and the browser's console lines."""
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return done.stdout, console


def test_the_console_check_catches_a_script_error(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>notDefined();</script></body></html>")
    _, console = _open(page, tmp_path / "profile")
    assert any("Uncaught ReferenceError" in line for line in console)


def test_the_report_renders_without_console_errors(tmp_path, catalogue, make_scenario, rich_evidence):
    scenarios = [
        make_scenario("source syncs", Status.PASSED, ["MS-01"], evidence=rich_evidence()),
        make_scenario("empty message", Status.DEVIATION, ["MS-03"], line=9, deviation=True),
        make_scenario("module ready", Status.FAILED, ["EN-04"], line=14, evidence=rich_evidence()),
    ]
    page = tmp_path / "conformance.html"
    page.write_text(
        render_html(assemble_run(scenarios, catalogue, started_at="2024-12-16T09:00:00Z", duration=1))
    )
    dom, console = _open(page, tmp_path / "profile")
    assert console == []
    assert 'id="claim-table"' in dom
    assert dom.count('data-status="uncovered"') == 2  # EN-02 and DKP-01
    assert 'aria-pressed="true">All</button>' in dom


def test_a_partial_report_opens_on_the_claims_the_run_checked(tmp_path, catalogue, make_scenario):
    """After one folder, the few claims it checked were scattered among dozens of "not in this
    run" rows; the report now opens filtered to this run, and "All" is one click away."""
    scenarios = [make_scenario("module ready", Status.FAILED, ["EN-04"], line=14)]
    run = assemble_run(
        scenarios, catalogue, started_at="2024-12-16T09:00:00Z", duration=1, selection={"keyword": "ready"}
    )
    page = tmp_path / "conformance.html"
    page.write_text(render_html(run))
    dom, console = _open(page, tmp_path / "profile")
    assert console == []
    assert 'data-filter="selected" aria-pressed="true"' in dom
    rows = re.findall(r'<tr data-status="(\w+)" id="claim-[^"]+"( class="hidden")?', dom)
    assert rows and all(bool(hidden) == (status == "unselected") for status, hidden in rows), rows
    assert any(status == "failed" for status, _ in rows)


def test_a_full_report_has_no_this_run_filter(tmp_path, catalogue, make_scenario):
    scenarios = [make_scenario("module ready", Status.FAILED, ["EN-04"], line=14)]
    html = render_html(assemble_run(scenarios, catalogue, started_at="t", duration=1))
    assert '<button type="button" data-filter="selected"' not in html


_OVERFLOW_PROBE = """<script>window.addEventListener("load", function () {
  var width = document.documentElement.clientWidth, wide = [];
  document.querySelectorAll("body *").forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1) { wide.push(e.tagName + "#" + e.id + "." + e.className); }
  });
  var p = document.createElement("pre"); p.id = "overflow-probe"; p.textContent = wide.join(" ");
  document.body.appendChild(p);
});</script>"""


def test_the_step_catalogue_fits_the_page_width(tmp_path, catalogue, make_scenario):
    """Its examples are wide one-liners: in an auto-layout table they widened the whole page, and
    every screen of the report had a horizontal scrollbar."""
    from harness.report.model import StepCatalogueEntry

    long_example = 'Given the "stable" channel of module "module-one" has a release without version.json' * 2
    entries = [StepCatalogueEntry(pattern="the {x} step", kind="given", doc="d", example=long_example)]
    run = assemble_run(
        [make_scenario("s", Status.PASSED, ["MS-01"])],
        catalogue,
        started_at="t",
        duration=1,
        step_catalogue=entries,
    )
    page = tmp_path / "conformance.html"
    page.write_text(render_html(run).replace("</body>", _OVERFLOW_PROBE + "</body>"))
    dom, console = _open(page, tmp_path / "profile")
    assert console == []
    probe = re.search(r'<pre id="overflow-probe">(.*?)</pre>', dom, re.S)
    assert probe is not None and probe.group(1) == "", probe
