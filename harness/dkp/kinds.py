"""The resources, labels, annotations and finalizers the simulated DKP works with.

Names are DKP's own (dkp-behaviour.md §1-§9); they live in one place so a rename upstream is a
one-line change here.
"""

from __future__ import annotations

from harness.kube.resources import Resource

GROUP = "deckhouse.io"

MODULE_SOURCE = Resource(GROUP, "v1alpha1", "modulesources", "ModuleSource")
MODULE = Resource(GROUP, "v1alpha1", "modules", "Module")
MODULE_CONFIG = Resource(GROUP, "v1alpha1", "moduleconfigs", "ModuleConfig")
MODULE_RELEASE = Resource(GROUP, "v1alpha1", "modulereleases", "ModuleRelease")
MODULE_UPDATE_POLICY = Resource(GROUP, "v1alpha2", "moduleupdatepolicies", "ModuleUpdatePolicy")
MODULE_PULL_OVERRIDE = Resource(GROUP, "v1alpha2", "modulepulloverrides", "ModulePullOverride")

NAMESPACE = Resource("", "v1", "namespaces", "Namespace")
POD = Resource("", "v1", "pods", "Pod", namespaced=True)
EVENT = Resource("", "v1", "events", "Event", namespaced=True)
SECRET = Resource("", "v1", "secrets", "Secret", namespaced=True)

DECKHOUSE_NAMESPACE = "d8-system"

# Labels (§5.1)
LABEL_MODULE = "module"
LABEL_SOURCE = "source"
LABEL_RELEASE_CHECKSUM = "release-checksum"
LABEL_UPDATE_POLICY = "modules.deckhouse.io/update-policy"
LABEL_STATUS = "status"

# Annotations (§2, §5.1)
ANN_REGISTRY_SPEC_CHECKSUM = "modules.deckhouse.io/registry-spec-checksum"
ANN_REGISTRY_SPEC_CHANGED = "modules.deckhouse.io/registry-spec-changed"
ANN_FORCE_DELETE = "modules.deckhouse.io/force-delete"
ANN_APPROVED = "modules.deckhouse.io/approved"
ANN_APPLY_NOW = "modules.deckhouse.io/apply-now"
ANN_FORCE = "modules.deckhouse.io/force"
ANN_FORCE_LEGACY = "release.deckhouse.io/force"
ANN_REINSTALL = "modules.deckhouse.io/reinstall"
ANN_IS_UPDATING = "modules.deckhouse.io/isUpdating"
ANN_NOTIFIED = "modules.deckhouse.io/notified"
ANN_CHANGE_CAUSE = "modules.deckhouse.io/change-cause"
ANN_ALLOW_DISABLING = "modules.deckhouse.io/allow-disabling"

# Finalizers (§2.3, §4.1, §5.1)
FIN_RELEASE_EXISTS = "modules.deckhouse.io/release-exists"
FIN_MODULE_EXISTS = "modules.deckhouse.io/module-exists"
FIN_MODULE_REGISTERED = "modules.deckhouse.io/module-registered"
FIN_EXIST_ON_FS = "modules.deckhouse.io/exist-on-fs"

ALL_DKP_RESOURCES = (
    MODULE_SOURCE,
    MODULE,
    MODULE_CONFIG,
    MODULE_RELEASE,
    MODULE_UPDATE_POLICY,
    MODULE_PULL_OVERRIDE,
)
