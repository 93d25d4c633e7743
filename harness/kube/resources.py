"""Identity of a served resource, independent of how it is reached (HTTP or in-process)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Resource"]


@dataclass(frozen=True)
class Resource:
    """One served group/version/resource, with what a client needs to address it.

    ``group`` is ``""`` for the core API. ``namespaced`` decides whether paths carry a namespace.
    """

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool = False

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """``plural.group`` as kube-apiserver writes it in error messages (``modules.deckhouse.io``)."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

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
