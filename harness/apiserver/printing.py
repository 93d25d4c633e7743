"""Server-side printing: ``meta.k8s.io/v1`` Table responses, the way ``kubectl get`` wants them.

kubectl prints whatever cells the server sends, so the server renders them: CRD columns are
evaluated with their JSONPath, ``date`` columns become ages computed against the harness clock
(the same approximations as ``k8s.io/apimachinery`` ``duration.HumanDuration``: ``16s``,
``5m10s``, ``33h``, ``48d``, ``2y``), ``string`` columns print non-strings the way Go's JSONPath
printer does (``true``, ``map[a:b]``). A missing value is ``null`` (kubectl shows ``<none>``).
Rows carry ``PartialObjectMetadata`` unless ``includeObject`` says otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from harness.apiserver.ages import age_of, human_duration
from harness.apiserver.catalog import PrinterColumn, ResourceType
from harness.apiserver.jsonpath import compile_path
from harness.kube.objects import Obj

__all__ = ["age_of", "go_print", "human_duration", "table"]

_NAME_COLUMN = {
    "name": "Name",
    "type": "string",
    "format": "name",
    "description": "Name must be unique within a namespace. Is required when creating resources, "
    "although some "
    "resources may allow a client to request the generation of an appropriate name automatically. Name is "
    "primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
    "priority": 0,
}


def go_print(value: Any) -> str:
    """A value as Go's ``fmt.Fprint`` shows decoded JSON (what the JSONPath printer emits)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_print(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_print(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _typed_cell(kind: str, value: Any, now: datetime) -> Any:
    if value is None:
        return None
    if kind == "string":
        return value if isinstance(value, str) else go_print(value)
    if kind == "integer" and isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "date" and isinstance(value, str):
        return age_of(value, now)
    return None


def _cell_function(column: PrinterColumn) -> Callable[[Obj, datetime], Any]:
    """How to compute ``column``'s cell of a row, worked out once per Table, not once per cell."""
    if column.compute is not None:
        return column.compute
    path, kind = compile_path(column.json_path), column.type

    def cell(obj: Obj, now: datetime) -> Any:
        found = path.find(obj)
        return _typed_cell(kind, found[0] if found else None, now)

    return cell


def _definition(column: PrinterColumn) -> dict[str, Any]:
    return {
        "name": column.name,
        "type": column.type,
        "format": column.format,
        "description": column.description or column.name,
        "priority": column.priority,
    }


def _columns(rt: ResourceType) -> list[dict[str, Any]]:
    """The Table's column definitions: ``Name`` first, or last and wide-only (Events)."""
    defined = [_definition(c) for c in rt.columns]
    if rt.name_column_first:
        return [_NAME_COLUMN, *defined]
    return [*defined, {**_NAME_COLUMN, "format": "", "priority": 1}]


def _row_object(obj: Obj, include: str, version: str) -> Obj | None:
    if include == "None":
        return None
    if include == "Object":
        return obj
    meta = {k: v for k, v in obj.get("metadata", {}).items() if k != "managedFields"}
    return {"kind": "PartialObjectMetadata", "apiVersion": f"meta.k8s.io/{version}", "metadata": meta}


def table(
    rt: ResourceType,
    objects: list[Obj],
    now: datetime,
    *,
    include_object: str = "Metadata",
    resource_version: str | None = None,
    continue_token: str | None = None,
    remaining: int | None = None,
    version: str = "v1",
) -> dict[str, Any]:
    """A ``meta.k8s.io/<version>`` Table of ``objects`` with ``rt``'s columns; ``version`` is
    ``v1beta1`` when the client asked for that one, and names the rows' metadata-only objects too
    (``asTable`` in ``k8s.io/apiserver/pkg/endpoints/handlers/response.go``)."""
    rows = []
    cells = [_cell_function(c) for c in rt.columns]
    first = rt.name_column_first
    for obj in objects:
        name, values = obj["metadata"]["name"], [cell(obj, now) for cell in cells]
        row: dict[str, Any] = {"cells": [name, *values] if first else [*values, name]}
        shown = _row_object(obj, include_object, version)
        if shown is not None:
            row["object"] = shown
        rows.append(row)
    meta: dict[str, Any] = {}
    if resource_version is not None:
        meta["resourceVersion"] = resource_version
    if continue_token:
        meta["continue"] = continue_token
        if remaining is not None and remaining >= 0:
            meta["remainingItemCount"] = remaining
    return {
        "kind": "Table",
        "apiVersion": f"meta.k8s.io/{version}",
        "metadata": meta,
        "columnDefinitions": _columns(rt),
        "rows": rows,
    }


def dumps(value: Any) -> bytes:
    """Compact JSON, as the API server writes bodies."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
