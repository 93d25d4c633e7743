"""Benchmark: the release controller's reconcile cost grows with the module's releases only.

A reconcile reads every release *of its module* (the task calculator needs them all), found
through the controller's module index, never a list of every ModuleRelease in the cluster. Two
shapes, each measured as a pair of clusters, interleaved round by round (small, big, small, ...):

- one module, ``--releases`` releases against half as many: the per-reconcile cost may only
  double (linear in the module's releases, the calculator's own input);
- ``--modules`` modules x 10 releases against a tenth as many modules: the per-reconcile cost
  stays flat, so reconciling every release costs linear time in the cluster's releases (a list
  of every release per reconcile made it quadratic).

Each round times the same reconciles (a Manual patch release waiting for approval: snapshot,
decision, no write) in both clusters; the figure is the median of the paired ratios with their
spread. Run: ``.venv/bin/python benchmarks/release_scale.py [--releases 10000] [--modules 1000]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.api import kinds  # noqa: E402
from harness.api import labels as lbl  # noqa: E402
from harness.apiserver import ApiServer  # noqa: E402
from harness.clock import VirtualClock  # noqa: E402
from harness.dkp.controllers.base import ControllerContext  # noqa: E402
from harness.dkp.controllers.release import ReleaseController  # noqa: E402
from harness.dkp.runtime.log import DeckhouseLog  # noqa: E402
from harness.dkp.runtime.manager import Manager  # noqa: E402
from harness.dkp.runtime.reconcile import Request  # noqa: E402
from harness.dkp.runtime.settings import ClusterSettings  # noqa: E402


class Cluster:
    """An API server with ``modules`` x ``per_module`` releases and a started release controller."""

    def __init__(self, modules: int, per_module: int) -> None:
        self.clock = VirtualClock()
        self.api = ApiServer(self.clock)
        kube = self.api.client()
        log = DeckhouseLog(self.clock)
        self.controller = ReleaseController(
            ControllerContext(kube=kube, clock=self.clock, settings=ClusterSettings(fast_time=True), log=log)
        )
        kube.create(kinds.MODULE_UPDATE_POLICY, _policy())
        self.pending: list[str] = []
        for m in range(modules):
            module = f"mod-{m:05d}"
            for r in range(per_module):
                phase = "Deployed" if r == per_module - 2 else "Superseded"
                version = f"1.{r}.0"
                if r == per_module - 1:  # a patch of the deployed one, waiting for approval
                    phase, version = "Pending", f"1.{r - 1}.1"
                    self.pending.append(f"{module}-v{version}")
                _release(kube, module, version, phase)
        self.manager = Manager(kube, self.clock, log, [self.controller])
        self.manager.start()  # feeds the controller's module index; nothing is settled

    def reconcile(self, names: list[str]) -> float:
        started = time.perf_counter()
        for name in names:
            self.controller.reconcile(Request(name))
        return time.perf_counter() - started

    def stop(self) -> None:
        self.manager.stop()
        self.api.stop()


def _policy() -> dict[str, object]:
    return {
        "apiVersion": "deckhouse.io/v1alpha2",
        "kind": "ModuleUpdatePolicy",
        "metadata": {"name": "manual"},
        "spec": {"releaseChannel": "Stable", "update": {"mode": "Manual"}},
    }


def _release(kube: object, module: str, version: str, phase: str) -> None:
    name = f"{module}-v{version}"
    obj = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleRelease",
        "metadata": {"name": name, "labels": {lbl.MODULE: module, lbl.UPDATE_POLICY: "manual"}},
        "spec": {"moduleName": module, "version": version},
    }
    created = kube.create(kinds.MODULE_RELEASE, obj)  # type: ignore[attr-defined]
    kube.patch(
        kinds.MODULE_RELEASE, created["metadata"]["name"], {"status": {"phase": phase}}, subresource="status"
    )  # type: ignore[attr-defined]


def paired(
    small: Cluster, big: Cluster, rounds: int, looks: int
) -> tuple[list[float], list[float], list[float]]:
    small_names = (small.pending * looks)[:looks]
    big_names = (big.pending * looks)[:looks]
    small.reconcile(small_names)  # warm both
    big.reconcile(big_names)
    s_times, b_times, ratios = [], [], []
    for _ in range(rounds):
        s = small.reconcile(small_names)
        b = big.reconcile(big_names)
        s_times.append(s / looks)
        b_times.append(b / looks)
        ratios.append(b / s)
    return s_times, b_times, ratios


def report(
    title: str, sizes: tuple[int, int], s: list[float], b: list[float], ratios: list[float], limit: float
) -> bool:
    median = statistics.median(ratios)
    print(f"== {title}")
    print(f"  {sizes[0]:>6} releases: median {statistics.median(s) * 1e3:8.2f} ms per reconcile")
    print(f"  {sizes[1]:>6} releases: median {statistics.median(b) * 1e3:8.2f} ms per reconcile")
    print(
        f"  paired ratio big/small: median {median:.2f}"
        f" (spread {min(ratios):.2f}-{max(ratios):.2f}) over {len(ratios)} rounds"
    )
    ok = median <= limit
    print(f"  {'OK' if ok else 'OVER'}: at most {limit:.1f} expected")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000, help="releases of the one module (big side)")
    parser.add_argument("--modules", type=int, default=1_000, help="modules x 10 releases (big side)")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    ok = True

    small, big = Cluster(1, args.releases // 2), Cluster(1, args.releases)
    try:
        s, b, r = paired(small, big, args.rounds, looks=3)
        # twice the releases of the module: twice the calculator's input, at most ~2x the cost
        ok &= report("one module", (args.releases // 2, args.releases), s, b, r, limit=2.6)
    finally:
        small.stop()
        big.stop()

    small, big = Cluster(args.modules // 10, 10), Cluster(args.modules, 10)
    try:
        s, b, r = paired(small, big, args.rounds, looks=50)
        # ten times the cluster's releases, same releases per module: flat per reconcile
        ok &= report(
            f"{args.modules // 10} vs {args.modules} modules x 10",
            (args.modules, args.modules * 10),
            s,
            b,
            r,
            limit=1.5,
        )
        total = statistics.median(b) * args.modules
        print(f"  reconciling every pending release of the big cluster once: {total:.2f} s")
    finally:
        small.stop()
        big.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
