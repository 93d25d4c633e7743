"""Field ownership (``metadata.managedFields``) and server-side apply.

Ownership is tracked per manager as a set of leaf field paths; lists are owned as a whole
(every DKP list is atomic). A write that is not an apply (create, PUT, merge or JSON patch) gives
its manager the fields it changed and takes them from everyone else, without conflicts. An apply
(``application/apply-patch+yaml``) merges the applied configuration into the live object, removes
fields the manager applied before but no longer does (when nobody else owns them), and fails with
409 when it would change a value another manager owns, unless ``force`` transfers ownership.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any

from harness.kube.errors import Cause, Conflict
from harness.kube.objects import Obj
from harness.kube.patches import clone

__all__ = ["apply_config", "leaf_paths", "owned_alone", "ownership", "record_repeat", "record_update"]

Path = tuple[str, ...]
_TRACKED_META = ("labels", "annotations", "finalizers", "ownerReferences")
_MISSING = object()


def leaf_paths(obj: Obj) -> set[Path]:
    """Owned leaves of ``obj``: everything but identity and server-set metadata."""
    out: set[Path] = set()
    for key, value in obj.items():
        if key in ("apiVersion", "kind"):
            continue
        if key == "metadata":
            for mkey in _TRACKED_META:
                if value.get(mkey):  # an empty map or list is not stored (canonical.py): nothing to own
                    _leaves(value[mkey], ("metadata", mkey), out)
            continue
        _leaves(value, (key,), out)
    return out


def ownership(obj: Obj) -> list[tuple[str, ...]]:
    """Who owns which of ``obj``'s fields, times left out, in a fixed order: what a write must
    change to be more than a no-op. Only fields the object has count (a write of empty maps, which
    the server drops, gives its manager nothing)."""
    owners = []
    for entry in (obj.get("metadata") or {}).get("managedFields") or []:
        if not isinstance(entry, dict):
            continue
        paths = sorted(
            ".".join(p) for p in from_fields_v1(entry.get("fieldsV1") or {}) if _value(obj, p) is not _MISSING
        )
        if paths:
            who = (str(entry.get(k, "")) for k in ("manager", "operation", "apiVersion", "subresource"))
            owners.append((*who, *paths))
    return sorted(owners)


def _leaves(value: Any, path: Path, out: set[Path]) -> None:
    if isinstance(value, dict) and value:
        for key, sub in value.items():
            _leaves(sub, (*path, key), out)
    else:
        out.add(path)


def _value(obj: Any, path: Path) -> Any:
    for part in path:
        if not isinstance(obj, dict) or part not in obj:
            return _MISSING
        obj = obj[part]
    return obj


def _delete(obj: Obj, path: Path) -> None:
    parents: list[tuple[dict[str, Any], str]] = []
    current: Any = obj
    for part in path[:-1]:
        if not isinstance(current, dict) or part not in current:
            return
        parents.append((current, part))
        current = current[part]
    if isinstance(current, dict):
        current.pop(path[-1], None)
    for parent, key in reversed(parents):  # drop maps the removal emptied
        if parent[key] == {} and key != "metadata":
            del parent[key]


def to_fields_v1(paths: set[Path]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in sorted(paths):
        node = tree
        for depth, part in enumerate(path):
            child = node.setdefault(f"f:{part}", {})
            if depth < len(path) - 1 and not (depth == 0 and part == "metadata"):
                child.setdefault(".", {})
            node = child
    return tree


def from_fields_v1(tree: dict[str, Any], prefix: Path = ()) -> set[Path]:
    out: set[Path] = set()
    for key, sub in tree.items():
        if key == "." or not key.startswith("f:"):
            continue
        path = (*prefix, key[2:])
        children = {k: v for k, v in sub.items() if k != "."}
        if children:
            out |= from_fields_v1(children, path)
        else:
            out.add(path)
    return out


def _entries(obj: Obj) -> list[dict[str, Any]]:
    return [dict(e) for e in obj.get("metadata", {}).get("managedFields") or []]


def _entry_seconds(entry: dict[str, Any]) -> int:
    """An entry's ``time`` in whole Unix seconds, 0 without one (Go's ``p.Time.Unix()``)."""
    stamp = entry.get("time")
    if not isinstance(stamp, str) or not stamp:
        return 0
    return _stamp_seconds(stamp)


@lru_cache(maxsize=1024)
def _stamp_seconds(stamp: str) -> int:
    """:func:`_entry_seconds` of one stamp, cached: every write sorts every entry again, and
    their stamps repeat from write to write (only the writer's own is new)."""
    try:
        return int(datetime.fromisoformat(stamp).timestamp())
    except ValueError:
        return 0


def _entry_order(entry: dict[str, Any]) -> tuple[str, int, str, str, str]:
    """The sort key kube-apiserver gives a managedFields entry.

    The field manager re-encodes and sorts every entry on each write: by operation (``Apply`` before
    ``Update``), then time in whole seconds, then manager, API version and subresource
    (``sortEncodedManagedFields``, ``k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager/internal/
    managedfields.go``, 1.32). Clients such as ``kubectl get --show-managed-fields`` show that order.
    """
    return (
        str(entry.get("operation") or ""),
        _entry_seconds(entry),
        str(entry.get("manager") or ""),
        str(entry.get("apiVersion") or ""),
        str(entry.get("subresource") or ""),
    )


def _set_entries(obj: Obj, entries: list[dict[str, Any]]) -> None:
    """Store the non-empty ``entries`` in ``obj`` in kube-apiserver's order (:func:`_entry_order`)."""
    kept = sorted((e for e in entries if e.get("fieldsV1")), key=_entry_order)
    if kept:
        obj.setdefault("metadata", {})["managedFields"] = kept
    else:
        obj.get("metadata", {}).pop("managedFields", None)


def _entry(
    manager: str,
    operation: str,
    api_version: str,
    now: str,
    paths: set[Path],
    sub: str | None,
    *,
    same_as: tuple[set[Path], dict[str, Any] | None] = (set(), None),
) -> dict[str, Any]:
    """A managedFields entry; ``same_as`` (paths, tree): reuse that tree when ``paths`` are its own."""
    tree = same_as[1] if same_as[1] is not None and same_as[0] == paths else None
    if tree is None:
        tree = to_fields_v1(paths)
        _remember(tree, paths)
    entry = {
        "manager": manager,
        "operation": operation,
        "apiVersion": api_version,
        "time": now,
        "fieldsType": "FieldsV1",
        "fieldsV1": tree,
    }
    if sub:
        entry["subresource"] = sub
    return entry


def _same_owner(entry: dict[str, Any], manager: str, operation: str, sub: str | None) -> bool:
    return (entry.get("manager"), entry.get("operation"), entry.get("subresource")) == (
        manager,
        operation,
        sub,
    )


def record_update(
    old: Obj | None, new: Obj, *, manager: str, api_version: str, now: str, subresource: str | None = None
) -> None:
    """Give ``manager`` (operation Update) the fields that differ between ``old`` and ``new``."""
    entries = _entries(old or {})
    changed = _changed_leaves(old or {}, new)
    if not changed:
        _set_entries(new, [_without_removed(e, new) for e in entries])
        return
    mine: set[Path] = set()
    mine_tree: dict[str, Any] | None = None
    rest = []
    for e in entries:
        owned = _parsed(e.get("fieldsV1") or {})
        if _same_owner(e, manager, "Update", subresource):
            mine, mine_tree = owned, e.get("fieldsV1")
            continue
        kept = {p for p in owned - changed if _owned_in(new, p)}
        if kept != owned:  # an entry the change does not touch keeps its (canonical) fieldsV1
            e["fieldsV1"] = to_fields_v1(kept)
        rest.append(e)
    paths = changed | {p for p in mine if _owned_in(new, p)}
    entry = _entry(manager, "Update", api_version, now, paths, subresource, same_as=(mine, mine_tree))
    rest.append(entry)
    _set_entries(new, rest)


def owned_alone(
    obj: Obj, paths: frozenset[Path], *, manager: str, api_version: str, subresource: str | None
) -> bool:
    """Whether :func:`record_update` of a change of ``paths`` only, by ``manager`` (operation Update,
    through ``subresource``), would leave ``obj``'s entries as they are but for that manager's
    ``time`` (and so its place in the order): its entry has this API version, owns ``paths`` and only
    leaves, and no other entry owns any of ``paths``."""
    entries = obj.get("metadata", {}).get("managedFields") or []
    index = _own_index(entries, manager, subresource)
    if index is None or entries[index].get("apiVersion") != api_version:
        return False
    mine = _parsed(entries[index].get("fieldsV1") or {})
    if not paths <= mine or not all(_is_leaf(obj, path) for path in mine):
        return False
    return not any(paths & _parsed(e.get("fieldsV1") or {}) for i, e in enumerate(entries) if i != index)


def _own_index(entries: list[dict[str, Any]], manager: str, subresource: str | None) -> int | None:
    """Where ``manager``'s Update entry through ``subresource`` is in ``entries`` (None: nowhere)."""
    for index, entry in enumerate(entries):
        if _same_owner(entry, manager, "Update", subresource):
            return index
    return None


def record_repeat(new: Obj, *, manager: str, api_version: str, now: str, subresource: str | None) -> None:
    """:func:`record_update` of a change :func:`owned_alone` vouched for (on the object ``new``
    replaces): the same entries, the manager's made again at ``now`` and sorted into its place."""
    entries = _entries(new)
    index = _own_index(entries, manager, subresource)
    if index is None:
        raise ValueError(f"no Update entry of {manager!r} to repeat")
    tree = entries[index].get("fieldsV1") or {}
    mine = _parsed(tree)
    entries[index] = _entry(manager, "Update", api_version, now, mine, subresource, same_as=(mine, tree))
    _set_entries(new, entries)


def _changed_leaves(old: Obj, new: Obj) -> set[Path]:
    """The leaves of ``new`` (:func:`leaf_paths`) whose value differs from ``old``'s at that path.

    A subtree of ``new`` that *is* the one of ``old`` (shared, as a patch shares what it does not
    touch) holds no change, so it is not walked.
    """
    out: set[Path] = set()
    for key, value in new.items():
        if key in ("apiVersion", "kind"):
            continue
        before = old.get(key, _MISSING) if isinstance(old, dict) else _MISSING
        if key == "metadata":
            for mkey in _TRACKED_META:
                if value.get(mkey):  # an empty one is dropped when stored, as a removal
                    prior = before.get(mkey, _MISSING) if isinstance(before, dict) else _MISSING
                    _changed(value[mkey], prior, ("metadata", mkey), out)
            continue
        _changed(value, before, (key,), out)
    return out


def _changed(value: Any, before: Any, path: Path, out: set[Path]) -> None:
    if value is before:
        return
    if isinstance(value, dict) and value:
        for key, sub in value.items():
            prior = before.get(key, _MISSING) if isinstance(before, dict) else _MISSING
            _changed(sub, prior, (*path, key), out)
    elif before is _MISSING or value != before:
        out.add(path)


def _owned_in(obj: Obj, path: Path) -> bool:
    """Whether a manager may still own ``path`` of ``obj``: a leaf of it (:func:`_is_leaf`) that is
    stored (an empty ``metadata`` map or list is not). Every other owned path was removed, and
    structured-merge-diff takes removed fields out of every manager's set (``Updater.update`` in
    ``sigs.k8s.io/structured-merge-diff/v4/merge/update.go``: ``compare.Removed``)."""
    if len(path) == 2 and path[0] == "metadata" and not _value(obj, path):
        return False
    return _is_leaf(obj, path)


def _without_removed(entry: dict[str, Any], obj: Obj) -> dict[str, Any]:
    """``entry`` without the fields ``obj`` no longer has (its time kept: losing fields is not a
    change by that manager); the same entry when it lost nothing."""
    owned = _parsed(entry.get("fieldsV1") or {})
    kept = {p for p in owned if _owned_in(obj, p)}
    if kept == owned:
        return entry
    return {**entry, "fieldsV1": to_fields_v1(kept)}


def _is_leaf(obj: Obj, path: Path) -> bool:
    """Whether ``path`` is one of :func:`leaf_paths` of ``obj`` (it exists and has no children)."""
    value = _value(obj, path)
    return value is not _MISSING and not (isinstance(value, dict) and value)


_PARSED: dict[int, tuple[dict[str, Any], frozenset[Path]]] = {}
"""``id(fieldsV1 tree) -> (tree, its paths)``. Stored trees are never changed in place (a new
ownership is a new tree), and the entry holds the tree, so its id cannot be reused while cached."""


def _parsed(tree: dict[str, Any]) -> set[Path]:
    """:func:`from_fields_v1` of ``tree``, remembered per tree object (one parse per stored tree)."""
    hit = _PARSED.get(id(tree))
    if hit is not None and hit[0] is tree:
        return set(hit[1])
    paths = from_fields_v1(tree)
    _remember(tree, paths)
    return paths


def _remember(tree: dict[str, Any], paths: set[Path]) -> None:
    if len(_PARSED) >= 4096:
        _PARSED.clear()
    _PARSED[id(tree)] = (tree, frozenset(paths))


def _merge(live: Any, applied: Any) -> Any:
    if isinstance(live, dict) and isinstance(applied, dict):
        out = dict(live)
        for key, value in applied.items():
            out[key] = _merge(live.get(key), value)
        return out
    return clone(applied)


def _manager_key(entry: dict[str, Any]) -> str:
    """The field manager's identifier as structured-merge-diff keys it (``BuildManagerIdentifier``
    in ``k8s.io/apimachinery/pkg/util/managedfields/internal``): the entry's JSON without time and
    fields, an applier's without its API version; the conflict message sorts managers by it."""
    apply = entry.get("operation") == "Apply"
    ident = {
        "manager": entry.get("manager"),
        "operation": entry.get("operation"),
        "apiVersion": None if apply else entry.get("apiVersion"),
        "subresource": entry.get("subresource"),
    }
    return json.dumps({k: v for k, v in ident.items() if v}, separators=(",", ":"))


def _manager_text(entry: dict[str, Any]) -> str:
    """How the conflict names a manager (``printManager`` in ``internal/conflict.go``): quoted, its
    subresource after ``with subresource``, and ``using <apiVersion>`` for an ``Update`` only (an
    applier's identifier carries no API version, nor any manager's a time)."""
    text = json.dumps(str(entry.get("manager", "")), ensure_ascii=False)
    if entry.get("subresource"):
        text += f" with subresource {json.dumps(str(entry['subresource']), ensure_ascii=False)}"
    if entry.get("operation") == "Update":
        text += f" using {entry.get('apiVersion', '')}"
    return text


def _conflict(conflicts: list[tuple[dict[str, Any], Path]]) -> Conflict:
    """The 409 of a refused apply, worded as ``NewConflictError`` words it: a cause per field, and
    a message naming the one conflict on one line, or several grouped by manager (sorted by
    identifier), each field on its own ``- `` line."""
    causes = [
        Cause("FieldManagerConflict", f"conflict with {_manager_text(e)}", "." + ".".join(p))
        for e, p in conflicts
    ]
    n = len(conflicts)
    if n == 1:
        return Conflict(
            f"Apply failed with 1 conflict: {causes[0].message}: {causes[0].field}", causes=causes
        )
    grouped: dict[str, tuple[str, list[str]]] = {}
    for (entry, _path), cause in zip(conflicts, causes, strict=True):
        grouped.setdefault(_manager_key(entry), (_manager_text(entry), []))[1].append(str(cause.field))
    lines: list[str] = []
    for _key, (text, fields) in sorted(grouped.items()):
        lines.append(f"conflicts with {text}:")
        lines.extend(f"- {field}" for field in fields)
    return Conflict(f"Apply failed with {n} conflicts: " + "\n".join(lines), causes=causes)


def apply_config(
    live: Obj | None, applied: Obj, *, manager: str, force: bool, api_version: str, now: str
) -> Obj:
    """The object after ``manager`` applies ``applied`` to ``live`` (``None``: create)."""
    base = clone(live) if live is not None else {}
    wanted = leaf_paths(applied)
    entries = _entries(base)
    conflicts: list[tuple[dict[str, Any], Path]] = []
    previous: set[Path] = set()
    others: list[tuple[dict[str, Any], set[Path]]] = []
    for e in entries:
        owned = from_fields_v1(e.get("fieldsV1") or {})
        if _same_owner(e, manager, "Apply", None):
            previous = owned
            continue
        clash = {p for p in owned & wanted if _value(base, p) != _value(applied, p)}
        if clash and not force:
            conflicts.extend((e, p) for p in sorted(clash))
        others.append((e, owned - clash))
    if conflicts:
        raise _conflict(conflicts)
    result: Obj = _merge(base, applied)
    still_owned = set().union(*(owned for _e, owned in others)) if others else set()
    for path in previous - wanted - still_owned:
        _delete(result, path)
    rest = []
    for e, owned in others:
        e["fieldsV1"] = to_fields_v1(owned)
        rest.append(e)
    rest.append(_entry(manager, "Apply", api_version, now, wanted, None))
    _set_entries(result, rest)
    return result
