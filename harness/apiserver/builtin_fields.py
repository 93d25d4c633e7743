"""The fields of the Go types behind the built-in kinds, and the fields a body has beyond them.

kube-apiserver decodes a Deployment into ``apps/v1.Deployment``, so a field its Go types lack,
at any depth (``spec.replica``, ``spec.template.spec.containers[0].imagePullPolicyy``), is a
strict decoding error, named by its path as sigs.k8s.io/json writes it (keys joined by ``.``, map
keys too, list positions as ``[i]``), in document order; the decoder skips its value, so the
field is not stored. What lies under a map (``labels``, ``data``, ``nodeSelector``) or a value
with its own decoder (``RawExtension``, ``IntOrString``, ``Quantity``, times) is not looked into.

The field sets come from ``data/builtin_fields.json`` (``python -m tools.gen_builtin_fields``
writes it from the ``kubernetes`` client's models, as Kubernetes 1.32 declares them): the client
itself is never imported at run time. The file is read on first use and turned into linked
:class:`Struct` records, so a check is one loop over the body's keys with set look-ups, skipping
whatever a patched object shares with the stored one (it was checked when it was stored).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from harness.apiserver.duplicate_fields import Segment

__all__ = ["LIST", "MAP", "STRUCT", "FieldPath", "Struct", "drop", "kind_struct", "unknown_fields"]

FieldPath = tuple[Segment, ...]
"""A field's path: object keys and list positions."""

_DATA = Path(__file__).with_name("data") / "builtin_fields.json"
STRUCT, LIST, MAP = 0, 1, 2
"""How a field holds a struct: directly, as a list of it, as a map of it."""


@dataclass(eq=False)
class Struct:
    """One Go struct: its JSON field names, and those whose value holds further structs."""

    name: str
    """The client model's name (``V1PodSpec``), for tables keyed by type."""
    known: frozenset[str] = frozenset()
    nested: dict[str, tuple[int, Struct]] = field(default_factory=dict)


@cache
def _kinds() -> dict[str, Struct]:
    """Each served built-in kind (by plural) to its top-level struct, every reference resolved."""
    table = json.loads(_DATA.read_text(encoding="utf-8"))
    structs = {name: Struct(name) for name in table["types"]}
    for name, fields in table["types"].items():
        struct = structs[name]
        struct.known = frozenset(fields)
        for key, ref in fields.items():
            if ref.startswith("[]"):
                struct.nested[key] = (LIST, structs[ref[2:]])
            elif ref.startswith("{}"):
                struct.nested[key] = (MAP, structs[ref[2:]])
            elif ref:
                struct.nested[key] = (STRUCT, structs[ref])
    return {plural: structs[name] for plural, name in table["kinds"].items()}


def kind_struct(plural: str) -> Struct | None:
    """The top-level struct of a served built-in kind, ``None`` for any other plural."""
    return _kinds().get(plural)


_UNSEEN: Any = object()


def unknown_fields(plural: str, obj: dict[str, Any], before: Any = None) -> list[FieldPath]:
    """The paths of ``obj``'s fields its kind's Go types lack, in document order; ``[]`` for a
    kind not modelled. ``before``: the stored object ``obj`` was patched from; a value that *is*
    the stored one is not walked again."""
    struct = _kinds().get(plural)
    if struct is None:
        return []
    found: list[FieldPath] = []
    _walk(obj, struct, (), found, before if isinstance(before, dict) else _UNSEEN)
    return found


def _walk(
    value: dict[str, Any], struct: Struct, path: FieldPath, found: list[FieldPath], before: Any
) -> None:
    known, nested = struct.known, struct.nested
    prior = before if isinstance(before, dict) else None
    for key, item in value.items():
        if key not in known:
            found.append((*path, key))
            continue
        inner = nested.get(key)
        if inner is None or item is None:
            continue
        was = prior.get(key, _UNSEEN) if prior is not None else _UNSEEN
        if item is was:
            continue
        shape, child = inner
        if shape == STRUCT:
            if isinstance(item, dict):
                _walk(item, child, (*path, key), found, was)
        elif shape == LIST:
            if isinstance(item, list):
                _walk_items(enumerate(item), child, (*path, key), found)
        elif isinstance(item, dict):
            _walk_items(item.items(), child, (*path, key), found)


def _walk_items(items: Any, struct: Struct, path: FieldPath, found: list[FieldPath]) -> None:
    for step, element in items:
        if isinstance(element, dict):
            _walk(element, struct, (*path, step), found, _UNSEEN)


def drop(obj: dict[str, Any], paths: list[FieldPath]) -> None:
    """Remove each path from ``obj``, copying every object and list on the way down (they may be
    shared with the stored object or the caller): only ``obj`` itself is changed in place."""
    copied: set[int] = set()
    for path in paths:
        node: Any = obj
        for step in path[:-1]:
            child = node[step]
            if id(child) not in copied:
                child = dict(child) if isinstance(child, dict) else list(child)
                node[step] = child
                copied.add(id(child))
            node = child
        del node[path[-1]]
