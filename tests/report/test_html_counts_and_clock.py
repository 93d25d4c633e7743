"""The HTML names what its numbers and instants are: a real cluster's timeline is the cluster's
clock, not virtual time, and a partial run's banner counts every claim it leaves out, by kind."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from harness.report.assemble import assemble_run
from harness.report.claims import parse_catalogue
from harness.report.evidence import Evidence
from harness.report.render_html import render_html
from harness.report.status import Status
from tests.report.conftest import _make_scenario


def _text(html: str, element_id: str) -> str:
    match = re.search(rf'<(\w+) class="[^"]*" id="{element_id}">(.*?)</\1>', html, re.S)
    assert match is not None, element_id
    return re.sub(r"\s+", " ", re.sub("<[^>]+>", "", match.group(2))).strip()


def _timeline_run(target: dict[str, str]) -> str:
    evidence = Evidence()
    evidence.timeline(datetime(2026, 12, 1, 9, tzinfo=UTC), "Module", "m", "status.phase", "A", "B")
    scenario = _make_scenario("s", Status.PASSED, [], evidence=evidence)
    return render_html(assemble_run([scenario], None, started_at="t", duration=0, target=target))


@pytest.mark.parametrize(
    ("time_mode", "heading"),
    [
        ("virtual", "Timeline (virtual time)"),
        ("real", "Timeline (cluster time)"),
        ("scaled x60", "Timeline (cluster time, scaled x60)"),
    ],
)
def test_the_timeline_heading_names_the_clock_of_the_target(time_mode, heading):
    kind = "simulator" if time_mode == "virtual" else "kubeconfig"
    html = _timeline_run({"kind": kind, "time_mode": time_mode})
    assert heading in html
    assert ("(virtual time)" in html) is (time_mode == "virtual")


def _catalogue() -> object:
    plain = [
        {"id": f"DKP-0{n}", "kind": "dkp", "anchor": "x", "section": "s", "claim": "c"} for n in (1, 2, 3)
    ]
    later = [
        {"id": f"DKP-4{n}", "kind": "dkp", "anchor": "x", "section": "s", "claim": "c", "since": "v1.75.0"}
        for n in (0, 1, 2)
    ]
    return parse_catalogue({"version": 1, "page": {"title": "t", "url": "u"}, "claims": plain + later})


def _render(selection: dict[str, str] | None) -> str:
    run = assemble_run(
        [_make_scenario("a", Status.PASSED, ["DKP-01"])],
        _catalogue(),  # type: ignore[arg-type]
        started_at="t",
        duration=0,
        selection=selection,
        target={"kind": "simulator", "time_mode": "virtual", "deckhouse_version": "v1.67.0"},
    )
    assert run.claim_counts()["not_applicable"] == 3
    return render_html(run)


def test_the_partial_banner_counts_unselected_and_not_applicable_claims_apart():
    html = _render({"keyword": "a"})
    banner = _text(html, "partial")
    assert "the 2 claims they do not check are left out of the counts below" in banner
    assert "so are the 3 claims not applicable to Deckhouse v1.67.0" in banner
    verdict = _text(html, "verdict")
    assert verdict.startswith("1 of 1 selected documented claims hold") and "not applicable" not in verdict


def test_a_whole_run_says_its_not_applicable_claims_are_not_counted():
    verdict = _text(_render(None), "verdict")
    assert verdict.startswith("1 of 3 documented claims hold")
    assert "not counted: 3 claims not applicable to Deckhouse v1.67.0" in verdict
