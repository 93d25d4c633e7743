"""Per-kind write rules applied before storage, the counterpart of kube-apiserver's REST strategies.

- create: a kind with a status subresource starts without client-sent status (built-ins get the
  status the real server sets: namespaces ``Active``, pods ``Pending``, services an empty load
  balancer); built-in kinds get their API group's defaults (:mod:`harness.apiserver.defaults`,
  on updates too, as kube-apiserver defaults every decode); a namespace gets the
  ``kubernetes`` spec finalizer, which an update through the main resource cannot change
  (``pkg/registry/core/namespace/strategy.go``: only ``/finalize`` changes it);
- update of the main resource keeps the stored status; update of ``/status`` keeps everything
  but the status;
- admission of custom resources: prune unknown fields, apply defaults, validate against the
  version's schema; the fields pruned (or a built-in kind's decoder drops) go with the body's
  repeated keys to ``fieldValidation`` (:mod:`harness.apiserver.field_validation`);
- metadata validation for every kind (:mod:`harness.apiserver.objectmeta`) and the built-in
  kinds' own rules (:mod:`harness.apiserver.typedfields`), reported together in one 422;
- version conversion with strategy ``None``: ``apiVersion`` changes and the object is pruned to
  the target version's schema (:mod:`harness.apiserver.conversion`).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from harness.apiserver import defaults, leases
from harness.apiserver.builtin_fields import FieldPath, drop, unknown_fields
from harness.apiserver.catalog import Catalog, ResourceType
from harness.apiserver.conversion import convert
from harness.apiserver.copy_on_write import own_top
from harness.apiserver.field_validation import FieldValidation, Unknown
from harness.apiserver.objectmeta import validate_meta
from harness.apiserver.storage import invalid
from harness.apiserver.typedfields import validate_core, validate_core_update
from harness.kube.objects import Obj
from harness.kube.patches import clone

__all__ = ["admit", "drop_unknown", "for_create", "for_update", "to_storage", "to_version"]

_KUBERNETES_FINALIZER = "kubernetes"
_INITIAL_STATUS: dict[str, dict[str, Any]] = {
    "namespaces": {"phase": "Active"},
    "pods": {"phase": "Pending"},
    "services": {"loadBalancer": {}},
    "ingresses": {"loadBalancer": {}},
    "persistentvolumeclaims": {"phase": "Pending"},
    "persistentvolumes": {"phase": "Pending"},
    "jobs": {},
    "cronjobs": {},
    # the counts Go writes even at zero (no omitempty), in the structs' order
    "replicasets": {"replicas": 0},
    "replicationcontrollers": {"replicas": 0},
    "daemonsets": {
        "currentNumberScheduled": 0,
        "numberMisscheduled": 0,
        "desiredNumberScheduled": 0,
        "numberReady": 0,
    },
    "statefulsets": {"replicas": 0, "availableReplicas": 0},
}


def to_version(obj: Obj, rt: ResourceType) -> Obj:
    """``obj`` as served through ``rt``'s version (a converted copy when the version differs)."""
    return convert(obj, rt)


def to_storage(obj: Obj, rt: ResourceType, catalog: Catalog) -> Obj:
    stored = catalog.storage_type(rt.key)
    rest = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}
    return convert({"apiVersion": rt.resource.api_version, "kind": stored.resource.kind, **rest}, stored)


def drop_unknown(rt: ResourceType, obj: Obj, before: Obj | None = None) -> list[FieldPath]:
    """Drop the fields of a built-in object its Go types lack, at any depth, as the typed decoder
    skips them; returns their paths for ``fieldValidation`` (Strict refuses them, Warn names
    them). Run on the written object before the strategy, as the decoder runs before it: a
    ``/status`` write's unknown ``spec`` fields are reported too, though the spec is not taken.

    ``before``: the stored object a patch started from (what it shares is not walked again)."""
    if rt.custom:
        return []
    found = unknown_fields(rt.resource.plural, obj, before)
    if found:
        drop(obj, found)
    return found


def for_create(rt: ResourceType, obj: Obj) -> Obj:
    if rt.status_subresource:
        obj.pop("status", None)
        if rt.resource.plural in _INITIAL_STATUS and not rt.custom:
            obj["status"] = clone(_INITIAL_STATUS[rt.resource.plural])
    if _is_namespace(rt):
        _add_kubernetes_finalizer(obj)
    if _is_secret(rt):
        _default_type(obj)
        _fold_string_data(obj)
    if not rt.custom:
        defaults.fill(rt.resource.plural, obj, creating=True)
    if _is_lease(rt):
        leases.prepare(obj)
    return obj


def _is_lease(rt: ResourceType) -> bool:
    return rt.key == ("coordination.k8s.io", "leases") and not rt.custom


def _default_type(secret: Obj) -> None:
    """``SetDefaults_Secret`` (``pkg/apis/core/v1/defaults.go``) runs on every decode, creates and
    updates alike: a Secret sent without a ``type`` is ``Opaque``. Defaulted on create only, a
    ``kubectl replace`` of a Secret written without one was refused as a change of type."""
    if not secret.get("type"):
        secret["type"] = "Opaque"


def _is_secret(rt: ResourceType) -> bool:
    return rt.key == ("", "secrets") and not rt.custom


