from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from harness.report.evidence import MAX_ENTRIES, MAX_LOG_LINES, MAX_TEXT, Evidence
from harness.report.redaction import REDACTED


def test_timeline_instants_are_stored_in_utc_whatever_zone_the_step_used():
    evidence = Evidence()
    moscow = timezone(timedelta(hours=3))
    evidence.timeline(
        datetime(2024, 12, 16, 12, 0, tzinfo=moscow), "Module", "m", "status.phase", None, "Ready"
    )
    entry = evidence.timeline_entries[0]
    assert (entry.at, entry.old, entry.new) == ("2024-12-16T09:00:00Z", None, "Ready")


def test_kubectl_comparisons_take_the_verdict_of_the_step_that_compared_them():
    evidence = Evidence()
    evidence.current_step_line = 7
    # A row check that passed: the output is far from equal to the expected cells, yet it matched.
    evidence.kubectl("kubectl get mr", "NAME   PHASE\nm-v1   Deployed", expected="PHASE='Deployed'")
    evidence.current_step_line = 8
    evidence.kubectl("kubectl get ms", "NAME COUNT\nexample 1", expected="example 2", check="contains")
    evidence.kubectl("kubectl get ms", "NAME COUNT")
    evidence.judge_step(7, passed=True, check="row")
    evidence.judge_step(8, passed=False, check="output")
    runs = evidence.kubectl_runs
    assert [(r.matched, r.check, r.step_line) for r in runs] == [
        (True, "row", 7),
        (False, "contains", 8),
        (None, None, 8),
    ]
    assert "current_step_line" not in evidence.to_dict()
    assert Evidence.from_dict(evidence.to_dict()).kubectl_runs == runs


def test_huge_outputs_are_truncated_with_a_marker():
    evidence = Evidence()
    evidence.kubectl("kubectl get mr", "x" * (MAX_TEXT + 500))
    output = evidence.kubectl_runs[0].output
    assert len(output) < MAX_TEXT + 100
    assert output.endswith("[truncated 500 characters]")


def test_entry_counts_and_log_lines_are_bounded_and_the_drop_is_counted():
    evidence = Evidence()
    for i in range(MAX_ENTRIES + 5):
        evidence.note(f"note {i}")
    evidence.log(f"line {i}" for i in range(MAX_LOG_LINES + 10))
    assert len(evidence.notes) == MAX_ENTRIES
    assert evidence.logs[0] == "line 10" and len(evidence.logs) == MAX_LOG_LINES
    assert evidence.dropped == 5 + 10


def test_secrets_are_redacted_when_recorded():
    evidence = Evidence()
    evidence.kubectl(
        "kubectl get ms -o yaml", "spec:\n  registry:\n    dockerCfg: c2VjcmV0LWJsb2ItdmFsdWU=\n"
    )
    evidence.diff("spec.registry.dockerCfg", "expected-secret-value", "actual-secret-value")
    evidence.diff("spec.registry", {"repo": "r", "password": "pw-in-a-map"}, {"repo": "r"})
    evidence.note("logged in with token=abc123-token")
    text = json.dumps(evidence.to_dict())
    for secret in (
        "c2VjcmV0LWJsb2ItdmFsdWU=",
        "expected-secret-value",
        "actual-secret-value",
        "pw-in-a-map",
        "abc123-token",
    ):
        assert secret not in text
    assert evidence.diffs[0].expected == REDACTED


def test_evidence_round_trips_through_json():
    evidence = Evidence()
    evidence.timeline(
        datetime(2024, 12, 16, tzinfo=UTC), "ModuleRelease", "m-v1.0.0", "status.phase", "Pending", "Deployed"
    )
    evidence.kubectl("kubectl get mr", "out", expected="out")
    evidence.diff("status.phase", "Ready", "Error")
    evidence.objects_yaml("Module/m", "kind: Module\n")
    evidence.note("n")
    evidence.log(["l1"])
    assert Evidence.from_dict(json.loads(json.dumps(evidence.to_dict()))) == evidence
