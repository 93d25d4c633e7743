"""The override controller against the fake API server and a real registry (dkp-behaviour §8).

Two kinds of setup, as DKP's own tests use. The message tests hand-build the Module in the state
each precondition is about (as upstream's golden files do) and run the override controller alone.
The lifecycle tests run the whole module manager (source, config, release, install simulation and
override controllers) on a module ``demo`` enabled by a ModuleConfig and deployed from its Stable
release v1.0.0, then apply a ModulePullOverride and watch what Deckhouse does with it.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from harness import eras
from harness.api import kinds
from harness.dkp.controllers.config import ConfigController
from harness.dkp.controllers.lifecycle import LifecycleController
from harness.dkp.controllers.override import FINALIZER, OverrideController
from harness.dkp.rules import conditions
from harness.kube.errors import NotFound

pytestmark = pytest.mark.registry

SCAN = timedelta(minutes=3)
STRICT_SCHEMA = {
    "type": "object",
    "properties": {"replicas": {"type": "integer"}},
    "additionalProperties": False,
}


@pytest.fixture
def override_controller(controller_context):
    return OverrideController(controller_context)


@pytest.fixture
def alone(make_manager, override_controller):
    """Only the override controller: the Module is whatever the test writes."""
    return make_manager([override_controller])


@pytest.fixture
def dkp(make_manager, source_controller, release_controller, override_controller, controller_context):
    """The whole simulated module manager."""
    return make_manager(
        [
            source_controller,
            release_controller,
            ConfigController(controller_context),
            LifecycleController(controller_context),
            override_controller,
        ]
    )


def apply_override(kube, name="demo", tag="v1.1.0", **spec):
    kube.create(
        kinds.MODULE_PULL_OVERRIDE,
        {
            "apiVersion": "deckhouse.io/v1alpha2",
            "kind": "ModulePullOverride",
            "metadata": {"name": name},
            "spec": {"imageTag": tag, **spec},
        },
    )


def override(kube, name="demo"):
    return kube.get(kinds.MODULE_PULL_OVERRIDE, name)


def mpo_message(kube, name="demo"):
    return (override(kube, name).get("status") or {}).get("message")


def hand_made_module(kube, clock, name="demo", *, source="example", enabled="True"):
    """A Module as the source and config controllers would leave it (``enabled``: condition status)."""
    module = kube.create(
        kinds.MODULE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "Module",
            "metadata": {"name": name},
            "properties": {"source": source} if source else {},
        },
    )
    conds = []
    if enabled is not None:
        conditions.set_condition(conds, "EnabledByModuleConfig", enabled, now=clock.now())
    module["status"] = {"phase": "Available", "conditions": conds}
    kube.update(kinds.MODULE, module, subresource="status")


def module_condition(kube, type_, name="demo"):
    found = conditions.find(kube.get(kinds.MODULE, name)["status"].get("conditions") or [], type_)
    return None if found is None else found["status"]


def enable_by_config(kube, name="demo", **settings):
    kube.create(
        kinds.MODULE_CONFIG,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleConfig",
            "metadata": {"name": name},
            "spec": {"enabled": True, "version": 1, "settings": settings},
        },
    )


@pytest.fixture
def demo_running(kube, dkp, publisher, source_manifest):
    """``demo`` v1.0.0 Ready from its Stable release; v1.1.0 is in the registry but on no channel."""
    publisher.publish("demo", "v1.0.0", channels=["Stable"], weight=910)
    digests = publisher.publish("demo", "v1.1.0", weight=920)
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    dkp.settle()
    enable_by_config(kube)
    dkp.advance(timedelta(seconds=30))
    assert kube.get(kinds.MODULE, "demo")["status"]["phase"] == "Ready"
    return digests["demo:v1.1.0"]


# -- one test per status message --------------------------------------------------------------------


def test_an_override_of_an_unknown_module_says_the_module_not_found_and_looks_again_in_a_minute(
    kube, clock, alone
):
    apply_override(kube)
    alone.settle()
    assert mpo_message(kube) == "The module not found"
    assert FINALIZER not in (override(kube)["metadata"].get("finalizers") or [])

    hand_made_module(kube, clock, enabled="False")
    alone.advance(timedelta(seconds=59))
    assert mpo_message(kube) == "The module not found"
    alone.advance(timedelta(seconds=1))
    assert mpo_message(kube) == "The module disabled"


def test_an_override_of_an_embedded_module_says_the_module_is_embedded(kube, clock, alone):
    hand_made_module(kube, clock, source="Embedded")
    apply_override(kube)
    alone.settle()
    assert mpo_message(kube) == "The module is embedded"
    assert module_condition(kube, "IsOverridden") is None


@pytest.mark.parametrize("enabled", ["False", "Unknown", None])
def test_an_override_of_a_module_not_enabled_by_its_config_says_the_module_disabled(
    kube, clock, alone, enabled
):
    hand_made_module(kube, clock, enabled=enabled)
    apply_override(kube)
    alone.settle()
    assert mpo_message(kube) == "The module disabled"
    assert module_condition(kube, "IsOverridden") is None


def test_an_override_of_a_module_without_an_active_source_says_so(kube, clock, alone):
    hand_made_module(kube, clock, source="")
    apply_override(kube)
    alone.settle()
    assert mpo_message(kube) == "The module does not have an active source"


def test_an_override_whose_source_is_gone_says_the_source_not_found(kube, clock, alone):
    hand_made_module(kube, clock, source="gone")
    apply_override(kube)
    alone.advance(timedelta(seconds=2))  # the finalizer goes on first, then the source is looked up
    mpo = override(kube)
    assert mpo["status"]["message"] == "The source not found"
    assert FINALIZER in mpo["metadata"]["finalizers"]
    assert module_condition(kube, "IsOverridden") == "True"


def test_an_override_of_a_missing_tag_reports_the_download_error(
    kube, clock, alone, publisher, source_manifest, installed
):
    publisher.publish("demo", "v1.0.0")
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    hand_made_module(kube, clock)
    apply_override(kube, tag="v9.9.9")
    alone.advance(timedelta(seconds=2))
    message = mpo_message(kube)
    assert message.startswith("Download error: ")
    assert "MANIFEST_UNKNOWN" in message and "v9.9.9" in message
    assert installed.get("demo") is None

    publisher.publish("demo", "v9.9.9")  # the next scan (15 s by default) finds it
    alone.advance(timedelta(seconds=15))
    assert mpo_message(kube) == "Ready"
    assert installed.get("demo").version == "v9.9.9"


def test_each_failed_look_stamps_updated_at_again(kube, clock, alone, publisher, source_manifest):
    """Upstream writes ``Download error: …`` (and ``Deploy error``, ``Validation error``) at every
    failed attempt, not only when the message changes, so ``status.updatedAt`` is the last
    attempt's time (``override/controller.go`` at 6e01cad3; golden
    ``overrides/renew-deploy-fails`` at 3da5e173: five looks, five status writes). Messages of a
    module not ready for an override are written only when they change (the other goldens: one
    write in five looks)."""
    publisher.publish("demo", "v1.0.0")
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    hand_made_module(kube, clock)
    apply_override(kube, tag="v9.9.9")
    alone.advance(timedelta(seconds=2))
    first = override(kube)["status"]["updatedAt"]

    alone.advance(timedelta(seconds=15))
    status = override(kube)["status"]
    assert status["message"].startswith("Download error: ")
    assert status["updatedAt"] > first


def test_an_override_whose_image_rejects_the_module_settings_reports_the_validation_error(
    kube, clock, alone, publisher, source_manifest, installed, controller_context
):
    publisher.publish("demo", "v1.1.0", settings_schema=STRICT_SCHEMA)
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    hand_made_module(kube, clock)
    enable_by_config(kube, replicas="three")
    apply_override(kube)
    alone.advance(timedelta(seconds=2))
    message = mpo_message(kube)
    assert message.startswith("Validation error: ")
    assert "replicas" in message and "integer" in message
    assert installed.get("demo") is None
    # upstream also returns the error: controller-runtime logs it and retries with backoff
    errors = [line for line in controller_context.log.lines() if "Reconciler error" in line]
    assert errors and "validation error: " in errors[-1]


def test_an_image_whose_download_fails_after_its_digest_was_read_writes_no_message(
    kube, clock, alone, publisher, source_manifest, installed, controller_context
):
    """Upstream writes ``Download error`` only when the digest cannot be read; a failed download
    (``deployModule``) is the reconcile's error: logged, retried with backoff, no status write."""
    publisher.publish("demo", "v1.1.0")
    publisher.corrupt_blob("demo", "v1.1.0")
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    hand_made_module(kube, clock)
    apply_override(kube)
    alone.advance(timedelta(seconds=2))
    assert mpo_message(kube) is None
    assert installed.get("demo") is None
    errors = [line for line in controller_context.log.lines() if "Reconciler error" in line]
    assert errors and "download the module 'demo': " in errors[-1]


