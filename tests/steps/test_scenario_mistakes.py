"""A mistake in the scenario's own text is the scenario's, not DKP's: the step says what to write
instead and the report counts the scenario as "could not check"; a cluster that is not as the
scenario expects stays an unmet expectation.

Each error a step raises is classified by the report's own rule (:func:`failure_status`), on the
exception the step really raised.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from harness.kube.errors import NotFound
from harness.report.status import Status, failure_status
from harness.steps.errors import ScenarioError
from harness.steps.world import World, WorldError

pytest_plugins = ["pytester"]


class _NoWorld:
    """Any use of the world fails the test: a mistake must be refused before the cluster is touched."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the step used world.{name} before refusing the scenario's text")


def _could_not_check(call: Any, *args: Any, **kwargs: Any) -> str:
    """The message of the ScenarioError ``call(*args)`` raises; the report must count it as an error."""
    with pytest.raises(ScenarioError) as caught:
        call(*args, **kwargs)
    assert not isinstance(caught.value, AssertionError)
    assert failure_status(caught.value) is Status.ERROR
    return str(caught.value)


def test_an_unknown_kind_is_the_scenarios_mistake_and_names_the_kind_meant():
    from harness.steps.world import resource_for

    message = _could_not_check(resource_for, _NoWorld(), "Modul")
    assert "unknown kind 'Modul'" in message
    assert "did you mean 'Module'?" in message


def test_a_yaml_file_that_is_not_there_names_the_nearest_file():
    from harness.steps.library.objects import apply_file

    message = _could_not_check(apply_file, _NoWorld(), "features/sources/exmaple-source.yaml")
    assert "YAML file 'features/sources/exmaple-source.yaml' not found" in message
    assert "did you mean 'features/sources/example-source.yaml'?" in message


def test_a_document_without_a_name_is_refused_before_anything_is_written():
    from harness.steps.library.objects import apply_documents

    named = {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleConfig", "metadata": {"name": "a"}}
    nameless = {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleConfig", "metadata": {}}
    message = _could_not_check(apply_documents, _NoWorld(), [named, nameless])
    assert "the ModuleConfig in the YAML has no metadata.name" in message


def test_an_applied_field_the_kind_does_not_have_is_refused_as_kubectl_apply_refuses_it():
    """The API server alone prunes it and the scenario would test something else (a QA author's
    `sorce:` passed before); kubectl apply's strict validation refuses it."""
    import yaml

    from harness.steps.library.objects import apply_documents

    crd = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "fixtures/crds/module-config.yaml").read_text()
    )
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]

    class _ReadsTheSchemaOnly(_NoWorld):
        target = SimpleNamespace(shared=False, time=object())

        def schema_of(self, kind: str) -> dict[str, Any]:
            assert kind == "ModuleConfig"
            return schema

    document = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleConfig",
        "metadata": {"name": "module-one"},
        "spec": {"enabled": True, "sorce": "example", "settings": {"anything": {"goes": 1}}},
    }
    message = _could_not_check(apply_documents, _ReadsTheSchemaOnly(), [document])
    assert "the ModuleConfig 'module-one' in the YAML has fields its kind does not have" in message
    assert "spec.sorce is not a field of the kind (did you mean 'source'?" in message
    assert "settings" not in message.split("(did you mean")[0]  # settings are free-form: not judged


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"updatePolciy": "manual"},
            "spec.updatePolciy is not a field of the kind (did you mean 'updatePolicy'?",
        ),
        ({"enabeld": True}, "spec.enabeld is not a field of the kind (did you mean 'enabled'?"),
    ],
)
def test_a_seeded_field_spelt_like_a_real_one_is_refused_as_a_misspelling(spec, expected):
    """Seeding takes objects as written, but a near miss of a real field (a QA author's
    ``updatePolciy: manual``) was pruned and the scenario went on to fail a claim as if DKP did."""
    from harness.steps.library.objects import apply_documents

    document = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleConfig",
        "metadata": {"name": "module-one"},
        "spec": spec,
    }
    message = _could_not_check(apply_documents, _NoWorld(), [document], seed_status=True)
    assert "the ModuleConfig 'module-one' to seed has a field its kind has in no Deckhouse version" in message
    assert expected in message


