"""The one-line checks a QA author reached for first: an annotation, a condition, an approval.

``matches:`` could check each, but a newcomer wrote ``has the annotation
modules.deckhouse.io/apply-now="true"`` and ``has the condition "IsReady" "True"`` and found no
step. Each failure says what the object has instead.
"""

from __future__ import annotations

import pytest

from tests.project_layout import copy_project_layout

pytest_plugins = ["pytester"]

SETUP = """\
Feature: checks

  @beyond-page
  Scenario: checks
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels |
      | module-one | v0.7.23 | stable   |
    And the cluster has the objects of "features/sources/example-source.yaml"
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    return copy_project_layout(pytester)


def _run(project: pytest.Pytester, steps: str, *, failed: int) -> str:
    (project.path / "features" / "mine.feature").write_text(SETUP + steps)
    result = project.runpytest("scenarios", "-p", "no:randomly")
    result.assert_outcomes(passed=1 - failed, failed=failed)
    return result.stdout.str()


def test_the_checks_hold_on_what_the_module_and_the_approved_release_carry(project):
    release = 'the ModuleRelease "module-one-v0.7.23"'
    _run(
        project,
        '    And the ModuleConfig "module-one" enables the module\n'
        "    And 15 seconds pass\n"
        f"    When I approve {release}\n"
        f'    Then {release} has the annotation modules.deckhouse.io/approved="true"\n'
        f"    And {release} has no annotation modules.deckhouse.io/force\n"
        '    And the Module "module-one" has the condition "IsReady" with status "True"\n',
        failed=0,
    )


def test_a_missing_annotation_names_the_ones_there(project):
    out = _run(
        project,
        '    Then the ModuleSource "example" has the annotation example.com/team="qa"\n',
        failed=1,
    )
    assert "ModuleSource 'example': annotation example.com/team is absent, expected \"qa\"" in out


def test_an_annotation_that_should_be_gone_shows_its_value(project):
    out = _run(
        project,
        '    When I annotate the ModuleSource "example" with example.com/team="qa"\n'
        '    Then the ModuleSource "example" has no annotation example.com/team\n',
        failed=1,
    )
    assert "ModuleSource 'example': annotation example.com/team is \"qa\", expected none" in out


def test_a_condition_with_another_status_shows_its_reason_and_message(project):
    out = _run(
        project, '    Then the Module "module-one" has the condition "IsReady" with status "True"\n', failed=1
    )
    assert (
        'Module \'module-one\': condition IsReady has status "False", expected "True" '
        '(reason "NotInstalled", message "not installed")'
    ) in out


def test_a_condition_the_object_lacks_lists_the_ones_it_has(project):
    out = _run(
        project, '    Then the Module "module-one" has the condition "IsReddy" with status "True"\n', failed=1
    )
    assert "Module 'module-one' has no condition 'IsReddy' (its conditions: EnabledByModuleConfig" in out
