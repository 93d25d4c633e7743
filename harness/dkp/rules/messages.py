"""Every user-visible text of the simulated module machinery, in one place.

Scenarios compare these strings with what ``kubectl`` shows, so each one is DKP's own wording
(docs/dkp-behaviour.md, section cited per group) and is checked against the spec text by
``tests/dkp/rules/test_messages.py``. Controllers import from here instead of writing literals,
which keeps a wording change upstream a one-line change.
"""

from __future__ import annotations

from harness.api import annotations as ann
from harness.api.conditions import ConditionType, Reason
from harness.api.phases import ModulePhase

# --- ModuleSource (§2) -------------------------------------------------------------------------
SOURCE_SOME_ERRORS = "Some errors occurred. Inspect status for details"
SOURCE_HAS_DEPLOYED_RELEASES = (
    "The source contains at least 1 deployed release and cannot be deleted. "
    "Please delete target ModuleReleases manually to continue"
)
SOURCE_MODULE_VERSION_UNKNOWN = "unknown"
SOURCE_FORBIDDEN_MODULE_NAME = "the module has a forbidden name, skip it"
FETCH_IMAGE_ERROR_PREFIX = "fetch image error: "
GET_IMAGE_INFO_PREFIX = "get image info: "
"""Put before :data:`FETCH_IMAGE_ERROR_PREFIX` from v1.73 (``Behaviour.IMAGE_INFO_ERROR_PREFIX``)."""
READ_AUTH_CONFIG_PREFIX = "read auth config: "


def credentials_not_found(repo: str) -> str:
    """§1: a non-empty dockerCfg with no entry for the repository's host (repo quoted like %q)."""
    quoted = repo.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" credentials not found in the dockerCfg'


def module_metadata_malformed(module: str) -> str:
    """§1: the release image's version.json has no version."""
    return f'module "{module}" metadata malformed: no version found'


# --- ModuleConfig status.message (§4.2) ---------------------------------------------------------
MC_UNKNOWN_MODULE = "Ignored: unknown module name"
MC_ERROR_PREFIX = "Error: "


def mc_invalid_version(latest: int) -> str:
    return f"Error: invalid spec.version, use version {latest}"


def mc_update_available(latest: int) -> str:
    return f"Update available, latest spec.settings schema version is {latest}"


# --- Module conditions and phases (§3.3) --------------------------------------------------------
REASON_NOT_INSTALLED, MSG_NOT_INSTALLED = Reason.NOT_INSTALLED.value, "not installed"
REASON_DOWNLOADING, MSG_DOWNLOADING = Reason.DOWNLOADING.value, "downloading"
REASON_INSTALLING, MSG_INSTALLING = Reason.INSTALLING.value, "installing"
REASON_RECONCILING, MSG_RECONCILING = Reason.RECONCILING.value, "reconciling"
MSG_ON_STARTUP_DONE = "onStartup hooks done"
REASON_CONFLICT, MSG_CONFLICT = Reason.CONFLICT.value, "several available sources"
REASON_DISABLED, MSG_DISABLED = Reason.DISABLED.value, "disabled"
REASON_BUNDLE, MSG_BUNDLE = Reason.BUNDLE.value, "turned off by bundle"
REASON_EDITION_AVAILABLE = Reason.EDITION_AVAILABLE.value
REASON_EDITION_ENABLED = Reason.EDITION_ENABLED.value


def unavailable_in_edition(edition: str) -> str:
    """Deckhouse v1.75 and later: the EditionAvailable extender's verdict (docs/dkp-eras.md)."""
    return f"unavailable in '{edition}' edition"


def disabled_in_edition(edition: str) -> str:
    """Deckhouse v1.75 and later: the EditionEnabled extender's verdict (docs/dkp-eras.md)."""
    return f"disabled in the '{edition}' edition"


REASON_MODULE_CONFIG, MSG_MODULE_CONFIG = Reason.MODULE_CONFIG.value, "turned off by module config"
REASON_HOOK_ERROR = Reason.HOOK_ERROR.value
REASON_MODULE_ERROR = Reason.MODULE_ERROR.value

CONDITION_ENABLED_BY_MODULE_CONFIG = ConditionType.ENABLED_BY_MODULE_CONFIG.value
CONDITION_ENABLED_BY_MODULE_MANAGER = ConditionType.ENABLED_BY_MODULE_MANAGER.value
CONDITION_IS_READY = ConditionType.IS_READY.value
CONDITION_IS_OVERRIDDEN = ConditionType.IS_OVERRIDDEN.value
CONDITION_LAST_RELEASE_DEPLOYED = ConditionType.LAST_RELEASE_DEPLOYED.value