def test_an_override_whose_recorded_digest_matches_the_tag_is_ready_without_a_download(
    kube, clock, alone, publisher, source_manifest, installed
):
    """Upstream ``handleModuleOverride`` compares the tag's digest with ``status.imageDigest`` and
    nothing else: equal means ``Ready`` and no download (case "up-to-date module", golden
    ``overrides/up-to-date``), even when this Deckhouse never installed the image itself."""
    digests = publisher.publish("demo", "v1.1.0")
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    hand_made_module(kube, clock)
    apply_override(kube)
    mpo = override(kube)
    mpo["metadata"]["finalizers"] = [FINALIZER]
    mpo = kube.update(kinds.MODULE_PULL_OVERRIDE, mpo)
    mpo["status"] = {"message": "Ready", "imageDigest": digests["demo:v1.1.0"]}
    kube.update(kinds.MODULE_PULL_OVERRIDE, mpo, subresource="status")
    alone.advance(timedelta(seconds=2))
    assert mpo_message(kube) == "Ready"
    assert override(kube)["status"]["imageDigest"] == digests["demo:v1.1.0"]
    assert module_condition(kube, "IsOverridden") == "True"
    assert installed.get("demo") is None


@pytest.mark.parametrize("enabled", ["Unknown", None])
def test_from_v1_75_a_module_its_bundle_enables_can_be_overridden_without_a_config(
    kube, clock, make_manager, controller_context, publisher, source_manifest, installed, enabled
):
    settings = dataclasses.replace(controller_context.settings, behaviours=eras.behaviours_for("v1.75.0"))
    controller = OverrideController(dataclasses.replace(controller_context, settings=settings))
    publisher.publish("demo", "v1.1.0")
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    hand_made_module(kube, clock, enabled=enabled)
    bundled = {"editions": {"_default": {"available": True, "enabledInBundles": [settings.bundle]}}}
    kube.patch(kinds.MODULE, "demo", {"properties": {"accessibility": bundled}})
    apply_override(kube)
    make_manager([controller]).advance(timedelta(seconds=2))
    assert mpo_message(kube) == "Ready"
    assert installed.get("demo").version == "v1.1.0"


