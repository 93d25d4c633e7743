"""The controller names a scenario from its node id alone (harness.report.node_scenarios).

Under pytest-xdist the controller never collects; when every worker that collected a scenario
crashed before shipping it, the node id is all that is left. The names are the binding's own
(harness.bound_features walks them for both).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_bdd.utils import CONFIG_STACK

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


def _runtime_names(module: Path, config: pytest.Config) -> list[str]:
    """The test names the module really makes: its source run, as pytest would import it
    (pytest-bdd applies the scenarios' tags through the config on top of its stack)."""
    namespace: dict[str, object] = {"__file__": str(module), "__name__": "bound_module"}
    CONFIG_STACK.append(config)
    try:
        exec(compile(module.read_text(), str(module), "exec"), namespace)
    finally:
        CONFIG_STACK.pop()
    return [name for name in namespace if name.startswith("test_")]


def _features(folder: Path, name: str = "twice.feature") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(FEATURE)
    return folder


BINDS = "from pathlib import Path\n\nfrom harness.steps.binding import bind_features\n\n"


def test_a_module_binding_another_folder_has_its_scenarios_named(tmp_path, pytestconfig):
    """A folder beside the module, one named by an absolute literal, one by a module-level name,
    and a second call whose clashing names the binding makes unique: each node id is named."""
    root = _project(tmp_path, "")
    _features(root / "scenarios" / "own" / "area")
    _features(tmp_path / "elsewhere", "other.feature")
    _features(root / "more" / "area")
    (root / "scenarios" / "test_features.py").write_text(
        BINDS
        + 'bind_features(globals(), features_dir=Path(__file__).parent / "own")\n'
        + f"bind_features(globals(), Path({str(tmp_path / 'elsewhere')!r}))\n"
        + 'MORE = Path(__file__).resolve().parents[1] / "more"\n'
        + "bind_features(globals(), MORE)\n"
    )
    names = _runtime_names(root / "scenarios" / "test_features.py", pytestconfig)
    assert len(names) == 6 and "test_area_twice__same_name_3" in names  # ``more`` clashes with ``own``
    known = NodeScenarios(root)
    skeletons = {name: known.skeleton(f"scenarios/test_features.py::{name}") for name in names}
    assert [name for name, skeleton in skeletons.items() if skeleton is None] == []
    assert skeletons["test_other__same_name"]["claims"] == ["MS-01", "MS-03"]
    assert skeletons["test_area_twice__same_name_3"]["line"] == 5
    assert skeletons["test_area_twice__same_name_3"]["feature_uri"] == "more/area/twice.feature"


def test_an_imported_alias_and_a_none_folder_are_read_as_the_binding_reads_them(tmp_path, pytestconfig):
    alias = "from harness.steps.binding import bind_features as bind\n\nbind(globals(), None)\n"
    root = _project(tmp_path, alias)
    [first, _] = _runtime_names(root / "scenarios" / "test_features.py", pytestconfig)
    assert NodeScenarios(root).skeleton(f"scenarios/test_features.py::{first}") is not None


def test_a_folder_only_running_the_module_could_tell_leaves_its_node_ids_bare(tmp_path):
    from harness.report.binding_folders import bound_folders

    helper = "def where():\n    return Path('features')\n\nbind_features(globals(), where())\n"
    root = _project(tmp_path, BINDS + helper)
    module = root / "scenarios" / "test_features.py"
    assert bound_folders(module) is None
    assert NodeScenarios(root).skeleton("scenarios/test_features.py::test_area_twice__same_name") is None
    module.write_text(BINDS + "F = Path('a')\nF = Path('b')\nbind_features(globals(), F)\n")  # assigned twice
    assert bound_folders(module) is None
    module.write_text("import os\n" + BINDS + "bind_features(globals(), os.environ['X'])\n")
    assert bound_folders(module) is None