# LastReleaseDeployed=False reasons and texts, written by the release controller (§3.3, §5.4).
CONDITION_NOT_READY = (
    Reason.RELEASE_NOT_READY.value,
    "ModuleRelease could not be applied, awaiting for deployed release be ready",
)
CONDITION_REQUIREMENTS = (
    Reason.RELEASE_REQUIREMENTS.value,
    "ModuleRelease could not be applied, not met requirements",
)
CONDITION_DEPLOY_TIME = (
    Reason.RELEASE_DEPLOY_TIME.value,
    "ModuleRelease could not be applied, release postponed",
)
CONDITION_VALIDATIONS = (
    Reason.RELEASE_VALIDATIONS.value,
    "ModuleRelease could not be applied, release validations failed",
)
"""Deckhouse v1.78 and later (docs/dkp-eras.md, "release-validations")."""
CONDITION_CONFIG_VALIDATION = (
    Reason.RELEASE_CONFIG_VALIDATION.value,
    "ModuleRelease could not be applied, module config validation failed",
)


def validations_failed(failure: str) -> str:
    """The Pending message of a release whose validation failed (``<file>: <error>``)."""
    return f"validations failed: {failure}"


def last_release_deployed_false(text: str, version: str) -> str:
    """§5.4: the condition message points at the release (``version`` without the leading v)."""
    return f"{text}: see details in the module release v{version}"


# --- ModuleRelease status.message (§5.4 to §5.8) ---------------------------------------------------
MR_UPDATE_DISABLED_BY_IGNORE = "Update disabled by 'Ignore' update policy"
MR_UPDATE_POLICY_NOT_SET = "Update policy not set. Create a suitable ModuleUpdatePolicy object"
AWAITING_MODULE_READY = "awaiting for module to be ready"
MR_NOTIFICATION_FAILED = "Release is blocked, failed to send release notification"
MR_VALIDATION_FAILED_PREFIX = "validation failed: "
MR_INITIAL_CONFIG_VALIDATION_PREFIX = "Initial module config validation failed:\n"
MR_ALREADY_DEPLOYED = "release is already deployed"

APPROVAL_ANNOTATION = ann.APPROVED
DELAY_PREFIX = "Release is "
DELAY_IN_COOLDOWN = "in cooldown"
DELAY_POSTPONED = "postponed"
DELAY_BY_NOTIFICATION = "postponed by notification"
DELAY_OUT_OF_WINDOW = "waiting for the update window"
DELAY_AFTER_APPROVAL = ". After approval the release will be delayed"


def update_policy_not_found(name: str) -> str:
    return f"Update policy {name} not found"


def awaiting_module_ready(deployed_version: str) -> str:
    """§5.4 step 7, ``deployed_version`` normalised (no leading v)."""
    return f"awaiting for module v{deployed_version} to be ready"


def waiting_for_approval(annotation: str = APPROVAL_ANNOTATION) -> str:
    return f"waiting for the '{annotation}: \"true\"' annotation"


def awaiting_release_deployed(version: str) -> str:
    """§5.5 rule 5: the previous release is still Pending (``version`` normalised)."""
    return f"awaiting for v{version} release to be deployed"


def minor_version_greater(previous_original: str) -> str:
    return f"minor version is greater than deployed {previous_original} by one"


def minor_version_greater_lts(previous_original: str, difference: int) -> str:
    return (
        f"minor version is greater than deployed {previous_original} by {difference}, "
        "it's more than acceptable channel limitation"
    )


def major_version_greater(previous_original: str) -> str:
    return f"major version is greater than deployed {previous_original}"


# --- Release creation by the source controller (§5.1, §5.2) ------------------------------------
CAUSE_NO_RELEASES = "no releases in cluster"
CAUSE_FROM_DEPLOYED = "from deployed"
CAUSE_FROM_LAST_RELEASE = "from last release in cluster"
CAUSE_STEP_BY_STEP = "step-by-step"
CAUSE_LTS = "LTS channel - direct release"
NO_MATCHED_TAGS = "no matched tags in registry"
NO_ACCEPTABLE_TAGS = "no acceptable for step by step update tags in registry"
GET_NEW_VERSIONS_PREFIX = "get new versions: "
STEP_BY_STEP_FAILED_PREFIX = "step by step update failed: "


def change_cause(reason: str) -> str:
    """The ``modules.deckhouse.io/change-cause`` annotation value."""
    return f"check release ({reason})"


def prerelease_not_supported(original: str) -> str:
    return f"pre-release versions are not supported: {original}"


def not_sequential_version(previous: str, following: str) -> str:
    """Both versions normalised; the text adds the leading v itself."""
    return f"not sequential version: prev 'v{previous}' next 'v{following}'"


# --- ModulePullOverride status.message (§8) -----------------------------------------------------
MPO_READY = ModulePhase.READY.value  # DKP writes the word "Ready" as the message
MPO_EMBEDDED = "The module is embedded"
MPO_DISABLED = "The module disabled"
MPO_MODULE_NOT_FOUND = "The module not found"
MPO_SOURCE_NOT_FOUND = "The source not found"
MPO_NO_ACTIVE_SOURCE = "The module does not have an active source"
MPO_DOWNLOAD_ERROR_PREFIX = "Download error: "
MPO_VALIDATION_ERROR_PREFIX = "Validation error: "
MPO_DEPLOY_ERROR_PREFIX = "Deploy error: "
