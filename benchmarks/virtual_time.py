"""Benchmark: wall time per span of virtual time with a typical scenario's objects.

The suite must stay fast on 2 cores while scenarios span weeks of virtual
time, so letting virtual time pass must cost next to nothing when nothing happens. The cluster
here is what a typical scenario leaves behind: one ModuleSource (real distribution registry),
two enabled modules, one of them with a Manual policy and a newer release Pending for approval,
the other Ready with its release Deployed. It then advances ``--days`` of virtual time and
prints the wall time, the reconciles, the registry requests and the ratio to the target.

Run: ``.venv/bin/python benchmarks/virtual_time.py [--days 7] [--profile out.pstats]``.
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _paired import Row, emit  # noqa: E402

from harness.api import kinds  # noqa: E402
from harness.cluster import SimulatedCluster  # noqa: E402

TARGET_SECONDS_PER_WEEK = 1.0


def create(cluster: SimulatedCluster, resource: Any, name: str, spec: dict[str, Any]) -> None:
    manifest = {"apiVersion": resource.api_version, "kind": resource.kind, "metadata": {"name": name}}
    cluster.client.create(resource, {**manifest, "spec": spec})
    cluster.settle()


def typical_cluster(cluster: SimulatedCluster) -> None:
    """One source, module-one Ready (Auto), module-two Deployed with v1.3.0 Pending approval."""
    publisher = cluster.publisher
    publisher.publish("module-one", "v0.7.24", channels=["stable"])
    publisher.publish("module-two", "v1.2.3", channels=["stable"])
    publisher.publish("module-two", "v1.3.0")
    registry = {"repo": cluster.modules_repo, "scheme": "HTTP"}
    create(cluster, kinds.MODULE_SOURCE, "example", {"registry": registry})
    manual = {"releaseChannel": "Stable", "update": {"mode": "Manual"}}
    create(cluster, kinds.MODULE_UPDATE_POLICY, "manual", manual)
    create(cluster, kinds.MODULE_CONFIG, "module-one", {"enabled": True})
    create(cluster, kinds.MODULE_CONFIG, "module-two", {"enabled": True, "updatePolicy": "manual"})
    cluster.control.advance("1m")
    publisher.move_channel("module-two", "stable", "v1.3.0")
    cluster.control.advance("3m")
    phases = {r["metadata"]["name"]: r["status"]["phase"] for r in cluster.client.list(kinds.MODULE_RELEASE)}
    expected = {
        "module-one-v0.7.24": "Deployed",
        "module-two-v1.2.3": "Deployed",
        "module-two-v1.3.0": "Pending",
    }
    if phases != expected:
        raise SystemExit(f"setup did not reach the expected state: {phases}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--profile", help="write cProfile stats of the advance to this file")
    args = parser.parse_args()
    with SimulatedCluster() as cluster:
        typical_cluster(cluster)
        reconciles_before = cluster.manager.reconciles
        log_before = len(cluster.log.lines())
        profiler = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        cluster.control.advance(f"{args.days * 24}h")
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
        elapsed = time.perf_counter() - started
        reconciles = cluster.manager.reconciles - reconciles_before
        coalesced = cluster.manager.coalesced
        scans = sum(1 for line in cluster.log.lines()[log_before:] if "module source reconciled" in line)
    per_week = elapsed / args.days * 7
    print(f"virtual span      : {args.days:g} days")
    print(f"wall time         : {elapsed:.3f} s")
    print(f"reconciles run    : {reconciles}")
    print(f"looks coalesced   : {coalesced}")
    print(f"scans in the log  : {scans} (one per 3 minutes, as DKP)")
    print(f"wall per week     : {per_week:.3f} s (target < {TARGET_SECONDS_PER_WEEK:.1f} s)")
    print(f"ratio to target   : {per_week / TARGET_SECONDS_PER_WEEK:.2f}")
    emit(
        Row(
            name="a quiet virtual week",
            figure=f"{per_week:.3f} s wall, {coalesced:,} looks coalesced",
            baseline="—",
            value=per_week,
            budget=TARGET_SECONDS_PER_WEEK,
            unit="s",
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
