"""Release-fetcher plans (§5.2 Variant A), named after the upstream cases they echo."""

from __future__ import annotations

import pytest

from harness.dkp.rules.stepbystep import (
    ExistingRelease,
    PrereleaseNotSupportedError,
    StepByStepError,
    plan_releases,
)
from harness.dkp.rules.versions import parse_version

D, P, S = "Deployed", "Pending", "Superseded"


def existing(*rows: tuple[str, str]) -> list[ExistingRelease]:
    return [ExistingRelease(parse_version(version), phase) for version, phase in rows]


def tags(*versions: str) -> list[str]:
    return [f"v{v}" for v in versions]


def plan(target, rows=(), registry=(), **kwargs):
    result = plan_releases(target=target, existing=existing(*rows), tags=list(registry), **kwargs)
    return [(str(r.version), r.reason) for r in result.releases], result


@pytest.mark.parametrize(
    ("target", "rows", "registry", "channel", "expected"),
    [
        pytest.param(
            "1.2.3", (), (), "", [("1.2.3", "no releases in cluster")], id="first-release-from-channel"
        ),
        pytest.param(
            "1.9.0",
            [("1.0.0", D)],
            (),
            "Lts",
            [("1.9.0", "LTS channel - direct release")],
            id="module-lts-channel-jump",
        ),
        pytest.param(
            "1.1.0", [("1.0.0", D)], (), "", [("1.1.0", "from deployed")], id="next-minor-from-deployed"
        ),
        pytest.param("1.0.5", [("1.0.0", D)], (), "", [("1.0.5", "from deployed")], id="patch-from-deployed"),
        pytest.param(
            "2.0.0", [("1.9.0", D)], (), "", [("2.0.0", "from deployed")], id="next-major-from-deployed"
        ),
        pytest.param(
            "1.5.3",
            [("1.2.0", D), ("1.3.0", P), ("1.4.0", P)],
            (),
            "",
            [("1.5.3", "from last release in cluster")],
            id="sequential-cluster-continues-from-its-last-release",
        ),
        pytest.param(
            "1.2.0",
            [("0.9.0", S), ("1.0.0", D), ("1.1.0", P)],
            (),
            "",
            [("1.2.0", "from last release in cluster")],
            id="releases-below-the-deployed-are-ignored",
        ),
        pytest.param(
            "1.7.1",
            [("1.5.2", D)],
            tags("1.5.2", "1.5.3", "1.6.0", "1.6.2", "1.7.0", "1.7.1", "1.7.4", "1.8.0"),
            "",
            [("1.6.2", "step-by-step"), ("1.7.1", "step-by-step")],
            id="existing-module-releases-with-listing-registry",
        ),
        pytest.param(
            "1.68.5",
            [("1.66.3", D)],
            tags("1.66.5", "1.67.5", "1.67.11", "1.68.1", "1.68.3", "1.68.5"),
            "",
            [("1.67.11", "step-by-step"), ("1.68.5", "step-by-step")],
            id="one-release-per-minor-highest-patch",
        ),
        pytest.param(
            "1.68.3",
            [("1.66.3", D)],
            tags("1.67.1", "1.68.5"),
            "",
            [("1.67.1", "step-by-step"), ("1.68.3", "step-by-step")],
            id="the-last-step-is-clamped-to-the-channel-version",
        ),
        pytest.param(
            "1.5.0",
            [("1.0.0", D), ("1.1.0", P)],
            tags("1.1.0", "1.2.0", "1.3.0", "1.3.1", "1.4.0", "1.5.0"),
            "",
            [
                ("1.2.0", "step-by-step"),
                ("1.3.1", "step-by-step"),
                ("1.4.0", "step-by-step"),
                ("1.5.0", "step-by-step"),
            ],
            id="steps-start-from-the-last-release-of-a-sequential-cluster",
        ),
        pytest.param(
            "1.3.0",
            [("1.0.0", P)],
            tags("1.1.0", "1.2.0", "1.3.0"),
            "",
            [("1.1.0", "step-by-step"), ("1.2.0", "step-by-step"), ("1.3.0", "step-by-step")],
            id="nothing-deployed-steps-from-the-lowest-release",
        ),
        pytest.param(
            "1.5.0",
            [("1.0.0", D), ("1.3.0", P)],
            tags("1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0"),
            "",
            [(f"1.{m}.0", "step-by-step") for m in range(1, 6)],
            id="a-broken-cluster-chain-steps-from-the-deployed",
        ),
    ],
)
def test_release_plans(target, rows, registry, channel, expected):
    releases, _ = plan(target, rows, registry, channel=channel)
    assert releases == expected


def test_only_the_very_first_release_is_applied_now():
    first = plan_releases(target="1.0.0", existing=[], tags=[]).releases
    assert [r.apply_now for r in first] == [True]
    later = plan_releases(target="1.1.0", existing=existing(("1.0.0", P))).releases
    steps = plan_releases(
        target="1.3.0", existing=existing(("1.0.0", D)), tags=tags("1.1.0", "1.2.0", "1.3.0")
    ).releases
    assert [r.apply_now for r in (*later, *steps)] == [False] * 4


def test_change_cause_annotation_text():
    (release,) = plan_releases(target="1.0.0", existing=[]).releases
    assert release.change_cause == "check release (no releases in cluster)"


def test_missing_intermediates_are_created_and_reported():
    releases, result = plan("1.4.0", [("1.0.0", D)], tags("1.0.0", "1.2.0", "1.4.0"))
    assert releases == [("1.2.0", "step-by-step"), ("1.4.0", "step-by-step")]
    assert result.error == (
        "step by step update failed: not sequential version: prev 'v1.0.0' next 'v1.2.0'\n"
        "not sequential version: prev 'v1.2.0' next 'v1.4.0'"
    )


def test_from_to_on_the_target_tolerates_a_gap():
    _, result = plan("1.4.0", [("1.0.0", D)], tags("1.2.0", "1.4.0"), target_update_versions=[("1.0", "1.4")])
    assert result.error == ""


def test_a_sequential_chain_reports_no_error():
    _, result = plan("1.3.0", [("1.0.0", D)], tags("1.1.0", "1.2.0", "1.3.0"))
    assert result.error == ""


@pytest.mark.parametrize(
    ("registry", "message"),
    [
        pytest.param(
            ["latest", "v1.2", "1.3.0"], "get new versions: no matched tags in registry", id="no-version-tags"
        ),
        pytest.param(
            tags("0.1.0", "2.0.0"),
            "get new versions: no acceptable for step by step update tags in registry",
            id="no-tag-between-start-and-target",
        ),
    ],
)
def test_step_by_step_errors(registry, message):
    with pytest.raises(StepByStepError) as caught:
        plan_releases(target="1.3.0", existing=existing(("1.0.0", D)), tags=registry)
    assert str(caught.value) == message


def test_prerelease_channel_versions_are_refused():
    with pytest.raises(PrereleaseNotSupportedError) as caught:
        plan_releases(target="v1.3.0-rc.1", existing=[])
    assert str(caught.value) == "pre-release versions are not supported: v1.3.0-rc.1"
