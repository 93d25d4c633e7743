"""The deckhouse Deployment's conditions as the Deployment controller writes them once a rollout is
complete: ``Available`` (``MinimumReplicasAvailable``) and ``Progressing`` (``NewReplicaSetAvailable``,
``ReplicaSet "<new>" has successfully progressed.``), ``syncRolloutStatus`` in kubernetes'
``pkg/controller/deployment/sync.go``; ``kubectl describe deploy`` lists both."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from harness.registry.backends.distribution import find_binary

pytestmark = [pytest.mark.registry, pytest.mark.kubectl]

KUBECTL = shutil.which("kubectl")
if find_binary() is None or KUBECTL is None:
    pytest.skip(
        "needs an OCI registry binary (apt-get install -y docker-registry) and kubectl on PATH",
        allow_module_level=True,
    )


@pytest.fixture
def cluster(pooled_registry):
    from harness.cluster import SimulatedCluster

    with SimulatedCluster(registry=pooled_registry, tls=True) as running:
        yield running


def _kubectl(cluster, tmp_path, *args: str) -> str:
    done = subprocess.run(
        [str(KUBECTL), "--kubeconfig", str(cluster.kubeconfig), "--cache-dir", str(tmp_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _conditions(cluster, tmp_path) -> list[tuple[str, str, str, str]]:
    jsonpath = "{range .status.conditions[*]}{.type}|{.status}|{.reason}|{.message}{'\\n'}{end}"
    out = _kubectl(
        cluster, tmp_path, "-n", "d8-system", "get", "deploy", "deckhouse", "-o", f"jsonpath={jsonpath}"
    )
    return [tuple(line.split("|")) for line in out.splitlines()]  # type: ignore[misc]


def _new_replica_set(cluster, tmp_path) -> str:
    out = _kubectl(cluster, tmp_path, "-n", "d8-system", "describe", "deploy", "deckhouse")
    line = next(line for line in out.splitlines() if line.startswith("NewReplicaSet:"))
    return line.split()[1]


def test_a_rolled_out_deployment_is_available_and_progressing(cluster, tmp_path):
    new = _new_replica_set(cluster, tmp_path)
    assert _conditions(cluster, tmp_path) == [
        ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        ("Progressing", "True", "NewReplicaSetAvailable", f'ReplicaSet "{new}" has successfully progressed.'),
    ]
    described = _kubectl(cluster, tmp_path, "-n", "d8-system", "describe", "deploy", "deckhouse")
    assert "  Progressing    True    NewReplicaSetAvailable" in described.splitlines()


def test_after_a_rollout_restart_progressing_names_the_new_replica_set(cluster, tmp_path):
    before = _new_replica_set(cluster, tmp_path)
    _kubectl(cluster, tmp_path, "-n", "d8-system", "rollout", "restart", "deploy/deckhouse")
    cluster.settle()
    after = _new_replica_set(cluster, tmp_path)
    assert after != before
    progressing = [c for c in _conditions(cluster, tmp_path) if c[0] == "Progressing"]
    assert progressing == [
        (
            "Progressing",
            "True",
            "NewReplicaSetAvailable",
            f'ReplicaSet "{after}" has successfully progressed.',
        )
    ]
