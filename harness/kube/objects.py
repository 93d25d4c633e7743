"""Accessors for raw Kubernetes objects (plain ``dict`` trees, as JSON decodes them)."""

from __future__ import annotations

from typing import Any, TypeAlias

__all__ = ["Obj", "annotations_of", "deep_get", "labels_of", "name_of", "namespace_of"]

Obj: TypeAlias = dict[str, Any]


def name_of(obj: Obj) -> str:
    return str(obj.get("metadata", {}).get("name", ""))


def namespace_of(obj: Obj) -> str | None:
    ns = obj.get("metadata", {}).get("namespace")
    return str(ns) if ns else None


def labels_of(obj: Obj) -> dict[str, str]:
    return dict(obj.get("metadata", {}).get("labels") or {})


def annotations_of(obj: Obj) -> dict[str, str]:
    return dict(obj.get("metadata", {}).get("annotations") or {})


def deep_get(obj: Any, path: str, default: Any = None) -> Any:
    """``deep_get(obj, "status.phase")``; a missing step gives ``default``."""
    current = obj
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return default
        current = current[part]
    return current
