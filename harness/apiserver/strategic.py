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

from typing import Any

from harness.kube.objects import Obj
from harness.kube.patches import PatchError, clone

__all__ = ["strategic_merge"]

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
    "services": {("spec", "ports"): "port", **_CONDITIONS},
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
    if any(isinstance(item, dict) and item.get("$patch") == "replace" for item in patch):
        return [clone(i) for i in patch if not (isinstance(i, dict) and i.get("$patch") == "replace")]
    key = keys[path]
    if not key:  # a set of strings
        return list(current) + [clone(v) for v in patch if v not in current]
    result = list(current)
    for item in patch:
        if not isinstance(item, dict) or key not in item:
            raise PatchError(f"map: {item} does not contain declared merge key: {key}")
        at = next(
            (i for i, old in enumerate(result) if isinstance(old, dict) and old.get(key) == item[key]), None
        )
        if item.get("$patch") == "delete":
            if at is not None:
                del result[at]
        elif at is None:
            result.append(_merge_map({}, item, path, keys))
        else:
            result[at] = _merge_map(result[at], item, path, keys)
    return result


def _without(items: list[Any], deleted: Any) -> list[Any]:
    return [i for i in items if i not in deleted] if isinstance(deleted, list) else items


def _ordered(items: list[Any], parent: dict[str, Any], path: Path, keys: dict[Path, str]) -> list[Any]:
    """``$setElementOrder/<list>``: the entries it names in its order, the others after them."""
    order = parent.get(f"$setElementOrder/{path[-1]}")
    if not isinstance(order, list):
        return items
    key = keys[path]
    wanted = [o.get(key) if key and isinstance(o, dict) else o for o in order]

    def rank(item: Any) -> int:
        ident = item.get(key) if key and isinstance(item, dict) else item
        return wanted.index(ident) if ident in wanted else len(wanted)

    return sorted(items, key=rank)


def _retain(result: dict[str, Any], retained: Any) -> None:
    if isinstance(retained, list):
        for name in [k for k in result if k not in retained]:
            del result[name]
