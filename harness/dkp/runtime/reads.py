"""What a reconcile read: the client the controllers use notes every object and list it reads.

The fast-time shortcut (``Manager``: an idle periodic look is replayed instead of run) is sound
only while nothing the look's decision depended on changes. Which objects those are is not a list
kept by hand: the controllers read the cluster through a :class:`ReadRecorder`, which notes each
``get`` as ``(kind, name)`` (a miss too: the object may appear later) and each ``list`` as
``(kind, ANY)`` for the reconcile the manager is running, and the manager keeps that set with the
look. A change of a noted object, or of any object of a listed kind, ends the replaying. A new
rule that reads another kind therefore needs no registration anywhere: reading it is enough.
"""

from __future__ import annotations

from typing import Any

from harness.kube.client import KubeClient, PatchType, Unsubscribe, WatchHandler
from harness.kube.objects import Obj
from harness.kube.resources import Resource

__all__ = ["ANY", "Read", "ReadRecorder", "kind_key"]

ANY = ""
"""The name of a list read: every object of the kind."""

Read = tuple[str, str]
"""``(kind_key, name)``; the name is :data:`ANY` for a list."""


def kind_key(resource: Resource) -> str:
    """``plural.group``: one kind whatever version an event or a read uses."""
    return f"{resource.plural}.{resource.group}"


class ReadRecorder:
    """A ``KubeClient`` that notes reads between :meth:`begin` and :meth:`end`; every call goes to ``inner``.

    Reconciles run one at a time (the manager's run lock), so one set suffices.
    """

    def __init__(self, inner: KubeClient) -> None:
        self.inner = inner
        self._reads: set[Read] | None = None

    def begin(self) -> None:
        self._reads = set()

    def end(self) -> frozenset[Read]:
        reads, self._reads = self._reads, None
        return frozenset(reads or ())

    def note(self, resource: Resource, name: str = ANY) -> None:
        """Record a read made another way (e.g. a controller's own index of a kind)."""
        if self._reads is not None:
            self._reads.add((kind_key(resource), name))

    def resolve(self, api_version: str, kind: str) -> Resource:
        return self.inner.resolve(api_version, kind)

    def get(self, resource: Resource, name: str, *, namespace: str | None = None) -> Obj:
        self.note(resource, name)
        return self.inner.get(resource, name, namespace=namespace)

    def list(
        self,
        resource: Resource,
        *,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> list[Obj]:
        self.note(resource)
        return self.inner.list(
            resource, namespace=namespace, label_selector=label_selector, field_selector=field_selector
        )

    def create(self, resource: Resource, obj: Obj, *, namespace: str | None = None) -> Obj:
        return self.inner.create(resource, obj, namespace=namespace)

    def update(
        self, resource: Resource, obj: Obj, *, namespace: str | None = None, subresource: str | None = None
    ) -> Obj:
        return self.inner.update(resource, obj, namespace=namespace, subresource=subresource)

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
    ) -> Obj:
        return self.inner.patch(
            resource,
            name,
            patch,
            patch_type=patch_type,
            namespace=namespace,
            subresource=subresource,
            field_manager=field_manager,
            force=force,
        )

    def delete(self, resource: Resource, name: str, *, namespace: str | None = None) -> Obj | None:
        return self.inner.delete(resource, name, namespace=namespace)

    def subscribe(self, handler: WatchHandler, resource: Resource | None = None) -> Unsubscribe:
        return self.inner.subscribe(handler, resource)
