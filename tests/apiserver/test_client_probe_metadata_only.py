"""Metadata-only answers (``Accept: application/json;as=PartialObjectMetadata[List];g=meta.k8s.io;
v=v1``) and Tables in ``meta.k8s.io/v1beta1``, as kube-apiserver 1.32 converts them
(``doTransformObject``, ``asPartialObjectMetadata(List)`` and ``asTable`` in
``k8s.io/apiserver/pkg/endpoints/handlers/response.go``; the negotiation in
``handlers/negotiation/negotiate.go``). The sandbox used to send the whole objects, so a script
that lists metadata only (the Python client's dynamic client with that ``Accept``, client-go's
metadata informers) read ``ModuleConfigList`` items with their specs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from harness.apiserver import ApiServer

from .conftest import python_api_client, widget

WIDGETS = "/apis/example.com/v1alpha2/widgets"
POM = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"
POML = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"


@pytest.fixture
def dynamic_client(kubeconfig: tuple[ApiServer, str]) -> Iterator[tuple[ApiServer, Any]]:
    from kubernetes import dynamic

    server, path = kubeconfig
    with python_api_client(path) as api:
        yield server, dynamic.DynamicClient(api)


def test_the_dynamic_client_lists_and_gets_metadata_only(dynamic_client):
    server, dc = dynamic_client
    created = server.client().create(server.client().resolve("example.com/v1alpha2", "Widget"), widget("a"))
    widgets = dc.resources.get(api_version="example.com/v1alpha2", kind="Widget")
    listed = widgets.get(header_params={"Accept": POML})
    assert (listed.kind, listed.apiVersion) == ("PartialObjectMetadataList", "meta.k8s.io/v1")
    assert listed.metadata.resourceVersion == created["metadata"]["resourceVersion"]
    (item,) = listed.items
    assert (item.kind, item.apiVersion, item.metadata.name) == (
        "PartialObjectMetadata",
        "meta.k8s.io/v1",
        "a",
    )
    assert item.spec is None  # no spec, no status: the metadata alone
    assert item.metadata.uid == created["metadata"]["uid"]
    assert item.metadata.managedFields  # the whole ObjectMeta, managedFields included
    one = widgets.get(name="a", header_params={"Accept": POM})
    assert (one.kind, one.metadata.name, one.spec) == ("PartialObjectMetadata", "a", None)


def test_an_empty_metadata_list_has_null_items_as_a_nil_go_slice(http):
    body = http.get(WIDGETS, headers={"Accept": POML}).json()
    assert body["kind"] == "PartialObjectMetadataList"
    assert body["items"] is None


def test_the_wrong_shape_for_the_endpoint_is_a_406_naming_the_go_type(http):
    assert http.post(WIDGETS, json=widget("a")).status_code == 201
    listed = http.get(WIDGETS, headers={"Accept": POM})
    assert listed.status_code == 406
    assert listed.json()["reason"] == "NotAcceptable"
    assert listed.json()["message"] == (
        "you requested PartialObjectMetadata, but the requested object is a list "
        "(*unstructured.UnstructuredList)"
    )
    one = http.get(f"{WIDGETS}/a", headers={"Accept": POML}).json()
    assert one["message"] == (
        "you requested PartialObjectMetadataList, but the requested object is not a list "
        "(*unstructured.Unstructured)"
    )
    pods = http.get("/api/v1/namespaces/default/pods", headers={"Accept": POM}).json()
    assert pods["message"].endswith("is a list (*core.PodList)")


def test_the_first_servable_clause_wins_and_an_unknown_conversion_alone_is_a_406(http):
    """client-go's metadata client offers protobuf first, then JSON, then the plain object."""
    assert http.post(WIDGETS, json=widget("a")).status_code == 201
    metadata_client = (
        "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
        "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
    )
    assert (
        http.get(WIDGETS, headers={"Accept": metadata_client}).json()["kind"] == "PartialObjectMetadataList"
    )
    unknown = "application/json;as=Bogus;g=meta.k8s.io;v=v1"
    assert http.get(f"{WIDGETS}/a", headers={"Accept": unknown}).status_code == 406
    fallback = f"{unknown}, application/json"
    assert http.get(f"{WIDGETS}/a", headers={"Accept": fallback}).json()["kind"] == "Widget"
    v2 = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v2, application/json;q=0.5"
    assert http.get(f"{WIDGETS}/a", headers={"Accept": v2}).json()["kind"] == "Widget"


