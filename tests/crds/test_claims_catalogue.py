"""Checks of fixtures/claims.yaml, the catalogue the report and the scenario linter read.

A claim missing from the catalogue would vanish from the report instead of showing as uncovered,
and a wrong anchor would link readers to nowhere, so the catalogue is pinned against copies of the
source lists. With DKP_HARNESS_RESEARCH_DIR set, the copies are also compared with the research notes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.kube.fast_yaml import SAFE_LOADER

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "fixtures" / "claims.yaml"
# The research notes the catalogue was first built from live outside this repository; a maintainer
# who has them points DKP_HARNESS_RESEARCH_DIR at them to re-check the copied lists below.
_RESEARCH = os.environ.get("DKP_HARNESS_RESEARCH_DIR", "")
RESEARCH = Path(_RESEARCH) if _RESEARCH else None
DKP_BEHAVIOUR = ROOT / "docs" / "dkp-behaviour.md"

# Copied from the research notes' table of documented claims, in table order (32 rows).
DOC_CLAIM_IDS = [
    "MS-01", "MS-02", "MS-03", "MS-04", "MS-05", "MS-06", "MS-07", "MS-08", "MS-09",
    "EN-01", "EN-02", "EN-03", "EN-04", "EN-05", "EN-06", "EN-07",
    "REL-01", "REL-02", "REL-03", "REL-04",
    "SW-01",
    "UP-01", "UP-02", "UP-03", "UP-04",
    "EN-08", "EN-09", "EN-10",
    "TR-01", "TR-02", "TR-03", "TR-04",
]  # fmt: skip

# Copied from the headings of the page under test, as Jekyll
# (kramdown) turns them into anchors.
PAGE_ANCHORS = {
    "#module-source",
    "#switching-the-module-to-a-different-module-source",
    "#module-update-policy",
    "#enabling-the-module",
    "#troubleshooting",
}

# The numbered headings of docs/dkp-behaviour.md that claims may cite.
DKP_SECTIONS = {
    "§1", "§2", "§2.1", "§2.2", "§2.3", "§3", "§3.1", "§3.2", "§3.3", "§3.4", "§4", "§4.1", "§4.2",
    "§4.3", "§4.5", "§5", "§5.1", "§5.2", "§5.3", "§5.4", "§5.5", "§5.6", "§5.7", "§5.8", "§5.9",
    "§5.10", "§6", "§6.1", "§6.2", "§6.3", "§6.4", "§7", "§8", "§9",
}  # fmt: skip

# Page claims where the real controller (and so the simulator) disagrees with the page.
KNOWN_DEVIATIONS = {"MS-03", "EN-06", "REL-01", "REL-03", "UP-01", "TR-02", "TR-04"}

CLAIM_KEYS = {"id", "kind", "anchor", "section", "claim", "deviation"}
ERA_KEYS = {"since", "before"}  # optional: the Deckhouse versions a claim holds for (docs/dkp-eras.md)


def load() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(CATALOGUE.read_text(), Loader=SAFE_LOADER)
    return data


def claims() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = load()["claims"]
    return items


def heading_anchor(title: str) -> str:
    """Kramdown's auto id: lower-case, drop punctuation, spaces become hyphens."""
    return "#" + re.sub(r"[^a-z0-9 -]", "", title.lower()).strip().replace(" ", "-")


def test_catalogue_names_the_page_under_test() -> None:
    data = load()
    assert data["version"] == 1
    assert data["page"] == {
        "title": "How to start module in the DKP cluster?",
        "url": "en/module-development/run/",
    }


def test_every_claim_has_exactly_the_keys_the_report_reads() -> None:
    bad = {c.get("id", "?"): sorted(set(c) ^ CLAIM_KEYS) for c in claims() if set(c) - ERA_KEYS != CLAIM_KEYS}
    assert bad == {}


def test_claim_ids_are_unique() -> None:
    ids = [c["id"] for c in claims()]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_every_documented_claim_is_catalogued_in_order_as_a_page_claim() -> None:
    page_ids = [c["id"] for c in claims() if c["kind"] == "page"]
    assert page_ids == DOC_CLAIM_IDS


def _research_file(name: str) -> Path:
    if RESEARCH is None:
        pytest.skip("set DKP_HARNESS_RESEARCH_DIR to the research notes' folder to re-check this copied list")
    path = RESEARCH / name
    if not path.exists():
        pytest.skip(f"{path} not found in DKP_HARNESS_RESEARCH_DIR")
    return path


def test_the_copied_id_list_matches_the_research_notes_when_they_are_available() -> None:
    text = _research_file("doc-claims.md").read_text()
    ids = re.findall(r"^\| ([A-Z]+-\d+) \|", text, flags=re.MULTILINE)
    assert ids == DOC_CLAIM_IDS


