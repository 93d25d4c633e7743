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


def _catalogue():
    import yaml

    from harness.report.claims import parse_catalogue

    return parse_catalogue(
        yaml.safe_load(
            """
version: 1
page: {title: "p", url: "en/x/"}
claims:
  - {id: MS-01, kind: page, anchor: "#a", section: "s", claim: "c", deviation: null}
  - {id: MS-03, kind: page, anchor: "#a", section: "s", claim: "c", deviation: "DKP differs"}
"""
        )
    )


def test_tag_lint_finds_unknown_claim_ids_unexplained_deviations_and_malformed_tags(tmp_path):
    from harness.steps.tag_lint import tag_problems

    features = write(
        tmp_path,
        """Feature: f
  @claim:MS-1
  Scenario: typo
    Given it is Monday
    Then the Module "m" is in phase "Ready"

  @claim:MS-01 @deviation
  Scenario: nothing to explain
    Given it is Monday
    Then the Module "m" is in phase "Ready"

  @claim:MS-03 @deviation @smoke
  Scenario: explained
    Given it is Monday
    Then the Module "m" is in phase "Ready"

  @claims:MS-01
  Scenario: malformed
    Given it is Monday
""",
    )
    problems = [str(p) for p in tag_problems(features, _catalogue())]
    assert problems == [
        "features/a.feature:2: unknown claim ID 'MS-1' (did you mean MS-01?); "
        "the IDs are in fixtures/claims.yaml",
        "features/a.feature:7: @deviation, but none of its claims (MS-01) has a deviation reason in "
        "the claims catalogue; add the reason to the claim it demonstrates, or drop @deviation",
        "features/a.feature:17: tag @claims:MS-01 looks like a claim tag; "
        "write @claim:<ID>, e.g. @claim:MS-01",
    ]


def test_a_claim_tagged_scenario_without_a_then_step_is_a_finding(tmp_path):
    from harness.steps.tag_lint import tag_problems

    features = write(
        tmp_path,
        """@claim:MS-03
Feature: f
  Background:
    Given it is Monday

  Scenario: checks nothing
    When 3 minutes pass
    And 3 minutes pass

  Scenario: checks after an And
    When 3 minutes pass
    Then the Module "m" is in phase "Ready"
    And the Module "n" is in phase "Ready"

  Scenario Outline: an outline that checks
    When <n> minutes pass
    Then the Module "m" is in phase "Ready"

    Examples:
      | n |
      | 3 |

  @smoke
  Scenario: an empty scenario under the feature's claim
""",
    )
    problems = [str(p) for p in tag_problems(features, _catalogue())]
    assert problems == [
        "features/a.feature:6: scenario 'checks nothing' is tagged @claim:MS-03 but has no Then step: "
        "it checks nothing, yet its pass would count for the claim; add a Then step that checks what "
        "the claim says, or drop the claim tag",
        'features/a.feature:24: scenario "an empty scenario under the feature\'s claim" is tagged '
        "@claim:MS-03 but has no Then step: it checks nothing, yet its pass would count for the claim; "
        "add a Then step that checks what the claim says, or drop the claim tag",
    ]


def test_era_tags_carry_a_deckhouse_version_not_a_marker_name(tmp_path):
    from harness.steps.tag_lint import tag_problems

    features = write(
        tmp_path,
        """Feature: f
  @deckhouse-since:v1.75.0 @deckhouse-before:v1.78.0
  Scenario: in range
    Given it is Monday

  @deckhouse-since:soon
  Scenario: unreadable
    Given it is Monday
""",
    )
    problems = [str(p) for p in tag_problems(features, None)]
    assert len(problems) == 1
    assert problems[0].startswith("features/a.feature:6: tag @deckhouse-since:soon: Deckhouse version 'soon'")


def test_the_project_features_pass_the_tag_lint():
    from harness.report.claims import load_catalogue
    from harness.steps.tag_lint import tag_problems

    assert tag_problems(ROOT / "features", load_catalogue(ROOT / "fixtures" / "claims.yaml")) == []


def test_steps_lint_cli_fails_on_an_unknown_claim_id(tmp_path, capsys):
    from harness.cli import main

    (tmp_path / "x.feature").write_text(
        "Feature: f\n  @claim:NOPE-1\n  Scenario: s\n    Given it is Monday 2024-12-16 09:00 UTC\n"
    )
    assert main(["steps", "--lint", "--features", str(tmp_path)]) == 1
    assert "x.feature:2: unknown claim ID 'NOPE-1'" in capsys.readouterr().out


