"""A ``matches:`` field the kind's schema does not have is a typo, named with the nearest field."""

from __future__ import annotations

from harness.steps.schema_fields import unknown_fields

pytest_plugins = ["pytester"]

SCHEMA = {
    "type": "object",
    "properties": {
        "apiVersion": {"type": "string"},
        "spec": {
            "type": "object",
            "properties": {
                "registry": {
                    "type": "object",
                    "properties": {"repo": {"type": "string"}, "scheme": {"type": "string"}},
                }
            },
        },
        "status": {
            "type": "object",
            "properties": {
                "phase": {"type": "string"},
                "conditions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"type": {"type": "string"}, "status": {"type": "string"}},
                    },
                },
                "modules": {
                    "type": "array",
                    "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                },
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    },
}


def test_known_fields_metadata_and_open_objects_pass():
    expected = {
        "metadata": {"annotations": {"anything": "x"}},
        "spec": {"registry": {"repo": "r"}},
        "status": {
            "phase": "Active",
            "conditions": [{"type": "Ready", "status": "True"}],
            "modules": [{"whatever": 1}],
            "labels": {"free": "form"},
        },
    }
    assert unknown_fields(expected, SCHEMA) == []


def test_a_misspelt_field_is_named_with_its_path_and_the_nearest_field():
    mistakes = unknown_fields({"staus": {"phase": "A"}, "spec": {"registry": {"repoo": "r"}}}, SCHEMA)
    assert [m.path for m in mistakes] == ["staus", "spec.registry.repoo"]
    assert "did you mean 'status'?" in str(mistakes[0])
    assert "did you mean 'repo'? the fields there: repo, scheme" in str(mistakes[1])


def test_a_misspelt_field_inside_a_list_item_is_found():
    [mistake] = unknown_fields({"status": {"conditions": [{"type": "Ready", "stauts": "True"}]}}, SCHEMA)
    assert mistake.path == "status.conditions.stauts" and "did you mean 'status'?" in str(mistake)


TYPO = """\
Feature: a typo in a check
  Scenario: The check misspells status
    Given the cluster has the objects of "features/sources/example-source.yaml"
    Then the ModuleSource "example" matches:
      \"\"\"
      staus:
        phase: Active
      \"\"\"
"""


def test_a_typo_in_a_match_is_a_scenario_error_read_from_the_served_crd(feature_project, pytester):
    feature_project("typo", TYPO)  # the YAML file is read from the project root
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*ScenarioError: the YAML to match names fields a ModuleSource does not have: staus is not a field*"]
    )
    assert "did you mean 'status'?" in result.stdout.str()
