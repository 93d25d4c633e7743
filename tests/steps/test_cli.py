from __future__ import annotations

from pathlib import Path

from harness.cli import main
from harness.cli.run import build_command

ROOT = Path(__file__).resolve().parents[2]


def test_run_passes_arguments_after_the_double_dash_to_pytest_last():
    command = build_command(Path("reports"), ["--", "-k", "approval"])
    assert command[3:] == [
        str(ROOT / "scenarios"),
        "--conformance-report=reports",
        "--conformance-progress",
        "-q",
        "-n",
        "2",
        "-k",
        "approval",
    ]


def test_run_leaves_parallelism_to_the_user_when_they_choose_it():
    command = build_command(Path("reports"), ["--", "-n", "0"])
    assert command.count("-n") == 1
    assert command[-2:] == ["-n", "0"]


def test_steps_lint_fails_on_an_undefined_step_and_says_where(tmp_path, capsys):
    (tmp_path / "x.feature").write_text("Feature: f\n  Scenario: s\n    When the moon rises\n")
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "x.feature:3: undefined step: When the moon rises" in out


def test_steps_prints_every_pattern_with_its_example(capsys):
    assert main(["steps"]) == 0
    out = capsys.readouterr().out
    assert "When  {span} pass" in out
    assert "| When 3 minutes pass" in out


def test_steps_lint_passes_on_the_project_features(capsys):
    assert main(["steps", "--lint"]) == 0
    assert "0 undefined, 0 ambiguous, 0 unused" in capsys.readouterr().out
