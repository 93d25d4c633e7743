"""Hostile strategic merge patches: wrong-shaped directives, huge lists, type changes, Secrets.

Each is answered with kube-apiserver's status (``interpretStrategicMergePatchError`` in
``k8s.io/apiserver``'s patch handler: a directive of the wrong shape is 400, a list of lists 422),
nothing wrong is stored, and no stored Secret value is echoed in an error.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.hostile.conftest import Hostile

DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"
SECRETS = "/api/v1/namespaces/default/secrets"
SMP = {"Content-Type": "application/strategic-merge-patch+json"}
MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}
PASSWORD = "hunter2-do-not-echo"
PASSWORD_B64 = "aHVudGVyMi1kby1ub3QtZWNobw=="


def _deployment(name: str) -> dict[str, Any]:
    pod = {"containers": [{"name": "c", "image": "i", "env": [{"name": "A", "value": "1"}]}]}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": pod},
        },
    }


@pytest.fixture
def deployment(hostile: Hostile, request: pytest.FixtureRequest) -> str:
    name = "smp-" + request.node.name.split("[")[-1].rstrip("]").lower().replace("_", "-")[:40].strip("-")
    created = hostile.request("POST", DEPLOYMENTS, _deployment(name))
    assert created.status == 201, created.body
    yield f"{DEPLOYMENTS}/{name}"  # type: ignore[misc]
    hostile.request("DELETE", f"{DEPLOYMENTS}/{name}")


def _pod_spec(**fields: Any) -> dict[str, Any]:
    return {"spec": {"template": {"spec": fields}}}


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (_pod_spec(**{"$setElementOrder/containers": "x"}), "invalid patch format of setElementOrder list"),
        (
            {"metadata": {"$deleteFromPrimitiveList/finalizers": "x"}},
            "invalid patch format of primitive list",
        ),
        ({"spec": {"$retainKeys": "x"}}, "invalid patch format of retainKeys"),
        (
            {"spec": {"strategy": {"$retainKeys": ["nope"], "type": "Recreate"}}},
            "invalid patch format of retainKeys",
        ),
    ],
    ids=["set-element-order", "delete-from-primitive-list", "retain-keys-string", "retain-keys-mismatch"],
)
def test_a_directive_of_the_wrong_shape_is_400_and_changes_nothing(
    hostile: Hostile, deployment: str, patch: dict[str, Any], message: str
):
    before = hostile.request("GET", deployment).json()
    status = hostile.request("PATCH", deployment, patch, SMP).status_object()
    assert (status["code"], status["reason"], status["message"]) == (400, "BadRequest", message)
    assert hostile.request("GET", deployment).json() == before


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"spec": {"$patch": 42}}, "unknown patch type: 42 in map at spec: use replace or delete"),
        (_pod_spec(containers=[[1]]), "lists of lists are not supported"),
        (
            _pod_spec(containers=[{"image": "x"}]),
            "map: entry 0 of spec.template.spec.containers does not contain declared merge key: name",
        ),
    ],
    ids=["patch-42", "list-of-lists", "no-merge-key"],
)
def test_an_unusable_strategic_patch_is_422_naming_the_place(
    hostile: Hostile, deployment: str, patch: dict[str, Any], message: str
):
    status = hostile.request("PATCH", deployment, patch, SMP).status_object()
    assert (status["code"], status["reason"]) == (422, "Invalid")
    assert status["message"].endswith(message), status["message"]


@pytest.mark.parametrize("containers", ["x", {"name": "x"}, 7], ids=["string", "object", "number"])
def test_a_strategic_patch_that_retypes_a_list_is_refused_and_kubectl_can_still_read(
    hostile: Hostile, deployment: str, containers: Any
):
    status = hostile.request("PATCH", deployment, _pod_spec(containers=containers), SMP).status_object()
    assert (status["code"], status["reason"]) == (422, "Invalid")
    assert (
        "into Go struct field" in status["message"]
        and "containers of type []v1.Container" in status["message"]
    )
    stored = hostile.request("GET", deployment).json()
    assert stored["spec"]["template"]["spec"]["containers"][0]["image"] == "i"


def test_a_huge_list_is_merged_in_one_pass(hostile: Hostile, deployment: str):
    """40 000 entries: one search per entry took minutes (the client's 10 s timeout fails first)."""
    count = 40_000
    patch = _pod_spec(
        containers=[{"name": f"c{i}", "image": "x"} for i in range(count)],
        **{"$setElementOrder/containers": [{"name": f"c{i}"} for i in reversed(range(count))]},
    )
    done = hostile.request("PATCH", deployment, patch, SMP)
    assert done.status == 200, done.body[:300]
    containers = done.json()["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers[:2]] == ["c39999", "c39998"] and containers[-1]["name"] == "c"
    finalizers = {"metadata": {"finalizers": [f"f{i % 20_000}" for i in range(count)]}}
    done = hostile.request("PATCH", deployment, finalizers, SMP)
    assert len(done.json()["metadata"]["finalizers"]) == 20_000  # a set: each once
    emptied = {"metadata": {"$deleteFromPrimitiveList/finalizers": [f"f{i}" for i in range(count)]}}
    assert "finalizers" not in hostile.request("PATCH", deployment, emptied, SMP).json()["metadata"]


@pytest.fixture
def secret(hostile: Hostile, request: pytest.FixtureRequest) -> str:
    name = "leak-" + request.node.name.split("[")[-1].rstrip("]").lower().replace("_", "-")[:40].strip("-")
    body = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name},
        "stringData": {"password": PASSWORD},
    }
    assert hostile.request("POST", SECRETS, body).status == 201
    yield f"{SECRETS}/{name}"  # type: ignore[misc]
    hostile.request("DELETE", f"{SECRETS}/{name}")


@pytest.mark.parametrize(
    ("patch", "headers"),
    [
        ({"data": {"other": 1}}, MERGE),
        ({"data": {"other": "!!"}}, MERGE),
        ({"type": 5}, SMP),
        ({"data": {"$patch": {"password": PASSWORD_B64}}}, SMP),
        ([{"op": "test", "path": "/data/password", "value": "guess"}], JSON_PATCH),
        ([{"op": "test", "path": "/data", "value": "guess"}], JSON_PATCH),
    ],
    ids=["merge-number", "merge-base64", "smp-type", "smp-directive", "json-test-key", "json-test-data"],
)
def test_no_error_about_a_secret_carries_its_stored_values(
    hostile: Hostile, secret: str, patch: Any, headers: dict[str, str]
):
    reply = hostile.request("PATCH", secret, patch, headers)
    status = reply.status_object()
    assert status["code"] in (400, 422), status
    assert PASSWORD not in reply.body.decode() and PASSWORD_B64.rstrip("=") not in reply.body.decode()
