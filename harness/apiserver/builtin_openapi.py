"""OpenAPI v3 schemas of the built-in kinds, so ``kubectl explain`` knows their fields.

kubectl 1.32's ``explain`` reads the group-version document of ``/openapi/v3`` and walks the
kind's schema by ``$ref``. With an open schema (``x-kubernetes-preserve-unknown-fields``) every
field of a built-in kind was unknown to it: ``kubectl explain deployment.spec.replicas`` or
``pod.spec.containers`` ended with ``error: field "replicas" does not exist`` and exit code 1.

The schemas are made from ``data/builtin_schemas.json`` (``python -m tools.gen_builtin_fields``
writes it from the ``kubernetes`` client's models, Kubernetes 1.32's fields): each field's JSON
type, a struct as an ``allOf`` reference to its component, lists and string-keyed maps as
kube-openapi writes them, and each struct's required fields, so explain prints the same types
(``<integer>``, ``<[]Container>``, ``<map[string]string>``), the same field lists and the same
``-required-`` marks as on a real cluster. Left out: the descriptions (upstream's Go doc text;
explain prints ``<empty>``), ``format`` (``int32``/``int64``), enums, defaults, and the patch
strategy extensions (``x-kubernetes-patch-merge-key``): without a ``requestBody`` that offers a
strategic merge patch, kubectl keeps building its strategic merge patches from its own Go types,
as before. Values with their own decoder (IntOrString, Quantity, RawExtension) are plain objects.
Component names follow the Go packages (``io.k8s.api.apps.v1.DeploymentSpec``); only the last
part shows in explain's output.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["OBJECT_META", "component_name", "components", "kind_model"]

_DATA = Path(__file__).with_name("data") / "builtin_schemas.json"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
_META_TYPES = frozenset(
    {
        "V1ObjectMeta",
        "V1LabelSelector",
        "V1LabelSelectorRequirement",
        "V1OwnerReference",
        "V1ManagedFieldsEntry",
    }
)
_APPS_PREFIXES = ("V1Deployment", "V1ReplicaSet", "V1DaemonSet", "V1StatefulSet", "V1RollingUpdate")
_BATCH_PREFIXES = ("V1Job", "V1CronJob", "V1PodFailurePolicy", "V1SuccessPolicy", "V1UncountedTerminatedPods")
_NETWORKING_PREFIXES = ("V1Ingress", "V1HTTPIngress", "V1ServiceBackendPort")
_SCALAR_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "number": {"type": "number"},
    "date-time": {"type": "string", "format": "date-time"},
    "byte": {"type": "string", "format": "byte"},
    "object": {"type": "object"},
}


@cache
def _table() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    return loaded


def kind_model(plural: str) -> str | None:
    """The client model behind a served built-in kind (``deployments`` → ``V1Deployment``)."""
    found = _table()["kinds"].get(plural)
    return str(found) if found is not None else None


def component_name(model: str) -> str:
    """The component a model is published as, by the Go package its type lives in."""
    short = model.removeprefix("CoreV1").removeprefix("V1")
    if model == "V1ObjectMeta":
        return OBJECT_META
    if model in _META_TYPES:
        return f"io.k8s.apimachinery.pkg.apis.meta.v1.{short}"
    if model.startswith(_APPS_PREFIXES):
        return f"io.k8s.api.apps.v1.{short}"
    if model.startswith(_BATCH_PREFIXES):
        return f"io.k8s.api.batch.v1.{short}"
    if model.startswith(_NETWORKING_PREFIXES):
        return f"io.k8s.api.networking.v1.{short}"
    if model.startswith("V1Lease"):
        return f"io.k8s.api.coordination.v1.{short}"
    return f"io.k8s.api.core.v1.{short}"


def _field_schema(declared: str) -> dict[str, Any]:
    """One field's schema as kube-openapi writes it: a struct by ``allOf`` reference."""
    if declared.startswith("[]"):
        return {"type": "array", "items": _field_schema(declared[2:])}
    if declared.startswith("{}"):
        return {"type": "object", "additionalProperties": _field_schema(declared[2:])}
    scalar = _SCALAR_SCHEMAS.get(declared)
    if scalar is not None:
        return dict(scalar)
    return {"allOf": [{"$ref": f"#/components/schemas/{component_name(declared)}"}]}


def _struct_schema(model: str) -> dict[str, Any]:
    entry = _table()["types"][model]
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {key: _field_schema(declared) for key, declared in entry["fields"].items()},
    }
    if entry["required"]:
        schema["required"] = list(entry["required"])
    return schema


def _reachable(model: str) -> list[str]:
    """``model`` and every struct its fields lead to, each once, ObjectMeta left out (the
    document's own, shared with the custom kinds)."""
    types = _table()["types"]
    seen: list[str] = []
    pending = [model]
    while pending:
        name = pending.pop()
        if name in seen or name == "V1ObjectMeta":
            continue
        seen.append(name)
        for declared in types[name]["fields"].values():
            inner = declared.removeprefix("[]").removeprefix("{}")
            if inner in types:
                pending.append(inner)
    return seen


def components(model: str) -> dict[str, dict[str, Any]]:
    """The component schemas a kind's document needs: the kind's own and every struct under it."""
    return {component_name(name): _struct_schema(name) for name in _reachable(model)}
