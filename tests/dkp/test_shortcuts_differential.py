"""The fast-time shortcut changes nothing anyone can observe: a differential test over every feature.

Replayed idle looks (``harness.dkp.runtime.manager``: waiting releases' 15 s checks, quiet source
scans) make weeks of virtual time cheap; they sit behind one switch, ``ClusterSettings.fast_time``
(``DKP_HARNESS_FAST_TIME``). With it off the simulator runs every look, as DKP polls. This test
runs the scenarios of each feature file both ways (a file with era-gated scenarios also with
``--dkp-deckhouse-version latest``), each in its own pytest process with the dump plugin
(``tests/dkp/differential/dump_plugin.py``), and requires identical outcomes, object histories
(every committed version of every object, resourceVersion and managedFields included), phase
timelines and Deckhouse logs; a failure names the first differing paths.

Polling is what the shortcut exists to avoid, so a full run is slow (weeks of 15 s checks in the
approval and policy scenarios): it runs with ``make differential`` (which sets
``DKP_DIFFERENTIAL=1``), is skipped with that reason by ``make test``, and CI runs it after
``make test``. ``tests/dkp/test_idle_replay.py`` is its fast twin with toy controllers, and shows
that the comparison fails when a look is replayed that should not be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.steps.binding import test_name

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"
FEATURE_FILES = sorted(str(p.relative_to(FEATURES)) for p in FEATURES.rglob("*.feature"))
RUNS = [
    pytest.param(feature, version, id=f"{feature}@{version}")
    for feature in FEATURE_FILES
    for version in (
        ("default", "latest")
        if "@deckhouse-" in (FEATURES / feature).read_text(encoding="utf-8")
        else ("default",)
    )
]
"""Each feature file in the page's era; a file with era-gated scenarios also in today's."""


def _prefix(feature: str) -> str:
    """The test-name prefix of a feature file's scenarios (``harness.steps.binding.test_name``)."""
    return test_name(Path(feature), "x")[: -len("x")]


def _run(feature: str, version: str, fast: bool, dump: Path) -> subprocess.CompletedProcess[str]:
    dump.mkdir()
    env = {**os.environ, "DKP_HARNESS_FAST_TIME": "1" if fast else "0", "DKP_DIFF_DUMP": str(dump)}
    env.pop("PYTEST_XDIST_WORKER", None)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-p",
        "tests.dkp.differential.dump_plugin",
        "-n",
        "0",
        "--timeout=0",
        "-rA",
        *(["--dkp-deckhouse-version", version] if version != "default" else []),
        "-k",
        _prefix(feature),
        "scenarios/test_features.py",
    ]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600, check=False
    )


def _outcomes(run: subprocess.CompletedProcess[str]) -> list[str]:
    """``PASSED id`` / ``FAILED id`` / ``SKIPPED ...`` lines of pytest's -rA summary, sorted."""
    words = ("PASSED ", "FAILED ", "ERROR ", "SKIPPED ", "XFAIL ", "XPASS ")
    return sorted(line.split(" - ")[0] for line in run.stdout.splitlines() if line.startswith(words))


def _paths(a: object, b: object, path: str = "") -> list[str]:
    """Where two JSON values differ (first few), as ``path: fast | polling``."""
    if type(a) is not type(b) or not isinstance(a, dict | list):
        return [] if a == b else [f"{path}: {json.dumps(a)[:300]} | {json.dumps(b)[:300]}"]
    if isinstance(a, dict):
        assert isinstance(b, dict)
        keys = sorted(set(a) | set(b))
        return [d for k in keys if a.get(k) != b.get(k) for d in _paths(a.get(k), b.get(k), f"{path}.{k}")]
    assert isinstance(b, list)
    found = [
        d for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y for d in _paths(x, y, f"{path}[{i}]")
    ]
    if len(a) != len(b):
        extra = (a if len(a) > len(b) else b)[min(len(a), len(b))]
        counts = f"{len(a)} entries with shortcuts, {len(b)} polling"
        found.append(f"{path}: {counts}; first extra {json.dumps(extra)[:300]}")
    return found


@pytest.mark.slow
@pytest.mark.timeout(7200)
@pytest.mark.skipif(
    os.environ.get("DKP_DIFFERENTIAL") != "1",
    reason="runs every scenario twice, polling for weeks of virtual time (tens of minutes):"
    " run it with `make differential`",
)
@pytest.mark.parametrize(("feature", "version"), RUNS)
def test_shortcuts_on_and_off_give_identical_histories_timelines_and_logs(feature, version, tmp_path):
    fast = _run(feature, version, True, tmp_path / "fast")
    slow = _run(feature, version, False, tmp_path / "polling")
    assert fast.returncode in (0, 1), fast.stdout[-3000:] + fast.stderr[-3000:]
    assert _outcomes(fast) == _outcomes(slow), (
        f"outcomes differ:\n{fast.stdout[-2000:]}\n---\n{slow.stdout[-2000:]}"
    )
    fast_dumps = sorted(p.name for p in (tmp_path / "fast").iterdir())
    if not fast_dumps and all(o.startswith("SKIPPED") for o in _outcomes(fast)):
        pytest.skip(f"every scenario of {feature} skips with Deckhouse {version}: {_outcomes(fast)[:3]}")
    assert fast_dumps, f"no scenario of {feature} dumped its outcome: is the dump plugin loaded?"
    assert fast_dumps == sorted(p.name for p in (tmp_path / "polling").iterdir())
    differences = []
    for name in fast_dumps:
        a = json.loads((tmp_path / "fast" / name).read_text())
        b = json.loads((tmp_path / "polling" / name).read_text())
        if a != b:
            where = "\n  ".join(_paths(a, b)[:8])
            differences.append(f"{a['test']}:\n  {where}")
    assert not differences, "the shortcuts changed what a scenario observes:\n" + "\n\n".join(differences)
