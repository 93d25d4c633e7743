"""A Module held in Downloading says what holds it, not "let 15 seconds pass".

A QA author published their module with a settings schema, enabled it with settings the schema
refuses, let a minute pass and checked Ready: the Module was still Downloading (its release
Suspended by the settings check) and the message advised `When 15 seconds pass`, as for a check
made too early. It now names the module's releases with their phases and messages.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.project_layout import copy_project_layout

pytest_plugins = ["pytester"]


FEATURE = """\
Feature: My module

  @claim:EN-04
  Scenario: my-module with settings its schema refuses
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module    | version | channels | settings schema                                         |
      | my-module | v1.0.0  | stable   | {type: object, properties: {replicas: {type: integer}}} |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And 3 minutes pass
    When I apply:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: my-module
      spec:
        enabled: true
        version: 1
        settings:
          replicas: two
      \"\"\"
    And {wait} pass
    Then the Module "my-module" is in phase "Ready"
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    return copy_project_layout(pytester)


def _failure(project: pytest.Pytester, wait: str) -> str:
    (project.path / "features" / "mine.feature").write_text(textwrap.dedent(FEATURE.replace("{wait}", wait)))
    result = project.runpytest("scenarios")
    result.assert_outcomes(failed=1)
    return result.stdout.str()


def test_a_module_held_by_its_release_names_the_release_and_its_message(project):
    out = _failure(project, "2 minutes")
    assert "Downloading for 2m of virtual time, far longer than the phase lasts" in out
    assert 'my-module-v1.0.0 is Suspended ("validation failed: myModule.replicas' in out
    assert "When 15 seconds pass" not in out


def test_a_check_made_too_early_still_says_to_let_time_pass(project):
    out = _failure(project, "0 seconds")
    assert "When 15 seconds pass" in out
    assert "its ModuleReleases" not in out
