"""The interface controllers read registries through, and the one way to open it for a source.

DKP builds its registry client from ``spec.registry`` of a ModuleSource (repo, dockerCfg, scheme,
ca) in one shared helper; the source, release and override controllers all go through it, so a
change in how credentials or TLS are read reaches all three at once. Here that helper is
:func:`open_source_reader`, and the client's shape is :class:`RegistryReader`: the real
``harness.registry.client.RegistryClient`` and :class:`~harness.dkp.images.memory.InMemoryRegistry`
both satisfy it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from harness.kube.objects import Obj, deep_get

__all__ = ["ModuleImage", "RegistryFactory", "RegistryReader", "open_source_reader"]


class ModuleImage(Protocol):
    """A pulled image: its manifest digest and its layers flattened into one file tree."""

    @property
    def digest(self) -> str: ...

    @property
    def files(self) -> Mapping[str, bytes]: ...


class RegistryReader(Protocol):
    """A registry client opened for one repository (``R`` of a ModuleSource).

    Errors are ``harness.registry.errors.RegistryError`` with the registry's own text, which the
    controllers show in statuses as DKP does.
    """

    def list_tags(self, path: str = "") -> list[str]: ...

    def read_image(self, path: str, tag: str) -> ModuleImage: ...

    def close(self) -> None: ...


RegistryFactory = Callable[..., RegistryReader]
"""``factory(repo, docker_cfg=..., scheme=..., ca=...)``; raises ``RegistryError`` on bad auth."""


def open_source_reader(factory: RegistryFactory, source: Obj) -> RegistryReader:
    """A reader for ``R`` of ``source``; raises ``RegistryError`` on an unusable auth config."""
    spec = deep_get(source, "spec.registry", {}) or {}
    return factory(
        str(spec.get("repo", "")),
        docker_cfg=str(spec.get("dockerCfg") or ""),
        scheme=str(spec.get("scheme") or "HTTPS"),
        ca=str(spec.get("ca") or ""),
    )
