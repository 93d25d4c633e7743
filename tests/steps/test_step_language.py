"""The step language reads like Gherkin: any keyword where it makes sense, singular and plural,
and the cluster's Deckhouse and Kubernetes versions set at the start or mid-scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.steps.catalogue import CATALOGUE

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]


def _kinds(text: str) -> set[str]:
    return {step.kind for step in CATALOGUE if step.parser.is_matching(text)}


@pytest.mark.parametrize(
    "line",
    [
        'the registry answers 500 for "module-one/release"',
        "the registry is down",
        "the registry comes back",
        "the API server answers 409 to the next update of a ModuleRelease",
        'the "stable" channel of module "module-one" moves to v0.8.0',
        'the "stable" channel of module "module-one" is removed from the registry',
        "the registry publishes:",
        "the cluster runs Deckhouse v1.69.0",
        "the cluster runs Kubernetes 1.31.0",
        "3 minutes pass",
        "1 minute passes",
        'the ModuleConfig "module-one" enables the module',
        "I run `kubectl get mr`",
    ],
)
def test_faults_and_state_changes_read_as_given_and_as_when(line):
    assert {"given", "when"} <= _kinds(line), f"{line!r} is defined only for {_kinds(line)}"


@pytest.mark.parametrize("line", ["1 minute passes", "1 minute pass", "2 hours pass", "an hour passes"])
def test_time_passes_in_singular_and_plural(line):
    assert "when" in _kinds(line)


def test_checks_are_then_steps_only():
    assert _kinds('the Module "module-one" is in phase "Ready"') == {"then"}


def test_a_version_that_is_not_semver_is_refused_with_the_form_to_write():
    from harness.steps.errors import ScenarioError
    from harness.steps.library.versions import _checked

    with pytest.raises(ScenarioError, match=r"write MAJOR.MINOR.PATCH, e.g. v1.69.0"):
        _checked("1.69")


FEATURE = """\
Feature: versions and faults under any keyword
  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the cluster runs Kubernetes 1.29.0
    And the registry has the modules:
      | module     | version | channels | requires deckhouse | requires kubernetes |
      | module-one | v0.1.0  | stable   | > v1.68.0          |                     |
      | module-two | v0.2.0  | stable   |                    | >= 1.30.0           |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And 3 minutes pass

  Scenario: A release waiting on the Deckhouse version deploys once the cluster runs it
    When the ModuleConfig "module-one" enables the module
    And 1 minute passes
    Then the ModuleRelease "module-one-v0.1.0" is in phase "Pending"
    And the ModuleRelease "module-one-v0.1.0" has a message containing "deckhouse version is not suitable"
    When the cluster runs Deckhouse v1.69.0
    And 15 seconds pass
    Then the ModuleRelease "module-one-v0.1.0" is in phase "Deployed"

  Scenario: A release waiting on the Kubernetes version deploys once the cluster runs it
    When the ModuleConfig "module-two" enables the module
    Then the ModuleRelease "module-two-v0.2.0" is in phase "Pending"
    And the ModuleRelease "module-two-v0.2.0" has a message containing "kubernetes version is not suitable"
    When the cluster runs Kubernetes 1.30.1
    And 15 seconds pass
    Then the ModuleRelease "module-two-v0.2.0" is in phase "Deployed"

  Scenario: A registry fault injected with When
    When the registry answers 500 for "module-one/release"
    And the ModuleConfig "module-one" enables the module
    And 3 minutes pass
    Then no ModuleRelease of module "module-one" exists
    When the registry comes back
    And 3 minutes pass
    Then the ModuleRelease "module-one-v0.1.0" is in phase "Pending"
"""


@pytest.mark.registry
def test_version_steps_and_when_faults_run_on_the_simulator(pytester, feature_project):
    feature_project("language", FEATURE)
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist")
    result.assert_outcomes(passed=3)
