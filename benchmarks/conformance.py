"""Wall time of the whole conformance run (``make conformance``: pytest on ``scenarios/``, 2 workers).

Budget: <= 12 s on 2 cores, registry storage as the harness sets it up (tmpfs), temp dirs on
ordinary disk. There is no bare baseline: the figure is the suite's own cost. It runs three
times by default and reports the median and spread (one round on this shared machine moved by
+-1 s from one minute to the next); reports go to a temporary directory.

Run: ``.venv/bin/python benchmarks/conformance.py [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _paired import Row, emit

BUDGET = 12.0  # seconds


def one_run(report_dir: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "harness", "run", "--report-dir", report_dir],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the conformance run failed ({done.returncode}):\n{done.stdout[-2000:]}")
    summary = [line for line in done.stdout.splitlines() if " passed" in line]
    print(f"  {elapsed:.2f} s  {summary[-1].strip() if summary else ''}", flush=True)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from harness.registry.backends.distribution import find_binary

    if find_binary() is None:
        print("skipped: the scenarios need a registry binary: apt-get install -y docker-registry")
        return 0
    with tempfile.TemporaryDirectory() as reports:
        runs = [one_run(reports) for _ in range(args.rounds)]
    median = statistics.median(runs)
    emit(
        Row(
            name="conformance run (`make conformance`, 2 workers)",
            figure=f"{median:.1f} s" + (f" (median of {len(runs)})" if len(runs) > 1 else ""),
            baseline="—",
            value=median,
            budget=BUDGET,
            unit="s",
            spread=f"{min(runs):.1f}-{max(runs):.1f} s" if len(runs) > 1 else "",
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
