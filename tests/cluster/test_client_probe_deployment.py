"""The deckhouse Deployment's conditions as the Deployment controller writes them once a rollout is
complete: ``Available`` (``MinimumReplicasAvailable``) and ``Progressing`` (``NewReplicaSetAvailable``,
``ReplicaSet "<new>" has successfully progressed.``), ``syncRolloutStatus`` in kubernetes'
``pkg/controller/deployment/sync.go``; ``kubectl describe deploy`` lists both."""

from __future__ import annotations

import pytest

from .conftest import NEEDS_KUBECTL, kubectl_missing, kubectl_text

pytestmark = [pytest.mark.registry, pytest.mark.kubectl]

if kubectl_missing():
    pytest.skip(NEEDS_KUBECTL, allow_module_level=True)


def _conditions(cluster, tmp_path) -> list[tuple[str, str, str, str]]:
    jsonpath = "{range .status.conditions[*]}{.type}|{.status}|{.reason}|{.message}{'\\n'}{end}"
    out = kubectl_text(
        cluster, tmp_path, "-n", "d8-system", "get", "deploy", "deckhouse", "-o", f"jsonpath={jsonpath}"
    )
    return [tuple(line.split("|")) for line in out.splitlines()]  # type: ignore[misc]


def _new_replica_set(cluster, tmp_path) -> str:
    out = kubectl_text(cluster, tmp_path, "-n", "d8-system", "describe", "deploy", "deckhouse")
    line = next(line for line in out.splitlines() if line.startswith("NewReplicaSet:"))
    return line.split()[1]


def test_a_rolled_out_deployment_is_available_and_progressing(cluster, tmp_path):
    new = _new_replica_set(cluster, tmp_path)
    assert _conditions(cluster, tmp_path) == [
        ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        ("Progressing", "True", "NewReplicaSetAvailable", f'ReplicaSet "{new}" has successfully progressed.'),
    ]
    described = kubectl_text(cluster, tmp_path, "-n", "d8-system", "describe", "deploy", "deckhouse")
    assert "  Progressing    True    NewReplicaSetAvailable" in described.splitlines()


def test_after_a_rollout_restart_progressing_names_the_new_replica_set(cluster, tmp_path):
    before = _new_replica_set(cluster, tmp_path)
    kubectl_text(cluster, tmp_path, "-n", "d8-system", "rollout", "restart", "deploy/deckhouse")
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
