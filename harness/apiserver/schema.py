"""CRD structural schemas: pruning, defaulting and validation, reported as kube-apiserver does.

The order on every write matches the real server: unknown fields are pruned (unless
``x-kubernetes-preserve-unknown-fields``), defaults are filled in, and the result is validated.
Validation uses the ``jsonschema`` library on a Draft 4 rendering of the OpenAPI v3 schema
(OpenAPI's ``nullable`` becomes a ``null`` type, Kubernetes extensions are dropped); its errors are
translated into Kubernetes field errors, so a client sees ``spec.registry.repo: Required value``
rather than a Python message. ``jsonschema`` runs only when the compiled check of
:mod:`harness.apiserver.schema_precheck` cannot vouch for the object, which on the usual (valid) write
keeps validation to a few microseconds. Compiled validators and checks are cached per process by
schema content, so a second server with the same CRDs starts without compiling anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from harness.apiserver.json_numbers import WholeFloat
from harness.apiserver.objectmeta import go_quote
from harness.apiserver.schema_precheck import Check, compile_check, draft4_validator
from harness.kube.errors import Cause
from harness.kube.patches import clone

if TYPE_CHECKING:
    import jsonschema

__all__ = ["StructuralSchema", "field_path", "render_value"]

_KEEP = frozenset(
    {
        "type",
        "properties",
        "required",
        "enum",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
        "items",
        "additionalProperties",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "multipleOf",
        "minProperties",
        "maxProperties",
        "format",
    }
)
_META_FIELDS = frozenset(
    {
        "name",
        "generateName",
        "namespace",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "labels",
        "annotations",
        "ownerReferences",
        "finalizers",
        "managedFields",
        "selfLink",
    }
)


def field_path(parts: Iterator[Any] | list[Any] | tuple[Any, ...]) -> str:
    """``("spec", "windows", 0, "from")`` → ``spec.windows[0].from`` (the Kubernetes form)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def render_value(value: Any) -> str:
    """A value as kube-apiserver quotes it in a field error (strings quoted, numbers bare)."""
    if value is None:
        return '"null"'
    if isinstance(value, str):
        return json.dumps(value)
    return json.dumps(value, separators=(",", ":"))


