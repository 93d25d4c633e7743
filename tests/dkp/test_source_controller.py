"""The source controller against the fake API server and a real registry (dkp-behaviour §2, §3.1, §5.2).

Enabling a module is done here the way the config controller leaves it (``properties.source`` and
``EnabledByModuleConfig=True``), so these tests depend on nothing but the source and release
controllers; the manager drives them on the virtual clock.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta

import pytest

from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api import kinds
from harness.dkp.rules import conditions
from harness.kube.errors import NotFound

pytestmark = pytest.mark.registry

COND_MC = "EnabledByModuleConfig"


def enable(kube, clock, module, source="example"):
    """What the config controller does for ``enabled: true`` with one available source (§4.3)."""
    obj = kube.get(kinds.MODULE, module)
    obj["properties"]["source"] = source
    obj = kube.update(kinds.MODULE, obj)
    conditions.set_true(obj["status"]["conditions"], COND_MC, now=clock.now())
    kube.update(kinds.MODULE, obj, subresource="status")


def set_phase(kube, module, phase):
    obj = kube.get(kinds.MODULE, module)
    obj["status"]["phase"] = phase
    kube.update(kinds.MODULE, obj, subresource="status")


def releases(kube, module):
    found = kube.list(kinds.MODULE_RELEASE, label_selector=f"module={module}")
    return {r["metadata"]["name"]: r for r in found}


def checksum_of(source):
    return source["metadata"]["annotations"][ann.REGISTRY_SPEC_CHECKSUM]


def cond(obj, type_):
    return conditions.find(obj["status"]["conditions"], type_)


@pytest.fixture
def two_modules(publisher):
    publisher.publish("module-one", "v1.0.0", channels=["Stable"])
    publisher.publish("module-two", "v0.3.1", channels=["Stable"])


def test_first_sync_counts_the_modules_and_lists_them_sorted(
    kube, manager, source_manifest, clock, two_modules
):
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()

    source = kube.get(kinds.MODULE_SOURCE, "example")
    status = source["status"]
    assert status["phase"] == "Active"
    assert status["modulesCount"] == 2
    assert status["message"] == ""
    assert status["syncTime"] == "2024-12-16T09:00:00Z"
    assert [m["name"] for m in status["modules"]] == ["module-one", "module-two"]
    assert [m["version"] for m in status["modules"]] == ["v1.0.0", "v0.3.1"]
    assert all(m["checksum"].startswith("sha256:") and "policy" not in m for m in status["modules"])
    assert fin.MODULE_EXISTS in source["metadata"]["finalizers"]
    assert len(source["metadata"]["annotations"][ann.REGISTRY_SPEC_CHECKSUM]) == 32


def test_modules_appear_available_with_the_documented_conditions(kube, manager, source_manifest, two_modules):
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()

    module = kube.get(kinds.MODULE, "module-one")
    assert module["properties"] == {"availableSources": ["example"], "releaseChannel": "Stable"}
    assert module["status"]["phase"] == "Available"
    manager_cond = cond(module, "EnabledByModuleManager")
    assert manager_cond["status"] == "False" and "reason" not in manager_cond
    ready = cond(module, "IsReady")
    assert (ready["status"], ready["reason"], ready["message"]) == ("False", "NotInstalled", "not installed")
    assert ready["lastTransitionTime"] == "2024-12-16T09:00:00Z"


def test_the_source_rescans_every_three_minutes_and_finds_new_modules(
    kube, manager, source_manifest, publisher, two_modules
):
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()
    publisher.publish("module-three", "v2.0.0", channels=["Stable"])

    manager.advance(timedelta(minutes=2, seconds=59))
    assert kube.get(kinds.MODULE_SOURCE, "example")["status"]["modulesCount"] == 2

    manager.advance(timedelta(seconds=1))
    status = kube.get(kinds.MODULE_SOURCE, "example")["status"]
    assert status["modulesCount"] == 3
    assert status["syncTime"] == "2024-12-16T09:03:00Z"
    assert kube.get(kinds.MODULE, "module-three")["status"]["phase"] == "Available"


def test_forbidden_tag_names_are_not_modules(kube, manager, source_manifest, publisher):
    publisher.publish("good", "v1.0.0", channels=["Stable"])
    publisher.publish("modules", "v1.0.0", channels=["Stable"])
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()

    assert [m["name"] for m in kube.get(kinds.MODULE_SOURCE, "example")["status"]["modules"]] == ["good"]
    with pytest.raises(NotFound):
        kube.get(kinds.MODULE, "modules")


def test_an_enabled_module_without_its_channel_tag_shows_the_registry_error(
    kube, manager, clock, source_manifest, publisher, registry
):
    publisher.publish("module-1", "v1.0.0", channels=["Alpha"])
    publisher.publish("module-2", "v1.0.0", channels=["Alpha"])
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()
    enable(kube, clock, "module-1")
    manager.settle()

    status = kube.get(kinds.MODULE_SOURCE, "example")["status"]
    by_name = {m["name"]: m for m in status["modules"]}
    expected = (
        f"fetch image error: GET http://{registry.address}/v2/{registry.repo_path}"
        "/module-1/release/manifests/stable: MANIFEST_UNKNOWN: manifest unknown; map[Tag:stable]"
    )
    assert by_name["module-1"]["pullError"] == expected
    assert by_name["module-1"]["version"] == "unknown"
    assert status["message"] == "Some errors occurred. Inspect status for details"
    # Not enabled from this source: the same failure is not reported (§2.1 step 5).
    assert "pullError" not in by_name["module-2"]
    assert by_name["module-2"]["version"] == "unknown"


def test_credentials_for_another_host_are_reported_without_leaking_the_secret(
    kube, manager, source_manifest, registry, two_modules
):
    auth = base64.b64encode(b"alice:s3cret-pass").decode()
    cfg = base64.b64encode(json.dumps({"auths": {"registry.example.com": {"auth": auth}}}).encode()).decode()
    kube.create(kinds.MODULE_SOURCE, source_manifest(dockerCfg=cfg))
    manager.settle()

    status = kube.get(kinds.MODULE_SOURCE, "example")["status"]
    assert status["message"] == f'read auth config: "{registry.repo}" credentials not found in the dockerCfg'
    assert status["syncTime"] == "2024-12-16T09:00:00Z"
    assert "modules" not in status
    assert "s3cret" not in json.dumps(status)


def test_an_enabled_module_gets_its_first_release_with_apply_now(
    kube, manager, clock, source_manifest, publisher
):
    digests = publisher.publish("demo", "v1.2.3", channels=["Stable"], weight=910)
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()
    source_uid = kube.get(kinds.MODULE_SOURCE, "example")["metadata"]["uid"]
    enable(kube, clock, "demo")
    manager.settle()

    release = releases(kube, "demo")["demo-v1.2.3"]
    digest = digests["demo/release:stable"]
    assert release["metadata"]["labels"] == {
        "module": "demo",
        "source": "example",
        "release-checksum": hashlib.md5(digest.encode()).hexdigest(),
        "modules.deckhouse.io/update-policy": "",
        "status": "deployed",
    }
    assert (
        release["metadata"]["annotations"]["modules.deckhouse.io/change-cause"]
        == "check release (no releases in cluster)"
    )
    assert release["metadata"]["ownerReferences"] == [
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleSource",
            "name": "example",
            "uid": source_uid,
            "controller": True,
        }
    ]
    assert release["spec"]["moduleName"] == "demo"
    assert release["spec"]["version"] == "1.2.3"
    assert release["spec"]["weight"] == 910
    entry = kube.get(kinds.MODULE_SOURCE, "example")["status"]["modules"][0]
    assert (entry["version"], entry["checksum"]) == ("v1.2.3", digest)


def test_enabling_moves_the_module_to_downloading(
    kube, make_manager, source_controller, clock, source_manifest, publisher
):
    publisher.publish("demo", "v1.0.0", channels=["Stable"])
    manager = make_manager([source_controller])
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()
    enable(kube, clock, "demo")
    manager.settle()

    module = kube.get(kinds.MODULE, "demo")
    assert module["status"]["phase"] == "Downloading"
    ready = cond(module, "IsReady")
    assert (ready["reason"], ready["message"]) == ("Downloading", "downloading")
    assert "apply-now" in "".join(releases(kube, "demo")["demo-v1.0.0"]["metadata"]["annotations"])


def test_a_jump_of_several_minors_creates_one_release_per_minor(
    kube, manager, clock, source_manifest, publisher
):
    kube.create(
        kinds.MODULE_CONFIG,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleConfig",
            "metadata": {"name": "deckhouse"},
            "spec": {"version": 1, "settings": {"update": {"mode": "Manual"}}},
        },
    )
    publisher.publish("demo", "v1.1.0", channels=["Stable"])
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()
    enable(kube, clock, "demo")
    manager.settle()
    set_phase(kube, "demo", "Ready")
    for version in ("v1.2.0", "v1.2.1", "v1.3.0"):
        publisher.publish("demo", version)
    publisher.publish("demo", "v1.4.0", channels=["Stable"])

    manager.advance(timedelta(minutes=3))

    found = releases(kube, "demo")
    assert sorted(found) == ["demo-v1.1.0", "demo-v1.2.1", "demo-v1.3.0", "demo-v1.4.0"]
    for name in ("demo-v1.2.1", "demo-v1.3.0", "demo-v1.4.0"):
        annotations = found[name]["metadata"]["annotations"]
        assert annotations["modules.deckhouse.io/change-cause"] == "check release (step-by-step)"
        assert "modules.deckhouse.io/apply-now" not in annotations
        assert found[name]["status"]["phase"] == "Pending"


def test_a_module_gone_from_the_registry_is_removed_from_the_cluster(
    kube, manager, source_manifest, publisher, two_modules
):
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()
    publisher.remove_tag("", "module-two")

    manager.advance(timedelta(minutes=3))

    with pytest.raises(NotFound):
        kube.get(kinds.MODULE, "module-two")
    assert kube.get(kinds.MODULE_SOURCE, "example")["status"]["modulesCount"] == 1


def test_a_module_offered_by_two_sources_only_loses_the_removed_one(
    kube, manager, source_manifest, publisher, two_modules
):
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    kube.create(kinds.MODULE_SOURCE, source_manifest("other"))
    manager.settle()
    assert kube.get(kinds.MODULE, "module-two")["properties"]["availableSources"] == ["example", "other"]

    kube.delete(kinds.MODULE_SOURCE, "other")
    manager.settle()

    assert kube.get(kinds.MODULE, "module-two")["properties"]["availableSources"] == ["example"]


def test_a_source_with_a_deployed_release_refuses_deletion_until_forced(
    kube, manager, clock, source_manifest, publisher
):
    publisher.publish("demo", "v1.0.0", channels=["Stable"])
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()
    enable(kube, clock, "demo")
    manager.settle()
    assert fin.RELEASE_EXISTS in kube.get(kinds.MODULE_SOURCE, "example")["metadata"]["finalizers"]

    kube.delete(kinds.MODULE_SOURCE, "example")
    manager.advance(timedelta(seconds=10))

    source = kube.get(kinds.MODULE_SOURCE, "example")
    assert source["status"]["phase"] == "Terminating"
    assert source["status"]["message"] == (
        "The source contains at least 1 deployed release and cannot be deleted. "
        "Please delete target ModuleReleases manually to continue"
    )

    kube.patch(kinds.MODULE_SOURCE, "example", {"metadata": {"annotations": {ann.FORCE_DELETE: "true"}}})
    manager.advance(timedelta(seconds=5))

    with pytest.raises(NotFound):
        kube.get(kinds.MODULE_SOURCE, "example")
    # force-delete skips the module cleanup: the Module keeps its (now dangling) source.
    assert kube.get(kinds.MODULE, "demo")["properties"]["availableSources"] == ["example"]


def test_changing_the_registry_marks_deployed_releases(
    kube, make_manager, source_controller, source_manifest, publisher, registry
):
    publisher.publish("demo", "v1.0.0", channels=["Stable"])
    manager = make_manager([source_controller])
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()
    before = kube.get(kinds.MODULE_SOURCE, "example")["metadata"]["annotations"][ann.REGISTRY_SPEC_CHECKSUM]
    for name, phase in (("demo-v1.0.0", "Deployed"), ("demo-v0.9.0", "Superseded")):
        kube.create(
            kinds.MODULE_RELEASE,
            {
                "apiVersion": "deckhouse.io/v1alpha1",
                "kind": "ModuleRelease",
                "metadata": {"name": name, "labels": {"module": "demo", "source": "example"}},
                "spec": {"moduleName": "demo", "version": name.removeprefix("demo-v")},
            },
        )
        kube.patch(kinds.MODULE_RELEASE, name, {"status": {"phase": phase}}, subresource="status")

    manager.advance(timedelta(minutes=1))
    moved = {"spec": {"registry": {"repo": f"{registry.repo}-moved"}}}
    kube.patch(kinds.MODULE_SOURCE, "example", moved)
    manager.settle()

    after = kube.get(kinds.MODULE_SOURCE, "example")["metadata"]["annotations"][ann.REGISTRY_SPEC_CHECKSUM]
    assert after != before
    deployed = kube.get(kinds.MODULE_RELEASE, "demo-v1.0.0")["metadata"]["annotations"]
    assert deployed[ann.REGISTRY_SPEC_CHANGED] == "2024-12-16T09:01:00Z"
    superseded = kube.get(kinds.MODULE_RELEASE, "demo-v0.9.0")["metadata"].get("annotations") or {}
    assert ann.REGISTRY_SPEC_CHANGED not in superseded


def test_a_channel_image_without_a_version_is_reported_malformed(
    kube, manager, clock, source_manifest, publisher
):
    publisher.publish("demo", "v1.0.0", channels=["Alpha"])
    publisher.push_release_without_version("demo", "Stable")
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()
    enable(kube, clock, "demo")
    manager.settle()

    entry = kube.get(kinds.MODULE_SOURCE, "example")["status"]["modules"][0]
    assert entry["pullError"] == 'module "demo" metadata malformed: no version found'
    assert entry["version"] == "unknown"


def test_the_checksum_annotation_is_the_md5_of_the_registry_spec_as_go_marshals_it(
    kube, manager, source_manifest, registry
):
    """Upstream ``syncRegistrySettings`` hashes ``json.Marshal(source.Spec.Registry)``: the Go
    struct's field order, the absent ``dockerCfg`` and (before v1.78) ``ca`` written as ``""``."""
    kube.create(kinds.MODULE_SOURCE, source_manifest())
    manager.settle()

    go_json = f'{{"scheme":"HTTP","repo":"{registry.repo}","dockerCfg":"","ca":""}}'
    expected = hashlib.md5(go_json.encode(), usedforsecurity=False).hexdigest()
    assert checksum_of(kube.get(kinds.MODULE_SOURCE, "example")) == expected


