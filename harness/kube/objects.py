"""Accessors for raw Kubernetes objects (plain ``dict`` trees, as JSON decodes them)."""

from __future__ import annotations

from typing import Any, TypeAlias

__all__ = ["Obj", "annotations", "deep_get", "labels", "name", "namespace"]

Obj: TypeAlias = dict[str, Any]


def name(obj: Obj) -> str:
    return str(obj.get("metadata", {}).get("name", ""))


def namespace(obj: Obj) -> str | None:
    ns = obj.get("metadata", {}).get("namespace")
    return str(ns) if ns else None


def labels(obj: Obj) -> dict[str, str]:
    return dict(obj.get("metadata", {}).get("labels") or {})


def annotations(obj: Obj) -> dict[str, str]:
    return dict(obj.get("metadata", {}).get("annotations") or {})


def deep_get(obj: Any, path: str, default: Any = None) -> Any:
    """``deep_get(obj, "status.phase")``; a missing step gives ``default``."""
    current = obj
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return default
        current = current[part]
    return current