def _fold_string_data(secret: Obj) -> None:
    """A Secret's v1-to-internal conversion (``Convert_v1_Secret_To_core_Secret`` in
    ``pkg/apis/core/v1/conversion.go``): each ``stringData`` entry overwrites the ``data`` entry of
    its key, base64-encoded as Go marshals ``[]byte``; ``stringData`` is write-only, never stored
    nor returned."""
    string_data = secret.pop("stringData", None)
    if not isinstance(string_data, dict) or not string_data:
        return
    data = dict(secret.get("data") or {})  # a copy: the stored object's map may be shared
    for key, value in string_data.items():
        data[key] = base64.b64encode(str(value).encode()).decode()
    secret["data"] = data


def _is_namespace(rt: ResourceType) -> bool:
    return rt.key == ("", "namespaces") and not rt.custom


def _add_kubernetes_finalizer(namespace: Obj) -> None:
    """The namespace strategy's PrepareForCreate: ``spec.finalizers`` always holds ``kubernetes``
    (appended to any the client sent), so the namespace lifecycle can empty it before it goes."""
    spec = namespace.get("spec")
    finalizers = list((spec.get("finalizers") or []) if isinstance(spec, dict) else [])
    if _KUBERNETES_FINALIZER not in finalizers:
        finalizers.append(_KUBERNETES_FINALIZER)
    namespace["spec"] = {**(spec if isinstance(spec, dict) else {}), "finalizers": finalizers}


def for_update(rt: ResourceType, new: Obj, old: Obj, subresource: str | None) -> Obj:
    """The object to store for a write of ``new`` over ``old`` through the main resource or /status.

    The result shares nested values with ``old`` (never changed in place, see ``sharing``).
    """
    if subresource == "status":
        merged = own_top(old)
        if not rt.custom and isinstance(new.get("metadata"), dict):
            merged["metadata"] = _status_write_metadata(rt, new["metadata"], old["metadata"])
        merged["metadata"]["resourceVersion"] = (new.get("metadata") or {}).get(
            "resourceVersion", old["metadata"]["resourceVersion"]
        )
        if "status" in new:
            merged["status"] = new["status"]
        else:
            merged.pop("status", None)
        return merged
    if _is_secret(rt):
        _default_type(new)
        _fold_string_data(new)
    if not rt.custom:
        defaults.fill(rt.resource.plural, new)
        if rt.key == ("", "services"):
            defaults.keep_allocated(new, old)
    if _is_lease(rt):
        leases.prepare(new)
    if _is_namespace(rt):
        new.pop("spec", None)
        if "spec" in old:
            new["spec"] = old["spec"]  # shared: never changed in place
    if rt.status_subresource:
        if "status" in old:
            new["status"] = old["status"]  # shared with the stored object: see harness.apiserver.sharing
        else:
            new.pop("status", None)
    return new


_STATUS_RESETS = {"deployments": ("labels",), "pods": ("ownerReferences",)}
"""What a built-in kind's status strategy takes back from the stored metadata on a /status write
(``pkg/registry/apps/deployment/strategy.go``, ``pkg/registry/core/pod/strategy.go``)."""


def _status_write_metadata(rt: ResourceType, new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """The metadata a /status write of a built-in kind stores: its strategies reset the spec
    (and a few metadata fields), not the metadata, so annotations or labels sent with the status
    are kept (a custom resource's status strategy keeps only the status)."""
    meta = dict(new)
    for name in _STATUS_RESETS.get(rt.resource.plural, ()):
        meta.pop(name, None)
        if name in old:
            meta[name] = old[name]
    return meta


def admit(
    rt: ResourceType,
    obj: Obj,
    field_validation: FieldValidation,
    admitted: Obj | None = None,
    *,
    old: Obj | None = None,
    unknown: Sequence[Unknown] = (),
) -> list[str]:
    """Prune, default and validate ``obj`` in place; returns warnings, raises 400/422.

    The strict decoding errors (unknown fields, the body's repeated keys) are settled before the
    validation: kube-apiserver finds them while decoding, so a Strict refusal names them alone.

    ``admitted``: the stored object an update starts from, when this schema admitted it (see
    :meth:`~harness.apiserver.schema.StructuralSchema.prune`); what ``obj`` shares with it is
    not pruned or defaulted again. ``old``: the stored object of an update, for the built-in
    kinds' update rules (an immutable ConfigMap or Secret, a Secret's type). ``unknown``: the
    fields :func:`drop_unknown` took from a built-in object before the strategy ran.
    """
    meta = obj.get("metadata") or {}
    causes = validate_meta(meta, namespace_kind=rt.key == ("", "namespaces"))
    dropped: list[Unknown] = list(unknown)
    if not rt.custom:
        if old is not None:
            causes += validate_core_update(rt.resource.plural, obj, old)
        causes += validate_core(rt.resource.plural, obj)
        if _is_lease(rt):
            causes += leases.validate(obj)
    if rt.schema is not None:
        dropped += rt.schema.prune(obj, admitted)
    warnings = field_validation.settle(dropped)  # Strict refuses here, before any validation
    if rt.schema is not None:
        rt.schema.default(obj, admitted)
        causes += rt.schema.validate(obj)
    if causes:
        raise invalid(rt, str((obj.get("metadata") or {}).get("name") or ""), causes)
    return warnings
