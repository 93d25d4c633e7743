"""The Go types behind built-in kinds, checked the way kube-apiserver's JSON decoder checks them.

A real API server decodes a ConfigMap into a Go struct, so ``data: {a: 1}`` is not stored: the
decoder fails with ``json: cannot unmarshal number into Go struct field ConfigMap.data of type
string``. Custom resources are decoded as unstructured JSON, but their ``metadata`` still is an
``ObjectMeta``. :func:`decode_error` returns that decoder message for the first field in document
order whose JSON type does not fit (``null`` fits everything, as in Go), or ``None``.
:func:`validate_core` adds the built-in kinds' own validation (ConfigMap/Secret keys and the 1 MiB
size limit) with the messages of ``pkg/apis/core/validation``.

Only the fields the harness's workflows touch are typed here; which fields each built-in kind has
at all, and dropping the others, is :mod:`harness.apiserver.builtin_fields`'s.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, TypeAlias

from harness.apiserver.json_numbers import WholeFloat
from harness.apiserver.microtime import parse_error as micro_time_error
from harness.apiserver.objectmeta import go_quote, max_len, regex_error
from harness.apiserver.pod_update import validate_pod_update
from harness.kube.errors import Cause

__all__ = ["decode_error", "validate_core", "validate_core_update"]

Shape: TypeAlias = "str | tuple[str, Shape] | tuple[str, str, dict[str, Shape]]"

_STR: Shape = "string"
_OWNER: Shape = (
    "struct",
    "v1.OwnerReference",
    {"apiVersion": _STR, "kind": _STR, "name": _STR, "uid": _STR, "controller": "bool"},
)
_META: Shape = (
    "struct",
    "v1.ObjectMeta",
    {
        "name": _STR,
        "generateName": _STR,
        "namespace": _STR,
        "uid": _STR,
        "resourceVersion": _STR,
        "labels": ("map", _STR),
        "annotations": ("map", _STR),
        "finalizers": ("list", _STR),
        "ownerReferences": ("list", _OWNER),
    },
)
_NAMED: Shape = ("struct", "v1.LocalObjectReference", {"name": _STR})
_CONTAINERS: Shape = (
    "list",
    (
        "struct",
        "v1.Container",
        {
            "name": _STR,
            "image": _STR,
            "env": ("list", ("struct", "v1.EnvVar", {"name": _STR, "value": _STR})),
            "ports": ("list", ("struct", "v1.ContainerPort", {"name": _STR, "containerPort": "int"})),
        },
    ),
)
_POD_SPEC: Shape = (
    "struct",
    "v1.PodSpec",
    {
        "nodeName": _STR,
        "containers": _CONTAINERS,
        "initContainers": _CONTAINERS,
        "volumes": ("list", ("struct", "v1.Volume", {"name": _STR})),
        "imagePullSecrets": ("list", _NAMED),
    },
)
_TEMPLATE: Shape = ("struct", "v1.PodTemplateSpec", {"metadata": _META, "spec": _POD_SPEC})
"""A pod template's typed fields: a strategic merge patch that turns ``containers`` into a string
must be refused, not stored (a stored one breaks every client that decodes the Deployment)."""


def _conditions(go_type: str) -> Shape:
    fields = ("type", "status", "reason", "message", "lastUpdateTime", "lastTransitionTime")
    return ("list", ("struct", go_type, dict.fromkeys(fields, _STR)))


def _workload_status(go_type: str, condition: str, extra: str) -> Shape:
    """A Deployment's or ReplicaSet's status: the counts ``kubectl get`` and ``/scale`` print,
    typed so that a ``/status`` write of ``readyReplicas: "abc"`` is refused, not stored (stored,
    every later list as a table, as kubectl asks, was a 500)."""
    counts = ("replicas", "readyReplicas", "availableReplicas", "unavailableReplicas", extra)
    fields: dict[str, Shape] = {**dict.fromkeys(counts, "int"), "observedGeneration": "int64"}
    return ("struct", go_type, {**fields, "conditions": _conditions(condition)})


def _daemon_set_status() -> Shape:
    """A DaemonSet's status: the counts ``kubectl get ds`` prints, typed for the same reason."""
    counts = (
        "currentNumberScheduled",
        "numberMisscheduled",
        "desiredNumberScheduled",
        "numberReady",
        "updatedNumberScheduled",
        "numberAvailable",
        "numberUnavailable",
        "collisionCount",
    )
    fields: dict[str, Shape] = {**dict.fromkeys(counts, "int"), "observedGeneration": "int64"}
    return ("struct", "v1.DaemonSetStatus", {**fields, "conditions": _conditions("v1.DaemonSetCondition")})


