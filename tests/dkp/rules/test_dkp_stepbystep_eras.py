"""The release fetcher's era-dependent plans as truth tables, run for both eras.

Every plan row is checked against the page's era (``eras.DEFAULT_VERSION``, variant A) and
today's (``eras.LATEST``, variant B from v1.76, ``Behaviour.STEP_BY_STEP_ALWAYS``); the row says
what each era creates. Rows named after an upstream case port it: the golden files under
``deckhouse-controller/pkg/controller/module-controllers/source/testdata`` (registry tags from
``controller_test.go``), ``module_release_fetcher_test.go`` (``TestGetNewVersions``,
``TestIsVersionInRange``) and ``helpers_test.go`` (``TestReleaseChainToTargetComplete``).
"""

from __future__ import annotations

import pytest

from harness import eras
from harness.dkp.rules.source_ensure import EnsureFacts, need_to_ensure
from harness.dkp.rules.stepbystep import (
    ExistingRelease,
    StepByStepError,
    new_versions,
    plan_releases,
    release_chain_complete,
    version_in_range,
)
from harness.dkp.rules.versions import InvalidVersionError, parse_version

OLD, NEW = eras.behaviours_for(eras.DEFAULT_VERSION), eras.behaviours_for(eras.LATEST)
D, P, S = "Deployed", "Pending", "Superseded"
FROM_DEPLOYED, FROM_LAST, STEP = "from deployed", "from last release in cluster", "step-by-step"
NO_TAGS = "get new versions: no matched tags in registry"


def rel(version: str, phase: str, *spans: tuple[str, str]) -> ExistingRelease:
    return ExistingRelease(parse_version(version), phase, tuple(spans))


def tags(*versions: str) -> list[str]:
    return [f"v{v}" for v in versions]


def planned(era, target, existing, registry, **kw):
    plan = plan_releases(target=target, existing=existing, tags=registry, behaviours=era, **kw)
    return [(str(r.version), r.reason) for r in plan.releases], plan.error


CONSOLE_TAGS = tags("1.49.1", "1.50.0", "1.51.1", "1.52.0", "1.53.2", "1.54.1", "1.55.1")
PARCA_TAGS = tags("1.3.1", "1.4.1", "1.5.2", "1.5.3", "1.6.1", "1.6.2", "1.7.1", "1.7.2")

