"""Truth tables of harness.eras: which behaviours each Deckhouse version shows, and version parsing."""

from __future__ import annotations

import pytest

from harness import eras
from harness.eras import Behaviour, DeckhouseVersion, VersionError

PAGE_ERA = ("v1.67.0", "1.67", "v1.68.4", "1.72", "v1.72.9")
TODAY = ("latest", "LATEST", "v1.78.0", "1.80", "v2.0.0")

V1_76_AND_LATER = {
    Behaviour.STEP_BY_STEP_ALWAYS,
    Behaviour.MODULE_PACKAGE_MIRROR,
    Behaviour.EMBEDDED_TAKEOVER,
    Behaviour.DELAY_TIME_FULL_YEAR,
    Behaviour.RELEASE_VALIDATIONS,
    Behaviour.OVERRIDE_RENEW,
    Behaviour.STATUS_OMITEMPTY,
}

V1_78 = {Behaviour.RELEASE_VALIDATIONS, Behaviour.OVERRIDE_RENEW, Behaviour.STATUS_OMITEMPTY}

V1_77 = {
    Behaviour.DOCUMENTATION_WHEN_ENABLED,
    Behaviour.DOCUMENTATION_FOLLOWS_CONFIG,
    Behaviour.DOCUMENTATION_SKIPS_EMBEDDED,
    Behaviour.EMBEDDED_POLICY_AUTO_PATCH,
    Behaviour.RELEASE_CHAIN_REFETCH,
}

V1_73 = {
    Behaviour.SOURCE_MODULE_ERROR_FIELD,
    Behaviour.DEFAULT_SOURCE_ANNOTATION,
    Behaviour.IMAGE_INFO_ERROR_PREFIX,
}

V1_75 = V1_73 | {
    Behaviour.ENABLED_BY_BUNDLE,
    Behaviour.EDITION_AVAILABILITY,
    Behaviour.METRICS_FINALIZER,
    Behaviour.DOCUMENTATION_MOUNT_PATH,
    Behaviour.SCAN_INTERVAL,
    Behaviour.REQUIREMENTS_MESSAGE_PREFIX,
    Behaviour.DEPLOY_MARKS_NOTIFIED,
}

V1_76 = set(Behaviour) - V1_77 - V1_78

# (version, behaviours it shows): one row per release line or patch that changes something.
TRUTH_TABLE: list[tuple[str, set[Behaviour]]] = [
    ("v1.67.0", set()),
    ("v1.72.9", set()),
    ("v1.73.0", V1_73),
    ("v1.74.12", V1_73),
    ("v1.75.0", V1_75),
    ("v1.75.14", V1_75),
    ("v1.75.15", V1_75 | {Behaviour.EMBEDDED_POLICY_AUTO_PATCH}),  # #21928
    ("v1.75.17", V1_75 | {Behaviour.EMBEDDED_POLICY_AUTO_PATCH}),
    ("v1.76.0", V1_76),
    ("v1.76.7", V1_76),
    (
        "v1.76.8",
        V1_76 | {Behaviour.RELEASE_CHAIN_REFETCH, Behaviour.DOCUMENTATION_SKIPS_EMBEDDED},
    ),  # #21596, #21652
    (
        "v1.76.9",  # #21927
        V1_76
        | {
            Behaviour.RELEASE_CHAIN_REFETCH,
            Behaviour.DOCUMENTATION_SKIPS_EMBEDDED,
            Behaviour.EMBEDDED_POLICY_AUTO_PATCH,
        },
    ),
    ("v1.76.11", set(Behaviour) - V1_78 - {Behaviour.DOCUMENTATION_WHEN_ENABLED}),  # #22289
    ("v1.76.16", set(Behaviour) - V1_78 - {Behaviour.DOCUMENTATION_WHEN_ENABLED}),
    ("v1.77.0", set(Behaviour) - V1_78),
    ("v1.77.3", set(Behaviour) - V1_78),
    ("v1.78.0", set(Behaviour)),
    ("latest", set(Behaviour)),
]


@pytest.mark.parametrize(("version", "expected"), TRUTH_TABLE, ids=[row[0] for row in TRUTH_TABLE])
def test_behaviours_per_version(version: str, expected: set[Behaviour]) -> None:
    assert eras.behaviours_for(version) == expected


@pytest.mark.parametrize("behaviour", list(Behaviour))
@pytest.mark.parametrize("version", PAGE_ERA)
def test_the_page_era_shows_no_new_behaviour(behaviour: Behaviour, version: str) -> None:
    assert behaviour not in eras.behaviours_for(version)


@pytest.mark.parametrize("behaviour", list(Behaviour))
@pytest.mark.parametrize("version", TODAY)
def test_todays_dkp_shows_every_behaviour(behaviour: Behaviour, version: str) -> None:
    assert behaviour in eras.behaviours_for(version)


