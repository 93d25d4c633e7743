"""The run's Deckhouse version: pytest options, era tags that skip with a reason, and the steps."""

from __future__ import annotations

import pytest

from harness import eras

pytest_plugins = ["pytester"]

CONFTEST = """
from pytest_bdd import parsers, then

pytest_plugins = ["harness.steps.plugin"]


@then(parsers.parse('the cluster options are {field} "{value}"'))
def options_are(world, field, value):
    assert str(getattr(world.options, field)) == value
    assert not world.started
"""

FEATURE = """Feature: eras
  @deckhouse-since:v1.75.0
  Scenario: today only
    Given the cluster runs the SE+ edition
    Then the cluster options are edition "se-plus"

  @deckhouse-before:v1.75.0
  Scenario: page era only
    Given the cluster runs Deckhouse latest
    Then the cluster options are deckhouse_version "{latest}"

  Scenario: any era
    Given the cluster runs the managed bundle
    Then the cluster options are bundle "Managed"
    And the cluster options are deckhouse_version "{run}"
"""


def _project(pytester: pytest.Pytester, run: str, feature: str = FEATURE) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nbdd_features_base_dir = features/\n")
    features = pytester.mkdir("features")
    (features / "eras.feature").write_text(
        feature.replace("{latest}", str(eras.LATEST)).replace("{run}", run)
    )
    pytester.makepyfile(test_eras='from pytest_bdd import scenarios\nscenarios("eras.feature")\n')
    return pytester


def test_the_page_era_runs_untagged_and_before_scenarios_and_says_why_it_skips(pytester):
    result = _project(pytester, "None").runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "*clusters run Deckhouse v1.67.0 (the documentation page*era), edition ee, bundle Default",
            "*checks Deckhouse v1.75.0 and later; this run checks v1.67.0"
            " (dkp-harness run --deckhouse-version, pytest --dkp-deckhouse-version)*",
        ]
    )


def test_latest_runs_today_scenarios_and_skips_the_page_era_ones(pytester):
    result = _project(pytester, str(eras.LATEST)).runpytest(
        "-p", "no:randomly", "-p", "no:cacheprovider", "-rs", "--dkp-deckhouse-version", "latest"
    )
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(
        [
            f"dkp-harness: clusters run Deckhouse {eras.LATEST} (today's controllers)*",
            f"*checks Deckhouse before v1.75.0; this run checks {eras.LATEST}*",
        ]
    )


def test_a_bad_version_option_is_a_usage_error_naming_the_accepted_forms(pytester):
    result = _project(pytester, "None").runpytest("-p", "no:cacheprovider", "--dkp-deckhouse-version", "1.x")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*argument --dkp-deckhouse-version: Deckhouse version '1.x' is not understood: use vMAJOR.MINOR*"]
    )


def test_a_bad_version_in_a_tag_errors_its_scenario_only_naming_file_line_and_tag(pytester):
    """Every feature file is collected in every run: one bad tag must not stop the others."""
    feature = (
        "Feature: f\n  @deckhouse-since:soon\n  Scenario: s\n    Given the cluster runs Deckhouse v1.75\n\n"
        "  Scenario: t\n    Given the cluster runs Deckhouse v1.75\n"
    )
    result = _project(pytester, "None", feature).runpytest(
        "-p", "no:cacheprovider", "-p", "harness.report.plugin"
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["features/eras.feature:2: tag @deckhouse-since:soon: Deckhouse version 'soon' is not understood*"]
    )


def test_an_edition_step_after_the_cluster_started_says_to_move_it(pytester):
    from harness.steps.library.platform import runs_edition
    from harness.steps.world import ScenarioError, World

    world = World(
        factory=lambda options: pytest.fail("must not start"), evidence=None, cache_dir=pytester.path
    )  # type: ignore[arg-type]
    world._target = object()  # type: ignore[assignment]
    with pytest.raises(ScenarioError, match="before the first step that uses the cluster"):
        runs_edition(world, "ce")


class _Config:
    """What run_version reads of a pytest config: the version option and the run's target."""

    def __init__(self, option: str | None, target: dict[str, str] | None) -> None:
        from harness.report.run_target import RUN_TARGET_KEY

        self.option, self.stash = option, pytest.Stash()
        if target is not None:
            self.stash[RUN_TARGET_KEY] = target

    def getoption(self, name: str) -> str | None:
        assert name == "--dkp-deckhouse-version"
        return self.option


@pytest.mark.parametrize(
    ("option", "target", "expected"),
    [
        (None, {"kind": "kubeconfig", "deckhouse_version": "v1.78.0"}, "v1.78.0"),  # the cluster's own
        ("v1.75.0", {"kind": "kubeconfig", "deckhouse_version": "v1.78.0"}, "v1.75.0"),  # named by the run
        (None, {"kind": "kubeconfig", "deckhouse_version": ""}, "v1.67.0"),  # unreadable: the page's era
        (None, {"kind": "simulator", "deckhouse_version": "v1.70.0"}, "v1.67.0"),  # the option decides
        (None, None, "v1.67.0"),
    ],
)
def test_a_real_clusters_era_tags_are_judged_against_the_version_it_runs(option, target, expected):
    """Against a v1.78 cluster, era tags were judged against the page's era (v1.67): the
    scenarios of today's Deckhouse were skipped and the page era's ran."""
    from harness.steps.eras_plugin import run_version

    assert str(run_version(_Config(option, target))) == expected  # type: ignore[arg-type]


def test_the_embedded_step_collects_the_modules_the_build_ships(pytester):
    from harness.steps.library.platform import ships_embedded
    from harness.steps.world import World

    world = World(
        factory=lambda options: pytest.fail("must not start"), evidence=None, cache_dir=pytester.path
    )  # type: ignore[arg-type]
    ships_embedded(world, "parca")
    ships_embedded(world, "echo")
    assert world.options.embedded_modules == frozenset({"parca", "echo"})


def test_the_embedded_step_after_the_cluster_started_says_to_move_it(pytester):
    from harness.steps.library.platform import ships_embedded
    from harness.steps.world import ScenarioError, World

    world = World(
        factory=lambda options: pytest.fail("must not start"), evidence=None, cache_dir=pytester.path
    )  # type: ignore[arg-type]
    world._target = object()  # type: ignore[assignment]
    with pytest.raises(ScenarioError, match="before the first step that uses the cluster"):
        ships_embedded(world, "parca")
