"""The release fetcher through the source controller, per era, on the in-memory registry seam.

Ports upstream's golden case ``source/testdata/golden/frozen-chain-missing-intermediates.yaml``
(``TestFetchMissingIntermediateReleases``): the channel's release exists with the channel's
checksum, but the intermediate versions reached the registry only after it was created. From
Deckhouse v1.77, and v1.76.8 on the v1.76 line (``release-chain-refetch``), the source fetches
again and creates them; before, it waits for the channel to move. Also the v1.76 fetcher
(``step-by-step-always``) end to end: the deployed minor's newer patch first, every release
``check release (step-by-step)``.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from harness import eras
from harness.api import kinds
from harness.dkp.controllers.base import ControllerContext
from harness.dkp.controllers.source import SourceController
from harness.dkp.images.memory import InMemoryRegistry
from harness.dkp.rules import conditions
from harness.dkp.runtime.reconcile import Request

REPO = "registry.example/deckhouse/modules"
CHANGE_CAUSE = "modules.deckhouse.io/change-cause"
OVERSHOOTING_FROM_TO = b'name: echo\nupdate:\n  versions:\n  - {from: "1.40", to: "2.0"}\n'


def _publish(
    memory: InMemoryRegistry, version: str, *, channel: bool = False, module_yaml: bytes = b""
) -> None:
    files = {
        "version.json": json.dumps({"version": version}).encode(),
        "module.yaml": module_yaml or b"name: echo\n",
    }
    memory.push(REPO, "", "echo", {})
    memory.push(REPO, "echo", version, {})  # the module image: its tag is what step-by-step lists
    memory.push(REPO, "echo/release", version, files)
    if channel:
        memory.push(REPO, "echo/release", "stable", files)


@pytest.fixture
def memory() -> InMemoryRegistry:
    return InMemoryRegistry()


def _controller(controller_context: ControllerContext, memory, version: str) -> SourceController:
    settings = replace(controller_context.settings, behaviours=eras.behaviours_for(version))
    return SourceController(replace(controller_context, settings=settings, registry_factory=memory.factory))


def _start(kube, clock, controller: SourceController) -> None:
    """A source whose module is enabled from it and has its first release, deployed."""
    kube.create(
        kinds.MODULE_SOURCE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleSource",
            "metadata": {"name": "example"},
            "spec": {"registry": {"repo": REPO}},
        },
    )
    controller.reconcile(Request("example"))
    controller.reconcile(Request("example"))
    module = kube.get(kinds.MODULE, "echo")
    module["properties"]["source"] = "example"
    module = kube.update(kinds.MODULE, module)
    conditions.set_true(module["status"]["conditions"], "EnabledByModuleConfig", now=clock.now())
    kube.update(kinds.MODULE, module, subresource="status")
    controller.reconcile(Request("example"))
    for release in kube.list(kinds.MODULE_RELEASE):
        release["status"] = {"phase": "Deployed"}
        kube.update(kinds.MODULE_RELEASE, release, subresource="status")


def _releases(kube) -> dict[str, str]:
    found = kube.list(kinds.MODULE_RELEASE)
    return {r["metadata"]["name"]: r["metadata"].get("annotations", {}).get(CHANGE_CAUSE, "") for r in found}


@pytest.mark.parametrize(
    ("version", "refetched"),
    [
        ("v1.67.0", False),
        ("v1.75.17", False),
        ("v1.76.7", False),
        ("v1.76.8", True),
        ("v1.77.0", True),
        ("latest", True),
    ],
)
def test_a_gap_mirrored_later_is_fetched_from_v1_77_and_v1_76_8(
    kube, clock, controller_context, memory, version, refetched
):
    controller = _controller(controller_context, memory, version)
    _publish(memory, "v1.52.0", channel=True)
    _start(kube, clock, controller)
    # The channel jumps to v1.55.1, whose from-to rule parses but bridges nothing (its "to"
    # overshoots the release): the fetch reports no error, so the checksum is recorded.
    _publish(memory, "v1.55.1", channel=True, module_yaml=OVERSHOOTING_FROM_TO)
    controller.reconcile(Request("example"))
    assert set(_releases(kube)) == {"echo-v1.52.0", "echo-v1.55.1"}
    entry = kube.get(kinds.MODULE_SOURCE, "example")["status"]["modules"][0]
    assert entry["version"] == "v1.55.1" and not entry.get("error") and not entry.get("pullError")
    # The mirror catches up with the intermediates; the channel does not move.
    _publish(memory, "v1.53.2")
    _publish(memory, "v1.54.1")
    controller.reconcile(Request("example"))
    expected = {"echo-v1.52.0", "echo-v1.55.1"} | ({"echo-v1.53.2", "echo-v1.54.1"} if refetched else set())
    assert set(_releases(kube)) == expected
    if refetched:
        assert _releases(kube)["echo-v1.53.2"] == "check release (step-by-step)"
    # A complete chain is left alone: the next scan creates and rewrites nothing.
    before = {
        r["metadata"]["name"]: r["metadata"]["resourceVersion"] for r in kube.list(kinds.MODULE_RELEASE)
    }
    controller.reconcile(Request("example"))
    after = {r["metadata"]["name"]: r["metadata"]["resourceVersion"] for r in kube.list(kinds.MODULE_RELEASE)}
    assert after == before


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (
            "v1.75.0",
            {
                "echo-v1.4.1": "check release (no releases in cluster)",
                "echo-v1.5.2": "check release (from deployed)",
            },
        ),
        (
            "v1.76.0",
            {
                "echo-v1.4.1": "check release (no releases in cluster)",
                "echo-v1.4.4": "check release (step-by-step)",
                "echo-v1.5.2": "check release (step-by-step)",
            },
        ),
    ],
)
def test_the_fetcher_of_each_era_end_to_end(kube, clock, controller_context, memory, version, expected):
    controller = _controller(controller_context, memory, version)
    _publish(memory, "v1.4.1", channel=True)
    _start(kube, clock, controller)
    _publish(memory, "v1.4.4")
    _publish(memory, "v1.5.2", channel=True)
    controller.reconcile(Request("example"))
    assert _releases(kube) == expected
    assert not kube.get(kinds.MODULE_SOURCE, "example")["status"]["modules"][0].get("error")


def test_a_channel_behind_the_deployed_version_is_a_no_op_from_v1_76(kube, clock, controller_context, memory):
    controller = _controller(controller_context, memory, "v1.76.0")
    _publish(memory, "v1.4.1", channel=True)
    _start(kube, clock, controller)
    _publish(memory, "v1.3.0", channel=True)
    controller.reconcile(Request("example"))
    assert set(_releases(kube)) == {"echo-v1.4.1"}
    entry = kube.get(kinds.MODULE_SOURCE, "example")["status"]["modules"][0]
    assert entry["version"] == "v1.3.0" and not entry.get("error")


@pytest.mark.parametrize("version", ["v1.67.0", "latest"])
def test_a_gap_before_a_release_with_its_own_from_to_rule_is_no_error(
    kube, clock, controller_context, memory, version
):
    """``ensureReleases``: an ensured release whose module.yaml has ``update.versions`` is judged
    by the target's from-to rules, not by the plain sequence rule (both eras)."""
    controller = _controller(controller_context, memory, version)
    _publish(memory, "v1.0.0", channel=True)
    _start(kube, clock, controller)
    _publish(
        memory, "v1.2.0", module_yaml=b'name: echo\nupdate:\n  versions:\n  - {from: "1.0", to: "1.2"}\n'
    )
    _publish(memory, "v1.3.0", channel=True)
    controller.reconcile(Request("example"))
    assert set(_releases(kube)) == {"echo-v1.0.0", "echo-v1.2.0", "echo-v1.3.0"}
    entry = kube.get(kinds.MODULE_SOURCE, "example")["status"]["modules"][0]
    assert not entry.get("error") and not entry.get("pullError"), entry


