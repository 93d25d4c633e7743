"""Benchmark: first sync of a 1,000-module ModuleSource vs the bare registry requests it needs.

Budget: the source controller's first sync (in-process API client, virtual clock, real
distribution registry) within 1.2x of issuing the same registry requests bare with httpx over one
keep-alive connection pool: list the tags of ``R``, then per module GET the ``release:stable``
manifest and GET its layer blob. The bare client is set up as the controller's is (plain HTTP, no
TLS trust store, no environment proxies) and is built inside its timing, as the controller builds
its own. Rounds are paired and interleaved; the verdict is the median of the paired ratios. Eleven
rounds by default: one round's ratio moves by ±0.15 with the registry's own latency from one moment
to the next (its answers are ~90% of either side's time); five rounds, then seven, left the median
at the mercy of one or two slow ones (seven gave 1.23 with one round at 1.37, and eleven right
after 1.13, spread 1.01-1.19, on the same tree). The process runs with the harness's garbage-collector tuning
(:mod:`harness.gc_tuning`), as every process that runs the simulated controllers does (pytest via
its GC plugin, ``dkp-harness serve``): without it, full collections re-scan the previous rounds'
objects during the subject's round only.

Run: ``.venv/bin/python benchmarks/sync.py [--modules 1000] [--rounds 11]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _paired import Row, emit, paired  # noqa: E402

from harness import gc_tuning  # noqa: E402
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
TARGET_RATIO = 1.2
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
    with httpx.Client(verify=False, trust_env=False, follow_redirects=True) as http:
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
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    gc_tuning.tune()  # as the processes that run the controllers do (see the module docstring)
    backend = DistributionBackend()
    backend.start()
    requests = 0
    try:
        started = time.perf_counter()
        publish(backend.address, args.modules)
        print(f"published {args.modules} modules in {time.perf_counter() - started:.2f} s")

        def bare() -> float:
            nonlocal requests
            seconds, requests = bare_requests(backend.address)
            return seconds

        def subject() -> float:
            seconds, count = controller_sync(backend.address)
            if count != args.modules:
                raise SystemExit(f"error: the sync found {count} modules, expected {args.modules}")
            return seconds

        bare()  # warm-up: the registry's first reads of each blob, imports
        result = paired(bare, subject, args.rounds)
    finally:
        backend.stop()
    print(f"first sync of {args.modules} modules vs bare ({requests} requests): {result.describe()}")
    low, high = result.spread
    emit(
        Row(
            name=f"first sync, {args.modules:,} modules",
            figure=f"{sorted(result.subject)[len(result.subject) // 2]:.2f} s",
            baseline=f"bare httpx {sorted(result.bare)[len(result.bare) // 2]:.2f} s ({requests} requests)",
            value=result.ratio,
            budget=TARGET_RATIO,
            spread=f"{low:.2f}-{high:.2f}",
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