@pytest.mark.parametrize("behaviour", list(Behaviour))
def test_each_behaviour_starts_exactly_at_its_version(behaviour: Behaviour) -> None:
    since = eras.INTRODUCED_IN[behaviour]
    before = DeckhouseVersion(since.major, since.minor - 1, 99)
    assert behaviour in eras.behaviours_for(since)
    backported_to_the_line_before = any(
        p.minor_line == before.minor_line for p in eras.BACKPORTED_TO.get(behaviour, ())
    )
    assert (behaviour in eras.behaviours_for(before)) is backported_to_the_line_before


BACKPORTS = [(b, patch) for b, patches in eras.BACKPORTED_TO.items() for patch in patches]


@pytest.mark.parametrize(("behaviour", "patch"), BACKPORTS, ids=[f"{b}@{p}" for b, p in BACKPORTS])
def test_a_backport_starts_at_its_patch_and_stays_in_its_line(
    behaviour: Behaviour, patch: DeckhouseVersion
) -> None:
    assert behaviour in eras.behaviours_for(patch)
    assert behaviour in eras.behaviours_for(DeckhouseVersion(patch.major, patch.minor, patch.patch + 40))
    assert behaviour not in eras.behaviours_for(DeckhouseVersion(patch.major, patch.minor, patch.patch - 1))
    next_line = DeckhouseVersion(patch.major, patch.minor + 1, 0)  # no backport is a .0 (test below)
    assert (behaviour in eras.behaviours_for(next_line)) is (eras.INTRODUCED_IN[behaviour] <= next_line)


def test_backports_are_older_lines_than_the_row_and_one_per_line() -> None:
    for behaviour, patches in eras.BACKPORTED_TO.items():
        lines = [p.minor_line for p in patches]
        assert len(lines) == len(set(lines)), behaviour
        assert all(p < eras.INTRODUCED_IN[behaviour] and p.patch > 0 for p in patches), behaviour


def test_every_behaviour_has_exactly_one_row() -> None:
    assert set(eras.INTRODUCED_IN) == set(Behaviour)


def test_latest_is_the_newest_row_and_the_default_is_the_page_era() -> None:
    assert eras.LATEST == max(eras.INTRODUCED_IN.values())
    assert eras.resolve_version("latest") == eras.LATEST
    assert eras.resolve_version(None) == eras.DEFAULT_VERSION == DeckhouseVersion(1, 67, 0)
    assert eras.resolve_version("  ") == eras.DEFAULT_VERSION


@pytest.mark.parametrize(
    ("text", "expected"),
    [("v1.67.0", (1, 67, 0)), ("1.74", (1, 74, 0)), (" 1.75.3 ", (1, 75, 3)), ("v2.0", (2, 0, 0))],
)
def test_parse_accepts_major_minor_and_optional_patch(text: str, expected: tuple[int, int, int]) -> None:
    assert eras.parse_version(text) == DeckhouseVersion(*expected)


@pytest.mark.parametrize("text", ["", "1", "v1.67.0-rc.1", "1.67.x", "newest", "01.67", "v1.67.0.1"])
def test_parse_rejects_other_forms_with_the_accepted_ones(text: str) -> None:
    with pytest.raises(VersionError, match=r"vMAJOR\.MINOR\[\.PATCH\].*'latest'"):
        eras.parse_version(text)


def test_versions_order_numerically_and_print_with_v() -> None:
    assert eras.parse_version("1.9") < eras.parse_version("1.10") < eras.parse_version("2.0")
    assert str(eras.parse_version("1.75")) == "v1.75.0"
    assert eras.parse_version("1.75.2").minor_line == "v1.75"


@pytest.mark.parametrize(
    ("text", "expected"), [("EE", "ee"), ("se+", "se-plus"), (" ce ", "ce"), ("cse", "cse")]
)
def test_editions_are_read_in_the_accessibility_spelling(text: str, expected: str) -> None:
    assert eras.parse_edition(text) == expected


def test_an_unknown_edition_or_bundle_names_the_known_ones() -> None:
    with pytest.raises(VersionError, match="edition 'pro' is not known: use one of ce, be, se"):
        eras.parse_edition("pro")
    with pytest.raises(VersionError, match="bundle 'Big' is not known: use one of Default, Managed, Minimal"):
        eras.parse_bundle("Big")
    assert eras.parse_bundle("managed") == "Managed"


def test_a_version_newer_than_any_known_is_taken_with_a_warning_in_the_terminal(capsys):
    from harness.cli._platform import deckhouse_version

    assert deckhouse_version("v9.9") == "v9.9.0"
    assert f"behaves as {eras.LATEST}" in capsys.readouterr().err
    assert deckhouse_version("v1.1.0") == "v1.1.0"
    assert f"older than the documentation page's era ({eras.DEFAULT_VERSION})" in capsys.readouterr().err
    assert deckhouse_version("latest") == str(eras.LATEST)
    assert deckhouse_version("v1.67.0") == "v1.67.0"
    assert capsys.readouterr().err == ""
