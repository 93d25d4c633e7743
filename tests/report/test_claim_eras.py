"""Claims with a Deckhouse range (``since``/``before``): parsed, and judged against the run's version."""

from __future__ import annotations

import pytest

from harness import eras
from harness.report.assemble import assemble_run
from harness.report.claims import CatalogueError, parse_catalogue
from harness.report.render_html import render_html
from harness.report.status import Status
from tests.report.conftest import _make_scenario

ERA_SKIP = (
    "checks Deckhouse v1.75.0 and later; this run checks v1.67.0"
    " (dkp-harness run --deckhouse-version, pytest --dkp-deckhouse-version)"
)


def catalogue(**era: str) -> object:
    entry = {"id": "DKP-40", "kind": "dkp", "anchor": "x", "section": "s", "claim": "c", **era}
    plain = {"id": "DKP-01", "kind": "dkp", "anchor": "x", "section": "s", "claim": "c"}
    return parse_catalogue({"version": 1, "page": {"title": "t", "url": "u"}, "claims": [entry, plain]})


@pytest.mark.parametrize(
    ("era", "version", "applies"),
    [
        ({"since": "v1.75"}, str(eras.DEFAULT_VERSION), False),
        ({"since": "v1.75"}, str(eras.LATEST), True),
        ({"before": "v1.75.0"}, str(eras.DEFAULT_VERSION), True),
        ({"before": "v1.75.0"}, str(eras.LATEST), False),
        ({"since": "v1.73.0", "before": "v1.76.0"}, "v1.75.2", True),
        ({}, str(eras.LATEST), True),
        ({"since": "v1.75"}, None, True),
    ],
)
def test_a_claim_applies_to_the_versions_of_its_range(era, version, applies):
    claim = catalogue(**era).claims[0]  # type: ignore[attr-defined]
    assert claim.applies_to(version) is applies


def test_versions_are_spelled_canonically_and_bad_ones_are_refused_with_the_entry():
    assert catalogue(since="1.75").claims[0].since == "v1.75.0"  # type: ignore[attr-defined]
    with pytest.raises(CatalogueError, match=r"claims\[0\] \(DKP-40\): since: Deckhouse version 'soon'"):
        catalogue(since="soon")


@pytest.mark.parametrize("version", [str(eras.DEFAULT_VERSION), str(eras.LATEST)])
def test_a_claim_outside_the_run_version_is_not_applicable_and_its_skips_are_counted_apart(version):
    skipped = _make_scenario("bundle", Status.SKIPPED, ["DKP-40"], line=5)
    skipped.skip_reason = ERA_SKIP
    run = assemble_run(
        [skipped],
        catalogue(since="v1.75.0"),  # type: ignore[arg-type]
        started_at="2024-12-16T09:00:00Z",
        duration=1.0,
        target={"kind": "simulator", "time_mode": "virtual", "deckhouse_version": version},
    )
    statuses = {c.claim.id: c.status for c in run.claims}
    if version == str(eras.DEFAULT_VERSION):
        assert statuses == {"DKP-40": Status.NOT_APPLICABLE, "DKP-01": Status.UNCOVERED}
        assert run.claim_counts()["not_applicable"] == 1
        assert run.scenario_counts()["other_era"] == 1 and run.scenario_counts()["skipped"] == 0
        html = render_html(run)
        assert "not applicable to Deckhouse v1.67.0" in html
        assert "Deckhouse v1.67.0" in html
    else:
        assert statuses["DKP-40"] == Status.SKIPPED  # in range: a skip is a skip


def test_a_scenario_that_still_judged_an_out_of_range_claim_keeps_its_verdict():
    failed = _make_scenario("pinned", Status.FAILED, ["DKP-40"], line=5)
    run = assemble_run(
        [failed],
        catalogue(since="v1.75.0"),  # type: ignore[arg-type]
        started_at="2024-12-16T09:00:00Z",
        duration=1.0,
        target={"kind": "simulator", "deckhouse_version": "v1.67.0"},
    )
    assert run.claims[0].status is Status.FAILED
