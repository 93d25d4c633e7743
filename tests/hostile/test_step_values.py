"""Values a step cannot take: refused as the scenario's mistake, with what to write instead.

Before: ``When 99999999999 weeks pass`` made ``dkp-harness steps --lint`` end in an
``OverflowError`` traceback and the run in ``OverflowError: date value out of range`` (so did any
moment in the year 9999); a step written without its docstring or table, or with the other one,
failed with ``FixtureLookupError: ('docstring', <FixtureRequest …>)``; a module named
``Module_One`` was published where no scan finds it, so the scenario failed as a claim DKP does
not meet ("ModuleSource 'example' found no module"), and a 300-character one as "not a tag".
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from harness.cli import main
from harness.report.status import Status, failure_status
from harness.steps.errors import ScenarioError
from harness.steps.library.registry import publish
from harness.steps.library.time import time_passes
from harness.steps.phrases import PhraseError, parse_moment, parse_span
from harness.steps.tables import TableError

pytest_plugins = ["pytester"]

CALENDAR = "past the last year the virtual clock can reach"


class _NoWorld:
    """Any use of the world fails the test: a bad table must be refused before it touches the cluster."""

    def __getattr__(self, name):
        raise AssertionError(f"the step used world.{name} before checking its table")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Module_One", "module name 'Module_One' is not a lowercase kebab-case name"),
        ("a" * 300, "has 300 characters: a module name becomes the name of its Module and ModuleConfig"),
        ("a" * 64, "has 64 characters"),
        ("../etc", "is not a lowercase kebab-case name"),
    ],
)
def test_a_module_name_no_scan_could_list_is_refused_before_publishing(name, expected):
    # the same rule as `dkp-harness publish --module` (harness.cli._checks.module_name)
    with pytest.raises(TableError) as caught:
        publish(_NoWorld(), [["module", "version"], [name, "v1.0.0"]])
    assert expected in str(caught.value)
    assert failure_status(caught.value) is Status.ERROR
    assert len(str(caught.value)) < 300  # the long name is shortened, not printed whole


@pytest.mark.parametrize("span", ["99999999999 weeks", "999999999999 days"])
def test_a_span_longer_than_the_calendar_is_a_phrase_error(span):
    with pytest.raises(PhraseError, match=CALENDAR):
        parse_span(span)


def test_a_moment_in_the_calendars_last_year_is_a_phrase_error():
    with pytest.raises(PhraseError, match=CALENDAR):
        parse_moment("Friday 9999-12-31 23:59 UTC")
    assert parse_moment("Thursday 9998-12-31 23:59 UTC").year == 9998


@pytest.mark.parametrize("span", ["2 days", "99999999 weeks"])
def test_time_passing_beyond_the_calendar_is_refused_before_the_clock_moves(span):
    now = datetime(9998, 12, 31, 12, 0, tzinfo=UTC)

    def wait(_span):
        raise AssertionError("the clock was moved")

    world = SimpleNamespace(target=SimpleNamespace(time=object()), now=lambda: now, wait=wait)
    with pytest.raises(ScenarioError, match=CALENDAR):
        time_passes(world, span)


def test_the_lint_reports_a_huge_span_instead_of_a_traceback(tmp_path, capsys):
    out = _lint_one(
        tmp_path,
        capsys,
        "huge",
        "Feature: huge\n  @beyond-page\n  Scenario: huge\n    Given it is Monday 2024-12-16 09:00 UTC\n"
        '    When 99999999999 weeks pass\n    Then the Module "x" does not exist\n',
    )
    assert (
        f"huge.feature:5: When 99999999999 weeks pass: the duration '99999999999 weeks' is {CALENDAR}" in out
    )


ARGUMENTS = """\
Feature: Step arguments
  Scenario: no docstring
    When I apply:

  Scenario: a table for a docstring
    When I apply:
      | a | b |

  Scenario: no table
    Given the registry has the modules:

  Scenario: a docstring for a table
    Given the registry has the modules:
      \"\"\"
      module-one v1.0.0
      \"\"\"

  Scenario: a Then step without its docstring
    Then the Module "module-one" matches:
