"""Registry read path: our client vs the same requests issued bare, over 1,000 modules.

Publishes 1,000 modules into a real distribution registry (each: the ``R:<m>`` tag, the module
image, ``release:v1.0.0`` and ``release:stable``), then reads them the way a ModuleSource sync
does — list the tags of R, then per module GET the ``release:stable`` manifest and its layer blob
and read ``version.json`` — once with :class:`RegistryClient` and once with bare httpx on the same
keep-alive footing and client setup (plain HTTP: no trust store on either side, both built inside
their timing). Rounds are paired and interleaved; the verdict is the median of the paired ratios
(budget: ≤ 1.5). Skips when no registry binary.

    .venv/bin/python benchmarks/registry.py [--modules N] [--rounds R]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _paired import Row, emit, paired

from harness.registry import Publisher, RegistryClient
from harness.registry.backends import DistributionBackend, find_binary

ACCEPT = (
    "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json"
)
BUDGET = 1.5
PUBLISH_THREADS = 8  # the registry is another process: let it use both cores


def publish(address: str, count: int) -> float:
    started = time.perf_counter()
    with Publisher(address) as publisher, ThreadPoolExecutor(PUBLISH_THREADS) as pool:
        names = [f"module-{index:04d}" for index in range(count)]
        list(pool.map(lambda name: publisher.publish(name, "v1.0.0", channels=["stable"]), names))
    return time.perf_counter() - started


def read_with_client(address: str) -> tuple[float, int]:
    started = time.perf_counter()
    with RegistryClient.for_source(f"{address}/deckhouse/modules", scheme="HTTP") as client:
        versions = [
            json.loads(client.read_image(f"{name}/release", "stable").files["version.json"])["version"]
            for name in client.list_tags()
        ]
    return time.perf_counter() - started, len(versions)


def read_bare(address: str) -> tuple[float, int]:
    started = time.perf_counter()
    versions = []
    with httpx.Client(
        base_url=f"http://{address}", trust_env=False, verify=False, follow_redirects=True
    ) as http:
        tags = sorted(http.get("/v2/deckhouse/modules/tags/list?n=1000").json()["tags"])
        for name in tags:
            repo = f"/v2/deckhouse/modules/{name}/release"
            manifest = http.get(f"{repo}/manifests/stable", headers={"Accept": ACCEPT}).json()
            blob = http.get(f"{repo}/blobs/{manifest['layers'][0]['digest']}").content
            with tarfile.open(fileobj=io.BytesIO(gzip.decompress(blob))) as tar:
                member = tar.extractfile("version.json")
                assert member is not None
                versions.append(json.loads(member.read())["version"])
    return time.perf_counter() - started, len(versions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if find_binary() is None:
        print("skipped: no registry binary found: install one with `apt-get install docker-registry`")
        return 0
    with DistributionBackend() as registry:
        published = publish(registry.address, args.modules)
        print(f"publish {args.modules} modules (4 images each): {published:.2f} s")

        def side(read):  # type: ignore[no-untyped-def]
            def once() -> float:
                seconds, count = read(registry.address)
                assert count == args.modules, (count, args.modules)
                return seconds

            return once

        read_bare(registry.address)  # warm-up
        result = paired(side(read_bare), side(read_with_client), args.rounds)
    print(f"sync read, RegistryClient vs bare httpx: {result.describe()}")
    low, high = result.spread
    emit(
        Row(
            name=f"registry read path, {args.modules:,} modules",
            figure=f"RegistryClient {sorted(result.subject)[len(result.subject) // 2]:.2f} s",
            baseline=f"bare httpx {sorted(result.bare)[len(result.bare) // 2]:.2f} s",
            value=result.ratio,
            budget=BUDGET,
            spread=f"{low:.2f}-{high:.2f}",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
