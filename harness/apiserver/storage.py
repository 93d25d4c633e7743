"""The object tracker: every stored object, one resourceVersion counter, and the commit log.

Rules kept here because they hold for every kind and every path (HTTP or in-process):

- one global, monotonically increasing ``resourceVersion``; every commit takes the next number;
- ``uid`` and ``creationTimestamp`` (from the injected clock) on create; ``generation`` only for
  the kinds whose kube-apiserver strategy sets it (``ResourceType.generation``): 1, then bumped
  when something outside ``metadata`` (and ``status``, for kinds with a status subresource)
  changes, for Deployments when annotations change too, and when a deletion starts;
- metadata in its stored form (:mod:`harness.apiserver.canonical`): no empty maps or lists, the
  namespace name label; a write that changes nothing is not a commit;
- optimistic concurrency: a stale ``resourceVersion`` is a 409 Conflict; custom resources refuse
  an update without one (422);
- finalizers: delete sets ``deletionTimestamp`` while finalizers remain, the removal of the last
  one deletes, no finalizer may be added once deleting;
- owner references: when an owner is finally gone, dependents whose owners are all gone are
  deleted in turn (background propagation, honouring their finalizers); an orphaning delete
  first drops the owner's reference from its dependents, as the garbage collector does; a
  foreground delete marks the owner with ``foregroundDeletion`` until its blocking dependents are
  gone; deleting a namespace deletes what is in it.

Stored objects are never mutated in place: each commit stores a new dict. Readers may therefore
hold references without copying (the HTTP layer serialises them straight away); the in-process
client copies at its boundary. Every commit is handed to ``on_commit`` under the lock, so
subscribers see commits in order.
"""

from __future__ import annotations

import random
import threading
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from harness.apiserver.canonical import canonicalize
from harness.apiserver.catalog import ResourceType
from harness.apiserver.field_ownership import ownership
from harness.clock import Clock
from harness.kube.client import EventType
from harness.kube.errors import AlreadyExists, ApiError, Cause, Conflict, Invalid, NotFound
from harness.kube.objects import Obj
from harness.kube.selectors import FieldSelector, LabelSelector
from harness.kube.timestamps import stamp

__all__ = ["Change", "ListPage", "Store"]

Key = tuple[str, str]
ObjKey = tuple[str, str]  # (namespace or "", name)
_NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789"
_FOREGROUND, _ORPHAN = "foregroundDeletion", "orphan"
"""The finalizers kube-apiserver writes for the garbage collector (``metav1.FinalizerDeleteDependents``,
``metav1.FinalizerOrphanDependents``)."""


@dataclass(frozen=True)
class Change:
    """One commit: ``obj`` is the new state (the last state for DELETED), ``old`` the previous one."""

    rv: int
    type: EventType
    key: Key
    obj: Obj
    old: Obj | None


@dataclass(frozen=True)
class ListPage:
    items: list[Obj]
    resource_version: int
    last: ObjKey | None  # set when more items remain
    remaining: int


def _conflict(rt: ResourceType, name: str) -> Conflict:
    return Conflict(
        f'Operation cannot be fulfilled on {rt.resource.group_resource} "{name}": '
        "the object has been modified; "
        "please apply your changes to the latest version and try again",
        name=name,
        group=rt.resource.group,
        kind=rt.resource.plural,
    )


_ETCD_PREFIXES = {("", "services"): "services/specs", ("", "nodes"): "minions"}
"""Built-in resources kube-apiserver stores under another etcd prefix than their plural
(``pkg/registry/core/service/storage``, ``pkg/registry/core/node/storage``)."""


def storage_key(rt: ResourceType, namespace: str, name: str) -> str:
    """The object's etcd key as kube-apiserver names it in storage errors: ``/registry/`` and the
    resource (a custom resource's ``group/plural``, apiextensions-apiserver's prefix), then the
    namespace of a namespaced kind, then the name."""
    r = rt.resource
    prefix = f"{r.group}/{r.plural}" if rt.custom else _ETCD_PREFIXES.get(rt.key, r.plural)
    return f"/registry/{prefix}/{namespace}/{name}" if r.namespaced else f"/registry/{prefix}/{name}"