# (target, existing releases, registry tags, variant A's plan, variant B's plan)
PLANS = [
    pytest.param(
        "1.2.3",
        [],
        [],
        [("1.2.3", "no releases in cluster")],
        [("1.2.3", "no releases in cluster")],
        id="first-release-from-channel",
    ),
    pytest.param(
        "1.4.4",
        [rel("1.4.1", D), rel("1.4.2", P), rel("1.4.3", P)],
        tags("1.4.1", "1.4.2", "1.4.3", "1.4.4"),
        [("1.4.4", FROM_DEPLOYED)],
        [("1.4.4", STEP)],
        id="golden-existing-module-releases-without-listing-registry",
    ),
    pytest.param(
        "1.7.1",
        [rel("1.4.1", D), rel("1.5.2", P)],
        PARCA_TAGS,
        [("1.6.2", STEP), ("1.7.1", STEP)],
        [("1.5.3", STEP), ("1.6.2", STEP), ("1.7.1", STEP)],
        id="golden-existing-module-releases-with-listing-registry",
    ),
    pytest.param(
        "1.5.2",
        [rel("1.4.1", D)],
        tags("1.4.1", "1.4.4", "1.5.2"),
        [("1.5.2", FROM_DEPLOYED)],
        [("1.4.4", STEP), ("1.5.2", STEP)],
        id="pr-19328-the-highest-patch-of-the-deployed-minor-is-kept",
    ),
    pytest.param(
        "1.55.1",
        [rel("1.52.0", D), rel("1.55.1", P)],
        CONSOLE_TAGS,
        [("1.53.2", STEP), ("1.54.1", STEP), ("1.55.1", STEP)],
        [("1.53.2", STEP), ("1.54.1", STEP), ("1.55.1", STEP)],
        id="golden-frozen-chain-missing-intermediates",
    ),
    pytest.param(
        "1.55.1",
        [rel("1.52.0", D), rel("1.55.1", P, ("1.52", "1.55"))],
        CONSOLE_TAGS,
        [("1.53.2", STEP), ("1.54.1", STEP), ("1.55.1", STEP)],
        [],
        id="a-from-to-rule-of-the-higher-release-makes-the-cluster-a-chain",
    ),
    pytest.param(
        "1.55.1",
        [rel("1.52.0", D), rel("1.55.1", P, ("1.40", "2.0"))],
        CONSOLE_TAGS,
        [("1.53.2", STEP), ("1.54.1", STEP), ("1.55.1", STEP)],
        [("1.53.2", STEP), ("1.54.1", STEP), ("1.55.1", STEP)],
        id="a-from-to-rule-overshooting-the-release-bridges-nothing",
    ),
    pytest.param(
        "1.5.3",
        [rel("1.2.0", D), rel("1.3.0", P), rel("1.4.0", P)],
        tags("1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.5.3"),
        [("1.5.3", FROM_LAST)],
        [("1.5.3", STEP)],
        id="a-sequential-cluster-continues-from-its-last-release",
    ),
    pytest.param(
        "1.5.0",
        [rel("1.0.0", D), rel("1.3.0", P)],
        tags("1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0"),
        [(f"1.{m}.0", STEP) for m in range(1, 6)],
        [(f"1.{m}.0", STEP) for m in range(1, 6)],
        id="a-broken-cluster-chain-steps-from-the-deployed",
    ),
    pytest.param(
        "1.3.0",
        [rel("1.0.0", P)],
        tags("1.1.0", "1.2.0", "1.3.0"),
        [("1.1.0", STEP), ("1.2.0", STEP), ("1.3.0", STEP)],
        [("1.1.0", STEP), ("1.2.0", STEP), ("1.3.0", STEP)],
        id="nothing-deployed-steps-from-the-lowest-release",
    ),
    pytest.param(
        "1.2.0",
        [rel("0.9.0", S), rel("1.0.0", D), rel("1.1.0", P)],
        tags("0.9.0", "1.0.0", "1.1.0", "1.2.0"),
        [("1.2.0", FROM_LAST)],
        [("1.2.0", STEP)],
        id="releases-below-the-deployed-are-ignored",
    ),
    pytest.param(
        "1.4.0",
        [rel("1.5.0", D)],
        tags("1.4.0", "1.5.0"),
        [("1.4.0", FROM_DEPLOYED)],
        [],
        id="a-channel-behind-the-deployed-version-is-a-no-op-from-v1.76",
    ),
    pytest.param(
        "1.0.0",
        [rel("1.0.0", D)],
        tags("1.0.0"),
        [("1.0.0", FROM_DEPLOYED)],
        [],
        id="the-deployed-version-itself-is-a-no-op-from-v1.76",
    ),
]


@pytest.mark.parametrize(("target", "existing", "registry", "variant_a", "variant_b"), PLANS)
@pytest.mark.parametrize("era", [OLD, NEW], ids=[str(eras.DEFAULT_VERSION), str(eras.LATEST)])
def test_release_plans_per_era(era, target, existing, registry, variant_a, variant_b):
    releases, error = planned(era, target, existing, registry)
    assert releases == (variant_b if era is NEW else variant_a)
    assert error == ""


@pytest.mark.parametrize("era", [OLD, NEW], ids=[str(eras.DEFAULT_VERSION), str(eras.LATEST)])
def test_the_lts_channel_creates_the_target_only_in_both_eras(era):
    releases, _ = planned(era, "0.25.0", [rel("0.5.0", D)], tags("0.5.0", "0.25.0"), channel="LTS")
    assert releases == [("0.25.0", "LTS channel - direct release")]


@pytest.mark.parametrize("era", [OLD, NEW], ids=[str(eras.DEFAULT_VERSION), str(eras.LATEST)])
def test_a_gap_the_registry_cannot_fill_is_created_and_reported_in_both_eras(era):
    releases, error = planned(era, "1.4.0", [rel("1.0.0", D)], tags("1.0.0", "1.2.0", "1.4.0"))
    assert releases == [("1.2.0", STEP), ("1.4.0", STEP)]
    assert error == (
        "step by step update failed: not sequential version: prev 'v1.0.0' next 'v1.2.0'\n"
        "not sequential version: prev 'v1.2.0' next 'v1.4.0'"
    )


