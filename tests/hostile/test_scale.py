"""Hostile writes of ``deployments/scale``: metadata that is no ObjectMeta, a Scale naming another
object. kube-apiserver's decoder and its update/patch handlers' ``checkName`` answer these 400; a
Scale must never be applied to the object on the URL when it names another, nor end in a 500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.hostile.conftest import Hostile

DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"
SCALE = f"{DEPLOYMENTS}/scaled/scale"
MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}


@pytest.fixture(scope="module")
def scaled(hostile: Hostile) -> None:
    pod = {"containers": [{"name": "c", "image": "i"}]}
    body = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "scaled"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "scaled"}},
            "template": {"metadata": {"labels": {"app": "scaled"}}, "spec": pod},
        },
    }
    assert hostile.request("POST", DEPLOYMENTS, body).status == 201


def _scale(metadata: Any) -> dict[str, Any]:
    return {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata, "spec": {"replicas": 3}}


DECODE = 'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal '


@pytest.mark.parametrize(
    ("method", "body", "headers", "message"),
    [
        (
            "PUT",
            _scale("x"),
            None,
            DECODE + "string into Go struct field Scale.metadata of type v1.ObjectMeta",
        ),
        (
            "PUT",
            _scale([1]),
            None,
            DECODE + "array into Go struct field Scale.metadata of type v1.ObjectMeta",
        ),
        (
            "PATCH",
            {"metadata": "x"},
            MERGE,
            DECODE + "string into Go struct field Scale.metadata of type v1.ObjectMeta",
        ),
        (
            "PUT",
            _scale({"name": "scaled", "resourceVersion": 5}),
            None,
            DECODE + "number into Go struct field ObjectMeta.metadata.resourceVersion of type string",
        ),
        (
            "PUT",
            _scale({"name": "other"}),
            None,
            "the name of the object (other) does not match the name on the URL (scaled)",
        ),
        (
            "PATCH",
            [{"op": "replace", "path": "/metadata/name", "value": "other"}],
            JSON_PATCH,
            "the name of the object (other) does not match the name on the URL (scaled)",
        ),
        (
            "PUT",
            _scale({"name": "scaled", "namespace": "kube-system"}),
            None,
            "the namespace of the object (kube-system) does not match the namespace on the URL (default)",
        ),
    ],
    ids=[
        "metadata-string",
        "metadata-list",
        "merge-metadata-string",
        "rv-number",
        "other-name",
        "json-rename",
        "other-ns",
    ],
)
def test_a_scale_with_bad_metadata_is_400_and_changes_nothing(
    hostile: Hostile, scaled: None, method: str, body: Any, headers: dict[str, str] | None, message: str
):
    before = hostile.request("GET", SCALE).json()
    status = hostile.request(method, SCALE, body, headers).status_object()
    assert (status["code"], status["reason"], status["message"]) == (400, "BadRequest", message)
    assert hostile.request("GET", SCALE).json() == before
    hostile.assert_healthy()


TABLE = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}


@pytest.mark.parametrize(
    "status",
    [{"readyReplicas": "abc"}, {"replicas": [1]}, {"replicas": 1.5}, {"conditions": "x"}],
    ids=["ready-string", "replicas-list", "replicas-float", "conditions-string"],
)
def test_a_status_of_the_wrong_types_is_refused_and_tables_and_scale_still_answer(
    hostile: Hostile, scaled: None, status: dict[str, Any]
):
    """Stored, ``readyReplicas: "abc"`` made every table list (``kubectl get deploy``) a 500, and
    ``replicas: [1]`` the ``/scale`` read; the Go decoder refuses them on the write."""
    reply = hostile.request("PATCH", f"{DEPLOYMENTS}/scaled/status", {"status": status}, MERGE)
    refused = reply.status_object()
    assert (refused["code"], refused["reason"]) == (422, "Invalid")
    assert "into Go struct field" in refused["message"]
    assert hostile.request("GET", DEPLOYMENTS, headers=TABLE).status == 200
    assert hostile.request("GET", SCALE).status == 200


def test_a_pod_status_of_the_wrong_types_is_refused(hostile: Hostile):
    pods = "/api/v1/namespaces/default/pods"
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "typed"}, "spec": {"containers": []}}
    pod["spec"]["containers"] = [{"name": "c", "image": "i"}]
    assert hostile.request("POST", pods, pod).status == 201
    bad = {"status": {"containerStatuses": [{"name": "c", "restartCount": "x", "ready": "yes"}]}}
    refused = hostile.request("PATCH", f"{pods}/typed/status", bad, MERGE).status_object()
    assert (refused["code"], refused["reason"]) == (422, "Invalid")
    assert hostile.request("GET", pods, headers=TABLE).status == 200


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [
        (
            b"spec:\n  ~: 3\n",
            "application/yaml",
            "unsupported map key of type: %!s(<nil>), key: <nil>, value: 3",
        ),
        (
            b"spec:\n  replicas: 3\n",
            "application/json",
            "couldn't get version/kind; json parse error: "
            "invalid character 's' looking for beginning of value",
        ),
    ],
    ids=["null-key", "yaml-as-json"],
)
def test_an_undecodable_scale_names_scale_not_the_parent(
    hostile: Hostile, scaled: None, body: bytes, content_type: str, problem: str
):
    """``/scale``'s request scope decodes an ``autoscaling/v1`` Scale, so ``transformDecodeError``
    names ``Scale`` (``must be of type Scale``); the harness named the Deployment."""
    reply = hostile.request("PUT", SCALE, body, headers={"Content-Type": content_type})
    refused = reply.status_object()
    assert (refused["code"], refused["reason"]) == (400, "BadRequest"), refused
    assert refused["message"].startswith(
        f"the object provided is unrecognized (must be of type Scale): {problem} ("
    )
    assert hostile.request("GET", SCALE).json()["spec"]["replicas"] == 1