def test_a_seeded_field_unlike_any_is_taken_as_written_and_a_misspelt_dkp_kind_is_named():
    from harness.steps.library.objects import apply_documents

    seen: list[str] = []

    class _Writes(_NoWorld):
        target = SimpleNamespace(shared=False, time=object(), before_write=lambda: seen.append("write"))

    release = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleRelease",
        "metadata": {"name": "m-v1.0.0"},
        "spec": {"moduleName": "m", "version": "1.0.0", "someFutureField": {"a": 1}},
    }
    with pytest.raises(AssertionError, match=r"world\.client"):  # got past the checks to the first write
        apply_documents(_Writes(), [release], seed_status=True)
    assert seen == ["write"]
    misspelt = {**release, "kind": "ModuleRelase"}
    message = _could_not_check(apply_documents, _NoWorld(), [misspelt], seed_status=True)
    assert "unknown kind 'ModuleRelase': did you mean 'ModuleRelease'?" in message


def test_a_step_placed_after_the_cluster_started_says_to_move_it():
    world = World(factory=lambda options: pytest.fail("must not start"), evidence=None, cache_dir=None)  # type: ignore[arg-type]
    world._target = object()  # type: ignore[assignment]
    message = _could_not_check(world.require_not_started, "'the registry requires the credentials'")
    assert "must come before any step that uses the cluster" in message


def test_going_back_in_time_says_where_to_put_the_step():
    from harness.steps.library.time import it_is

    now = datetime(2024, 12, 18, 13, 25, tzinfo=UTC)
    world = SimpleNamespace(started=True, target=SimpleNamespace(time=object()), now=lambda: now)
    message = _could_not_check(it_is, world, "Monday 2024-12-16 09:00 UTC")
    assert "cannot go back to Monday 2024-12-16 09:00 UTC" in message
    assert "put the 'it is' step before anything that lets time pass" in message


def test_it_becomes_an_earlier_moment_says_time_only_moves_forward():
    from harness.steps.library.time import it_becomes

    now = datetime(2024, 12, 18, 13, 25, tzinfo=UTC)
    world = SimpleNamespace(started=True, target=SimpleNamespace(time=object()), now=lambda: now)
    message = _could_not_check(it_becomes, world, "Monday 2024-12-16 08:00 UTC")
    assert "time only moves forward: name a moment after Wednesday 2024-12-18 13:25 UTC" in message
    assert "put the 'it is' step" not in message


@pytest.mark.parametrize(
    ("step", "text", "expected"),
    [
        ("deckhouse_version", "soon", "not understood"),
        ("kubernetes_version", "1.31", "write MAJOR.MINOR.PATCH"),
    ],
)
def test_a_version_the_scenario_wrote_that_cannot_be_read(step, text, expected):
    from harness.steps.library import versions

    assert expected in _could_not_check(getattr(versions, step), _NoWorld(), text)


@pytest.mark.parametrize("step", ["runs_edition", "runs_bundle"])
def test_an_edition_or_bundle_that_does_not_exist(step):
    from harness.steps.library import platform

    world = SimpleNamespace(started=False, options=SimpleNamespace())
    assert _could_not_check(getattr(platform, step), world, "platinum")


def test_comparing_kubectl_output_before_running_kubectl_says_which_step_to_put_first():
    from harness.steps.library.kubectl import output_contains

    world = SimpleNamespace(last=None)
    assert "no kubectl output yet" in _could_not_check(output_contains, world, "text")


def test_a_phase_history_of_a_kind_that_has_none_is_refused_instead_of_failing_as_never_seen():
    from harness.steps.library.history import went_through

    message = _could_not_check(went_through, _NoWorld(), "ModuleConfig", "module-one", "Ready")
    assert "the phase history is kept for Module, ModuleRelease, ModuleSource" in message


