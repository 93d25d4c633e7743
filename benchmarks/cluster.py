"""SimulatedCluster start and stop time against the 0.3 s ready budget (DESIGN.md §7).

Ready = registry process + fault proxy + API server (HTTP listening) + manager started and settled,
with the bootstrap objects created. One warm-up start (imports, first registry spawn), then the
median and worst of 20 starts and stops.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BUDGET = 0.3  # seconds
RUNS = 20


def one_cycle() -> tuple[float, float]:
    from harness.cluster import SimulatedCluster

    started = time.perf_counter()
    cluster = SimulatedCluster().start()
    ready = time.perf_counter()
    cluster.stop()
    return ready - started, time.perf_counter() - ready


def main() -> int:
    from harness.registry.backends.distribution import find_binary

    if find_binary() is None:
        print("skipped: OCI registry binary not found: install it with `apt-get install -y docker-registry`")
        return 0
    one_cycle()  # warm-up
    starts, stops = zip(*(one_cycle() for _ in range(RUNS)), strict=True)
    ready, stop = statistics.median(starts), statistics.median(stops)
    verdict = "within" if ready <= BUDGET else "OVER"
    print(
        f"SimulatedCluster ready: median {ready * 1000:.1f} ms, max {max(starts) * 1000:.1f} ms, {RUNS} runs"
    )
    print(f"SimulatedCluster stop:  median {stop * 1000:.1f} ms, max {max(stops) * 1000:.1f} ms")
    print(f"ready vs budget {BUDGET * 1000:.0f} ms: ratio {ready / BUDGET:.2f} ({verdict})")
    return 0 if ready <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
