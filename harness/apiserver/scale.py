"""The ``scale`` subresource of Deployments and ReplicaSets: an ``autoscaling/v1`` ``Scale``.

``kubectl scale deploy/NAME --replicas=N`` reads and patches it (discovery names its kind, which
kubectl's scale client looks up). kube-apiserver builds the Scale from the object (name,
namespace, uid, resourceVersion, creationTimestamp; ``spec.replicas``; ``status.replicas`` and the
selector as text) and writes ``spec.replicas`` back through the object's own update, with the
Scale's resourceVersion as the precondition (``pkg/registry/apps/deployment/storage/storage.go``
``scaleFromDeployment`` and ``scaleUpdatedObjectInfo``).
"""

from __future__ import annotations

from typing import Any

from harness.kube.errors import BadRequest, Cause, Invalid
from harness.kube.objects import Obj

__all__ = ["SCALE_KIND", "replicas_of", "scale_of"]

SCALE_KIND = {"group": "autoscaling", "version": "v1", "kind": "Scale"}


def _selector_text(selector: Any) -> str:
    """``metav1.FormatLabelSelector``: ``k=v`` for matchLabels, ``k in (a,b)`` and the like after."""
    if not isinstance(selector, dict):
        return ""
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for req in selector.get("matchExpressions") or []:
        key, op, values = req.get("key"), req.get("operator"), ",".join(req.get("values") or [])
        if op in ("In", "NotIn"):
            parts.append(f"{key} {op.lower()} ({values})")
        elif op == "Exists":
            parts.append(str(key))
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(parts)


def scale_of(obj: Obj) -> Obj:
    """The Scale kube-apiserver answers for a Deployment or ReplicaSet."""
    meta = obj.get("metadata") or {}
    kept = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
    spec = obj.get("spec") or {}
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in kept if k in meta},
        "spec": {"replicas": spec.get("replicas", 1)},
        "status": {
            "replicas": (obj.get("status") or {}).get("replicas", 0),
            "selector": _selector_text(spec.get("selector")),
        },
    }


def replicas_of(scale: Any, name: str) -> int:
    """``spec.replicas`` of a Scale a client sent, refused as decoding and ``ValidateScale`` refuse it."""
    spec = scale.get("spec") if isinstance(scale, dict) else None
    replicas = (spec if isinstance(spec, dict) else {}).get("replicas") or 0
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        kind = {str: "string", bool: "bool", list: "array", dict: "object"}.get(type(replicas), "number")
        raise BadRequest(
            'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal '
            f"{kind} into Go struct field ScaleSpec.spec.replicas of type int32"
        )
    if replicas < 0:
        message = f"Invalid value: {replicas}: must be greater than or equal to 0"
        raise Invalid(
            f'Scale.autoscaling "{name}" is invalid: spec.replicas: {message}',
            name=name,
            group="autoscaling",
            kind="Scale",
            causes=[Cause("FieldValueInvalid", message, "spec.replicas")],
        )
    return replicas
