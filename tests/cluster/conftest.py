"""The simulated cluster the tests of this folder run against, and kubectl pointed at it.

Seven files each defined the same ``cluster`` fixture (three of them over TLS) and three the same
kubectl helper; they are here once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.registry.backends.distribution import find_binary
from harness.steps.kubectl import GO_DEFAULTS

KUBECTL = shutil.which("kubectl")
KUBECTL_ENV = {**GO_DEFAULTS, **os.environ}
"""kubectl's environment: the harness's Go defaults (a lazier collector, ~a fifth less of kubectl's
CPU, nothing it prints changes), the environment's own values winning."""
NEEDS_KUBECTL = "needs an OCI registry binary (apt-get install -y docker-registry) and kubectl on PATH"


def kubectl_missing() -> bool:
    """Whether a kubectl test of this folder cannot run: no registry binary or no kubectl."""
    return find_binary() is None or KUBECTL is None


@pytest.fixture
def cluster(request: pytest.FixtureRequest, pooled_registry: Any) -> Iterator[Any]:
    """A simulated cluster on the pooled registry, over TLS for tests marked ``kubectl``: kubectl
    sends its bearer token over TLS only."""
    from harness.cluster import SimulatedCluster

    tls = request.node.get_closest_marker("kubectl") is not None
    with SimulatedCluster(registry=pooled_registry, tls=tls) as running:
        yield running


def kubectl_text(cluster: Any, cache_dir: Path, *args: str) -> str:
    """kubectl ``args`` against ``cluster`` (its discovery cached in ``cache_dir``); its output,
    the command having succeeded."""
    done = subprocess.run(
        [str(KUBECTL), "--kubeconfig", str(cluster.kubeconfig), "--cache-dir", str(cache_dir), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=KUBECTL_ENV,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
