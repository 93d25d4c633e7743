"""The served CRDs as ``apiextensions.k8s.io/v1`` objects: what they hold, read-only, stored lazily."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from harness.apiserver import INITIAL_NAMESPACES, ApiServer
from harness.apiserver.crds import default_crd_dir
from harness.clock import VirtualClock
from harness.kube.errors import MethodNotAllowed
from harness.kube.resources import Resource

from .conftest import TEST_CRDS, widget

CRD = Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition")
WIDGETS = Resource("example.com", "v1alpha2", "widgets", "Widget")
ERA_LAYER = default_crd_dir() / "eras" / "v1.76.0"


def _documents(*directories: Path) -> dict[str, dict]:
    """CRD documents by name; a later directory's file replaces the same file name (layers)."""
    files: dict[str, Path] = {}
    for directory in directories:
        files.update({p.name: p for p in directory.glob("*.yaml")})
    docs = [d for p in files.values() for d in yaml.safe_load_all(p.read_text()) if d]
    return {f"{d['spec']['names']['plural']}.{d['spec']['group']}": d for d in docs}


def test_every_served_crd_is_listed_established_with_its_own_spec():
    server = ApiServer(VirtualClock(), crd_dir=default_crd_dir())
    items = server.client().list(CRD)
    expected = _documents(default_crd_dir())
    assert sorted(i["metadata"]["name"] for i in items) == sorted(expected)
    for item in items:
        doc = expected[item["metadata"]["name"]]
        assert item["spec"] == doc["spec"]
        assert item["metadata"].get("labels", {}) == doc["metadata"].get("labels", {})
        status = item["status"]
        assert {c["type"]: c["status"] for c in status["conditions"]} == {
            "NamesAccepted": "True",
            "Established": "True",
        }
        assert status["acceptedNames"]["kind"] == doc["spec"]["names"]["kind"]
        assert status["storedVersions"] == [v["name"] for v in doc["spec"]["versions"] if v["storage"]]


def test_the_crds_of_a_deckhouse_version_layer_replace_the_base_ones():
    if not ERA_LAYER.is_dir():
        pytest.skip(f"no CRD layer at {ERA_LAYER}")
    server = ApiServer(VirtualClock(), crd_dir=[default_crd_dir(), ERA_LAYER])
    layered = _documents(default_crd_dir(), ERA_LAYER)
    changed = list(_documents(ERA_LAYER))
    assert changed, f"{ERA_LAYER} holds no CRD"
    for name in changed:
        assert server.client().get(CRD, name)["spec"] == layered[name]["spec"]
    assert any(layered[n]["spec"] != _documents(default_crd_dir())[n]["spec"] for n in changed)


def test_they_keep_the_servers_start_as_creation_time_not_the_time_of_the_first_read():
    clock = VirtualClock()
    server = ApiServer(clock, crd_dir=TEST_CRDS)
    started = server.client().get(Resource("", "v1", "namespaces", "Namespace"), "default")
    clock.advance(timedelta(hours=1))
    listed = server.client().list(CRD)
    assert listed, "no CRD listed"
    assert {i["metadata"]["creationTimestamp"] for i in listed} == {started["metadata"]["creationTimestamp"]}


def test_unread_they_take_no_resource_version_and_read_they_change_no_uid():
    def created(read_crds_first: bool) -> list[dict]:
        server = ApiServer(VirtualClock(), crd_dir=TEST_CRDS)
        client = server.client()
        if read_crds_first:
            client.list(CRD)
        return [client.create(WIDGETS, widget(f"w{i}"))["metadata"] for i in range(3)]

    unread, read = created(read_crds_first=False), created(read_crds_first=True)
    assert [m["uid"] for m in read] == [m["uid"] for m in unread]
    # The initial namespaces take the first resourceVersions; nothing else comes before a write.
    assert unread[0]["resourceVersion"] == str(len(INITIAL_NAMESPACES) + 1)


@pytest.mark.parametrize("verb", ["create", "update", "patch", "delete"])
def test_every_write_is_a_405_that_says_how_to_serve_another_crd(verb):
    server = ApiServer(VirtualClock(), crd_dir=TEST_CRDS)
    client = server.client()
    before = client.list(CRD)
    current = before[0]
    name = current["metadata"]["name"]
    new = {**current, "metadata": {"name": "gizmos.example.com"}}
    writes = {
        "create": lambda: client.create(CRD, new),
        "update": lambda: client.update(CRD, {**current, "spec": {**current["spec"], "group": "x"}}),
        "patch": lambda: client.patch(CRD, name, {"metadata": {"labels": {"a": "b"}}}),
        "delete": lambda: client.delete(CRD, name),
    }
    with pytest.raises(MethodNotAllowed) as info:
        writes[verb]()
    assert "read-only" in str(info.value) and "--crds" in str(info.value)
    assert client.list(CRD) == before


def test_a_delete_collection_over_http_is_a_405_too(http):
    listed = http.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions").json()["items"]
    answer = http.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
    assert answer.status_code == 405, answer.text
    assert answer.json()["reason"] == "MethodNotAllowed"
    again = http.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions").json()["items"]
    assert again == listed != []


def test_discovery_and_openapi_offer_only_reads(http):
    resources = http.get("/apis/apiextensions.k8s.io/v1").json()["resources"]
    by_name = {r["name"]: r for r in resources}
    assert by_name["customresourcedefinitions"]["verbs"] == ["get", "list", "watch"]
    assert by_name["customresourcedefinitions"]["shortNames"] == ["crd", "crds"]
    assert by_name["customresourcedefinitions/status"]["verbs"] == ["get"]
    doc = http.get("/openapi/v3/apis/apiextensions.k8s.io/v1").json()
    assert doc["paths"], "no paths for the CRDs' group"
    assert {method for ops in doc["paths"].values() for method in ops} == {"get"}


def test_readers_racing_for_the_first_read_all_see_every_crd():
    server = ApiServer(VirtualClock(), crd_dir=default_crd_dir())
    expected = len(_documents(default_crd_dir()))
    start = threading.Barrier(4)
    seen: list[int] = []

    def read() -> None:
        start.wait()
        seen.append(len(server.client().list(CRD)))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [expected] * 4
