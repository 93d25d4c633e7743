"""The client protocol controllers and steps are written against.

Two implementations exist: the in-process client of the fake API server (no sockets; used by the
simulated controllers) and an HTTP one for external use. Both raise :mod:`harness.kube.errors`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from harness.kube.objects import Obj
from harness.kube.resources import Resource

__all__ = ["EventType", "KubeClient", "PatchType", "Unsubscribe", "WatchEvent", "WatchHandler"]


class PatchType(enum.StrEnum):
    """Patch content types, as sent in the ``Content-Type`` header."""

    MERGE = "application/merge-patch+json"
    JSON = "application/json-patch+json"
    APPLY = "application/apply-patch+yaml"
    STRATEGIC = "application/strategic-merge-patch+json"


class EventType(enum.StrEnum):
    ADDED = "ADDED"
    MODIFIED = "MODIFIED"
    DELETED = "DELETED"
    BOOKMARK = "BOOKMARK"
    ERROR = "ERROR"


@dataclass(frozen=True)
class WatchEvent:
    """One change of one object; ``object`` is a private copy the receiver may keep."""

    type: EventType
    resource: Resource
    object: Obj


WatchHandler = Callable[[WatchEvent], None]
Unsubscribe = Callable[[], None]


class KubeClient(Protocol):
    """CRUD, patch and change notification over Kubernetes objects.

    ``namespace`` is ignored for cluster-scoped resources. ``subresource`` is ``"status"`` for the
    status subresource. All returned objects are copies owned by the caller.
    """

    def resolve(self, api_version: str, kind: str) -> Resource:
        """The served resource for ``apiVersion``/``kind``; ``NotFound`` when none is served."""
        ...

    def get(self, resource: Resource, name: str, *, namespace: str | None = None) -> Obj: ...

    def list(
        self,
        resource: Resource,
        *,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> list[Obj]: ...

    def create(self, resource: Resource, obj: Obj, *, namespace: str | None = None) -> Obj: ...

    def update(
        self, resource: Resource, obj: Obj, *, namespace: str | None = None, subresource: str | None = None
    ) -> Obj:
        """PUT; ``metadata.resourceVersion`` must be set (409 when stale)."""
        ...

    def patch(
        self,
        resource: Resource,
        name: str,
        patch: Any,
        *,
        patch_type: PatchType = PatchType.MERGE,
        namespace: str | None = None,
        subresource: str | None = None,
        field_manager: str | None = None,
        force: bool = False,
    ) -> Obj: ...

    def delete(self, resource: Resource, name: str, *, namespace: str | None = None) -> Obj | None:
        """Delete; returns the object when finalizers keep it (with deletionTimestamp), else ``None``."""
        ...

    def subscribe(self, handler: WatchHandler, resource: Resource | None = None) -> Unsubscribe:
        """Call ``handler`` for every committed change (of ``resource``, or of all resources).

        The in-process client calls handlers synchronously, in commit order, after the change is
        stored, so once a write returns its event has been delivered. Handlers must not block
        and must not write through the client.
        """
        ...
