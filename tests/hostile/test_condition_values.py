"""``Then the … has the condition "T" with status "S"`` on conditions no DKP controller writes.

A seeded or foreign object may carry ``status.conditions`` that is no list, a condition without
``type``, or a ``status`` that is no string. The check compared ``str(status)``, so a boolean
``true`` passed as ``"True"`` (a claim held on a value Kubernetes never writes), and a number in
place of the list raised a TypeError instead of saying what the object has.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.steps.library.assertions import has_condition


class _Evidence:
    def diff(self, *args: object) -> None:
        pass


class _World:
    """Only what the check reads: the object, a dump and the evidence."""

    def __init__(self, status: Any) -> None:
        self.obj = {"kind": "Module", "metadata": {"name": "m"}, "status": status}
        self.evidence = _Evidence()

    def find(self, kind: str, name: str) -> dict[str, Any]:
        return self.obj

    def dump(self, kind: str, name: str) -> None:
        pass


def _check(status: Any) -> str:
    with pytest.raises(AssertionError) as failed:
        has_condition(_World(status), "Module", "m", "IsReady", "True")  # type: ignore[arg-type]
    return str(failed.value)


def test_a_status_that_is_no_string_does_not_pass_for_its_text():
    message = _check({"conditions": [{"type": "IsReady", "status": True}]})
    assert message == "Module 'm': condition IsReady has status True, expected \"True\""


@pytest.mark.parametrize("conditions", [5, "IsReady", {"type": "IsReady", "status": "True"}])
def test_conditions_that_are_no_list_are_named(conditions: Any):
    assert _check({"conditions": conditions}) == (
        f"Module 'm': status.conditions is {conditions!r}, not a list of conditions"
    )


def test_a_condition_without_type_is_listed_as_such():
    message = _check({"conditions": [{"status": "True"}, "x"]})
    assert message == "Module 'm' has no condition 'IsReady' (its conditions: one without type)"
