"""Hostile paths and query parameters: a Status for each, never a 500, never a hang."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.conftest import CM_PATH, Hostile

PROBES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_QUERY_KEYS = st.sampled_from(
    [
        "labelSelector",
        "fieldSelector",
        "limit",
        "continue",
        "resourceVersion",
        "resourceVersionMatch",
        "timeoutSeconds",
        "dryRun",
        "fieldManager",
        "fieldValidation",
        "propagationPolicy",
        "includeObject",
    ]
)


@PROBES
@given(st.dictionaries(_QUERY_KEYS, st.text(max_size=30), max_size=4))
def test_any_list_query_gets_a_list_or_a_status(hostile: Hostile, query: dict[str, str]):
    query.pop("timeoutSeconds", None)  # a list ignores it; a watch would wait for it
    reply = hostile.request("GET", f"{CM_PATH}?{urlencode(query)}")
    assert reply.status in (200, 400, 410, 422, 504), reply.body[:300]
    if reply.status != 200:
        assert reply.status_object()["status"] == "Failure"
    else:
        assert reply.json()["kind"] == "ConfigMapList"


@PROBES
@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=6))
def test_any_path_gets_a_status_never_a_500(hostile: Hostile, segments: list[str]):
    path = "/api/v1/" + "/".join(quote(s, safe="") for s in segments)
    for method in ("GET", "DELETE", "PATCH"):
        reply = hostile.request(method, path, b"{}" if method == "PATCH" else None)
        assert reply.status < 500, (method, path, reply.body[:300])
        reply.status_object() if reply.status >= 400 else reply.json()


@PROBES
@given(st.text(max_size=60))
def test_any_label_selector_on_a_watch_is_answered(hostile: Hostile, selector: str):
    query = urlencode({"watch": "true", "labelSelector": selector, "timeoutSeconds": "-1"})
    reply = hostile.request("GET", f"{CM_PATH}?{query}")
    assert reply.status in (200, 400), reply.body[:300]
    if reply.status == 400:
        assert reply.status_object()["reason"] == "BadRequest"


_CREATE_PATHS = (
    CM_PATH,
    "/api/v1/nodes",
    "/api/v1/namespaces/default/services",
    "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
    "/apis/authentication.k8s.io/v1/selfsubjectreviews",
)


@PROBES
@given(st.sampled_from(_CREATE_PATHS), st.binary(max_size=120), st.booleans())
def test_any_protobuf_body_gets_a_status_never_a_500(hostile: Hostile, path: str, tail: bytes, magic: bool):
    body = (b"k8s\x00" if magic else b"") + tail
    reply = hostile.request(
        "POST", path, body, headers={"Content-Type": "application/vnd.kubernetes.protobuf"}
    )
    assert reply.status < 500, (path, body, reply.body[:300])
    reply.status_object() if reply.status >= 400 else reply.json()


def test_a_continue_token_beside_a_resource_version_is_refused(hostile: Hostile):
    """The token fixes the list's snapshot; a second resourceVersion was served from the token's,
    silently. kube-apiserver's list validation refuses the pair (``0`` aside)."""
    for name in ("page-a", "page-b"):
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
        assert hostile.request("POST", CM_PATH, body).status in (201, 409)
    first = hostile.request("GET", f"{CM_PATH}?limit=1").json()
    token, rv = first["metadata"]["continue"], first["metadata"]["resourceVersion"]
    status = hostile.request(
        "GET", f"{CM_PATH}?{urlencode({'limit': 1, 'continue': token, 'resourceVersion': rv})}"
    )
    found = status.status_object()
    assert (found["code"], found["reason"]) == (400, "BadRequest")
    assert found["message"] == "specifying resource version is not allowed when using continue"
    resumed = hostile.request(
        "GET", f"{CM_PATH}?{urlencode({'limit': 1, 'continue': token, 'resourceVersion': '0'})}"
    )
    assert resumed.status == 200 and resumed.json()["items"]


def test_the_sentinel_survived_the_queries(hostile: Hostile):
    hostile.assert_healthy()
