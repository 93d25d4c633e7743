"""The suite against an earlier commit's, in interleaved pairs: ``python -m tools.suite_vs_base``.

``python -m tools.suite_vs_base [--base COMMIT] [--pairs N] [--whole]`` checks the earlier commit
out into a temporary git worktree, runs pytest there and here with this interpreter (2 xdist
workers, ``CI=true``, no cache provider), alternating which side goes first, and prints each
pair's wall times, the paired ratios (this tree over the base), their median and spread.

Two comparisons, because the suite grows: **the same tests** (default) runs, on both sides, only
the tests the base commit had and this tree still has — the node ids both collect, plus the base's
scenarios found here by name (the scenarios moved from one test module per feature folder into
``scenarios/test_features.py``, whose ids carry the feature's name before ``__``; an Outline's row
counts when its example values name the same row); ``--whole`` runs each side's whole suite as it
is, so the figure says how the harness's speed and the tests added since weigh together.

Why it exists: issue #13 asked for the suite's wall time to halve against 9c8a76e, measured on one
machine in one sitting. Measuring it by hand took a worktree, a venv shared by both sides and a
mapping of renamed ids; this keeps the method in one place (docs/benchmarks.md has the figures).
The base runs with this tree's interpreter and packages: a commit whose suite needs others
cannot be compared this way.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BASE = "9c8a76e"
PYTEST = ["-q", "-n", "2", "-p", "no:cacheprovider"]
FEATURES_MODULE = "scenarios/test_features.py::"


@dataclass(frozen=True)
class Selection:
    """The node ids each side runs, and the base's tests left out (not found here)."""

    base: list[str]
    here: list[str]
    left_out: list[str]


def _normal(text: str) -> str:
    """A scenario function's name without what pytest-bdd's slug rules changed over time."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _split(node_id: str) -> tuple[str, str, str]:
    """(module, function name, ``[params]`` or "") of a pytest node id."""
    module, _, rest = node_id.partition("::")
    name, bracket, params = rest.partition("[")
    return module, name, bracket + params


def _scenario_match(base_id: str, here_scenarios: Sequence[str]) -> str | None:
    """This tree's node id of a base scenario test, or None.

    Here every scenario is ``test_<feature>__<scenario>`` in one module; the base had one module
    per feature folder (``scenarios/test_<folder>.py::test_<scenario>``). A name found under
    several features is taken from the one named after the base's folder; an Outline row must
    start with the same first four example values (a later column, such as a message, may have
    been reworded since).
    """
    module, name, params = _split(base_id)
    key = _normal(name.removeprefix("test_"))
    found = [h for h in here_scenarios if _normal(_split(h)[1].partition("__")[2]) == key]
    if params:
        head = "-".join(params.split("-")[:4]) + "-"
        found = [h for h in found if _split(h)[2].startswith(head)]
    if len(found) > 1:
        folder = Path(module).stem.removeprefix("test_")
        found = [h for h in found if _split(h)[1].startswith(f"test_{folder}_")]
    return found[0] if len(found) == 1 else None


def same_tests(base_ids: Iterable[str], here_ids: Iterable[str]) -> Selection:
    """The tests the base had that this tree still runs, as each side names them."""
    here = list(here_ids)
    known = set(here)
    scenarios = [h for h in here if h.startswith(FEATURES_MODULE)]
    chosen_base: list[str] = []
    chosen_here: list[str] = []
    left_out: list[str] = []
    for node_id in base_ids:
        match = node_id if node_id in known else None
        if match is None and node_id.startswith("scenarios/"):
            match = _scenario_match(node_id, scenarios)
        if match is None:
            left_out.append(node_id)
        else:
            chosen_base.append(node_id)
            chosen_here.append(match)
    return Selection(chosen_base, chosen_here, left_out)


def collect(tree: Path) -> list[str]:
    """Every node id pytest collects in ``tree`` (with this interpreter)."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=tree,
        env=_env(tree),
        capture_output=True,
        text=True,
        check=False,
    )
    ids = [line for line in done.stdout.splitlines() if "::" in line and not line.startswith(" ")]
    if not ids:
        raise SystemExit(
            f"pytest collected nothing in {tree} (exit {done.returncode}):\n{done.stdout[-2000:]}"
        )
    return ids


def _env(tree: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "CI": "true", "PYTHONPATH": str(tree)}


def run(tree: Path, node_ids: Sequence[str]) -> tuple[float, str]:
    """Wall seconds of one pytest run in ``tree`` and its last line."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(node_ids))
    started = time.perf_counter()
    args = [f"@{listing.name}"] if node_ids else []
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *PYTEST, *args],
        cwd=tree,
        env=_env(tree),
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    Path(listing.name).unlink()
    last = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    if done.returncode != 0:
        raise SystemExit(f"pytest failed in {tree} (exit {done.returncode}): {last}")
    return wall, last


def pairs(base: Path, base_ids: Sequence[str], here_ids: Sequence[str], count: int) -> list[float]:
    """Interleaved pairs (base first, then this tree first, ...); the paired ratios."""
    ratios = []
    for index in range(count):
        order = [("base", base, base_ids), ("here", ROOT, here_ids)]
        walls = {}
        for label, tree, ids in order if index % 2 == 0 else order[::-1]:
            walls[label], last = run(tree, ids)
            print(f"  {label:4} {walls[label]:6.1f} s  {last}", flush=True)
        ratios.append(walls["here"] / walls["base"])
        print(f"  pair {index + 1}: {ratios[-1]:.2f}", flush=True)
    return ratios


def summary(ratios: Sequence[float]) -> str:
    """The verdict line: the median of the paired ratios and their spread."""
    spread = f"{min(ratios):.2f}-{max(ratios):.2f}"
    return f"median {statistics.median(ratios):.2f} (spread {spread}, {len(ratios)} pairs)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=DEFAULT_BASE, help=f"the earlier commit (default {DEFAULT_BASE})")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--whole", action="store_true", help="each side's whole suite, not the same tests")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="suite-vs-base-") as folder:
        base = Path(folder) / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(base), args.base], check=True
        )
        try:
            if args.whole:
                base_ids, here_ids = [], []
                print(f"whole suites: {args.base} against this tree")
            else:
                chosen = same_tests(collect(base), collect(ROOT))
                base_ids, here_ids = chosen.base, chosen.here
                print(
                    f"the same tests: {len(base_ids)} of {args.base}'s, {len(chosen.left_out)} not found here"
                )
            ratios = pairs(base, base_ids, here_ids, args.pairs)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    print(f"this tree over {args.base}: {summary(ratios)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
