from __future__ import annotations

from pathlib import Path

from pytest_bdd import parsers

from harness.steps.catalogue import CATALOGUE, StepDef
from harness.steps.lint import closest_steps, lint

ROOT = Path(__file__).resolve().parents[2]


def step(kind, pattern, line=1):
    return StepDef(kind, pattern, "", "", "lib.py", line, f"lib:{line}", parsers.parse(pattern))


LIBRARY = [
    step("given", "it is {moment}", 1),
    step("when", "{span} pass", 2),
    step("then", 'the {kind} "{name}" is in phase "{phase}"', 3),
    step("then", 'the Module "{name}" is in phase "{phase}"', 4),
    step("when", "the registry goes down", 5),
]


def write(tmp_path, text):
    features = tmp_path / "features"
    features.mkdir()
    (features / "a.feature").write_text(text)
    return features


def test_a_clean_feature_has_no_findings_and_counts_usage(tmp_path):
    features = write(
        tmp_path,
        """Feature: f
  Scenario: s
    Given it is Wednesday 2024-12-18 13:25 UTC
    When 3 minutes pass
""",
    )
    report = lint(features, LIBRARY[:2])
    assert report.ok
    assert report.usage == {"given it is {moment}": 1, "when {span} pass": 1}


def test_undefined_steps_are_reported_with_file_line_and_closest_definitions(tmp_path):
    features = write(
        tmp_path,
        """Feature: f
  Scenario: s
    Given it is Wednesday 2024-12-18 13:25 UTC
    When 3 minutes passed
""",
    )
    report = lint(features, LIBRARY)
    [(line, near)] = report.undefined
    assert (line.location, line.text) == ("features/a.feature:4", "3 minutes passed")
    assert near[0].pattern == "{span} pass"
    assert "features/a.feature:4: undefined step: When 3 minutes passed" in report.lines()[0]


def test_two_definitions_matching_one_line_are_ambiguous(tmp_path):
    features = write(
        tmp_path,
        """Feature: f
  Scenario: s
    Then the Module "module-one" is in phase "Ready"
""",
    )
    report = lint(features, LIBRARY)
    [(_line, defs)] = report.ambiguous
    assert [d.line for d in defs] == [3, 4]
    assert "ambiguous step" in report.lines()[0]


def test_definitions_no_feature_uses_are_unused(tmp_path):
    features = write(
        tmp_path,
        """Feature: f
  Scenario: s
    Given it is Wednesday 2024-12-18 13:25 UTC
""",
    )
    report = lint(features, LIBRARY)
    assert [s.pattern for s in report.unused] == [s.pattern for s in LIBRARY[1:]]


def test_outline_steps_are_checked_once_per_examples_row(tmp_path):
    features = write(
        tmp_path,
        """Feature: f
  Scenario Outline: s
    When <span> pass
    Examples:
      | span      |
      | 3 minutes |
      | 3 moons   |
""",
    )
    report = lint(features, LIBRARY[1:2])
    assert report.usage["when {span} pass"] == 2
    assert report.undefined == []


def test_the_kind_of_a_step_decides_which_definitions_can_match(tmp_path):
    features = write(
        tmp_path,
        """Feature: f
  Scenario: s
    Given the registry goes down
""",
    )
    assert [line.text for line, _ in lint(features, LIBRARY).undefined] == ["the registry goes down"]


def test_closest_steps_prefer_the_same_wording():
    near = closest_steps("then", 'the Module "x" is in the phase "Ready"', LIBRARY)
    assert near[0].pattern.endswith('is in phase "{phase}"')


def test_the_project_features_use_only_defined_unambiguous_steps_and_every_step_is_used():
    report = lint(ROOT / "features", CATALOGUE)
    assert report.ok, "dkp-harness steps --lint finds:\n" + "\n".join(report.lines())