def test_the_copied_anchor_list_matches_the_page_headings_when_it_is_available() -> None:
    text = _research_file("seed/000_b73ed8e8347cf32a.txt").read_text()
    titles = re.findall(r"^#{2,6} (.+)$", text, flags=re.MULTILINE)
    assert {heading_anchor(t) for t in titles} == PAGE_ANCHORS


def test_the_section_list_matches_the_headings_of_docs_dkp_behaviour_md() -> None:
    numbers = re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", DKP_BEHAVIOUR.read_text(), flags=re.MULTILINE)
    assert {f"§{n}" for n in numbers if n != "0"} >= DKP_SECTIONS


def test_heading_anchor_follows_kramdown_rules() -> None:
    assert heading_anchor("Switching the module to a different module source") == (
        "#switching-the-module-to-a-different-module-source"
    )
    assert (
        heading_anchor("How to start module in the DKP cluster?") == "#how-to-start-module-in-the-dkp-cluster"
    )


def test_page_claims_point_at_anchors_of_the_page() -> None:
    bad = {c["id"]: c["anchor"] for c in claims() if c["kind"] == "page" and c["anchor"] not in PAGE_ANCHORS}
    assert bad == {}


def test_dkp_claims_are_numbered_in_sequence_and_cite_a_behaviour_section() -> None:
    dkp = [c for c in claims() if c["kind"] == "dkp"]
    assert [c["id"] for c in dkp] == [f"DKP-{n:02d}" for n in range(1, len(dkp) + 1)]
    assert {c["id"]: c["anchor"] for c in dkp if c["anchor"] not in DKP_SECTIONS} == {}


def test_claims_are_page_or_dkp_and_say_something() -> None:
    assert {c["kind"] for c in claims()} == {"page", "dkp"}
    empty = [c["id"] for c in claims() if not str(c["claim"]).strip() or not str(c["section"]).strip()]
    assert empty == []


def test_deviations_are_null_or_a_non_empty_explanation() -> None:
    bad = [
        c["id"]
        for c in claims()
        if c["deviation"] is not None and not (isinstance(c["deviation"], str) and c["deviation"].strip())
    ]
    assert bad == []


def test_the_known_page_deviations_are_marked_and_no_others() -> None:
    marked = {c["id"] for c in claims() if c["deviation"] is not None}
    assert marked == KNOWN_DEVIATIONS


def test_the_approval_deviation_names_the_key_dkp_actually_reads() -> None:
    (rel03,) = [c for c in claims() if c["id"] == "REL-03"]
    assert "modules.deckhouse.io/approved" in rel03["deviation"]
    assert "does not approve" in rel03["deviation"]


def test_era_markers_name_versions_of_the_era_table() -> None:
    from harness import eras

    rows = set(eras.INTRODUCED_IN.values())
    bad = {
        c["id"]: c[key]
        for c in claims()
        for key in ERA_KEYS & set(c)
        if eras.parse_version(str(c[key])) not in rows or str(eras.parse_version(str(c[key]))) != c[key]
    }
    assert bad == {}


def test_scenarios_of_era_marked_claims_run_only_in_that_era() -> None:
    """A scenario of a claim marked ``since: V`` is tagged @deckhouse-since:V (or later), and
    ``before: V`` needs @deckhouse-before:V (or earlier): otherwise one era's run checks another's."""
    from harness import eras

    marked = {c["id"]: (c.get("since"), c.get("before")) for c in claims() if ERA_KEYS & set(c)}
    problems = []
    for feature in sorted((ROOT / "features").rglob("*.feature")):
        for number, line in enumerate(feature.read_text().splitlines(), 1):
            tags = line.split()
            if not tags or not tags[0].startswith("@"):
                continue
            ids = [t.removeprefix("@claim:") for t in tags if t.startswith("@claim:")]
            since = [
                eras.parse_version(t.split(":", 1)[1]) for t in tags if t.startswith("@deckhouse-since:")
            ]
            before = [
                eras.parse_version(t.split(":", 1)[1]) for t in tags if t.startswith("@deckhouse-before:")
            ]
            for claim_id in ids:
                want_since, want_before = marked.get(claim_id, (None, None))
                where = f"{feature.relative_to(ROOT)}:{number} ({claim_id})"
                if want_since and not any(s >= eras.parse_version(want_since) for s in since):
                    problems.append(f"{where}: needs @deckhouse-since:{want_since}")
                if want_before and not any(b <= eras.parse_version(want_before) for b in before):
                    problems.append(f"{where}: needs @deckhouse-before:{want_before}")
    assert problems == []
