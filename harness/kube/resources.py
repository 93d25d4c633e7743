"""Identity of a served resource, independent of how it is reached (HTTP or in-process)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Resource"]


@dataclass(frozen=True)
class Resource:
    """One served group/version/resource, with what a client needs to address it.

    ``group`` is ``""`` for the core API. ``namespaced`` decides whether paths carry a namespace.
    ``api_version`` and ``group_resource`` are worked out once, when the resource is made: every
    write reads them several times (a virtual week of a source's scans is ~3,400 writes).
    """

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool = False
    api_version: str = field(init=False, repr=False, compare=False)
    """``group/version``, or ``version`` alone for the core API."""
    group_resource: str = field(init=False, repr=False, compare=False)
    """``plural.group`` as kube-apiserver writes it in error messages (``modules.deckhouse.io``)."""

    def __post_init__(self) -> None:
        api_version = f"{self.group}/{self.version}" if self.group else self.version
        group_resource = f"{self.plural}.{self.group}" if self.group else self.plural
        object.__setattr__(self, "api_version", api_version)
        object.__setattr__(self, "group_resource", group_resource)

    def path(
        self, name: str | None = None, *, namespace: str | None = None, subresource: str | None = None
    ) -> str:
        """The REST path of the collection, or of one object (and its subresource)."""
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{namespace}"
        base += f"/{self.plural}"
        if name is not None:
            base += f"/{name}"
            if subresource:
                base += f"/{subresource}"
        return base
