"""The automatic binding of feature files: every scenario of every file, none lost silently.

pytest-bdd keeps a feature's scenarios in a dict keyed by name; two scenarios sharing a name in
one file used to leave only the second, and the first (which may fail) never ran.
"""

from __future__ import annotations

import os
import textwrap
from types import SimpleNamespace

from pytest_bdd.scenario import scenario_wrapper_template_registry

from harness.report.recorder import unreadable_feature
from harness.steps.binding import bind_features, parse_feature

pytest_plugins = ["pytester"]

TWINS = """\
Feature: Twins

  Scenario: Same name
    Given a step that fails

  Scenario: Other
    Given a step that passes

  Scenario: Same name
    Given a step that passes

  Rule: a rule
    Scenario: Same name
      Given a step that passes
"""

STEPS = """\
from pytest_bdd import given


@given("a step that fails")
def _():
    raise AssertionError("the first twin fails")


@given("a step that passes")
def _():
    pass
"""


def _features(tmp_path, text, name="twins.feature"):
    features = tmp_path / "features"
    features.mkdir(exist_ok=True)
    (features / name).write_text(text)
    return features


def test_every_scenario_is_listed_in_file_order_even_when_names_repeat(tmp_path):
    features = _features(tmp_path, TWINS)
    parsed = parse_feature(features, "twins.feature")
    assert [(t.name, t.line_number) for t in parsed.scenarios] == [
        ("Same name", 3),
        ("Other", 6),
        ("Same name", 9),
        ("Same name", 13),
    ]
    assert parsed.scenarios[3].rule is not None and parsed.scenarios[3].rule.name == "a rule"
    assert {t.feature for t in parsed.scenarios} == {parsed.feature}


def test_an_edited_file_is_parsed_again(tmp_path):
    features = _features(tmp_path, "Feature: f\n  Scenario: one\n    Given x\n")
    assert [t.name for t in parse_feature(features, "twins.feature").scenarios] == ["one"]
    path = features / "twins.feature"
    path.write_text("Feature: f\n  Scenario: one\n    Given x\n  Scenario: two\n    Given y\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later edit
    assert [t.name for t in parse_feature(features, "twins.feature").scenarios] == ["one", "two"]


def test_two_scenarios_with_one_name_are_both_bound_the_second_with_a_suffix(tmp_path):
    features = _features(tmp_path, TWINS)
    namespace: dict[str, object] = {}
    assert bind_features(namespace, features) == 4
    lines = {
        name: scenario_wrapper_template_registry[function].line_number for name, function in namespace.items()
    }
    assert lines == {
        "test_twins__same_name": 3,
        "test_twins__other": 6,
        "test_twins__same_name_2": 9,
        "test_twins__same_name_3": 13,
    }


def test_an_unreadable_file_is_bound_as_one_test_the_report_recognises(tmp_path):
    features = _features(
        tmp_path, "Feature: bad\n  Scenario: x\n    Given a\n  Nonsense here\n", "bad.feature"
    )
    namespace: dict[str, object] = {}
    assert bind_features(namespace, features) == 1
    [(name, function)] = namespace.items()
    assert name == "test_bad__unreadable"
    problem = unreadable_feature(SimpleNamespace(function=function))  # all the report reads of an item
    assert problem is not None
    assert (problem.path, problem.line) == (str(features / "bad.feature"), 4)
    assert problem.message.startswith("features/bad.feature:4: not a valid feature file: ")


def test_a_file_that_is_not_utf8_names_the_line_and_column_and_the_fix(tmp_path):
    features = tmp_path / "features"
    features.mkdir()
    (features / "latin1.feature").write_bytes(
        "Feature: f\n  Scenario: x\n    Given the module caf\xe9\n".encode("latin-1")
    )
    namespace: dict[str, object] = {}
    assert bind_features(namespace, features) == 1
    [function] = namespace.values()
    problem = unreadable_feature(SimpleNamespace(function=function))
    assert problem is not None and problem.line == 3
    assert problem.message == (
        "features/latin1.feature:3: not a valid feature file: not UTF-8 text: byte 0xe9 at line 3, "
        "column 25 cannot be decoded (invalid continuation byte); save the file as UTF-8"
    )


def test_both_scenarios_of_one_name_run_and_the_first_one_fails_the_run(pytester):
    pytester.makeconftest(STEPS)
    pytester.makeini("[pytest]\naddopts = -p no:randomly -p no:cacheprovider\n")
    (pytester.mkdir("features") / "twins.feature").write_text(TWINS)
    pytester.mkdir("scenarios")
    (pytester.path / "scenarios" / "test_features.py").write_text(
        "from harness.steps.binding import bind_features\n\nbind_features(globals())\n"
    )
    result = pytester.runpytest("scenarios", "-v")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*::test_twins__same_name FAILED*", "*::test_twins__same_name_2 PASSED*"])


def test_a_hand_written_binding_of_the_file_leaves_the_first_twin_to_the_automatic_one(pytester):
    """``scenarios()`` binds only the last of two same-named scenarios (pytest-bdd's dict); the
    step plugin drops the automatic duplicate of what it bound, and of nothing else."""
    pytester.makeconftest('pytest_plugins = ["harness.steps.plugin"]\n' + STEPS)
    pytester.makeini(
        "[pytest]\naddopts = -p no:randomly -p no:cacheprovider\nbdd_features_base_dir = features/\n"
    )
    (pytester.mkdir("features") / "twins.feature").write_text(textwrap.dedent(TWINS).split("  Rule:")[0])
    pytester.mkdir("scenarios")
    (pytester.path / "scenarios" / "test_features.py").write_text(
        "from harness.steps.binding import bind_features\n\nAUTO_BINDING = True\nbind_features(globals())\n"
    )
    (pytester.path / "scenarios" / "test_hand.py").write_text(
        'from pytest_bdd import scenarios\n\nscenarios("twins.feature")\n'
    )
    result = pytester.runpytest("scenarios", "-v")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*test_features.py::test_twins__same_name FAILED*"])
    assert "test_features.py::test_twins__same_name_2" not in result.stdout.str()
