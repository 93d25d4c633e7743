"""The Module's package view (``deckhouse.io/v1alpha2``), mirrored from what runs the module.

Deckhouse v1.76 and later (``Behaviour.MODULE_PACKAGE_MIRROR``, docs/dkp-eras.md): the release
controller mirrors a deployed release and the override controller a ModulePullOverride's dev image
into ``spec.packageVersion`` and ``spec.packageRepositoryName`` (upstream ``EnsureModule`` with
``OriginFromDeployedRelease`` / ``OriginFromPullOverride``); a dev origin also marks the Module
``modules.deckhouse.io/dev: "true"``, which a release's origin clears. Both run on every look, so
the mirror heals drift. The ``deckhouse`` source's modules are repository ``deckhouse-modules``.

The write that first puts a version on the Module also copies the module's ModuleConfig onto it
(upstream ``deckhouse-controller/internal/modulesync``, ``EnsureModule`` seeding through
``fillModuleV2``): ``spec.version`` as ``settingsVersion``, and ``settings``, ``enabled`` and
``maintenance`` when the config sets them; the release-controller goldens at 049a95cf show
``settingsVersion: 1`` for the version-1 ModuleConfig their suite creates. Later mirrors of a
release move only the origin (docs/dkp-eras.md, ``module-package-mirror``).

Written through v1alpha1, the storage version: a write through v1alpha2 would prune the
v1alpha1-only ``properties``.
"""

from __future__ import annotations

from typing import Any

from harness import eras
from harness.api import annotations as ann
from harness.api import kinds, sources
from harness.dkp.runtime.settings import ClusterSettings
from harness.kube.client import KubeClient
from harness.kube.errors import NotFound
from harness.kube.objects import deep_get

__all__ = ["mirror_package"]

_CONFIG_FIELDS = {
    "version": "settingsVersion",
    "settings": "settings",
    "enabled": "enabled",
    "maintenance": "maintenance",
}
"""ModuleConfig ``spec`` field → package view ``spec`` field (upstream ``fillModuleV2``)."""


def mirror_package(
    kube: KubeClient, settings: ClusterSettings, module_name: str, version: str, source: str, *, dev: bool
) -> None:
    """Make the Module's package view say ``version`` from ``source``; a no-op when it does."""
    if eras.Behaviour.MODULE_PACKAGE_MIRROR not in settings.behaviours or not source:
        return
    try:
        module = kube.get(kinds.MODULE, module_name)
    except NotFound:
        return
    repository = sources.DECKHOUSE_PACKAGE_REPOSITORY if source == sources.DECKHOUSE else source
    patch: dict[str, Any] = {}
    wanted = {"packageVersion": version, "packageRepositoryName": repository}
    if any(deep_get(module, f"spec.{key}") != value for key, value in wanted.items()):
        seeding = not deep_get(module, "spec.packageVersion")
        patch["spec"] = {**(_config_fields(kube, module_name) if seeding else {}), **wanted}
    marked = (deep_get(module, "metadata.annotations") or {}).get(ann.DEV) == "true"
    if dev != marked:
        patch["metadata"] = {"annotations": {ann.DEV: "true" if dev else None}}
    if patch:
        kube.patch(kinds.MODULE, module_name, patch)


def _config_fields(kube: KubeClient, module_name: str) -> dict[str, Any]:
    """What the module's live ModuleConfig puts on the package view when a version first arrives;
    nothing for a missing or deleting config (upstream ``moduleConfig`` reads those as none)."""
    try:
        config = kube.get(kinds.MODULE_CONFIG, module_name)
    except NotFound:
        return {}
    if deep_get(config, "metadata.deletionTimestamp"):
        return {}
    spec = config.get("spec") or {}
    return {
        target: spec[key] for key, target in _CONFIG_FIELDS.items() if spec.get(key) not in (None, "", {})
    }
