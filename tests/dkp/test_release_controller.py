"""The release controller against the fake API server and a real registry (dkp-behaviour §5.3-§5.10, §6).

Each test starts from a module ``demo`` deployed at v1.0.0 from the source ``example`` (its first
release, which installs at once), with the Module marked Ready the way the install simulation
would. New versions are then published to the registry and reach the cluster through the source
controller's next scan, or ModuleReleases are created directly where a test needs a shape the
registry cannot produce (as DKP's own golden tests do).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api import kinds
from harness.dkp.rules import conditions
from harness.kube.errors import NotFound

pytestmark = pytest.mark.registry

SCAN = timedelta(minutes=3)
APPROVAL = "Release is waiting for the 'modules.deckhouse.io/approved: \"true\"' annotation"


def deckhouse_settings(kube, **settings):
    kube.create(
        kinds.MODULE_CONFIG,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleConfig",
            "metadata": {"name": "deckhouse"},
            "spec": {"version": 1, "settings": settings},
        },
    )


def enable(kube, clock, module, source="example"):
    obj = kube.get(kinds.MODULE, module)
    obj["properties"]["source"] = source
    obj = kube.update(kinds.MODULE, obj)
    conditions.set_true(obj["status"]["conditions"], "EnabledByModuleConfig", now=clock.now())
    kube.update(kinds.MODULE, obj, subresource="status")


def set_phase(kube, module, phase):
    obj = kube.get(kinds.MODULE, module)
    obj["status"]["phase"] = phase
    kube.update(kinds.MODULE, obj, subresource="status")


def release(kube, name):
    return kube.get(kinds.MODULE_RELEASE, name)


def phase(kube, name):
    return release(kube, name)["status"]["phase"]


def message(kube, name):
    return release(kube, name)["status"].get("message", "")


def annotate(kube, name, **annotations):
    kube.patch(kinds.MODULE_RELEASE, name, {"metadata": {"annotations": annotations}})


def make_release(kube, version, *, phase_=None, labels=None, **spec):
    name = f"demo-v{version}"
    meta_labels = {"module": "demo", "source": "example", **(labels or {})}
    kube.create(
        kinds.MODULE_RELEASE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleRelease",
            "metadata": {"name": name, "labels": meta_labels},
            "spec": {"moduleName": "demo", "version": version, **spec},
        },
    )
    if phase_:
        kube.patch(kinds.MODULE_RELEASE, name, {"status": {"phase": phase_}}, subresource="status")
    return name


def module_condition(kube, type_):
    return conditions.find(kube.get(kinds.MODULE, "demo")["status"]["conditions"], type_)


@pytest.fixture
def deployed(kube, manager, clock, source_manifest, publisher):
    """``demo`` v1.0.0 deployed from ``example`` and Ready; returns a function to publish more."""

    def setup(**settings):
        if settings:
            deckhouse_settings(kube, **settings)
        publisher.publish("demo", "v1.0.0", channels=["Stable"])
        kube.create(kinds.MODULE_SOURCE, source_manifest())
        manager.settle()
        enable(kube, clock, "demo")
        manager.settle()
        set_phase(kube, "demo", "Ready")
        manager.settle()

    return setup


def test_the_first_release_installs_at_once_even_in_manual_mode(kube, deployed, installed):
    deployed(update={"mode": "Manual"})

    first = release(kube, "demo-v1.0.0")
    assert first["status"]["phase"] == "Deployed"
    assert first["status"]["message"] == ""
    assert first["status"]["transitionTime"] == "2024-12-16T09:00:00Z"
    assert first["metadata"]["labels"]["status"] == "deployed"
    assert fin.EXIST_ON_FS in first["metadata"]["finalizers"]
    assert ann.APPLY_NOW not in first["metadata"]["annotations"]
    record = installed.get("demo")
    assert (record.version, record.source, record.weight) == ("v1.0.0", "example", 900)
    # Version and weight appear on the Module only once the module manager loads it (Installing).
    props = kube.get(kinds.MODULE, "demo")["properties"]
    assert "version" not in props and "weight" not in props
    assert module_condition(kube, "LastReleaseDeployed")["status"] == "True"


def test_is_updating_turns_false_once_the_module_is_ready(kube, manager, deployed):
    deployed()
    assert release(kube, "demo-v1.0.0")["metadata"]["annotations"][ann.IS_UPDATING] == "true"
    manager.advance(timedelta(seconds=15))  # the next 15 s check sees the Module Ready

    assert release(kube, "demo-v1.0.0")["metadata"]["annotations"][ann.IS_UPDATING] == "false"


def test_manual_mode_waits_for_the_modules_approval_annotation(kube, manager, publisher, deployed, installed):
    deployed(update={"mode": "Manual"})
    publisher.publish("demo", "v1.1.0", channels=["Stable"])
    manager.advance(SCAN)

    assert phase(kube, "demo-v1.1.0") == "Pending"
    assert message(kube, "demo-v1.1.0") == APPROVAL
    assert release(kube, "demo-v1.1.0")["status"]["approved"] is False
    condition = module_condition(kube, "LastReleaseDeployed")
    assert (condition["status"], condition["reason"]) == ("False", "ReleaseDeployTimeCheck")
    assert condition["message"] == (
        "ModuleRelease could not be applied, release postponed: see details in the module release v1.1.0"
    )

    annotate(kube, "demo-v1.1.0", **{"release.deckhouse.io/approved": "true"})
    manager.advance(timedelta(minutes=1))
    assert phase(kube, "demo-v1.1.0") == "Pending"  # the page's key is not the controller's

    annotate(kube, "demo-v1.1.0", **{"modules.deckhouse.io/approved": "True"})  # Go ParseBool
    manager.settle()
    assert phase(kube, "demo-v1.1.0") == "Deployed"
    old = release(kube, "demo-v1.0.0")
    assert (old["status"]["phase"], old["status"]["message"]) == ("Superseded", "")
    assert old["status"]["transitionTime"] == "2024-12-16T09:04:00Z"
    assert old["metadata"]["labels"]["status"] == "superseded"
    assert installed.get("demo").version == "v1.1.0"


def test_auto_patch_deploys_patches_and_holds_minors_for_approval(kube, manager, publisher, deployed):
    deployed(update={"mode": "AutoPatch"})
    publisher.publish("demo", "v1.0.1", channels=["Stable"])
    manager.advance(SCAN)
    assert phase(kube, "demo-v1.0.1") == "Deployed"

    set_phase(kube, "demo", "Ready")
    publisher.publish("demo", "v1.1.0", channels=["Stable"])
    manager.advance(SCAN)
    assert phase(kube, "demo-v1.1.0") == "Pending"
    assert message(kube, "demo-v1.1.0") == APPROVAL


def test_auto_mode_deploys_only_strictly_inside_the_window(kube, manager, publisher, deployed):
    window = {"from": "13:30", "to": "14:00", "days": ["Mon", "Wed"]}
    deployed(update={"mode": "Auto", "windows": [window]})
    publisher.publish("demo", "v1.1.0", channels=["Stable"])
    manager.advance(SCAN)  # Monday 09:03

    assert phase(kube, "demo-v1.1.0") == "Pending"
    # §6.3: a later window today is not reported; the search starts tomorrow (Wednesday).
    assert (
        message(kube, "demo-v1.1.0") == "Release is waiting for the update window until 18 Dec 24 13:30 UTC"
    )

    manager.set_time(datetime(2024, 12, 16, 13, 30, tzinfo=UTC))
    assert phase(kube, "demo-v1.1.0") == "Pending"
    manager.advance(timedelta(seconds=15))
    assert phase(kube, "demo-v1.1.0") == "Deployed"


def test_unmet_deckhouse_requirement_keeps_the_release_pending(kube, manager, deployed, settings):
    deployed()
    name = make_release(kube, "1.1.0", requirements={"deckhouse": "> v1.70.0"})
    manager.settle()

    assert phase(kube, name) == "Pending"
    assert message(kube, name) == (
        "requirements are not satisfied: current deckhouse version is not suitable: "
        "1.67.0 is less than or equal to v1.70.0"
    )
    assert module_condition(kube, "LastReleaseDeployed")["reason"] == "ReleaseRequirementsCheck"


def test_a_minor_release_waits_for_the_module_to_be_ready(kube, manager, deployed):
    deployed()
    set_phase(kube, "demo", "Installing")
    name = make_release(kube, "1.1.0")
    manager.settle()

    assert message(kube, name) == "awaiting for module v1.0.0 to be ready"
    assert module_condition(kube, "LastReleaseDeployed")["reason"] == "ReleaseDeployedIsNotReady"


def test_only_the_three_newest_outdated_releases_are_kept(kube, manager, deployed):
    deployed()
    for version in ("0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.5.0"):
        make_release(kube, version, phase_="Superseded")
    annotate(kube, "demo-v1.0.0", touch="1")
    manager.settle()

    left = sorted(
        r["metadata"]["name"] for r in kube.list(kinds.MODULE_RELEASE, label_selector="module=demo")
    )
    assert left == ["demo-v0.3.0", "demo-v0.4.0", "demo-v0.5.0", "demo-v1.0.0"]


def test_force_deploys_past_the_approval_wait(kube, manager, publisher, deployed):
    deployed(update={"mode": "Manual"})
    publisher.publish("demo", "v1.1.0", channels=["Stable"])
    manager.advance(SCAN)
    assert message(kube, "demo-v1.1.0") == APPROVAL

    annotate(kube, "demo-v1.1.0", **{"modules.deckhouse.io/force": "true"})
    manager.settle()

    forced = release(kube, "demo-v1.1.0")
    assert forced["status"]["phase"] == "Deployed"
    assert "modules.deckhouse.io/force" not in forced["metadata"]["annotations"]


def test_a_release_labelled_with_a_missing_policy_is_stuck(kube, manager, deployed):
    deployed()
    name = make_release(kube, "1.1.0", labels={"modules.deckhouse.io/update-policy": "ghost"})
    manager.settle()

    assert phase(kube, name) == "Pending"
    assert message(kube, name) == "Update policy ghost not found"


def test_an_ignore_policy_from_v1alpha1_blocks_the_release(kube, manager, deployed):
    deployed()
    v1alpha1 = kube.resolve("deckhouse.io/v1alpha1", "ModuleUpdatePolicy")
    kube.create(
        v1alpha1,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleUpdatePolicy",
            "metadata": {"name": "frozen"},
            "spec": {
                "moduleReleaseSelector": {"labelSelector": {"matchLabels": {"module": "demo"}}},
                "update": {"mode": "Ignore"},
            },
        },
    )
    name = make_release(kube, "1.1.0", labels={"modules.deckhouse.io/update-policy": "frozen"})
    manager.advance(timedelta(minutes=5))

    assert phase(kube, name) == "Pending"
    assert message(kube, name) == "Update disabled by 'Ignore' update policy"


def test_a_release_without_policy_label_gets_the_resolved_one(kube, manager, publisher, deployed):
    deployed()
    publisher.publish("demo", "v1.0.1")
    name = make_release(kube, "1.0.1")
    manager.settle()

    labelled = release(kube, name)
    assert labelled["metadata"]["labels"]["modules.deckhouse.io/update-policy"] == ""
    assert labelled["status"]["phase"] == "Deployed"


def test_from_to_constraints_jump_straight_to_the_endpoint(kube, manager, publisher, deployed):
    deployed()
    publisher.publish("demo", "v1.3.0")
    make_release(kube, "1.1.0")
    make_release(kube, "1.2.0")
    make_release(kube, "1.3.0", update={"versions": [{"from": "1.0", "to": "1.3"}]})
    manager.settle()

    assert phase(kube, "demo-v1.3.0") == "Deployed"
    # §5.5 rule 4: intermediates are not skipped directly; rule 3 skips them at their next check.
    assert phase(kube, "demo-v1.1.0") == "Pending"
    manager.advance(timedelta(seconds=15))
    assert phase(kube, "demo-v1.1.0") == "Skipped"
    assert phase(kube, "demo-v1.2.0") == "Skipped"
    assert release(kube, "demo-v1.1.0")["metadata"]["labels"]["status"] == "skipped"


def test_a_lower_patch_is_skipped_for_the_higher_one(kube, manager, publisher, deployed):
    deployed()
    publisher.publish("demo", "v1.0.2")
    make_release(kube, "1.0.1")
    make_release(kube, "1.0.2")
    manager.settle()

    assert phase(kube, "demo-v1.0.1") == "Skipped"
    assert phase(kube, "demo-v1.0.2") == "Deployed"


def test_a_version_missing_from_the_registry_stays_pending_and_the_reconcile_error_is_logged(
    kube, manager, deployed, registry, dkp_log
):
    """Upstream ``deployModule`` returns the download error to ``Reconcile``: no status is
    written, controller-runtime logs it and retries with backoff."""
    deployed()
    name = make_release(kube, "1.0.5")
    manager.settle()

    assert phase(kube, name) == "Pending"
    assert message(kube, name) == ""
    errors = [json.loads(line) for line in dkp_log.lines() if "Reconciler error" in line]
    assert errors, dkp_log.lines()[-5:]
    assert errors[-1]["error"] == (
        "run release deploy: deploy module: download the 'demo' module: "
        f"GET http://{registry.address}/v2/{registry.repo_path}/demo/manifests/v1.0.5: "
        "MANIFEST_UNKNOWN: manifest unknown; map[Tag:v1.0.5]"
    )
    assert errors[-1]["retryAfter"] == "1s"


def test_a_deployed_release_asked_to_reinstall_stays_deployed_when_the_download_fails(
    kube, manager, deployed, publisher, dkp_log
):
    deployed()
    publisher.remove_tag("demo", "v1.0.0")
    kube.patch(kinds.MODULE_RELEASE, "demo-v1.0.0", {"metadata": {"annotations": {ann.REINSTALL: "true"}}})
    manager.settle()

    assert phase(kube, "demo-v1.0.0") == "Deployed"
    assert message(kube, "demo-v1.0.0") == ""
    assert any("download the 'demo' module" in line for line in dkp_log.lines() if "Reconciler error" in line)


def test_the_source_of_a_release_is_its_owner_before_its_label(kube, manager, publisher, deployed):
    """Upstream ``ModuleRelease.GetModuleSource``: a release owned by a ModuleSource but without
    a ``source`` label still installs from it."""
    deployed()
    publisher.publish("demo", "v1.0.1")
    source = kube.get(kinds.MODULE_SOURCE, "example")
    kube.create(
        kinds.MODULE_RELEASE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleRelease",
            "metadata": {
                "name": "demo-v1.0.1",
                "labels": {"module": "demo"},
                "ownerReferences": [
                    {
                        "apiVersion": "deckhouse.io/v1alpha1",
                        "kind": "ModuleSource",
                        "name": "example",
                        "uid": source["metadata"]["uid"],
                        "controller": True,
                    }
                ],
            },
            "spec": {"moduleName": "demo", "version": "1.0.1"},
        },
    )
    manager.settle()

    assert phase(kube, "demo-v1.0.1") == "Deployed"
    assert phase(kube, "demo-v1.0.0") == "Superseded"


def test_invalid_settings_suspend_the_release(kube, manager, publisher, deployed):
    deployed()
    schema = {"type": "object", "properties": {"replicas": {"type": "integer"}}}
    publisher.publish("demo", "v1.0.1", settings_schema=schema)
    kube.create(
        kinds.MODULE_CONFIG,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleConfig",
            "metadata": {"name": "demo"},
            "spec": {"enabled": True, "version": 1, "settings": {"replicas": "many"}},
        },
    )
    name = make_release(kube, "1.0.1")
    manager.settle()

    assert phase(kube, name) == "Suspended"
    assert message(kube, name).startswith("validation failed: ")


def test_deleting_the_deployed_release_uninstalls_the_module(kube, manager, deployed, installed):
    deployed()
    kube.delete(kinds.MODULE_RELEASE, "demo-v1.0.0")
    manager.settle()

    with pytest.raises(NotFound):
        release(kube, "demo-v1.0.0")
    assert installed.get("demo") is None


def test_a_missing_required_setting_keeps_the_release_pending(kube, manager, publisher, deployed):
    deployed()
    schema = {"type": "object", "required": ["replicas"], "properties": {"replicas": {"type": "integer"}}}
    publisher.publish("demo", "v1.0.1", settings_schema=schema)
    name = make_release(kube, "1.0.1")
    manager.settle()

    assert phase(kube, name) == "Pending"
    assert message(kube, name).startswith("Initial module config validation failed:\n")
    assert "is required" in message(kube, name)
    assert module_condition(kube, "LastReleaseDeployed")["reason"] == "ReleaseConfigValidationCheck"


def test_a_release_waits_for_the_pending_one_below_it(kube, manager, deployed):
    deployed(update={"mode": "Manual"})
    make_release(kube, "1.1.0")
    name = make_release(kube, "1.2.0")
    manager.settle()

    assert message(kube, "demo-v1.1.0") == APPROVAL
    assert message(kube, name) == "awaiting for v1.1.0 release to be deployed"


def test_an_unusable_embedded_policy_reports_policy_not_set(kube, manager, deployed):
    deployed()
    kube.create(
        kinds.MODULE_CONFIG,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleConfig",
            "metadata": {"name": "deckhouse"},
            "spec": {"version": 1, "settings": {"update": {"mode": "Sometimes"}}},
        },
    )
    name = make_release(kube, "1.1.0")
    manager.settle()

    assert message(kube, name) == "Update policy not set. Create a suitable ModuleUpdatePolicy object"
