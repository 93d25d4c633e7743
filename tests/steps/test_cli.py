from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.cli.run import build_command

ROOT = Path(__file__).resolve().parents[2]

pytest_plugins = ["pytester"]


def test_run_passes_arguments_after_the_double_dash_to_pytest_last():
    command = build_command(Path("reports"), ["--", "-k", "approval"])
    assert command[3:] == [
        str(ROOT / "scenarios"),
        "--conformance-report=reports",
        "--conformance-progress",
        "-q",
        "-p",
        "no:hypothesispytest",
        "-n",
        "2",
        "-k",
        "approval",
    ]


def test_a_run_given_a_test_module_keeps_every_plugin(tmp_path):
    import argparse

    from harness.cli.run import add_run_arguments

    parser = argparse.ArgumentParser()
    add_run_arguments(parser)
    command = build_command(Path("r"), [], parser.parse_args(["tests/steps/test_cli.py"]))
    assert "no:hypothesispytest" not in command
    assert command[3] == "tests/steps/test_cli.py"


def test_run_leaves_parallelism_to_the_user_when_they_choose_it():
    command = build_command(Path("reports"), ["--", "-n", "0"])
    assert command.count("-n") == 1
    assert command[-2:] == ["-n", "0"]


def test_run_turns_feature_paths_claims_and_filters_into_pytest_options(capsys):
    import argparse

    from harness.cli.run import add_run_arguments

    parser = argparse.ArgumentParser()
    add_run_arguments(parser)
    args = parser.parse_args(
        ["features/approval", "features/sources/module_source.feature:48", "-k", "waits", "--claim", "REL-03"]
    )
    command = build_command(Path("r"), ["--dkp-target=x"], args)
    assert command[3] == str(ROOT / "scenarios")
    assert "--feature-path=features/approval" in command
    assert "--feature-path=features/sources/module_source.feature:48" in command
    assert command[command.index("-k") + 1] == "waits" and "--claim=REL-03" in command
    assert command[-1] == "--dkp-target=x"


def test_run_refuses_a_path_that_selects_nothing_before_starting_pytest(tmp_path, capsys):
    (tmp_path / "conformance.html").write_text("previous report")
    assert main(["run", "features/no-such.feature", "--report-dir", str(tmp_path)]) == 4
    assert "features/no-such.feature: no such file or folder" in capsys.readouterr().err
    outside = tmp_path / "elsewhere.feature"
    outside.write_text("Feature: x\n")
    assert main(["run", str(outside), "--report-dir", str(tmp_path)]) == 4
    assert "move the file there" in capsys.readouterr().err
    assert (tmp_path / "conformance.html").read_text() == "previous report"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("features/approval/approval.featur", "features/approval/approval.feature"),
        ("features/aproval", "features/approval"),
    ],
)
def test_run_names_the_path_meant_for_a_misspelt_one(typed, meant, capsys):
    assert main(["run", typed]) == 4
    assert f"{typed}: no such file or folder (did you mean {meant!r}?)" in capsys.readouterr().err


def test_steps_lint_fails_on_an_undefined_step_and_says_where(tmp_path, capsys):
    (tmp_path / "x.feature").write_text("Feature: f\n  Scenario: s\n    When the moon rises\n")
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "x.feature:3: undefined step: When the moon rises" in out


def test_steps_lint_counts_an_unreadable_file_apart_and_says_what_gherkin_takes(tmp_path, capsys):
    """A misspelt keyword (``Scenari:``) or a file that is not UTF-8 was counted as a "tag
    problem", with pytest-bdd's "Unexpected token found. Check Gherkin syntax" alone."""
    (tmp_path / "a.feature").write_text(
        "Feature: f\n  Scenario: ok\n    Given it is Monday 2024-12-16 09:00 UTC\n\n  Scenari: typo\n"
    )
    (tmp_path / "b.feature").write_bytes(b"Feature: f\n  Scenario: caf\xe9\n")
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert (
        "a.feature:5: not valid Gherkin: Unexpected token found: a line of a feature file starts with" in out
    )
    assert "check the keyword's spelling and its colon\n    Scenari: typo" in out
    assert out.rstrip().endswith("0 tag problem(s); 2 unreadable feature file(s)")


