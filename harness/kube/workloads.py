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

from harness.kube.objects import Obj

__all__ = ["deployment", "deployment_status", "pod", "running_pod_status"]

POD_IP = "10.111.0.10"


def _pod_spec(container: str, image: str) -> dict[str, Any]:
    return {"containers": [{"name": container, "image": image}]}


def deployment(namespace: str, name: str, labels: dict[str, str], container: str, image: str) -> Obj:
    """A one-replica Deployment selecting ``labels``, before any controller reported on it."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace, "labels": dict(labels)},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)}, "spec": _pod_spec(container, image)},
        },
    }


def deployment_status(generation: int, now: str) -> Obj:
    """Its one replica updated, ready and available, as of ``generation``."""
    return {
        "observedGeneration": generation,
        "replicas": 1,
        "updatedReplicas": 1,
        "readyReplicas": 1,
        "availableReplicas": 1,
        "conditions": [
            {
                "type": "Available",
                "status": "True",
                "reason": "MinimumReplicasAvailable",
                "message": "Deployment has minimum availability.",
                "lastUpdateTime": now,
                "lastTransitionTime": now,
            }
        ],
    }


def pod(namespace: str, name: str, labels: dict[str, str], container: str, image: str, node: str = "") -> Obj:
    """A pod of one container, as created (the API server gives it ``Pending``), on ``node``."""
    spec = _pod_spec(container, image)
    if node:
        spec["nodeName"] = node
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": dict(labels)},
        "spec": spec,
    }


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
        "podIP": POD_IP,
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
