"""``dkp-harness run`` names a report only when this run wrote it.

It used to print ``report: …/conformance.html`` whenever such a file existed, so a run that wrote
nothing (the plugin had just said the reports "were left as they were") ended by pointing at a
previous run's report as if it were its own. pytest itself is replaced here by a stand-in that
writes, or does not write, the report: what is under test is the command's last line.
"""

from __future__ import annotations

import argparse
import json
import os

import pytest

from harness.cli import run as run_module
from harness.cli.run import _report_version, add_run_arguments, run
from harness.report.model import Run
from harness.report.write import write_reports


def _args(report_dir) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_run_arguments(parser)
    return parser.parse_args(["features/approval", "-n", "0", "--report-dir", str(report_dir)])


def _pytest_stand_in(monkeypatch, returncode: int, writes: bool, report_dir) -> None:
    def fake_run(command):
        if writes:
            write_reports(
                Run(title="t", page=None, started_at="t", duration=0.0, features=[], claims=[]), report_dir
            )
        return returncode

    monkeypatch.setattr(run_module, "run_pytest", fake_run)


@pytest.fixture
def old_report(tmp_path):
    report_dir = tmp_path / "reports"
    write_reports(
        Run(title="old", page=None, started_at="t", duration=0.0, features=[], claims=[]), report_dir
    )
    return report_dir


def test_a_run_that_wrote_no_report_does_not_point_at_the_previous_one(old_report, monkeypatch, capsys):
    _pytest_stand_in(monkeypatch, 1, writes=False, report_dir=old_report)
    assert run(_args(old_report)) == 1
    out = capsys.readouterr().out
    assert "report:" not in out
    assert f"this run wrote no report (exit 1); the reports in {old_report} were left as they were" in out


def test_a_run_that_wrote_its_report_names_it(old_report, monkeypatch, capsys):
    _pytest_stand_in(monkeypatch, 1, writes=True, report_dir=old_report)
    assert run(_args(old_report)) == 1
    assert f"report: {old_report / 'conformance.html'}" in capsys.readouterr().out