def test_steps_lint_of_an_authors_own_folder_judges_only_that_folder(tmp_path, capsys):
    # One good scenario: the ~50 definitions it does not use are the catalogue's, not its problem.
    (tmp_path / "mine.feature").write_text(
        "Feature: f\n  @claim:MS-01\n  Scenario: s\n    Given it is Monday 2024-12-16 09:00 UTC\n"
        '    Then the Module "module-one" is in phase "Available"\n'
    )
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "unused step definition" not in out
    assert "unused definitions not checked for a subset" in out
    assert f"note: {tmp_path} is outside" in out and "`dkp-harness run` runs only the feature files" in out


def test_steps_lint_refuses_a_claims_file_that_is_not_there(tmp_path, capsys):
    missing = tmp_path / "nowhere.yaml"
    assert main(["steps", "--lint", "--claims", str(missing)]) == 4
    assert f"no claims catalogue at {missing}" in capsys.readouterr().out


def test_steps_prints_every_pattern_with_its_example(capsys):
    assert main(["steps"]) == 0
    out = capsys.readouterr().out
    assert "Given {span} pass\n      also: When {span} pass; Given {span} passes; When {span} passes" in out
    assert "| When 3 minutes pass" in out


def test_steps_lint_passes_on_the_project_features(capsys):
    assert main(["steps", "--lint"]) == 0
    assert "0 undefined, 0 ambiguous, 0 unused" in capsys.readouterr().out


def test_help_is_as_wide_as_argparse_makes_it(monkeypatch, capsys):
    """The parser finds the width without shutil; the help text is argparse's own for that width."""
    import argparse
    import shutil

    from harness.cli import build_parser
    from harness.cli._parser import terminal_columns

    for columns in ("60", "132"):
        monkeypatch.setenv("COLUMNS", columns)
        assert terminal_columns() == shutil.get_terminal_size().columns == int(columns)
        ours = build_parser("time")
        plain = argparse.ArgumentParser(
            prog=ours.prog,
            description=ours.description,
            epilog=ours.epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub = plain.add_subparsers(dest="command", metavar="COMMAND")
        from harness.cli import time as time_command

        time_command.register(sub)
        assert ours.format_help() == plain.format_help()
        # The raw formatter keeps the description and the epilog as written; the rest is wrapped.
        wrapped = ours.format_help().replace(ours.epilog or "", "").replace(ours.description or "", "")
        assert max(len(line) for line in wrapped.splitlines()) <= int(columns)


@pytest.mark.parametrize(
    "words",
    [
        ["time", "--state-dir", "/s", "now"],
        ["time", "now", "--state-dir", "/s"],
        ["time", "--state-dir=/s", "advance", "3m"],
        ["time", "--state-dir", "/a", "--state-dir", "/s", "set", "2024-12-16T13:25:00Z"],
        ["time", "--state-dir", "/s", "advance", "3", "minutes"],
        ["time", "--state-dir", "/s", "now", "x", "y"],
    ],
)
def test_the_time_command_read_without_argparse_is_what_argparse_reads(words):
    from harness.cli import build_parser, time_command_words

    quick = time_command_words(words)
    parsed = build_parser("time").parse_args(words)
    assert quick is not None
    assert vars(quick) == {k: v for k, v in vars(parsed).items() if k != "func"}


@pytest.mark.parametrize(
    "words",
    [
        ["time", "--state-dir", "/s", "advance", "-5m"],  # argparse explains that time only moves forward
        ["time", "--state", "/s", "now"],  # an abbreviation argparse accepts
        ["time", "-h"],
        ["time", "--state-dir", "/s"],
        ["time", "--state-dir=", "now"],
        ["time", "--state-dir", "/s", "later"],
        ["time", "--state-dir", "/s", "--", "now"],
        ["settle", "--state-dir", "/s"],
        [],
    ],
)
def test_anything_else_goes_through_argparse(words):
    from harness.cli import time_command_words

    assert time_command_words(words) is None


def test_a_word_argparse_refuses_is_still_refused_with_its_message(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["time", "--state-dir", "/nowhere", "later"])
    assert exited.value.code == 4
    assert "invalid choice: 'later'" in capsys.readouterr().err


def test_steps_lint_takes_folders_and_feature_files_as_paths(tmp_path, capsys):
    (tmp_path / "bad.feature").write_text("Feature: f\n  Scenario: s\n    When 3 mins pass\n")
    (tmp_path / "sub").mkdir()
    good = tmp_path / "sub" / "good.feature"
    good.write_text("Feature: f\n  Scenario: s\n    When 3 minutes pass\n")
    assert main(["steps", "--lint", str(good)]) == 0  # the good file alone, not its neighbours
    assert main(["steps", "--lint", str(good), str(tmp_path / "bad.feature")]) == 1
    out = capsys.readouterr().out
    assert "bad.feature:3: When 3 mins pass: cannot read the duration '3 mins'" in out
    assert f"{good}: " in out and f"{tmp_path / 'bad.feature'}: " in out  # one summary per path


def test_steps_refuses_a_path_without_lint_or_one_that_is_not_there(tmp_path, capsys):
    assert main(["steps", str(tmp_path)]) == 4
    assert f"is only read with --lint: dkp-harness steps --lint {tmp_path}" in capsys.readouterr().out
    assert main(["steps", "--lint", str(tmp_path / "nope.feature")]) == 4
    assert "no feature directory or .feature file at" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["steps", ""], ["steps", "--lint", " "], ["steps", "release", ""]])
