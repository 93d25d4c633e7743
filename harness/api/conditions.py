"""Condition types and reasons of DKP's module objects (docs/dkp-behaviour.md §3.3).

The texts that go with the reasons are user-visible wording and live with the other messages in
``harness.dkp.rules.messages``; the names here are the machine-readable half.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ConditionType", "Reason"]


class ConditionType(StrEnum):
    """``status.conditions[].type`` on a Module."""

    ENABLED_BY_MODULE_CONFIG = "EnabledByModuleConfig"
    ENABLED_BY_MODULE_MANAGER = "EnabledByModuleManager"
    IS_READY = "IsReady"
    IS_OVERRIDDEN = "IsOverridden"
    LAST_RELEASE_DEPLOYED = "LastReleaseDeployed"


class Reason(StrEnum):
    """``status.conditions[].reason`` values (and the Module phases' reasons)."""

    NOT_INSTALLED = "NotInstalled"
    DOWNLOADING = "Downloading"
    INSTALLING = "Installing"
    RECONCILING = "Reconciling"
    CONFLICT = "Conflict"
    DISABLED = "Disabled"
    BUNDLE = "Bundle"
    MODULE_CONFIG = "ModuleConfig"
    HOOK_ERROR = "HookError"
    MODULE_ERROR = "ModuleError"
    RELEASE_NOT_READY = "ReleaseDeployedIsNotReady"
    RELEASE_REQUIREMENTS = "ReleaseRequirementsCheck"
    RELEASE_DEPLOY_TIME = "ReleaseDeployTimeCheck"
    RELEASE_CONFIG_VALIDATION = "ReleaseConfigValidationCheck"
    RELEASE_VALIDATIONS = "ReleaseValidationsCheck"
    EDITION_AVAILABLE = "EditionAvailableExtender"
    EDITION_ENABLED = "EditionEnabledExtender"
