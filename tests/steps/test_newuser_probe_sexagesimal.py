"""A new user wrote an update window as ``from: 13:30`` (unquoted), as kubectl takes it: go-yaml,
which kubectl decodes manifests with, has no YAML 1.1 base-60 numbers, so ``13:30`` is the text
"13:30". PyYAML read it as the integer 810 and the API server refused the step with
"spec.update.windows[0].from in body must be of type string: "integer"", an error kubectl
would never give. The steps now read such scalars as kubectl does."""

from __future__ import annotations

import pytest

from harness.steps.documents import parse_documents

pytest_plugins = ["pytester"]


def test_base_60_numbers_are_text_as_in_kubectl_and_other_numbers_stay_numbers():
    [document] = parse_documents(
        "from: 13:30\nto: 8:00\nlong: 1:02:03.5\nnum: 10\nf: 1.5\nneg: -3\nhex: 0x1f\n"
    )
    assert document == {
        "from": "13:30",
        "to": "8:00",
        "long": "1:02:03.5",
        "num": 10,
        "f": 1.5,
        "neg": -3,
        "hex": 31,
    }


FEATURE = """\
Feature: windows

  Scenario: An update window written without quotes
    Given it is Monday 2024-12-16 09:00 UTC
    When I apply:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: windowed
      spec:
        releaseChannel: Stable
        update:
          mode: Auto
          windows:
          - days: ["Wed"]
            from: 13:30
            to: 14:00
      \"\"\"
    Then the ModuleUpdatePolicy "windowed" matches:
      \"\"\"
      spec:
        update:
          windows:
          - from: "13:30"
            to: 14:00
      \"\"\"
"""


@pytest.mark.registry
def test_an_unquoted_window_applies_as_with_kubectl(pytester, feature_project):
    feature_project("windows", FEATURE)
    recorder = pytester.inline_run("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist")
    recorder.assertoutcome(passed=1)
