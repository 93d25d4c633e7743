"""Refusals of ``dkp-harness`` name the command that refused and the real cause.

``run -n abc`` and ``run --bogus`` printed pytest's usage (``python -m pytest [options] ...``),
every exit 4 of pytest was called "pytest refused the arguments" (a missing kubeconfig too),
``steps --lint --bogus`` showed the top-level usage, ``--run-id`` without ``--kubeconfig`` was
taken silently while ``--registry`` was refused in broken grammar, and the top-level help offered
``time`` to "show" the time, a word ``time`` refuses.
"""

from __future__ import annotations

import argparse

import pytest

from harness.cli import build_parser, main
from harness.cli import run as run_module


def _no_pytest(command):
    raise AssertionError("pytest must not start for a refused command line")


def test_a_bad_worker_count_is_refused_with_run_usage(capsys, monkeypatch):
    monkeypatch.setattr(run_module, "run_pytest", _no_pytest)
    with pytest.raises(SystemExit) as exited:
        main(["run", "-n", "abc"])
    assert exited.value.code == 4
    err = capsys.readouterr().err
    assert err.startswith("usage: dkp-harness run ")
    assert "dkp-harness run: error: argument -n: 'abc' is not a number of workers" in err
    assert "pytest" not in err


@pytest.mark.parametrize("value", ["0", "2", "auto"])
def test_good_worker_counts_reach_pytest(value):
    assert run_module.worker_count(value) == value


def test_an_option_pytest_does_not_know_is_refused_in_the_name_of_dkp_harness_run(tmp_path, capfd):
    """The real pytest refuses it (after its start-up): its message names our command."""
    code = main(["run", "--bogus", "features/approval", "-n", "0", "--report-dir", str(tmp_path)])
    assert code == 4
    out, err = capfd.readouterr()
    assert "usage: dkp-harness run [PATH ...]" in err
    assert "dkp-harness run: error: unrecognized arguments: --bogus" in err
    assert "python -m pytest" not in err
    assert "pytest refused" not in out
    assert f"dkp-harness run: nothing ran (see the error above); the reports in {tmp_path} were left" in out


def test_a_missing_kubeconfig_is_named_before_pytest_starts(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(run_module, "run_pytest", _no_pytest)
    missing = tmp_path / "kubeconfig"
    code = main(
        ["run", "--kubeconfig", str(missing), "--registry", "reg:5000", "--report-dir", str(tmp_path)]
    )
    assert code == 4
    captured = capsys.readouterr()
    assert f"dkp-harness run: --kubeconfig {missing}: no such file" in captured.err
    assert "refused the arguments" not in captured.out + captured.err


def test_a_deckhouse_version_with_a_kubeconfig_is_refused_before_pytest_starts(tmp_path, capsys, monkeypatch):
    """It skipped every scenario ("the scenario needs Deckhouse v1.78.0, the cluster runs …")."""
    monkeypatch.setattr(run_module, "run_pytest", _no_pytest)
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("apiVersion: v1\n")
    words = [
        "run",
        "--kubeconfig",
        str(kubeconfig),
        "--registry",
        "reg:5000",
        "--deckhouse-version",
        "latest",
    ]
    assert main([*words, "--report-dir", str(tmp_path / "r")]) == 4
    assert "--deckhouse-version chooses the simulated Deckhouse; a real cluster" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["--run-id", "abc"], "--run-id applies only to a real cluster: add --kubeconfig PATH"),
        (["--registry", "r:1"], "--registry applies only to a real cluster: add --kubeconfig PATH"),
    ],
)
def test_real_cluster_options_without_a_kubeconfig_are_refused_alike(words, message, capsys, monkeypatch):
    monkeypatch.setattr(run_module, "run_pytest", _no_pytest)
    assert main(["run", *words]) == 4
    assert f"dkp-harness run: {message}" in capsys.readouterr().err


def test_an_unknown_option_of_a_subcommand_shows_that_subcommands_usage(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["steps", "--lint", "--bogus"])
    assert exited.value.code == 4
    err = capsys.readouterr().err
    assert err.startswith("usage: dkp-harness steps ")
    assert "dkp-harness steps: error: unrecognized arguments: --bogus" in err


def test_the_top_level_help_of_time_names_the_words_time_takes():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    line = next(c.help for c in sub._choices_actions if c.dest == "time")
    time_parser = sub.choices["time"]
    accepted = next(a.choices for a in time_parser._actions if a.dest == "action")
    assert accepted is not None
    for word in accepted:
        assert word in (line or "").split(), f"`time {word}` is missing from the help: {line!r}"
    assert "show" not in (line or "")


@pytest.mark.parametrize(("returncode", "code"), [(0, 0), (1, 1), (-2, 2), (-15, 143)])
def test_a_pytest_ended_by_a_signal_exits_as_a_shell_reports_it(returncode, code):
    assert run_module.exit_code(returncode) == code


def test_the_claims_catalogue_option_takes_its_file_along_to_pytest(tmp_path, monkeypatch):
    """``--claims FILE`` is the report plugin's option: ``run`` took FILE for a feature path."""
    seen: list[list[str]] = []

    def capture(command):
        seen.append(list(command))
        return 0

    monkeypatch.setattr(run_module, "run_pytest", capture)
    main(["run", "--claims", "my-claims.yaml", "features/approval", "--report-dir", str(tmp_path)])
    [command] = seen
    at = command.index("--claims")
    assert command[at + 1] == "my-claims.yaml"
    feature_paths = [word for word in command if word.startswith("--feature-path=")]
    assert feature_paths == ["--feature-path=features/approval"]  # FILE was not taken for a path
