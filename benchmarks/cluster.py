"""SimulatedCluster start and stop: the harness overhead every scenario pays.

Start = registry process (ready when it reports its port) + fault proxy + API server (HTTP
listening) + manager started and settled, with the bootstrap objects created; stop = all of it
gone. Budgets: start + stop <= 40 ms (median), and the older ready <= 0.3 s. One warm-up cycle
(imports, first registry spawn), then the median, spread and worst of ``--runs`` cycles. There is
no bare baseline for this one: the figure is the harness's own cost.

Run: ``.venv/bin/python benchmarks/cluster.py [--runs 30]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _paired import Row, emit

OVERHEAD_BUDGET = 0.040  # seconds, start + stop
READY_BUDGET = 0.3  # seconds


def one_cycle() -> tuple[float, float]:
    from harness.cluster import SimulatedCluster

    started = time.perf_counter()
    cluster = SimulatedCluster().start()
    ready = time.perf_counter()
    cluster.stop()
    return ready - started, time.perf_counter() - ready


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    from harness.registry.backends.distribution import find_binary

    if find_binary() is None:
        print("skipped: OCI registry binary not found: install it with `apt-get install -y docker-registry`")
        return 0
    one_cycle()  # warm-up
    starts, stops = zip(*(one_cycle() for _ in range(args.runs)), strict=True)
    totals = [a + b for a, b in zip(starts, stops, strict=True)]
    ready, stop, total = (statistics.median(x) for x in (starts, stops, totals))
    print(f"start: median {ready * 1e3:.1f} ms (min {min(starts) * 1e3:.1f}, max {max(starts) * 1e3:.1f})")
    print(f"stop:  median {stop * 1e3:.1f} ms (min {min(stops) * 1e3:.1f}, max {max(stops) * 1e3:.1f})")
    print(f"start + stop: median {total * 1e3:.1f} ms over {args.runs} cycles")
    emit(
        Row(
            name="scenario overhead (cluster start + stop)",
            figure=f"start {ready * 1e3:.1f} ms + stop {stop * 1e3:.1f} ms",
            baseline="—",
            value=total * 1e3,
            budget=OVERHEAD_BUDGET * 1e3,
            unit="ms",
            spread=f"{min(totals) * 1e3:.1f}-{max(totals) * 1e3:.1f} ms",
        )
    )
    emit(
        Row(
            name="cluster ready",
            figure=f"median {ready * 1e3:.1f} ms",
            baseline="—",
            value=ready * 1e3,
            budget=READY_BUDGET * 1e3,
            unit="ms",
            spread=f"{min(starts) * 1e3:.1f}-{max(starts) * 1e3:.1f} ms",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
