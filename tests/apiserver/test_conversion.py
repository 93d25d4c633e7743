"""Conversion strategy None: apiVersion rewritten, and every view pruned to its version's schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness import eras
from harness.apiserver import ApiServer
from harness.apiserver.crds import CrdError, load_crd_layers
from harness.clock import VirtualClock
from harness.cluster import CRD_DIR, crd_layers
from harness.kube.client import KubeClient, PatchType
from harness.kube.resources import Resource

from .conftest import WIDGET, WIDGET_OLD, widget

MODULE_V1 = Resource("deckhouse.io", "v1alpha1", "modules", "Module")
MODULE_V2 = Resource("deckhouse.io", "v1alpha2", "modules", "Module")


def test_a_write_through_a_lenient_version_is_pruned_to_the_storage_schema(client: KubeClient) -> None:
    old = {**widget("w"), "apiVersion": WIDGET_OLD.api_version}
    spec = {"repo": "r", "windows": [{"from": "08:00", "x": 1}]}
    client.create(WIDGET_OLD, {**old, "spec": spec, "extra": 1})
    stored = client.get(WIDGET, "w")
    assert stored["spec"]["windows"] == [{"from": "08:00"}]
    assert "extra" not in stored
    # and the lenient version serves what is stored, under its own apiVersion
    assert client.get(WIDGET_OLD, "w")["apiVersion"] == "example.com/v1alpha1"
    assert client.get(WIDGET_OLD, "w")["spec"]["windows"] == [{"from": "08:00"}]


@pytest.fixture
def today() -> Iterator[KubeClient]:
    server = ApiServer(VirtualClock(), crd_dir=crd_layers(eras.LATEST), token="t")
    yield server.client()
    server.stop()


def _module() -> dict[str, object]:
    return {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "Module",
        "metadata": {"name": "echo", "annotations": {"modules.deckhouse.io/embedded": "true"}},
        "properties": {"source": "Embedded", "weight": 900},
    }


def test_todays_module_reads_through_v1alpha2_without_the_v1alpha1_fields(today: KubeClient) -> None:
    today.create(MODULE_V1, _module())
    today.patch(MODULE_V1, "echo", {"status": {"phase": "Ready"}}, subresource="status")
    seen = today.get(MODULE_V2, "echo")
    assert seen["apiVersion"] == "deckhouse.io/v1alpha2"
    assert "properties" not in seen
    assert "phase" not in seen.get("status", {})
    assert seen["metadata"]["annotations"] == {"modules.deckhouse.io/embedded": "true"}
    # the stored object is untouched by the read
    assert today.get(MODULE_V1, "echo")["properties"]["source"] == "Embedded"
    assert today.get(MODULE_V1, "echo")["status"]["phase"] == "Ready"


def test_the_package_mirror_written_through_v1alpha1_shows_in_both_views(today: KubeClient) -> None:
    today.create(MODULE_V1, _module())
    spec = {"packageVersion": "v1.2.3", "packageRepositoryName": "deckhouse-modules", "settingsVersion": 2}
    today.patch(MODULE_V1, "echo", {"spec": spec}, patch_type=PatchType.MERGE)
    assert today.get(MODULE_V2, "echo")["spec"] == spec
    both = today.get(MODULE_V1, "echo")
    assert both["spec"] == spec and both["properties"]["source"] == "Embedded"


def test_a_write_through_v1alpha2_drops_what_only_v1alpha1_knows(today: KubeClient) -> None:
    # Without a conversion webhook the server patches the v1alpha2 view and stores it back.
    today.create(MODULE_V1, _module())
    today.patch(MODULE_V2, "echo", {"spec": {"packageVersion": "v1.2.3"}}, patch_type=PatchType.MERGE)
    stored = today.get(MODULE_V1, "echo")
    assert stored["spec"] == {"packageVersion": "v1.2.3"}
    assert "properties" not in stored


def test_v1alpha2_status_is_lost_in_v1alpha1_storage_as_without_a_webhook(today: KubeClient) -> None:
    today.create(MODULE_V1, _module())
    today.patch(MODULE_V2, "echo", {"spec": {"packageVersion": "v1.0.0"}})
    today.patch(MODULE_V2, "echo", {"status": {"summary": {"state": "Ready"}}}, subresource="status")
    assert "summary" not in today.get(MODULE_V2, "echo").get("status", {})


def test_the_page_era_serves_no_v1alpha2_module() -> None:
    server = ApiServer(VirtualClock(), crd_dir=crd_layers(eras.DEFAULT_VERSION), token="t")
    try:
        versions = {
            v
            for v in ("v1alpha1", "v1alpha2")
            for rt in server.catalog.in_version("deckhouse.io", v)
            if rt.resource.plural == "modules"
        }
    finally:
        server.stop()
    assert versions == {"v1alpha1"}


def test_crd_layers_follow_the_era_table() -> None:
    assert crd_layers(eras.DEFAULT_VERSION) == [CRD_DIR]
    today = crd_layers(eras.LATEST)
    assert today[0] == CRD_DIR and len(today) > 1
    for layer in today[1:]:
        assert eras.parse_version(layer.name) in set(eras.INTRODUCED_IN.values()), (
            f"{layer}: a CRD revision must be keyed to a version of harness.eras.INTRODUCED_IN"
        )


def test_a_later_layer_replaces_the_file_of_the_same_name(tmp_path) -> None:
    later = tmp_path / "later"
    later.mkdir()
    (later / "module.yaml").write_text((CRD_DIR / "eras" / "v1.76.0" / "module.yaml").read_text())
    types = load_crd_layers([CRD_DIR, later])
    modules = sorted(rt.resource.version for rt in types if rt.resource.plural == "modules")
    assert modules == ["v1alpha1", "v1alpha2"]
    with pytest.raises(CrdError, match="does not exist"):
        load_crd_layers([CRD_DIR, tmp_path / "missing"])