def _precondition(rt: ResourceType, namespace: str, name: str, wanted: str, actual: str) -> Conflict:
    """An update whose object names another uid: the etcd3 store's failed precondition, a
    ``StorageError`` of code 4 (``ErrCodeInvalidObj``, resourceVersion 0), which the registry
    turns into a 409 on the resource (``checkPreconditions`` in
    ``k8s.io/apiserver/pkg/storage/etcd3/store.go``, ``StorageError.Error`` in
    ``pkg/storage/errors.go``, ``InterpretUpdateError`` in ``pkg/storage/errors``)."""
    message = (
        f'Operation cannot be fulfilled on {rt.resource.group_resource} "{name}": StorageError: invalid '
        f"object, Code: 4, Key: {storage_key(rt, namespace, name)}, ResourceVersion: 0, "
        "AdditionalErrorMsg: Precondition failed: "
        f"UID in precondition: {wanted}, UID in object meta: {actual}"
    )
    return Conflict(message, name=name, group=rt.resource.group, kind=rt.resource.plural)


def _delete_precondition(rt: ResourceType, old: Obj, uid: str | None, rv: str | None) -> Conflict | None:
    """A delete's ``preconditions`` that do not hold, as ``rest.BeforeDelete`` refuses them before
    anything else (``k8s.io/apiserver/pkg/registry/rest/delete.go``): a 409 on the object's *kind*
    (``GroupResource{Group: gvk.Group, Resource: gvk.Kind}``), the uid checked first."""
    meta = old["metadata"]
    if uid and uid != meta["uid"]:
        detail = (
            f"the UID in the precondition ({uid}) does not match the UID in record ({meta['uid']}). "
            "The object might have been deleted and then recreated"
        )
    elif rv and rv != meta["resourceVersion"]:
        detail = (
            f"the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in "
            f"record ({meta['resourceVersion']}). The object might have been modified"
        )
    else:
        return None
    r = rt.resource
    on = rt.qualified_kind
    return Conflict(
        f'Operation cannot be fulfilled on {on} "{meta["name"]}": {detail}',
        name=str(meta["name"]),
        group=r.group,
        kind=r.kind,
    )


def _not_found(rt: ResourceType, name: str) -> NotFound:
    return NotFound(
        f'{rt.resource.group_resource} "{name}" not found',
        name=name,
        group=rt.resource.group,
        kind=rt.resource.plural,
    )


def invalid(rt: ResourceType, name: str, causes: list[Cause]) -> Invalid:
    """The 422 kube-apiserver sends: ``Kind.group "name" is invalid: field: message[, ...]``."""
    parts = [f"{c.field}: {c.message}" if c.field else c.message for c in causes]
    detail = parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"
    return Invalid(
        f'{rt.qualified_kind} "{name}" is invalid: {detail}',
        name=name,
        group=rt.resource.group,
        kind=rt.resource.kind,
        causes=causes,
    )


def _unconditional(rt: ResourceType, name: str) -> Invalid:
    """``Store.Update``'s 422 for a PUT without a resourceVersion where the strategy wants one:
    the error names the resource and group (``leases.coordination.k8s.io``), not the kind."""
    cause = Cause(
        "FieldValueInvalid", "Invalid value: 0x0: must be specified for an update", "metadata.resourceVersion"
    )
    r = rt.resource
    qualified = f"{r.plural}.{r.group}" if r.group else r.plural
    return Invalid(
        f'{qualified} "{name}" is invalid: {cause.field}: {cause.message}',
        name=name,
        group=r.group,
        kind=r.plural,
        causes=[cause],
    )


def _spec_part(obj: Obj, rt: ResourceType) -> dict[str, Any]:
    skip = ("metadata", "status") if rt.status_subresource else ("metadata",)
    return {k: v for k, v in obj.items() if k not in skip}


def _version_set_on_create(meta: dict[str, Any]) -> ApiError | None:
    """etcd3's store refuses to create an object carrying a resourceVersion it can parse as a
    non-zero uint64 (``k8s.io/apiserver/pkg/storage/etcd3/store.go`` Create), a plain error that
    reaches the client as a 500 without a reason; anything unparsable (``-1``, ``abc``) is ignored."""
    version = meta.get("resourceVersion")
    if not isinstance(version, str) or not version.isascii() or not version.isdigit():
        return None
    if int(version) == 0 or int(version) >= 2**64:
        return None
    return ApiError("resourceVersion should not be set on objects to be created", code=500, reason="")


def _generation_moves(rt: ResourceType, new: Obj, old: Obj) -> bool:
    """Whether kube-apiserver's strategy for ``rt`` bumps the generation on this update: custom
    resources and ReplicaSets on a spec change, Deployments on annotations too
    (``pkg/registry/apps/deployment/strategy.go`` PrepareForUpdate), other built-ins never."""
    if rt.generation == "none":
        return False
    if _spec_part(new, rt) != _spec_part(old, rt):
        return True
    annotations = (new["metadata"].get("annotations") or {}, old["metadata"].get("annotations") or {})
    return rt.generation == "spec-and-annotations" and annotations[0] != annotations[1]


