"""``406 NotAcceptable`` for an ``Accept`` naming nothing the endpoint serves, as kube-apiserver 1.32
negotiates it (``NegotiateMediaTypeOptions`` and ``NegotiateOutputMediaTypeStream`` in
``k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go``, ``errNotAcceptable`` in its
``errors.go``; the cases of ``pkg/endpoints/apiserver_test.go`` at v0.32.9): every resource handler
negotiates the answer's type before it does anything else, and a watch negotiates a stream type
again. The harness used to answer JSON to anything."""

from __future__ import annotations

import pytest
import yaml

from harness.apiserver.transform import refusal

from .conftest import widget

WIDGETS = "/apis/example.com/v1alpha2/widgets"
CONFIGMAPS = "/api/v1/namespaces/default/configmaps"
SERVED = (
    "only the following media types are accepted: "
    "application/json, application/yaml, application/vnd.kubernetes.protobuf"
)
STREAMS = (
    "only the following media types are accepted: "
    "application/json;stream=watch, application/vnd.kubernetes.protobuf;stream=watch"
)
KUBECTL_GET = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
    "application/json"
)
PYTHON_CLIENT = "application/json, application/yaml, application/vnd.kubernetes.protobuf"


@pytest.mark.parametrize(
    ("accept", "custom", "watch", "expected"),
    [
        ("", False, False, None),
        ("", True, True, None),
        ("application/json", True, True, None),
        ("*/*", False, False, None),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False, True, None),
        (KUBECTL_GET, True, False, None),
        (PYTHON_CLIENT, True, True, None),
        ("application/*", False, False, None),
        ("text/html", False, False, SERVED),
        ("text/plain", True, False, SERVED),
        ("application", False, False, SERVED),  # no type/subtype: no clause at all
        ("application/json;as=Table;v=v1alpha1;g=meta.k8s.io", False, False, SERVED),
        ("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io", False, False, SERVED),
        (
            "application/json;as=PartialObjectMetadata;v=v1alpha1;g=meta.k8s.io, application/json",
            False,
            False,
            None,
        ),
        ("application/yaml;stream=watch", False, True, SERVED),  # YAML has no stream serializer
        ("application/json;stream=watch", False, True, None),
        ("application/json;stream=other", False, False, SERVED),
        ("application/yaml", False, True, STREAMS),
        ("application/yaml, application/json", False, True, STREAMS),  # YAML is picked, then refused
        ("application/yaml", False, False, None),
        # a custom resource serves protobuf only for metadata-only answers (``StandardSerializers``)
        ("application/vnd.kubernetes.protobuf", True, False, SERVED),
        ("application/vnd.kubernetes.protobuf", False, False, None),
        ("application/vnd.kubernetes.protobuf, application/json", True, False, None),
        (
            "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
            True,
            False,
            None,
        ),
    ],
)
def test_the_negotiation_refuses_only_what_upstream_refuses(accept, custom, watch, expected):
    assert refusal(accept, custom=custom, watch=watch) == expected


def test_an_unservable_accept_is_a_406_before_the_object_is_looked_up(http):
    answer = http.get(f"{CONFIGMAPS}/missing", headers={"Accept": "text/html"})
    assert answer.status_code == 406
    assert answer.headers["content-type"] == "application/json"
    status = answer.json()
    assert (status["kind"], status["reason"], status["code"]) == ("Status", "NotAcceptable", 406)
    assert status["message"] == SERVED


def test_a_write_with_an_unservable_accept_is_refused_and_not_stored(http):
    created = http.post(WIDGETS, json=widget("a"), headers={"Accept": "text/plain"})
    assert created.status_code == 406
    assert http.get(f"{WIDGETS}/a").status_code == 404
    assert http.post(WIDGETS, json=widget("a"), headers={"Accept": PYTHON_CLIENT}).status_code == 201


def test_a_yaml_watch_is_refused_in_yaml_listing_the_stream_types(http):
    answer = http.get(f"{CONFIGMAPS}?watch=1", headers={"Accept": "application/yaml"})
    assert answer.status_code == 406
    assert answer.headers["content-type"] == "application/yaml"
    status = yaml.safe_load(answer.text)
    assert (status["reason"], status["message"]) == ("NotAcceptable", STREAMS)


def test_a_custom_resource_read_asking_only_for_protobuf_is_refused(http):
    assert http.post(WIDGETS, json=widget("a")).status_code == 201
    answer = http.get(f"{WIDGETS}/a", headers={"Accept": "application/vnd.kubernetes.protobuf"})
    assert (answer.status_code, answer.json()["message"]) == (406, SERVED)


def test_a_custom_resource_skips_plain_protobuf_for_the_next_clause(http):
    """client-go offers protobuf first; for a custom resource the next clause decides."""
    assert http.post(WIDGETS, json=widget("a")).status_code == 201
    accept = "application/vnd.kubernetes.protobuf, application/json;as=Table;v=v1;g=meta.k8s.io"
    assert http.get(WIDGETS, headers={"Accept": accept}).json()["kind"] == "Table"
    assert http.get(CONFIGMAPS, headers={"Accept": accept}).json()["kind"] == "ConfigMapList"


@pytest.mark.parametrize("path", ["/api", "/apis", "/api/v1", "/apis/apps", "/apis/apps/v1"])
def test_a_discovery_document_refuses_what_it_cannot_serve(http, path):
    """``WriteObjectNegotiated`` with ``DefaultEndpointRestrictions``: no conversion at all."""
    assert http.get(path, headers={"Accept": "text/html"}).json()["message"] == SERVED
    table = "application/json;as=Table;v=v1;g=meta.k8s.io"
    assert http.get(path, headers={"Accept": table}).status_code == 406
    assert http.get(path, headers={"Accept": f"{table}, application/json"}).status_code == 200
    assert http.get(path, headers={"Accept": "text/html, */*;q=0.8"}).status_code == 200


def test_an_unknown_discovery_path_stays_a_404(http):
    assert http.get("/apis/nowhere.example.com", headers={"Accept": "text/html"}).status_code == 404
