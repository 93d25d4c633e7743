"""Benchmark: first sync of a 1,000-module ModuleSource vs the bare registry requests it needs.

DESIGN.md §7 budget: the source controller's first sync (in-process API client, virtual clock,
real distribution registry) must stay within 1.5x of issuing the same registry requests bare
with httpx over one keep-alive connection pool: list the tags of ``R``, then per module GET the
``release:stable`` manifest and GET its layer blob. Both are measured in the same run, alternately,
and the best of each is compared (the least disturbed run of each, on a shared 2-core machine).

Run: ``.venv/bin/python benchmarks/sync.py [--modules 1000] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.api import kinds  # noqa: E402
from harness.apiserver import ApiServer  # noqa: E402
from harness.clock import VirtualClock  # noqa: E402
from harness.dkp.controllers.base import ControllerContext  # noqa: E402
from harness.dkp.controllers.source import SourceController  # noqa: E402
from harness.dkp.runtime.log import DeckhouseLog  # noqa: E402
from harness.dkp.runtime.manager import Manager  # noqa: E402
from harness.dkp.runtime.settings import ClusterSettings  # noqa: E402
from harness.registry import images  # noqa: E402
from harness.registry.backends import DistributionBackend  # noqa: E402
from harness.registry.client import RegistryClient  # noqa: E402
from harness.registry.mediatypes import ACCEPT_MANIFESTS  # noqa: E402
from harness.registry.pusher import Pusher  # noqa: E402

REPO_PATH = "deckhouse/modules"
TARGET_RATIO = 1.5
PUBLISH_THREADS = 8


def publish(address: str, count: int) -> list[str]:
    """Push ``R:<m>`` and ``R/<m>/release:stable`` for ``count`` modules (only what a sync reads).

    Several threads push at once: the registry is another process and can use the second core.
    """
    names = [f"module-{i:04d}" for i in range(count)]
    with Pusher(address) as pusher, ThreadPoolExecutor(PUBLISH_THREADS) as pool:

        def push(name: str) -> None:
            definition = images.build_image({"module.yaml": f"name: {name}\nweight: 900\n".encode()})
            pusher.push_image(REPO_PATH, name, definition)
            version = json.dumps({"version": "v1.0.0"}).encode()
            release = images.build_image({"version.json": version, "module.yaml": f"name: {name}\n".encode()})
            pusher.push_image(f"{REPO_PATH}/{name}/release", "stable", release)

        list(pool.map(push, names))
    return names


def bare_requests(address: str) -> tuple[float, int]:
    """The registry traffic of one sync, issued directly; returns (seconds, requests)."""
    base = f"http://{address}/v2"
    started = time.perf_counter()
    requests = 0
    with httpx.Client() as http:
        tags = http.get(f"{base}/{REPO_PATH}/tags/list?n=1000").json()["tags"]
        requests += 1
        for name in sorted(tags):
            repo = f"{base}/{REPO_PATH}/{name}/release"
            manifest = http.get(f"{repo}/manifests/stable", headers={"Accept": ACCEPT_MANIFESTS})
            manifest.raise_for_status()
            for layer in manifest.json()["layers"]:
                http.get(f"{repo}/blobs/{layer['digest']}").raise_for_status()
                requests += 1
            requests += 1
    return time.perf_counter() - started, requests


def controller_sync(address: str) -> tuple[float, int]:
    """Create a ModuleSource on a fresh API server and settle; returns (seconds, modulesCount)."""
    clock = VirtualClock()
    api = ApiServer(clock)
    try:
        kube = api.client()
        log = DeckhouseLog(clock)
        ctx = ControllerContext(
            kube=kube,
            clock=clock,
            settings=ClusterSettings(),
            log=log,
            registry_factory=RegistryClient.for_source,
        )
        controller = SourceController(ctx)
        manager = Manager(kube, clock, log, [controller])
        manager.start()
        source = {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleSource",
            "metadata": {"name": "bench"},
            "spec": {"registry": {"repo": f"{address}/{REPO_PATH}", "scheme": "HTTP"}},
        }
        started = time.perf_counter()
        kube.create(kinds.MODULE_SOURCE, source)
        manager.settle()
        elapsed = time.perf_counter() - started
        manager.stop()
        return elapsed, int(kube.get(kinds.MODULE_SOURCE, "bench")["status"]["modulesCount"])
    finally:
        api.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    backend = DistributionBackend()
    backend.start()
    try:
        started = time.perf_counter()
        publish(backend.address, args.modules)
        print(f"published {args.modules} modules in {time.perf_counter() - started:.2f} s")
        bare_runs, sync_runs = [], []
        for round_ in range(1, args.rounds + 1):
            bare, requests = bare_requests(backend.address)
            synced, count = controller_sync(backend.address)
            if count != args.modules:
                print(f"error: the sync found {count} modules, expected {args.modules}")
                return 1
            bare_runs.append(bare)
            sync_runs.append(synced)
            print(f"round {round_}: bare {bare:.3f} s ({requests} requests), controller sync {synced:.3f} s")
    finally:
        backend.stop()
    ratio = min(sync_runs) / min(bare_runs)
    print(f"bare requests:   best {min(bare_runs):.3f} s, median {statistics.median(bare_runs):.3f} s")
    print(f"controller sync: best {min(sync_runs):.3f} s, median {statistics.median(sync_runs):.3f} s")
    per_bare, per_sync = (min(runs) / args.modules * 1e3 for runs in (bare_runs, sync_runs))
    print(f"per module: bare {per_bare:.2f} ms, sync {per_sync:.2f} ms")
    verdict = "OK" if ratio <= TARGET_RATIO else "OVER BUDGET"
    print(f"ratio sync/bare: {ratio:.2f} (target <= {TARGET_RATIO}) {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