def test_a_release_whose_image_has_no_changelog_carries_none_created_or_rewritten(
    kube, clock, controller_context, memory
):
    """Upstream ``ModuleReleaseSpec.Changelog`` is a map with ``omitempty``: an image without a
    changelog leaves the field out, also when the fetcher rewrites a Pending release (golden
    ``source/testdata/golden/module-lts-channel-direct-update.yaml``, suite at 74c983e1)."""
    controller = _controller(controller_context, memory, "v1.67.0")
    _publish(memory, "v1.4.1", channel=True)
    _start(kube, clock, controller)
    assert "changelog" not in kube.get(kinds.MODULE_RELEASE, "echo-v1.4.1")["spec"]
    pending = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleRelease",
        "metadata": {"name": "echo-v1.5.0", "labels": {"module": "echo", "source": "example"}},
        "spec": {"moduleName": "echo", "version": "1.5.0", "changelog": {"features": ["Major update"]}},
    }
    kube.create(kinds.MODULE_RELEASE, pending)
    release = kube.get(kinds.MODULE_RELEASE, "echo-v1.5.0")
    release["status"] = {"phase": "Pending"}
    kube.update(kinds.MODULE_RELEASE, release, subresource="status")
    _publish(memory, "v1.5.0", channel=True)
    controller.reconcile(Request("example"))
    rewritten = kube.get(kinds.MODULE_RELEASE, "echo-v1.5.0")
    assert rewritten["metadata"]["annotations"][CHANGE_CAUSE] == "check release (from deployed)"
    assert "changelog" not in rewritten["spec"]


