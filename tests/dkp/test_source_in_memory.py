"""The source controller end to end against the in-memory registry seam (no registry process).

A few integration tests of snapshot → decision → apply, in the page's era and today's; the order
of decisions itself is a truth table in tests/dkp/rules/test_dkp_source_decision.py. The API
server is the real fake one; the controller is reconciled directly, as the manager would.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from harness import eras
from harness.api import kinds
from harness.dkp.controllers.base import ControllerContext
from harness.dkp.controllers.source import SourceController
from harness.dkp.images.memory import InMemoryRegistry
from harness.dkp.rules import conditions
from harness.dkp.runtime.reconcile import Request

REPO = "registry.example/deckhouse/modules"
BUNDLED = (
    b"name: echo\nweight: 910\naccessibility:\n  editions:\n    _default:\n"
    b"      available: true\n      enabledInBundles: [Default]\n"
)


def _push(memory: InMemoryRegistry, module_yaml: bytes = b"name: echo\n") -> None:
    memory.push(REPO, "", "echo", {})
    files = {"version.json": json.dumps({"version": "v1.0.0"}).encode(), "module.yaml": module_yaml}
    memory.push(REPO, "echo/release", "stable", files)
    memory.push(REPO, "echo/release", "v1.0.0", files)


def _controller(context: ControllerContext, version: eras.DeckhouseVersion) -> SourceController:
    settings = replace(context.settings, behaviours=eras.behaviours_for(version))
    return SourceController(replace(context, settings=settings))


def _source(kube, **spec):
    kube.create(
        kinds.MODULE_SOURCE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleSource",
            "metadata": {"name": "example"},
            "spec": {"registry": {"repo": REPO}, **spec},
        },
    )


def _enable(kube, clock, source="example"):
    """What the config controller leaves for ``enabled: true`` (properties.source, condition True)."""
    module = kube.get(kinds.MODULE, "echo")
    module["properties"]["source"] = source
    module = kube.update(kinds.MODULE, module)
    conditions.set_true(module["status"]["conditions"], "EnabledByModuleConfig", now=clock.now())
    kube.update(kinds.MODULE, module, subresource="status")


def _releases(kube):
    return sorted(r["metadata"]["name"] for r in kube.list(kinds.MODULE_RELEASE))


def _sync(controller):
    first = controller.reconcile(Request("example"))  # stores the checksum, looks again at once
    assert first.requeue_after == timedelta(0)
    return controller.reconcile(Request("example"))


@pytest.fixture
def memory() -> InMemoryRegistry:
    return InMemoryRegistry()


@pytest.fixture
def context(controller_context: ControllerContext, memory: InMemoryRegistry) -> ControllerContext:
    return replace(controller_context, registry_factory=memory.factory)


@pytest.mark.parametrize("version", [eras.DEFAULT_VERSION, eras.LATEST], ids=["page-era", "latest"])
def test_an_enabled_module_gets_its_release_through_the_seam(kube, clock, context, memory, version):
    _push(memory)
    _source(kube)
    controller = _controller(context, version)
    result = _sync(controller)
    assert result.requeue_after == timedelta(minutes=3)
    assert _releases(kube) == []
    assert kube.get(kinds.MODULE, "echo")["status"]["phase"] == "Available"
    _enable(kube, clock)
    controller.reconcile(Request("example"))
    assert _releases(kube) == ["echo-v1.0.0"]
    assert kube.get(kinds.MODULE, "echo")["status"]["phase"] == "Downloading"
    assert memory.opened and set(memory.opened) == {REPO}


@pytest.mark.parametrize(
    ("version", "key", "absent", "prefix"),
    [
        (eras.DEFAULT_VERSION, "pullError", "error", "fetch image error: "),
        (eras.LATEST, "error", "pullError", "get image info: fetch image error: "),
    ],
    ids=["page-era→pullError", "latest→error"],
)
def test_a_missing_channel_of_an_enabled_module_is_its_error(
    kube, clock, context, memory, version, key, absent, prefix
):
    _push(memory)
    _source(kube)
    controller = _controller(context, version)
    _sync(controller)
    _enable(kube, clock)
    del memory.tags(REPO, "echo/release")["stable"]  # the channel tag is removed
    controller.reconcile(Request("example"))
    status = kube.get(kinds.MODULE_SOURCE, "example")["status"]
    entry = status["modules"][0]
    assert entry[key].startswith(prefix + "MANIFEST_UNKNOWN") and absent not in entry
    assert entry["version"] == "unknown"
    assert status["message"] == "Some errors occurred. Inspect status for details"


def test_a_module_enabled_by_the_bundle_gets_its_release_and_source_from_v1_75(kube, context, memory):
    _push(memory, module_yaml=BUNDLED)
    _source(kube)
    _sync(_controller(context, eras.LATEST))
    module = kube.get(kinds.MODULE, "echo")
    assert module["properties"]["source"] == "example"
    assert module["properties"]["accessibility"]["editions"]["_default"]["enabledInBundles"] == ["Default"]
    assert _releases(kube) == ["echo-v1.0.0"]


def test_the_page_era_ignores_the_bundle(kube, context, memory):
    _push(memory, module_yaml=BUNDLED)
    _source(kube)
    _sync(_controller(context, eras.DEFAULT_VERSION))
    module = kube.get(kinds.MODULE, "echo")
    assert "source" not in module["properties"] and "accessibility" not in module["properties"]
    assert _releases(kube) == []


@pytest.mark.parametrize(
    ("version", "stored", "interval"),
    [(eras.DEFAULT_VERSION, "10m", timedelta(minutes=3)), (eras.LATEST, "10m0s", timedelta(minutes=10))],
    ids=["page-era→ignored", "latest→used-and-normalised"],
)
def test_scan_interval(kube, context, memory, version, stored, interval):
    _push(memory)
    _source(kube, scanInterval="10m")
    result = _sync(_controller(context, version))
    assert result.requeue_after == interval
    assert kube.get(kinds.MODULE_SOURCE, "example")["spec"]["scanInterval"] == stored


@pytest.mark.parametrize(
    ("version", "expected"),
    [(eras.DEFAULT_VERSION, []), (eras.LATEST, ["echo-v1.0.0"])],
    ids=["page-era", "latest"],
)
def test_an_embedded_module_takes_releases_from_its_only_source_from_v1_76(
    kube, clock, context, memory, version, expected
):
    _push(memory)
    _source(kube)
    controller = _controller(context, version)
    _sync(controller)
    _enable(kube, clock, source="Embedded")
    controller.reconcile(Request("example"))
    assert _releases(kube) == expected
    assert kube.get(kinds.MODULE, "echo")["properties"]["source"] == "Embedded"  # the deploy switches it
