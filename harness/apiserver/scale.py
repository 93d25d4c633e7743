"""The ``scale`` subresource of Deployments, ReplicaSets and ReplicationControllers, which
``kubectl scale`` writes.

kube-apiserver serves ``/scale`` of an ``apps/v1`` Deployment or ReplicaSet as an
``autoscaling/v1`` ``Scale`` (upstream ``pkg/registry/apps/deployment/storage/storage.go``,
``ScaleREST`` and ``scaleFromDeployment``; the ReplicaSet's is the same): its metadata is the
parent's name, namespace, uid, resourceVersion and creation time; ``spec.replicas`` is the parent's
wanted count (left out at zero, Go's ``omitempty``); ``status.replicas`` the parent's reported
count (always written) and ``status.selector`` the parent's label selector in its string form. A
write of a Scale changes the parent's ``spec.replicas`` and nothing else; a resourceVersion in the
written Scale is a precondition on the parent; a negative count is refused by the Scale's own
validation (``ValidateScale``), in the Scale's words.

This module holds the conversions; the handlers read and write the parent through the store.
"""

from __future__ import annotations

from typing import Any

from harness.apiserver.objectmeta import invalid as invalid_value
from harness.kube.errors import BadRequest, Cause, Invalid
from harness.kube.objects import Obj

__all__ = ["API_VERSION", "KIND", "SCALABLE", "replicas_of", "scale_of"]

API_VERSION = "autoscaling/v1"
KIND = "Scale"
SCALABLE = frozenset({("apps", "deployments"), ("apps", "replicasets"), ("", "replicationcontrollers")})
"""The served kinds with a ``scale`` subresource (group, plural)."""

_META = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")


def scale_of(parent: Obj) -> Obj:
    """The ``Scale`` kube-apiserver answers for ``parent`` (a Deployment or a ReplicaSet)."""
    meta = parent.get("metadata") or {}
    spec = parent.get("spec") or {}
    wanted = spec.get("replicas")
    status: dict[str, Any] = {"replicas": int((parent.get("status") or {}).get("replicas") or 0)}
    selector = _selector_of(parent.get("kind"), spec.get("selector") or {})
    if selector:
        status["selector"] = selector
    return {
        "kind": KIND,
        "apiVersion": API_VERSION,
        "metadata": {k: meta[k] for k in _META if k in meta},
        "spec": {"replicas": wanted} if wanted else {},
        "status": status,
    }


def replicas_of(name: str, written: Any, namespace: str = "") -> tuple[int, str | None]:
    """The count and resourceVersion precondition a client's ``Scale`` asks for; 400 for a body
    that is no Scale, 422 (the Scale's) for a count kube-apiserver refuses."""
    if not isinstance(written, dict):
        raise BadRequest(f"a Scale must be a JSON object, got {type(written).__name__}")
    kind, version = written.get("kind"), written.get("apiVersion")
    if kind not in (None, KIND) or version not in (None, API_VERSION):
        raise BadRequest(f"the body of the request was not a {API_VERSION} {KIND}: got {version} {kind}")
    spec = written.get("spec") or {}
    if not isinstance(spec, dict):
        raise _invalid(name, invalid_value("spec", spec, "must be an object"))
    wanted = spec.get("replicas", 0)
    if isinstance(wanted, bool) or not isinstance(wanted, int) or not -(2**31) <= wanted < 2**31:
        raise BadRequest(
            'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal'
            f" {_json_type(wanted)} into Go struct field ScaleSpec.spec.replicas of type int32"
        )
    if wanted < 0:
        raise _invalid(name, invalid_value("spec.replicas", wanted, "must be greater than or equal to 0"))
    return wanted, _precondition(name, namespace, written.get("metadata"))


def _precondition(name: str, namespace: str, meta: Any) -> str | None:
    """The resourceVersion a written Scale's metadata asks for; 400 for metadata the Go decoder
    refuses, or naming another object (``checkName`` in ``k8s.io/apiserver``'s update and patch
    handlers): a Scale is never silently applied to the object on the URL when it names another."""
    if meta is None:
        return None
    if not isinstance(meta, dict):
        raise BadRequest(_undecodable(meta, "Scale.metadata", "v1.ObjectMeta"))
    for field in ("name", "namespace", "resourceVersion"):
        if meta.get(field) is not None and not isinstance(meta[field], str):
            raise BadRequest(_undecodable(meta[field], f"ObjectMeta.metadata.{field}", "string"))
    if meta.get("name") and meta["name"] != name:
        raise BadRequest(
            f"the name of the object ({meta['name']}) does not match the name on the URL ({name})"
        )
    if meta.get("namespace") and namespace and meta["namespace"] != namespace:
        raise BadRequest(
            f"the namespace of the object ({meta['namespace']}) does not match"
            f" the namespace on the URL ({namespace})"
        )
    return meta.get("resourceVersion") or None


def _undecodable(value: Any, field: str, go_type: str) -> str:
    return (
        'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal'
        f" {_json_type(value).split()[0]} into Go struct field {field} of type {go_type}"
    )


def _selector_of(kind: Any, selector: Obj) -> str:
    """The parent's selector as a Scale shows it: a ReplicationController's is a plain label map
    (``labels.SelectorFromSet(...).String()`` in ``scaleFromRC``,
    ``pkg/registry/core/replicationcontroller/storage/storage.go``), the others' a LabelSelector."""
    if kind == "ReplicationController":
        return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    return format_selector(selector)


def format_selector(selector: Obj) -> str:
    """A label selector in apimachinery's string form (``FormatLabelSelector``): ``k=v`` for each
    matched label, ``k in (a,b)``, ``k notin (a)``, ``k`` and ``!k`` for expressions, sorted."""
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expression in selector.get("matchExpressions") or []:
        key, op = expression.get("key", ""), expression.get("operator", "")
        values = ",".join(sorted(expression.get("values") or []))
        parts.append(
            {"In": f"{key} in ({values})", "NotIn": f"{key} notin ({values})", "Exists": key}.get(
                op, f"!{key}"
            )
        )
    return ",".join(sorted(parts))


def _invalid(name: str, cause: Cause) -> Invalid:
    return Invalid(
        f'{KIND}.autoscaling "{name}" is invalid: {cause.field}: {cause.message}',
        name=name,
        group="autoscaling",
        kind=KIND,
        causes=[cause],
    )


def _json_type(value: Any) -> str:
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return f"number {value}"
    return "object" if isinstance(value, dict) else "array" if isinstance(value, list) else "null"
