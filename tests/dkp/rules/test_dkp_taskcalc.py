"""Task calculator rows, written as "releases in the cluster" → verdict for the marked one.

Each row is a list of ``(version, phase[, message][, flags])`` and the index of the release under
calculation; phases use the ModuleRelease spelling.
"""

from __future__ import annotations

import pytest

from harness.dkp.rules.taskcalc import (
    ReleaseAlreadyDeployedError,
    ReleaseNotPendingError,
    ReleaseView,
    TaskKind,
    calculate_task,
)

P, D, S, K = "Pending", "Deployed", "Superseded", "Skipped"
SKIP, AWAIT, PROCESS = TaskKind.SKIP, TaskKind.AWAIT, TaskKind.PROCESS


def rel(version: str, phase: str, message: str = "", *, force: bool = False, spans=()) -> ReleaseView:
    return ReleaseView.of(f"m-{version}", version, phase, message, force=force, update_versions=spans)


def decide(releases: list[ReleaseView], index: int, **kwargs):
    return calculate_task(releases[index], releases, **kwargs)


@pytest.mark.parametrize(
    ("releases", "index", "kind", "message"),
    [
        # §5.5 rule 1
        pytest.param([rel("1.0.0", P)], 0, PROCESS, "", id="the-only-release-is-processed"),
        # §5.5 rule 2
        pytest.param(
            [rel("1.0.0", D), rel("1.1.0", P), rel("1.2.0", P, force=True)],
            1,
            SKIP,
            "",
            id="a-higher-forced-release-skips",
        ),
        pytest.param(
            [rel("1.0.0", D), rel("1.1.0", P, force=True), rel("1.2.0", P)],
            2,
            AWAIT,
            "awaiting for v1.1.0 release to be deployed",
            id="a-lower-forced-release-does-not-skip",
        ),
        # §5.5 rule 3
        pytest.param([rel("1.0.0", P), rel("1.1.0", D)], 0, SKIP, "", id="below-the-deployed-is-skipped"),
        pytest.param(
            [rel("1.0.0", S), rel("1.1.0", D), rel("1.2.0", D), rel("1.1.5", P)],
            3,
            PROCESS,
            "",
            id="the-lowest-deployed-counts",
        ),
        # §5.5 rule 5
        pytest.param(
            [rel("1.0.0", D), rel("1.1.0", P), rel("1.2.0", P)],
            2,
            AWAIT,
            "awaiting for v1.1.0 release to be deployed",
            id="a-pending-predecessor-makes-a-minor-wait",
        ),
        pytest.param(
            [rel("1.0.0", D), rel("v1.1.0", P, "awaiting for module v1.0.0 to be ready"), rel("1.2.0", P)],
            2,
            AWAIT,
            "awaiting for module v1.0.0 to be ready",
            id="a-predecessor-awaiting-message-is-passed-on",
        ),
        pytest.param(
            [rel("1.0.0", D), rel("1.1.0", P, "Release is waiting for the update window"), rel("1.2.0", P)],
            2,
            AWAIT,
            "awaiting for v1.1.0 release to be deployed",
            id="a-predecessor-other-message-is-replaced",
        ),
        pytest.param(
            [rel("1.0.0", D), rel("1.0.1", P), rel("1.0.2", P)],
            2,
            PROCESS,
            "",
            id="a-patch-never-waits-for-a-pending-patch",
        ),
        pytest.param(
            [rel("1.0.0", D), rel("1.0.1", P), rel("1.0.2", P)], 1, SKIP, "", id="a-lower-patch-is-skipped"
        ),
        pytest.param(
            [rel("1.0.0", D), rel("1.2.0", P)],
            1,
            AWAIT,
            "minor version is greater than deployed 1.0.0 by one",
            id="a-minor-jump-of-two-waits",
        ),
        pytest.param(
            [rel("v1.0.0", D), rel("1.2.0", P)],
            1,
            AWAIT,
            "minor version is greater than deployed v1.0.0 by one",
            id="the-message-prints-the-version-as-written",
        ),
        pytest.param(
            [rel("1.0.0", D), rel("1.1.0", P)], 1, PROCESS, "", id="a-minor-jump-of-one-is-processed"
        ),
        pytest.param(
            [rel("1.0.0", D), rel("2.0.0", P)],
            1,
            AWAIT,
            "major version is greater than deployed 1.0.0",
            id="a-major-jump-waits",
        ),
        pytest.param([rel("0.9.0", D), rel("1.0.0", P)], 1, PROCESS, "", id="zero-to-one-major-is-allowed"),
        pytest.param(
            [rel("1.5.0", D), rel("2.0.0", S), rel("2.0.1", P)],
            2,
            AWAIT,
            "minor version is greater than deployed 2.0.0 by one",
            id="go-uint-wraparound-makes-a-minor-zero-wait",
        ),
        # §5.5 rule 6 and 7
        pytest.param(
            [rel("1.0.0", D), rel("1.1.0", P), rel("1.1.1", P)],
            1,
            SKIP,
            "",
            id="a-higher-patch-of-the-minor-skips",
        ),
        pytest.param(
            [rel("1.0.0", D), rel("1.1.1", P), rel("1.2.0", P)],
            1,
            PROCESS,
            "",
            id="the-top-patch-of-a-minor-is-processed",
        ),
        pytest.param([rel("1.0.0", D), rel("1.0.1", P)], 1, PROCESS, "", id="the-latest-patch-is-processed"),
        pytest.param(
            [rel("1.0.0", P), rel("1.1.0", P)], 0, PROCESS, "", id="nothing-deployed-the-lowest-goes-first"
        ),
        pytest.param(
            [rel("1.0.0", P), rel("1.1.0", P)],
            1,
            AWAIT,
            "awaiting for v1.0.0 release to be deployed",
            id="nothing-deployed-the-next-waits",
        ),
    ],
)
def test_task_calculator_rules(releases, index, kind, message):
    task = decide(releases, index)
    assert (task.kind, task.message) == (kind, message)