def _same(a: Obj, b: Obj) -> bool:
    """Equal apart from resourceVersion and the times of managedFields (a no-op write).

    A write that changes who owns which fields is a write: a server-side apply of the values an
    object already has makes its manager a co-owner, which the next apply's conflict check reads.
    Only a new timestamp is not (kube-apiserver's managed-fields updater leaves the entries as
    they were when nothing else changed: ``managedfields/internal/managedfieldsupdater.go``).
    """
    if not _same_fields(a, b, ("metadata",)):
        return False  # first, as most writes change a top-level field (a status write its status)
    ignore = ("resourceVersion", "managedFields")
    return _same_fields(a.get("metadata") or {}, b.get("metadata") or {}, ignore) and ownership(
        a
    ) == ownership(b)


def _same_fields(a: Obj, b: Obj, ignore: tuple[str, ...]) -> bool:
    """``a`` and ``b`` without the keys ``ignore`` are equal (without building either copy)."""
    if {k for k in a if k not in ignore} != {k for k in b if k not in ignore}:
        return False
    return all(v == b[k] for k, v in a.items() if k not in ignore)


class Store:
    """Keyed object store with the write semantics described in the module docstring."""

    def __init__(
        self, clock: Clock, types: Callable[[Key], ResourceType], on_commit: Callable[[Change], None]
    ) -> None:
        self.lock = threading.RLock()
        self._clock = clock
        self._type_of = types
        self._on_commit = on_commit
        self._rv = 0
        self._data: dict[Key, dict[ObjKey, Obj]] = {}
        self._sorted: dict[Key, list[ObjKey] | None] = {}
        self._uids: dict[str, tuple[Key, ObjKey]] = {}
        self._dependents: dict[str, set[tuple[Key, ObjKey]]] = {}
        self._rng = random.Random(0x6B8)

    @property
    def resource_version(self) -> int:
        return self._rv

    def now(self) -> str:
        """The clock's now as a timestamp (formatted once per instant, for every writer at it)."""
        return stamp(self._clock.now())

    # ---- reads -------------------------------------------------------------------------------

    def get(self, rt: ResourceType, namespace: str, name: str) -> Obj:
        obj = self._data.get(rt.key, {}).get((namespace, name))
        if obj is None:
            raise _not_found(rt, name)
        return obj

    def find(self, key: Key, namespace: str, name: str) -> Obj | None:
        return self._data.get(key, {}).get((namespace, name))

    def _keys(self, key: Key) -> list[ObjKey]:
        keys = self._sorted.get(key)
        if keys is None:
            keys = sorted(self._data.get(key, {}))
            self._sorted[key] = keys
        return keys

    def list(
        self,
        rt: ResourceType,
        namespace: str | None = None,
        labels: LabelSelector | None = None,
        fields: FieldSelector | None = None,
        *,
        after: ObjKey | None = None,
        limit: int | None = None,
    ) -> ListPage:
        """Objects sorted by namespace/name, filtered, from after ``after``, at most ``limit``."""
        with self.lock:
            bucket = self._data.get(rt.key, {})
            keys = self._keys(rt.key)
            start = bisect_right(keys, after) if after is not None else 0
            items: list[Obj] = []
            # Without selectors etcd counts what remains under the key prefix (a namespace's, or
            # the resource's), and so does this; with them the real server omits the count too.
            unfiltered = (labels is None or labels.empty) and (fields is None or not fields.terms)
            end = bisect_left(keys, (namespace + "\x00", "")) if namespace else len(keys)
            if namespace:
                start = max(start, bisect_left(keys, (namespace, "")))
            for i in range(start, end):
                k = keys[i]
                obj = bucket[k]
                if labels is not None and not labels.matches(obj["metadata"].get("labels")):
                    continue
                if fields is not None and not fields.matches(obj):
                    continue
                if limit is not None and len(items) >= limit:
                    # More remain; count them only when that is cheap (the real server omits the count
                    # for filtered lists too).
                    return ListPage(
                        items, self._rv, keys[i - 1] if items else None, end - i if unfiltered else -1
                    )
                items.append(obj)
            return ListPage(items, self._rv, None, 0)

    # ---- writes ------------------------------------------------------------------------------

    def _commit(self, kind: EventType, rt: ResourceType, obj: Obj, old: Obj | None) -> Obj:
        self._rv += 1
        meta = obj["metadata"]
        meta["resourceVersion"] = str(self._rv)
        okey = (meta.get("namespace") or "", meta["name"])
        bucket = self._data.setdefault(rt.key, {})
        if kind is EventType.DELETED:
            bucket.pop(okey, None)
            self._uids.pop(meta.get("uid", ""), None)
        else:
            bucket[okey] = obj
            self._uids[meta["uid"]] = (rt.key, okey)
        if (kind is EventType.ADDED) or (kind is EventType.DELETED):
            self._sorted[rt.key] = None
        self._index_owners(rt.key, okey, old, obj if kind is not EventType.DELETED else None)
        self._on_commit(Change(self._rv, kind, rt.key, obj, old))
        return obj

    def _index_owners(self, key: Key, okey: ObjKey, old: Obj | None, new: Obj | None) -> None:
        for source, add in ((old, False), (new, True)):
            for ref in (source or {}).get("metadata", {}).get("ownerReferences") or []:
                owners = self._dependents.setdefault(str(ref.get("uid", "")), set())
                if add:
                    owners.add((key, okey))
                else:
                    owners.discard((key, okey))

    def _generate_name(self, prefix: str) -> str:
        # kube-apiserver keeps at most 58 characters of the prefix (63 minus the 5 random ones).
        return prefix[:58] + "".join(self._rng.choice(_NAME_CHARS) for _ in range(5))

    def create(self, rt: ResourceType, obj: Obj, *, dry_run: bool = False) -> Obj:
        """Store a new object (``obj`` becomes the store's; the caller must not keep it)."""
        with self.lock:
            meta = obj.setdefault("metadata", {})
            namespace = meta.get("namespace") or ""
            if rt.resource.namespaced and not self.find(("", "namespaces"), "", namespace):
                raise NotFound(f'namespaces "{namespace}" not found', name=namespace, kind="namespaces")
            if not meta.get("name") and meta.get("generateName"):
                meta["name"] = self._generate_name(str(meta["generateName"]))
            name = str(meta.get("name") or "")
            if not name:
                cause = Cause(
                    "FieldValueRequired", "Required value: name or generateName is required", "metadata.name"
                )
                raise invalid(rt, "", [cause])
            refused = None if dry_run else _version_set_on_create(meta)
            if refused is not None:
                raise refused
            if (namespace, name) in self._data.get(rt.key, {}):
                raise AlreadyExists(
                    f'{rt.resource.group_resource} "{name}" already exists',
                    name=name,
                    group=rt.resource.group,
                    kind=rt.resource.plural,
                )
            for transient in ("deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion"):
                meta.pop(transient, None)
            meta["uid"] = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
            meta["creationTimestamp"] = self.now()
            if rt.prepare_create is not None:
                rt.prepare_create(obj)
            meta.pop("generation", None)
            if rt.generation != "none":
                meta["generation"] = 1
            canonicalize(rt, meta)
            if dry_run:
                return obj
            return self._commit(EventType.ADDED, rt, obj, None)

    def install(self, rt: ResourceType, objects: Iterable[Obj]) -> None:
        """Store objects that predate every request (a cluster's CRDs) as they are given.

        Unlike :meth:`create`, their ``uid``, ``creationTimestamp`` and ``generation`` are kept
        and the seeded generator of uids is not drawn from, so installing them changes nothing
        about any other object; each takes the next resourceVersion. One already stored under
        the same name is left alone.
        """
        with self.lock:
            for obj in objects:
                meta = obj["metadata"]
                if (meta.get("namespace") or "", meta["name"]) not in self._data.get(rt.key, {}):
                    self._commit(EventType.ADDED, rt, obj, None)

    def update(
        self,
        rt: ResourceType,
        obj: Obj,
        *,
        require_rv: bool = True,
        dry_run: bool = False,
        status: bool = False,
    ) -> Obj:
        """Replace a stored object; ``obj`` carries the client's view of metadata. ``status``: a
        write through /status, whose strategies never move the generation."""
        with self.lock:
            meta = obj.setdefault("metadata", {})
            namespace, name = meta.get("namespace") or "", str(meta.get("name") or "")
            old = self.get(rt, namespace, name)
            old_meta = old["metadata"]
            if meta.get("uid") and meta["uid"] != old_meta["uid"]:  # the storage precondition: first
                raise _precondition(rt, namespace, name, str(meta["uid"]), str(old_meta["uid"]))
            rv = meta.get("resourceVersion")
            if not rv and require_rv and (rt.custom or rt.conditional_update):
                raise _unconditional(rt, name)
            if rv and str(rv) != old_meta["resourceVersion"]:
                raise _conflict(rt, name)
            for fixed in (
                "uid",
                "creationTimestamp",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "generation",
            ):
                if fixed in old_meta:
                    meta[fixed] = old_meta[fixed]
                else:
                    meta.pop(fixed, None)
            meta["resourceVersion"] = old_meta["resourceVersion"]
            deleting = "deletionTimestamp" in old_meta
            if deleting:
                added = [
                    f for f in meta.get("finalizers") or [] if f not in (old_meta.get("finalizers") or [])
                ]
                if added:
                    quoted = ", ".join(f'"{f}"' for f in added)
                    message = (
                        "Forbidden: no new finalizers can be added if the object is being deleted, "
                        f"found new finalizers []string{{{quoted}}}"
                    )
                    raise invalid(rt, name, [Cause("FieldValueForbidden", message, "metadata.finalizers")])
            canonicalize(rt, meta)
            if not status and _generation_moves(rt, obj, old):
                meta["generation"] = int(old_meta.get("generation", 1)) + 1
            if _same(obj, old):
                return old
            if dry_run:
                return obj
            if deleting and not meta.get("finalizers"):
                return self._remove(rt, obj, old)
            return self._commit(EventType.MODIFIED, rt, obj, old)

    def delete(
        self,
        rt: ResourceType,
        namespace: str,
        name: str,
        *,
        precondition_rv: str | None = None,
        precondition_uid: str | None = None,
        orphan: bool = False,
        foreground: bool = False,
        dry_run: bool = False,
    ) -> tuple[Obj, bool]:
        """Delete or mark for deletion; returns (object, still_present): the object marked, or
        the last state stored before the removal (its resourceVersion that state's, as etcd3's
        Delete answers, not the removal's)."""
        with self.lock:
            old = self.get(rt, namespace, name)
            old_meta = old["metadata"]
            refused = _delete_precondition(rt, old, precondition_uid, precondition_rv)
            if refused is not None:
                raise refused
            gc_finalizer = _FOREGROUND if foreground else _ORPHAN if orphan else None
            if dry_run:  # what the marking would store, as the registry's dry-run update answers
                marking = gc_finalizer is not None or old_meta.get("finalizers")
                return (self._marked(old, gc_finalizer), True) if marking else (old, False)
            if orphan:
                self._orphan_dependents(str(old_meta["uid"]))
            if foreground:
                return self._delete_in_foreground(rt, old), True
            if old_meta.get("finalizers"):
                if "deletionTimestamp" in old_meta:
                    return old, True
                return self._commit(EventType.MODIFIED, rt, self._marked(old, None), old), True
            self._remove(rt, dict(old, metadata=dict(old_meta)), old)
            return old, False

    def _remove(self, rt: ResourceType, last: Obj, old: Obj) -> Obj:
        """Final removal, then namespace contents and ownerReference dependents."""
        gone = self._commit(EventType.DELETED, rt, last, old)
        uid = str(last["metadata"].get("uid", ""))
        for ref in last["metadata"].get("ownerReferences") or []:
            self._release_owner(str(ref.get("uid", "")))
        if rt.key == ("", "namespaces"):
            self._empty_namespace(last["metadata"]["name"])
        self._collect_dependents(uid)
        self._dependents.pop(uid, None)
        return gone

    def _empty_namespace(self, namespace: str) -> None:
        for key, bucket in list(self._data.items()):
            for okey in [k for k in bucket if k[0] == namespace]:
                if okey in bucket:
                    self._delete_quietly(key, okey)

    def _marked(self, old: Obj, gc_finalizer: str | None) -> Obj:
        """``old`` as a deletion marks it (not stored): ``deletionTimestamp`` and a zero grace
        period when not yet deleting, the generation bumped where one is set (``markAsDeleting``),
        and the garbage collector's finalizer asked for last among the finalizers (the registry's
        ``deletionFinalizersForGarbageCollection`` drops the other one)."""
        meta = dict(old["metadata"])
        if gc_finalizer is not None:
            kept = [f for f in meta.get("finalizers") or () if f not in (_FOREGROUND, _ORPHAN)]
            meta["finalizers"] = [*kept, gc_finalizer]
        if "deletionTimestamp" not in meta:
            meta.update(deletionTimestamp=self.now(), deletionGracePeriodSeconds=0)
            if meta.get("generation"):
                meta["generation"] = int(meta["generation"]) + 1
        return dict(old, metadata=meta)

    def _delete_in_foreground(self, rt: ResourceType, old: Obj) -> Obj:
        """``propagationPolicy: Foreground``: the object is marked (``foregroundDeletion`` last among
        its finalizers, as the registry's ``deletionFinalizersForGarbageCollection`` writes it) and
        answered as marked; the garbage collector then deletes the dependents and drops the
        finalizer once no dependent with ``blockOwnerDeletion`` is left."""
        uid = str(old["metadata"]["uid"])
        new = self._marked(old, _FOREGROUND)
        marked = old if new == old else self._commit(EventType.MODIFIED, rt, new, old)
        for key, okey in sorted(self._dependents.get(uid, set())):
            self._collect_for_foreground(key, okey, uid)
        self._release_owner(uid)
        return marked

    def _waiting(self, uid: str) -> bool:
        """Whether the object of ``uid`` is deleting in the foreground (the GC's "waiting for
        dependents deletion"); a gone owner is not waiting."""
        where = self._uids.get(uid)
        obj = self._data.get(where[0], {}).get(where[1]) if where else None
        return obj is not None and _FOREGROUND in (obj["metadata"].get("finalizers") or ())

    def _collect_for_foreground(self, key: Key, okey: ObjKey, uid: str) -> None:
        """A dependent of an owner deleting in the foreground: with another live owner it only loses
        the reference; else it is deleted, in the foreground itself when it has dependents."""
        obj = self._data.get(key, {}).get(okey)
        if obj is None:
            return
        owners = {str(r.get("uid", "")) for r in obj["metadata"].get("ownerReferences") or []}
        if any(o in self._uids and not self._waiting(o) for o in owners):
            self._drop_reference(key, okey, uid)
            return
        rt = self._type_of(key)
        try:
            self.delete(
                rt, okey[0], okey[1], foreground=bool(self._dependents.get(str(obj["metadata"]["uid"])))
            )
        except NotFound:
            pass

    def _release_owner(self, uid: str) -> None:
        """Drop ``foregroundDeletion`` from ``uid``'s object once no dependent blocks it; without
        other finalizers that removes the object."""
        if not self._waiting(uid):
            return
        for key, okey in self._dependents.get(uid, set()):
            obj = self._data.get(key, {}).get(okey)
            refs = (obj or {}).get("metadata", {}).get("ownerReferences") or []
            if any(str(r.get("uid", "")) == uid and r.get("blockOwnerDeletion") for r in refs):
                return
        key, okey = self._uids[uid]
        obj = self._data[key][okey]
        meta = dict(obj["metadata"])
        meta["finalizers"] = [f for f in meta["finalizers"] if f != _FOREGROUND]
        if not meta["finalizers"]:
            del meta["finalizers"]
            self._remove(self._type_of(key), dict(obj, metadata=meta), obj)
        else:
            self._commit(EventType.MODIFIED, self._type_of(key), dict(obj, metadata=meta), obj)

    def _drop_reference(self, key: Key, okey: ObjKey, uid: str) -> None:
        obj = self._data[key][okey]
        meta = dict(obj["metadata"])
        refs = [r for r in meta.get("ownerReferences") or [] if str(r.get("uid", "")) != uid]
        if refs:
            meta["ownerReferences"] = refs
        else:
            meta.pop("ownerReferences", None)
        self._commit(EventType.MODIFIED, self._type_of(key), dict(obj, metadata=meta), obj)

    def _orphan_dependents(self, uid: str) -> None:
        """``propagationPolicy: Orphan``: the garbage collector drops the owner's reference from each
        dependent (a metadata write, one commit each) before the owner goes, so nothing points at it."""
        for key, okey in sorted(self._dependents.get(uid, set())):
            if okey in self._data.get(key, {}):
                self._drop_reference(key, okey, uid)

    def _collect_dependents(self, uid: str) -> None:
        for key, okey in sorted(self._dependents.get(uid, set())):
            obj = self._data.get(key, {}).get(okey)
            if obj is None:
                continue
            refs = obj["metadata"].get("ownerReferences") or []
            if all(str(r.get("uid", "")) not in self._uids for r in refs):
                self._delete_quietly(key, okey)

    def _delete_quietly(self, key: Key, okey: ObjKey) -> None:
        rt = self._type_of(key)
        try:
            self.delete(rt, okey[0], okey[1])
        except NotFound:
            pass
