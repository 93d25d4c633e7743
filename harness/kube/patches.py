"""JSON values copied and merged: ``clone`` and JSON merge patch (RFC 7386).

Pure functions over JSON-shaped values that never touch their inputs, so the API server can apply
a patch to the stored object and still compare old and new. A patch that cannot be applied raises
:class:`PatchError` (the strategic merge patch of :mod:`harness.apiserver.strategic`); the API
server turns it into a 422/400 ``Status``. JSON patch (RFC 6902) is
:mod:`harness.apiserver.json_patch`, with json-patch v4.12.0's semantics and words.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PatchError", "clone", "merge_patch"]

_SCALARS = (str, int, float, bool, type(None))


class PatchError(ValueError):
    """A patch document is malformed or an operation cannot be applied."""


def clone(value: Any) -> Any:
    """Deep copy of a JSON value; several times faster than ``copy.deepcopy`` on decoded JSON."""
    if isinstance(value, dict):
        return {k: v if isinstance(v, _SCALARS) else clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if isinstance(v, _SCALARS) else clone(v) for v in value]
    return value


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return clone(patch)
    result: dict[str, Any] = clone(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
