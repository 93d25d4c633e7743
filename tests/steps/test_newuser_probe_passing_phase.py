"""A new user enabled a module and checked `Then the Module "module-one" is in phase "Ready"` at
once: "status.phase is "Downloading", expected "Ready"", which reads like DKP failing. On the
simulator nothing moves until a step lets virtual time pass; the message now says so when the
object is caught in a phase it only passes through."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from harness.steps.phase_names import passing_phase_note


def test_a_passing_phase_on_virtual_time_says_to_let_time_pass():
    note = passing_phase_note("Downloading", "Ready", "virtual")
    assert "Downloading is a phase the object passes through" in note
    assert "time is virtual" in note and "When 15 seconds pass" in note


@pytest.mark.parametrize(
    ("actual", "expected", "mode"),
    [
        ("Available", "Ready", "virtual"),  # not a passing phase: enabling is what is missing
        ("Downloading", "Ready", "real"),  # a real cluster's check waits by itself
        ("Installing", "Installing", "virtual"),
        ("", "Ready", "virtual"),
    ],
)
def test_no_note_elsewhere(actual, expected, mode):
    assert passing_phase_note(actual, expected, mode) == ""


def _world(phase: str) -> Any:
    obj = {"metadata": {"name": "module-one"}, "status": {"phase": phase}}
    return SimpleNamespace(
        find=lambda kind, name: obj,
        target=SimpleNamespace(time_mode="virtual"),
        evidence=SimpleNamespace(diff=lambda *a: None),
        dump=lambda kind, name: None,
        name=lambda name: name,
        history=SimpleNamespace(timeline=lambda kinds: []),  # no phase change seen: not held
    )


def test_the_phase_step_adds_the_note():
    from harness.steps.library.assertions import in_phase

    with pytest.raises(AssertionError) as failed:
        in_phase(_world("Installing"), "Module", "module-one", "Ready")
    message = str(failed.value)
    assert message.startswith('Module \'module-one\': status.phase is "Installing", expected "Ready"')
    assert "When 15 seconds pass" in message