@pytest.mark.parametrize(
    ("era", "registry", "message"),
    [
        pytest.param(OLD, ["latest", "v1.2"], NO_TAGS, id="A-no-tags"),
        pytest.param(NEW, ["latest", "v1.2"], NO_TAGS, id="B-no-tags"),
        pytest.param(
            OLD,
            tags("0.1.0", "2.0.0"),
            "get new versions: no acceptable for step by step update tags in registry",
            id="A-nothing-between-is-an-error",
        ),
    ],
)
def test_step_by_step_errors(era, registry, message):
    with pytest.raises(StepByStepError) as caught:
        plan_releases(target="1.3.0", existing=[rel("1.0.0", D)], tags=registry, behaviours=era)
    assert str(caught.value) == message


def test_nothing_between_start_and_target_is_a_no_op_from_v1_76():
    registry = tags("0.1.0", "2.0.0")
    plan = plan_releases(target="1.3.0", existing=[rel("1.0.0", D)], tags=registry, behaviours=NEW)
    assert plan.releases == () and plan.error == ""


def test_a_patch_jump_needs_no_tags_before_v1_76_and_reads_them_after():
    old = plan_releases(target="1.0.1", existing=[rel("1.0.0", D)], behaviours=OLD)
    assert [(str(r.version), r.reason) for r in old.releases] == [("1.0.1", FROM_DEPLOYED)]
    with pytest.raises(StepByStepError):  # the controller lists the tags and plans again
        plan_releases(target="1.0.1", existing=[rel("1.0.0", D)], behaviours=NEW)


def test_every_change_cause_reads_check_release_with_its_reason():
    registry = tags("1.4.4", "1.5.2")
    plan = plan_releases(target="1.5.2", existing=[rel("1.4.1", D)], tags=registry, behaviours=NEW)
    assert {r.change_cause for r in plan.releases} == {"check release (step-by-step)"}
    assert not any(r.apply_now for r in plan.releases)


# --- module_release_fetcher_test.go TestGetNewVersions / TestIsVersionInRange --------------------
UPSTREAM_TAGS = tags(
    "1.31.0", "1.31.1", "1.32.0", "1.32.1", "1.32.2", "1.32.3", "1.33.0", "1.33.1",
    "2.0.0", "2.0.1", "2.0.5", "2.1.2", "2.1.12", "2.5.1",
)  # fmt: skip


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        pytest.param("1.31.0", "1.31.1", ["1.31.1"], id="patch of current minor"),
        pytest.param(
            "1.31.0", "1.32.3", ["1.31.1", "1.32.3"], id="patch of current minor is kept on minor bump"
        ),
        pytest.param("1.31.0", "1.33.1", ["1.31.1", "1.32.3", "1.33.1"], id="several minors"),
        pytest.param("1.31.0", "2.0.5", ["1.31.1", "1.32.3", "1.33.1", "2.0.5"], id="major bump"),
        pytest.param(
            "1.31.0", "2.1.12", ["1.31.1", "1.32.3", "1.33.1", "2.0.5", "2.1.12"], id="across major and minor"
        ),
        pytest.param(
            "1.31.0", "1.33.0", ["1.31.1", "1.32.3", "1.33.0"], id="last minor has no patches matching target"
        ),
        pytest.param("1.31.1", "1.31.1", [], id="actual equals target returns empty"),
        pytest.param("1.33.1", "1.32.3", [], id="actual above target returns empty"),
    ],
)
def test_new_versions_upstream_cases(actual, target, expected):
    got = new_versions(parse_version(actual), parse_version(target), UPSTREAM_TAGS)
    assert [str(v) for v in got] == expected


@pytest.mark.parametrize(
    ("ver", "actual", "target", "expected"),
    [
        pytest.param("1.4.0", "1.4.1", "1.5.2", False, id="ver is lower patch of current minor"),
        pytest.param("1.4.1", "1.4.1", "1.5.2", False, id="ver equals actual"),
        pytest.param("1.4.4", "1.4.1", "1.5.2", True, id="ver is higher patch of current minor"),
        pytest.param("1.5.2", "1.4.1", "1.5.2", True, id="ver is the target version"),
        pytest.param("1.5.0", "1.4.1", "1.6.0", True, id="ver is between actual and target"),
        pytest.param("1.6.0", "1.4.1", "1.5.2", False, id="ver exceeds target minor"),
        pytest.param("2.0.1", "1.33.0", "2.1.0", True, id="ver is next major but within target"),
        pytest.param("0.9.0", "1.0.0", "1.2.0", False, id="ver is lower major"),
    ],
)
def test_version_in_range_upstream_cases(ver, actual, target, expected):
    assert version_in_range(parse_version(ver), parse_version(actual), parse_version(target)) is expected


