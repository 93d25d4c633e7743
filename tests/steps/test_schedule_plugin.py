"""The longest scenarios first: recorded per run, applied to scenarios only, the rest left in place."""

from __future__ import annotations

import json

pytest_plugins = ["pytester"]

PLUGIN = ("-p", "harness.steps.schedule_plugin", "-p", "no:randomly")
LEAN = (
    *("-p", "no:hypothesispytest", "-p", "no:anyio", "-p", "no:pytest-bdd", "-p", "no:timeout"),
    *("-p", "harness.steps.gc_plugin"),
)
"""Plugins these runs never use, left out of their subprocesses (hypothesis costs ~0.3 s in each),
and the harness's garbage-collector tuning every run of the project has (from its root conftest),
without which each of the three processes spent ~0.1 s collecting an unfrozen heap."""


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


def test_the_longest_work_runs_first_and_unrecorded_work_before_it(pytester):
    _project(pytester)
    _record(
        pytester,
        {
            "scenarios/test_features.py::test_a": 0.2,
            "scenarios/test_features.py::test_b": 5.0,
            "tests/test_unit.py::test_first": 1.0,
            "tests/test_unit.py::test_second": 1.5,
        },
    )
    # test_c has no record; the unit module (2.5 s in all) moves as one block, in its order.
    assert _order(pytester, "scenarios", "tests") == [
        "scenarios/test_features.py::test_c",
        "scenarios/test_features.py::test_b",
        "tests/test_unit.py::test_first",
        "tests/test_unit.py::test_second",
        "scenarios/test_features.py::test_a",
    ]


def test_a_module_with_an_unrecorded_test_goes_first_and_stays_together(pytester):
    _project(pytester)
    _record(
        pytester,
        {
            "scenarios/test_features.py::test_a": 9.0,
            "scenarios/test_features.py::test_b": 0.1,
            "scenarios/test_features.py::test_c": 0.1,
            "tests/test_unit.py::test_first": 0.1,
        },
    )
    assert _order(pytester, "scenarios", "tests") == [
        "tests/test_unit.py::test_first",
        "tests/test_unit.py::test_second",
        "scenarios/test_features.py::test_a",
        "scenarios/test_features.py::test_b",
        "scenarios/test_features.py::test_c",
    ]


def test_under_two_workers_the_two_longest_scenarios_start_on_different_workers(pytester):
    pytester.makepyfile(
        **{"scenarios/test_features": "\n".join(f"def test_{i}(): pass" for i in range(12)) + "\n"}
    )
    # Collection order would give the first worker test_0 and test_1, the two longest.
    _record(pytester, {f"scenarios/test_features.py::test_{i}": 10.0 - i * 0.5 for i in range(12)})
    result = pytester.runpytest_subprocess(*PLUGIN, *LEAN, "-n", "2", "-v", "scenarios")
    result.assert_outcomes(passed=12)
    worker = {}
    for line in result.outlines:
        if line.startswith("[gw") and "PASSED" in line:
            worker[line.split("::")[-1].split()[0]] = line[1:4]
    # Dealt longest first: one worker starts with test_0 and test_3, the other with test_1 and test_2.
    assert worker["test_0"] != worker["test_1"], result.outlines
    assert (worker["test_0"], worker["test_1"]) == (worker["test_3"], worker["test_2"]), result.outlines


def test_a_run_records_every_test_and_keeps_the_others_times(pytester):
    _project(pytester)
    _record(pytester, {"scenarios/test_features.py::test_b": 5.0})
    pytester.runpytest(*PLUGIN, "-k", "test_a or test_first").assert_outcomes(passed=2)
    folder = pytester.path / ".pytest_cache" / "v" / "dkp-harness"
    recorded = json.loads((folder / "durations").read_text())
    assert set(recorded) == {
        "scenarios/test_features.py::test_a",
        "scenarios/test_features.py::test_b",
        "tests/test_unit.py::test_first",
    }
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
