"""``ModuleDocumentation/<module>``: where Deckhouse's documentation builder finds a module's docs.

Three controllers touch the object. The release controller ensures it for a deployed release it
looks at while no ModulePullOverride exists for the module (upstream ``handleDeployedRelease``:
with an override, "the override's version is the source of the documentation"); the override
controller ensures it after each deploy of its dev image; from Deckhouse v1.77 the config
controller also deletes it when a ModuleConfig switches the module off and restores it from the
deployed release when the module is switched on again (``documentation-follows-config`` in
docs/dkp-eras.md). All of them write through upstream's one helper, ``EnsureModuleDocumentation``
(``…/module-controllers/utils/utils.go``), so the writing lives here once.

``spec.path`` says where the module's files are. Up to v1.74 that is the versioned download
directory, ``/<module>/v<version>`` for a release and ``/<module>/dev`` for an override; from v1.75
(``documentation-mount-path``, PR #16495) modules are read-only images mounted per module, and
both write the mount, ``/modules/<module>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from harness import eras
from harness.api import kinds
from harness.api import labels as lbl
from harness.api.phases import ReleasePhase
from harness.kube.client import KubeClient
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, deep_get, labels_of, name_of
from harness.kube.resources import Resource

__all__ = ["delete_documentation", "ensure_for_deployed", "ensure_for_override", "ensure_for_release"]


def ensure_for_release(
    kube: KubeClient,
    release: Obj,
    module_name: str,
    source_name: str,
    behaviours: Collection[eras.Behaviour],
) -> None:
    """The documentation of the deployed ``release``, which owns it.

    ``spec.version`` is ``v<version>``; ``spec.checksum`` the release's ``release-checksum`` label
    or, without one, md5 of the version text (upstream ``handleDeployedRelease``).
    """
    version = f"v{deep_get(release, 'spec.version')}"
    checksum = labels_of(release).get(lbl.RELEASE_CHECKSUM) or hashlib.md5(version.encode()).hexdigest()
    mounted = eras.Behaviour.DOCUMENTATION_MOUNT_PATH in behaviours
    path = f"/modules/{module_name}" if mounted else f"/{module_name}/{version}"
    owner = _owner(kinds.MODULE_RELEASE, release)
    _ensure(kube, module_name, source_name, version=version, checksum=checksum, path=path, owner=owner)


def ensure_for_override(
    kube: KubeClient, mpo: Obj, source_name: str, digest: str, behaviours: Collection[eras.Behaviour]
) -> None:
    """The documentation of the dev image a ModulePullOverride just deployed, which it owns:
    ``spec.version`` is the image tag and ``spec.checksum`` the image digest (upstream override
    controller, after ``deployModule``)."""
    module_name = name_of(mpo)
    mounted = eras.Behaviour.DOCUMENTATION_MOUNT_PATH in behaviours
    path = f"/modules/{module_name}" if mounted else f"/{module_name}/dev"
    version = str(deep_get(mpo, "spec.imageTag", "") or "")
    owner = _owner(kinds.MODULE_PULL_OVERRIDE, mpo)
    _ensure(kube, module_name, source_name, version=version, checksum=digest, path=path, owner=owner)


def ensure_for_deployed(kube: KubeClient, module: Obj, behaviours: Collection[eras.Behaviour]) -> None:
    """Restore the documentation of a module switched on again from its deployed release.

    The config controller finds the release by its labels (``module=<name>``,
    ``status=deployed``) and labels the documentation with the Module's ``properties.source``;
    a module without a deployed release has nothing to document yet. While a ModulePullOverride
    exists nothing is restored: upstream's release controller leaves the documentation to the
    override then, and whether the config controller's restore checks too is not in the stored
    sources (docs/dkp-eras.md), so the simulator keeps the two consistent.
    """
    module_name = name_of(module)
    try:
        kube.get(kinds.MODULE_PULL_OVERRIDE, module_name)
    except NotFound:
        pass
    else:
        return  # the override documents its dev image, as the release controller leaves it to
    selector = f"{lbl.MODULE}={module_name},{lbl.STATUS}={ReleasePhase.DEPLOYED.label}"
    source = str(deep_get(module, "properties.source", "") or "")
    for release in kube.list(kinds.MODULE_RELEASE, label_selector=selector):
        ensure_for_release(kube, release, module_name, source, behaviours)


def delete_documentation(kube: KubeClient, module_name: str) -> bool:
    """Delete ``ModuleDocumentation/<module>``; ``False`` when there was none (not an error)."""
    try:
        kube.delete(kinds.MODULE_DOCUMENTATION, module_name)
    except NotFound:
        return False
    return True


def _owner(resource: Resource, obj: Obj) -> dict[str, object]:
    return {
        "apiVersion": f"{resource.group}/{resource.version}",
        "kind": resource.kind,
        "name": name_of(obj),
        "uid": str(deep_get(obj, "metadata.uid", "")),
        "controller": True,
    }


def _ensure(
    kube: KubeClient,
    module_name: str,
    source_name: str,
    *,
    version: str,
    checksum: str,
    path: str,
    owner: dict[str, object],
) -> None:
    """Upstream ``EnsureModuleDocumentation``: create the object (labels ``module`` and
    ``source``, the one owner); when it exists with another version or checksum, rewrite path,
    version, checksum and owner, leaving its labels as they are; otherwise leave it alone."""
    spec = {"version": version, "path": path, "checksum": checksum}
    try:
        current = kube.get(kinds.MODULE_DOCUMENTATION, module_name)
    except NotFound:
        resource = kinds.MODULE_DOCUMENTATION
        meta = {
            "name": module_name,
            "labels": {lbl.MODULE: module_name, lbl.SOURCE: source_name},
            "ownerReferences": [owner],
        }
        document = {"apiVersion": f"{resource.group}/{resource.version}", "kind": resource.kind}
        kube.create(resource, {**document, "metadata": meta, "spec": spec})
        return
    current_spec = current.get("spec") or {}
    if current_spec.get("version") == version and current_spec.get("checksum") == checksum:
        return
    patch = {"metadata": {"ownerReferences": [owner]}, "spec": spec}
    kube.patch(kinds.MODULE_DOCUMENTATION, module_name, patch)
