"""The release controller end to end against the in-memory registry seam (no registry process).

A few integration tests of snapshot → decision → apply; the order of checks itself is a truth
table in tests/dkp/rules/test_dkp_release_decision.py. Also: with the fast-time shortcuts off the
controller polls every 15 s instead of parking, and a parked release wakes only on kinds it read.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from harness.api import annotations as ann
from harness.api import kinds
from harness.api import labels as lbl
from harness.api.phases import ReleasePhase
from harness.dkp.controllers.base import ControllerContext
from harness.dkp.controllers.release import ReleaseController
from harness.dkp.images.memory import InMemoryRegistry
from harness.dkp.runtime.parking import kind_key
from harness.dkp.runtime.reconcile import Request
from harness.registry.errors import RegistryError

REPO = "registry.example/deckhouse/modules"


@pytest.fixture
def memory() -> InMemoryRegistry:
    registry = InMemoryRegistry()
    registry.push(REPO, "echo", "v1.0.0", {"module.yaml": b"name: echo\nweight: 910\n"})
    return registry


@pytest.fixture
def context(controller_context: ControllerContext, memory: InMemoryRegistry) -> ControllerContext:
    return replace(controller_context, registry_factory=memory.factory)


def _source(kube):
    kube.create(
        kinds.MODULE_SOURCE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleSource",
            "metadata": {"name": "example"},
            "spec": {"registry": {"repo": REPO}},
        },
    )


def _release(kube, version="1.0.0", annotations=None):
    kube.create(
        kinds.MODULE_RELEASE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleRelease",
            "metadata": {
                "name": f"echo-v{version}",
                "labels": {lbl.MODULE: "echo", lbl.SOURCE: "example"},
                "annotations": annotations or {},
            },
            "spec": {"moduleName": "echo", "version": version},
        },
    )


def _manual_policy(kube):
    kube.create(
        kinds.MODULE_UPDATE_POLICY,
        {
            "apiVersion": "deckhouse.io/v1alpha2",
            "kind": "ModuleUpdatePolicy",
            "metadata": {"name": "manual"},
            "spec": {"releaseChannel": "Stable", "update": {"mode": "Manual"}},
        },
    )


def test_the_only_release_deploys_from_the_in_memory_registry(kube, context, memory, make_manager, installed):
    _source(kube)
    _release(kube)
    make_manager([ReleaseController(context)]).settle()
    release = kube.get(kinds.MODULE_RELEASE, "echo-v1.0.0")
    assert release["status"]["phase"] == ReleasePhase.DEPLOYED
    assert release["metadata"]["labels"][lbl.STATUS] == "deployed"
    assert installed.get("echo").version == "v1.0.0"
    assert memory.opened == [REPO]


def test_a_missing_image_keeps_the_release_pending_with_the_registry_error(kube, context, make_manager):
    _source(kube)
    _release(kube, "2.0.0")
    make_manager([ReleaseController(context)]).settle()
    release = kube.get(kinds.MODULE_RELEASE, "echo-v2.0.0")
    assert release["status"]["phase"] == ReleasePhase.PENDING
    assert "MANIFEST_UNKNOWN" in release["status"]["message"]


def test_the_in_memory_registry_names_a_missing_repository():
    with pytest.raises(RegistryError, match="NAME_UNKNOWN"):
        InMemoryRegistry().factory("nowhere").list_tags()


def _waiting_for_approval(kube, context, make_manager, fast_time):
    _source(kube)
    _manual_policy(kube)
    _release(kube, "1.0.0")
    kube.patch(kinds.MODULE_RELEASE, "echo-v1.0.0", {"metadata": {"labels": {lbl.UPDATE_POLICY: "manual"}}})
    ctx = replace(context, settings=replace(context.settings, fast_time=fast_time))
    controller = ReleaseController(ctx)
    manager = make_manager([controller])
    manager.settle()
    return controller, manager


def test_with_shortcuts_off_a_waiting_release_is_polled_every_15_seconds(kube, context, make_manager):
    controller, manager = _waiting_for_approval(kube, context, make_manager, fast_time=False)
    status = kube.get(kinds.MODULE_RELEASE, "echo-v1.0.0")["status"]
    assert status["phase"] == ReleasePhase.PENDING and "approved" in status["message"]
    assert len(controller.parking) == 0
    due = manager.requeue_at((controller.name, Request("echo-v1.0.0")))
    assert due is not None and due - context.clock.now() == timedelta(seconds=15)


def test_with_shortcuts_on_a_waiting_release_parks_with_the_kinds_it_read(kube, context, make_manager):
    controller, manager = _waiting_for_approval(kube, context, make_manager, fast_time=True)
    parked = controller.parking.get("echo-v1.0.0")
    assert parked is not None
    assert kind_key(kinds.MODULE_UPDATE_POLICY) in parked.reads
    assert kind_key(kinds.MODULE_RELEASE) in parked.reads
    assert manager.requeue_at((controller.name, Request("echo-v1.0.0"))) is None
    # an unrelated kind it did not read (a Secret) does not poke it
    assert controller.parking.poke(kind_key(kinds.SECRET)) == []
    kube.patch(kinds.MODULE_RELEASE, "echo-v1.0.0", {"metadata": {"annotations": {ann.APPROVED: "true"}}})
    manager.settle()
    assert kube.get(kinds.MODULE_RELEASE, "echo-v1.0.0")["status"]["phase"] == ReleasePhase.DEPLOYED