@pytest.mark.parametrize("version", ["v1.67.0", "v1.75.0"])
def test_a_rewritten_pending_release_loses_its_requirements(kube, clock, controller_context, memory, version):
    """Upstream's fetcher (``ensureModuleRelease`` in ``source/module_release_fetcher.go``, from its
    first revision read, 0784c31a, to the newest, 815065f0) creates a release with the image's
    ``requirements`` but rewrites a Pending one with ``moduleName``, ``version``, ``weight`` and
    ``changelog`` only (and ``update``), so the requirements go; golden
    ``source/testdata/golden/frozen-chain-missing-intermediates.yaml`` (3c86f42c): the rewritten
    ``console-v1.55.1`` has the step-by-step change cause and no ``requirements``, the created
    ``console-v1.53.2`` has them."""
    requiring = b'name: echo\nrequirements:\n  kubernetes: ">= 1.27"\n'
    controller = _controller(controller_context, memory, version)
    _publish(memory, "v1.4.1", channel=True, module_yaml=requiring)
    _start(kube, clock, controller)
    assert kube.get(kinds.MODULE_RELEASE, "echo-v1.4.1")["spec"]["requirements"] == {"kubernetes": ">= 1.27"}
    pending = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleRelease",
        "metadata": {"name": "echo-v1.5.0", "labels": {"module": "echo", "source": "example"}},
        "spec": {"moduleName": "echo", "version": "1.5.0", "requirements": {"kubernetes": ">= 1.20"}},
    }
    kube.create(kinds.MODULE_RELEASE, pending)
    kube.patch(kinds.MODULE_RELEASE, "echo-v1.5.0", {"status": {"phase": "Pending"}}, subresource="status")
    _publish(memory, "v1.5.0", channel=True, module_yaml=requiring)
    controller.reconcile(Request("example"))

    rewritten = kube.get(kinds.MODULE_RELEASE, "echo-v1.5.0")
    assert rewritten["metadata"]["annotations"][CHANGE_CAUSE].startswith("check release (")
    assert rewritten["spec"] == {"moduleName": "echo", "version": "1.5.0", "weight": 900}


@pytest.mark.parametrize("version", ["v1.77.0", "latest"])
def test_a_refetched_chain_rewrites_its_pending_target_without_requirements(
    kube, clock, controller_context, memory, version
):
    """The golden case itself (``frozen-chain-missing-intermediates``, 3c86f42c): the refetch
    creates the intermediates with the image's requirements and rewrites the Pending target,
    which keeps its labels and loses its requirements."""
    requiring = b'name: echo\nrequirements:\n  kubernetes: ">= 1.27"\n'
    controller = _controller(controller_context, memory, version)
    _publish(memory, "v1.52.0", channel=True, module_yaml=requiring)
    _start(kube, clock, controller)
    _publish(
        memory, "v1.55.1", channel=True, module_yaml=requiring + OVERSHOOTING_FROM_TO[len(b"name: echo\n") :]
    )
    controller.reconcile(Request("example"))
    target = kube.get(kinds.MODULE_RELEASE, "echo-v1.55.1")
    assert target["spec"]["requirements"] == {"kubernetes": ">= 1.27"}
    kube.patch(kinds.MODULE_RELEASE, "echo-v1.55.1", {"status": {"phase": "Pending"}}, subresource="status")
    _publish(memory, "v1.53.2", module_yaml=requiring)
    _publish(memory, "v1.54.1", module_yaml=requiring)
    controller.reconcile(Request("example"))

    assert kube.get(kinds.MODULE_RELEASE, "echo-v1.53.2")["spec"]["requirements"] == {"kubernetes": ">= 1.27"}
    rewritten = kube.get(kinds.MODULE_RELEASE, "echo-v1.55.1")
    assert rewritten["metadata"]["annotations"][CHANGE_CAUSE] == "check release (step-by-step)"
    assert rewritten["metadata"]["labels"] == target["metadata"]["labels"]
    assert "requirements" not in rewritten["spec"]
