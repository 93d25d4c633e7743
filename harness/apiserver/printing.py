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
from datetime import datetime
from typing import Any

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


def human_duration(seconds: float) -> str:
    """An age as ``kubectl get`` shows it; precision drops as the duration grows."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        return f"{days}d{hours % 24}h" if hours % 24 else f"{days}d"
    if days < 365 * 2:
        return f"{days}d"
    years = days // 365
    if days < 365 * 8:
        return f"{years}y{days % 365}d" if days % 365 else f"{years}y"
    return f"{years}y"


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def age_of(stamp: Any, now: datetime) -> str | None:
    """Age of an RFC 3339 timestamp at ``now``; ``<invalid>`` when it does not parse."""
    if not isinstance(stamp, str):
        return None
    when = _parse_time(stamp)
    if when is None or when.tzinfo is None:
        return "<invalid>"
    return human_duration((now - when).total_seconds())


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


def _cell(column: PrinterColumn, obj: Obj, now: datetime) -> Any:
    if column.compute is not None:
        return column.compute(obj, now)
    found = compile_path(column.json_path).find(obj)
    return _typed_cell(column.type, found[0] if found else None, now)


def _definition(column: PrinterColumn) -> dict[str, Any]:
    return {
        "name": column.name,
        "type": column.type,
        "format": column.format,
        "description": column.description or column.name,
        "priority": column.priority,
    }


def _row_object(obj: Obj, include: str) -> Obj | None:
    if include == "None":
        return None
    if include == "Object":
        return obj
    meta = {k: v for k, v in obj.get("metadata", {}).items() if k != "managedFields"}
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta}


def table(
    rt: ResourceType,
    objects: list[Obj],
    now: datetime,
    *,
    include_object: str = "Metadata",
    resource_version: str | None = None,
    continue_token: str | None = None,
    remaining: int | None = None,
) -> dict[str, Any]:
    """A ``meta.k8s.io/v1`` Table of ``objects`` with ``rt``'s columns."""
    rows = []
    for obj in objects:
        row: dict[str, Any] = {"cells": [obj["metadata"]["name"], *(_cell(c, obj, now) for c in rt.columns)]}
        shown = _row_object(obj, include_object)
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
        "apiVersion": "meta.k8s.io/v1",
        "metadata": meta,
        "columnDefinitions": [_NAME_COLUMN, *(_definition(c) for c in rt.columns)],
        "rows": rows,
    }


def dumps(value: Any) -> bytes:
    """Compact JSON, as the API server writes bodies."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
