"""Strategic merge patch for the built-in kinds served, as ``k8s.io/apimachinery``'s
``strategicpatch`` applies it, for the lists the Go types tag with a patch strategy.

A JSON merge patch replaces a list whole; a strategic one merges lists the Go type tags
``patchStrategy:"merge"``: by their ``patchMergeKey`` (containers by ``name``, a container's ports
by ``containerPort``, a Service's ports by ``port``...), or, for lists of strings (``finalizers``),
as a set. ``kubectl set env|image``, ``kubectl apply`` (client-side) and ``kubectl edit`` send such
patches with only the changed entries of a list: read as a merge patch they would drop the others
(``kubectl set env`` would leave a container without its image).

The tags are those of ``k8s.io/api`` (``core/v1/types.go``, ``apps/v1/types.go``) and
``k8s.io/apimachinery/pkg/apis/meta/v1/types.go`` for the lists of the kinds served here. The
directives kubectl sends are honoured: ``$patch: replace|delete`` (on a map or a list entry),
``$setElementOrder/<list>``, ``$deleteFromPrimitiveList/<list>``, ``$retainKeys``.

The result shares what it does not change with the stored object (see
:mod:`harness.apiserver.copy_on_write`): nothing is changed in place.
"""

from __future__ import annotations

import json
from typing import Any

from harness.kube.objects import Obj
from harness.kube.patches import PatchError, clone

__all__ = ["DirectiveFormatError", "strategic_merge"]


class DirectiveFormatError(PatchError):
    """A directive whose value has the wrong shape; kube-apiserver answers these ``400``
    (``interpretStrategicMergePatchError`` in ``k8s.io/apiserver``'s patch handler), the other
    patch errors ``422``."""


Path = tuple[str, ...]

_POD_SPEC: dict[Path, str] = {
    ("volumes",): "name",
    ("initContainers",): "name",
    ("containers",): "name",
    ("ephemeralContainers",): "name",
    ("imagePullSecrets",): "name",
    ("hostAliases",): "ip",
    ("topologySpreadConstraints",): "topologyKey",
    ("resourceClaims",): "name",
    ("schedulingGates",): "name",
}
_CONTAINER: dict[Path, str] = {
    ("ports",): "containerPort",
    ("env",): "name",
    ("volumeMounts",): "mountPath",
    ("volumeDevices",): "devicePath",
}
_META: dict[Path, str] = {("finalizers",): "", ("ownerReferences",): "uid"}
"""``""``: a list of strings merged as a set."""


def _pod_spec(prefix: Path) -> dict[Path, str]:
    keys = {prefix + path: key for path, key in _POD_SPEC.items()}
    for containers in ("initContainers", "containers", "ephemeralContainers"):
        keys.update({(*prefix, containers, *path): key for path, key in _CONTAINER.items()})
    return keys


def _template(prefix: Path) -> dict[Path, str]:
    return {**_pod_spec((*prefix, "spec")), **{(*prefix, "metadata", *p): k for p, k in _META.items()}}


_CONDITIONS: dict[Path, str] = {("status", "conditions"): "type"}
_MERGE_KEYS: dict[str, dict[Path, str]] = {
    "pods": {**_pod_spec(("spec",)), **_CONDITIONS},
    "deployments": {**_template(("spec", "template")), **_CONDITIONS},
    "replicasets": {**_template(("spec", "template")), **_CONDITIONS},
    "daemonsets": {**_template(("spec", "template")), **_CONDITIONS},
    "replicationcontrollers": {**_template(("spec", "template")), **_CONDITIONS},
    "statefulsets": {**_template(("spec", "template")), **_CONDITIONS},
    "jobs": {**_template(("spec", "template")), **_CONDITIONS},
    "cronjobs": _template(("spec", "jobTemplate", "spec", "template")),
    "persistentvolumeclaims": dict(_CONDITIONS),
    "services": {("spec", "ports"): "port", **_CONDITIONS},
    "serviceaccounts": {("secrets",): "name"},
    "nodes": {**_CONDITIONS, ("status", "addresses"): "type"},
    "namespaces": dict(_CONDITIONS),
}


def strategic_merge(current: Obj, patch: Obj, plural: str) -> Obj:
    """``patch`` applied to ``current`` (a built-in object of resource ``plural``)."""
    keys = {**_MERGE_KEYS.get(plural, {}), **{("metadata", *p): k for p, k in _META.items()}}
    merged = _merge_map(current, patch, (), keys)
    if not isinstance(merged, dict):
        raise PatchError("the patched document is not an object")
    return merged


def _merge_map(current: Any, patch: dict[str, Any], path: Path, keys: dict[Path, str]) -> Any:
    _check_directives(patch, path)
    directive = patch.get("$patch")
    if directive == "replace":
        return {k: clone(v) for k, v in patch.items() if not k.startswith("$")}
    if directive == "delete":
        return None
    result: dict[str, Any] = dict(current) if isinstance(current, dict) else {}
    for name, value in patch.items():
        if name.startswith("$"):
            continue
        if value is None:
            result.pop(name, None)
            continue
        merged = _merge_value(result.get(name), value, (*path, name), keys, patch)
        if merged is None:
            result.pop(name, None)
        else:
            result[name] = merged
    _list_directives_alone(result, patch, path, keys)
    _retain(result, patch.get("$retainKeys"))
    return result


