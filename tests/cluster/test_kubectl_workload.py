"""DKP's usual look at the controller, with the real kubectl: the Deployment, its pod, its log."""

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

    with SimulatedCluster(
        registry=pooled_registry, tls=True
    ) as running:  # kubectl sends tokens over TLS only
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


def test_logs_through_the_deployment_and_a_running_ready_pod(cluster, tmp_path):
    cluster.log.info("d8-module-source-controller", "hello from the controller")
    log = _kubectl(cluster, tmp_path, "-n", "d8-system", "logs", "deploy/deckhouse", "-c", "deckhouse")
    assert log == cluster.log.text() and "hello from the controller" in log
    pods = _kubectl(cluster, tmp_path, "-n", "d8-system", "get", "pods").splitlines()
    assert pods[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert pods[1].split()[:4] == [cluster.pod_name, "1/1", "Running", "0"]
    deploy = _kubectl(cluster, tmp_path, "-n", "d8-system", "get", "deploy", "deckhouse").splitlines()
    assert deploy[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert deploy[1].split()[:4] == ["deckhouse", "1/1", "1", "1"]


def test_the_cluster_has_a_ready_master_node_and_the_api_servers_service(cluster, tmp_path):
    nodes = _kubectl(cluster, tmp_path, "get", "nodes").splitlines()
    assert nodes[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert nodes[1].split()[:3] == ["dkp-master-0", "Ready", "control-plane,master"]
    assert nodes[1].split()[4] == f"v{cluster.settings.kubernetes_version}"
    services = _kubectl(cluster, tmp_path, "get", "svc").splitlines()
    assert services[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert services[1].split()[:5] == ["kubernetes", "ClusterIP", "10.222.0.1", "<none>", "443/TCP"]
    described = _kubectl(cluster, tmp_path, "describe", "node", "dkp-master-0")
    assert "Non-terminated Pods:          (1 in total)" in described, described
    assert cluster.pod_name in described
    wide = _kubectl(cluster, tmp_path, "-n", "d8-system", "get", "pods", "-o", "wide").splitlines()
    assert wide[0].split() == "NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES".split()
    assert wide[1].split()[5:] == ["10.111.0.10", "dkp-master-0", "<none>", "<none>"]


def test_a_kubernetes_upgrade_reaches_the_nodes_kubelet(cluster, tmp_path):
    _kubectl(cluster, tmp_path, "get", "nodes")
    cluster.set_versions(kubernetes="1.31.2")
    nodes = _kubectl(
        cluster, tmp_path, "get", "nodes", "-o", "jsonpath={.items[0].status.nodeInfo.kubeletVersion}"
    )
    assert nodes == "v1.31.2"
