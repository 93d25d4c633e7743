"""A Deployment and its pod, with the statuses a running cluster reports for them.

An API server alone stores what it is given: a pod created through it stays ``Pending`` (its
status is dropped on create) and a Deployment has no status until a controller writes one. A
simulated cluster that wants a workload to look like it runs writes what the kubelet and the
Deployment controller would: the pod ``Running`` with a ready container and a start time, the
Deployment with its one replica updated, ready and available. ReplicaSets and probes are not
modelled (the node is :mod:`harness.kube.control_plane`'s); the IP address is from the pod
network's usual range and nothing connects to it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from harness.kube import control_plane
from harness.kube.objects import Obj

__all__ = [
    "controller_reference",
    "deployment",
    "deployment_status",
    "pod",
    "progressing_condition",
    "replica_set",
    "replica_set_status",
    "running_pod_status",
]

POD_IP = "10.111.0.10"


def _pod_spec(container: str, image: str) -> dict[str, Any]:
    return {"containers": [{"name": container, "image": image}]}


def deployment(
    namespace: str,
    name: str,
    labels: dict[str, str],
    container: str,
    image: str,
    pod_spec: Obj | None = None,
) -> Obj:
    """A one-replica Deployment selecting ``labels``, before any controller reported on it; its
    pods run ``pod_spec`` when given, else one ``container`` of ``image``."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace, "labels": dict(labels)},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": pod_spec or _pod_spec(container, image),
            },
        },
    }


def deployment_status(generation: int, now: str, replicas: int = 1, *, new_replica_set: str = "") -> Obj:
    """Its ``replicas`` (one or none) updated, ready and available, as of ``generation``, its rollout
    to the ReplicaSet ``new_replica_set`` complete.

    Scaled to zero, the counts are null: the Deployment controller writes them with ``omitempty``,
    so a merge patch of this status removes them, and ``kubectl get deploy`` shows ``0/0``; the
    Deployment is still available (zero of zero wanted pods run).
    """
    count = replicas or None
    conditions = [
        {
            "type": "Available",
            "status": "True",
            "reason": "MinimumReplicasAvailable",
            "message": "Deployment has minimum availability.",
            "lastUpdateTime": now,
            "lastTransitionTime": now,
        }
    ]
    if new_replica_set:
        conditions.append(progressing_condition(new_replica_set, now))
    return {
        "observedGeneration": generation,
        "replicas": count,
        "updatedReplicas": count,
        "readyReplicas": count,
        "availableReplicas": count,
        "conditions": conditions,
    }


def carried_conditions(new: list[Obj], old: list[Obj]) -> list[Obj]:
    """``new`` conditions with the times of ``old`` where they did not change, as the Deployment
    controller's ``SetDeploymentCondition`` keeps them (``pkg/controller/deployment/util``): the
    same status and reason leave the condition as it was; the same status with another reason
    or message keeps its ``lastTransitionTime``."""
    before = {c.get("type"): c for c in old if isinstance(c, dict)}
    carried = []
    for condition in new:
        previous = before.get(condition["type"])
        if previous is None or previous.get("status") != condition["status"]:
            carried.append(condition)
        elif (previous.get("reason"), previous.get("message")) == (condition["reason"], condition["message"]):
            carried.append({**condition, **_times(previous, condition)})
        else:
            carried.append({**condition, "lastTransitionTime": previous.get("lastTransitionTime")})
    return carried


def _times(previous: Obj, condition: Obj) -> Obj:
    return {key: previous.get(key) or condition[key] for key in ("lastUpdateTime", "lastTransitionTime")}