TWINS = """Feature: f
  @claim:MS-1
  Scenario: twin
    When 3 minutes passed
    Then the Module "m" is in phase "Ready"

  Scenario: twin
    When 3 minutes pass
"""


def test_the_first_of_two_scenarios_sharing_a_name_is_linted_too(tmp_path):
    from harness.report.claims import load_catalogue
    from harness.steps.tag_lint import tag_problems

    features = write(tmp_path, TWINS)
    report = lint(features, LIBRARY)
    assert [line.location for line, _ in report.undefined] == ["features/a.feature:4"]
    problems = [str(p) for p in tag_problems(features, load_catalogue(ROOT / "fixtures" / "claims.yaml"))]
    assert problems == [
        "features/a.feature:2: unknown claim ID 'MS-1' (did you mean MS-01?); "
        "the IDs are in fixtures/claims.yaml"
    ]


def test_a_feature_file_that_is_not_utf8_is_a_lint_finding_not_a_crash(tmp_path):
    from harness.steps.tag_lint import tag_problems

    features = write(tmp_path, "Feature: f\n  Scenario: s\n    Given it is Monday\n")
    (features / "latin1.feature").write_bytes("Feature: f\n  Scenario: caf\xe9\n".encode("latin-1"))
    assert lint(features, LIBRARY[:1]).undefined == []
    [problem] = tag_problems(features, None)
    assert problem.location == "features/latin1.feature:2"
    assert problem.message.startswith("not UTF-8 text: byte 0xe9 at line 2, column 16 cannot be decoded")
    assert problem.message.endswith("save the file as UTF-8")


def test_values_a_step_cannot_take_are_found_before_any_run(tmp_path):
    """The run would refuse each of these with "could not check"; the lint says so first."""
    features = write(
        tmp_path,
        """Feature: f
  Scenario: mistakes in the values
    Given it is Monday 2024-12-17 09:00 UTC
    When 3 minuts pass
    Then the Modul "module-one" is in phase "Ready"
    And the Module "module-one" matches:
      \"\"\"
      status:
        phase: [Ready
      \"\"\"

  Scenario: the same steps written right
    Given it is Tuesday 2024-12-17 09:00 UTC
    When 3 minutes pass
    Then the ModuleRelease "module-one-v1.0.0" is in phase "Deployed"
    And the Module "module-one" matches:
      \"\"\"
      status:
        phase: Ready
      \"\"\"
""",
    )
    report = lint(features, CATALOGUE)
    found = {line.line: problem for line, problem in report.invalid}
    assert sorted(found) == [3, 4, 5, 6]
    assert "2024-12-17 is a Tuesday, not a Monday" in found[3]
    assert "cannot read the duration '3 minuts'" in found[4]
    assert "unknown kind 'Modul': did you mean 'Module'?" in found[5]
    assert 'in "features/a.feature", line 9' in found[6]
    assert not report.ok


def test_a_yaml_file_the_run_would_not_find_is_found_before_any_run(tmp_path):
    features = write(
        tmp_path,
        """Feature: f
  Scenario: files
    Given the cluster has the objects of "features/sources/exmaple-source.yaml"
    And the cluster has the objects of "/etc/passwd"
    And the cluster has the objects of "features/sources/example-source.yaml"
""",
    )
    found = {line.line: problem for line, problem in lint(features, CATALOGUE).invalid}
    assert sorted(found) == [3, 4]
    assert "did you mean 'features/sources/example-source.yaml'?" in found[3]
    assert "YAML file '/etc/passwd' is outside the project" in found[4]


