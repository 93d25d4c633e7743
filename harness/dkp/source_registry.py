"""Opening the registry of a ModuleSource, the one way every DKP controller reaches a module image.

DKP builds its registry client from ``spec.registry`` of a ModuleSource (repo, dockerCfg, scheme,
ca) in one shared helper; the source, release and override controllers all go through it, so a
change in how credentials or TLS are read reaches all three at once. Here that helper is
:func:`open_source_reader`.
"""

from __future__ import annotations

from harness.dkp.release_creation import RegistryFactory, RegistryReader
from harness.kube.objects import Obj, deep_get

__all__ = ["open_source_reader"]


def open_source_reader(factory: RegistryFactory, source: Obj) -> RegistryReader:
    """A reader for ``R`` of ``source``; raises ``RegistryError`` on an unusable auth config (§1)."""
    spec = deep_get(source, "spec.registry", {}) or {}
    return factory(
        str(spec.get("repo", "")),
        docker_cfg=str(spec.get("dockerCfg") or ""),
        scheme=str(spec.get("scheme") or "HTTPS"),
        ca=str(spec.get("ca") or ""),
    )