def progressing_condition(new_replica_set: str, now: str) -> Obj:
    """The ``Progressing`` condition of a Deployment whose rollout to ``new_replica_set`` completed.

    The Deployment controller writes it once the new ReplicaSet has all its replicas updated and
    available (``syncRolloutStatus`` in kubernetes' ``pkg/controller/deployment/sync.go``, reason
    ``NewRSAvailableReason`` of ``pkg/controller/deployment/util/deployment_util.go``), after
    ``Available``; ``kubectl describe deploy`` lists both under Conditions.
    """
    return {
        "type": "Progressing",
        "status": "True",
        "reason": "NewReplicaSetAvailable",
        "message": f'ReplicaSet "{new_replica_set}" has successfully progressed.',
        "lastUpdateTime": now,
        "lastTransitionTime": now,
    }


def pod(
    namespace: str,
    name: str,
    labels: dict[str, str],
    container: str,
    image: str,
    node: str = "",
    owner: Obj | None = None,
    spec: Obj | None = None,
) -> Obj:
    """A pod of one container (or of ``spec``, its ReplicaSet's template), as created (the API
    server gives it ``Pending``), on ``node``, controlled by ``owner`` (its ReplicaSet: ``kind``,
    ``name``, ``uid``) when given."""
    spec = dict(spec) if spec is not None else _pod_spec(container, image)
    if node:
        spec["nodeName"] = node
    metadata: Obj = {"name": name, "namespace": namespace, "labels": dict(labels)}
    if owner is not None:
        metadata["ownerReferences"] = [controller_reference("apps/v1", owner)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}


def controller_reference(api_version: str, owner: Obj) -> Obj:
    """The ``ownerReferences`` entry of the object ``owner`` (``kind``, ``name``, ``uid``) controls."""
    return {
        "apiVersion": api_version,
        "kind": owner["kind"],
        "name": owner["name"],
        "uid": owner["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def replica_set(
    namespace: str,
    name: str,
    template: Obj,
    revision: int,
    *,
    uid: str,
    created: str,
    owner: Obj,
    replicas: int,
) -> Obj:
    """The ReplicaSet a Deployment's controller made for ``template`` (whose labels carry the
    ``pod-template-hash``), at ``revision``, with ``replicas`` pods, reported as running them."""
    labels = dict(template.get("metadata", {}).get("labels") or {})
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": uid,
            "creationTimestamp": created,
            "generation": 1,  # the ReplicaSet strategy's first; status.observedGeneration reports it
            "labels": labels,
            "annotations": {
                "deployment.kubernetes.io/desired-replicas": "1",
                "deployment.kubernetes.io/max-replicas": "2",
                "deployment.kubernetes.io/revision": str(revision),
            },
            "ownerReferences": [controller_reference("apps/v1", owner)],
        },
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "template": template},
        "status": replica_set_status(replicas),
    }


def replica_set_status(replicas: int) -> Obj:
    """``replicas`` pods running and ready (a scaled-down set reports only ``replicas: 0``)."""
    if not replicas:
        return {"replicas": 0, "observedGeneration": 2}
    ready = {"fullyLabeledReplicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas}
    return {"replicas": replicas, **ready, "observedGeneration": 1}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def running_pod_status(container: str, image: str, started: str) -> Obj:
    """What the kubelet reports for the pod once ``container`` runs and is ready (since ``started``).

    ``imageID`` and ``containerID`` are required by the ``kubernetes`` client's model of a
    container status (it refuses a pod list without them); here they are digests of the image
    name and of the container's name and start, stable from run to run.
    """
    conditions = [
        {"type": kind, "status": "True", "lastProbeTime": None, "lastTransitionTime": started}
        for kind in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
    ]
    return {
        "phase": "Running",
        "conditions": conditions,
        "hostIP": control_plane.NODE_IP,
        "hostIPs": [{"ip": control_plane.NODE_IP}],
        "podIP": POD_IP,
        "podIPs": [{"ip": POD_IP}],
        "startTime": started,
        "containerStatuses": [
            {
                "name": container,
                "image": image,
                "imageID": f"{image.rsplit(':', 1)[0]}@sha256:{_digest(image)}",
                "containerID": f"containerd://{_digest(container + started)}",
                "ready": True,
                "started": True,
                "restartCount": 0,
                "state": {"running": {"startedAt": started}},
            }
        ],
    }