@pytest.mark.parametrize("version", ["v1.75.0", "latest"])
def test_from_v1_75_a_deploy_writes_no_weight_to_the_status(
    kube, clock, make_manager, controller_context, publisher, source_manifest, version
):
    """The override controller that mounts the documentation at ``/modules/<module>`` (upstream
    ``override/controller.go`` at 6e01cad3) writes message and digest only; the one before it (the
    ``/<module>/dev`` path) also wrote ``status.weight``. Golden ``overrides/renew-forces-redeploy``
    (4af5c423): the redeployed override's status has no weight."""
    settings = dataclasses.replace(controller_context.settings, behaviours=eras.behaviours_for(version))
    controller = OverrideController(dataclasses.replace(controller_context, settings=settings))
    publisher.publish("demo", "v1.1.0", weight=920)
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    hand_made_module(kube, clock)
    apply_override(kube)
    make_manager([controller]).advance(timedelta(seconds=2))

    status = override(kube)["status"]
    assert status["message"] == "Ready"
    assert status["imageDigest"].startswith("sha256:")
    assert "weight" not in status


# -- the override in a running cluster --------------------------------------------------------------


def test_an_override_runs_the_tag_and_reports_ready(kube, dkp, demo_running, installed):
    apply_override(kube)
    dkp.advance(timedelta(seconds=2))

    mpo = override(kube)
    assert mpo["status"]["message"] == "Ready"
    assert mpo["status"]["imageDigest"] == demo_running
    assert mpo["status"]["weight"] == 920
    assert mpo["status"]["updatedAt"] == "2024-12-16T09:00:31Z"
    assert FINALIZER in mpo["metadata"]["finalizers"]
    record = installed.get("demo")
    assert (record.version, record.weight, record.source) == ("v1.1.0", 920, "example")
    module = kube.get(kinds.MODULE, "demo")
    assert module_condition(kube, "IsOverridden") == "True"
    assert module["properties"]["version"] == "v1.1.0"

    dkp.advance(timedelta(seconds=5))  # the restart: the new image's hooks run
    assert kube.get(kinds.MODULE, "demo")["status"]["phase"] == "Reconciling"
    dkp.advance(timedelta(seconds=10))
    module = kube.get(kinds.MODULE, "demo")
    assert module["status"]["phase"] == "Ready"
    assert module["status"]["hooksState"].startswith("v1.1.0/")


