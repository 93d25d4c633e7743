from __future__ import annotations

import pytest

from harness import eras
from harness.dkp.rules.policy import (
    UpdateMode,
    UpdatePolicy,
    channel_tag,
    embedded_default_mode,
    embedded_policy,
    policy_from_object,
    resolve_for_module,
)
from harness.dkp.rules.windows import parse_windows


def mup(name: str, api_version: str = "deckhouse.io/v1alpha2", **spec: object) -> dict[str, object]:
    return {"apiVersion": api_version, "kind": "ModuleUpdatePolicy", "metadata": {"name": name}, "spec": spec}


@pytest.mark.parametrize(
    ("api_version", "mode"),
    [
        pytest.param("deckhouse.io/v1alpha1", UpdateMode.AUTO_PATCH, id="v1alpha1-defaults-to-AutoPatch"),
        pytest.param("deckhouse.io/v1alpha2", UpdateMode.AUTO, id="v1alpha2-defaults-to-Auto"),
    ],
)
def test_mode_default_depends_on_the_api_version(api_version, mode):
    policy = policy_from_object(mup("p", api_version, update={}))
    assert policy == UpdatePolicy("p", mode, "Stable", ())


def test_a_full_policy_is_read_field_by_field():
    windows = [{"from": "8:00", "to": "10:00", "days": ["Mon"]}]
    policy = policy_from_object(
        mup("p", releaseChannel="EarlyAccess", update={"mode": "Manual", "windows": windows})
    )
    assert policy == UpdatePolicy("p", UpdateMode.MANUAL, "EarlyAccess", parse_windows(windows))


def test_ignore_exists_only_in_v1alpha1():
    assert (
        policy_from_object(mup("p", "deckhouse.io/v1alpha1", update={"mode": "Ignore"})).mode
        is UpdateMode.IGNORE
    )
    with pytest.raises(ValueError, match="update mode 'Ignore' is not one of Auto, AutoPatch, Manual"):
        policy_from_object(mup("p", update={"mode": "Ignore"}))


@pytest.mark.parametrize(
    ("obj", "complaint"),
    [
        pytest.param(mup("p", "deckhouse.io/v1beta9"), "is not served", id="unknown-api-version"),
        pytest.param(
            mup("p", releaseChannel="Nightly"), "releaseChannel 'Nightly' is not one of", id="bad-channel"
        ),
        pytest.param(mup("p", update={"mode": "auto"}), "update mode 'auto'", id="mode-is-case-sensitive"),
    ],
)
def test_bad_policies_are_refused_naming_the_field(obj, complaint):
    with pytest.raises(ValueError, match=complaint):
        policy_from_object(obj)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        pytest.param(None, UpdatePolicy("", UpdateMode.AUTO, "Stable"), id="no-deckhouse-config-Stable-Auto"),
        pytest.param({}, UpdatePolicy("", UpdateMode.AUTO, "Stable"), id="empty-settings-Stable-Auto"),
        pytest.param(
            {"releaseChannel": "Alpha", "update": {"mode": "AutoPatch"}},
            UpdatePolicy("", UpdateMode.AUTO_PATCH, "Alpha"),
            id="settings-give-channel-and-mode",
        ),
        pytest.param(
            {"update": {"windows": [{"from": "1:00", "to": "2:00"}]}},
            UpdatePolicy("", UpdateMode.AUTO, "Stable", parse_windows([{"from": "1:00", "to": "2:00"}])),
            id="settings-give-windows",
        ),
        pytest.param(
            {"releaseChannel": "LTS"}, UpdatePolicy("", UpdateMode.AUTO, "LTS"), id="deckhouse-spells-LTS"
        ),
    ],
)
def test_embedded_policy_comes_from_deckhouse_settings(settings, expected):
    assert embedded_policy(settings) == expected


MUPS = {"mine": mup("mine", releaseChannel="Beta", update={"mode": "Manual"})}
DECKHOUSE = {"releaseChannel": "RockSolid"}


@pytest.mark.parametrize(
    ("name", "channel", "mode", "resolved_name"),
    [
        pytest.param("mine", "Beta", UpdateMode.MANUAL, "mine", id="named-mup-present-is-used"),
        pytest.param("gone", "RockSolid", UpdateMode.AUTO, "", id="named-mup-missing-falls-back-to-embedded"),
        pytest.param("", "RockSolid", UpdateMode.AUTO, "", id="unset-name-uses-embedded"),
        pytest.param(None, "RockSolid", UpdateMode.AUTO, "", id="absent-name-uses-embedded"),
    ],
)
def test_policy_resolution_for_a_module(name, channel, mode, resolved_name):
    policy, found = resolve_for_module(name, MUPS, DECKHOUSE)
    assert (policy.release_channel, policy.mode, found, policy.name) == (
        channel,
        mode,
        resolved_name,
        resolved_name,
    )


@pytest.mark.parametrize(
    ("channel", "tag"),
    [
        pytest.param("Alpha", "alpha", id="Alpha"),
        pytest.param("Beta", "beta", id="Beta"),
        pytest.param("EarlyAccess", "early-access", id="EarlyAccess"),
        pytest.param("Stable", "stable", id="Stable"),
        pytest.param("RockSolid", "rock-solid", id="RockSolid"),
        pytest.param("Lts", "lts", id="Lts"),
        pytest.param("LTS", "lts", id="LTS"),
    ],
)
def test_channel_registry_tag_is_kebab_case(channel, tag):
    assert channel_tag(channel) == tag


V1_76 = eras.behaviours_for("v1.76.0")
V1_77 = eras.behaviours_for("v1.77.0")


@pytest.mark.parametrize(
    ("behaviours", "mode"),
    [
        pytest.param(V1_76, UpdateMode.AUTO, id="v1.76-unset-mode-runs-Auto"),
        pytest.param(V1_77, UpdateMode.AUTO_PATCH, id="v1.77-unset-mode-runs-AutoPatch"),
        # the backports #21928 and #21927 (CHANGELOG-v1.75.15.yml, CHANGELOG-v1.76.9.yml)
        pytest.param(eras.behaviours_for("v1.75.14"), UpdateMode.AUTO, id="v1.75.14-runs-Auto"),
        pytest.param(eras.behaviours_for("v1.75.15"), UpdateMode.AUTO_PATCH, id="v1.75.15-runs-AutoPatch"),
        pytest.param(eras.behaviours_for("v1.76.8"), UpdateMode.AUTO, id="v1.76.8-runs-Auto"),
        pytest.param(eras.behaviours_for("v1.76.9"), UpdateMode.AUTO_PATCH, id="v1.76.9-runs-AutoPatch"),
    ],
)
def test_embedded_policy_unset_mode_follows_the_era(behaviours, mode):
    """docs/dkp-eras.md `embedded-policy-autopatch`: PR #21903 changed the seed DKP unmarshals over."""
    settings = {"releaseChannel": "Stable"}
    assert embedded_policy(settings, default_mode=embedded_default_mode(behaviours)).mode == mode
    resolved, _ = resolve_for_module("", MUPS, settings, default_mode=embedded_default_mode(behaviours))
    assert resolved.mode == mode


@pytest.mark.parametrize("behaviours", [V1_76, V1_77], ids=["v1.76", "v1.77"])
def test_an_explicit_deckhouse_mode_wins_in_every_era(behaviours):
    settings = {"update": {"mode": "Auto"}}
    assert embedded_policy(settings, default_mode=embedded_default_mode(behaviours)).mode == UpdateMode.AUTO
