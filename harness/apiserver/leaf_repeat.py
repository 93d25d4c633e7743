"""The same ``/status`` leaf patch once more: a periodic look's repeated write, without its analysis.

A heartbeat writes the same leaves of the same object, as the same field manager, at every look: a
ModuleSource's ``status.syncTime`` every 3 minutes (3,360 times in a virtual week). The first such
write takes the leaf path (:mod:`~harness.apiserver.leaf_patch`), which walks the patch over the
object and the schema, validates the whole new object and recomputes its managed fields. When the
next patch finds stored exactly the object the last one left, and sets the same leaves to values
of the same JSON types, each of those results follows from the last one:

- **the leaves** are the same paths, with the patch's new values;
- **validity**: the stored object was admitted under the same schema, and replacing a declared
  leaf keeps every constraint of the nodes above it when those look at keys only
  (:meth:`~harness.apiserver.schema.StructuralSchema.leaf_check`); each new value is checked against
  its own node;
- **managed fields**: the last write left the manager's entry (operation ``Update``, subresource
  ``status``, this API version) owning those leaves and only leaves, and no other entry owns
  any of them. Recomputing them (:func:`~harness.apiserver.field_ownership.record_update`) then
  gives the same entries with that entry's ``time`` set to now (and sorted into its place, as
  kube-apiserver orders entries), which is what is written.

:class:`Repeats` remembers, per object, the write that may be repeated so; anything else (another
object version, other leaves, a value of another type or one its node refuses, another manager)
takes the leaf path, or the general one, which words errors and remembers anew.
``tests/apiserver/test_leaf_patch.py`` checks on generated runs of repeated patches, broken by
every kind of other write, that the responses, stored versions, managed fields and watch events
are those of the general path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.apiserver.catalog import ResourceType
from harness.apiserver.field_ownership import owned_alone
from harness.apiserver.leaf_patch import Leaf
from harness.apiserver.schema import StructuralSchema
from harness.apiserver.schema_precheck import Check
from harness.kube.objects import Obj

__all__ = ["Repeats"]

_SCALARS = (str, bool, int, float)
ObjectKey = tuple[tuple[str, str], str, str]


@dataclass(frozen=True)
class _Repeat:
    stored: Obj
    """The object the last write left in the store (compared by identity)."""
    schema: StructuralSchema
    manager: str
    api_version: str
    leaves: dict[tuple[str, ...], tuple[type, Check]]
    """Each leaf's path: the type of its value and the check of its schema node."""


class Repeats:
    """The repeatable ``/status`` leaf write of each object, as the last leaf write left it.

    The patch handler calls it under the store's lock, so it keeps no lock of its own.
    """

    def __init__(self) -> None:
        self._by_object: dict[ObjectKey, _Repeat] = {}

    def leaves(self, rt: ResourceType, current: Obj, patch: Any, manager: str) -> list[Leaf] | None:
        """The leaves of ``patch`` when it repeats the last leaf write of ``current``; else None."""
        repeat = self._by_object.get(_key(rt, current))
        if (
            repeat is None
            or repeat.stored is not current
            or repeat.schema is not rt.schema
            or repeat.manager != manager
            or repeat.api_version != rt.resource.api_version
        ):
            return None
        leaves: list[Leaf] = []
        if not _flatten(patch, (), leaves) or len(leaves) != len(repeat.leaves):
            return None
        for path, value in leaves:
            kind, check = repeat.leaves.get(path, (None, None))
            # other leaves, another type (the leaf path), or refused (the general path words it)
            if check is None or type(value) is not kind or not check(value):
                return None
        return leaves

    def renew(self, rt: ResourceType, stored: Obj) -> None:
        """After a repeat (:meth:`leaves` said yes) left ``stored``: it may be repeated once more.

        The repeat kept the leaves, their value types and the schema; the managed fields are the
        last ones with the manager's entry restamped, so :func:`owned_alone` still holds: what
        :meth:`remember` would find again, without finding it.
        """
        key = _key(rt, stored)
        repeat = self._by_object.get(key)
        if repeat is not None:  # built directly: ``dataclasses.replace`` inspects the fields each time
            r = repeat
            self._by_object[key] = _Repeat(stored, r.schema, r.manager, r.api_version, r.leaves)

    def remember(self, rt: ResourceType, stored: Obj, leaves: list[Leaf], manager: str) -> None:
        """After a leaf write of ``leaves`` left ``stored``: remember it when it may be repeated."""
        key = _key(rt, stored)
        self._by_object.pop(key, None)
        if rt.schema is None:
            return
        kept: dict[tuple[str, ...], tuple[type, Check]] = {}
        for path, value in leaves:
            check = rt.schema.leaf_check(path)
            if check is None:
                return
            kept[path] = (type(value), check)
        version = rt.resource.api_version
        if owned_alone(stored, frozenset(kept), manager=manager, api_version=version, subresource="status"):
            self._by_object[key] = _Repeat(stored, rt.schema, manager, version, kept)


def _key(rt: ResourceType, obj: Obj) -> ObjectKey:
    meta = obj.get("metadata") or {}
    return rt.key, str(meta.get("namespace") or ""), str(meta.get("name") or "")


def _flatten(patch: Any, path: tuple[str, ...], out: list[Leaf]) -> bool:
    """The scalar leaves of a nested-dict patch; False for anything else (null, list, empty dict)."""
    if not isinstance(patch, dict) or not patch:
        return False
    for key, value in patch.items():
        if isinstance(value, dict):
            if not _flatten(value, (*path, key), out):
                return False
        elif isinstance(value, _SCALARS):
            out.append(((*path, key), value))
        else:
            return False
    return True