def test_fields_no_era_of_the_kind_has_are_found_before_any_run(tmp_path):
    """What the run refuses as a typo (kubectl apply's strict decoding, a matches: field the kind
    lacks), the lint finds first, with the run's words; free-form settings are not judged."""
    features = write(
        tmp_path,
        """Feature: f
  Scenario: typos in YAML
    When I apply:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        sorce: example
        settings:
          anything: goes
      \"\"\"
    Then the ModuleSource "example" matches:
      \"\"\"
      staus:
        phase: Active
      \"\"\"
    And the Module "module-one" matches:
      \"\"\"
      properties:
        source: example
      \"\"\"

  Scenario: a seeded state is taken as written, as DKP's controller tests take it
    Given the cluster has:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: module-one-v1.0.0
      spec:
        moduleName: module-one
        version: 1.0.0
        fieldOfALaterRelease: 1
      \"\"\"
""",
    )
    report = lint(features, CATALOGUE)
    found = {line.line: problem for line, problem in report.invalid}
    assert any(
        line.startswith("features/a.feature:3: When I apply: the ModuleConfig") for line in report.lines()
    )
    assert sorted(found) == [3, 15]
    assert found[3].startswith("the ModuleConfig 'module-one' in the YAML has fields its kind does not have")
    assert "spec.sorce is not a field of the kind (did you mean 'source'?" in found[3]
    assert found[15].startswith("the YAML to match names fields a ModuleSource does not have: staus")


def test_a_seeded_misspelling_and_a_misspelt_kind_are_found_in_docstrings_and_files(tmp_path, monkeypatch):
    """Seeding takes unknown fields as written, but not one spelt like a real field, nor a DKP
    kind that does not exist; a seeded YAML file is judged as its docstring would be."""
    features = write(
        tmp_path,
        """Feature: f
  Scenario: seeded typos
    Given the cluster has:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        updatePolciy: manual
      \"\"\"
    And the cluster has:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSorce
      metadata:
        name: example
      \"\"\"
    And the cluster has the objects of "features/seeded.yaml"
""",
    )
    (tmp_path / "features" / "seeded.yaml").write_text(
        "apiVersion: deckhouse.io/v1alpha1\nkind: ModuleConfig\n"
        "metadata:\n  name: m\nspec:\n  enabeld: true\n"
    )
    from harness.steps.library import objects

    monkeypatch.setattr(objects, "ROOT", tmp_path)  # the file is the project's, as the run reads it
    found = {line.line: problem for line, problem in lint(features, CATALOGUE).invalid}
    assert sorted(found) == [3, 12, 19], found
    assert "spec.updatePolciy is not a field of the kind (did you mean 'updatePolicy'?" in found[3]
    assert "unknown kind 'ModuleSorce': did you mean 'ModuleSource'?" in found[12]
    assert "spec.enabeld is not a field of the kind (did you mean 'enabled'?" in found[19]


def test_a_misspelt_phase_is_found_before_any_run(tmp_path):
    features = write(
        tmp_path,
        """Feature: f
  Scenario: phases
    Then the Module "module-one" went through Downloding, Ready
    And the ModuleRelease "r" is in phase "Deployed"
    And the Module "module-one" is in phase "Redy"
""",
    )
    found = {line.line: problem for line, problem in lint(features, CATALOGUE).invalid}
    assert sorted(found) == [3, 5]
    assert "did you mean 'Downloading'?" in found[3] and "did you mean 'Ready'?" in found[5]


def test_a_value_outside_its_fields_enum_in_every_era_is_found_before_any_run(tmp_path):
    features = write(
        tmp_path,
        """Feature: f
  Scenario: enums
    When I apply:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: p
      spec:
        update:
          mode: Manuall
      \"\"\"
    And I apply:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: q
      spec:
        update:
          mode: Manual
      \"\"\"
""",
    )
    found = {line.line: problem for line, problem in lint(features, CATALOGUE).invalid}
    assert sorted(found) == [3]
    assert found[3].startswith(
        'ModuleUpdatePolicy.deckhouse.io "p" is invalid: spec.update.mode: Unsupported value:'
    )
    assert "(did you mean 'Manual'?)" in found[3]


def test_an_applied_status_or_an_unknown_dkp_kind_gets_the_runs_words(tmp_path):
    features = write(
        tmp_path,
        """Feature: f
  Scenario: apply mistakes
    When I apply:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: module-one-v1.0.0
      status:
        phase: Deployed
      \"\"\"
    And I apply:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfg
      metadata:
        name: module-one
      \"\"\"
""",
    )
    found = {line.line: problem for line, problem in lint(features, CATALOGUE).invalid}
    assert "has a status, which an apply never writes" in found[3]
    assert "unknown kind 'ModuleConfg': did you mean 'ModuleConfig'?" in found[12]
