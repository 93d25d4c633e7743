"""The release controller end to end against the in-memory registry seam (no registry process).

A few integration tests of snapshot → decision → apply; the order of checks itself is a truth
table in tests/dkp/rules/test_dkp_release_decision.py. Also: a waiting release is polled every
15 s in both modes, and with the fast-time shortcut on its idle looks are replayed only while
nothing it read (as the read recorder saw it) changes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from harness import eras
from harness.api import annotations as ann
from harness.api import kinds
from harness.api import labels as lbl
from harness.api.phases import ReleasePhase
from harness.dkp.controllers.base import ControllerContext
from harness.dkp.controllers.release import ReleaseController
from harness.dkp.images.memory import InMemoryRegistry
from harness.dkp.runtime.reads import ANY, ReadRecorder, kind_key
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


def test_a_missing_image_keeps_the_release_pending_and_logs_the_registry_error(kube, context, make_manager):
    _source(kube)
    _release(kube, "2.0.0")
    make_manager([ReleaseController(context)]).settle()
    release = kube.get(kinds.MODULE_RELEASE, "echo-v2.0.0")
    assert release["status"]["phase"] == ReleasePhase.PENDING
    assert not release["status"].get("message")
    errors = [line for line in context.log.lines() if "Reconciler error" in line]
    assert errors and "download the 'echo' module" in errors[-1] and "MANIFEST_UNKNOWN" in errors[-1]


def test_the_in_memory_registry_names_a_missing_repository():
    with pytest.raises(RegistryError, match="NAME_UNKNOWN"):
        InMemoryRegistry().factory("nowhere").list_tags()


def _waiting_for_approval(kube, context, make_manager, fast_time):
    _source(kube)
    _manual_policy(kube)
    _release(kube, "1.0.0")
    kube.patch(kinds.MODULE_RELEASE, "echo-v1.0.0", {"metadata": {"labels": {lbl.UPDATE_POLICY: "manual"}}})
    assert isinstance(context.kube, ReadRecorder)  # the controllers read through the recorder
    controller = ReleaseController(replace(context, settings=replace(context.settings, fast_time=fast_time)))
    manager = make_manager([controller], coalesce=fast_time)
    manager.settle()
    return controller, manager


@pytest.mark.parametrize("fast_time", [False, True])
def test_a_waiting_release_is_polled_every_15_seconds_in_both_modes(kube, context, make_manager, fast_time):
    controller, manager = _waiting_for_approval(kube, context, make_manager, fast_time)
    status = kube.get(kinds.MODULE_RELEASE, "echo-v1.0.0")["status"]
    assert status["phase"] == ReleasePhase.PENDING and "approved" in status["message"]
    due = manager.requeue_at((controller.name, Request("echo-v1.0.0")))
    assert due is not None and due - context.clock.now() == timedelta(seconds=15)


def test_with_the_shortcut_on_a_waiting_look_is_replayed_while_nothing_it_read_changes(
    kube, context, make_manager
):
    controller, manager = _waiting_for_approval(kube, context, make_manager, fast_time=True)
    key = (controller.name, Request("echo-v1.0.0"))
    manager.advance(timedelta(seconds=15))  # a look that writes nothing: idle
    reads = manager.idle_reads(key)
    assert reads is not None
    assert (kind_key(kinds.MODULE_UPDATE_POLICY), "manual") in reads
    assert (kind_key(kinds.MODULE_RELEASE), ANY) in reads  # the module's releases
    before = manager.reconciles
    manager.advance(timedelta(hours=1))
    assert manager.reconciles - before <= 1  # 240 checks, replayed (the jump's first may run)
    # a kind it did not read (a Secret) keeps the mark; the policy it read ends it
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "default"}}
    kube.create(kinds.SECRET, secret)
    assert manager.idle_reads(key) is not None
    kube.patch(kinds.MODULE_UPDATE_POLICY, "manual", {"metadata": {"labels": {"touched": "yes"}}})
    assert manager.idle_reads(key) is None
    kube.patch(kinds.MODULE_RELEASE, "echo-v1.0.0", {"metadata": {"annotations": {ann.APPROVED: "true"}}})
    manager.settle()
    assert kube.get(kinds.MODULE_RELEASE, "echo-v1.0.0")["status"]["phase"] == ReleasePhase.DEPLOYED


def _embedded_module(kube):
    """A Module as today's Deckhouse lists a built-in one: only the embedded mark (upstream golden
    ``releases/embedded-module-source-switch``), no ``properties.source: Embedded``."""
    kube.create(
        kinds.MODULE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "Module",
            "metadata": {"name": "echo", "annotations": {"modules.deckhouse.io/embedded": "true"}},
        },
    )


@pytest.mark.parametrize(
    ("version", "expected"),
    [(eras.DEFAULT_VERSION, None), (eras.LATEST, "example")],
    ids=["page-era", "latest"],
)
def test_deploying_a_module_marked_embedded_by_annotation_switches_its_source(
    kube, context, make_manager, version, expected
):
    settings = replace(context.settings, behaviours=eras.behaviours_for(version))
    _source(kube)
    _embedded_module(kube)
    # The source marks a module's first release apply-now; without it, no deckhouse ModuleConfig
    # means the embedded policy's default mode, AutoPatch from v1.77, which holds a minor release.
    _release(kube, annotations={ann.APPLY_NOW: "true"})
    make_manager([ReleaseController(replace(context, settings=settings))]).settle()
    assert kube.get(kinds.MODULE_RELEASE, "echo-v1.0.0")["status"]["phase"] == ReleasePhase.DEPLOYED
    assert (kube.get(kinds.MODULE, "echo").get("properties") or {}).get("source") == expected


def _embedded_by_source(kube):
    """A built-in Module as the release-controller test ``embedded-module-stage-keep-source``
    seeds it: ``properties.source: Embedded``, no mark."""
    kube.create(
        kinds.MODULE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "Module",
            "metadata": {"name": "echo"},
            "properties": {"source": "Embedded"},
        },
    )


@pytest.mark.parametrize(
    ("shipped", "source", "installed_version"),
    [(frozenset({"echo"}), "Embedded", None), (frozenset(), "example", "v1.0.0")],
    ids=["copy-shipped", "copy-gone"],
)
def test_a_release_of_a_module_still_shipped_embedded_is_staged_and_keeps_the_source(
    kube, context, make_manager, installed, shipped, source, installed_version
):
    """Upstream ``deployModule`` at 049a95cf: ``IsEmbeddedPresent`` → stage, not install; the
    release is Deployed all the same and ``properties.source`` stays ``Embedded``."""
    behaviours = eras.behaviours_for(eras.LATEST)
    settings = replace(context.settings, behaviours=behaviours, embedded_modules=shipped)
    _source(kube)
    _embedded_by_source(kube)
    # apply-now, as the source marks a first release: the embedded policy's default mode from
    # v1.77 (AutoPatch, no deckhouse ModuleConfig here) would hold it for approval otherwise
    _release(kube, annotations={ann.APPLY_NOW: "true"})
    make_manager([ReleaseController(replace(context, settings=settings))]).settle()
    assert kube.get(kinds.MODULE_RELEASE, "echo-v1.0.0")["status"]["phase"] == ReleasePhase.DEPLOYED
    assert kube.get(kinds.MODULE, "echo")["properties"]["source"] == source
    record = installed.get("echo")
    assert (record.version if record else None) == installed_version


def test_before_v1_76_a_module_shipped_embedded_is_installed_as_any_other(
    kube, context, make_manager, installed
):
    """The stage step came with the embedded takeover (v1.76); the page's era installs."""
    settings = replace(context.settings, embedded_modules=frozenset({"echo"}))
    _source(kube)
    _embedded_by_source(kube)
    _release(kube)
    make_manager([ReleaseController(replace(context, settings=settings))]).settle()
    assert installed.get("echo") is not None
    assert kube.get(kinds.MODULE, "echo")["properties"]["source"] == "Embedded"
