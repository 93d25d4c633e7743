"""The install simulation: phases of an installed module over virtual time (dkp-behaviour §3.3).

ClusterSettings default durations: 5 s Downloading after the deploy, then 10 s Installing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness.api import kinds
from harness.dkp.controllers.installed import InstalledModule
from harness.dkp.controllers.lifecycle import LifecycleController


@pytest.fixture
def manager(controller_context, make_manager):
    controller = LifecycleController(controller_context)
    return make_manager([controller])


def add_module(kube, phase="Downloading", enabled="True", name="module-one"):
    kube.create(
        kinds.MODULE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "Module",
            "metadata": {"name": name},
            "properties": {"availableSources": ["example"], "source": "example"},
        },
    )
    module = kube.get(kinds.MODULE, name)
    module["status"] = {
        "phase": phase,
        "conditions": [
            {"type": "EnabledByModuleConfig", "status": enabled},
            {"type": "EnabledByModuleManager", "status": "False"},
            {"type": "IsReady", "status": "False", "reason": "Downloading", "message": "downloading"},
        ],
    }
    kube.update(kinds.MODULE, module, subresource="status")


def install(installed, clock, version="v0.7.24", **fields):
    defaults = {"hooks": ("hooks/moduleVersion.py",), "requirements": {"deckhouse": "> v1.63.0"}}
    installed.install(
        InstalledModule("module-one", version, "example", 910, clock.now(), **{**defaults, **fields})
    )


def state(kube):
    module = kube.get(kinds.MODULE, "module-one")
    conds = {c["type"]: c for c in module["status"]["conditions"]}
    return module, conds


def test_module_stays_downloading_until_the_download_time_has_passed(kube, clock, installed, manager):
    install(installed, clock)
    add_module(kube)
    manager.settle()
    manager.advance(timedelta(seconds=4, milliseconds=999))
    module, _ = state(kube)
    assert module["status"]["phase"] == "Downloading"
    assert "weight" not in module["properties"]


def test_download_done_means_installing_with_the_weight_shown(kube, clock, installed, manager):
    install(installed, clock)
    add_module(kube)
    manager.advance(timedelta(seconds=5))
    module, conds = state(kube)
    assert module["status"]["phase"] == "Installing"
    assert (conds["IsReady"]["reason"], conds["IsReady"]["message"]) == ("Installing", "installing")
    assert conds["EnabledByModuleManager"]["status"] == "False"
    assert module["properties"]["weight"] == 910


def test_install_done_means_ready_with_the_installed_properties(kube, clock, installed, manager):
    install(installed, clock)
    add_module(kube)
    manager.advance(timedelta(seconds=14))
    assert state(kube)[0]["status"]["phase"] == "Installing"
    manager.advance(timedelta(seconds=1))
    module, conds = state(kube)
    assert module["status"]["phase"] == "Ready"
    assert module["status"]["hooksState"] == "v0.7.24/hooks/moduleVersion.py: ok"
    assert {t: c["status"] for t, c in conds.items()} == {
        "EnabledByModuleConfig": "True",
        "EnabledByModuleManager": "True",
        "IsReady": "True",
        "IsOverridden": "False",
    }
    props = module["properties"]
    assert (props["version"], props["weight"], props["source"]) == ("v0.7.24", 910, "example")
    assert props["requirements"] == {"deckhouse": "> v1.63.0"}


def test_a_failing_hook_ends_in_error_with_its_message(kube, clock, installed, manager):
    hooks = ("hooks/a.py", "hooks/moduleVersion.py")
    install(installed, clock, hooks=hooks, hook_errors={"hooks/moduleVersion.py": "exit status 1: boom"})
    add_module(kube)
    manager.advance(timedelta(seconds=15))
    module, conds = state(kube)
    assert module["status"]["phase"] == "Error"
    assert (conds["IsReady"]["reason"], conds["IsReady"]["message"]) == ("HookError", "exit status 1: boom")
    assert conds["EnabledByModuleManager"]["status"] == "True"
    assert module["status"]["hooksState"] == (
        "v0.7.24/hooks/a.py: ok\nv0.7.24/hooks/moduleVersion.py: exit status 1: boom"
    )


def test_an_unreadable_image_ends_in_a_module_error(kube, clock, installed, manager):
    install(installed, clock, module_error="read image: unexpected EOF")
    add_module(kube)
    manager.advance(timedelta(seconds=15))
    module, conds = state(kube)
    assert module["status"]["phase"] == "Error"
    assert (conds["IsReady"]["reason"], conds["IsReady"]["message"]) == (
        "ModuleError",
        "read image: unexpected EOF",
    )


def test_an_update_of_a_running_module_reconciles_then_is_ready(kube, clock, installed, manager):
    install(installed, clock, version="v0.7.23")
    add_module(kube)
    manager.advance(timedelta(seconds=15))
    install(installed, clock, version="v0.7.24")
    kube.patch(kinds.MODULE, "module-one", {"properties": {"version": "v0.7.24"}})
    manager.advance(timedelta(seconds=5))
    module, conds = state(kube)
    assert (module["status"]["phase"], conds["IsReady"]["reason"]) == ("Reconciling", "Reconciling")
    manager.advance(timedelta(seconds=10))
    module, _ = state(kube)
    assert module["status"]["phase"] == "Ready"
    assert module["status"]["hooksState"] == "v0.7.24/hooks/moduleVersion.py: ok"


def test_switching_an_installed_module_off_makes_it_downloaded(kube, clock, installed, manager):
    install(installed, clock)
    add_module(kube)
    manager.advance(timedelta(seconds=15))
    module = kube.get(kinds.MODULE, "module-one")
    for c in module["status"]["conditions"]:
        if c["type"] == "EnabledByModuleConfig":
            c["status"] = "False"
    kube.update(kinds.MODULE, module, subresource="status")
    manager.settle()
    module, conds = state(kube)
    assert module["status"]["phase"] == "Downloaded"
    assert module["status"]["hooksState"] == ""
    for type_ in ("EnabledByModuleManager", "IsReady"):
        c = conds[type_]
        assert (c["status"], c["reason"], c["message"]) == (
            "False",
            "ModuleConfig",
            "turned off by module config",
        )


def test_a_module_not_yet_downloaded_is_left_to_the_other_controllers(kube, clock, manager):
    add_module(kube, phase="Available", enabled="False")
    manager.advance(timedelta(minutes=1))
    module, conds = state(kube)
    assert module["status"]["phase"] == "Available"
    assert set(conds) == {"EnabledByModuleConfig", "EnabledByModuleManager", "IsReady"}
