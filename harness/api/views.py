"""Frozen, typed views of the DKP objects the decisions read.

Controllers read raw objects (``dict[str, Any]``) from the API; a decision function gets these
views instead, so it is typed, cannot write back by accident, and can be built in a test from a
few keyword arguments. ``of(obj)`` is the one place each field path is spelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from harness.api import annotations as ann
from harness.api import labels as lbl
from harness.kube.objects import Obj, annotations_of, deep_get, labels_of, name_of
from harness.kube.timestamps import parse_stamp

__all__ = ["ModuleReleaseView", "ModuleView", "Requirements", "release_source"]

_EMPTY: Mapping[str, str] = MappingProxyType({})


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def release_source(release: Obj) -> str:
    """The ModuleSource a ModuleRelease comes from: its owner, else its ``source`` label.

    Upstream ``ModuleRelease.GetModuleSource`` (``deckhouse-controller/pkg/apis/deckhouse.io/
    v1alpha1/module_release.go``): the name in the first ownerReference of kind ModuleSource
    (``deckhouse.io/v1alpha1``) wins; the label is the fallback. Releases the source controller
    creates carry both; one made by hand may carry either.
    """
    for ref in deep_get(release, "metadata.ownerReferences") or []:
        if isinstance(ref, dict) and (ref.get("apiVersion"), ref.get("kind")) == _SOURCE_OWNER:
            return str(ref.get("name") or "")
    return labels_of(release).get(lbl.SOURCE, "")


_SOURCE_OWNER = ("deckhouse.io/v1alpha1", "ModuleSource")


@dataclass(frozen=True)
class Requirements:
    """``spec.requirements`` of a ModuleRelease."""

    deckhouse: str = ""
    kubernetes: str = ""
    modules: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    @property
    def empty(self) -> bool:
        return not (self.deckhouse or self.kubernetes or self.modules)


@dataclass(frozen=True)
class ModuleReleaseView:
    """What the release decisions read of one ModuleRelease."""

    name: str
    module: str
    version: str
    """``spec.version`` as written (without the leading ``v``)."""
    phase: str = ""
    message: str = ""
    labels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    annotations: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    finalizers: tuple[str, ...] = ()
    approved: bool | None = None
    """``status.approved`` (the mirror of the annotation), None when absent."""
    apply_after: datetime | None = None
    requirements: Requirements = field(default_factory=Requirements)
    update_versions: tuple[tuple[str, str], ...] = ()
    deleting: bool = False
    source: str = ""
    """The ModuleSource it comes from (:func:`release_source`)."""

    @classmethod
    def of(cls, obj: Obj) -> ModuleReleaseView:
        raw_req = deep_get(obj, "spec.requirements") or {}
        approved = deep_get(obj, "status.approved")
        return cls(
            name=name_of(obj),
            module=str(deep_get(obj, "spec.moduleName", "") or ""),
            version=str(deep_get(obj, "spec.version", "0.0.0")),
            phase=str(deep_get(obj, "status.phase", "") or ""),
            message=str(deep_get(obj, "status.message", "") or ""),
            labels=_frozen(labels_of(obj)),
            annotations=_frozen(annotations_of(obj)),
            finalizers=tuple(deep_get(obj, "metadata.finalizers") or ()),
            approved=approved if isinstance(approved, bool) else None,
            apply_after=parse_stamp(deep_get(obj, "spec.applyAfter")),
            requirements=Requirements(
                deckhouse=str(raw_req.get("deckhouse") or ""),
                kubernetes=str(raw_req.get("kubernetes") or ""),
                modules=_frozen(dict(raw_req.get("modules") or {})),
            ),
            update_versions=tuple(
                (str(v.get("from", "")), str(v.get("to", "")))
                for v in deep_get(obj, "spec.update.versions") or []
            ),
            deleting=bool(deep_get(obj, "metadata.deletionTimestamp")),
            source=release_source(obj),
        )

    @property
    def update_policy(self) -> str:
        return self.labels.get(lbl.UPDATE_POLICY, "")

    @property
    def forced(self) -> bool:
        """The force annotation (or its legacy spelling) parses as Go's true."""
        return ann.is_true(self.annotations, ann.FORCE) or ann.is_true(self.annotations, ann.FORCE_LEGACY)


@dataclass(frozen=True)
class ModuleView:
    """What the release decisions read of one Module."""

    name: str
    phase: str = ""
    update_policy: str = ""
    """``properties.updatePolicy``."""
    version: str = ""
    """``properties.version``."""

    @classmethod
    def of(cls, obj: Obj) -> ModuleView:
        return cls(
            name=name_of(obj),
            phase=str(deep_get(obj, "status.phase", "") or ""),
            update_policy=str(deep_get(obj, "properties.updatePolicy", "") or ""),
            version=str(deep_get(obj, "properties.version", "") or ""),
        )
