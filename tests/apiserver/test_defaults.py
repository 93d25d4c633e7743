"""Built-in kinds' defaults: filled on every write, kept allocations, and never in place."""

from __future__ import annotations

import copy

import pytest

from harness.apiserver import ApiServer
from harness.apiserver.cow import thaw
from harness.apiserver.defaults import fill
from harness.clock import VirtualClock
from harness.kube.errors import Invalid


@pytest.fixture
def client():
    server = ApiServer(VirtualClock())
    yield server.client()
    server.stop()


ROLLING = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}


def _deployment() -> dict:
    return {
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "app", "image": "registry.example.com:5000/app"}]},
            },
        },
    }


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("registry.example.com:5000/team/app", "Always"),  # the port is not a tag
        ("nginx:1.27", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
    ],
)
def test_the_pull_policy_follows_the_images_tag(image, policy):
    pod = {"spec": {"containers": [{"name": "c", "image": image}]}}
    fill("pods", pod)
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == policy


def test_a_patch_that_drops_a_defaulted_field_gets_it_back(client):
    deployments = client.resolve("apps/v1", "Deployment")
    created = thaw(client.create(deployments, _deployment()))
    assert created["spec"]["strategy"]["type"] == "RollingUpdate"
    assert created["spec"]["replicas"] == 1
    patched = client.patch(deployments, "web", {"spec": {"strategy": None}}, namespace="default")
    assert patched["spec"]["strategy"] == ROLLING
    to_recreate = {"spec": {"strategy": {"type": "Recreate", "rollingUpdate": None}}}
    recreate = client.patch(deployments, "web", to_recreate, namespace="default")
    assert recreate["spec"]["strategy"] == {"type": "Recreate"}  # no rolling parameters for Recreate


def test_filling_never_changes_the_object_it_was_given_a_spec_of():
    shared_spec = _deployment()["spec"]
    before = copy.deepcopy(shared_spec)
    obj = {"spec": shared_spec}
    fill("deployments", obj)
    assert shared_spec == before and obj["spec"] is not shared_spec
    assert obj["spec"]["template"]["spec"]["dnsPolicy"] == "ClusterFirst"


def test_a_service_replaced_without_its_cluster_ip_and_node_port_keeps_them(client):
    services = client.resolve("v1", "Service")
    body = {
        "metadata": {"name": "edge", "namespace": "default"},
        "spec": {"type": "NodePort", "ports": [{"port": 80}], "selector": {"app": "web"}},
    }
    created = thaw(client.create(services, copy.deepcopy(body)))
    ip, node_port = created["spec"]["clusterIP"], created["spec"]["ports"][0]["nodePort"]
    assert ip.startswith("10.222.") and 30000 <= node_port <= 32767
    assert created["spec"]["externalTrafficPolicy"] == "Cluster" and created["status"] == {"loadBalancer": {}}
    body["metadata"]["resourceVersion"] = created["metadata"]["resourceVersion"]
    replaced = client.update(services, body)
    assert replaced["spec"]["clusterIP"] == ip and replaced["spec"]["ports"][0]["nodePort"] == node_port


def test_external_name_services_get_no_address_and_headless_ones_keep_none(client):
    services = client.resolve("v1", "Service")
    external = client.create(
        services,
        {
            "metadata": {"name": "ext", "namespace": "default"},
            "spec": {"type": "ExternalName", "externalName": "example.com"},
        },
    )
    assert "clusterIP" not in external["spec"] and "internalTrafficPolicy" not in external["spec"]
    headless = client.create(
        services,
        {
            "metadata": {"name": "db", "namespace": "default"},
            "spec": {"clusterIP": "None", "ports": [{"port": 5432}]},
        },
    )
    assert (headless["spec"]["clusterIP"], headless["spec"]["clusterIPs"]) == ("None", ["None"])


def test_an_address_or_node_port_in_use_is_never_handed_out_again(client):
    services = client.resolve("v1", "Service")

    def service(name: str, **spec: object) -> dict:
        ports = [{"port": 80, **({"nodePort": spec.pop("node_port")} if "node_port" in spec else {})}]
        return {
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"type": "NodePort", "ports": ports, **spec},
        }

    first = client.create(services, service("a"))
    ip, node_port = first["spec"]["clusterIP"], first["spec"]["ports"][0]["nodePort"]
    client.delete(services, "a", namespace="default")
    client.create(services, service("b", clusterIP=ip, node_port=node_port))  # "a"'s own, taken
    again = client.create(services, service("a"))
    assert again["spec"]["clusterIP"] != ip and again["spec"]["ports"][0]["nodePort"] != node_port


def test_admission_defaults_of_a_pod_follow_its_priority_class_and_tolerations():
    wildcard = {"spec": {"containers": [{"name": "c"}], "tolerations": [{"operator": "Exists"}]}}
    fill("pods", wildcard)
    assert wildcard["spec"]["tolerations"] == [{"operator": "Exists"}]  # tolerates both already
    critical = {
        "spec": {
            "containers": [{"name": "c"}],
            "priorityClassName": "system-cluster-critical",
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists"}],
        }
    }
    fill("pods", critical)
    assert critical["spec"]["priority"] == 2000000000
    assert [t.get("key") for t in critical["spec"]["tolerations"]] == [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",  # the one not tolerated yet, for 300 s
    ]
    plain = {"spec": {"containers": [{"name": "c"}]}}
    fill("pods", plain)
    assert (plain["spec"]["priority"], plain["spec"]["serviceAccountName"]) == (0, "default")
    assert len(plain["spec"]["tolerations"]) == 2


