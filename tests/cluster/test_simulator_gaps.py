"""Simulator rules the conformance scenarios found missing, end to end through the in-process client.

Each test runs a whole SimulatedCluster (real registry process, fake API server, every simulated
controller) and acts only through the Kubernetes API and SimulationControl, as scenarios do.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.api import kinds
from harness.kube.client import WatchEvent
from harness.kube.errors import Conflict
from harness.registry.backends.distribution import find_binary
from harness.registry.publisher import Publisher

pytestmark = pytest.mark.registry

if find_binary() is None:
    pytest.skip(
        "OCI registry binary not found: install it with `apt-get install -y docker-registry`",
        allow_module_level=True,
    )

SCHEMA = {"type": "object", "additionalProperties": False, "properties": {"parameter": {"type": "string"}}}


def add(cluster: Any, resource: Any, name: str, **body: Any) -> None:
    manifest = {"apiVersion": resource.api_version, "kind": resource.kind, "metadata": {"name": name}, **body}
    cluster.client.create(resource, manifest)
    cluster.settle()


def add_source(cluster: Any, name: str = "example", repo: str | None = None) -> None:
    registry = {"repo": repo or cluster.modules_repo, "scheme": "HTTP"}
    add(cluster, kinds.MODULE_SOURCE, name, spec={"registry": registry})


def module(cluster: Any, name: str = "module-one") -> Any:
    return cluster.client.get(kinds.MODULE, name)


def conditions(obj: Any) -> dict[str, dict[str, Any]]:
    return {c["type"]: c for c in obj["status"]["conditions"]}


def releases(cluster: Any) -> dict[str, str]:
    return {r["metadata"]["name"]: r["status"]["phase"] for r in cluster.client.list(kinds.MODULE_RELEASE)}


def record_modules(cluster: Any) -> list[Any]:
    """Every committed version of every Module, in commit order."""
    seen: list[Any] = []

    def keep(event: WatchEvent) -> None:
        seen.append(event.object)

    cluster.client.subscribe(keep, kinds.MODULE)
    return seen


# -- MS-09: a discovered module ------------------------------------------------------------------


def test_a_discovered_module_without_a_config_is_disabled_by_module_config(cluster):
    cluster.publisher.publish("module-one", "v0.7.24", channels=["stable"])
    add_source(cluster)
    found = module(cluster)
    assert found["status"]["phase"] == "Available"
    listed = [
        (c["type"], c["status"], c.get("reason"), c.get("message")) for c in found["status"]["conditions"]
    ]
    assert listed == [
        ("EnabledByModuleConfig", "False", "Disabled", "disabled"),
        ("EnabledByModuleManager", "False", None, None),
        ("IsReady", "False", "NotInstalled", "not installed"),
    ]


def test_a_deleted_config_leaves_enabled_by_module_config_unknown(cluster):
    cluster.publisher.publish("module-one", "v0.7.24", channels=["stable"])
    add_source(cluster)
    add(cluster, kinds.MODULE_CONFIG, "module-one", spec={"enabled": True})
    cluster.client.delete(kinds.MODULE_CONFIG, "module-one")
    cluster.settle()
    assert conditions(module(cluster))["EnabledByModuleConfig"]["status"] == "Unknown"


# -- DKP-31: disabling -----------------------------------------------------------------------------


def test_disabling_a_downloading_module_leaves_it_available_and_not_installed(cluster):
    cluster.publisher.publish("module-one", "v0.7.24", channels=["stable"])
    add_source(cluster)
    add(cluster, kinds.MODULE_CONFIG, "module-one", spec={"enabled": True})
    assert module(cluster)["status"]["phase"] == "Downloading"
    cluster.client.patch(kinds.MODULE_CONFIG, "module-one", {"spec": {"enabled": False}})
    cluster.control.advance("1m")  # past the simulated download and install times
    found = module(cluster)
    ready = conditions(found)["IsReady"]
    assert found["status"]["phase"] == "Available"
    assert (ready["reason"], ready["message"]) == ("NotInstalled", "not installed")


def test_disabling_a_ready_module_shows_disabled_then_settles_downloaded(cluster):
    cluster.publisher.publish("module-one", "v0.7.24", channels=["stable"])
    add_source(cluster)
    add(cluster, kinds.MODULE_CONFIG, "module-one", spec={"enabled": True})
    cluster.control.advance("15s")
    assert module(cluster)["status"]["phase"] == "Ready"
    seen = record_modules(cluster)
    cluster.client.patch(kinds.MODULE_CONFIG, "module-one", {"spec": {"enabled": False}})
    cluster.settle()
    states = [(m["status"]["phase"], conditions(m)["IsReady"].get("reason")) for m in seen]
    assert states[0] == ("Ready", "Disabled")  # the config controller's disableModule first
    assert states[-1] == ("Downloaded", "ModuleConfig")  # then the module manager's verdict
    ready = conditions(module(cluster))["IsReady"]
    assert ready["message"] == "turned off by module config"


# -- DKP-32: settings validation -----------------------------------------------------------------


def test_settings_breaking_the_installed_schema_give_the_config_an_error(cluster):
    cluster.publisher.publish("module-one", "v0.7.24", channels=["stable"], settings_schema=SCHEMA)
    add_source(cluster)
    add(cluster, kinds.MODULE_CONFIG, "module-one", spec={"enabled": True, "settings": {"parameter": "a"}})
    cluster.control.advance("15s")
    cluster.client.patch(kinds.MODULE_CONFIG, "module-one", {"spec": {"settings": {"parameter": 42}}})
    cluster.settle()
    status = cluster.client.get(kinds.MODULE_CONFIG, "module-one")["status"]
    assert status["message"] == 'Error: moduleOne.parameter in body must be of type string: "integer"'
    assert status["version"] == ""


def test_a_config_written_before_the_install_is_revalidated_once_the_module_is_installed(cluster):
    schema = {**SCHEMA, "x-config-version": 2}
    cluster.publisher.publish("module-one", "v0.7.24", channels=["stable"], settings_schema=schema)
    add_source(cluster)
    written: list[Any] = []
    cluster.client.subscribe(lambda event: written.append(event.object.get("status")), kinds.MODULE_CONFIG)
    add(cluster, kinds.MODULE_CONFIG, "module-one", spec={"enabled": True, "version": 1})
    statuses = [s for s in written if s]
    assert statuses[0] == {"version": "1", "message": ""}  # validated before the download: no schema
    cluster.control.advance("5s")  # the module manager loads it: Installing, properties.version set
    after = cluster.client.get(kinds.MODULE_CONFIG, "module-one")["status"]
    assert after == {"version": "1", "message": "Update available, latest spec.settings schema version is 2"}


# -- SW-01 / DKP-12: switching sources -----------------------------------------------------------


def test_switching_the_source_deploys_the_new_sources_release_and_supersedes_the_old(cluster):
    cluster.publisher.publish("module-one", "v0.7.24", channels=["stable"])
    with Publisher(registry=cluster._backend.address, repo="other/modules") as other:
        other.publish("module-one", "v0.7.25", channels=["stable"])
    add_source(cluster)
    add(cluster, kinds.MODULE_CONFIG, "module-one", spec={"enabled": True, "source": "example"})
    cluster.control.advance("15s")
    add_source(cluster, "other", f"{cluster.registry}/other/modules")
    cluster.client.patch(kinds.MODULE_CONFIG, "module-one", {"spec": {"source": "other"}})
    cluster.settle()  # the Module update wakes the new source at once (§2 watch)
    assert releases(cluster) == {"module-one-v0.7.24": "Superseded", "module-one-v0.7.25": "Deployed"}
    cluster.control.advance("3m")
    found = module(cluster)
    assert found["properties"]["source"] == "other"
    assert found["properties"]["version"] == "v0.7.25"
    assert found["status"]["phase"] == "Ready"


# -- DKP-08: from-to ---------------------------------------------------------------------------------


def test_a_from_to_endpoint_deploys_over_the_intermediate_which_becomes_skipped(cluster):
    for version in ("v0.7.23", "v0.8.0", "v0.9.0"):
        cluster.publisher.publish("module-one", version, channels=["stable"] if version == "v0.7.23" else [])
    add_source(cluster)
    policy = {"releaseChannel": "Stable", "update": {"mode": "Manual"}}
    add(cluster, kinds.MODULE_UPDATE_POLICY, "manual", spec=policy)
    add(cluster, kinds.MODULE_CONFIG, "module-one", spec={"enabled": True, "updatePolicy": "manual"})
    cluster.control.advance("15s")
    labels = {"module": "module-one", "source": "example"}
    for version, extra in (
        ("0.8.0", {}),
        ("0.9.0", {"update": {"versions": [{"from": "0.7", "to": "0.9"}]}}),
    ):
        release = {
            "apiVersion": kinds.MODULE_RELEASE.api_version,
            "kind": kinds.MODULE_RELEASE.kind,
            "metadata": {"name": f"module-one-v{version}", "labels": labels},
            "spec": {"moduleName": "module-one", "version": version, **extra},
        }
        cluster.client.create(kinds.MODULE_RELEASE, release)
    cluster.control.advance("15s")
    assert releases(cluster)["module-one-v0.9.0"] == "Pending"
    approve = {"metadata": {"annotations": {"modules.deckhouse.io/approved": "true"}}}
    cluster.client.patch(kinds.MODULE_RELEASE, "module-one-v0.9.0", approve)
    cluster.control.advance("1m")
    assert releases(cluster) == {
        "module-one-v0.7.23": "Superseded",
        "module-one-v0.8.0": "Skipped",
        "module-one-v0.9.0": "Deployed",
    }


# -- SimulationControl.api_fault -----------------------------------------------------------------


def test_api_fault_fails_only_the_named_object_and_only_as_often_as_asked(cluster):
    rule = cluster.control.api_fault("get", "modules", Conflict("injected"), name="module-two", times=2)
    for _ in range(2):
        with pytest.raises(Conflict, match="injected"):
            cluster.client.get(kinds.MODULE, "module-two")
    with pytest.raises(Exception, match="not found"):
        cluster.client.get(kinds.MODULE, "module-two")
    assert rule.hits == 2
