"""The controller names a scenario from its node id alone (harness.report.node_scenarios).

Under pytest-xdist the controller never collects; when every worker that collected a scenario
crashed before shipping it, the node id is all that is left. The names are the binding's own
(harness.bound_features walks them for both).
"""

from __future__ import annotations

from pathlib import Path

from harness.bound_features import bound_tests
from harness.report.node_scenarios import NodeScenarios

FEATURE = """\
@claim:MS-01
Feature: Twice

  @deviation @claim:MS-03
  Scenario: Same name
    Given a step

  Scenario: Same name
    Given another step
"""


def _project(tmp_path: Path, module_text: str) -> Path:
    (tmp_path / "features" / "area").mkdir(parents=True)
    (tmp_path / "features" / "area" / "twice.feature").write_text(FEATURE)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "test_features.py").write_text(module_text)
    return tmp_path


def test_every_test_the_binding_makes_is_named_back_with_its_claims_and_deviation(tmp_path):
    root = _project(tmp_path, "from harness.steps.binding import bind_features\nbind_features(globals())\n")
    # the names bind_features gives (it walks bound_tests too; tests/steps/test_binding.py runs it)
    names = [test.name for test in bound_tests(root / "features")]
    assert names == ["test_area_twice__same_name", "test_area_twice__same_name_2"]
    known = NodeScenarios(root)
    first = known.skeleton(f"scenarios/test_features.py::{names[0]}")
    second = known.skeleton(f"scenarios/test_features.py::{names[1]}")
    assert first is not None and second is not None
    assert (first["line"], first["claims"], first["deviation"]) == (5, ["MS-01", "MS-03"], True)
    assert (second["line"], second["claims"], second["deviation"]) == (8, ["MS-01"], False)
    assert first["feature_uri"] == "features/area/twice.feature"
    assert [s["status"] for s in second["steps"]] == ["skipped"]


def test_a_node_id_of_anything_else_stays_unnamed(tmp_path):
    """A plain test, a module that binds nothing, an unknown name: no scenario is made up."""
    root = _project(tmp_path, "def test_area_twice__same_name():\n    pass\n")
    known = NodeScenarios(root)
    assert known.skeleton("scenarios/test_features.py::test_area_twice__same_name") is None
    assert known.skeleton("scenarios/missing.py::test_x") is None
    assert known.skeleton("not a node id") is None
