"""A merge patch of ``/status`` that only replaces scalar leaves: the write path without its walks.

DKP's controllers write such patches all the time: every 3-minute scan that finds nothing new
sets the ModuleSource's ``status.syncTime`` (a four-week scenario makes 13,440 of them), and a
release waiting for a window clears and sets its ``status.message`` at every 15 s check. Through
the general patch path each one decoded, pruned, defaulted, type-checked and validated the whole
object again, though the only new value is one string in place of another.

:func:`leaf_changes` recognises such a patch; the handler then builds the new object by replacing
those leaves (copy-on-write) and keeps every step whose outcome could differ from the stored
object's own admission: the whole-object schema check, the managed fields, the storage write.
It skips what cannot change the outcome for such a patch, under the conditions checked here:

- **pruning**: every replaced leaf is a declared property of its parent, and every container on
  its path holds only fields its schema admits (so a CRD changed since the write changes nothing);
- **defaulting**: every container on a leaf's path already holds each of its defaulted
  properties (and the replacement is not null, which is never a leaf here);
- **type checks of the patched object**: a scalar replaced by one of the same JSON type keeps it
  decodable; metadata, identity and the rest of the object are the stored ones.

When any condition fails, the caller takes the general path, which gives the usual result or
error; ``tests/apiserver/test_leaf_patch.py`` checks on generated patches that both paths leave
the same stored object, response and managed fields.
"""

from __future__ import annotations

from typing import Any

from harness.apiserver.schema import StructuralSchema
from harness.kube.objects import Obj

__all__ = ["Leaf", "leaf_changes", "with_leaves"]

Leaf = tuple[tuple[str, ...], Any]
"""A path below the object's root and the scalar value to put there."""

_SCALARS = (str, bool, int, float)


def leaf_changes(current: Obj, patch: Any, schema: StructuralSchema) -> list[Leaf] | None:
    """The leaves a ``/status`` merge patch replaces, or None when it does anything else.

    ``current`` is the stored object as served, ``schema`` its version's schema.
    """
    status_schema = (schema.raw.get("properties") or {}).get("status")
    if not isinstance(patch, dict) or set(patch) != {"status"} or not isinstance(status_schema, dict):
        return None
    if not _settled(current, schema.prune_root):
        return None
    leaves: list[Leaf] = []
    if not _collect(current.get("status"), patch["status"], status_schema, ("status",), leaves):
        return None
    return leaves or None


def _collect(
    current: Any, patch: Any, schema: dict[str, Any], path: tuple[str, ...], out: list[Leaf]
) -> bool:
    """Walk ``patch`` over ``current`` and ``schema``; False as soon as it is not a leaf patch."""
    if not isinstance(current, dict) or not isinstance(patch, dict) or not _settled(current, schema):
        return False
    props = schema.get("properties") or {}
    for key, value in patch.items():
        sub = props.get(key)
        if not isinstance(sub, dict) or key not in current:
            return False
        before = current[key]
        if isinstance(value, dict):
            if not _collect(before, value, sub, (*path, key), out):
                return False
        elif isinstance(value, _SCALARS) and type(value) is type(before):
            out.append(((*path, key), value))
        else:
            return False  # null deletes, lists replace, a type change may not decode
    return True


def _settled(container: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether pruning and defaulting would leave ``container`` itself as it is."""
    props = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    keeps_unknown = (
        schema.get("x-kubernetes-preserve-unknown-fields") or extra is True or isinstance(extra, dict)
    )
    if not keeps_unknown and any(key not in props for key in container):
        return False
    for key, sub in props.items():
        if isinstance(sub, dict) and "default" in sub:
            if key not in container or (container[key] is None and not sub.get("nullable")):
                return False
    return True


def with_leaves(obj: Obj, leaves: list[Leaf]) -> Obj:
    """``obj`` with ``leaves`` set: new containers on their paths, everything else shared."""
    out = dict(obj)
    for path, value in leaves:
        node = out
        for key in path[:-1]:
            node[key] = dict(node[key])
            node = node[key]
        node[path[-1]] = value
    return out
