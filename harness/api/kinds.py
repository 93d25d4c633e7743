"""The resources of DKP's module machinery (docs/dkp-behaviour.md §9).

Group, versions and plurals are those of DKP's CRDs (deckhouse/deckhouse
``deckhouse-controller/crds/*.yaml``); the simulator serves these versions as storage versions.
"""

from __future__ import annotations

from harness.kube.resources import Resource

__all__ = [
    "ALL_DKP_RESOURCES",
    "BY_KIND",
    "DECKHOUSE_LEADER_LEASE",
    "DECKHOUSE_NAMESPACE",
    "DEPLOYMENT",
    "EVENT",
    "GROUP",
    "LEASE",
    "MODULE",
    "MODULE_CONFIG",
    "MODULE_DOCUMENTATION",
    "MODULE_PULL_OVERRIDE",
    "MODULE_RELEASE",
    "MODULE_SOURCE",
    "MODULE_UPDATE_POLICY",
    "NAMESPACE",
    "NODE",
    "POD",
    "REPLICA_SET",
    "SECRET",
    "SERVICE",
    "SERVICE_ACCOUNT",
]

GROUP = "deckhouse.io"

MODULE_SOURCE = Resource(GROUP, "v1alpha1", "modulesources", "ModuleSource")
MODULE = Resource(GROUP, "v1alpha1", "modules", "Module")
MODULE_CONFIG = Resource(GROUP, "v1alpha1", "moduleconfigs", "ModuleConfig")
MODULE_RELEASE = Resource(GROUP, "v1alpha1", "modulereleases", "ModuleRelease")
MODULE_UPDATE_POLICY = Resource(GROUP, "v1alpha2", "moduleupdatepolicies", "ModuleUpdatePolicy")
MODULE_PULL_OVERRIDE = Resource(GROUP, "v1alpha2", "modulepulloverrides", "ModulePullOverride")
MODULE_DOCUMENTATION = Resource(GROUP, "v1alpha1", "moduledocumentations", "ModuleDocumentation")

NAMESPACE = Resource("", "v1", "namespaces", "Namespace")
POD = Resource("", "v1", "pods", "Pod", namespaced=True)
DEPLOYMENT = Resource("apps", "v1", "deployments", "Deployment", namespaced=True)
REPLICA_SET = Resource("apps", "v1", "replicasets", "ReplicaSet", namespaced=True)
NODE = Resource("", "v1", "nodes", "Node")
SERVICE = Resource("", "v1", "services", "Service", namespaced=True)
ENDPOINTS = Resource("", "v1", "endpoints", "Endpoints", namespaced=True)
ENDPOINT_SLICE = Resource("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", namespaced=True)
SERVICE_ACCOUNT = Resource("", "v1", "serviceaccounts", "ServiceAccount", namespaced=True)
EVENT = Resource("", "v1", "events", "Event", namespaced=True)
SECRET = Resource("", "v1", "secrets", "Secret", namespaced=True)
LEASE = Resource("coordination.k8s.io", "v1", "leases", "Lease", namespaced=True)

DECKHOUSE_NAMESPACE = "d8-system"
DECKHOUSE_LEADER_LEASE = "deckhouse-leader-election"
"""The Lease an HA Deckhouse's replicas elect their leader with, in ``DECKHOUSE_NAMESPACE``
(``leaseName`` in ``deckhouse-controller/cmd/deckhouse-controller/start.go``)."""

ALL_DKP_RESOURCES = (
    MODULE_SOURCE,
    MODULE,
    MODULE_CONFIG,
    MODULE_RELEASE,
    MODULE_UPDATE_POLICY,
    MODULE_PULL_OVERRIDE,
)

BY_KIND: dict[str, Resource] = {r.kind: r for r in (*ALL_DKP_RESOURCES, MODULE_DOCUMENTATION)}
"""Kind name (as a scenario writes it) to its resource."""