_CONTAINER_STATUS: Shape = (
    "struct",
    "v1.ContainerStatus",
    {"name": _STR, "ready": "bool", "started": "bool", "restartCount": "int", "image": _STR, "imageID": _STR},
)
_POD_STATUS: Shape = (
    "struct",
    "v1.PodStatus",
    {
        "phase": _STR,
        "podIP": _STR,
        "hostIP": _STR,
        "conditions": _conditions("v1.PodCondition"),
        "containerStatuses": ("list", _CONTAINER_STATUS),
        "initContainerStatuses": ("list", _CONTAINER_STATUS),
    },
)
_KINDS: dict[str, dict[str, Shape]] = {
    "configmaps": {"data": ("map", _STR), "binaryData": ("map", "bytes"), "immutable": "bool"},
    "secrets": {"data": ("map", "bytes"), "stringData": ("map", _STR), "type": _STR, "immutable": "bool"},
    "namespaces": {
        "spec": ("struct", "v1.NamespaceSpec", {"finalizers": ("list", _STR)}),
        "status": ("struct", "v1.NamespaceStatus", {"phase": _STR}),
    },
    "events": {
        "reason": _STR,
        "message": _STR,
        "type": _STR,
        "count": "int",
        "involvedObject": (
            "struct",
            "v1.ObjectReference",
            {"kind": _STR, "namespace": _STR, "name": _STR, "uid": _STR, "apiVersion": _STR},
        ),
    },
    "serviceaccounts": {
        "secrets": (
            "list",
            (
                "struct",
                "v1.ObjectReference",
                dict.fromkeys(
                    ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"), _STR
                ),
            ),
        ),
        "imagePullSecrets": ("list", _NAMED),
        "automountServiceAccountToken": "bool",
    },
    "pods": {"spec": _POD_SPEC, "status": _POD_STATUS},
    "deployments": {
        "spec": (
            "struct",
            "v1.DeploymentSpec",
            {"replicas": "int", "paused": "bool", "revisionHistoryLimit": "int", "template": _TEMPLATE},
        ),
        "status": _workload_status("v1.DeploymentStatus", "v1.DeploymentCondition", "updatedReplicas"),
    },
    "leases": {
        "spec": (
            "struct",
            "v1.LeaseSpec",
            {
                "holderIdentity": _STR,
                "leaseDurationSeconds": "int",
                "acquireTime": "microtime",
                "renewTime": "microtime",
                "leaseTransitions": "int",
                "strategy": _STR,
                "preferredHolder": _STR,
            },
        )
    },
    "replicasets": {
        "spec": ("struct", "v1.ReplicaSetSpec", {"replicas": "int", "template": _TEMPLATE}),
        "status": _workload_status("v1.ReplicaSetStatus", "v1.ReplicaSetCondition", "fullyLabeledReplicas"),
    },
    "replicationcontrollers": {
        "spec": ("struct", "v1.ReplicationControllerSpec", {"replicas": "int", "template": _TEMPLATE}),
        "status": _workload_status(
            "v1.ReplicationControllerStatus", "v1.ReplicationControllerCondition", "fullyLabeledReplicas"
        ),
    },
    "daemonsets": {
        "spec": (
            "struct",
            "v1.DaemonSetSpec",
            {"minReadySeconds": "int", "revisionHistoryLimit": "int", "template": _TEMPLATE},
        ),
        "status": _daemon_set_status(),
    },
}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _go_type(shape: Shape) -> str:
    if isinstance(shape, str):
        return {"string": "string", "bool": "bool", "int": "int32", "int64": "int64", "bytes": "[]uint8"}[
            shape
        ]
    if shape[0] == "map":
        return "map[string]" + _go_type(shape[1])
    if shape[0] == "list":
        return "[]" + _go_type(shape[1])
    return str(shape[1])


