"""Truth tables for needToEnsureRelease by era (harness.dkp.rules.source_ensure, docs/dkp-eras.md).

Every row runs in the page's era (``eras.DEFAULT_VERSION``) and today's (``eras.LATEST``) and
names the verdict expected in each.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness import eras
from harness.dkp.rules.source_ensure import (
    EnsureFacts,
    EnsureVerdict,
    enabled_in_bundle,
    need_to_ensure,
    resolve_embedded_target,
)

PAGE, LATEST = eras.behaviours_for(eras.DEFAULT_VERSION), eras.behaviours_for(eras.LATEST)
NEW, MOVED = "sha256:new", "sha256:old"
BUNDLED = {"editions": {"_default": {"available": True, "enabledInBundles": ["Default"]}}}
NOT_BUNDLED = {"editions": {"_default": {"available": True, "enabledInBundles": ["Managed"]}}}

BASE = EnsureFacts(
    source="example",
    module_source="example",
    available_sources=("example",),
    enabled_by_config="True",
    entry_checksum=MOVED,
    channel_checksum=NEW,
    release_exists=False,
)
NO = EnsureVerdict(False)
YES = EnsureVerdict(True)
YES_SET_SOURCE = EnsureVerdict(True, set_source=True)


@pytest.mark.parametrize(
    ("facts", "page_era", "latest"),
    [
        pytest.param(BASE, YES, YES, id="enabled-here-channel-moved"),
        pytest.param(replace(BASE, entry_checksum=NEW, release_exists=True), NO, NO, id="up-to-date"),
        pytest.param(replace(BASE, entry_checksum=NEW), YES, YES, id="release-missing"),
        pytest.param(replace(BASE, module_source="other"), NO, NO, id="owned-by-another-source"),
        pytest.param(replace(BASE, enabled_by_config="False"), NO, NO, id="disabled-by-config"),
        pytest.param(
            replace(BASE, module_source="", enabled_by_config=None, accessibility=BUNDLED),
            NO,
            YES_SET_SOURCE,
            id="no-config-enabled-in-bundle→from-v1.75",
        ),
        pytest.param(
            replace(BASE, module_source="", enabled_by_config="Unknown", accessibility=BUNDLED),
            NO,
            YES_SET_SOURCE,
            id="config-unknown-enabled-in-bundle→from-v1.75",
        ),
        pytest.param(
            replace(BASE, module_source="", enabled_by_config=None, accessibility=NOT_BUNDLED),
            NO,
            NO,
            id="no-config-not-in-this-bundle",
        ),
        pytest.param(
            replace(BASE, module_source="", enabled_by_config=None), NO, NO, id="no-config-no-accessibility"
        ),
        pytest.param(
            replace(
                BASE,
                module_source="",
                enabled_by_config=None,
                accessibility=BUNDLED,
                available_sources=("example", "deckhouse"),
            ),
            NO,
            NO,
            id="bundle-several-sources-not-deckhouse",
        ),
        pytest.param(
            replace(
                BASE,
                source="deckhouse",
                module_source="",
                enabled_by_config=None,
                accessibility=BUNDLED,
                available_sources=("example", "deckhouse"),
            ),
            NO,
            YES_SET_SOURCE,
            id="bundle-several-sources-deckhouse",
        ),
        pytest.param(
            replace(BASE, module_source="", enabled_by_config="True"),
            NO,
            YES_SET_SOURCE,
            id="enabled-without-source→gets-this-source-from-v1.75",
        ),
        pytest.param(
            replace(BASE, module_source="Embedded", available_sources=("example",)),
            NO,
            YES,
            id="embedded-only-real-source→from-v1.76",
        ),
        pytest.param(
            replace(BASE, module_source="Embedded", available_sources=("example", "deckhouse")),
            NO,
            NO,
            id="embedded-deckhouse-wins-over-this",
        ),
        pytest.param(
            replace(
                BASE,
                module_source="Embedded",
                available_sources=("example", "other"),
                config_source="example",
            ),
            NO,
            YES,
            id="embedded-config-names-this",
        ),
        pytest.param(
            replace(BASE, module_source="Embedded", available_sources=("example", "other")),
            NO,
            NO,
            id="embedded-two-others-no-choice→conflict",
        ),
        pytest.param(
            replace(BASE, module_source="Embedded", enabled_by_config="False"),
            NO,
            NO,
            id="embedded-disabled",
        ),
    ],
)
@pytest.mark.parametrize("era", ["page-era", "latest"])
def test_need_to_ensure(facts: EnsureFacts, page_era: EnsureVerdict, latest: EnsureVerdict, era: str) -> None:
    behaviours, expected = (PAGE, page_era) if era == "page-era" else (LATEST, latest)
    assert need_to_ensure(facts, behaviours) == expected


@pytest.mark.parametrize(
    ("configured", "available", "expected"),
    [
        ("example", ["example", "other"], ("example", False)),
        ("gone", ["example"], ("", True)),
        ("Embedded", ["example"], ("example", False)),
        ("", [], ("", False)),
        ("", ["Embedded"], ("", False)),
        ("", ["Embedded", "example"], ("example", False)),
        ("", ["example", "deckhouse"], ("deckhouse", False)),
        ("", ["example", "other"], ("", True)),
    ],
)
def test_resolve_embedded_target(configured: str, available: list[str], expected: tuple[str, bool]) -> None:
    assert resolve_embedded_target(configured, available) == expected


@pytest.mark.parametrize(
    ("accessibility", "edition", "bundle", "expected"),
    [
        (None, "ee", "Default", False),
        (BUNDLED, "ee", "Default", True),
        (BUNDLED, "ee", "Minimal", False),
        (
            {"editions": {"_default": {"available": False, "enabledInBundles": ["Default"]}}},
            "ee",
            "Default",
            False,
        ),
        (
            {
                "editions": {
                    "_default": {"available": True, "enabledInBundles": ["Default"]},
                    "ce": {"available": True},
                }
            },
            "ce",
            "Default",
            False,
        ),
        ({"editions": {"ee": {"available": True, "enabledInBundles": ["Default"]}}}, "ce", "Default", False),
    ],
    ids=[
        "no-accessibility",
        "default-entry-bundled",
        "other-bundle",
        "unavailable",
        "edition-entry-is-authoritative",
        "no-entry-for-edition",
    ],
)
def test_enabled_in_bundle(accessibility: dict | None, edition: str, bundle: str, expected: bool) -> None:
    assert enabled_in_bundle(accessibility, edition, bundle) is expected
