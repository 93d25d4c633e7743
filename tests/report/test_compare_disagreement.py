"""``report compare`` must not call two runs the same when a checked answer changed, and must not
bury what did change under noise: skip reasons are shown, claims neither run checked are only
counted, and a report directory is read like its conformance.json."""

from __future__ import annotations

import json
from typing import Any

from harness.cli import main
from harness.report.compare import compare_runs, load_run, render_html, render_text


def _run(claims: dict[str, tuple[str, list[str]]], scenarios: dict[str, tuple[str, str | None]]) -> dict:
    """A conformance.json: claims as ``id: (status, [scenario names])``, scenarios as
    ``name: (status, skip reason)``; node ids are ``f::name``."""
    found: list[dict[str, Any]] = [
        {
            "nodeid": f"f::{name}",
            "feature_uri": "features/enabling.feature",
            "name": name,
            "status": status,
            "skip_reason": reason,
            "example": {},
        }
        for name, (status, reason) in scenarios.items()
    ]
    return {
        "partial": False,
        "claims": [
            {"id": cid, "claim": f"claim {cid}", "status": status, "scenarios": [f"f::{n}" for n in names]}
            for cid, (status, names) in claims.items()
        ],
        "features": [{"uri": "features/enabling.feature", "scenarios": found}],
    }


VIRTUAL = "needs virtual time: 3 minutes pass"
SIMULATOR = _run(
    {"EN-04": ("passed", ["enable", "retry"])},
    {"enable": ("passed", None), "retry": ("passed", None)},
)
SANDBOX = _run(
    {"EN-04": ("failed", ["enable", "retry"])},
    {"enable": ("failed", None), "retry": ("skipped", VIRTUAL)},
)


def test_a_skipped_sibling_does_not_hide_a_claim_that_went_from_holds_to_not_met():
    result = compare_runs(SIMULATOR, SANDBOX, ("sim", "sandbox"))
    assert [(d.key, d.left, d.right) for d in result.claims_in_conflict] == [("EN-04", "passed", "failed")]
    assert [d.key for d in result.scenarios_worse] == ["features/enabling.feature: enable"]
    assert result.exit_code == 1
    text = render_text(result)
    assert "no claim or scenario checked on both sides differs" not in text
    assert "the runs disagree: 1 claim(s) and 1 scenario(s) checked on both sides differ" in text
    assert "bad" in render_html(result).split("id='verdict'")[0].rsplit("<p", 1)[1]


def test_a_scenario_that_got_worse_fails_the_comparison_even_when_its_claim_did_not_move():
    left = _run({"EN-01": ("passed", ["a"])}, {"a": ("passed", None), "untagged": ("passed", None)})
    right = _run({"EN-01": ("passed", ["a"])}, {"a": ("passed", None), "untagged": ("error", None)})
    result = compare_runs(left, right, ("l", "r"))
    assert result.claims_in_conflict == [] and result.exit_code == 1
    assert [(d.left, d.right) for d in result.scenarios_worse] == [("passed", "error")]
    better = compare_runs(right, left, ("r", "l"))
    assert better.exit_code == 0 and [d.right for d in better.scenarios_other] == ["passed"]


def test_a_skip_is_shown_with_the_reason_the_report_gives():
    result = compare_runs(SIMULATOR, SANDBOX, ("sim", "sandbox"))
    text = render_text(result)
    assert f"features/enabling.feature: retry: passed -> skipped ({VIRTUAL})" in text
    only_skipped = _run({"EN-04": ("skipped", ["enable"])}, {"enable": ("skipped", VIRTUAL)})
    claim_text = render_text(compare_runs(SIMULATOR, only_skipped, ("sim", "sandbox")))
    assert f"EN-04: passed -> skipped ({VIRTUAL})" in claim_text
    assert f"skipped ({VIRTUAL})" in render_html(compare_runs(SIMULATOR, only_skipped, ("a", "b")))


def test_claims_neither_run_checked_are_counted_in_one_line_not_listed():
    left = _run({f"DKP-{n}": ("not_applicable", []) for n in range(30, 40)} | {"EN-04": ("passed", [])}, {})
    right = _run({f"DKP-{n}": ("unselected", []) for n in range(30, 40)} | {"EN-04": ("skipped", [])}, {})
    result = compare_runs(left, right, ("l", "r"))
    text = render_text(result)
    assert "DKP-3" not in text
    assert "claims neither run checked (not listed): 10 (not_applicable -> unselected: 10)" in text
    assert [d.key for d in result.claims_checked_once] == ["EN-04"]
    assert result.exit_code == 0


def test_a_report_directory_stands_for_its_conformance_json(tmp_path, capsys):
    for name, data in (("sim", SIMULATOR), ("sandbox", SANDBOX)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "conformance.json").write_text(json.dumps(data))
    assert load_run(tmp_path / "sim") == SIMULATOR
    assert main(["report", "compare", str(tmp_path / "sim"), str(tmp_path / "sandbox")]) == 1
    assert "EN-04: passed -> failed" in capsys.readouterr().out
