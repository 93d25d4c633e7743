"""``ModuleDocumentation/<module>``: written from a deployed release, dropped with a disabled module.

Two controllers touch the object. The release controller ensures it for every deployed release it
looks at (upstream ``handleDeployedRelease``), which needs only the release; from Deckhouse v1.77
the config controller also deletes it when a ModuleConfig switches the module off and restores it
from the deployed release when the module is switched on again (``documentation-follows-config``
in docs/dkp-eras.md), so the documentation site stops listing a module that no longer runs. Both
write the same object, so the writing lives here once.
"""

from __future__ import annotations

import hashlib

from harness.api import kinds
from harness.api import labels as lbl
from harness.api.phases import ReleasePhase
from harness.kube.client import KubeClient
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, deep_get, labels_of, name_of

__all__ = ["delete_documentation", "ensure_for_deployed", "ensure_for_release"]


def ensure_for_release(kube: KubeClient, release: Obj, module_name: str, source_name: str) -> None:
    """Create or update the module's documentation from ``release``.

    ``spec.version`` is ``v<version>``, ``spec.path`` ``/modules/<module>``, ``spec.checksum`` the
    release's ``release-checksum`` label or, without one, md5 of the version text; the release
    owns the object (upstream ``EnsureModuleDocumentationForRelease``).
    """
    version = f"v{deep_get(release, 'spec.version')}"
    checksum = labels_of(release).get(lbl.RELEASE_CHECKSUM) or hashlib.md5(version.encode()).hexdigest()
    spec = {"version": version, "path": f"/modules/{module_name}", "checksum": checksum}
    meta = {
        "name": module_name,
        "labels": {lbl.MODULE: module_name, lbl.SOURCE: source_name},
        "ownerReferences": [
            {
                "apiVersion": f"{kinds.GROUP}/{kinds.MODULE_RELEASE.version}",
                "kind": kinds.MODULE_RELEASE.kind,
                "name": name_of(release),
                "uid": str(deep_get(release, "metadata.uid", "")),
                "controller": True,
            }
        ],
    }
    try:
        current = kube.get(kinds.MODULE_DOCUMENTATION, module_name)
    except NotFound:
        resource = kinds.MODULE_DOCUMENTATION
        document = {"apiVersion": f"{resource.group}/{resource.version}", "kind": resource.kind}
        kube.create(resource, {**document, "metadata": meta, "spec": spec})
        return
    if current.get("spec") == spec and labels_of(current) == meta["labels"]:
        return
    kube.patch(kinds.MODULE_DOCUMENTATION, module_name, {"metadata": meta, "spec": spec})


def ensure_for_deployed(kube: KubeClient, module: Obj) -> None:
    """Restore the documentation of a module switched on again from its deployed release.

    The config controller finds the release by its labels (``module=<name>``,
    ``status=deployed``) and labels the documentation with the Module's ``properties.source``;
    a module without a deployed release has nothing to document yet.
    """
    module_name = name_of(module)
    selector = f"{lbl.MODULE}={module_name},{lbl.STATUS}={ReleasePhase.DEPLOYED.label}"
    source = str(deep_get(module, "properties.source", "") or "")
    for release in kube.list(kinds.MODULE_RELEASE, label_selector=selector):
        ensure_for_release(kube, release, module_name, source)


def delete_documentation(kube: KubeClient, module_name: str) -> bool:
    """Delete ``ModuleDocumentation/<module>``; ``False`` when there was none (not an error)."""
    try:
        kube.delete(kinds.MODULE_DOCUMENTATION, module_name)
    except NotFound:
        return False
    return True