def _check_directives(patch: dict[str, Any], path: Path) -> None:
    """Directives of the wrong shape are refused before anything is merged, as ``strategicpatch``
    refuses them (``mergepatch``'s errors): silently ignoring ``$retainKeys: "x"`` would store a
    result the client did not ask for. The messages name the place, never the values (a Secret's)."""
    where = ".".join(path) or "the patch"
    directive = patch.get("$patch")
    if directive is not None and directive not in ("replace", "delete"):
        raise PatchError(f"unknown patch type: {_scalar(directive)} in map at {where}: use replace or delete")
    for name, value in patch.items():
        if isinstance(value, list):
            continue
        if name.startswith("$setElementOrder/"):
            raise DirectiveFormatError("invalid patch format of setElementOrder list")
        if name.startswith("$deleteFromPrimitiveList/"):
            raise DirectiveFormatError("invalid patch format of primitive list")
        if name == "$retainKeys" and value is not None:
            raise DirectiveFormatError("invalid patch format of retainKeys")
    retained = patch.get("$retainKeys")
    if isinstance(retained, list):
        names = {r for r in retained if isinstance(r, str)}
        for name, value in patch.items():
            if value is not None and not name.startswith("$") and name not in names:
                raise DirectiveFormatError("invalid patch format of retainKeys")


def _scalar(value: Any) -> str:
    """A directive's value in the error, short, as Go prints a scalar (an object or list is not shown)."""
    if isinstance(value, (dict, list)):
        return "object" if isinstance(value, dict) else "list"
    return json.dumps(value)[:64]


def _list_directives_alone(
    result: dict[str, Any], patch: dict[str, Any], path: Path, keys: dict[Path, str]
) -> None:
    """``$deleteFromPrimitiveList/x`` or ``$setElementOrder/x`` sent without ``x`` itself."""
    for directive in patch:
        _, slash, name = directive.partition("/")
        if not slash or name in patch or (*path, name) not in keys or not isinstance(result.get(name), list):
            continue
        items = _without(result[name], patch.get(f"$deleteFromPrimitiveList/{name}"))
        result[name] = _ordered(items, patch, (*path, name), keys)


def _merge_value(current: Any, value: Any, path: Path, keys: dict[Path, str], parent: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return _merge_map(current, value, path, keys)
    if isinstance(value, list) and path in keys:
        merged = _merge_list(current if isinstance(current, list) else [], value, path, keys)
        return _ordered(
            _without(merged, parent.get(f"$deleteFromPrimitiveList/{path[-1]}")), parent, path, keys
        )
    return clone(value)


def _merge_list(current: list[Any], patch: list[Any], path: Path, keys: dict[Path, str]) -> list[Any]:
    """Entries merged by their merge key in one pass over each list (an index, not a search per
    entry: a 3 MiB patch of 200 000 entries would otherwise take hours)."""
    if any(isinstance(item, list) for item in patch):
        raise PatchError("lists of lists are not supported")
    if any(isinstance(item, dict) and item.get("$patch") == "replace" for item in patch):
        return [clone(i) for i in patch if not (isinstance(i, dict) and i.get("$patch") == "replace")]
    key = keys[path]
    if not key:  # a set of strings
        return _union(current, patch)
    result = list(current)
    index: dict[str, int] = {}
    for position, old in enumerate(result):
        if isinstance(old, dict) and key in old:
            index.setdefault(_ident(old[key]), position)
    for n, item in enumerate(patch):
        if not isinstance(item, dict) or key not in item:
            raise PatchError(f"map: entry {n} of {'.'.join(path)} does not contain declared merge key: {key}")
        ident = _ident(item[key])
        at = index.get(ident)
        if item.get("$patch") == "delete":
            if at is not None:
                result[at] = _GONE
                del index[ident]
        elif at is None:
            index[ident] = len(result)
            result.append(_merge_map({}, item, path, keys))
        else:
            result[at] = _merge_map(result[at], item, path, keys)
    return [i for i in result if i is not _GONE]


_GONE: Any = object()


def _ident(value: Any) -> str:
    """A merge key's value as something to index by: JSON, so that ``1``, ``1.0`` and ``true``
    stay apart as Go's ``DeepEqual`` keeps them, and objects can be keys too."""
    return json.dumps(value, sort_keys=True)


def _union(current: list[Any], patch: list[Any]) -> list[Any]:
    """A list of scalars merged as a set: the stored entries, then the new ones, each once
    (``deduplicateScalars``)."""
    seen: set[str] = set()
    result = []
    for item, new in [*((i, False) for i in current), *((i, True) for i in patch)]:
        ident = _ident(item)
        if ident not in seen:
            seen.add(ident)
            result.append(clone(item) if new else item)
    return result


def _without(items: list[Any], deleted: Any) -> list[Any]:
    if not isinstance(deleted, list):
        return items
    gone = {_ident(d) for d in deleted}
    return [i for i in items if _ident(i) not in gone]


def _ordered(items: list[Any], parent: dict[str, Any], path: Path, keys: dict[Path, str]) -> list[Any]:
    """``$setElementOrder/<list>``: the entries it names in its order, the others after them."""
    order = parent.get(f"$setElementOrder/{path[-1]}")
    if not isinstance(order, list):
        return items
    key = keys[path]
    rank: dict[str, int] = {}
    for n, o in enumerate(order):
        rank.setdefault(_ident(o.get(key) if key and isinstance(o, dict) else o), n)

    def place(item: Any) -> int:
        return rank.get(_ident(item.get(key) if key and isinstance(item, dict) else item), len(order))

    return sorted(items, key=place)


def _retain(result: dict[str, Any], retained: Any) -> None:
    if isinstance(retained, list):
        names = {r for r in retained if isinstance(r, str)}
        for name in [k for k in result if k not in names]:
            del result[name]
