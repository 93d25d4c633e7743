"""An unknown step line is answered with the line it should read, the author's values in place.

The closest defined steps showed patterns; a newcomer writing ``Then the module "module-one"
should be Ready`` got the release-list step first and had to work out where each value goes.
"""

from __future__ import annotations

import pytest

from harness.cli import main
from harness.steps.catalogue import CATALOGUE
from harness.steps.library import load_all
from harness.steps.step_rewrite import rewritten_line


@pytest.mark.parametrize(
    ("kind", "text", "meant"),
    [
        ("then", 'the module "module-one" should be Ready', 'the Module "module-one" is in phase "Ready"'),
        ("then", 'the ModuleRelease "r-v1" is Deployed', 'the ModuleRelease "r-v1" is in phase "Deployed"'),
        ("when", "I wait 3 minutes", "3 minutes pass"),
        ("when", "I wait 1 minute", "1 minute passes"),
        ("when", 'I enable the module "module-one"', 'the Deckhouse CLI enables the module "module-one"'),
        (
            "when",
            'the channel "stable" of module "module-one" moves to v0.7.24',
            'the "stable" channel of module "module-one" moves to v0.7.24',
        ),
        (
            "then",
            'the Module "module-one" has the condition "IsReady" "True"',
            'the Module "module-one" has the condition "IsReady" with status "True"',
        ),
        (
            "then",
            'the Module "module-one" passed through Downloading, Installing and Ready',
            'the Module "module-one" went through Downloading, Installing, Ready',
        ),
    ],
)
def test_the_closest_step_is_offered_with_the_authors_values(kind, text, meant):
    load_all()
    assert rewritten_line(kind, "Then", text, CATALOGUE) == (
        f"  did you mean: Then {meant}? (the closest step that takes your values)"
    )


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        # the same values as `I delete the {kind} "{name}"`, but nothing of its wording
        ("when", 'the ModuleSource "example" syncs'),
        # `moves to` would point the channel at a version never published
        ("when", 'the registry publishes module "module-one" version v0.7.24 on channel "stable"'),
        # no value at all: any step without placeholders would "take" it
        ("when", "I wait for the next sync"),
        # a version is no message: no step checks it in one line
        ("then", 'the Module "module-one" has version "v0.7.23"'),
    ],
)
def test_a_line_no_step_takes_gets_no_rewrite(kind, text):
    load_all()
    assert rewritten_line(kind, "When", text, CATALOGUE) == ""


def test_the_lint_and_the_run_print_it_under_the_unknown_step(tmp_path, capsys):
    feature = tmp_path / "r.feature"
    feature.write_text(
        "Feature: r\n\n  @beyond-page\n  Scenario: r\n    Given it is Monday 2024-12-16 09:00 UTC\n"
        '    Then the module "module-one" should be Ready\n'
    )
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert 'did you mean: Then the Module "module-one" is in phase "Ready"?' in out


def test_a_check_continued_with_and_after_a_when_is_told_to_start_with_then(tmp_path, capsys):
    """The closest steps listed the very step the author wrote: nothing said it was a Then step
    that the ``And`` had made a When step."""
    feature = tmp_path / "k.feature"
    feature.write_text(
        "Feature: k\n\n  @beyond-page\n  Scenario: k\n    Given it is Monday 2024-12-16 09:00 UTC\n"
        "    When 3 minutes pass\n"
        '    And the ModuleRelease "module-one-v0.7.24" has a message containing "approved"\n'
    )
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert (
        "this is a Then step, but 'And' here continues the When steps above it: start the line with Then"
        ' (Then the ModuleRelease "module-one-v0.7.24" has a message containing "approved")'
    ) in out