def test_v1beta1_asks_for_v1beta1_objects(http):
    assert http.post(WIDGETS, json=widget("a")).status_code == 201
    table = http.get(WIDGETS, headers={"Accept": "application/json;as=Table;g=meta.k8s.io;v=v1beta1"}).json()
    assert (table["kind"], table["apiVersion"]) == ("Table", "meta.k8s.io/v1beta1")
    assert table["rows"][0]["object"]["apiVersion"] == "meta.k8s.io/v1beta1"
    partial = http.get(
        WIDGETS, headers={"Accept": "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1"}
    ).json()
    assert partial["apiVersion"] == "meta.k8s.io/v1beta1"
    assert partial["items"][0]["apiVersion"] == "meta.k8s.io/v1beta1"


def test_writes_answer_metadata_only_too_and_still_happen(http):
    created = http.post(WIDGETS, json=widget("a"), headers={"Accept": POM})
    assert created.status_code == 201
    assert created.json()["kind"] == "PartialObjectMetadata" and "spec" not in created.json()
    patched = http.patch(
        f"{WIDGETS}/a",
        content=b'{"metadata":{"labels":{"x":"y"}}}',
        headers={"Content-Type": "application/merge-patch+json", "Accept": POML},
    )
    assert patched.status_code == 406  # the patch is written before the answer is converted
    assert http.get(f"{WIDGETS}/a").json()["metadata"]["labels"] == {"x": "y"}


def test_a_metadata_only_watch_sends_partial_objects(http):
    assert http.post(WIDGETS, json=widget("a")).status_code == 201
    r = http.get(WIDGETS, params={"watch": "1", "timeoutSeconds": "-1"}, headers={"Accept": POM})
    events = [json.loads(line) for line in r.text.splitlines() if line.strip()]
    assert [(e["type"], e["object"]["kind"]) for e in events] == [("ADDED", "PartialObjectMetadata")]
    assert events[0]["object"]["metadata"]["name"] == "a"


def test_a_bad_include_object_is_refused_in_the_table_options_words(http):
    answer = http.get(
        WIDGETS,
        params={"includeObject": "All"},
        headers={"Accept": "application/json;as=Table;g=meta.k8s.io;v=v1"},
    )
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        'Unable to convert to Table as requested: includeObject: Unsupported value: "All": '
        'supported values: "Metadata", "None", "Object"'
    )
    assert http.get(WIDGETS, params={"includeObject": "All"}).status_code == 200  # no Table, not read


def test_a_metadata_only_watchs_bookmarks_are_partial_objects_too(http):
    """Every event object of a watch passes through the conversion upstream, bookmarks included;
    client-go's metadata informers decode them as ``PartialObjectMetadata``."""
    params = {
        "watch": "1",
        "timeoutSeconds": "-1",
        "sendInitialEvents": "true",
        "resourceVersionMatch": "NotOlderThan",
        "allowWatchBookmarks": "true",
    }
    r = http.get(WIDGETS, params=params, headers={"Accept": POM})
    events = [json.loads(line) for line in r.text.splitlines() if line.strip()]
    (bookmark,) = [e["object"] for e in events if e["type"] == "BOOKMARK"]
    assert (bookmark["kind"], bookmark["apiVersion"]) == ("PartialObjectMetadata", "meta.k8s.io/v1")
    assert bookmark["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}
    plain = http.get(WIDGETS, params=params)
    kinds = [json.loads(line)["object"]["kind"] for line in plain.text.splitlines() if line.strip()]
    assert kinds == ["Widget"]  # without the conversion the bookmark is the watched kind