def test_a_rewritten_report_is_told_apart_even_with_the_same_size_and_time(old_report):
    """The plugin replaces the file with a new one: another inode, whatever the clock says."""
    before = _report_version(old_report)
    html = old_report / "conformance.html"
    stat = html.stat()
    write_reports(
        Run(title="old", page=None, started_at="t", duration=0.0, features=[], claims=[]), old_report
    )
    os.utime(html, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert html.stat().st_size == stat.st_size
    assert _report_version(old_report) != before
    assert _report_version(old_report.parent / "nowhere") is None


def test_the_line_above_the_report_counts_the_scenarios_in_words(tmp_path, monkeypatch, capsys):
    """pytest counts a known deviation as passed; the run's own line says what each number is."""
    from harness.report.assemble import assemble_run
    from harness.report.status import Status
    from tests.report.conftest import _make_scenario

    report_dir = tmp_path / "reports"
    scenarios = [
        _make_scenario("a", Status.PASSED, []),
        _make_scenario("b", Status.PASSED, [], line=9),
        _make_scenario("c", Status.DEVIATION, [], line=15, deviation=True),
        _make_scenario("d", Status.FAILED, [], line=21),
    ]

    def fake_run(command):
        write_reports(assemble_run(scenarios, None, started_at="t", duration=0.0), report_dir)
        return 1

    monkeypatch.setattr(run_module, "run_pytest", fake_run)
    assert run(_args(report_dir)) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"report: {report_dir / 'conformance.html'}"
    assert lines[-2] == (
        "scenarios: 1 not met, 2 hold, 1 known deviation (they pass: DKP differs from the page as "
        "fixtures/claims.yaml records)"
    )


def test_the_words_line_says_known_deviations_fail_a_run_with_fail_on_deviation(tmp_path):
    from harness.cli.run import _in_words
    from harness.report.assemble import assemble_run
    from harness.report.status import Status
    from tests.report.conftest import _make_scenario

    report_dir = tmp_path / "reports"
    scenario = _make_scenario("c", Status.DEVIATION, [], deviation=True)
    write_reports(assemble_run([scenario], None, started_at="t", duration=0.0), report_dir)
    strict = _in_words(report_dir / "conformance.json", fail_on_deviation=True)
    assert strict == "scenarios: 1 known deviation (they fail this run: --fail-on-deviation)"
    assert _in_words(tmp_path / "nowhere.json") is None


def test_the_words_line_tells_the_kinds_of_skip_apart(tmp_path):
    from harness.cli.run import _in_words

    report = tmp_path / "conformance.json"
    counts = {"passed": 45, "deviation": 0, "other_era": 33, "needs_virtual_time": 77, "skipped": 20}
    report.write_text(json.dumps({"counts": {"scenarios": counts}}))
    assert _in_words(report) == (
        "scenarios: 45 hold, 33 skipped (written for other Deckhouse versions: --deckhouse-version latest "
        "runs the newest), 77 skipped (they need the simulator's virtual time), 20 skipped (other "
        "reasons: the report gives each)"
    )


def _era_run(report_dir, *, partial: bool) -> None:
    """A run at v1.67.0 of a catalogue with a claim since v1.75.0 (its scenario skipped for the era),
    one that holds and, in a partial run, one left out."""
    from harness.report.assemble import assemble_run
    from harness.report.claims import parse_catalogue
    from harness.report.status import Status
    from tests.report.conftest import _make_scenario

    def entry(claim_id: str, **era: str) -> dict[str, str]:
        return {"id": claim_id, "kind": "dkp", "anchor": "x", "section": "s", "claim": "c", **era}

    catalogue = parse_catalogue(
        {
            "version": 1,
            "page": {"title": "t", "url": "u"},
            "claims": [entry("DKP-40", since="v1.75.0"), entry("DKP-01"), entry("DKP-02")],
        }
    )
    era_skip = _make_scenario("bundle", Status.SKIPPED, ["DKP-40"], line=5)
    era_skip.skip_reason = "checks Deckhouse v1.75.0 and later; this run checks v1.67.0"
    scenarios = [era_skip, _make_scenario("first", Status.PASSED, ["DKP-01"], line=9)]
    run = assemble_run(
        scenarios,
        catalogue,
        started_at="t",
        duration=0.0,
        target={"kind": "simulator", "time_mode": "virtual", "deckhouse_version": "v1.67.0"},
        selection={"keyword": "first or bundle"} if partial else None,
    )
    write_reports(run, report_dir)


@pytest.mark.parametrize("partial", [False, True])
def test_the_terminal_names_the_claims_not_applicable_to_the_run_version_apart(tmp_path, partial):
    """The HTML counts them apart ("not counted: 1 claim not applicable to Deckhouse v1.67.0"); the
    terminal said nothing of them, so a whole run read as if they held or went unchecked."""
    from harness.cli.run import _context_lines

    report_dir = tmp_path / "reports"
    _era_run(report_dir, partial=partial)
    report = json.loads((report_dir / "conformance.json").read_text())
    assert report["not_applicable"] == {"to": "Deckhouse v1.67.0", "claims": ["DKP-40"]}
    lines = _context_lines(report_dir / "conformance.json")
    wanted = "claims not applicable to Deckhouse v1.67.0 (about other versions, not counted): 1 (DKP-40)"
    assert wanted in lines
    # told apart from the claims a partial run did not check, which are named on their own line
    unchecked = [line for line in lines if line.startswith("claims not checked by this partial run")]
    assert unchecked == (["claims not checked by this partial run: 1 (DKP-02)"] if partial else [])
    html = (report_dir / "conformance.html").read_text()
    assert "not applicable to Deckhouse v1.67.0" in html


def test_a_run_with_every_claim_applicable_prints_no_such_line(tmp_path):
    from harness.cli.run import _context_lines

    report_dir = tmp_path / "reports"
    write_reports(Run(title="t", page=None, started_at="t", duration=0.0, features=[], claims=[]), report_dir)
    assert json.loads((report_dir / "conformance.json").read_text())["not_applicable"]["claims"] == []
    assert not [line for line in _context_lines(report_dir / "conformance.json") if "not applicable" in line]