# --- helpers_test.go TestReleaseChainToTargetComplete ---------------------------------------------
@pytest.mark.parametrize(
    ("target", "releases", "complete"),
    [
        pytest.param(
            "v1.55.1", [rel("1.52.0", D), rel("1.55.1", P)], False, id="gap between deployed and target"
        ),
        pytest.param(
            "v1.55.1",
            [rel("1.52.0", D), rel("1.53.2", P), rel("1.54.1", P), rel("1.55.1", P)],
            True,
            id="full continuous chain",
        ),
        pytest.param(
            "v1.55.1",
            [rel("1.52.0", D), rel("1.55.1", P, ("1.52", "1.55"))],
            True,
            id="gap bridged by target from-to rule",
        ),
        pytest.param(
            "v1.55.1",
            [rel("1.52.0", D), rel("1.55.1", P, ("1.53", "1.55"))],
            False,
            id="from-to window does not cover deployed - not bridged",
        ),
        pytest.param(
            "v1.55.1",
            [rel("1.52.0", D), rel("1.55.1", P, ("1.40", "2.0"))],
            False,
            id="from-to to overshoots release minor - not bridged",
        ),
        pytest.param(
            "v1.55.1",
            [rel("1.52.0", D), rel("1.53.2", P), rel("1.55.1", P)],
            False,
            id="one intermediate minor missing",
        ),
        pytest.param(
            "v1.55.1",
            [rel("1.52.0", D), rel("1.53.2", P), rel("1.54.1", P)],
            False,
            id="target release itself missing",
        ),
        pytest.param(
            "v1.55.1", [rel("1.55.1", P)], True, id="no deployed release - first install, nothing to bridge"
        ),
        pytest.param("v1.52.0", [rel("1.52.0", D)], True, id="target not ahead of deployed"),
        pytest.param(
            "v1.53.2", [rel("1.52.0", D), rel("1.53.2", P)], True, id="sequential minor step is complete"
        ),
    ],
)
def test_release_chain_complete_upstream_cases(target, releases, complete):
    assert release_chain_complete(target, releases) is complete


def test_release_chain_complete_refuses_a_target_that_is_not_a_version():
    with pytest.raises(InvalidVersionError):
        release_chain_complete("not-a-semver", [rel("1.52.0", D)])


# --- the source's decision to fetch again (release-chain-refetch: v1.77, v1.76.8) ----------------
@pytest.mark.parametrize(
    ("version", "checksum", "exists", "complete", "ensure"),
    [
        pytest.param("v1.67.0", "sha256:a", True, False, False, id="v1.67-a-gap-waits-for-the-channel"),
        pytest.param("v1.74.0", "sha256:a", True, False, False, id="v1.74-a-gap-waits-for-the-channel"),
        pytest.param("v1.75.17", "sha256:a", True, False, False, id="v1.75-a-gap-waits-for-the-channel"),
        pytest.param("v1.76.7", "sha256:a", True, False, False, id="v1.76.7-a-gap-waits-for-the-channel"),
        pytest.param("v1.76.8", "sha256:a", True, False, True, id="v1.76.8-a-gap-is-fetched-again"),
        pytest.param("v1.77.0", "sha256:a", True, False, True, id="v1.77-a-gap-is-fetched-again"),
        pytest.param("latest", "sha256:a", True, False, True, id="latest-a-gap-is-fetched-again"),
        pytest.param("latest", "sha256:a", True, True, False, id="latest-a-complete-chain-is-left-alone"),
        pytest.param("v1.67.0", "sha256:b", True, True, True, id="v1.67-a-moved-channel-is-fetched"),
        pytest.param("latest", "sha256:a", False, True, True, id="latest-a-missing-release-is-fetched"),
    ],
)
def test_the_source_fetches_again_for_a_gap_from_v1_77_and_v1_76_8(
    version, checksum, exists, complete, ensure
):
    facts = EnsureFacts(
        source="example",
        module_source="example",
        available_sources=("example",),
        enabled_by_config="True",
        entry_checksum="sha256:a",
        channel_checksum=checksum,
        release_exists=exists,
        chain_complete=complete,
    )
    assert need_to_ensure(facts, eras.behaviours_for(version)).ensure is ensure
