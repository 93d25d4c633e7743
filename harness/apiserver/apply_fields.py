"""A server-side apply of a built-in kind with a field its Go types lack: refused, whatever the
``fieldValidation``.

The apply patch is never decoded into the Go type; the field manager turns it into a typed value
of the kind's OpenAPI schema (``structuredMergeManager.Apply`` in
``k8s.io/apimachinery/pkg/util/managedfields/internal/structuredmerge.go``), and
structured-merge-diff's validating walker (``typed/validate.go``) stops at the first field a
struct does not declare: ``.spec.replica: field not declared in schema``. The manager wraps that
in ``failed to create typed patch object (<namespace>/<name>; <group>/<version>, Kind=<Kind>):
...``; it is a plain Go error, so the answer is a ``500`` whose Status has no reason (kubectl
prints ``Error from server: ...``), not a strict decoding error.

Paths are written as structured-merge-diff writes them: ``.field`` for a struct field or a map
key, ``[i]`` for an item of an atomic list, ``[name="app"]`` for an item of an associative one
(keyed by its merge keys, :data:`ASSOCIATIVE`). The walker visits a struct's fields in Go's map
order, which varies; here they are visited in document order, one error per struct (the first
undeclared field), and several are joined as ``errors:`` lines.
"""

from __future__ import annotations

import json
from typing import Any

from harness.apiserver.builtin_fields import LIST, MAP, STRUCT, Struct, kind_struct
from harness.kube.errors import ApiError
from harness.kube.resources import Resource

__all__ = ["ASSOCIATIVE", "refusal"]

ASSOCIATIVE: dict[tuple[str, str], tuple[str, ...]] = {
    **{("V1PodSpec", f): ("name",) for f in ("containers", "initContainers", "ephemeralContainers")},
    **{("V1PodSpec", f): ("name",) for f in ("volumes", "imagePullSecrets", "resourceClaims")},
    ("V1PodSpec", "schedulingGates"): ("name",),
    ("V1PodSpec", "hostAliases"): ("ip",),
    **{(c, "env"): ("name",) for c in ("V1Container", "V1EphemeralContainer")},
    **{(c, "volumeMounts"): ("mountPath",) for c in ("V1Container", "V1EphemeralContainer")},
    **{(c, "volumeDevices"): ("devicePath",) for c in ("V1Container", "V1EphemeralContainer")},
    **{(c, "ports"): ("containerPort", "protocol") for c in ("V1Container", "V1EphemeralContainer")},
    ("V1ServiceSpec", "ports"): ("port", "protocol"),
    ("V1ServiceAccount", "secrets"): ("name",),
    **{
        (s, "conditions"): ("type",)
        for s in (
            "V1PodStatus",
            "V1NodeStatus",
            "V1DeploymentStatus",
            "V1ReplicaSetStatus",
            "V1DaemonSetStatus",
            "V1ReplicationControllerStatus",
            "V1ServiceStatus",
        )
    },
    ("V1NamespaceStatus", "conditions"): ("type",),
    ("V1NodeStatus", "addresses"): ("type",),
    ("V1ObjectMeta", "ownerReferences"): ("uid",),
}
"""The lists of the served kinds the 1.32 OpenAPI marks associative (``x-kubernetes-list-type:
map`` with its ``x-kubernetes-list-map-keys``, or a ``merge`` patch strategy with its merge key,
which the type converter reads the same way), by owning model and field; any other list of
structs is atomic and its items are named by position."""


def refusal(resource: Resource, sent: dict[str, Any], namespace: Any, name: Any) -> ApiError | None:
    """The field manager's error for an apply patch ``sent``, or ``None`` when every field is
    declared. ``namespace`` and ``name``: the patch's own, as the client sent them (the error
    names the patch object, before the server filled either in)."""
    struct = kind_struct(resource.plural)
    if struct is None:
        return None
    errors: list[str] = []
    _walk(sent, struct, "", errors)
    if not errors:
        return None
    detail = errors[0] if len(errors) == 1 else "errors:\n  " + "\n  ".join(errors)
    gvk = f"{resource.group}/{resource.version}, Kind={resource.kind}"
    where = f"{_text(namespace)}/{_text(name)}; {gvk}"
    return ApiError(f"failed to create typed patch object ({where}): {detail}", code=500, reason="")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _walk(value: dict[str, Any], struct: Struct, path: str, errors: list[str]) -> None:
    for key, item in value.items():
        if key not in struct.known:
            errors.append(f"{path}.{key}: field not declared in schema")
            return
        inner = struct.nested.get(key)
        if inner is None or item is None:
            continue
        shape, child = inner
        here = f"{path}.{key}"
        if shape == STRUCT and isinstance(item, dict):
            _walk(item, child, here, errors)
        elif shape == LIST and isinstance(item, list):
            keys = ASSOCIATIVE.get((struct.name, key), ())
            for index, element in enumerate(item):
                if isinstance(element, dict):
                    _walk(element, child, here + _item(index, element, keys), errors)
        elif shape == MAP and isinstance(item, dict):
            for name, element in item.items():
                if isinstance(element, dict):
                    _walk(element, child, f"{here}.{name}", errors)


def _item(index: int, element: dict[str, Any], keys: tuple[str, ...]) -> str:
    """``[name="app"]`` for an associative list's item that carries its keys, else ``[index]``."""
    if not keys or any(k not in element for k in keys):
        return f"[{index}]"
    return "[" + ",".join(f"{k}={json.dumps(element[k])}" for k in keys) + "]"
