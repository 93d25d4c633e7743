"""``dkp-harness run``'s last lines say what the report says: a partial run is partial there too,
which claims it left unchecked, and which cluster and Deckhouse version it checked.

The terminal used to end a ``-k approval`` run with ``scenarios: 1 hold`` and the report's path,
the same words as a whole run's, and never named the target or the era the verdicts are about.
"""

from __future__ import annotations

import argparse

from harness.cli import run as run_module
from harness.cli.run import add_run_arguments, run
from harness.report.assemble import assemble_run
from harness.report.status import Status
from harness.report.write import write_reports

TARGET = {"kind": "simulator", "deckhouse_version": "v1.67.0", "edition": "ee", "time_mode": "virtual"}


def _args(report_dir) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_run_arguments(parser)
    return parser.parse_args(["-k", "approval", "-n", "0", "--report-dir", str(report_dir)])


def _run_writing(monkeypatch, report_dir, scenarios, catalogue, selection, left_out=None):
    def fake_run(command):
        run_model = assemble_run(
            scenarios,
            catalogue,
            started_at="t",
            duration=0.0,
            target=TARGET,
            selection=selection,
            left_out=left_out,
        )
        write_reports(run_model, report_dir)
        return 0

    monkeypatch.setattr(run_module, "run_pytest", fake_run)