def test_a_source_with_other_annotations_but_no_checksum_marks_its_deployed_releases(
    kube, make_manager, source_controller, source_manifest, publisher, clock
):
    """Only a source without any annotation is taken as never scanned (``len(Annotations) == 0``
    upstream); one that lost the checksum but kept another annotation compares ``""`` with the
    checksum, so its deployed releases are marked as after a registry change."""
    publisher.publish("demo", "v1.0.0", channels=["Stable"])
    manifest = source_manifest()
    manifest["metadata"]["annotations"] = {ann.DEFAULT_SOURCE: "true"}
    kube.create(kinds.MODULE_SOURCE, manifest)
    kube.create(
        kinds.MODULE_RELEASE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleRelease",
            "metadata": {"name": "demo-v1.0.0", "labels": {"module": "demo", "source": "example"}},
            "spec": {"moduleName": "demo", "version": "1.0.0"},
        },
    )
    kube.patch(kinds.MODULE_RELEASE, "demo-v1.0.0", {"status": {"phase": "Deployed"}}, subresource="status")
    make_manager([source_controller]).settle()

    marks = kube.get(kinds.MODULE_RELEASE, "demo-v1.0.0")["metadata"]["annotations"]
    assert marks[ann.REGISTRY_SPEC_CHANGED] == "2024-12-16T09:00:00Z"
