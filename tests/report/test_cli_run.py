"""``dkp-harness run`` as a new user runs it: real subprocesses over the project's own features."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.cli import main

pytestmark = pytest.mark.slow


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_an_empty_selection_exits_non_zero_and_leaves_the_reports_byte_for_byte(
    tmp_path, capsys, monkeypatch
):
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("conformance.html", "conformance.json", "junit.xml", "cucumber.json"):
        (reports / name).write_text(f"the previous {name}\n")
    before = _snapshot(reports)
    monkeypatch.chdir(tmp_path)  # a relative --report-dir is the user's directory, not the project's
    code = main(["run", "-k", "no_scenario_has_this_name", "-n", "0", "--report-dir", "reports"])
    assert code == 5
    out = capsys.readouterr().out
    assert "no scenario matched the selection (-k no_scenario_has_this_name)" in out
    assert f"The reports in {reports} were left as they were" in out
    assert _snapshot(reports) == before


def test_a_bad_claim_id_is_refused_with_the_nearest_one(tmp_path, capfd):
    code = main(["run", "--claim", "REL-3", "-n", "0", "--report-dir", str(tmp_path)])
    assert code == 4
    assert (
        "--claim REL-3: no such claim in the claims catalogue (did you mean REL-03?)"
        in capfd.readouterr().err
    )
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="the approval scenarios run the real kubectl")
def test_one_feature_file_runs_alone_and_the_report_says_the_run_was_partial(tmp_path, capfd):
    code = main(["run", "features/approval/approval.feature", "-n", "0", "--report-dir", str(tmp_path)])
    out = capfd.readouterr().out
    assert code == 0, out
    report = json.loads((tmp_path / "conformance.json").read_text())
    assert {f["uri"] for f in report["features"]} == {"features/approval/approval.feature"}
    assert report["partial"] is True
    assert report["selection"] == {"features": ["features/approval/approval.feature"]}
    claims = {c["id"]: c for c in report["claims"]}
    assert claims["MS-01"]["status"] == "unselected"
    assert report["counts"]["claims"]["uncovered"] == 0
    # REL-03 has a deviation reason and a passing @deviation scenario; DKP-16 shares that scenario
    # but has no reason: it holds.
    assert claims["REL-03"]["status"] == "deviation" and claims["REL-03"]["deviation"]
    assert claims["DKP-16"]["status"] == "passed"
    html = (tmp_path / "conformance.html").read_text()
    assert 'id="partial"' in html and "features/approval/approval.feature" in html
    # Every kubectl comparison of this all-green run is shown as met, judged by its own step.
    assert "not as expected" not in html and "as expected" in html
    assert "checked row &#34;module-1-v1.23.2&#34;" in html
    assert "Release is waiting for the" in html


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="the scenario runs the real kubectl")
def test_fail_on_deviation_turns_a_known_deviation_into_exit_code_1(tmp_path, capfd):
    code = main(
        [
            "run",
            "features/approval/approval.feature:35",
            "--fail-on-deviation",
            "-n",
            "0",
            "--report-dir",
            str(tmp_path),
        ]
    )
    out = capfd.readouterr().out
    assert code == 1, out
    assert "--fail-on-deviation: 1 scenario(s) passed only as a known deviation" in out
    report = json.loads((tmp_path / "conformance.json").read_text())
    [scenario] = [s for f in report["features"] for s in f["scenarios"]]
    assert scenario["name"] == "A new release waits with DKP's approval message"
    assert scenario["status"] == "deviation"
    junit = (tmp_path / "junit.xml").read_text()
    assert 'failures="1"' in junit and 'type="KnownDeviation"' in junit  # agrees with the exit code
