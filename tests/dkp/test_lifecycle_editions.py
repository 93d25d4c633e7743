"""Edition availability and bundle enabling in the install simulation, for both eras.

From Deckhouse v1.75 (docs/dkp-eras.md, "enabled-by-bundle and edition-availability") the module
manager judges ``properties.accessibility``: unavailable in the edition → ``Unavailable`` and
never run, even with a ModuleConfig; enabled by the bundle → runs without a ModuleConfig. The
page's era (v1.67) ignores accessibility. Each row runs in both eras with the expected outcome
of each.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from harness import eras
from harness.api import kinds
from harness.dkp.controllers.installed import InstalledModule
from harness.dkp.controllers.lifecycle import LifecycleController
from harness.dkp.rules.accessibility import Verdict, is_available, is_enabled, verdict
from harness.dkp.runtime.settings import ClusterSettings

BUNDLED = {"editions": {"ee": {"available": True, "enabledInBundles": ["Default"]}}}
EE_ONLY = {"editions": {"_default": {"available": False}, "ee": {"available": True, "enabledInBundles": []}}}
OLD, NEW = str(eras.DEFAULT_VERSION), str(eras.LATEST)


@pytest.fixture(params=[OLD, NEW])
def era(request) -> str:
    return request.param


@pytest.fixture
def settings(era) -> ClusterSettings:
    return ClusterSettings(deckhouse_version=era, behaviours=eras.behaviours_for(era))


def start(controller_context, make_manager, edition: str):
    context = replace(controller_context, settings=replace(controller_context.settings, edition=edition))
    return make_manager([LifecycleController(context)])


def add_module(kube, accessibility, *, by_config: str | None) -> None:
    kube.create(
        kinds.MODULE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "Module",
            "metadata": {"name": "echo"},
            "properties": {"source": "example", "accessibility": accessibility},
        },
    )
    module = kube.get(kinds.MODULE, "echo")
    conditions = [{"type": "EnabledByModuleConfig", "status": by_config}] if by_config else []
    module["status"] = {"phase": "Downloading", "conditions": conditions}
    kube.update(kinds.MODULE, module, subresource="status")


def conditions(kube) -> tuple[str, dict[str, dict[str, str]]]:
    module = kube.get(kinds.MODULE, "echo")
    return module["status"]["phase"], {c["type"]: c for c in module["status"]["conditions"]}


@pytest.mark.parametrize(
    ("accessibility", "edition", "by_config", "phase_then"),
    [
        (EE_ONLY, "ce", "True", {OLD: "Ready", NEW: "Unavailable"}),
        (EE_ONLY, "ee", "True", {OLD: "Ready", NEW: "Ready"}),
        (BUNDLED, "ee", None, {OLD: "Downloading", NEW: "Ready"}),
        (BUNDLED, "ee", "True", {OLD: "Ready", NEW: "Ready"}),
        (EE_ONLY, "ee", None, {OLD: "Downloading", NEW: "Downloading"}),
    ],
    ids=[
        "unavailable-with-config",
        "available-with-config",
        "bundled-no-config",
        "bundled-with-config",
        "unbundled-no-config",
    ],
)
def test_what_the_module_manager_runs(
    era,
    kube,
    clock,
    installed,
    controller_context,
    make_manager,
    accessibility,
    edition,
    by_config,
    phase_then,
):
    manager = start(controller_context, make_manager, edition)
    installed.install(InstalledModule("echo", "v1.0.0", "example", 900, clock.now()))
    add_module(kube, accessibility, by_config=by_config)
    manager.advance(timedelta(seconds=20))
    phase, conds = conditions(kube)
    assert phase == phase_then[era]
    if phase == "Unavailable":
        for type_ in ("EnabledByModuleManager", "IsReady"):
            assert conds[type_]["status"] == "False"
            assert conds[type_]["reason"] == "EditionAvailableExtender"
            assert conds[type_]["message"] == "unavailable in 'ce' edition"
    if phase == "Ready":
        assert conds["EnabledByModuleManager"]["status"] == "True"


@pytest.mark.parametrize(
    ("accessibility", "edition", "bundle", "expected"),
    [
        (None, "ce", "Default", Verdict.NOT_JUDGED),
        ({}, "ce", "Default", Verdict.NOT_JUDGED),
        (BUNDLED, "ee", "Default", Verdict.ENABLED),
        (BUNDLED, "ee", "Minimal", Verdict.NOT_IN_BUNDLE),
        (BUNDLED, "ce", "Default", Verdict.UNAVAILABLE),  # no ce entry and no _default
        (EE_ONLY, "ce", "Default", Verdict.UNAVAILABLE),
        (EE_ONLY, "ee", "Default", Verdict.NOT_IN_BUNDLE),
        (
            {
                "editions": {
                    "_default": {"available": True, "enabledInBundles": ["Default"]},
                    "ce": {"available": True},
                }
            },
            "ce",
            "Default",
            Verdict.NOT_IN_BUNDLE,  # an explicit edition entry is authoritative (PR #20958)
        ),
        (
            {"editions": {"_default": {"available": True, "enabledInBundles": ["Default"]}}},
            "se",
            "Default",
            Verdict.ENABLED,
        ),
    ],
)
def test_accessibility_truth_table(accessibility, edition, bundle, expected):
    assert verdict(accessibility, edition, bundle) is expected
    assert is_available(accessibility, edition) is (expected in (Verdict.ENABLED, Verdict.NOT_IN_BUNDLE))
    assert is_enabled(accessibility, edition, bundle) is (expected is Verdict.ENABLED)
