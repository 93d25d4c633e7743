"""SimulatedCluster end to end through its in-process client: real registry, API server, controllers.

Each test publishes modules to the cluster's own registry and acts only through the Kubernetes
API and SimulationControl, as scenarios do.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from harness.api import kinds
from harness.dkp.controllers.enable import InvalidModuleName, set_module_enabled
from harness.dkp.controllers.source import SourceController
from harness.dkp.runtime.reconcile import Request
from harness.kube.errors import ApiError
from harness.registry.backends.distribution import find_binary

pytestmark = pytest.mark.registry

if find_binary() is None:
    pytest.skip(
        "OCI registry binary not found: install it with `apt-get install -y docker-registry`",
        allow_module_level=True,
    )


def source(cluster, name="example", repo=None):
    cluster.client.create(
        kinds.MODULE_SOURCE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleSource",
            "metadata": {"name": name},
            "spec": {"registry": {"repo": repo or cluster.modules_repo, "scheme": "HTTP"}},
        },
    )
    cluster.settle()


def config(cluster, name="module-one", **spec):
    cluster.client.create(
        kinds.MODULE_CONFIG,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleConfig",
            "metadata": {"name": name},
            "spec": spec,
        },
    )
    cluster.settle()


def module(cluster, name="module-one"):
    return cluster.client.get(kinds.MODULE, name)


def test_stopping_leaves_no_process_thread_or_temp_dir():
    from harness.cluster import SimulatedCluster

    threads_before = set(threading.enumerate())
    cluster = SimulatedCluster().start()
    pid = cluster._backend.pid
    workdir = cluster.kubeconfig.parent
    registry_dir = cluster._backend.workdir
    assert workdir.is_dir() and pid is not None
    # The kubeconfig (with the API server's token) is in the process's scratch folder, which the
    # next process sweeps if this one is killed, not in /tmp.
    assert workdir.parent.name == f"dkp-harness-{os.getpid()}"
    cluster.stop()
    assert not workdir.exists()
    assert registry_dir is None or not registry_dir.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert set(threading.enumerate()) - threads_before == set()


def test_fresh_cluster_has_the_deckhouse_pod_and_embedded_policy(cluster):
    pods = cluster.client.list(kinds.POD, namespace="d8-system", label_selector="app=deckhouse")
    assert [p["spec"]["containers"][0]["name"] for p in pods] == ["deckhouse"]
    settings = cluster.client.get(kinds.MODULE_CONFIG, "deckhouse")["spec"]["settings"]
    assert settings == {"releaseChannel": "Stable", "update": {"mode": "Auto"}}
    assert cluster.control.now().isoformat() == "2024-12-16T09:00:00+00:00"


def test_the_deckhouse_deployment_and_its_pod_run_as_on_an_installed_cluster(cluster):
    [pod] = cluster.client.list(kinds.POD, namespace="d8-system", label_selector="app=deckhouse")
    deployment = cluster.client.get(kinds.DEPLOYMENT, "deckhouse", namespace="d8-system")
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod["metadata"]["labels"].items()  # kubectl logs deploy/… finds it
    image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "registry.deckhouse.io/deckhouse/ee:v1.67.0" == pod["spec"]["containers"][0]["image"]
    status = pod["status"]
    assert status["phase"] == "Running"
    assert [(c["name"], c["ready"], c["image"]) for c in status["containerStatuses"]] == [
        ("deckhouse", True, image)
    ]
    assert {c["type"]: c["status"] for c in status["conditions"]}["Ready"] == "True"
    ready = deployment["status"]
    assert (ready["replicas"], ready["readyReplicas"], ready["availableReplicas"]) == (1, 1, 1)
    assert ready["observedGeneration"] == deployment["metadata"]["generation"]


def test_the_kubernetes_client_reads_the_deckhouse_pod_and_deployment(cluster):
    from kubernetes import client, config

    cfg = client.Configuration()
    config.load_kube_config(config_file=str(cluster.kubeconfig), client_configuration=cfg)
    with client.ApiClient(cfg) as api:  # its models refuse a container status without imageID
        [pod] = client.CoreV1Api(api).list_namespaced_pod("d8-system", label_selector="app=deckhouse").items
        assert (pod.status.phase, pod.status.container_statuses[0].ready) == ("Running", True)
        deployment = client.AppsV1Api(api).read_namespaced_deployment("deckhouse", "d8-system")
        assert deployment.status.ready_replicas == 1
        assert deployment.spec.selector.match_labels == {"app": "deckhouse"}
        [node] = client.CoreV1Api(api).list_node().items  # its models want capacity, nodeInfo
        assert node.status.node_info.kubelet_version == f"v{cluster.settings.kubernetes_version}"
        assert pod.spec.node_name == node.metadata.name
        services = client.CoreV1Api(api).list_service_for_all_namespaces().items
        assert [(s.metadata.namespace, s.metadata.name) for s in services] == [
            ("d8-system", "deckhouse"),
            ("d8-system", "deckhouse-leader"),
            ("default", "kubernetes"),
        ]
        [leader] = [s for s in services if s.metadata.name == "deckhouse-leader"]
        assert leader.spec.selector == {"app": "deckhouse", "leader": "true"}
        assert pod.metadata.labels.items() >= leader.spec.selector.items()  # kubectl exec svc/… finds it
        # the pod's account exists, as the installer made it; every namespace has ``default``
        accounts = client.CoreV1Api(api).list_namespaced_service_account("d8-system").items
        assert [a.metadata.name for a in accounts] == ["deckhouse", "default"]
        template = deployment.spec.template.spec
        assert pod.spec.service_account_name == "deckhouse" == template.service_account_name
        labels = {"app.kubernetes.io/managed-by": "Helm", "heritage": "deckhouse"}
        assert accounts[0].metadata.labels == labels
        every = client.CoreV1Api(api).list_service_account_for_all_namespaces().items
        namespaces = client.CoreV1Api(api).list_namespace().items
        defaults = sorted(a.metadata.namespace for a in every if a.metadata.name == "default")
        assert defaults == sorted(n.metadata.name for n in namespaces)


def test_an_upgrade_rolls_the_new_image_into_the_deployment_and_the_pod(cluster):
    started = cluster.client.get(kinds.POD, cluster.pod_name, namespace="d8-system")["status"]["startTime"]
    cluster.control.advance("1h")
    cluster.set_versions(deckhouse="v1.76.0")
    image = "registry.deckhouse.io/deckhouse/ee:v1.76.0"
    deployment = cluster.client.get(kinds.DEPLOYMENT, "deckhouse", namespace="d8-system")
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == image
    assert deployment["status"]["observedGeneration"] == deployment["metadata"]["generation"] == 2
    pod = cluster.client.get(kinds.POD, cluster.pod_name, namespace="d8-system")
    assert pod["spec"]["containers"][0]["image"] == image
    assert pod["status"]["containerStatuses"][0]["image"] == image
    assert (pod["status"]["phase"], pod["status"]["startTime"]) == ("Running", started)


def test_pod_log_over_http_is_the_deckhouse_log(cluster):
    cluster.log.info("d8-module-source-controller", "hello")
    url = f"{cluster.api_url}/api/v1/namespaces/d8-system/pods/{cluster.pod_name}/log?container=deckhouse"
    answer = httpx.get(url, headers={"Authorization": f"Bearer {cluster.api.token}"}, verify=False)
    assert answer.status_code == 200
    assert answer.text == cluster.log.text()


def test_enabled_module_goes_downloading_installing_ready(cluster):
    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    source(cluster)
    config(cluster, enabled=True)
    assert module(cluster)["status"]["phase"] == "Downloading"
    cluster.control.advance("5s")
    assert module(cluster)["status"]["phase"] == "Installing"
    cluster.control.advance(timedelta(seconds=10))
    found = module(cluster)
    assert found["status"]["phase"] == "Ready"
    assert found["properties"]["version"] == "v0.7.23"


def test_conflict_between_two_sources_is_resolved_by_naming_one(cluster):
    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    source(cluster, "one")
    source(cluster, "two")
    assert module(cluster)["properties"]["availableSources"] == ["one", "two"]
    config(cluster, enabled=True)
    assert module(cluster)["status"]["phase"] == "Conflict"
    cluster.client.patch(kinds.MODULE_CONFIG, "module-one", {"spec": {"source": "two"}})
    cluster.settle()
    found = module(cluster)
    assert found["properties"]["source"] == "two"
    assert found["status"]["phase"] == "Downloading"
    releases = cluster.client.list(kinds.MODULE_RELEASE)
    assert [r["metadata"]["labels"]["source"] for r in releases] == ["two"]


def test_unknown_module_config_is_ignored(cluster):
    config(cluster, "no-such-module", enabled=True)
    found = cluster.client.get(kinds.MODULE_CONFIG, "no-such-module")
    assert found["status"]["message"] == "Ignored: unknown module name"


def test_module_enable_call_creates_then_flips_the_config(cluster):
    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    source(cluster)
    set_module_enabled(cluster.client, "module-one", True)
    cluster.settle()
    assert module(cluster)["status"]["phase"] == "Downloading"
    cluster.client.patch(kinds.MODULE_CONFIG, "module-one", {"spec": {"settings": {"x": 1}}})
    set_module_enabled(cluster.client, "module-one", False)
    cluster.settle()
    found = cluster.client.get(kinds.MODULE_CONFIG, "module-one")
    assert found["spec"] == {"enabled": False, "settings": {"x": 1}}
    assert module(cluster)["status"]["phase"] == "Available"


def test_module_enable_refuses_a_name_that_cannot_be_a_config(cluster):
    with pytest.raises(InvalidModuleName, match="lowercase"):
        set_module_enabled(cluster.client, "Module_One", True)


def test_registry_fault_shows_in_the_source_status(cluster):
    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    cluster.control.registry_error(r"/tags/list", status=500)
    source(cluster)
    status = cluster.client.get(kinds.MODULE_SOURCE, "example")["status"]
    assert "500" in status["message"] or "UNKNOWN" in status["message"]
    cluster.control.clear_registry_faults()
    cluster.control.advance("3m")
    assert cluster.client.get(kinds.MODULE_SOURCE, "example")["status"]["modulesCount"] == 1


def test_a_conflict_on_a_module_write_is_retried_after_backoff(cluster):
    from harness.kube.errors import Conflict

    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    source(cluster)
    rule = cluster.control.api_fault("update", "modules", Conflict("the object has been modified"), times=1)
    config(cluster, enabled=True)
    assert rule.hits == 1
    assert any("Reconciler error" in line for line in cluster.log.lines())
    assert "source" not in module(cluster)["properties"]
    cluster.control.advance("1s")
    assert module(cluster)["properties"]["source"] == "example"


def test_the_cluster_publisher_writes_images_into_its_registry_which_serves_them(cluster):
    cluster.publisher.publish("module-one", "v0.7.24", channels=["stable"])
    source(cluster)
    assert cluster.client.get(kinds.MODULE, "module-one")["status"]["phase"] == "Available"
    assert cluster._backend.wait_for_log("/manifests/stable")  # the scan pulled what was seeded
    log = cluster._backend.logs().splitlines()  # (its line is written just after the answer)
    assert not [line for line in log if '"PUT /v2/' in line or "uploads" in line]  # no push over HTTP
    pulls = [line for line in log if '"GET /v2/' in line]
    assert any("/manifests/stable" in line for line in pulls)


@pytest.mark.parametrize(
    ("argv", "stdout", "stderr"),
    [
        (
            ["/usr/bin/deckhouse-controller", "module", "enable", "module-one"],
            "Module module-one enabled\n",
            "",
        ),
        (["deckhouse-controller", "module", "disable", "module-one"], "Module module-one disabled\n", ""),
        (
            ["deckhouse-controller", "module", "enable", "a", "b"],
            "",
            "deckhouse-controller: error: unexpected b, try --help\n",
        ),
        (
            ["deckhouse-controller", "queue", "list"],
            "",
            "deckhouse-controller: error: `deckhouse-controller queue list`: only `deckhouse-controller"
            " module enable NAME` and `deckhouse-controller module disable NAME` are simulated"
            " (dkp-harness)\n",
        ),
    ],
)
def test_deckhouse_controller_in_the_pod_prints_what_upstream_prints(cluster, argv, stdout, stderr):
    from harness.dkp.controllers.deckhouse_cli import run_deckhouse_controller

    done = run_deckhouse_controller(cluster.client, argv)
    assert (done.stdout, done.stderr, done.exit_code) == (stdout, stderr, 1 if stderr else 0)


def test_deckhouse_controller_reports_the_step_the_api_refused(cluster):
    from harness.dkp.controllers.deckhouse_cli import NotSimulated, run_deckhouse_controller

    cluster.control.api_fault("get", "moduleconfigs", ApiError("etcd is down", code=500), times=1)
    done = run_deckhouse_controller(cluster.client, ["deckhouse-controller", "module", "enable", "m"])
    assert done.exit_code == 1
    assert (
        done.stderr == "deckhouse-controller: error: enable module failed: get ModuleConfig/m: etcd is down\n"
    )
    with pytest.raises(NotSimulated, match="runs no 'bash'"):
        run_deckhouse_controller(cluster.client, ["bash"])


def test_a_restarted_deckhouse_looks_at_everything_again_at_once(cluster):
    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    source(cluster)
    cluster.control.advance("1m")
    synced = cluster.client.get(kinds.MODULE_SOURCE, "example")["status"]["syncTime"]
    assert synced == "2024-12-16T09:00:00Z"
    next_scan = cluster.manager.requeue_at((SourceController.name, Request("example")))
    cluster.client.delete(kinds.POD, cluster.pod_name, namespace="d8-system")
    cluster.settle()
    # The new Deckhouse lists every source and scans it now, not at the old process's 09:03 timer.
    assert cluster.client.get(kinds.MODULE_SOURCE, "example")["status"]["syncTime"] == "2024-12-16T09:01:00Z"
    assert cluster.manager.requeue_at((SourceController.name, Request("example"))) != next_scan
    pod_log = cluster.workload.pod_log("d8-system", cluster.pod_name, "deckhouse")
    assert any("module source reconciled" in line.text for line in pod_log.lines())
    # Only what the new Deckhouse logged: its scan at the restart, none of the 09:00 lines.
    assert {line.time for line in pod_log.lines()} == {cluster.clock.now()}
    assert cluster.clock.now() == datetime(2024, 12, 16, 9, 1, tzinfo=UTC)
