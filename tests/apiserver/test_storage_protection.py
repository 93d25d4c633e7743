"""Claims and volumes get their protection finalizer on create (the StorageObjectInUseProtection
admission plugin) and lose it once deleted and unused (kube-controller-manager's pvc-protection
and pv-protection controllers), so a delete still ends with the object gone."""

from __future__ import annotations

from harness.kube.client import EventType
from harness.kube.resources import Resource

PVC = Resource("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", namespaced=True)
PV = Resource("", "v1", "persistentvolumes", "PersistentVolume")
PODS = Resource("", "v1", "pods", "Pod", namespaced=True)


def _claim(name: str, **meta: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "default", **meta},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
    }


def _volume(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteOnce"],
            "hostPath": {"path": "/x"},
        },
    }


def _pod(name: str, claim: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "nodeName": "node-1",
            "containers": [{"name": "c", "image": "busybox"}],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}],
        },
    }


def test_a_claim_and_a_volume_get_their_finalizer_last_and_once(client):
    claim = client.create(PVC, _claim("p", finalizers=["example.com/keep"]))
    assert claim["metadata"]["finalizers"] == ["example.com/keep", "kubernetes.io/pvc-protection"]
    plain = client.create(PVC, _claim("plain"))
    assert plain["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert "finalizers" not in str(plain["metadata"]["managedFields"])  # admission's, nobody's
    again = client.create(PVC, _claim("q", finalizers=["kubernetes.io/pvc-protection"]))
    assert again["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert client.create(PV, _volume("v"))["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    updated = client.patch(PVC, "p", {"metadata": {"finalizers": None}}, namespace="default")
    assert "finalizers" not in updated["metadata"]  # only a create is admitted so


def test_an_unused_claim_and_an_unbound_volume_are_gone_after_their_delete(server, client):
    events: list[tuple[EventType, list[str]]] = []
    server.client().subscribe(
        lambda e: events.append((e.type, list(e.object["metadata"].get("finalizers") or []))), PVC
    )
    client.create(PVC, _claim("p"))
    client.create(PV, _volume("v"))
    # the delete answers the claim it marked (200, as upstream); the controller removes it after
    assert client.delete(PVC, "p", namespace="default")["metadata"]["deletionTimestamp"]
    assert client.delete(PV, "v")["metadata"]["deletionTimestamp"]
    assert client.list(PVC, namespace="default") == [] and client.list(PV) == []
    # marked first, then the controller's removal: what a watcher of a real cluster sees
    assert events == [
        (EventType.ADDED, ["kubernetes.io/pvc-protection"]),
        (EventType.MODIFIED, ["kubernetes.io/pvc-protection"]),
        (EventType.DELETED, []),
    ]


def test_a_claim_a_scheduled_pod_uses_waits_for_the_pod(client):
    client.create(PVC, _claim("used"))
    client.create(PODS, _pod("runner", "used"))
    marked = client.delete(PVC, "used", namespace="default")
    assert marked is not None and marked["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert client.get(PVC, "used", namespace="default")["metadata"]["deletionTimestamp"]
    client.delete(PODS, "runner", namespace="default")
    assert client.list(PVC, namespace="default") == []


def test_a_bound_volume_waits_until_it_is_released(client):
    client.create(PV, _volume("bound"))
    client.patch(PV, "bound", {"status": {"phase": "Bound"}}, subresource="status")
    assert client.delete(PV, "bound") is not None
    assert client.get(PV, "bound")["metadata"]["deletionTimestamp"]
    client.patch(PV, "bound", {"status": {"phase": "Released"}}, subresource="status")
    assert client.list(PV) == []