def test_a_misspelt_phase_is_refused_with_the_phase_meant_and_an_unlike_one_is_left_to_the_check():
    from harness.steps.library.assertions import in_phase
    from harness.steps.library.history import went_through

    message = _could_not_check(went_through, _NoWorld(), "Module", "module-one", "Downloding, Ready")
    assert message.startswith("unknown phase 'Downloding': did you mean 'Downloading'?")
    assert "did you mean 'Deployed'?" in _could_not_check(
        in_phase, _NoWorld(), "ModuleRelease", "r", "Deployd"
    )
    with pytest.raises(AssertionError, match="world"):  # a phase of a later Deckhouse: on to the check
        in_phase(_NoWorld(), "Module", "module-one", "Hibernating")


class _Cluster:
    """A cluster in which no object exists."""

    shared = False

    def before_write(self) -> None:
        return None

    def check(self, attempt: Any) -> Any:
        return attempt()

    def delete(self, resource: Any, name: str) -> None:
        raise NotFound(f"{name} not found")

    def patch(self, resource: Any, name: str, body: Any) -> None:
        raise NotFound(f"{name} not found")


def _empty_cluster_world() -> SimpleNamespace:
    cluster = _Cluster()
    return SimpleNamespace(
        target=cluster,
        client=cluster,
        resource=lambda kind: kind,
        name=lambda name: name,
        expect=lambda text: text,
        check=cluster.check,
        settle=lambda: None,
    )


@pytest.mark.parametrize(
    ("step", "args"),
    [
        ("delete", ("ModuleRelease", "module-one-v0.7.24")),
        ("annotate", ("ModuleRelease", "module-one-v0.7.24", "modules.deckhouse.io/approved", "true")),
    ],
)
def test_an_object_the_step_acts_on_that_does_not_exist_is_an_expectation_not_met(step, args):
    """DKP should have made it (or the scenario did earlier): that it is missing is a finding, and
    a real cluster's eventually-check retries it, which it does for assertions only."""
    from harness.steps.library import objects

    with pytest.raises(WorldError) as caught:
        getattr(objects, step)(_empty_cluster_world(), *args)
    assert isinstance(caught.value, AssertionError)
    assert failure_status(caught.value) is Status.FAILED
    assert "does not exist" in str(caught.value)


def test_world_error_stays_an_assertion_and_scenario_error_is_not_one():
    assert issubclass(WorldError, AssertionError)
    assert not issubclass(ScenarioError, AssertionError)
    assert not issubclass(ScenarioError, WorldError)


FEATURE = """\
Feature: mistakes in the scenario's text

  Scenario: A misspelt kind
    Given it is Monday 2024-12-16 09:00 UTC
    Then the Modul "module-one" is in phase "Ready"

  Scenario: A misspelt file
    Given it is Monday 2024-12-16 09:00 UTC
    And the cluster has the objects of "features/sources/exmaple-source.yaml"

  Scenario Outline: A misspelt placeholder
    Given it is Monday 2024-12-16 09:00 UTC
    Then the Module "<nmae>" is in phase "<phase>"

    Examples:
      | name       | phase |
      | module-one | Ready |
"""


def _step_errors(recorder: pytest.HookRecorder) -> dict[int, BaseException]:
    """The exception of each failed step, by the step's line in the feature file."""
    return {call.step.line_number: call.exception for call in recorder.getcalls("pytest_bdd_step_error")}


@pytest.mark.registry
def test_mistakes_in_the_text_error_at_their_step_as_could_not_check(pytester, feature_project):
    feature_project("mistakes", FEATURE)
    recorder = pytester.inline_run("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist")
    recorder.assertoutcome(failed=3)
    errors = _step_errors(recorder)
    assert sorted(errors) == [5, 9, 13]
    for error in errors.values():
        assert isinstance(error, ScenarioError), repr(error)
        assert failure_status(error) is Status.ERROR
    assert "unknown kind 'Modul'" in str(errors[5])
    assert "not found: did you mean 'features/sources/example-source.yaml'?" in str(errors[9])
    placeholder = str(errors[13])
    assert "the placeholder <nmae> is not a column of the Outline's Examples" in placeholder
    assert "did you mean <name>?" in placeholder
    assert "the columns are: <name>, <phase>" in placeholder


