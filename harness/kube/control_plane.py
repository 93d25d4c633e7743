"""What every cluster has from the start: its node, and the Service the API server keeps.

A Deckhouse cluster's first node is a master: it carries the ``control-plane`` (and the older
``master``) role label and DKP's node group label, reports ``Ready``, and its kubelet runs the
cluster's Kubernetes version. kube-apiserver keeps ``default/kubernetes``, a ClusterIP Service
on port 443 whose address is the first of the service network, and its Endpoints and
EndpointSlice, which point at the API server itself (the node's address, port 6443); Deckhouse's
default service network is ``10.222.0.0/16`` (its ``serviceSubnetCIDR``), its pod network
``10.111.0.0/16``. The simulated cluster has one node and nothing runs on it; these objects are
what ``kubectl get nodes``, ``kubectl get svc`` and ``kubectl get endpoints`` show a user who
looks.
"""

from __future__ import annotations

import uuid
from typing import Any

from harness.kube.objects import Obj

__all__ = [
    "API_SERVICE_IP",
    "NODE_IP",
    "NODE_LEASE_NAMESPACE",
    "NODE_NAME",
    "NODE_UID",
    "kubernetes_endpoint_slice",
    "kubernetes_endpoints",
    "kubernetes_service",
    "node",
    "service",
]

NODE_NAME = "dkp-master-0"
NODE_IP = "10.128.0.10"
API_SERVICE_IP = "10.222.0.1"
_CAPACITY = {"cpu": "4", "ephemeral-storage": "50620216Ki", "memory": "8131712Ki", "pods": "110"}
_ALLOCATABLE = {"cpu": "3800m", "ephemeral-storage": "46652649309", "memory": "7546112Ki", "pods": "110"}
_UIDS = uuid.UUID("9b2e4c1a-7f3d-4e58-a6b0-5d1c2e8f4a70")
"""Namespace of the objects' uids: fixed per name, drawn from no generator (see preinstalled)."""
NODE_UID = str(uuid.uuid5(_UIDS, f"node/{NODE_NAME}"))
NODE_LEASE_NAMESPACE = "kube-node-lease"
"""Where each kubelet keeps its node's heartbeat Lease, named after the node."""


def node(kubernetes_version: str, created: str) -> Obj:
    """The cluster's one node, Ready, its kubelet at ``kubernetes_version`` (``1.30.0``)."""
    version = kubernetes_version if kubernetes_version.startswith("v") else f"v{kubernetes_version}"
    ready = {
        "type": "Ready",
        "status": "True",
        "reason": "KubeletReady",
        "message": "kubelet is posting ready status",
        "lastHeartbeatTime": created,
        "lastTransitionTime": created,
    }
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": NODE_NAME,
            "uid": NODE_UID,
            "creationTimestamp": created,
            "labels": {
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": NODE_NAME,
                "kubernetes.io/os": "linux",
                "node-role.kubernetes.io/control-plane": "",
                "node-role.kubernetes.io/master": "",
                "node.deckhouse.io/group": "master",
                "node.deckhouse.io/type": "Static",
            },
        },
        "spec": {"podCIDR": "10.111.0.0/24"},
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": NODE_IP},
                {"type": "Hostname", "address": NODE_NAME},
            ],
            "allocatable": dict(_ALLOCATABLE),
            "capacity": dict(_CAPACITY),
            "conditions": [ready],
            "nodeInfo": node_info(version),
        },
    }


def node_info(kubelet_version: str) -> Obj:
    """``status.nodeInfo``; every field is set (the ``kubernetes`` client's model requires the
    machine, system and boot IDs, which a kubelet always reports)."""
    return {
        "architecture": "amd64",
        "bootID": str(uuid.uuid5(_UIDS, "boot")),
        "machineID": uuid.uuid5(_UIDS, "machine").hex,
        "systemUUID": str(uuid.uuid5(_UIDS, "system")),
        "containerRuntimeVersion": "containerd://1.7.24",
        "kernelVersion": "5.15.0-127-generic",
        "kubeProxyVersion": kubelet_version,
        "kubeletVersion": kubelet_version,
        "operatingSystem": "linux",
        "osImage": "Ubuntu 22.04.5 LTS",
    }


def kubernetes_service(created: str) -> Obj:
    """``default/kubernetes``: the API server's own ClusterIP Service."""
    return service(
        "default",
        "kubernetes",
        created,
        labels={"component": "apiserver", "provider": "kubernetes"},
        cluster_ip=API_SERVICE_IP,
        ports=[{"name": "https", "port": 443, "protocol": "TCP", "targetPort": API_SERVER_PORT}],
    )


API_SERVER_PORT = 6443
"""The port kube-apiserver listens on (kubeadm's default), the Service's ``targetPort``."""


def kubernetes_endpoints(created: str) -> Obj:
    """``default/kubernetes``'s Endpoints as kube-apiserver's endpoint reconciler writes them
    (``pkg/controlplane/reconcilers``): the API server's address and port, and the label that keeps
    the EndpointSlice mirroring controller away (the reconciler writes the slice itself)."""
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "uid": str(uuid.uuid5(_UIDS, "endpoints/default/kubernetes")),
            "creationTimestamp": created,
            "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
        },
        "subsets": [
            {
                "addresses": [{"ip": NODE_IP}],
                "ports": [{"name": "https", "port": API_SERVER_PORT, "protocol": "TCP"}],
            }
        ],
    }


def kubernetes_endpoint_slice(created: str) -> Obj:
    """The EndpointSlice the reconciler makes of those Endpoints (``endpointSliceFromEndpoints``
    in ``pkg/controlplane/reconcilers/endpointsadapter.go``): same name, the Service's name label,
    IPv4, each address a ready endpoint, the same ports."""
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "uid": str(uuid.uuid5(_UIDS, "endpointslices/default/kubernetes")),
            "creationTimestamp": created,
            "generation": 1,
            "labels": {"kubernetes.io/service-name": "kubernetes"},
        },
        "addressType": "IPv4",
        "endpoints": [{"addresses": [NODE_IP], "conditions": {"ready": True}}],
        "ports": [{"name": "https", "protocol": "TCP", "port": API_SERVER_PORT}],
    }


def service(
    namespace: str,
    name: str,
    created: str,
    *,
    labels: dict[str, str],
    cluster_ip: str,
    ports: list[dict[str, Any]],
    selector: dict[str, str] | None = None,
    publish_not_ready: bool = False,
) -> Obj:
    """A single-stack IPv4 ClusterIP Service as kube-apiserver stores it, defaults filled in."""
    spec: dict[str, Any] = {
        "type": "ClusterIP",
        "clusterIP": cluster_ip,
        "clusterIPs": [cluster_ip],
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": ports,
        "sessionAffinity": "None",
    }
    if selector:
        spec["selector"] = dict(selector)
    if publish_not_ready:
        spec["publishNotReadyAddresses"] = True
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": str(uuid.uuid5(_UIDS, f"service/{namespace}/{name}")),
            "creationTimestamp": created,
            "labels": dict(labels),
        },
        "spec": spec,
        "status": {"loadBalancer": {}},
    }