def _draft4(schema: Any) -> Any:
    """Translate one OpenAPI v3 structural schema node to Draft 4 for ``jsonschema``."""
    if isinstance(schema, list):
        return [_draft4(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key not in _KEEP:
            continue
        if key == "properties":
            out[key] = {name: _draft4(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
            out[key] = _draft4(value)
        else:
            out[key] = value
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if schema.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    return out


def _root_draft4(schema_json: str) -> Any:
    schema = _draft4(json.loads(schema_json))
    props = schema.setdefault("properties", {})
    props["metadata"] = {"type": "object"}  # ObjectMeta is validated by the server, not the CRD
    return schema


@lru_cache(maxsize=256)
def _compiled(schema_json: str) -> jsonschema.protocols.Validator:
    # jsonschema is imported there, not at the top: only an object the compiled check cannot vouch
    # for needs it, and its import (~60 ms) would otherwise be paid by every process that starts
    # an API server.
    return draft4_validator(_root_draft4(schema_json))


@lru_cache(maxsize=256)
def _check(schema_json: str) -> Check:
    return compile_check(_root_draft4(schema_json))


_VALUE_BLIND = frozenset(
    {"type", "properties", "required", "additionalProperties", "minProperties", "maxProperties"}
)
"""Draft 4 keywords of an object node that look at its keys only, never at the values below them
(``additionalProperties`` applies to undeclared keys, and a leaf here is always declared)."""


@lru_cache(maxsize=256)
def _leaf_check(schema_json: str, path: tuple[str, ...]) -> Check | None:
    node = _root_draft4(schema_json)
    for key in path:
        if not isinstance(node, dict) or set(node) - _VALUE_BLIND:
            return None
        node = (node.get("properties") or {}).get(key)
    return compile_check(node) if isinstance(node, dict) else None


_TYPE_NAMES = {str: "string", bool: "boolean", int: "integer", float: "number", dict: "object", list: "array"}


def _type_name(value: Any) -> str:
    """The JSON type go-openapi names for a decoded value: a float64 is a ``number`` even when
    whole (held as a :class:`~harness.apiserver.json_numbers.WholeFloat`)."""
    if isinstance(value, WholeFloat):
        return "number"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _causes(error: jsonschema.ValidationError) -> list[Cause]:
    path = list(error.absolute_path)
    where = field_path(path)
    kw = error.validator
    rule: Any = error.validator_value
    value: Any = error.instance
    if kw == "required":
        present = value if isinstance(value, dict) else {}
        return [
            Cause("FieldValueRequired", "Required value", field_path([*path, p]))
            for p in rule
            if p not in present
        ]
    if kw == "enum":
        supported = ", ".join(render_value(v) for v in rule)
        return [
            Cause(
                "FieldValueNotSupported",
                f"Unsupported value: {render_value(value)}: supported values: {supported}",
                where,
            )
        ]
    if kw == "type":
        got = "null" if value is None else _type_name(value)
        want = rule if isinstance(rule, str) else rule[0]
        body = f'Invalid value: "{got}": {where} in body must be of type {want}: "{got}"'
        return [Cause("FieldValueTypeInvalid", body, where)]
    if kw == "format":  # kube-openapi's FormatOf: an InvalidType error naming the format
        quoted = go_quote(value)
        body = f"Invalid value: {quoted}: {where} in body must be of type {rule}: {quoted}"
        return [Cause("FieldValueTypeInvalid", body, where)]
    if kw == "maxLength":
        return [Cause("FieldValueTooLong", f"Too long: may not be more than {rule} bytes", where)]
    if kw == "maxItems":
        return [Cause("FieldValueTooMany", f"Too many: {len(value)}: must have at most {rule} items", where)]
    detail = {
        "pattern": f"should match '{rule}'",
        "minimum": f"should be greater than or equal to {rule}",
        "maximum": f"should be less than or equal to {rule}",
        "minLength": f"should be at least {rule} chars long",
        "minItems": f"should have at least {rule} items",
    }.get(str(kw), error.message)
    shown = len(value) if kw == "minItems" else value
    return [
        Cause("FieldValueInvalid", f"Invalid value: {render_value(shown)}: {where} in body {detail}", where)
    ]


class StructuralSchema:
    """One version's ``openAPIV3Schema`` with the three write-time operations."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.raw = schema
        self._key = json.dumps(schema, sort_keys=True)
        self.prune_root = {
            **schema,
            "properties": {**schema.get("properties", {}), "apiVersion": {}, "kind": {}, "metadata": {}},
        }
        """The root as pruning sees it: ``apiVersion``, ``kind`` and ``metadata`` are known there
        (built once: every write prunes)."""

    def leaf_check(self, path: tuple[str, ...]) -> Check | None:
        """A check of the declared leaf at ``path`` that decides, for an object this schema admits,
        whether it is still admitted with that leaf's value replaced: every node above the leaf
        looks at keys only. None when some node above it also reads values (then only the whole
        object's check decides)."""
        return _leaf_check(self._key, path)

    def validate(self, obj: dict[str, Any]) -> list[Cause]:
        """Field errors for ``obj``, in a stable order, without duplicates."""
        if _check(self._key)(obj):
            return []
        seen: dict[tuple[str, str], Cause] = {}
        errors = sorted(
            _compiled(self._key).iter_errors(obj), key=lambda e: [str(p) for p in e.absolute_path]
        )
        for error in errors:
            for cause in _causes(error):
                seen.setdefault((cause.field, cause.message), cause)
        return list(seen.values())

    def prune(self, obj: dict[str, Any], admitted: dict[str, Any] | None = None) -> list[str]:
        """Drop unknown fields; returns their paths (for ``fieldValidation``).

        ``obj`` and its ``metadata`` are changed in place; a nested object or list that loses a
        field is replaced by a pruned copy instead, so the caller may share nested values with
        stored (immutable) objects. ``admitted`` is an object this schema already admitted (the
        stored one an update starts from): a nested value ``obj`` shares with it, the very same
        object, was pruned then and is not walked again.
        """
        dropped: list[str] = []
        meta = obj.get("metadata")
        if isinstance(meta, dict):
            for key in [k for k in meta if k not in _META_FIELDS]:
                del meta[key]
                dropped.append(f"metadata.{key}")
        _replace_contents(obj, _pruned(obj, self.prune_root, [], dropped, admitted))
        return dropped

    def default(self, obj: dict[str, Any], admitted: dict[str, Any] | None = None) -> None:
        """Fill in ``default`` values, top-down, as the server does on write (copy-on-write and
        ``admitted`` as in prune)."""
        _replace_contents(obj, _defaulted(obj, self.raw, admitted))


def _replace_contents(obj: dict[str, Any], new: Any) -> None:
    if new is not obj:
        obj.clear()
        obj.update(new)


def _shared(admitted: Any, key: str, item: Any) -> bool:
    """Whether ``item`` is the very value ``admitted`` (a dict already admitted) holds at ``key``."""
    return isinstance(admitted, dict) and dict.get(admitted, key) is item


def _pruned(
    value: Any, schema: dict[str, Any], path: list[Any], dropped: list[str], admitted: Any = None
) -> Any:
    """``value`` without unknown fields: ``value`` itself when nothing goes, else a changed copy."""
    if isinstance(value, dict):
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        preserve = schema.get("x-kubernetes-preserve-unknown-fields", False)
        out = value
        for key, item in value.items():
            if props is not None and key in props:
                if not path and key in ("apiVersion", "kind", "metadata"):
                    continue
                sub = props[key]
            elif isinstance(extra, dict):
                sub = extra
            elif not preserve and extra is not True:
                out = out if out is not value else dict(value)
                del out[key]
                dropped.append(field_path([*path, key]))
                continue
            else:
                continue
            if isinstance(item, (dict, list)) and not _shared(admitted, key, item):
                new = _pruned(item, sub, [*path, key], dropped, _child(admitted, key))
                if new is not item:
                    out = out if out is not value else dict(value)
                    out[key] = new
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        items: list[Any] | None = None
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                new = _pruned(item, schema["items"], [*path, i], dropped)
                if new is not item:
                    items = items if items is not None else list(value)
                    items[i] = new
        return value if items is None else items
    return value


def _child(admitted: Any, key: str) -> Any:
    return dict.get(admitted, key) if isinstance(admitted, dict) else None


def _defaulted(value: Any, schema: dict[str, Any], admitted: Any = None) -> Any:
    """``value`` with defaults filled in: ``value`` itself when none apply, else a changed copy.

    A nested value shared with ``admitted`` (see :meth:`StructuralSchema.prune`) was defaulted
    when it was admitted and is kept as it is.
    """
    if isinstance(value, dict):
        out = value
        for key, sub in (schema.get("properties") or {}).items():
            if "default" in sub and (key not in out or (out[key] is None and not sub.get("nullable"))):
                out = out if out is not value else dict(value)
                out[key] = clone(sub["default"])
            if key in out:
                item = out[key]
                if not isinstance(item, dict | list) or _shared(admitted, key, item):
                    continue  # a scalar has nothing to default inside it
                new = _defaulted(item, sub, _child(admitted, key))
                if new is not item:
                    out = out if out is not value else dict(value)
                    out[key] = new
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key, item in list(out.items()):
                if not isinstance(item, dict | list) or _shared(admitted, key, item):
                    continue
                new = _defaulted(item, extra, _child(admitted, key))
                if new is not item:
                    out = out if out is not value else dict(value)
                    out[key] = new
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        items: list[Any] | None = None
        for i, item in enumerate(value):
            if not isinstance(item, dict | list):
                continue
            new = _defaulted(item, schema["items"])
            if new is not item:
                items = items if items is not None else list(value)
                items[i] = new
        return value if items is None else items
    return value
