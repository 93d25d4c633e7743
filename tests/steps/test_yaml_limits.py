"""The API server's input limits hold for the YAML a scenario writes, not only for HTTP bodies.

Steps call the API server in-process, past the layer that bounds request bodies, so the step layer
applies the same bounds itself (:mod:`harness.steps.bounded_yaml`): a "billion laughs" docstring
or file is refused after its parser events are read, never expanded, and deep nesting is a clear
error naming the feature file's line instead of a ``RecursionError``.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest
import yaml

from harness.apiserver.limits import DEFAULT_LIMITS
from harness.report.status import Status, failure_status
from harness.steps import bounded_yaml
from harness.steps.documents import DocumentError, Origin, parse_documents
from harness.steps.errors import ScenarioError

pytest_plugins = ["pytester"]


def _laughs(levels: int = 9) -> str:
    """A billion-laughs document: expanding it would build 9**levels scalars."""
    names = "abcdefghijklmnop"[:levels]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(['"lol"'] * 9) + "]"]
    for previous, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BOMB = _laughs() + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: laughs\n"


def test_the_limits_are_the_api_servers():
    assert bounded_yaml.MAX_DEPTH == DEFAULT_LIMITS.max_depth
    assert bounded_yaml.MAX_FILE_BYTES == DEFAULT_LIMITS.max_body_bytes


def test_a_billion_laughs_is_refused_before_anything_is_built(monkeypatch):
    def no_construction(*args, **kwargs):
        raise AssertionError("the bomb reached the YAML constructor")

    monkeypatch.setattr(yaml, "load_all", no_construction)
    monkeypatch.setattr(yaml, "safe_load_all", no_construction)
    origin = Origin("the step's docstring", "features/laughs.feature", 7)
    with pytest.raises(DocumentError) as caught:
        parse_documents(BOMB, origin=origin)
    message = str(caught.value)
    assert "excessive aliasing" in message
    assert "features/laughs.feature:10" in message  # the line of the alias that crossed the limit
    assert "docs/apiserver-limits.md" in message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("x:\n  " + "[" * 3000 + "]" * 3000 + "\n", 8),
        ("x: " + "[" * 150 + "]" * 150 + "\n", 7),
        ("x: &deep " + "[" * 60 + "]" * 60 + "\ny:\n  z: " + "[" * 50 + "[*deep]" + "]" * 50 + "\n", 9),
    ],
    ids=["3000-levels", "150-levels", "aliases-count-at-their-depth"],
)
def test_nesting_deeper_than_the_api_server_allows_is_refused_with_its_line(text, line):
    with pytest.raises(DocumentError) as caught:
        parse_documents(text, origin=Origin("the step's docstring", "features/deep.feature", 7))
    assert not isinstance(caught.value.__cause__, RecursionError)
    assert "exceeded max depth: the YAML nests more than 100 levels" in str(caught.value)
    assert f"features/deep.feature:{line}" in str(caught.value)


def test_yaml_within_the_limits_still_parses_with_its_aliases():
    text = "a: &x {b: 1}\nc: *x\nd: " + "[" * 99 + "]" * 99 + "\n"
    [document] = parse_documents(text)
    assert document["c"] == {"b": 1}


def test_a_settings_cell_is_bounded_too():
    from harness.steps.library.registry import _mapping_cell
    from harness.steps.tables import TableError

    cell = "{" + ", ".join(_laughs().splitlines()) + "}"
    with pytest.raises(TableError, match="excessive aliasing"):
        _mapping_cell(cell, "settings")


@pytest.mark.parametrize("path", ["../../../../tmp/x.yaml", "/etc/hostname", "/etc/../etc/passwd"])
def test_a_yaml_file_outside_the_project_is_refused(path):
    from harness.steps.library.objects import apply_file

    with pytest.raises(ScenarioError) as caught:
        apply_file(SimpleNamespace(), path)
    assert failure_status(caught.value) is Status.ERROR
    assert "is outside the project" in str(caught.value)
    assert "put the file under the project" in str(caught.value)


def test_a_symlink_out_of_the_project_is_refused(tmp_path, monkeypatch):
    from harness.steps.library import objects

    project = tmp_path / "project"
    (project / "features").mkdir(parents=True)
    outside = tmp_path / "kubeconfig.yaml"
    outside.write_text("apiVersion: v1\nkind: Config\nmetadata: {name: x}\n")
    (project / "features" / "link.yaml").symlink_to(outside)
    monkeypatch.setattr(objects, "ROOT", project)
    with pytest.raises(ScenarioError, match="is outside the project"):
        objects.apply_file(SimpleNamespace(), "features/link.yaml")


def test_a_yaml_file_of_the_project_is_read_through_the_same_limits(tmp_path, monkeypatch):
    from harness.steps.library import objects

    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "laughs.yaml").write_text(BOMB)
    monkeypatch.setattr(objects, "ROOT", tmp_path)

    class _World:
        def documents(self, text, origin):
            return parse_documents(text, origin=origin)

    refused = (
        r"the YAML file 'features/laughs.yaml' is refused at features/laughs.yaml:4: .*excessive aliasing"
    )
    with pytest.raises(DocumentError, match=refused):
        objects.apply_file(_World(), "features/laughs.yaml")


FEATURE = f'''\
Feature: hostile docstrings

  Scenario: A billion laughs in a docstring
    Given the cluster has:
      """
{"".join("      " + line + chr(10) for line in BOMB.splitlines())}      """
'''


@pytest.mark.registry
def test_a_billion_laughs_docstring_errors_at_its_feature_line(pytester, feature_project):
    feature_project("laughs", FEATURE)
    recorder = pytester.inline_run("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist")
    recorder.assertoutcome(failed=1)
    [call] = recorder.getcalls("pytest_bdd_step_error")
    assert isinstance(call.exception, DocumentError)
    assert failure_status(call.exception) is Status.ERROR
    assert "excessive aliasing" in str(call.exception)
    assert "laughs.feature:9" in str(call.exception)
