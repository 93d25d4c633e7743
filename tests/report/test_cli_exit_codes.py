"""Every ``dkp-harness`` command refuses a bad command line with exit code 4, as the README says.

argparse exits 2, the code the README gives an interrupted run; ``run --nonsense`` (refused by
pytest) exited 4 while ``run --edition xx`` (refused by argparse) exited 2.
"""

from __future__ import annotations

import pytest

from harness.cli import main
from harness.cli._checks import USAGE_ERROR


def _refused(capsys: pytest.CaptureFixture[str], words: list[str]) -> tuple[int, str]:
    """The exit code of a command line refused in-process, and its stderr."""
    try:
        code = main(words)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            ["run", "--deckhouse-version", "1.2.3x"],
            "argument --deckhouse-version: Deckhouse version '1.2.3x'",
        ),
        (["run", "--edition", "xx"], "argument --edition: Deckhouse edition 'xx' is not known"),
        (["run", "--bundle", "nope"], "argument --bundle:"),
        (["nonsense"], "argument COMMAND: invalid choice: 'nonsense'"),
        (["steps", "--bogus"], "unrecognized arguments: --bogus"),
        (["steps", "--lint", "--markdown"], "not allowed with argument"),
        (["report"], "the following arguments are required: ACTION"),
        (["report", "compare", "a.json"], "the following arguments are required: right"),
        (["time", "--state-dir", "/nowhere", "later"], "invalid choice: 'later'"),
        (["serve", "--state-dir", "/nowhere", "--time-scale", "abc"], "'abc' is not a number"),
        (["publish", "--registry", "127.0.0.1:1", "--weight", "abc"], "argument --weight"),
        (["apiserver", "--port", "abc"], "argument --port"),
        (["registry", "--backend", "nope"], "argument --backend: invalid choice: 'nope'"),
        (["module", "toggle", "m", "--state-dir", "/nowhere"], "argument action: invalid choice: 'toggle'"),
        (["settle"], "the following arguments are required: --state-dir"),
    ],
)
def test_argparse_refusals_exit_4_with_the_usage_line_and_the_reason(capsys, words, expected):
    code, err = _refused(capsys, words)
    assert code == USAGE_ERROR == 4
    assert err.startswith("usage: dkp-harness"), err
    assert expected in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            ["steps", "--lint", "--features", "/no/such/features"],
            "no feature directory or .feature file at /no/such/features",
        ),
        (["report", "compare", "/no/a.json", "/no/b.json"], "/no/a.json: no such file"),
        (["time", "--state-dir", "/nowhere", "advance"], "`time advance` needs a value"),
        (["serve", "--state-dir", "/nowhere", "--real-time", "--time-scale", "2"], "give one of them"),
        (["apiserver", "--port", "70000"], "--port must be between 0 and 65535"),
        (["module", "enable", "Bad_Name", "--state-dir", "/nowhere"], "not a valid module name"),
    ],
)
def test_values_the_commands_check_themselves_exit_4_too(capsys, words, expected):
    code = main(words)
    out, err = capsys.readouterr()
    assert code == 4
    assert expected in out + err and "Traceback" not in out + err


def test_no_command_prints_the_help_and_exits_4(capsys):
    assert main([]) == 4
    assert "dkp-harness run" in capsys.readouterr().out


def test_help_still_exits_0(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["run", "--help"])
    assert exited.value.code == 0


@pytest.mark.parametrize("line", ["9999", "0"])
def test_a_feature_line_outside_the_file_is_refused_with_its_length(capsys, line):
    """It used to select the file's last scenario (the one "nearest above" any line past the end)."""
    from harness.cli.run import ROOT as PROJECT
    from harness.cli.run import SelectionError, classify_path

    path = "features/sources/module_source.feature"
    count = len((PROJECT / path).read_bytes().splitlines())
    with pytest.raises(SelectionError, match=rf"{path}:{line}: the file has {count} lines; give the line"):
        classify_path(f"{path}:{line}", PROJECT)
    assert classify_path(f"{path}:{count}", PROJECT) == ("feature", f"{path}:{count}")
