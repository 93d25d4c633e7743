"""Protection finalizers of PersistentVolumeClaims and PersistentVolumes, added and removed as a
cluster adds and removes them.

kube-apiserver's ``StorageObjectInUseProtection`` admission plugin (enabled by default;
``plugin/pkg/admission/storage/storageobjectinuseprotection/admission.go`` in kubernetes/
kubernetes) appends ``kubernetes.io/pvc-protection`` to every claim and ``kubernetes.io/pv-protection``
to every volume on create (not to a subresource, not on update, once only). It mutates after the
field manager recorded the request, so no manager owns the finalizer.

kube-controller-manager's pvc-protection and pv-protection controllers (``pkg/controller/volume/
pvcprotection``, ``pvprotection``) take them off once the object is being deleted and nothing
uses it: a claim no scheduled pod (one with ``spec.nodeName``) names in a
``persistentVolumeClaim`` volume, a volume whose ``status.phase`` is not ``Bound``. Without them a
deleted claim would stay ``Terminating`` forever here, where no kubelet or binder runs; with them
``kubectl delete pvc`` returns once the claim is gone, as on a cluster. As with the harness's other
controllers, they act within the commit that calls for it (a deletion's marking, a pod's removal,
a volume's status), where a real one follows a moment later: a watcher sees the claim marked,
then deleted. Not modelled: a pod's generic ephemeral volumes (their claims are the pod's own).
"""

from __future__ import annotations

from typing import Any

from harness.apiserver.catalog import Catalog, ResourceType
from harness.apiserver.storage import Change, Store
from harness.kube.client import EventType
from harness.kube.objects import Obj

__all__ = ["PVC_PROTECTION", "PV_PROTECTION", "StorageProtection", "protect_claim", "protect_volume"]

PVC_PROTECTION = "kubernetes.io/pvc-protection"
PV_PROTECTION = "kubernetes.io/pv-protection"
_CLAIMS = ("", "persistentvolumeclaims")
_VOLUMES = ("", "persistentvolumes")
_PODS = ("", "pods")
WATCHED = frozenset({_CLAIMS, _VOLUMES, _PODS})
"""The kinds whose commits the controllers look at (every other commit costs one set lookup)."""


def _append(obj: Obj, finalizer: str) -> None:
    meta = obj["metadata"]
    finalizers = meta.get("finalizers")
    finalizers = list(finalizers) if isinstance(finalizers, list) else []
    if finalizer not in finalizers:
        meta["finalizers"] = [*finalizers, finalizer]


def protect_claim(obj: Obj) -> None:
    """The admission plugin's ``admitPVC``: the claim's finalizer, last, unless it has it."""
    _append(obj, PVC_PROTECTION)


def protect_volume(obj: Obj) -> None:
    """The admission plugin's ``admitPV``."""
    _append(obj, PV_PROTECTION)


def _claims_used(pod: Obj) -> set[str]:
    """The claims a scheduled pod names (``podUsesPVC``: only pods a node took count)."""
    spec = pod.get("spec") or {}
    if not spec.get("nodeName"):
        return set()
    names = set()
    for volume in spec.get("volumes") or []:
        claim = volume.get("persistentVolumeClaim") if isinstance(volume, dict) else None
        if isinstance(claim, dict) and claim.get("claimName"):
            names.add(str(claim["claimName"]))
    return names


class StorageProtection:
    """The pvc-protection and pv-protection controllers, acting on the store's commits."""

    def __init__(self, store: Store, catalog: Catalog) -> None:
        self._store = store
        self._claims = catalog.lookup("", "v1", "persistentvolumeclaims")
        self._volumes = catalog.lookup("", "v1", "persistentvolumes")
        self._pods = catalog.lookup("", "v1", "pods")

    def committed(self, change: Change) -> None:
        """After a commit of a claim, a volume or a pod (under the store's lock)."""
        if change.type is EventType.DELETED:
            if change.key == _PODS:
                self._release_claims(change.obj)
            return
        if change.key == _CLAIMS:
            self._claim_check(change.obj)
        elif change.key == _VOLUMES:
            self._volume_check(change.obj)

    def _claim_check(self, claim: Obj) -> None:
        meta = claim["metadata"]
        if not _deleting_with(meta, PVC_PROTECTION):
            return
        namespace = str(meta.get("namespace") or "")
        pods = self._store.list(self._pods, namespace=namespace).items
        if not any(meta.get("name") in _claims_used(pod) for pod in pods):
            self._release(self._claims, claim, PVC_PROTECTION)

    def _volume_check(self, volume: Obj) -> None:
        if (
            _deleting_with(volume["metadata"], PV_PROTECTION)
            and (volume.get("status") or {}).get("phase") != "Bound"
        ):
            self._release(self._volumes, volume, PV_PROTECTION)

    def _release_claims(self, pod: Obj) -> None:
        """A pod gone: the claims it used that wait for their deletion are looked at again."""
        namespace = str(pod["metadata"].get("namespace") or "")
        for name in sorted(_claims_used(pod)):
            claim = self._store.find(_CLAIMS, namespace, name)
            if claim is not None:
                self._claim_check(claim)

    def _release(self, rt: ResourceType, obj: Obj, finalizer: str) -> None:
        meta = obj["metadata"]
        kept = [f for f in meta.get("finalizers") or [] if f != finalizer]
        self._store.update(rt, dict(obj, metadata=dict(meta, finalizers=kept)), require_rv=False)


def _deleting_with(meta: dict[str, Any], finalizer: str) -> bool:
    return "deletionTimestamp" in meta and finalizer in (meta.get("finalizers") or [])