def test_steps_refuses_an_empty_word_or_path(args, capsys):
    # "$FEATURES" unset would lint the current directory, or match every step as a search word.
    assert main(args) == 4
    assert "an argument is empty (an unset shell variable?)" in capsys.readouterr().out


def test_time_without_an_action_names_only_the_action(capsys):
    with pytest.raises(SystemExit):
        main(["time", "--state-dir", "/nowhere"])
    err = capsys.readouterr().err
    assert "the following arguments are required: action" in err and "value" not in err.split("required:")[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-12-18T13:25:00Z", "2024-12-18T13:25:00+00:00"),
        ("Wednesday 2024-12-18 13:25 UTC", "2024-12-18T13:25:00+00:00"),
    ],
)
def test_time_set_takes_rfc_3339_or_the_scenarios_spelling(text, expected):
    from harness.cli._control import parse_time

    assert parse_time(text).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Tuesday 2024-12-18 13:25 UTC", "2024-12-18 is a Wednesday, not a Tuesday"),
        ("tomorrow", "use RFC 3339, e.g. 2024-12-16T13:25:00Z, or as the scenarios write it"),
        ("2024-12-18T13:25:00", r"has no zone: add Z \(UTC\)"),
    ],
)
def test_a_time_set_cannot_read_says_what_to_write(text, message):
    from harness.cli._control import parse_time

    with pytest.raises(ValueError, match=message):
        parse_time(text)


def test_time_now_prints_a_fraction_of_a_second_only_when_there_is_one_and_set_takes_it_back():
    from datetime import UTC, datetime

    from harness.cli._control import format_time, parse_time

    half = datetime(2024, 12, 16, 9, 0, 0, 500000, tzinfo=UTC)
    assert format_time(half) == "2024-12-16T09:00:00.5Z" and parse_time(format_time(half)) == half
    assert format_time(half.replace(microsecond=0)) == "2024-12-16T09:00:00Z"


def test_pytest_given_a_feature_file_or_its_folder_says_how_to_run_it(pytester):
    """`pytest features/mine/good.feature` answered "not found … (no match in any of [<Dir
    mine>])"; `pytest .` (the folder holding features/) still collects no feature file."""
    pytester.makeconftest('pytest_plugins = ["harness.steps.plugin"]\n')
    (pytester.mkdir("features") / "mine").mkdir()
    (pytester.path / "features" / "mine" / "good.feature").write_text("Feature: f\n")
    pytester.makepyfile(test_other="def test_other():\n    pass\n")
    for target in ("features/mine/good.feature", "features/mine"):
        result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", target)
        assert result.ret == pytest.ExitCode.INTERRUPTED
        result.stdout.fnmatch_lines(
            [
                "*features/mine/good.feature: feature files run through scenarios/test_features.py*"
                "`pytest scenarios --feature-path features/mine/good.feature`*"
            ]
        )
    everything = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", ".")
    everything.assert_outcomes(passed=1)


