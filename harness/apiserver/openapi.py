"""OpenAPI v3 documents, enough for kubectl's field validation and ``kubectl explain``.

kubectl ``apply``/``create`` fetch ``/openapi/v3`` and the group-version document before writing;
when an operation lists the ``fieldValidation`` query parameter, kubectl leaves validation to the
server (``fieldValidation=Strict``) instead of failing with "failed to download openapi". Each
document carries the CRD schema with ``x-kubernetes-group-version-kind``; stored built-in kinds
get their Go types' fields (:mod:`harness.apiserver.builtin_openapi`), the others (the access
reviews, the read-only CustomResourceDefinitions) an open schema. Documents never change for a
server's lifetime, so they are built once.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from harness.apiserver import builtin_openapi, gnostic, openapi_v2
from harness.apiserver.catalog import Catalog, ResourceType
from harness.kube.patches import clone

__all__ = ["OpenApi"]

_OBJECT_META = builtin_openapi.OBJECT_META
_PARAMS = ["dryRun", "fieldManager", "fieldValidation", "pretty"]


def _built_in_model(rt: ResourceType) -> str | None:
    """The client model of a stored built-in kind, whose fields its schema lists."""
    return None if rt.custom else builtin_openapi.kind_model(rt.resource.plural)


def _schema_name(rt: ResourceType) -> str:
    r = rt.resource
    model = _built_in_model(rt)
    if model is not None:
        return builtin_openapi.component_name(model)
    if not r.group:
        return f"io.k8s.api.core.{r.version}.{r.kind}"
    return ".".join(reversed(r.group.split("."))) + f".{r.version}.{r.kind}"


def _gvk(rt: ResourceType) -> dict[str, str]:
    return {"group": rt.resource.group, "version": rt.resource.version, "kind": rt.resource.kind}


_TYPE_META = {
    "apiVersion": "APIVersion defines the versioned schema of this representation of an object. Servers "
    "should convert recognized schemas to the latest internal value, and may reject unrecognized values. "
    "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
    "kind": "Kind is a string value representing the REST resource this object represents. Servers may "
    "infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More "
    "info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
}
_METADATA = (
    "Standard object's metadata. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
)


def _schema(rt: ResourceType) -> dict[str, Any]:
    """A kind's component schema; for a CRD, apiextensions-apiserver's builder sets ``apiVersion``,
    ``kind`` (TypeMeta's documented strings) and ``metadata`` whatever the CRD says about them, so
    ``kubectl explain`` documents them as on a real cluster."""
    model = _built_in_model(rt)
    schema: dict[str, Any]
    if rt.schema is not None:
        schema = clone(rt.schema.raw)
    elif model is not None:
        schema = builtin_openapi.components(model)[_schema_name(rt)]
    else:
        schema = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    props = schema.setdefault("properties", {})
    for field, description in _TYPE_META.items():
        props[field] = {"type": "string", "description": description}
    props["metadata"] = {
        "description": _METADATA,
        "allOf": [{"$ref": f"#/components/schemas/{_OBJECT_META}"}],
    }
    schema["x-kubernetes-group-version-kind"] = [_gvk(rt)]
    return schema


def _operation(rt: ResourceType, action: str, params: list[str]) -> dict[str, Any]:
    return {
        "operationId": f"{action}{rt.resource.kind}",
        "parameters": [
            {"name": p, "in": "query", "schema": {"type": "string", "uniqueItems": True}} for p in params
        ],
        "responses": {"200": {"description": "OK"}},
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": _gvk(rt),
    }


def _paths(rt: ResourceType) -> dict[str, Any]:
    r = rt.resource
    base = f"/apis/{r.group}/{r.version}" if r.group else f"/api/{r.version}"
    coll = f"{base}/namespaces/{{namespace}}/{r.plural}" if r.namespaced else f"{base}/{r.plural}"
    item = f"{coll}/{{name}}"
    write = {"put": _operation(rt, "put", _PARAMS), "patch": _operation(rt, "patch", [*_PARAMS, "force"])}
    paths = {
        coll: {
            "get": _operation(rt, "list", []),
            "post": _operation(rt, "post", _PARAMS),
            "delete": _operation(rt, "deletecollection", ["dryRun"]),
        },
        item: {"get": _operation(rt, "get", []), "delete": _operation(rt, "delete", ["dryRun"]), **write},
    }
    if rt.status_subresource:
        paths[f"{item}/status"] = {"get": _operation(rt, "get", []), **write}
    if rt.read_only:
        return {path: {"get": ops["get"]} for path, ops in paths.items()}
    return paths


_META_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "generateName": {"type": "string"},
        "namespace": {"type": "string"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "resourceVersion": {"type": "string"},
        "uid": {"type": "string"},
        "generation": {"type": "integer", "format": "int64"},
        "creationTimestamp": {"type": "string", "format": "date-time"},
        "deletionTimestamp": {"type": "string", "format": "date-time"},
        "ownerReferences": {
            "type": "array",
            "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        },
        "managedFields": {
            "type": "array",
            "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        },
    },
}


class OpenApi:
    """The ``/openapi/v3`` index and per-group-version documents of one catalogue."""

    def __init__(self, catalog: Catalog) -> None:
        self._docs: dict[str, bytes] = {}
        keys = {(rt.resource.group, rt.resource.version) for rt in catalog.types()}
        for group, version in sorted(keys):
            key = f"apis/{group}/{version}" if group else f"api/{version}"
            self._docs[key] = json.dumps(self._document(catalog.in_version(group, version))).encode()
        self._hashes = {k: hashlib.sha512(v).hexdigest()[:128].upper() for k, v in self._docs.items()}
        custom = {_schema_name(rt): _schema(rt) for rt in catalog.types() if rt.custom}
        self._v2 = openapi_v2.document({_OBJECT_META: _META_SCHEMA, **custom})
        self._v2_protobuf = gnostic.encode_document(self._v2)

    @staticmethod
    def _document(types: list[ResourceType]) -> dict[str, Any]:
        schemas: dict[str, Any] = {_OBJECT_META: _META_SCHEMA}
        paths: dict[str, Any] = {}
        for rt in sorted(types, key=lambda t: t.resource.plural):
            model = _built_in_model(rt)
            if model is not None:
                schemas.update(builtin_openapi.components(model))
            schemas[_schema_name(rt)] = _schema(rt)
            paths.update(_paths(rt))
        return {
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": "v1.32.0"},
            "paths": paths,
            "components": {"schemas": schemas},
        }

    def index(self) -> dict[str, Any]:
        return {
            "paths": {k: {"serverRelativeURL": f"/openapi/v3/{k}?hash={self._hashes[k]}"} for k in self._docs}
        }

    def document(self, key: str) -> bytes | None:
        return self._docs.get(key)

    def v2(self, protobuf: bool) -> bytes:
        """``/openapi/v2`` (:mod:`harness.apiserver.openapi_v2`): gnostic's protobuf, which
        client-go asks for, or the JSON document."""
        return self._v2_protobuf if protobuf else json.dumps(self._v2, separators=(",", ":")).encode()
