"""Objects a cluster has from the start (its node, ``default/kubernetes``), stored on demand.

They are made at the first request for their resource, so a server nobody asks about its nodes
writes nothing for them: every other object keeps the resourceVersion it would have had.
"""

from __future__ import annotations

from harness.api import kinds
from harness.kube import control_plane
from harness.kube.resources import Resource

SERVICE = Resource("", "v1", "services", "Service", namespaced=True)


def test_nothing_is_stored_until_someone_asks_then_exactly_once(server):
    made = []

    def make():
        made.append(1)
        return [control_plane.node("1.30.0", "2024-12-16T09:00:00Z")]

    server.preinstall("v1", "Node", make)
    client = server.client()
    before = client.list(kinds.NAMESPACE)[-1]["metadata"]["resourceVersion"]
    assert made == [] and not server.preinstalled("v1", "Node")
    nodes = client.list(kinds.NODE)
    assert [n["metadata"]["name"] for n in nodes] == ["dkp-master-0"]
    assert nodes[0]["metadata"]["uid"] == control_plane.node("1.30.0", "x")["metadata"]["uid"]
    assert int(nodes[0]["metadata"]["resourceVersion"]) > int(before)
    client.get(kinds.NODE, "dkp-master-0")
    assert made == [1] and server.preinstalled("v1", "Node")


def test_a_deleted_preinstalled_object_stays_deleted(server):
    server.preinstall("v1", "Service", lambda: [control_plane.kubernetes_service("2024-12-16T09:00:00Z")])
    client = server.client()
    assert [s["metadata"]["name"] for s in client.list(SERVICE, namespace="default")] == ["kubernetes"]
    client.delete(SERVICE, "kubernetes", namespace="default")
    assert client.list(SERVICE, namespace="default") == []


def test_nodes_print_kubectls_columns(http, server):
    server.preinstall("v1", "Node", lambda: [control_plane.node("1.30.0", "2024-12-16T09:00:00Z")])
    table = http.get(
        "/api/v1/nodes", headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}
    ).json()
    names = [c["name"] for c in table["columnDefinitions"]]
    assert names[:5] == ["Name", "Status", "Roles", "Age", "Version"]
    assert names[5:] == ["Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"]
    cells = table["rows"][0]["cells"]
    assert cells[1:3] == ["Ready", "control-plane,master"] and cells[4] == "v1.30.0"
    assert cells[5:7] == [control_plane.NODE_IP, "<none>"]


def test_pods_select_by_their_node_and_phase_and_other_kinds_refuse_those_fields(http):
    for name, node, phase in (("a", "n1", "Running"), ("b", "n2", "Running"), ("c", "n1", "Succeeded")):
        pod = {
            "metadata": {"name": name},
            "spec": {"nodeName": node, "containers": [{"name": "c", "image": "i"}]},
        }
        assert http.post("/api/v1/namespaces/default/pods", json=pod).status_code == 201
        http.patch(
            f"/api/v1/namespaces/default/pods/{name}/status",
            json={"status": {"phase": phase}},
            headers={"Content-Type": "application/merge-patch+json"},
        )
    query = {"fieldSelector": "spec.nodeName=n1,status.phase!=Succeeded"}
    found = http.get("/api/v1/namespaces/default/pods", params=query).json()["items"]
    assert [p["metadata"]["name"] for p in found] == ["a"]
    refused = http.get("/api/v1/namespaces/default/configmaps", params={"fieldSelector": "spec.nodeName=n1"})
    assert refused.status_code == 400
    assert refused.json()["message"] == (
        '"spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace"'
    )