def test_steps_lint_refuses_era_tags_that_leave_no_version(tmp_path, capsys):
    (tmp_path / "never.feature").write_text(
        "Feature: f\n"
        "  @beyond-page @deckhouse-since:v1.75.0 @deckhouse-before:v1.50.0\n"
        "  Scenario: never\n    Given it is Monday 2024-12-16 09:00 UTC\n"
        '    Then the Module "module-one" is in phase "Available"\n'
        "  @beyond-page @deckhouse-since:v1.75.0 @deckhouse-before:v1.76.0\n"
        "  Scenario: one line\n    Given it is Monday 2024-12-16 09:00 UTC\n"
        '    Then the Module "module-one" is in phase "Available"\n'
    )
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    problems = [line for line in capsys.readouterr().out.splitlines() if "leave no Deckhouse version" in line]
    assert len(problems) == 1
    assert "never.feature:2: @deckhouse-since:v1.75.0 and @deckhouse-before:v1.50.0" in problems[0]


def test_steps_lint_wants_the_era_tags_of_a_claim_about_some_versions_only(tmp_path, capsys):
    """MS-08 is about Deckhouse before v1.76.0: untagged, its scenario ran on v1.78 and the report
    said the claim holds there; tagged to a wider range, the same."""
    scenario = (
        "  {tags}\n  Scenario: {name}\n    Given it is Monday 2024-12-16 09:00 UTC\n"
        '    Then the Module "module-one" is in phase "Available"\n'
    )
    (tmp_path / "era.feature").write_text(
        "Feature: f\n"
        + scenario.format(tags="@claim:MS-08", name="untagged")
        + scenario.format(tags="@claim:MS-08 @deckhouse-before:v1.78.0", name="too wide")
        + scenario.format(tags="@claim:MS-08 @deckhouse-before:v1.75.0", name="narrower")
    )
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    problems = [line for line in out.splitlines() if "is about Deckhouse" in line]
    assert [p.split(": claim")[0].rsplit(":", 1)[1] for p in problems] == ["2", "6"]
    assert "claim MS-08 is about Deckhouse before v1.76.0 only" in problems[0]
    assert problems[0].endswith("tag the scenario @deckhouse-before:v1.76.0")


def test_steps_with_words_prints_only_the_steps_that_mention_them_all(capsys):
    """A QA author looks a step up by what it is about; grep over the catalogue finds lines."""
    assert main(["steps", "Approved", "release"]) == 0
    out = capsys.readouterr().out
    heads = [line for line in out.splitlines() if not line.startswith(" ")]
    assert heads == [
        'When  I annotate the {kind} "{name}" with {key}="{value}"',
        'When  I approve the ModuleRelease "{name}"',
        'Then  the ModuleRelease "{name}" was never Deployed before it was approved',
    ]
    assert '| When I annotate the ModuleRelease "module-one-v0.8.0"' in out


def test_steps_with_a_word_no_step_mentions_says_where_to_look_instead(capsys):
    assert main(["steps", "window"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("no step mentions 'window'.")
    assert "ModuleUpdatePolicy" in out
    assert "grep -rn 'window' features/" in out


@pytest.mark.parametrize("path", ["features/approval", "mine.feature"])
def test_steps_given_a_path_without_lint_names_the_lint_command(capsys, path):
    assert main(["steps", path]) == 4
    assert f"dkp-harness steps --lint {path}" in capsys.readouterr().out


def test_steps_prints_each_definition_once_with_its_other_phrasings(capsys):
    """`steps registry` printed the publishing step's long column list four times, once per
    phrasing (Given/When, `has the modules`/`publishes`)."""
    assert main(["steps", "registry"]) == 0
    out = capsys.readouterr().out
    assert out.count("Publish module versions, one row each") == 1
    heads = [line for line in out.splitlines() if not line.startswith(" ")]
    assert "Given the registry has the modules:" in heads
    assert (
        "      also: When the registry has the modules:; Given the registry publishes:; "
        "When the registry publishes:" in out.splitlines()
    )