"""


def test_a_step_without_its_docstring_or_table_says_what_it_takes(pytester: pytest.Pytester):
    pytester.makeconftest('pytest_plugins = ["harness.steps.plugin"]\n')
    pytester.makeini("[pytest]\nbdd_features_base_dir = features/\n")
    (pytester.mkdir("features") / "arguments.feature").write_text(ARGUMENTS)
    pytester.makepyfile(test_arguments='from pytest_bdd import scenarios\nscenarios("arguments.feature")\n')
    # -rN: no short summary, whose lines CI prints whole and a terminal cuts, so each message is
    # counted in its failure's report only
    result = pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:cacheprovider", "-rN")
    result.assert_outcomes(failed=5)
    out = result.stdout.str()
    assert "FixtureLookupError" not in out
    docstring = 'takes a docstring: its text on the lines between two lines of """ under the step'
    table = "takes a table: rows of | cells | under the step"
    assert out.count(f"the step 'When I apply:' {docstring}; none was written") == 1
    assert out.count(f"the step 'When I apply:' {docstring}; a table (| … |) was written there instead") == 1
    assert out.count(f"the step 'Given the registry has the modules:' {table}") == 2
    assert 'a docstring ("""…""") was written there instead' in out
    assert f"the step 'Then the {{kind}} \"{{name}}\" matches:' {docstring}; none was written" in out


def test_steps_that_take_their_argument_still_receive_it():
    from harness.steps.step_arguments import with_argument_check

    def step(world, kind, docstring):
        return (world, kind, docstring)

    checked = with_argument_check(step, "Then x")
    assert checked("w", kind="k", docstring="text") == ("w", "k", "text")
    assert checked("w", kind="k", docstring="text", datatable=None) == ("w", "k", "text")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda f: f.symlink_to(f.name), "is a symbolic link that loops or leads to no file"),
        (lambda f: f.symlink_to("nowhere.yaml"), "is a symbolic link that loops or leads to no file"),
        (lambda f: f.mkdir(), "is a folder: name one YAML file in it"),
    ],
)
def test_a_yaml_file_that_is_a_loop_a_dangling_link_or_a_folder_says_so(
    tmp_path, monkeypatch, make, expected
):
    # A looping link made Path.resolve() raise RuntimeError (Python 3.11): a traceback in the
    # lint, an error naming no file in the run; a folder was "not found".
    from harness.steps.library import objects

    (tmp_path / "features").mkdir()
    make(tmp_path / "features" / "odd.yaml")
    monkeypatch.setattr(objects, "ROOT", tmp_path)
    with pytest.raises(ScenarioError) as caught:
        objects.yaml_file("features/odd.yaml")
    assert f"YAML file 'features/odd.yaml' {expected}" in str(caught.value)


def test_a_kubectl_command_with_an_open_quote_is_the_scenarios_mistake(tmp_path, capsys):
    from harness.steps.kubectl import split_command

    with pytest.raises(ScenarioError) as caught:
        split_command('kubectl get ms "oops')
    assert failure_status(caught.value) is Status.ERROR
    assert 'the command `kubectl get ms "oops` cannot be split into words' in str(caught.value)
    assert "close every quote it opens" in str(caught.value)

    out = _lint_one(
        tmp_path,
        capsys,
        "quote",
        'Feature: q\n  @beyond-page\n  Scenario: q\n    When I run `kubectl get ms "oops`\n'
        '    Then the output contains "x"\n',
    )
    assert 'quote.feature:4: When I run `kubectl get ms "oops`: the command' in out


@pytest.mark.parametrize(
    ("claim_id", "hint"),
    [
        ("", " (write the claim's ID after the colon, e.g. @claim:REL-04)"),
        ("REL-04,REL-03", " (one tag per claim: @claim:REL-04 @claim:REL-03)"),
        ("rel-04", " (did you mean REL-04? claim IDs are upper-case)"),
        ("REL-4", " (did you mean REL-04?)"),
    ],
)
def test_an_unknown_claim_id_gets_the_hint_that_fixes_it(claim_id, hint):
    # difflib alone: "did you mean REL-04?" for "REL-04,REL-03" (REL-03 dropped), nothing for the rest
    from harness.report.tags import claim_hint

    assert claim_hint(claim_id, frozenset({"REL-03", "REL-04", "MS-07"})) == hint


def test_the_lint_and_the_run_give_the_same_claim_hints(tmp_path, capsys):
    out = _lint_one(
        tmp_path,
        capsys,
        "tags",
        "Feature: t\n  @claim:rel-04\n  Scenario: t\n    Given it is Monday 2024-12-16 09:00 UTC\n"
        '    Then the Module "x" does not exist\n',
    )
    assert "unknown claim ID 'rel-04' (did you mean REL-04? claim IDs are upper-case)" in out


def _lint_one(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str) -> str:
    """``dkp-harness steps --lint`` of one feature file holding ``text``, which must fail; its output."""
    feature = tmp_path / "features" / f"{name}.feature"
    feature.parent.mkdir()
    feature.write_text(text)
    assert main(["steps", "--lint", str(feature.parent)]) == 1
    return str(capsys.readouterr().out)