@pytest.mark.parametrize(
    ("releases", "index", "is_patch"),
    [
        pytest.param([rel("1.0.0", D), rel("1.0.1", P)], 1, True, id="patch-of-deployed-and-previous"),
        pytest.param([rel("1.0.0", D), rel("1.1.0", P)], 1, False, id="minor-is-not-a-patch"),
        pytest.param(
            [rel("1.0.0", D), rel("1.1.0", K), rel("1.1.1", P)],
            2,
            False,
            id="patch-of-previous-but-not-of-deployed",
        ),
    ],
)
def test_patch_flag_drives_the_deploy_time_checks(releases, index, is_patch):
    assert decide(releases, index).is_patch is is_patch


@pytest.mark.parametrize(
    ("releases", "index", "is_patch"),
    [
        pytest.param(
            [rel("1.0.0", S), rel("1.0.3", S), rel("1.1.0", P)], 2, False, id="minor-over-superseded-only"
        ),
        pytest.param(
            [rel("1.0.0", S), rel("1.0.3", S), rel("1.0.4", P)], 2, True, id="patch-over-superseded-only"
        ),
        pytest.param(
            [rel("1.0.0", K), rel("1.1.0", P)], 1, False, id="minor-whose-only-lower-release-is-skipped"
        ),
    ],
)
def test_without_a_deployed_release_the_lower_neighbour_classifies(releases, index, is_patch):
    """The regression cases of PR #21909 (task_calculator_test.go): with no Deployed release and
    every lower one Superseded or Skipped, a minor is not a patch (it would skip the minor's
    approval and update-window rules). The immediate lower neighbour classifies, whatever its
    phase, as in the stored calculator (439292eb); docs/dkp-eras.md, "What the simulator leaves out"."""
    assert decide(releases, index).is_patch is is_patch


def test_single_release_is_flagged_single():
    task = decide([rel("1.0.0", P)], 0)
    assert task.is_single and not task.is_patch and task.deployed is None


def test_process_names_the_release_to_supersede():
    releases = [rel("1.0.0", S), rel("1.1.0", D), rel("1.2.0", P)]
    assert decide(releases, 2).deployed == releases[1]


LTS_ROWS = [rel("1.0.0", D), rel("1.5.0", P)]


def test_lts_channel_allows_minor_jumps():
    assert decide(LTS_ROWS, 1, release_channel="LTS").kind is PROCESS
    assert decide(LTS_ROWS, 1, release_channel="lts").kind is PROCESS
    assert decide(LTS_ROWS, 1, release_channel="Stable").kind is AWAIT


