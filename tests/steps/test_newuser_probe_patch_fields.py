"""A new user switching a ModuleUpdatePolicy to Manual wrote `updates:` for `update:` in `When I
patch … with:`. The patch went through (the API server prunes unknown fields), the policy stayed
Auto, and the scenario failed at its check as an expectation not met, i.e. as if DKP missed the
claim. kubectl patch refuses such a field (strict field validation), and `When I apply:` already
does: the patch step now does too, as "could not check", with the field path and the nearest
field. The lint reports it before any run."""

from __future__ import annotations

import pytest

from harness.report.status import Status, failure_status
from harness.steps.errors import ScenarioError

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: patch typo

  Scenario: A misspelt field in a patch
    Given it is Monday 2024-12-16 09:00 UTC
    And the cluster has:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        update:
          mode: Auto
      \"\"\"
    When I patch the ModuleUpdatePolicy "manual" with:
      \"\"\"
      spec:
        updates:
          mode: Manual
      \"\"\"
    Then the ModuleUpdatePolicy "manual" matches:
      \"\"\"
      spec:
        update:
          mode: Manual
      \"\"\"

  Scenario: A good patch and one that removes a field
    Given it is Monday 2024-12-16 09:00 UTC
    And the cluster has:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        source: example
      \"\"\"
    When I patch the ModuleConfig "module-one" with:
      \"\"\"
      metadata:
        annotations:
          note: x
      spec:
        source: null
      \"\"\"
    Then the ModuleConfig "module-one" matches:
      \"\"\"
      spec:
        source: ~
      \"\"\"
"""


@pytest.mark.registry
def test_a_patch_with_a_field_the_kind_does_not_have_could_not_be_checked(pytester, feature_project):
    feature_project("patch_typo", FEATURE)
    recorder = pytester.inline_run("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist")
    recorder.assertoutcome(passed=1, failed=1)
    errors = {call.step.line_number: call.exception for call in recorder.getcalls("pytest_bdd_step_error")}
    assert sorted(errors) == [15]
    error = errors[15]
    assert isinstance(error, ScenarioError), repr(error)
    assert failure_status(error) is Status.ERROR
    message = str(error)
    assert "the patch of the ModuleUpdatePolicy 'manual' has fields its kind does not have" in message
    assert "spec.updates is not a field of the kind (did you mean 'update'?" in message


def test_the_lint_reports_it_too(tmp_path, capsys):
    from harness.cli import main

    (tmp_path / "patch_typo.feature").write_text(FEATURE)
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert 'patch_typo.feature:15: When I patch the ModuleUpdatePolicy "manual" with' in out
    assert "spec.updates is not a field of the kind" in out
    assert "1 invalid step value(s)" in out
