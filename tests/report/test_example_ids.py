"""An Outline row's pytest id, deduplicated or escaped, names its own row (harness.report.example_ids).

The controller names a crashed worker's scenario from its node id alone. pytest escapes an id that
is not printable ASCII and numbers equal ids; such a row used to be named by its Outline, its
placeholders unfilled. The ids are checked against the node ids a real collection gives.
"""

from __future__ import annotations

import pytest

from harness.report.example_ids import row_ids
from harness.report.node_scenarios import NodeScenarios

pytest_plugins = ["pytester"]

OUTLINE = """\
Feature: Rows

  Scenario Outline: The worker dies on <what> <n>
    Given the process dies

    Examples:
      | what  | n   |
      | kill  | 1   |
      | kill  | 1   |
      | kill  | 1_0 |
      | x     | y   |
      | x     | y   |
      | é     | 2   |
      | a\u202eb   | ok  |

    Examples: a second table shares the ids
      | what | n |
      | x    | y |
      | é    | 2 |
"""


def test_equal_ids_are_numbered_as_pytest_numbers_them():
    assert row_ids(["a-1", "a-1", "a-1_0", "x", "x", "x0"]) == ["a-1_1", "a-1_2", "a-1_0", "x1", "x2", "x0"]
    assert row_ids(["kill", "stop"]) == ["kill", "stop"]


@pytest.mark.parametrize("escaping", [True, False])
def test_every_row_of_a_real_collection_is_named_from_its_node_id(pytester: pytest.Pytester, escaping: bool):
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "rows.feature").write_text(OUTLINE, encoding="utf-8")
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "test_features.py").write_text(
        "from harness.steps.binding import bind_features\n\nbind_features(globals())\n"
    )
    if not escaping:
        option = "disable_test_id_escaping_and_forfeit_all_rights_to_community_support"
        pytester.makeini(f"[pytest]\n{option} = true\n")
    items, _ = pytester.inline_genitems("scenarios", "-p", "no:randomly", "-p", "no:cacheprovider")
    assert len(items) == 9
    ids = [item.nodeid.partition("[")[2].removesuffix("]") for item in items]
    assert ("kill-1_1" in ids) and ("\\xe9-2_0" in ids) is escaping and ("é-2_0" in ids) is not escaping
    known = NodeScenarios(pytester.path)
    for item in items:
        skeleton = known.skeleton(item.nodeid)
        assert skeleton is not None
        assert skeleton["example"] == item.callspec.params["_pytest_bdd_example"], item.nodeid
        row = item.callspec.params["_pytest_bdd_example"]
        assert skeleton["name"] == f"The worker dies on {row['what']} {row['n']}"
