"""Each user-visible string against the text quoted in docs/dkp-behaviour.md (section in the id)."""

from __future__ import annotations

import pytest

from harness.dkp.rules import messages as m


@pytest.mark.parametrize(
    ("actual", "spec_text"),
    [
        pytest.param(
            m.SOURCE_SOME_ERRORS, "Some errors occurred. Inspect status for details", id="s2-source-errors"
        ),
        pytest.param(
            m.SOURCE_HAS_DEPLOYED_RELEASES,
            "The source contains at least 1 deployed release and cannot be deleted. "
            "Please delete target ModuleReleases manually to continue",
            id="s2.3-source-deletion",
        ),
        pytest.param(m.SOURCE_MODULE_VERSION_UNKNOWN, "unknown", id="s2.1-version-unknown"),
        pytest.param(
            m.SOURCE_FORBIDDEN_MODULE_NAME, "the module has a forbidden name, skip it", id="s1-forbidden-name"
        ),
        pytest.param(m.FETCH_IMAGE_ERROR_PREFIX, "fetch image error: ", id="s2.1-fetch-image-error"),
        pytest.param(
            m.READ_AUTH_CONFIG_PREFIX + m.credentials_not_found("registry.example.com/modules"),
            'read auth config: "registry.example.com/modules" credentials not found in the dockerCfg',
            id="s1-credentials-not-found",
        ),
        pytest.param(
            m.module_metadata_malformed("parca"),
            'module "parca" metadata malformed: no version found',
            id="s1-no-version",
        ),
        pytest.param(m.MC_UNKNOWN_MODULE, "Ignored: unknown module name", id="s4.2-unknown-module"),
        pytest.param(
            m.mc_invalid_version(2), "Error: invalid spec.version, use version 2", id="s4.2-invalid-version"
        ),
        pytest.param(
            m.mc_update_available(3),
            "Update available, latest spec.settings schema version is 3",
            id="s4.2-update-available",
        ),
        pytest.param(
            (m.REASON_NOT_INSTALLED, m.MSG_NOT_INSTALLED),
            ("NotInstalled", "not installed"),
            id="s3.3-not-installed",
        ),
        pytest.param(
            (m.REASON_DOWNLOADING, m.MSG_DOWNLOADING), ("Downloading", "downloading"), id="s3.3-downloading"
        ),
        pytest.param(
            (m.REASON_INSTALLING, m.MSG_INSTALLING), ("Installing", "installing"), id="s3.3-installing"
        ),
        pytest.param(
            (m.REASON_RECONCILING, m.MSG_RECONCILING), ("Reconciling", "reconciling"), id="s3.3-reconciling"
        ),
        pytest.param(m.MSG_ON_STARTUP_DONE, "onStartup hooks done", id="s3.3-onstartup-done"),
        pytest.param(
            (m.REASON_CONFLICT, m.MSG_CONFLICT), ("Conflict", "several available sources"), id="s3.3-conflict"
        ),
        pytest.param((m.REASON_DISABLED, m.MSG_DISABLED), ("Disabled", "disabled"), id="s3.3-disabled"),
        pytest.param((m.REASON_BUNDLE, m.MSG_BUNDLE), ("Bundle", "turned off by bundle"), id="s3.3-bundle"),
        pytest.param(
            (m.REASON_MODULE_CONFIG, m.MSG_MODULE_CONFIG),
            ("ModuleConfig", "turned off by module config"),
            id="s3.3-mc",
        ),
        pytest.param(
            (m.REASON_HOOK_ERROR, m.REASON_MODULE_ERROR),
            ("HookError", "ModuleError"),
            id="s3.3-error-reasons",
        ),
        pytest.param(
            (
                m.CONDITION_ENABLED_BY_MODULE_CONFIG,
                m.CONDITION_ENABLED_BY_MODULE_MANAGER,
                m.CONDITION_IS_READY,
                m.CONDITION_IS_OVERRIDDEN,
                m.CONDITION_LAST_RELEASE_DEPLOYED,
            ),
            (
                "EnabledByModuleConfig",
                "EnabledByModuleManager",
                "IsReady",
                "IsOverridden",
                "LastReleaseDeployed",
            ),
            id="s3.3-condition-types",
        ),
        pytest.param(
            m.CONDITION_NOT_READY,
            (
                "ReleaseDeployedIsNotReady",
                "ModuleRelease could not be applied, awaiting for deployed release be ready",
            ),
            id="s5.4-condition-not-ready",
        ),
        pytest.param(
            m.CONDITION_REQUIREMENTS,
            ("ReleaseRequirementsCheck", "ModuleRelease could not be applied, not met requirements"),
            id="s5.4-condition-requirements",
        ),
        pytest.param(
            m.CONDITION_DEPLOY_TIME,
            ("ReleaseDeployTimeCheck", "ModuleRelease could not be applied, release postponed"),
            id="s5.4-condition-deploy-time",
        ),
        pytest.param(
            m.CONDITION_CONFIG_VALIDATION,
            (
                "ReleaseConfigValidationCheck",
                "ModuleRelease could not be applied, module config validation failed",
            ),
            id="s5.8-condition-validation",
        ),
        pytest.param(
            m.last_release_deployed_false(m.CONDITION_REQUIREMENTS[1], "1.2.3"),
            "ModuleRelease could not be applied, not met requirements: see "
            "details in the module release v1.2.3",
            id="s5.4-condition-message",
        ),
        pytest.param(
            m.update_policy_not_found("mup"), "Update policy mup not found", id="s5.4-policy-not-found"
        ),
        pytest.param(
            m.MR_UPDATE_DISABLED_BY_IGNORE,
            "Update disabled by 'Ignore' update policy",
            id="s5.4-ignore-policy",
        ),
        pytest.param(
            m.MR_UPDATE_POLICY_NOT_SET,
            "Update policy not set. Create a suitable ModuleUpdatePolicy object",
            id="s5.4-policy-not-set",
        ),
        pytest.param(
            m.awaiting_module_ready("1.71.0"),
            "awaiting for module v1.71.0 to be ready",
            id="s5.4-await-ready",
        ),
        pytest.param(
            m.AWAITING_MODULE_READY, "awaiting for module to be ready", id="s5.4-await-ready-unknown"
        ),
        pytest.param(
            m.MR_NOTIFICATION_FAILED,
            "Release is blocked, failed to send release notification",
            id="s5.7-notify-failed",
        ),
        pytest.param(m.MR_VALIDATION_FAILED_PREFIX, "validation failed: ", id="s5.8-validation-failed"),
        pytest.param(
            m.MR_INITIAL_CONFIG_VALIDATION_PREFIX,
            "Initial module config validation failed:\n",
            id="s5.8-initial-validation",
        ),
        pytest.param(m.MR_ALREADY_DEPLOYED, "release is already deployed", id="s5.5-already-deployed"),
        pytest.param(
            m.waiting_for_approval(),
            "waiting for the 'modules.deckhouse.io/approved: \"true\"' annotation",
            id="s5.7-approval",
        ),
        pytest.param(
            (m.DELAY_IN_COOLDOWN, m.DELAY_POSTPONED, m.DELAY_BY_NOTIFICATION, m.DELAY_OUT_OF_WINDOW),
            ("in cooldown", "postponed", "postponed by notification", "waiting for the update window"),
            id="s5.7-delay-reasons",
        ),
        pytest.param(
            m.awaiting_release_deployed("1.2.0"),
            "awaiting for v1.2.0 release to be deployed",
            id="s5.5-await-previous",
        ),
        pytest.param(
            m.minor_version_greater("1.0.0"),
            "minor version is greater than deployed 1.0.0 by one",
            id="s5.5-minor-jump",
        ),
        pytest.param(
            m.major_version_greater("1.0.0"),
            "major version is greater than deployed 1.0.0",
            id="s5.5-major-jump",
        ),
        pytest.param(
            m.minor_version_greater_lts("1.0.0", 11),
            "minor version is greater than deployed 1.0.0 by 11, it's more than "
            "acceptable channel limitation",
            id="s5.5-lts-limit",
        ),
        pytest.param(
            [
                m.change_cause(c)
                for c in (m.CAUSE_NO_RELEASES, m.CAUSE_FROM_DEPLOYED, m.CAUSE_FROM_LAST_RELEASE)
            ],
            [
                "check release (no releases in cluster)",
                "check release (from deployed)",
                "check release (from last release in cluster)",
            ],
            id="s5.1-change-causes",
        ),
        pytest.param(
            [m.change_cause(c) for c in (m.CAUSE_STEP_BY_STEP, m.CAUSE_LTS)],
            ["check release (step-by-step)", "check release (LTS channel - direct release)"],
            id="s5.1-change-causes-stepping",
        ),
        pytest.param(
            (m.NO_MATCHED_TAGS, m.NO_ACCEPTABLE_TAGS),
            ("no matched tags in registry", "no acceptable for step by step update tags in registry"),
            id="s5.2-registry-errors",
        ),
        pytest.param(
            m.prerelease_not_supported("v1.0.0-rc.1"),
            "pre-release versions are not supported: v1.0.0-rc.1",
            id="s5.2-prerelease",
        ),
        pytest.param(
            m.not_sequential_version("1.5.2", "1.7.1"),
            "not sequential version: prev 'v1.5.2' next 'v1.7.1'",
            id="s5.2-not-sequential",
        ),
        pytest.param(
            (m.MPO_READY, m.MPO_EMBEDDED, m.MPO_DISABLED, m.MPO_MODULE_NOT_FOUND),
            ("Ready", "The module is embedded", "The module disabled", "The module not found"),
            id="s8-mpo-messages",
        ),
        pytest.param(
            (
                m.MPO_SOURCE_NOT_FOUND,
                m.MPO_NO_ACTIVE_SOURCE,
                m.MPO_DOWNLOAD_ERROR_PREFIX,
                m.MPO_VALIDATION_ERROR_PREFIX,
            ),
            (
                "The source not found",
                "The module does not have an active source",
                "Download error: ",
                "Validation error: ",
            ),
            id="s8-mpo-errors",
        ),
    ],
)
def test_message_matches_the_spec(actual, spec_text):
    assert actual == spec_text


def test_credentials_message_quotes_like_go():
    assert m.credentials_not_found('odd"repo') == '"odd\\"repo" credentials not found in the dockerCfg'
