"""A new user wrote the ModuleUpdatePolicy with ``apiVersion: deckhouse.io/v1alpha1`` (the
ModuleConfig's and ModuleSource's version, or an older guide's) where the page writes
``deckhouse.io/v1alpha2``. The API server refused it with "spec.moduleReleaseSelector: Required
value", a field the page never mentions. The refusal now also says which apiVersion the page
writes for the kind."""

from __future__ import annotations

import pytest

from harness.kube.errors import Invalid
from harness.report.status import Status, failure_status

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: apiVersion

  Scenario: An older apiVersion of the ModuleUpdatePolicy
    Given it is Monday 2024-12-16 09:00 UTC
    When I apply:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        update:
          mode: Manual
      \"\"\"
"""


@pytest.mark.registry
def test_a_refused_object_at_another_api_version_names_the_one_the_page_writes(pytester, feature_project):
    feature_project("api_version", FEATURE)
    recorder = pytester.inline_run("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist")
    recorder.assertoutcome(failed=1)
    [call] = recorder.getcalls("pytest_bdd_step_error")
    error = call.exception
    assert isinstance(error, Invalid), repr(error)
    assert failure_status(error) is Status.ERROR, "could not check, not a claim that does not hold"
    message = str(error)
    assert "spec.moduleReleaseSelector: Required value" in message, "the server's own refusal stays"
    assert (
        "this ModuleUpdatePolicy is written as deckhouse.io/v1alpha1, whose fields differ from the "
        "kind's current version's: write apiVersion: deckhouse.io/v1alpha2 (as the page does)" in message
    )
