"""An unknown step's line, echoed back with a suggestion, shows its control characters.

The run's error, the lint and ``dkp-harness steps --lint`` print the author's line and the line
rewritten from its values. Printed raw, an ESC sequence in the feature file recoloured or cleared
the terminal and a right-to-left override (U+202E) drew the rest of the line backwards, so the
line shown could read as another one. They are now shown as Unicode's control pictures (``␛``)
or as escapes (``\\u202e``).
"""

from __future__ import annotations

from harness.steps.catalogue import CATALOGUE
from harness.steps.lint import lint

pytest_plugins = ["pytester"]

# A real step's values, with an ESC sequence, a BEL and an RTL override inside the quoted name:
# the rewrite (``Then the Module "…" is in phase "Ready"``) carries the name back to the terminal.
NAME = "mod\x1b[2Jule\x07\u202eeno"
LINE = f'Then the module "{NAME}" should be Ready'
SHOWN = "mod\u241b[2Jule\u2407\\u202eeno"
RAW = ("\x1b", "\x07", "\u202e")


def _feature(folder):
    folder.mkdir(exist_ok=True)
    (folder / "odd.feature").write_text(f"Feature: odd\n  Scenario: controls\n    {LINE}\n", encoding="utf-8")
    return folder


def _assert_shown(text: str) -> None:
    assert not [raw for raw in RAW if raw in text]
    assert f'undefined step: Then the module "{SHOWN}" should be Ready' in text or (
        f'no step definition matches: Then the module "{SHOWN}" should be Ready' in text
    )
    assert f'did you mean: Then the Module "{SHOWN}" is in phase "Ready"?' in text


def test_the_lint_shows_the_control_characters_of_the_line_and_of_its_rewrite(tmp_path):
    report = lint(_feature(tmp_path / "features"), CATALOGUE)
    assert [line.text for line, _ in report.undefined] == [LINE.removeprefix("Then ")]  # the model keeps it
    _assert_shown("\n".join(report.lines()))


def test_the_steps_command_prints_them_visible(tmp_path, capsys):
    from harness.cli import main

    assert main(["steps", "--lint", "--features", str(_feature(tmp_path / "features"))]) == 1
    _assert_shown(capsys.readouterr().out)


def test_every_bidirectional_control_and_a_carriage_return_are_shown():
    from harness.report.visible_text import visible

    controls = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\r"
    assert visible(controls) == (
        "\\u061c\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\u240d"
    )
    assert visible("שלום \u05d0 é") == "שלום \u05d0 é"  # right-to-left letters themselves stay


def test_the_run_error_shows_them_visible(pytester):
    pytester.makeconftest('pytest_plugins = ["harness.steps.plugin"]\n')
    pytester.makeini("[pytest]\nbdd_features_base_dir = features/\n")
    _feature(pytester.path / "features")
    pytester.makepyfile(test_odd='from pytest_bdd import scenarios\nscenarios("odd.feature")\n')
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "UnknownStepError" in out
    _assert_shown(out)
