"""Where the test suite's CPU goes: ``python -m tools.suite_cost [--top N] [-- pytest args]``.

Runs ``pytest -q -n 2`` (or the arguments given) with :mod:`tools.suite_cost_plugin` and prints
the wall time, the CPU of the whole run, and how it splits: the xdist workers' own Python, each
kind of process the tests start (``kubectl``, nested ``pytest`` runs, ``dkp-harness`` commands,
the registry, Chromium), and the test files whose own Python costs most.

Why it exists: the suite is CPU-bound on two cores (its wall time is its CPU over two, plus a few
seconds of start-up), so making it faster means finding CPU to cut, and a profile of one process
shows neither the children nor the other worker. docs/benchmarks.md keeps the figures of each
measurement. Run it on a quiet machine: other processes' load shows up as wall time, not CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ARGS = ["-q", "-n", "2", "-p", "no:cacheprovider"]


def run_suite(pytest_args: list[str], folder: Path) -> tuple[int, float]:
    """Run the suite with the plugin; its exit code and wall time in seconds."""
    env = dict(os.environ, DKP_SUITE_COST_DIR=str(folder), CI=os.environ.get("CI", "true"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "pytest", "-p", "tools.suite_cost_plugin", *pytest_args]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=False)
    return done.returncode, time.perf_counter() - start


def summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Add the processes' records up: the controller's children are the workers themselves."""
    controller = [r for r in records if r["process"] == "controller"]
    workers = [r for r in records if r["process"] != "controller"] or controller
    kinds: defaultdict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    files: defaultdict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for record in workers:
        for kind, row in record["children"].items():
            kinds[kind][0] += row["cpu"]
            kinds[kind][1] += row["count"]
        for name, row in record["files"].items():
            files[name][0] += row["cpu"]
            files[name][1] += row["tests"]
            files[name][2] += row.get("children", 0.0)
    own = sum(r["self"] for r in workers)
    uncounted = sum(r["children_total"] for r in workers) - sum(cpu for cpu, _ in kinds.values())
    head = sum(r["self"] for r in controller) if workers is not controller else 0.0
    return {
        "controller": head,
        "workers_own": own,
        "kinds": dict(kinds),
        "files": dict(files),
        "uncounted": uncounted,
    }


def report(summary: dict[str, Any], wall: float, top: int) -> str:
    """The table this tool prints."""
    kinds = sorted(summary["kinds"].items(), key=lambda item: -item[1][0])
    total = (
        summary["controller"]
        + summary["workers_own"]
        + sum(row[0] for _, row in kinds)
        + summary["uncounted"]
    )
    lines = [f"wall {wall:.1f} s, CPU {total:.1f} s (CPU over wall {total / wall:.2f})", ""]
    lines.append(f"{'CPU s':>8} {'share':>6} {'runs':>6}  where")
    rows = [(summary["workers_own"], 0, "xdist workers' own Python (tests in process)")]
    rows += [(cpu, int(count), f"children: {kind}") for kind, (cpu, count) in kinds]
    rows += [
        (summary["controller"], 0, "xdist controller"),
        (summary["uncounted"], 0, "children reaped elsewhere"),
    ]
    lines += [f"{cpu:8.1f} {cpu / total:6.1%} {count or '':>6}  {what}" for cpu, count, what in rows]
    lines += ["", f"top {top} test files by CPU (the workers' own during their tests, and their children's):"]
    lines.append(f"{'CPU s':>8} {'own':>6} {'child':>6} {'tests':>6}  file")
    files = sorted(summary["files"].items(), key=lambda item: -(item[1][0] + item[1][2]))[:top]
    lines += [
        f"{cpu + kids:8.1f} {cpu:6.1f} {kids:6.1f} {int(n):6d}  {name}" for name, (cpu, n, kids) in files
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15, help="how many test files to list")
    parser.add_argument(
        "pytest_args", nargs="*", help=f"pytest arguments (default: {' '.join(DEFAULT_ARGS)})"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="suite-cost-") as folder:
        code, wall = run_suite(args.pytest_args or DEFAULT_ARGS, Path(folder))
        records = [json.loads(p.read_text(encoding="utf-8")) for p in Path(folder).glob("*.json")]
    if not records:
        print(f"pytest exited {code} and no process wrote its figures", file=sys.stderr)
        return 1
    print(report(summarize(records), wall, args.top))
    print(f"\npytest exit code {code}")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