def test_the_renew_annotation_is_removed_after_a_deploy_whatever_its_value(kube, dkp, demo_running):
    apply_override(kube)
    kube.patch(
        kinds.MODULE_PULL_OVERRIDE, "demo", {"metadata": {"annotations": {"modules.deckhouse.io/renew": "1"}}}
    )
    dkp.advance(timedelta(seconds=2))
    mpo = override(kube)
    assert mpo["status"]["message"] == "Ready"
    assert "modules.deckhouse.io/renew" not in (mpo["metadata"].get("annotations") or {})


def test_a_re_pushed_tag_is_installed_at_the_next_scan(kube, dkp, demo_running, publisher, installed):
    apply_override(kube, scanInterval="30s")
    dkp.advance(timedelta(seconds=20))
    first = override(kube)["status"]

    digest = publisher.mark_hook_failing("demo", "v1.1.0", "boom")
    dkp.advance(timedelta(seconds=10))
    assert override(kube)["status"]["imageDigest"] == first["imageDigest"]  # not yet: 30 s interval
    dkp.advance(timedelta(seconds=20))

    status = override(kube)["status"]
    assert status["imageDigest"] == digest != first["imageDigest"]
    assert status["updatedAt"] != first["updatedAt"]
    dkp.advance(timedelta(seconds=20))
    module = kube.get(kinds.MODULE, "demo")
    assert module["status"]["phase"] == "Error"
    assert installed.get("demo").hook_errors == {"hooks/failing-hook.py": "boom"}


def test_while_overridden_the_source_marks_the_module_and_creates_no_release(
    kube, dkp, demo_running, publisher, installed
):
    apply_override(kube)
    publisher.move_channel("demo", "Stable", "v1.1.0")
    dkp.advance(SCAN)

    entries = kube.get(kinds.MODULE_SOURCE, "example")["status"]["modules"]
    (entry,) = [e for e in entries if e["name"] == "demo"]
    assert entry["overridden"] is True
    assert entry["version"] == "v1.0.0"  # the channel is not read while overridden
    assert "pullError" not in entry
    names = sorted(r["metadata"]["name"] for r in kube.list(kinds.MODULE_RELEASE))
    assert names == ["demo-v1.0.0"]
    assert installed.get("demo").version == "v1.1.0"


def test_while_overridden_a_pending_release_is_left_alone(kube, dkp, demo_running, installed):
    apply_override(kube)
    dkp.advance(timedelta(seconds=2))
    kube.create(
        kinds.MODULE_RELEASE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleRelease",
            "metadata": {"name": "demo-v1.0.1", "labels": {"module": "demo", "source": "example"}},
            "spec": {"moduleName": "demo", "version": "1.0.1"},
        },
    )
    dkp.advance(timedelta(minutes=1))

    release = kube.get(kinds.MODULE_RELEASE, "demo-v1.0.1")
    assert (release["status"]["phase"], release["status"]["message"]) == ("Pending", "")
    assert installed.get("demo").version == "v1.1.0"


def test_deleting_the_override_clears_is_overridden_and_brings_back_the_release_version(
    kube, dkp, demo_running, installed
):
    apply_override(kube)
    dkp.advance(timedelta(seconds=20))
    assert installed.get("demo").version == "v1.1.0"

    kube.delete(kinds.MODULE_PULL_OVERRIDE, "demo")
    dkp.settle()

    with pytest.raises(NotFound):
        override(kube)
    assert module_condition(kube, "IsOverridden") == "False"
    assert installed.get("demo").version == "v1.0.0"
    dkp.advance(timedelta(seconds=20))
    module = kube.get(kinds.MODULE, "demo")
    assert (module["properties"]["version"], module["properties"]["weight"]) == ("v1.0.0", 910)
    assert module["status"]["phase"] == "Ready"


def test_deleting_a_rollback_override_of_a_never_released_module_uninstalls_the_dev_image(
    kube, clock, alone, publisher, source_manifest, installed
):
    publisher.publish("demo", "v1.1.0")
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    hand_made_module(kube, clock)
    apply_override(kube, rollback=True)
    alone.advance(timedelta(seconds=2))
    assert installed.get("demo").version == "v1.1.0"

    kube.delete(kinds.MODULE_PULL_OVERRIDE, "demo")
    alone.settle()
    assert installed.get("demo") is None
    assert module_condition(kube, "IsOverridden") == "False"
