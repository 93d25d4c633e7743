"""A mistake in a step's YAML names the feature file and its line there, not a line counted from
the top of the docstring (``in "<unicode string>", line 7``), which the author had to add up."""

from __future__ import annotations

import pytest

from harness.steps.documents import DocumentError, Origin, parse_documents
from harness.steps.step_place import StepPlace, docstring_first_line

pytest_plugins = ["pytester"]

BAD = "kind: ConfigMap\nmetadata:\n  name: a\n   bad: indent\n"


def test_a_yaml_error_names_the_file_and_the_line_in_it():
    with pytest.raises(DocumentError) as caught:
        parse_documents(BAD, origin=Origin("the step's docstring", "features/x.feature", 30))
    message = str(caught.value)
    assert 'in "features/x.feature", line 33, column 7' in message  # the 4th line of the docstring
    assert "<unicode string>" not in message
    assert "bad: indent" in message  # PyYAML's quoted line and caret are kept


def test_an_unknown_placeholder_names_its_line():
    text = "kind: ModuleSource\nspec:\n  repo: ${REGISTRY}/x\n  dockerCfg: ${DOCKER_CFG}\n"
    with pytest.raises(DocumentError, match=r"\$\{DOCKER_CFG\} in the YAML \(features/x.feature:13\)"):
        parse_documents(text, {"REGISTRY": "r"}, Origin("the step's docstring", "features/x.feature", 10))


def test_the_docstring_starts_below_its_delimiter_past_blank_and_comment_lines(tmp_path):
    feature = tmp_path / "f.feature"
    feature.write_text(
        'Feature: f\n  Scenario: s\n    Given the cluster has:\n\n    # a note\n    """\n    a: 1\n'
    )
    assert docstring_first_line(feature, 3) == 7
    assert docstring_first_line(feature, 2) is None  # the next line is a step, not a docstring
    assert StepPlace(feature, 3, "a: 1", tmp_path).docstring_origin() == Origin(
        "the step's docstring", "f.feature", 7, indent=4
    )


FEATURE = """\
Feature: YAML mistakes

  Scenario: A docstring with a bad indent
    Given it is Monday 2024-12-16 09:00 UTC
    And the cluster has:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
         bad: indent
      \"\"\"

  Scenario Outline: An Outline's docstring, filled from its row
    Given it is Monday 2024-12-16 09:00 UTC
    When I apply:
      \"\"\"
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: <name>
       spec: {}
      \"\"\"

    Examples:
      | name       |
      | module-one |
"""


@pytest.mark.registry
def test_a_yaml_mistake_in_a_docstring_names_the_feature_files_line(pytester, feature_project, monkeypatch):
    from harness.steps.library import objects

    feature_project("yaml_lines", FEATURE)
    # The step reads files under the project root only: here, the pytester project is the root.
    monkeypatch.setattr(objects, "ROOT", pytester.path.resolve())
    (pytester.path / "broken.yaml").write_text(
        "kind: ModuleSource\nmetadata:\n  name: example\n   spec: {}\n"
    )
    bad_file = "broken.yaml"
    feature = pytester.path / "features" / "yaml_lines.feature"
    feature.write_text(
        feature.read_text()
        + f"""
  Scenario: A YAML file with a bad indent
    Given it is Monday 2024-12-16 09:00 UTC
    And the cluster has the objects of "{bad_file}"
"""
    )
    recorder = pytester.inline_run("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist")
    recorder.assertoutcome(failed=3)
    errors = {
        call.step.line_number: str(call.exception) for call in recorder.getcalls("pytest_bdd_step_error")
    }
    assert sorted(errors) == [5, 18, 33]
    assert errors[5].startswith("the step's docstring is not valid YAML")
    # the file's column (the docstring's 6 columns of indentation included), not the docstring's 7
    assert 'in "features/yaml_lines.feature", line 13, column 13' in errors[5]
    assert 'in "features/yaml_lines.feature", line 24, column' in errors[18]
    assert errors[33].startswith(f"the YAML file {bad_file!r} is not valid YAML")
    assert f'in "{bad_file}", line 4, column' in errors[33]
