"""``Given the cluster has:`` starts a scenario from objects as written, status included.

DKP's own controller tests hand their fake client objects with a status (a release already
Deployed, a Module Ready) and run the controller on them; a scenario derived from such a test
must be able to do the same. ``When I apply:`` writes what a user writes, so a status there is
refused instead of silently dropped, and a live cluster, whose controllers would rewrite a
seeded status at once, skips the scenario with the reason.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from harness.steps.errors import ScenarioError

pytest_plugins = ["pytester"]

SEEDED = '''\
Feature: a scenario that starts from a deployed release
  Scenario: The seeded release is superseded by the next one, as in DKP's sequential-processing test
    Given the registry has the modules:
      | module     | version |
      | module-one | v1.70.0 |
      | module-one | v1.71.0 |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: example
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: example-auto
      spec:
        releaseChannel: Stable
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: module-one
      properties:
        source: example
      status:
        phase: Ready
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: module-one-v1.70.0
        creationTimestamp: null
        resourceVersion: "1000"
        labels:
          module: module-one
          source: example
          modules.deckhouse.io/update-policy: example-auto
      spec:
        moduleName: module-one
        version: 1.70.0
      status:
        phase: Deployed
        transitionTime: "2024-05-03T20:55:49Z"
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: module-one-v1.71.0
        labels:
          module: module-one
          source: example
          modules.deckhouse.io/update-policy: example-auto
      spec:
        moduleName: module-one
        version: 1.71.0
      status:
        phase: Pending
      """
    Then the releases of module "module-one" are:
      | name               | phase      | message |
      | module-one-v1.70.0 | Superseded |         |
      | module-one-v1.71.0 | Deployed   |         |
    And the ModuleRelease "module-one-v1.70.0" went through Deployed, Superseded
    And the Module "module-one" is in phase "Ready"
'''


def test_a_seeded_deployed_release_is_superseded_by_the_pending_one(feature_project, pytester):
    """The release carries the server-set fields DKP's test files write (``resourceVersion:
    "1000"``): the seed leaves them to the API server, which refuses a create carrying one."""
    feature_project("seeded", SEEDED)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


APPLIED = '''\
Feature: a status in an apply
  Scenario: A release applied with a status
    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: module-one-v1.70.0
      spec:
        moduleName: module-one
        version: 1.70.0
      status:
        phase: Deployed
      """
'''


def test_a_status_in_an_apply_is_the_scenarios_mistake_and_says_where_it_belongs(feature_project, pytester):
    feature_project("applied", APPLIED)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*ScenarioError: the ModuleRelease 'module-one-v1.70.0' in the YAML has a status, which an "
            "apply never writes*write the object in `Given the cluster has:`*"
        ]
    )


class _NoWrites:
    def __getattr__(self, name):
        raise AssertionError(f"the step wrote to the cluster ({name}) before refusing")


RELEASE = {
    "apiVersion": "deckhouse.io/v1alpha1",
    "kind": "ModuleRelease",
    "metadata": {"name": "module-one-v1.70.0"},
    "spec": {"moduleName": "module-one", "version": "1.70.0"},
    "status": {"phase": "Deployed"},
}


def _world(time: object | None) -> SimpleNamespace:
    target = SimpleNamespace(time=time, shared=False, before_write=lambda: pytest.fail("wrote"))
    return SimpleNamespace(target=target, client=_NoWrites(), skip=pytest.skip)


def test_a_live_cluster_skips_a_seeded_status_with_the_reason_before_writing():
    from harness.steps.library.objects import apply_documents

    with pytest.raises(pytest.skip.Exception) as skipped:
        apply_documents(_world(time=None), [RELEASE], seed_status=True)  # type: ignore[arg-type]
    assert str(skipped.value).startswith("needs virtual time: seeds the status of the ModuleRelease")
    assert "DKP's controllers own status" in str(skipped.value)


def test_an_apply_refuses_a_status_before_writing_anything():
    from harness.steps.library.objects import apply_documents

    plain = {**RELEASE, "metadata": {"name": "other"}, "status": None}
    with pytest.raises(ScenarioError, match="has a status, which an apply never writes"):
        apply_documents(_world(time=object()), [plain, RELEASE])  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [None, {}, "Deployed"])
def test_an_empty_or_non_mapping_status_is_no_status(status):
    from harness.steps.library.objects import _status_of

    assert _status_of({**RELEASE, "status": status}) == {}


@pytest.mark.parametrize(
    ("stored", "wanted", "holds"),
    [
        ({"phase": "Deployed", "message": ""}, {"phase": "Deployed"}, True),
        ({"phase": "Pending"}, {"phase": "Deployed"}, False),
        (None, {"phase": "Deployed"}, False),
        ({"phase": "Deployed", "message": "x"}, {"message": None}, False),
        ({"phase": "Deployed"}, {"message": None}, True),
        ({"conditions": [{"type": "A"}]}, {"conditions": [{"type": "A"}]}, True),
    ],
)
def test_a_status_already_held_is_not_written_again(stored, wanted, holds):
    from harness.steps.library.objects import _holds

    assert _holds(stored, wanted) is holds


def test_a_seeded_number_where_the_schema_wants_text_is_taken_as_gos_yaml_decoding_takes_it():
    """DKP's test files write `from: 1.67`, `to: 1.70` (YAML numbers) where the CRD wants text; the
    API server refuses the number, their Go decoding (sigs.k8s.io/yaml) makes it text from its
    value: "1.67" and "1.7", as upstream's golden from-to-sequential shows. Anything the schema
    does not call text stays as it is."""
    from harness.steps.documents import parse_documents
    from harness.steps.library.objects import _as_text

    text = (
        "kind: ModuleRelease\nspec:\n  weight: 900\n  version: 1.70\n"
        "  update:\n    versions:\n    - {from: 1.67, to: 1.70}\n"
    )
    schema = {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {
                    "weight": {"type": "integer"},
                    "version": {"type": "string"},
                    "update": {
                        "type": "object",
                        "properties": {
                            "versions": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {"from": {"type": "string"}, "to": {"type": "string"}},
                                },
                            }
                        },
                    },
                },
            }
        },
    }
    [document] = parse_documents(text)
    taken = _as_text(document, schema)
    assert taken["spec"] == {
        "weight": 900,
        "version": "1.7",
        "update": {"versions": [{"from": "1.67", "to": "1.7"}]},
    }