LITERAL = """\
Feature: angle brackets meant as text
  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    Then the Module "<also-for-plain-scenarios>" does not exist

  Scenario: A plain scenario's step is never rendered, so its <text> is text
    Then the Module "<not-a-placeholder>" does not exist

  Scenario Outline: Docstrings and tables of an Outline may hold <...> literally
    Given the registry has the modules:
      | module   | version   | channels | hook error       |
      | <module> | <version> | stable   | <literal> failed |
    And the cluster has:
      \"\"\"
      # <not a column>: a comment of the YAML
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: <module>
      spec:
        enabled: true
      \"\"\"
    Then the ModuleConfig "<module>" matches:
      \"\"\"
      spec:
        enabled: true
      \"\"\"

    Examples:
      | module     | version |
      | module-one | v0.7.23 |
"""


@pytest.mark.registry
def test_angle_brackets_outside_an_outline_step_line_stay_text(pytester, feature_project):
    feature_project("literal", LITERAL)
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist")
    result.assert_outcomes(passed=2)


def test_kubectls_own_words_in_angle_brackets_are_text_in_an_outline_step():
    from harness.steps.step_place import unfilled_placeholder

    assert unfilled_placeholder('the output contains "<none>"', ["name"]) is None
    assert unfilled_placeholder('the row of "<name>" reads:', ["name"]) is None
    error = unfilled_placeholder('the output contains "<nothing>"', [])
    assert error is not None and "the columns are: none" in str(error)


def test_a_message_that_differs_is_shown_as_written_without_escapes():
    from harness.steps.library.assertions import has_message

    message = "Release is waiting for the 'modules.deckhouse.io/approved: \"true\"' annotation"
    release = {"status": {"message": message}}
    world = SimpleNamespace(
        find=lambda kind, name: release,
        expect=lambda text: text,
        evidence=SimpleNamespace(diff=lambda *args: None),
        dump=lambda kind, name: None,
    )
    with pytest.raises(AssertionError) as caught:
        has_message(world, "ModuleRelease", "r", "other")
    assert f'status.message is "{message}", expected "other"' in str(caught.value)
    assert "\\" not in str(caught.value)


def test_a_patch_docstring_is_one_mapping_and_nothing_of_it_is_dropped():
    # A second document after --- was dropped without a word: the patch applied half of what it said.
    from harness.steps.library.objects import PATCH

    text = "spec:\n  source: a\n---\nspec:\n  source: b\n"
    message = _could_not_check(_world_reading_yaml().one_document, text, PATCH)
    assert "holds 2 YAML documents" in message and "the fields to change" in message


def test_a_patch_that_is_a_list_says_what_a_patch_is():
    from harness.steps.documents import DocumentError
    from harness.steps.library.objects import PATCH

    with pytest.raises(DocumentError) as caught:
        _world_reading_yaml().one_document("- spec: {}\n", PATCH)
    assert failure_status(caught.value) is Status.ERROR
    assert "is a list, not an object: every document between --- lines is the fields to change" in str(
        caught.value
    )


def test_a_matches_docstring_with_two_documents_is_refused_not_half_checked():
    from harness.steps.library.assertions import EXPECTED_FIELDS

    message = _could_not_check(
        _world_reading_yaml().one_document, "status:\n  phase: Ready\n---\nspec: {}\n", EXPECTED_FIELDS
    )
    assert (
        "holds 2 YAML documents (separated by --- lines); this step takes one, the fields to check" in message
    )


def _world_reading_yaml() -> World:
    """A World whose target is only what reading a docstring asks of it: the registry address the
    ``${REGISTRY}`` placeholder names, and names used as written."""
    world = World(factory=lambda options: pytest.fail("must not start"), evidence=None, cache_dir=None)  # type: ignore[arg-type]
    names = SimpleNamespace(active=False, out=lambda text: text)
    world._target = SimpleNamespace(registry=SimpleNamespace(pull="127.0.0.1:5000/modules"), names=names)  # type: ignore[assignment]
    return world
