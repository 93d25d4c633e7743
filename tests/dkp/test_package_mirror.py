"""The Module's package view (``deckhouse.io/v1alpha2``) as the release controller mirrors it.

Upstream ``deckhouse-controller/internal/modulesync`` (``EnsureModule``, ``fillModuleV2``; the
release-controller suite at 049a95cf imports it): the write that first puts a version on the
Module also copies the module's ModuleConfig onto it (``spec.version`` as ``settingsVersion``,
``settings``, ``enabled``, ``maintenance``), so the newest goldens show ``settingsVersion: 1`` for
the ModuleConfig of version 1 the suite creates for every module. Later mirrors of a release leave
those fields alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness import eras
from harness.api import kinds
from harness.apiserver import ApiServer
from harness.clock import VirtualClock
from harness.cluster import crd_layers
from harness.dkp.controllers.package_mirror import mirror_package
from harness.dkp.runtime.settings import ClusterSettings
from harness.kube.client import KubeClient
from harness.kube.resources import Resource

MODULE_V2 = Resource("deckhouse.io", "v1alpha2", "modules", "Module")
TODAY = ClusterSettings(deckhouse_version=eras.LATEST, behaviours=eras.behaviours_for(eras.LATEST))


@pytest.fixture
def kube() -> Iterator[KubeClient]:
    server = ApiServer(VirtualClock(), crd_dir=crd_layers(eras.LATEST), token="t")
    client = server.client()
    client.create(
        kinds.MODULE, {"apiVersion": "deckhouse.io/v1alpha1", "kind": "Module", "metadata": {"name": "demo"}}
    )
    yield client
    server.stop()


def _config(kube: KubeClient, **spec: Any) -> None:
    body = {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleConfig", "metadata": {"name": "demo"}}
    kube.create(kinds.MODULE_CONFIG, {**body, "spec": spec})


def test_the_first_mirrored_version_brings_the_module_config_along(kube: KubeClient) -> None:
    _config(kube, version=1, enabled=True, settings={"logLevel": "Debug"})
    mirror_package(kube, TODAY, "demo", "v1.75.2", "test-source", dev=False)

    assert kube.get(MODULE_V2, "demo")["spec"] == {
        "packageRepositoryName": "test-source",
        "packageVersion": "v1.75.2",
        "settingsVersion": 1,
        "enabled": True,
        "settings": {"logLevel": "Debug"},
    }


def test_without_a_module_config_only_the_origin_is_mirrored(kube: KubeClient) -> None:
    mirror_package(kube, TODAY, "demo", "v1.75.2", "test-source", dev=False)

    assert kube.get(MODULE_V2, "demo")["spec"] == {
        "packageRepositoryName": "test-source",
        "packageVersion": "v1.75.2",
    }


def test_a_later_release_moves_the_version_and_leaves_the_config_fields(kube: KubeClient) -> None:
    _config(kube, version=1)
    mirror_package(kube, TODAY, "demo", "v1.0.0", "test-source", dev=False)
    config = kube.get(kinds.MODULE_CONFIG, "demo")
    config["spec"]["version"] = 2
    kube.update(kinds.MODULE_CONFIG, config)

    mirror_package(kube, TODAY, "demo", "v1.1.0", "test-source", dev=False)

    spec = kube.get(MODULE_V2, "demo")["spec"]
    assert (spec["packageVersion"], spec["settingsVersion"]) == ("v1.1.0", 1)


def test_before_the_package_mirror_nothing_is_written(kube: KubeClient) -> None:
    _config(kube, version=1)
    older = ClusterSettings(deckhouse_version="v1.75.0", behaviours=eras.behaviours_for("v1.75.0"))
    mirror_package(kube, older, "demo", "v1.0.0", "test-source", dev=False)

    assert "spec" not in kube.get(kinds.MODULE, "demo")