def _base64_error(text: str) -> str | None:
    cleaned = text.replace("\r", "").replace("\n", "")
    for index, char in enumerate(cleaned):
        if not (char.isascii() and (char.isalnum() or char in "+/=")):
            return f"illegal base64 data at input byte {index}"
    try:
        base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        return f"illegal base64 data at input byte {len(cleaned)}"
    return None


_UNSEEN: Any = object()


def _struct_name(go_type: str) -> str:
    """``reflect.Type.Name()`` of a struct: ``v1.DeploymentSpec`` is ``DeploymentSpec``."""
    return go_type.rpartition(".")[2]


def _check(value: Any, shape: Shape, where: str, before: Any = _UNSEEN) -> str | None:
    """The decoder's complaint about ``value`` at ``where``, or ``None``.

    ``where`` is ``<Struct>.<path>``: the innermost Go struct whose field holds ``value`` and the
    dotted JSON path from the root, as ``encoding/json``'s ``addErrorContext`` names them (Go
    1.20+: ``UnmarshalTypeError.Struct`` and ``.Field``); map keys and list indexes add nothing.

    ``before``: the stored object's value at the same path; a value that *is* it (a patch shares
    what it does not touch) was decoded when it was stored, so it is not walked again.
    """
    if value is None or value is before:
        return None
    if shape == "microtime":  # its own UnmarshalJSON: time.Parse's words, not a type mismatch
        return micro_time_error(value)
    if isinstance(shape, str):
        if shape in _INT_RANGES:
            return _int_error(value, shape, where)
        ok = isinstance(value, bool) if shape == "bool" else isinstance(value, str)
        if not ok:
            return _mismatch(value, where, shape)
        return _base64_error(value) if shape == "bytes" else None
    if shape[0] in ("map", "struct") and not isinstance(value, dict):
        return _mismatch(value, where, shape)
    if shape[0] == "list" and not isinstance(value, list):
        return _mismatch(value, where, shape)
    if shape[0] == "map":
        return _first(_check(v, shape[1], where) for v in value.values())
    if shape[0] == "list":
        return _first(_check(v, shape[1], where) for v in value)
    fields: dict[str, Shape] = shape[2]  # type: ignore[misc]
    prior = before if isinstance(before, dict) else {}
    inner = f"{_struct_name(str(shape[1]))}.{where.partition('.')[2]}"
    for k in value:
        if k in fields:
            found = _check(value[k], fields[k], f"{inner}.{k}", prior.get(k, _UNSEEN))
            if found is not None:
                return found
    return None


def _mismatch(value: Any, where: str, shape: Shape) -> str:
    """``UnmarshalTypeError``'s text, built only when there is a mismatch (every write checks
    the typed fields of its object, and nearly all of them pass)."""
    go_type = _go_type(shape)
    return f"json: cannot unmarshal {_json_type(value)} into Go struct field {where} of type {go_type}"


_INT_RANGES = {"int": 2**31, "int64": 2**63}
"""Go's int32 and int64: ``-bound <= n < bound``."""


