"""A new user checked `Then the Module "module-one" is in phase "Deployed"`: Deployed is a
ModuleRelease's phase, a Module never has it, and the step failed as an expectation not met
("status.phase is "Ready", expected "Deployed""), i.e. as if DKP missed the claim. A phase that
DKP writes for another kind only is the scenario's mistake: "could not check", with the kind's
phases, in the run and in the lint."""

from __future__ import annotations

import pytest

from harness.cli import main
from harness.steps.errors import ScenarioError
from harness.steps.phase_names import check_phase_of


@pytest.mark.parametrize(
    ("kind", "phase", "words"),
    [
        ("Module", "Deployed", "'Deployed' is a phase of a ModuleRelease, not of a Module"),
        ("ModuleRelease", "Ready", "'Ready' is a phase of a Module, not of a ModuleRelease"),
        ("ModuleSource", "Pending", "'Pending' is a phase of a ModuleRelease, not of a ModuleSource"),
    ],
)
def test_a_phase_of_another_kind_is_the_scenarios_mistake(kind, phase, words):
    with pytest.raises(ScenarioError) as refused:
        check_phase_of(kind, phase)
    assert str(refused.value).startswith(words)
    assert f"a {kind}'s phases:" in str(refused.value)


@pytest.mark.parametrize(
    ("kind", "phase"),
    [
        ("Module", "Ready"),
        ("Module", "Downloaded"),
        ("ModuleRelease", "Terminating"),
        ("ModuleSource", "Terminating"),
        ("ModuleRelease", "SomethingNewer"),  # unknown to every kind: left to the check
        ("ModuleConfig", "Deployed"),  # a kind without phases here: left to the check
    ],
)
def test_its_own_phases_and_unknown_ones_pass(kind, phase):
    check_phase_of(kind, phase)


def test_the_lint_reports_it(tmp_path, capsys):
    (tmp_path / "p.feature").write_text(
        "Feature: f\n\n  Scenario: s\n    Given it is Monday 2024-12-16 09:00 UTC\n"
        '    Then the Module "module-one" is in phase "Deployed"\n'
        '    And the ModuleRelease "module-one-v0.7.23" went through Pending, Ready\n'
    )
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "p.feature:5:" in out and "'Deployed' is a phase of a ModuleRelease, not of a Module" in out
    assert "p.feature:6:" in out and "'Ready' is a phase of a Module, not of a ModuleRelease" in out
