"""``/openapi/v2``: the custom kinds' schemas as a Swagger 2.0 document, for kubectl's validation.

kubectl validates a manifest on the client when the server cannot do it for that kind: it asks
the OpenAPI v3 document whether the kind's ``PATCH`` takes ``fieldValidation`` and, for a kind no
path names, falls back to its OpenAPI v2 validator. A ``kind: List`` (what ``kubectl get -o yaml``
writes for several objects) is such a kind, so ``kubectl apply|create|replace -f`` of a List
fetched ``/openapi/v2``, got a ``404`` and stopped with ``error validating data: the server could
not find the requested resource; if you choose to ignore these errors, turn validation off with
--validate=false``. kube-apiserver serves the document; kubectl validates each item of the List
against the definition whose ``x-kubernetes-group-version-kind`` names the item's kind, and skips
an item whose kind has none (``SchemaValidation.validateResource``,
``k8s.io/kubectl/pkg/util/openapi/validation``).

The document holds a definition for each served version of each custom kind (its CRD schema as the
OpenAPI v3 document has it) and ObjectMeta, turned into v2 as apiextensions-apiserver turns a
structural schema (``ToStructuralOpenAPIV2``): no ``allOf``/``oneOf``/``anyOf``/``not``, a
``nullable`` node untyped and without properties or items (and no longer required by its
parent), a node that preserves unknown fields without properties or items, an array left without
items untyped; a reference is a plain ``$ref`` into ``#/definitions/``. The built-in kinds are
left out on purpose: their v3 schemas type IntOrString and Quantity fields as objects (see
:mod:`harness.apiserver.builtin_openapi`), which the v2 validator would hold against
``targetPort: 8080``, so their items are skipped by it (the server still checks them strictly),
and with no ``paths`` kubectl keeps building ``apply`` patches as before (strategic merge from
its Go types for built-in kinds, JSON merge for custom ones: ``Patcher.patchSimple`` takes the
patch type from the document's paths only).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["REF_PREFIX", "document", "to_v2"]

REF_PREFIX = "#/components/schemas/"
_DROPPED = frozenset({"allOf", "oneOf", "anyOf", "not", "nullable"})


def _reference(node: Mapping[str, Any]) -> str | None:
    """The target of an ``allOf`` holding one reference (how v3 documents reference with a
    description beside), as a v2 ``$ref``."""
    parts = node.get("allOf")
    if isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], Mapping):
        ref = parts[0].get("$ref")
        if isinstance(ref, str):
            return "#/definitions/" + ref.removeprefix(REF_PREFIX)
    return None


def _nullable(node: Any) -> bool:
    return isinstance(node, Mapping) and node.get("nullable") is True


def to_v2(node: Mapping[str, Any]) -> dict[str, Any]:
    """One schema node in its v2 form (see the module docstring); ``node`` is not changed."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED:
            continue
        if key == "properties" and isinstance(value, Mapping):
            out[key] = {name: to_v2(sub) if isinstance(sub, Mapping) else sub for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
            out[key] = to_v2(value)
        elif key == "$ref" and isinstance(value, str):
            out[key] = "#/definitions/" + value.removeprefix(REF_PREFIX)
        else:
            out[key] = value
    ref = _reference(node)
    if ref is not None:
        out["$ref"] = ref
    if _nullable(node):
        for key in ("type", "items", "properties"):
            out.pop(key, None)
    if node.get("x-kubernetes-preserve-unknown-fields") is True:
        out.pop("items", None)
        out.pop("properties", None)
    if out.get("type") == "array" and "items" not in out:
        out.pop("type")
    _unrequire_nullable(node, out)
    return out


def _unrequire_nullable(node: Mapping[str, Any], out: dict[str, Any]) -> None:
    required = out.get("required")
    if not isinstance(required, list):
        return
    found = node.get("properties")
    props: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    kept = [name for name in required if not _nullable(props.get(name))]
    if _nullable(node.get("additionalProperties")):
        kept = []
    if kept:
        out["required"] = kept
    else:
        out.pop("required")


def document(components: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The Swagger 2.0 document of ``components`` (v3 component schemas by definition name)."""
    return {
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": "v1.32.0"},
        "paths": {},
        "definitions": {name: to_v2(schema) for name, schema in sorted(components.items())},
    }