def _int_error(value: Any, shape: str, where: str) -> str | None:
    """Go's complaint about ``value`` for an int32/int64 field, or ``None``.

    A number Go cannot store (``replicas: 99999999999999999999``, ``2.5``) is named with its
    literal, as ``encoding/json`` names it (``cannot unmarshal number 2.5 into ...``); only a
    type mismatch is named by the JSON type alone. Stored, such a count made every typed client
    (kubectl's table of Deployments among them) fail to read the object.
    """
    go_type = _go_type(shape)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"json: cannot unmarshal {_json_type(value)} into Go struct field {where} of type {go_type}"
    bound = _INT_RANGES[shape]
    if isinstance(value, WholeFloat):  # a float64 (``1.0``, ``1e20``): never an int to Go
        literal = value.literal
    elif isinstance(value, int) and -bound <= value < bound:
        return None
    else:
        literal = json.dumps(value) if isinstance(value, float) else str(value)
    return f"json: cannot unmarshal number {literal} into Go struct field {where} of type {go_type}"


def _first(found: Any) -> str | None:
    for item in found:
        if item is not None:
            return str(item)
    return None


def decode_error(
    plural: str, kind: str, obj: dict[str, Any], *, builtin: bool, stored: dict[str, Any] | None = None
) -> str | None:
    """The Go decoder's error for ``obj``, or ``None`` when every typed field has its type.

    ``stored``: the object ``obj`` was patched from; what ``obj`` shares with it is not checked again.
    """
    fields: dict[str, Shape] = {"metadata": _META}
    if builtin:
        fields.update(_KINDS.get(plural, {}))
    prior = stored or {}
    return _first(_check(obj[k], fields[k], f"{kind}.{k}", prior.get(k, _UNSEEN)) for k in obj if k in fields)


_CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+"
_CONFIG_KEY = re.compile(_CONFIG_KEY_FMT)
MAX_DATA_SIZE = 1024 * 1024