def test_a_partial_run_says_so_names_the_unchecked_claims_and_the_target(
    tmp_path, monkeypatch, capsys, make_scenario, catalogue
):
    report_dir = tmp_path / "reports"
    scenarios = [make_scenario("approve", Status.PASSED, ["MS-01"])]
    _run_writing(monkeypatch, report_dir, scenarios, catalogue, {"keyword": "approval"})
    assert run(_args(report_dir)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"report: {report_dir / 'conformance.html'}"
    assert lines[-2] == "scenarios of a partial run (-k approval): 1 hold"
    assert lines[-3] == "claims not checked by this partial run: 4 (MS-03, EN-02, EN-04, DKP-01)"
    assert lines[-4] == (
        "checked against: the simulated DKP cluster · Deckhouse v1.67.0 · edition ee · virtual time"
    )


def test_a_partial_run_names_the_claims_it_checked_only_in_part(
    tmp_path, monkeypatch, capsys, make_scenario, catalogue
):
    report_dir = tmp_path / "reports"
    scenarios = [make_scenario("approve", Status.PASSED, ["MS-01"])]
    _run_writing(
        monkeypatch, report_dir, scenarios, catalogue, {"keyword": "approval"}, {"MS-01": 2, "EN-02": 1}
    )
    assert run(_args(report_dir)) == 0
    lines = capsys.readouterr().out.splitlines()
    # EN-02 had no scenario in the run: it is among the claims not checked, not "in part".
    assert (
        lines[-3] == "claims checked only in part (the selection left some of their scenarios out): 1 (MS-01)"
    )
    assert lines[-4] == "claims not checked by this partial run: 4 (MS-03, EN-02, EN-04, DKP-01)"


def test_a_whole_run_names_its_target_and_no_partial_selection(
    tmp_path, monkeypatch, capsys, make_scenario, catalogue
):
    report_dir = tmp_path / "reports"
    scenarios = [make_scenario("approve", Status.PASSED, ["MS-01"])]
    _run_writing(monkeypatch, report_dir, scenarios, catalogue, None)
    assert run(_args(report_dir)) == 0
    out = capsys.readouterr().out
    assert "partial" not in out and "claims not checked" not in out
    assert "checked against: the simulated DKP cluster · Deckhouse v1.67.0" in out
    assert out.splitlines()[-2] == "scenarios: 1 hold"


def test_a_stopped_run_says_on_the_line_how_many_scenarios_did_not_run(
    tmp_path, monkeypatch, capsys, make_scenario, catalogue
):
    report_dir = tmp_path / "reports"
    scenarios = [make_scenario("approve", Status.FAILED, ["MS-01"])]
    selection = {
        "stopped": "the run stopped before it (stopping after 1 failures)",
        "not_run": ["features/sources.feature:9 b", "features/sources.feature:12 c"],
    }
    _run_writing(monkeypatch, report_dir, scenarios, catalogue, selection)
    run(_args(report_dir))
    assert capsys.readouterr().out.splitlines()[-2] == (
        "scenarios of a partial run (the run stopped before 2 of the selected scenarios ran "
        "(stopping after 1 failures)): 1 not met"
    )


def test_cucumber_json_names_the_target_the_era_and_a_partial_selection(tmp_path, make_scenario, catalogue):
    """Cucumber JSON has no run-level object: every feature carries the run's metadata."""
    import json

    scenarios = [make_scenario("approve", Status.PASSED, ["MS-01"])]
    run_model = assemble_run(
        scenarios, catalogue, started_at="t", duration=0.0, target=TARGET, selection={"keyword": "approval"}
    )
    write_reports(run_model, tmp_path)
    [feature] = json.loads((tmp_path / "cucumber.json").read_text())
    assert feature["metadata"] == {
        "target.deckhouse_version": "v1.67.0",
        "target.edition": "ee",
        "target.kind": "simulator",
        "target.time_mode": "virtual",
        "partial": "true",
        "selection.keyword": "approval",
    }


def test_a_claim_about_another_version_is_not_applicable_not_checked_in_part(
    tmp_path, monkeypatch, capsys, make_scenario, catalogue
):
    """Its scenarios only skipped in this run (written for a later Deckhouse): the line that it
    was "checked only in part" contradicted the one that says it is not applicable."""
    from dataclasses import replace

    later = replace(catalogue.claims[-1], since="v1.76.0")  # DKP-01, about v1.76 and later
    catalogue = replace(catalogue, claims=[*catalogue.claims[:-1], later])
    report_dir = tmp_path / "reports"
    era_skip = make_scenario("later", Status.SKIPPED, ["DKP-01"], line=9)
    era_skip.skip_reason = "checks Deckhouse v1.76.0 and later; this run checks v1.67.0"
    scenarios = [make_scenario("approve", Status.PASSED, ["MS-01"]), era_skip]
    _run_writing(monkeypatch, report_dir, scenarios, catalogue, {"keyword": "approval"}, {"DKP-01": 2})
    assert run(_args(report_dir)) == 0
    out = capsys.readouterr().out
    assert "claims not applicable to Deckhouse v1.67.0 (about other versions, not counted): 1 (DKP-01)" in out
    assert "checked only in part" not in out
    html = (report_dir / "conformance.html").read_text()
    assert "scenarios ran: the selection left" not in html


def test_a_scenario_that_passed_without_a_then_step_is_not_counted_among_those_that_hold(
    tmp_path, monkeypatch, capsys, make_scenario, catalogue
):
    """It checked nothing: the claim table says uncovered, and the scenario line said "1 hold"."""
    import json

    report_dir = tmp_path / "reports"
    nothing = make_scenario("nothing", Status.PASSED, ["MS-01"])
    nothing.steps = nothing.steps[:1]  # the Given only
    scenarios = [nothing, make_scenario("ready", Status.PASSED, ["EN-04"], line=9)]
    _run_writing(monkeypatch, report_dir, scenarios, catalogue, None)
    assert run(_args(report_dir)) == 0
    assert capsys.readouterr().out.splitlines()[-2] == (
        "scenarios: 1 hold, 1 passed without a Then step (they check nothing: no claim counts them)"
    )
    report = json.loads((report_dir / "conformance.json").read_text())
    assert report["counts"]["scenarios"]["passed"] == 1
    assert report["counts"]["scenarios"]["checked_nothing"] == 1
    assert {c["id"]: c["status"] for c in report["claims"]}["MS-01"] == "uncovered"
    html = (report_dir / "conformance.html").read_text()
    assert 'id="checked-nothing"' in html
