"""JSON patches as kube-apiserver 1.32 applies them: evanphx/json-patch v4.12.0's semantics and
words (``patch.go``), answered as the patch handler's ``NewGenericServerResponse(422, ...)``
(``k8s.io/apiserver/pkg/endpoints/handlers/patch.go``, ``jsonPatcher.applyJSPatch``)."""

from __future__ import annotations

import json

import pytest

from .conftest import widget
from .test_kubectl import cluster  # noqa: F401  (the fixture)

WIDGETS = "/apis/example.com/v1alpha2/widgets"
JSON_PATCH = {"Content-Type": "application/json-patch+json"}
REJECTED = "the server rejected our request due to an error in our request"


def _patch(http, ops):
    return http.patch(f"{WIDGETS}/w", content=json.dumps(ops), headers=JSON_PATCH)


@pytest.fixture
def stored(http):
    body = widget("w", count=2, windows=[{"days": ["Mon"]}])
    body["metadata"]["finalizers"] = ["example.com/a", "example.com/b"]
    created = http.post(WIDGETS, json=body)
    assert created.status_code == 201, created.text
    return http


@pytest.mark.parametrize(
    ("ops", "cause"),
    [
        (
            [{"op": "remove", "path": "/spec/nope"}],
            "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value",
        ),
        (
            [{"op": "add", "path": "/spec/a/b", "value": 1}],
            'add operation does not apply: doc is missing path: "/spec/a/b": missing value',
        ),
        (
            [{"op": "test", "path": "/spec/count", "value": 3}],
            "testing value /spec/count failed: test failed",
        ),
        (
            [{"op": "test", "path": "/spec/count", "value": "2"}],
            "testing value /spec/count failed: test failed",
        ),
        (
            [{"op": "replace", "path": "/metadata/finalizers/2", "value": "x"}],
            "replace operation does not apply: doc is missing key: /metadata/finalizers/2: missing value",
        ),
        (
            [{"op": "add", "path": "/metadata/finalizers/x", "value": "x"}],
            "error in add for path: '/metadata/finalizers/x': value was not a proper array index: 'x': "
            'strconv.Atoi: parsing "x": invalid syntax',
        ),
        (
            [{"op": "add", "path": "/metadata/finalizers/3", "value": "x"}],
            "error in add for path: '/metadata/finalizers/3': Unable to access invalid index: 3: "
            "invalid index referenced",
        ),
        ([{"op": "frobnicate", "path": "/spec"}], "Unexpected kind: frobnicate"),
        (
            [{"op": "move", "from": "/spec/nope", "path": "/spec/x"}],
            "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value",
        ),
    ],
)
def test_a_patch_that_does_not_apply_is_the_generic_422_with_json_patchs_words(stored, ops, cause):
    r = _patch(stored, ops)
    assert r.status_code == 422
    assert r.json() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": REJECTED,
        "reason": "Invalid",
        "details": {"causes": [{"reason": "UnexpectedServerResponse", "message": cause}]},
        "code": 422,
    }


def test_replace_of_a_missing_key_adds_it(stored):
    r = _patch(stored, [{"op": "replace", "path": "/metadata/labels", "value": {"a": "b"}}])
    assert r.status_code == 200, r.text
    assert r.json()["metadata"]["labels"] == {"a": "b"}


def test_indices_are_atoi_numbers_and_negative_ones_count_from_the_end(stored):
    ops = [
        {"op": "add", "path": "/metadata/finalizers/-1", "value": "example.com/m"},
        {"op": "replace", "path": "/metadata/finalizers/+0", "value": "example.com/z"},
        {"op": "test", "path": "/metadata/finalizers/01", "value": "example.com/b"},
    ]
    r = _patch(stored, ops)
    assert r.status_code == 200, r.text
    # add at -1 counts from the end of the longer array: it appends
    assert r.json()["metadata"]["finalizers"] == ["example.com/z", "example.com/b", "example.com/m"]


def test_a_body_that_is_not_a_list_of_operations_is_the_decoders_400(stored):
    r = stored.patch(f"{WIDGETS}/w", content=b'{"op": "add"}', headers=JSON_PATCH)
    assert r.status_code == 400
    assert r.json()["message"] == "json: cannot unmarshal object into Go value of type jsonpatch.Patch"


@pytest.mark.kubectl
def test_kubectl_patch_json_prints_the_request_is_invalid(cluster):  # noqa: F811
    _server, kubectl = cluster
    kubectl("create", "cm", "c", "-n", "default", "--from-literal=a=b")
    done = kubectl(
        "patch",
        "cm",
        "c",
        "-n",
        "default",
        "--type=json",
        "-p",
        '[{"op":"remove","path":"/data/nope"}]',
        ok=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "The request is invalid: : error in remove for path: '/data/nope': Unable to remove nonexistent "
        "key: nope: missing value"
    )


def test_a_list_sent_as_the_python_clients_default_merge_patch_is_the_decoders_400(kubeconfig):
    """``CustomObjectsApi.patch_cluster_custom_object`` sends ``application/merge-patch+json``
    whatever the body, so a JSON patch's list of operations arrives as a merge patch: the patch
    handler's strict decode into a map refuses it (``error decoding patch: ...``)."""
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    from .conftest import python_api_client

    with python_api_client(kubeconfig[1]) as api:
        co = client.CustomObjectsApi(api)
        co.create_cluster_custom_object("example.com", "v1alpha2", "widgets", widget("w"))
        ops = [{"op": "replace", "path": "/spec/count", "value": 3}]
        with pytest.raises(ApiException) as info:
            co.patch_cluster_custom_object("example.com", "v1alpha2", "widgets", "w", ops)
    status = json.loads(info.value.body)
    assert (info.value.status, status["reason"]) == (400, "BadRequest")
    assert status["message"] == (
        "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}"
    )


def test_a_strategic_patch_not_an_object_has_no_prefix_and_a_null_merge_patch_is_invalid(stored):
    """A strategic merge patch's decode error is the bare decoder's text; a merge patch of
    ``null`` is json-patch's ``ErrBadJSONPatch``, which the handler turns into a 400."""
    assert stored.post("/api/v1/namespaces/default/configmaps", json={"metadata": {"name": "c"}}).is_success
    strategic = stored.patch(
        "/api/v1/namespaces/default/configmaps/c",
        content=b'"text"',
        headers={"Content-Type": "application/strategic-merge-patch+json"},
    )
    assert (strategic.status_code, strategic.json()["message"]) == (
        400,
        "json: cannot unmarshal string into Go value of type map[string]interface {}",
    )
    merge = stored.patch(
        f"{WIDGETS}/w", content=b"null", headers={"Content-Type": "application/merge-patch+json"}
    )
    assert (merge.status_code, merge.json()["message"]) == (400, "Invalid JSON Patch")
