"""`dkp-harness --help` and each subcommand's help answer a new user's first questions."""

from __future__ import annotations

import argparse
import re
import socket

import pytest

from harness.cli import SUBCOMMANDS, build_parser, main


def _help(capsys, *words: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*words, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_the_top_level_help_shows_the_first_commands_to_type(capsys):
    text = _help(capsys)
    for line in ("dkp-harness run ", "dkp-harness steps ", "dkp-harness serve --state-dir DIR &"):
        assert line in text
    assert "set -a; . DIR/env; set +a" in text


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parser and every parser below it (``report compare``)."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _parsers(child)
    return found


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_says_what_it_does_and_explains_every_option(capsys, name):
    text = _help(capsys, name)
    assert "``" not in text, "reStructuredText literals leak into the terminal"
    for parser in _parsers(build_parser(name))[1:]:
        assert parser.description, f"`{parser.prog} --help` has no description"
        undocumented = [
            action.option_strings[0]
            for action in parser._actions
            if action.option_strings and action.help is None
        ]
        assert undocumented == [], f"`{parser.prog} --help`: options without a help text"


def test_serve_help_shows_how_to_reach_the_sandbox(capsys):
    text = _help(capsys, "serve")
    assert 'set -a; . "$DIR/env"; set +a' in text
    assert "Ctrl-C" in text
    assert "(default Auto)" in text


def test_the_lint_summary_counts_definitions_and_phrasings_apart(capsys, tmp_path):
    features = tmp_path / "features"
    features.mkdir()
    (features / "one.feature").write_text(
        "Feature: f\n  Scenario: s\n    Given it is Monday 2024-12-16 09:00 UTC\n    When 3 minutes pass\n"
    )
    # A folder of one's own: the definitions it does not use are not its problem.
    assert main(["steps", "--lint", "--features", str(features)]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    definitions, phrasings, used, undefined, ambiguous = map(int, re.findall(r"\d+", summary)[:5])
    assert definitions < phrasings  # "it is …" and "… pass" are one definition, several phrasings
    assert (used, undefined, ambiguous) == (2, 0, 0)
    assert " step definitions in " in summary and "unused definitions not checked for a subset" in summary


def test_publish_to_an_address_nobody_listens_on_says_what_to_start(capsys):
    # Bound but not listening: connections are refused, and no other process can take the port
    # meanwhile (a port closed again after probing it could be anyone's by the time we dial).
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{held.getsockname()[1]}"
        code = main(["publish", "--registry", address, "--module", "m", "--version", "v1.0.0"])
    assert code == 1
    err = capsys.readouterr().err
    assert "refused" in err.lower()
    assert f"nothing listens at {address}: start a registry" in err
