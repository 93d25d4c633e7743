"""The config controller (dkp-behaviour §4) over the real fake API server, driven by the manager.

Modules are created the way the source controller leaves them (properties.availableSources,
phase Available), so each test isolates one ModuleConfig rule and asserts the objects it leaves.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api import kinds
from harness.dkp.controllers.config import ConfigController
from harness.dkp.controllers.installed import InstalledModule
from harness.dkp.runtime.reconcile import Request
from harness.kube.errors import NotFound


@pytest.fixture
def manager(controller_context, make_manager):
    controller = ConfigController(controller_context)
    return make_manager([controller])


def add_module(kube, name="module-one", sources=("example",), phase="Available", **properties):
    kube.create(
        kinds.MODULE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "Module",
            "metadata": {"name": name},
            "properties": {"availableSources": list(sources), **properties},
        },
    )
    module = kube.get(kinds.MODULE, name)
    module["status"] = {
        "phase": phase,
        "conditions": [
            {"type": "EnabledByModuleManager", "status": "False"},
            {"type": "IsReady", "status": "False", "reason": "NotInstalled", "message": "not installed"},
        ],
    }
    return kube.update(kinds.MODULE, module, subresource="status")


def add_config(kube, name="module-one", **spec):
    return kube.create(
        kinds.MODULE_CONFIG,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleConfig",
            "metadata": {"name": name},
            "spec": spec,
        },
    )


def add_release(kube, version, phase, module="module-one"):
    name = f"{module}-v{version}"
    kube.create(
        kinds.MODULE_RELEASE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleRelease",
            "metadata": {"name": name, "labels": {"module": module, "source": "example"}},
            "spec": {"moduleName": module, "version": version},
        },
    )
    release = kube.get(kinds.MODULE_RELEASE, name)
    release["status"] = {"phase": phase, "message": ""}
    kube.update(kinds.MODULE_RELEASE, release, subresource="status")


def cond(obj, type_):
    return next((c for c in obj["status"]["conditions"] if c["type"] == type_), None)


def module(kube, name="module-one"):
    return kube.get(kinds.MODULE, name)


def test_unknown_module_is_ignored_and_looked_at_again_after_three_minutes(kube, clock, manager):
    add_config(kube, "nope", enabled=True)
    manager.settle()
    config = kube.get(kinds.MODULE_CONFIG, "nope")
    assert config["status"] == {"message": "Ignored: unknown module name", "version": "1"}
    assert "finalizers" not in config["metadata"]
    key = ("d8-module-config-controller", Request("nope"))
    assert manager.requeue_at(key) == clock.now() + timedelta(minutes=3)


def test_module_appearing_later_makes_the_config_known(kube, manager):
    add_config(kube, enabled=True)
    manager.settle()
    add_module(kube)
    manager.settle()
    config = kube.get(kinds.MODULE_CONFIG, "module-one")
    assert config["status"]["message"] == ""
    assert config["metadata"]["finalizers"] == [fin.MODULE_REGISTERED]


def test_enabling_with_one_available_source_selects_it_and_binds_the_policy(kube, manager):
    add_module(kube)
    add_config(kube, enabled=True, updatePolicy="manual-policy")
    manager.settle()
    found = module(kube)
    assert found["properties"]["source"] == "example"
    assert found["properties"]["updatePolicy"] == "manual-policy"
    assert cond(found, "EnabledByModuleConfig")["status"] == "True"
    assert kube.get(kinds.MODULE_CONFIG, "module-one")["status"] == {"version": "1", "message": ""}


def test_several_sources_without_a_choice_put_the_module_in_conflict(kube, manager):
    add_module(kube, sources=("one", "two"))
    add_config(kube, enabled=True)
    manager.settle()
    found = module(kube)
    assert found["status"]["phase"] == "Conflict"
    assert "source" not in found["properties"]
    assert cond(found, "EnabledByModuleManager")["status"] == "False"
    ready = cond(found, "IsReady")
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "False",
        "Conflict",
        "several available sources",
    )


def test_naming_the_source_resolves_the_conflict(kube, manager):
    add_module(kube, sources=("one", "two"))
    add_config(kube, enabled=True)
    manager.settle()
    kube.patch(kinds.MODULE_CONFIG, "module-one", {"spec": {"source": "two"}})
    manager.settle()
    assert module(kube)["properties"]["source"] == "two"


def test_spec_source_switches_the_source_and_takes_the_policy_along(kube, manager):
    add_module(kube, sources=("one", "two"), source="one", updatePolicy="old")
    add_config(kube, enabled=True, source="two", updatePolicy="new")
    manager.settle()
    props = module(kube)["properties"]
    assert (props["source"], props["updatePolicy"]) == ("two", "new")


def test_clearing_spec_update_policy_clears_the_module_property(kube, manager):
    add_module(kube)
    add_config(kube, enabled=True, updatePolicy="p")
    manager.settle()
    kube.patch(kinds.MODULE_CONFIG, "module-one", {"spec": {"updatePolicy": None}})
    manager.settle()
    assert "updatePolicy" not in module(kube)["properties"]


def test_an_enabled_module_with_nothing_to_choose_is_not_written(kube, manager):
    """Upstream case "embedded module" (config/testdata, golden at e9b778e3): a Module with no
    properties, no source to pick and no policy to bind keeps its resourceVersion, as processModule
    writes only a changed policy; an absent ``properties`` is not a change to ``{}``."""
    kube.create(
        kinds.MODULE,
        {"apiVersion": "deckhouse.io/v1alpha1", "kind": "Module", "metadata": {"name": "module-one"}},
    )
    seeded = module(kube)
    seeded["status"] = {"phase": "Ready", "conditions": [{"type": "EnabledByModuleConfig", "status": "True"}]}
    before = kube.update(kinds.MODULE, seeded, subresource="status")["metadata"]["resourceVersion"]
    add_config(kube, enabled=True)
    manager.settle()
    found = module(kube)
    assert found["metadata"]["resourceVersion"] == before
    assert "properties" not in found


def test_disabling_an_enabled_module_deletes_only_its_pending_releases(kube, manager):
    add_module(kube)
    add_config(kube, enabled=True)
    manager.settle()
    add_release(kube, "0.7.23", "Deployed")
    add_release(kube, "0.7.24", "Pending")
    add_release(kube, "1.0.0", "Pending", module="module-two")
    kube.patch(kinds.MODULE_CONFIG, "module-one", {"spec": {"enabled": False}})
    manager.settle()
    names = sorted(r["metadata"]["name"] for r in kube.list(kinds.MODULE_RELEASE))
    assert names == ["module-one-v0.7.23", "module-two-v1.0.0"]


def test_disabling_a_module_never_enabled_keeps_pending_releases(kube, manager):
    add_module(kube)
    add_release(kube, "0.7.24", "Pending")
    add_config(kube, enabled=False)
    manager.settle()
    assert [r["metadata"]["name"] for r in kube.list(kinds.MODULE_RELEASE)] == ["module-one-v0.7.24"]


def test_disabling_a_downloading_module_makes_it_available_again(kube, manager):
    add_module(kube, phase="Downloading")
    add_config(kube, enabled=False)
    manager.settle()
    found = module(kube)
    assert found["status"]["phase"] == "Available"
    ready = cond(found, "IsReady")
    assert (ready["reason"], ready["message"]) == ("NotInstalled", "not installed")
    assert cond(found, "EnabledByModuleConfig")["status"] == "False"
    assert cond(found, "LastReleaseDeployed")["status"] == "Unknown"


def test_disabling_a_ready_module_keeps_the_phase_and_marks_it_disabled(kube, manager):
    add_module(kube, phase="Ready")
    add_config(kube, enabled=True)
    manager.settle()
    kube.patch(
        kinds.MODULE_CONFIG,
        "module-one",
        {"spec": {"enabled": False}, "metadata": {"annotations": {ann.ALLOW_DISABLING: "true"}}},
    )
    manager.settle()
    found = module(kube)
    assert found["status"]["phase"] == "Ready"
    ready = cond(found, "IsReady")
    assert (ready["status"], ready["reason"], ready["message"]) == ("False", "Disabled", "disabled")
    assert ann.ALLOW_DISABLING not in kube.get(kinds.MODULE_CONFIG, "module-one")["metadata"].get(
        "annotations", {}
    )


def test_deleting_the_config_forgets_source_and_policy(kube, manager):
    add_module(kube)
    add_config(kube, enabled=True, updatePolicy="p")
    manager.settle()
    kube.delete(kinds.MODULE_CONFIG, "module-one")
    manager.settle()
    with pytest.raises(NotFound):
        kube.get(kinds.MODULE_CONFIG, "module-one")
    found = module(kube)
    assert "source" not in found["properties"] and "updatePolicy" not in found["properties"]
    assert cond(found, "EnabledByModuleConfig")["status"] == "Unknown"


def test_system_configs_are_left_alone(kube, manager):
    add_config(kube, "deckhouse", enabled=True, settings={"releaseChannel": "Stable"})
    add_config(kube, "global", settings={})
    manager.settle()
    for name in ("deckhouse", "global"):
        config = kube.get(kinds.MODULE_CONFIG, name)
        assert config["status"]["message"] == ""
        assert "finalizers" not in config["metadata"]


SCHEMA = {
    "type": "object",
    "x-config-version": 2,
    "additionalProperties": False,
    "properties": {"replicas": {"type": "integer"}, "mode": {"type": "string", "enum": ["a", "b"]}},
}


@pytest.fixture
def installed_with_schema(installed, clock):
    installed.install(
        InstalledModule("module-one", "v0.7.24", "example", 900, clock.now(), settings_schema=SCHEMA)
    )
    return installed


@pytest.mark.parametrize(
    ("spec", "status"),
    [
        (
            {"settings": {"replicas": "two"}, "version": 2},
            {"version": "", "message": 'Error: moduleOne.replicas in body must be of type integer: "string"'},
        ),
        (
            {"settings": {"colour": "red"}},
            {"version": "", "message": "Error: moduleOne.colour in body is a forbidden property"},
        ),
        (
            {"settings": {"mode": "c"}},
            {"version": "", "message": "Error: moduleOne.mode in body should be one of [a b]"},
        ),
        ({"settings": {"replicas": 2}}, {"version": "2", "message": ""}),
        (
            {"settings": {}, "version": 1},
            {"version": "1", "message": "Update available, latest spec.settings schema version is 2"},
        ),
        (
            {"settings": {}, "version": 3},
            {"version": "3", "message": "Error: invalid spec.version, use version 2"},
        ),
    ],
)
def test_settings_are_validated_against_the_installed_schema(
    kube, manager, installed_with_schema, spec, status
):
    add_module(kube)
    add_config(kube, enabled=True, **spec)
    manager.settle()
    assert kube.get(kinds.MODULE_CONFIG, "module-one")["status"] == status