def test_null_and_empty_fields_are_defaulted_as_go_sees_them_unset_but_a_zero_is_kept():
    deployment = _deployment()
    deployment["spec"].update(replicas=None, revisionHistoryLimit=0)
    deployment["spec"]["template"]["spec"]["dnsPolicy"] = ""
    fill("deployments", deployment)
    spec = deployment["spec"]
    assert (spec["replicas"], spec["revisionHistoryLimit"]) == (1, 0)
    assert spec["template"]["spec"]["dnsPolicy"] == "ClusterFirst"


def test_a_node_port_service_made_cluster_ip_loses_its_node_ports(client):
    services = client.resolve("v1", "Service")
    body = {
        "metadata": {"name": "edge", "namespace": "default"},
        "spec": {"type": "NodePort", "ports": [{"port": 80}]},
    }
    created = thaw(client.create(services, copy.deepcopy(body)))
    assert created["spec"]["ports"][0]["nodePort"]
    body["spec"]["type"] = "ClusterIP"
    body["metadata"]["resourceVersion"] = created["metadata"]["resourceVersion"]
    replaced = client.update(services, body)
    assert "nodePort" not in replaced["spec"]["ports"][0]
    assert replaced["spec"]["clusterIP"] == created["spec"]["clusterIP"]


def test_a_cluster_ip_service_made_a_node_port_gets_node_ports(client):
    services = client.resolve("v1", "Service")
    created = thaw(
        client.create(
            services, {"metadata": {"name": "web", "namespace": "default"}, "spec": {"ports": [{"port": 80}]}}
        )
    )
    assert "nodePort" not in created["spec"]["ports"][0]
    patched = client.patch(services, "web", {"spec": {"type": "NodePort"}}, namespace="default")
    assert 30000 <= patched["spec"]["ports"][0]["nodePort"] <= 32767
    assert patched["spec"]["clusterIP"] == created["spec"]["clusterIP"]


def test_a_service_made_by_server_side_apply_gets_its_address_and_node_ports(client):
    from harness.kube.client import PatchType

    services = client.resolve("v1", "Service")
    applied = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "ssa", "namespace": "default"},
        "spec": {"type": "NodePort", "ports": [{"port": 80}]},
    }
    made = client.patch(
        services, "ssa", applied, patch_type=PatchType.APPLY, namespace="default", field_manager="kubectl"
    )
    assert made["spec"]["clusterIP"].startswith("10.222.") and made["spec"]["ports"][0]["nodePort"]
    again = client.patch(
        services, "ssa", applied, patch_type=PatchType.APPLY, namespace="default", field_manager="kubectl"
    )
    assert again["spec"]["clusterIP"] == made["spec"]["clusterIP"]
    assert again["spec"]["ports"][0]["nodePort"] == made["spec"]["ports"][0]["nodePort"]


def test_a_daemon_set_gets_its_rolling_update_and_history_defaults(client):
    """``SetDefaults_DaemonSet``: one pod at a time unavailable, none surged, ten revisions kept."""
    daemon_sets = client.resolve("apps/v1", "DaemonSet")
    created = thaw(client.create(daemon_sets, _deployment()))
    spec = created["spec"]
    assert spec["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert spec["revisionHistoryLimit"] == 10 and "replicas" not in spec
    assert spec["template"]["spec"]["restartPolicy"] == "Always"
    assert created["metadata"]["generation"] == 1
    patched = client.patch(daemon_sets, "web", {"spec": {"minReadySeconds": 5}}, namespace="default")
    assert patched["metadata"]["generation"] == 2  # a spec change, as the DaemonSet strategy counts


def test_a_replication_controller_takes_its_selector_and_labels_from_its_template(client):
    """``SetDefaults_ReplicationController``: the template's labels fill an empty selector and
    empty labels of the controller; labels it has are kept."""
    controllers = client.resolve("v1", "ReplicationController")
    body = _deployment()
    del body["spec"]["selector"]
    created = thaw(client.create(controllers, body))
    assert created["spec"]["selector"] == {"app": "web"} and created["spec"]["replicas"] == 1
    assert created["metadata"]["labels"] == {"app": "web"}
    own = _deployment()
    own["metadata"] = {"name": "own", "namespace": "default", "labels": {"team": "a"}}
    own["spec"]["selector"] = {"app": "web"}
    kept = thaw(client.create(controllers, own))
    assert kept["metadata"]["labels"] == {"team": "a"}


def test_a_daemon_set_status_count_of_the_wrong_type_is_refused(client):
    """``kubectl get ds`` prints the status counts: a string stored there made every list a 500."""
    daemon_sets = client.resolve("apps/v1", "DaemonSet")
    client.create(daemon_sets, _deployment())
    with pytest.raises(Invalid, match=r"Go struct field DaemonSetStatus\.status\.numberReady of type int32"):
        client.patch(
            daemon_sets, "web", {"status": {"numberReady": "abc"}}, namespace="default", subresource="status"
        )


@pytest.mark.parametrize(
    ("api_version", "kind", "status"),
    [
        ("apps/v1", "ReplicaSet", {"replicas": 0}),
        ("v1", "ReplicationController", {"replicas": 0}),
        (
            "apps/v1",
            "DaemonSet",
            {
                "currentNumberScheduled": 0,
                "numberMisscheduled": 0,
                "desiredNumberScheduled": 0,
                "numberReady": 0,
            },
        ),
    ],
)
def test_a_new_workload_reads_back_with_the_status_counts_go_always_writes(client, api_version, kind, status):
    """Counts without ``omitempty`` are written at zero: a created object's status is not empty."""
    created = thaw(client.create(client.resolve(api_version, kind), _deployment()))
    assert created["status"] == status
