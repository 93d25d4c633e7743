"""``dkp-harness report compare``: where two runs differ, and when that fails the comparison."""

from __future__ import annotations

import json
import os

import pytest

from harness.cli import main
from harness.report.compare import CompareError, compare_runs, load_run, render_text


def _run(claims: dict[str, str], scenarios: dict[str, str], target: dict | None = None) -> dict:
    return {
        "target": target or {"kind": "simulator", "time_mode": "virtual"},
        "partial": False,
        "claims": [{"id": k, "claim": f"claim {k}", "status": v} for k, v in claims.items()],
        "features": [
            {
                "uri": "features/a.feature",
                "scenarios": [
                    {"feature_uri": "features/a.feature", "name": n, "status": s, "example": {}}
                    for n, s in scenarios.items()
                ],
            }
        ],
    }


SIMULATOR = _run(
    {"MS-01": "passed", "MS-02": "passed", "MS-03": "deviation", "EN-01": "uncovered"},
    {"sync": "passed", "wait": "passed", "msg": "deviation"},
)
CLUSTER = _run(
    {"MS-01": "passed", "MS-02": "skipped", "MS-03": "failed", "EN-01": "uncovered"},
    {"sync": "passed", "wait": "skipped", "msg": "failed"},
    {"kind": "kubeconfig", "server": "https://k8s:6443", "deckhouse_version": "v1.70.3", "time_mode": "real"},
)


def test_only_a_claim_checked_on_both_sides_that_differs_is_a_conflict():
    result = compare_runs(SIMULATOR, CLUSTER, ("sim", "cluster"))
    assert [(d.key, d.left, d.right) for d in result.claims_in_conflict] == [("MS-03", "deviation", "failed")]
    assert [(d.key, d.left, d.right) for d in result.claims_checked_once] == [("MS-02", "passed", "skipped")]
    assert [d.key for d in result.scenarios] == ["features/a.feature: wait", "features/a.feature: msg"]
    assert (result.same_claims, result.same_scenarios, result.exit_code) == (2, 1, 1)


def test_runs_that_differ_only_where_one_side_did_not_check_agree():
    quiet = _run({**{c["id"]: c["status"] for c in CLUSTER["claims"]}, "MS-03": "deviation"}, {})
    assert compare_runs(SIMULATOR, quiet, ("a", "b")).exit_code == 0


def test_a_claim_checked_by_other_scenarios_on_each_side_is_no_conflict():
    """A partial run without TR-04's @deviation scenario says "holds" where the whole run says
    "known deviation": they answered different questions."""

    def run(status: str, scenarios: dict[str, str]) -> dict:
        data = _run({"TR-04": status}, scenarios)
        data["claims"][0]["scenarios"] = [f"n::{name}" for name in scenarios]
        for scenario in data["features"][0]["scenarios"]:
            scenario["nodeid"] = f"n::{scenario['name']}"
        return data

    whole = run("deviation", {"annotate": "passed", "waits": "deviation"})
    partial = run("passed", {"annotate": "passed"})
    result = compare_runs(whole, partial, ("whole", "partial"))
    assert result.claims_in_conflict == [] and result.exit_code == 0
    [once] = result.claims_checked_once
    assert (once.key, once.left, once.right, once.same_evidence) == ("TR-04", "deviation", "passed", False)
    assert "(checked by different scenarios)" in render_text(result)
    flipped = run("failed", {"annotate": "failed", "waits": "deviation"})
    assert [d.key for d in compare_runs(whole, flipped, ("a", "b")).claims_in_conflict] == ["TR-04"]


def test_the_cli_prints_text_writes_html_and_sets_the_exit_code(tmp_path, capsys):
    left, right = tmp_path / "sim.json", tmp_path / "cluster.json"
    left.write_text(json.dumps(SIMULATOR))
    right.write_text(json.dumps(CLUSTER))
    html = tmp_path / "compare.html"
    assert main(["report", "compare", str(left), str(right), "--html", str(html)]) == 1
    out = capsys.readouterr().out
    assert "claims checked on both sides that differ: 1\n  MS-03: deviation -> failed" in out
    assert "(https://k8s:6443, Deckhouse v1.70.3, real time)" in out
    assert "MS-02: passed -> skipped" in out
    page = html.read_text()
    assert "1 claim(s) and 1 scenario(s) checked on both sides differ" in page and "<script" not in page
    assert main(["report", "compare", str(left), str(left)]) == 0


def test_a_file_that_is_not_a_report_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(CompareError, match="not a conformance report"):
        load_run(bad)
    assert main(["report", "compare", str(bad), str(tmp_path / "missing.json")]) == 4
    assert "not a conformance report" in capsys.readouterr().err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_without_reading_it(device, capsys):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    assert main(["report", "compare", device, device]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{device}: not a regular file" in err


def test_a_fifo_and_a_folder_are_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer for ever
    assert main(["report", "compare", str(fifo), str(tmp_path)]) == 4
    assert "not a regular file" in capsys.readouterr().err
    with pytest.raises(CompareError, match=r"a folder without conformance\.json"):
        load_run(tmp_path)


def test_a_file_larger_than_a_report_can_be_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    from harness.report import compare

    big = tmp_path / "big.json"
    big.write_text(json.dumps(_run({"MS-01": "passed"}, {})) + " " * 2048)
    monkeypatch.setattr(compare, "MAX_REPORT_BYTES", 1024)
    assert main(["report", "compare", str(big), str(big)]) == 4
    assert "more than a conformance report can be" in capsys.readouterr().err


def test_json_nested_too_deeply_is_a_clear_error(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CompareError, match="not a conformance report"):
        load_run(deep)
