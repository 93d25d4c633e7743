"""The longest scenarios first: recorded per run, applied to scenarios only, the rest left in place."""

from __future__ import annotations

import json

pytest_plugins = ["pytester"]

PLUGIN = ("-p", "harness.steps.schedule_plugin", "-p", "no:randomly")


def _project(pytester):
    pytester.makepyfile(
        **{
            "scenarios/test_features": "def test_a(): pass\ndef test_b(): pass\ndef test_c(): pass\n",
            "tests/test_unit": "def test_first(): pass\ndef test_second(): pass\n",
        }
    )


def _record(pytester, durations):
    folder = pytester.path / ".pytest_cache" / "v" / "dkp-harness"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "durations").write_text(json.dumps(durations))


def _order(pytester, *args):
    result = pytester.runpytest("--co", "-q", *PLUGIN, *args)
    return [line for line in result.outlines if "::" in line]


def test_scenarios_run_longest_first_and_an_unrecorded_one_before_them(pytester):
    _project(pytester)
    _record(pytester, {"scenarios/test_features.py::test_a": 0.2, "scenarios/test_features.py::test_b": 5.0})
    assert _order(pytester, "scenarios", "tests") == [
        "scenarios/test_features.py::test_c",
        "scenarios/test_features.py::test_b",
        "scenarios/test_features.py::test_a",
        "tests/test_unit.py::test_first",
        "tests/test_unit.py::test_second",
    ]


def test_unit_tests_keep_their_places_around_the_scenarios(pytester):
    _project(pytester)
    _record(pytester, {"scenarios/test_features.py::test_a": 9.0})
    assert _order(pytester, "tests", "scenarios") == [
        "tests/test_unit.py::test_first",
        "tests/test_unit.py::test_second",
        "scenarios/test_features.py::test_b",
        "scenarios/test_features.py::test_c",
        "scenarios/test_features.py::test_a",
    ]


def test_a_run_records_its_scenarios_and_keeps_the_others_times(pytester):
    _project(pytester)
    _record(pytester, {"scenarios/test_features.py::test_b": 5.0})
    pytester.runpytest(*PLUGIN, "-k", "test_a or test_first").assert_outcomes(passed=2)
    folder = pytester.path / ".pytest_cache" / "v" / "dkp-harness"
    recorded = json.loads((folder / "durations").read_text())
    assert set(recorded) == {"scenarios/test_features.py::test_a", "scenarios/test_features.py::test_b"}
    assert recorded["scenarios/test_features.py::test_b"] == 5.0
    assert 0 <= recorded["scenarios/test_features.py::test_a"] < 5.0


def test_without_the_cache_nothing_moves(pytester):
    _project(pytester)
    _record(pytester, {"scenarios/test_features.py::test_c": 9.0})
    assert _order(pytester, "scenarios", "-p", "no:cacheprovider") == [
        "scenarios/test_features.py::test_a",
        "scenarios/test_features.py::test_b",
        "scenarios/test_features.py::test_c",
    ]
