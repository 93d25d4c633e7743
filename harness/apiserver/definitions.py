"""The CustomResourceDefinitions a server serves, as ``apiextensions.k8s.io/v1`` objects to read.

On a real cluster ``kubectl get crd`` lists DKP's CRDs and ``kubectl get crd
modules.deckhouse.io -o yaml`` shows their schemas and printer columns: one of the first things
a user looks at. This server offers the CRDs it was started with (``fixtures/crds`` plus the
Deckhouse version's layer, or the directories given with ``--crds``) as such objects, with the
status kube-apiserver gives an established CRD: the accepted names, ``NamesAccepted`` and
``Established`` conditions, and the storage version in ``storedVersions``.

Read-only: which kinds are served is fixed when the server starts (:class:`Catalog`), so a CRD
created or changed through the API could not take effect; every write answers 405 with the way
to serve another CRD (its YAML in a CRD directory). The objects are stored on the first request
for them, not at start: a cluster nobody asks about its CRDs (every scenario) pays nothing for
them, and the resourceVersions and uids of every other object stay as they were. They keep the
server's start as ``creationTimestamp`` (a cluster's CRDs predate what it runs) and a uid derived
from their name.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from harness.apiserver.catalog import PrinterColumn, ResourceType
from harness.kube.errors import MethodNotAllowed
from harness.kube.objects import Obj
from harness.kube.resources import Resource
from harness.kube.timestamps import stamp

__all__ = ["CRD_TYPE", "Definitions", "refuse_write"]

_UID_NAMESPACE = uuid.UUID("3f1c9a52-6d0e-4c8b-9a57-0d4b1e2f7c61")


def _created_at(obj: Obj, _now: datetime) -> Any:
    # kube-apiserver's default table for CRDs prints the timestamp itself, not an age.
    return obj.get("metadata", {}).get("creationTimestamp", "")


CRD_TYPE = ResourceType(
    resource=Resource(
        "apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", False
    ),
    singular="customresourcedefinition",
    storage_version="v1",
    short_names=("crd", "crds"),
    categories=("api-extensions",),
    status_subresource=True,
    columns=(
        PrinterColumn(
            name="Created At",
            type="date",
            description="Created At",
            compute=_created_at,
        ),
    ),
    custom=False,
    read_only=True,
)
"""``customresourcedefinitions.apiextensions.k8s.io``, as kube-apiserver names and prints it."""


def refuse_write(verb: str, rt: ResourceType) -> MethodNotAllowed:
    """The 405 for a write to a read-only resource, saying how to get what the write wanted."""
    return MethodNotAllowed(
        f"{verb} is not supported on {rt.resource.group_resource} here: this API server serves the "
        "CustomResourceDefinitions it was started with, read-only; to serve another one, put its "
        "YAML in a CRD directory (`dkp-harness apiserver --crds DIR`, or crd_dir= of ApiServer) "
        "and start the server again"
    )


def _status(spec: dict[str, Any], since: str) -> dict[str, Any]:
    names = dict(spec.get("names") or {})
    names.setdefault("singular", str(names.get("kind", "")).lower())
    names.setdefault("listKind", f"{names.get('kind', '')}List")
    stored = [str(v["name"]) for v in spec.get("versions") or [] if v.get("storage")]
    return {
        "acceptedNames": names,
        "conditions": [
            {
                "type": "NamesAccepted",
                "status": "True",
                "reason": "NoConflicts",
                "message": "no conflicts found",
                "lastTransitionTime": since,
            },
            {
                "type": "Established",
                "status": "True",
                "reason": "InitialNamesAccepted",
                "message": "the initial names have been accepted",
                "lastTransitionTime": since,
            },
        ],
        "storedVersions": stored,
    }


def definition_object(document: Obj, created: str) -> Obj:
    """The stored object for one CRD document (new top-level dicts; ``spec`` shared, never changed)."""
    spec = document.get("spec") or {}
    name = f"{spec['names']['plural']}.{spec['group']}"
    source_meta = document.get("metadata") or {}
    metadata: dict[str, Any] = {
        "name": name,
        "uid": str(uuid.uuid5(_UID_NAMESPACE, name)),
        "creationTimestamp": created,
        "generation": 1,
    }
    for key in ("labels", "annotations"):
        if source_meta.get(key):
            metadata[key] = dict(source_meta[key])
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": metadata,
        "spec": spec,
        "status": _status(spec, created),
    }


class Definitions:
    """The CRD objects of one server; stored on the first request for them, as every preinstalled
    object is (:mod:`harness.apiserver.preinstalled`)."""

    def __init__(self, documents: Sequence[Obj], started: datetime) -> None:
        self._documents = list(documents)
        self._created = stamp(started)

    def objects(self) -> list[Obj]:
        """New objects to store, one per CRD document (the last one of a name wins, as layers do)."""
        by_name: dict[str, Obj] = {}
        for doc in self._documents:
            obj = definition_object(doc, self._created)
            by_name[obj["metadata"]["name"]] = obj
        return list(by_name.values())