def test_lts_limit_of_ten_minors_applies_only_when_asked():
    releases = [rel("1.0.0", D), rel("1.11.0", P)]
    assert decide(releases, 1, release_channel="Lts").kind is PROCESS
    task = decide(releases, 1, release_channel="Lts", lts_minor_limit=True)
    assert (task.kind, task.message) == (
        AWAIT,
        "minor version is greater than deployed 1.0.0 by 11, it's more than acceptable channel limitation",
    )


# --- from-to (§5.5 rule 4) ---------------------------------------------------------------------
SPAN = (("1.67", "1.70"),)


@pytest.mark.parametrize(
    ("releases", "index", "kind", "is_from_to"),
    [
        pytest.param(
            [rel("1.67.5", D), rel("1.68.0", P), rel("1.69.0", P), rel("1.70.0", P, spans=SPAN)],
            3,
            PROCESS,
            True,
            id="the-endpoint-jumps-over-pending-intermediates",
        ),
        pytest.param(
            [rel("1.67.5", D), rel("1.68.0", P), rel("1.69.0", P), rel("1.70.0", P, spans=SPAN)],
            1,
            PROCESS,
            False,
            id="an-intermediate-is-not-skipped-directly",
        ),
        pytest.param(
            [rel("1.67.5", D), rel("1.68.0", P), rel("1.70.0", P, spans=SPAN), rel("1.70.3", P)],
            3,
            PROCESS,
            True,
            id="the-endpoint-is-the-highest-patch-of-the-to-minor",
        ),
        pytest.param(
            [rel("1.67.5", D), rel("1.68.0", P), rel("1.70.0", P, spans=SPAN), rel("1.70.3", P)],
            2,
            AWAIT,
            False,
            id="a-lower-patch-of-the-endpoint-minor-waits-like-any-intermediate",
        ),
        pytest.param(
            [rel("1.66.0", D), rel("1.68.0", P), rel("1.70.0", P, spans=SPAN)],
            2,
            AWAIT,
            False,
            id="deployed-below-from-ignores-the-span",
        ),
        pytest.param(
            [rel("1.67.0", D), rel("1.68.0", P), rel("1.71.0", P, spans=SPAN)],
            2,
            AWAIT,
            False,
            id="a-span-on-a-release-of-another-minor-is-ignored",
        ),
        pytest.param(
            [rel("1.67.0", D), rel("1.70.0", K, spans=SPAN), rel("1.71.0", P)],
            2,
            PROCESS,
            False,
            id="only-pending-carriers-count",
        ),
        pytest.param(
            [rel("1.67.0", D), rel("1.70.0", P, spans=(("bad", "1.70"),))],
            1,
            AWAIT,
            False,
            id="an-unparsable-from-is-ignored",
        ),
        pytest.param(
            [
                rel("1.67.0", D),
                rel("1.69.0", P, spans=(("1.67", "1.69"),)),
                rel("1.72.0", P, spans=(("1.67", "1.72"),)),
            ],
            2,
            PROCESS,
            True,
            id="the-highest-endpoint-wins",
        ),
    ],
)
def test_from_to_endpoints(releases, index, kind, is_from_to):
    task = decide(releases, index)
    assert (task.kind, task.is_from_to) == (kind, is_from_to)


def test_intermediates_become_skipped_once_the_endpoint_is_deployed():
    releases = [rel("1.67.5", S), rel("1.68.0", P), rel("1.69.0", P), rel("1.70.0", D, spans=SPAN)]
    assert [decide(releases, i).kind for i in (1, 2)] == [SKIP, SKIP]


def test_a_release_equal_to_the_deployed_is_an_error():
    releases = [rel("1.0.0", D), rel("1.0.0", P)]
    with pytest.raises(ReleaseAlreadyDeployedError, match="release is already deployed"):
        calculate_task(releases[1], releases)


def test_only_pending_releases_are_calculated():
    with pytest.raises(ReleaseNotPendingError, match="not Pending"):
        calculate_task(rel("1.0.0", D), [rel("1.0.0", D), rel("1.1.0", P)])


def test_the_release_must_be_among_the_releases():
    with pytest.raises(ValueError, match="pass every ModuleRelease"):
        calculate_task(rel("1.3.0", P), [rel("1.0.0", D), rel("1.1.0", P)])
