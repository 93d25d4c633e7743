"""A new user checking that kubectl no longer shows something (a release no longer Pending, an
error gone) wrote `Then the output does not contain "Pending"` after `Then the output contains`,
and the catalogue had no such step: the run said "no step definition matches". The step exists
now, fails with the line that holds the text, and the report labels its comparison as such."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from harness.report.comparisons import CHECK_LABELS, check_of_step
from harness.steps.catalogue import CATALOGUE
from harness.steps.kubectl import KubectlResult

OUTPUT = "NAME                 PHASE\nmodule-one-v0.7.23   Deployed\nmodule-one-v0.7.24   Pending\n"


class _Evidence:
    def __init__(self) -> None:
        self.expected: list[str | None] = []

    def kubectl(
        self, command: str, output: str, expected: str | None = None, *, row: str | None = None
    ) -> None:
        self.expected.append(expected)


def _world(stdout: str) -> Any:
    return SimpleNamespace(
        expect=lambda text: text,
        evidence=_Evidence(),
        last=KubectlResult("kubectl get mr", stdout, "", 0),
        retrying=False,
    )


def test_the_step_is_in_the_catalogue():
    assert any(
        step.kind == "then" and step.pattern == 'the output does not contain "{text}"' for step in CATALOGUE
    )


def test_it_passes_when_the_text_is_absent_and_records_the_comparison():
    from harness.steps.library.kubectl import output_lacks

    world = _world(OUTPUT.replace("Pending", "Deployed"))
    output_lacks(world, "Pending")
    assert world.evidence.expected == ["Pending"]


def test_it_fails_naming_the_line_that_holds_the_text():
    from harness.steps.library.kubectl import output_lacks

    world = _world(OUTPUT)
    with pytest.raises(AssertionError) as failed:
        output_lacks(world, "Pending")
    message = str(failed.value)
    assert "`kubectl get mr` printed 'Pending' in line 3:" in message
    assert "module-one-v0.7.24   Pending" in message


def test_the_report_labels_the_comparison_as_a_text_that_must_be_absent():
    assert check_of_step('the output does not contain "Pending"') == "absent"
    assert check_of_step('the output contains "Pending"') == "contains"
    assert CHECK_LABELS["absent"] == "does not contain"