def _config_key(key: str) -> list[str]:
    errs = [max_len(253)] if len(key) > 253 else []
    if _CONFIG_KEY.fullmatch(key) is None:
        message = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
        errs.append(regex_error(message, _CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    if key == ".":
        errs.append("must not be '.'")
    elif key == "..":
        errs.append("must not be '..'")
    elif key.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def _keys(bag: Any, field: str) -> tuple[list[Cause], int]:
    causes: list[Cause] = []
    size = 0
    for key, value in (bag or {}).items():
        causes += [
            Cause("FieldValueInvalid", f"Invalid value: {go_quote(key)}: {m}", f"{field}[{key}]")
            for m in _config_key(key)
        ]
        size += len(value.encode()) if isinstance(value, str) else 0
    return causes, size


def validate_core(plural: str, obj: dict[str, Any]) -> list[Cause]:
    """ConfigMap and Secret validation from ``pkg/apis/core/validation`` (keys, 1 MiB of data);
    a Deployment's from ``pkg/apis/apps/validation`` (see :func:`_deployment`)."""
    if plural == "deployments":
        return _deployment(obj)
    if plural not in ("configmaps", "secrets"):
        return []
    too_long = f"Too long: must have at most {MAX_DATA_SIZE} bytes"
    data_causes, size = _keys(obj.get("data"), "data")
    if plural == "configmaps":
        binary_causes, binary_size = _keys(obj.get("binaryData"), "binaryData")
        for key in set(obj.get("data") or {}) & set(obj.get("binaryData") or {}):
            message = f"Invalid value: {go_quote(key)}: duplicate of key present in binaryData"
            data_causes.append(Cause("FieldValueInvalid", message, f"data[{key}]"))
        causes = data_causes + binary_causes
        if size + binary_size > MAX_DATA_SIZE:
            causes.append(Cause("FieldValueTooLong", too_long, ""))
        return causes
    if size * 3 // 4 > MAX_DATA_SIZE:
        data_causes.append(Cause("FieldValueTooLong", too_long, "data"))
    return data_causes + _secret_type_causes(obj)


_REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "kubernetes.io/dockercfg": (".dockercfg",),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
}
_SERVICE_ACCOUNT = "kubernetes.io/service-account.name"


def _missing_keys(kind: Any, data: dict[str, Any]) -> tuple[str, ...]:
    if kind == "kubernetes.io/basic-auth":
        return () if "username" in data or "password" in data else ("username", "password")
    if kind == "kubernetes.io/ssh-auth":
        return () if data.get("ssh-privatekey") else ("ssh-privatekey",)
    return tuple(key for key in _REQUIRED_KEYS.get(str(kind), ()) if key not in data)


def _secret_type_causes(secret: dict[str, Any]) -> list[Cause]:
    """``ValidateSecret``'s per-type keys: a docker config, an SSH key, a TLS pair, a basic-auth
    username or password, a token's service account. (Not the JSON check of the docker configs.)"""
    kind, data = secret.get("type"), secret.get("data") or {}
    if kind == "kubernetes.io/service-account-token":
        annotations = (secret.get("metadata") or {}).get("annotations") or {}
        field = f"metadata.annotations[{_SERVICE_ACCOUNT}]"
        return (
            []
            if annotations.get(_SERVICE_ACCOUNT)
            else [Cause("FieldValueRequired", "Required value", field)]
        )
    return [
        Cause("FieldValueRequired", "Required value", f"data[{key}]") for key in _missing_keys(kind, data)
    ]


def _deployment(obj: dict[str, Any]) -> list[Cause]:
    """``ValidateDeploymentSpec``'s checks of what a user changes with kubectl: a replica count not
    below 0, a pod template with containers, a selector its labels match."""
    spec = obj.get("spec") or {}
    causes: list[Cause] = []
    replicas = spec.get("replicas")
    if isinstance(replicas, int) and not isinstance(replicas, bool) and replicas < 0:
        causes.append(
            Cause(
                "FieldValueInvalid",
                f"Invalid value: {replicas}: must be greater than or equal to 0",
                "spec.replicas",
            )
        )
    template = spec.get("template") or {}
    if not (template.get("spec") or {}).get("containers"):
        causes.append(Cause("FieldValueRequired", "Required value", "spec.template.spec.containers"))
    wanted = (spec.get("selector") or {}).get("matchLabels") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    if any(labels.get(key) != value for key, value in wanted.items()):
        shown = ", ".join(f"{key}={value}" for key, value in sorted(labels.items()))
        causes.append(
            Cause(
                "FieldValueInvalid",
                f"Invalid value: map[string]string{{{shown}}}: `selector` does not match template `labels`",
                "spec.template.metadata.labels",
            )
        )
    return causes


_IMMUTABLE_WHEN_SET = "Forbidden: field is immutable when `immutable` is set"
_LOCKED_FIELDS = {"configmaps": ("data", "binaryData"), "secrets": ("data",)}


def validate_core_update(plural: str, new: dict[str, Any], old: dict[str, Any]) -> list[Cause]:
    """What ``ValidateConfigMapUpdate`` and ``ValidateSecretUpdate`` (``pkg/apis/core/validation``)
    add on an update: a Secret's ``type`` never changes, and once ``immutable`` is true neither it
    nor the data may change (a Secret's ``stringData`` is already folded into ``data`` here); a
    Pod's spec is :func:`~harness.apiserver.pod_update.validate_pod_update`'s."""
    if plural == "pods":
        return validate_pod_update(new, old)
    if plural not in _LOCKED_FIELDS:
        return []
    causes: list[Cause] = []
    if plural == "secrets" and new.get("type") != old.get("type"):
        message = f"Invalid value: {go_quote(new.get('type') or '')}: field is immutable"
        causes.append(Cause("FieldValueInvalid", message, "type"))
    if old.get("immutable") is not True:
        return causes
    if new.get("immutable") is not True:
        causes.append(Cause("FieldValueForbidden", _IMMUTABLE_WHEN_SET, "immutable"))
    changed = [f for f in _LOCKED_FIELDS[plural] if (new.get(f) or {}) != (old.get(f) or {})]
    return causes + [Cause("FieldValueForbidden", _IMMUTABLE_WHEN_SET, f) for f in changed]
