"""ServiceAccounts: served as kube-apiserver 1.32 serves them, and the ``default`` account that
kube-controller-manager's serviceaccounts controller keeps in every namespace."""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness.kube.client import EventType, PatchType, WatchEvent
from harness.kube.errors import ApiError, BadRequest, Invalid
from harness.kube.resources import Resource

from .conftest import python_api_client
from .test_printing import TABLE

SA = Resource("", "v1", "serviceaccounts", "ServiceAccount", namespaced=True)
NS = Resource("", "v1", "namespaces", "Namespace")
STARTING = ["d8-system", "default", "kube-node-lease", "kube-public", "kube-system"]


def _namespace(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def _account(name: str, **fields: object) -> dict:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}, **fields}


def test_every_namespace_has_default_dated_when_the_namespace_was_made(server, client, clock):
    """The accounts of the namespaces a cluster starts with are there at the first look, as old
    as their namespaces; an account is its name and nothing else (no managedFields)."""
    clock.advance(timedelta(minutes=90))
    accounts = client.list(SA)
    assert [(a["metadata"]["namespace"], a["metadata"]["name"]) for a in accounts] == [
        (ns, "default") for ns in STARTING
    ]
    made = {n["metadata"]["name"]: n["metadata"]["creationTimestamp"] for n in client.list(NS)}
    for account in accounts:
        meta = account["metadata"]
        assert meta["creationTimestamp"] == made[meta["namespace"]] == "2024-12-16T09:00:00Z"
        assert sorted(meta) == ["creationTimestamp", "name", "namespace", "resourceVersion", "uid"]
        assert set(account) == {"apiVersion", "kind", "metadata"}
    assert len({a["metadata"]["uid"] for a in accounts}) == len(STARTING)


def test_a_new_namespace_gets_default_right_after_it_and_a_deleted_default_comes_back(client, clock):
    """What a watcher sees of the controller: the namespace, then its account; a deleted
    ``default``, then a new one (new uid, dated now); other accounts stay deleted."""
    client.list(SA, namespace="default")  # the first look at accounts: the controller runs from here
    seen: list[WatchEvent] = []
    client.subscribe(seen.append)
    clock.advance(timedelta(minutes=5))
    client.create(NS, _namespace("team"))
    assert [(e.type, e.resource.plural, e.object["metadata"]["name"]) for e in seen] == [
        (EventType.ADDED, "namespaces", "team"),
        (EventType.ADDED, "serviceaccounts", "default"),
    ]
    first = client.get(SA, "default", namespace="team")
    assert first["metadata"]["creationTimestamp"] == "2024-12-16T09:05:00Z"

    client.create(SA, _account("robot"), namespace="team")
    client.delete(SA, "robot", namespace="team")
    clock.advance(timedelta(minutes=1))
    client.delete(SA, "default", namespace="team")
    again = client.get(SA, "default", namespace="team")
    assert again["metadata"]["uid"] != first["metadata"]["uid"]
    assert again["metadata"]["creationTimestamp"] == "2024-12-16T09:06:00Z"
    assert [a["metadata"]["name"] for a in client.list(SA, namespace="team")] == ["default"]

    seen.clear()
    client.delete(NS, "team")
    assert [(e.type, e.resource.plural) for e in seen] == [
        (EventType.DELETED, "namespaces"),
        (EventType.DELETED, "serviceaccounts"),
    ]
    assert client.list(SA, namespace="team") == []


def test_no_account_is_written_until_someone_asks_for_accounts(server, client):
    """Cluster starts pay nothing: namespaces made before the first look get their accounts at
    that look (and the resourceVersions of other objects do not move before it)."""
    seen: list[WatchEvent] = []
    client.subscribe(seen.append)
    client.create(NS, _namespace("early"))
    client.list(Resource("", "v1", "configmaps", "ConfigMap", namespaced=True))
    assert [e.resource.plural for e in seen] == ["namespaces"]
    assert [a["metadata"]["namespace"] for a in client.list(SA)] == sorted([*STARTING, "early"])


def test_a_service_account_name_must_be_a_dns_subdomain(client):
    """``ValidateServiceAccountName`` is apimachinery's ``NameIsDNSSubdomain``."""
    with pytest.raises(Invalid, match=r'ServiceAccount "Bad_Name" is invalid: metadata.name: Invalid value'):
        client.create(SA, _account("Bad_Name"), namespace="default")
    assert client.create(SA, _account("ci.robot-1"), namespace="default")["metadata"]["name"] == "ci.robot-1"


def test_typed_fields_of_a_service_account(client):
    """The fields are ``v1.ServiceAccount``'s: a bool that is not one is the decoder's 400, and
    ``secrets`` merge by name in a strategic merge patch (``imagePullSecrets`` are replaced)."""
    with pytest.raises(BadRequest, match=r"field ServiceAccount\.automountServiceAccountToken of type bool"):
        client.create(SA, _account("a", automountServiceAccountToken="yes"), namespace="default")
    body = _account(
        "ci",
        automountServiceAccountToken=False,
        secrets=[{"name": "one"}],
        imagePullSecrets=[{"name": "pull-a"}],
        spec={"unknown": True},
    )
    created = client.create(SA, body, namespace="default")
    assert created["automountServiceAccountToken"] is False and "spec" not in created
    patch = {"secrets": [{"name": "two"}], "imagePullSecrets": [{"name": "pull-b"}]}
    patched = client.patch(SA, "ci", patch, patch_type=PatchType.STRATEGIC, namespace="default")
    assert patched["secrets"] == [{"name": "one"}, {"name": "two"}]
    assert patched["imagePullSecrets"] == [{"name": "pull-b"}]
    applied = _account(
        "ci", secrets=[{"name": "one", "bogus": 1}], imagePullSecrets=[{"name": "p", "bogus": 1}]
    )
    # server-side apply: ``secrets`` is keyed by name, ``imagePullSecrets`` atomic (items by position)
    with pytest.raises(ApiError) as refused:
        client.patch(SA, "ci", applied, patch_type=PatchType.APPLY, namespace="default", field_manager="m")
    assert refused.value.message == (
        "failed to create typed patch object (/ci; /v1, Kind=ServiceAccount): errors:\n"
        '  .secrets[name="one"].bogus: field not declared in schema\n'
        "  .imagePullSecrets[0].bogus: field not declared in schema"
    )


def test_discovery_and_table_of_service_accounts(server, http):
    """``sa``, every verb, no category, and the ``token`` subresource (TokenRequest, create only:
    tests/apiserver/test_token_requests.py); the table is ``printServiceAccount``'s: the count of
    ``secrets`` in a string column, and the age."""
    resources = http.get("/api/v1").json()["resources"]
    [entry, token] = [r for r in resources if r["name"].startswith("serviceaccounts")]
    assert (token["name"], token["kind"], token["verbs"]) == (
        "serviceaccounts/token",
        "TokenRequest",
        ["create"],
    )
    assert (entry["kind"], entry["namespaced"], entry["shortNames"]) == ("ServiceAccount", True, ["sa"])
    assert sorted(entry["verbs"]) == [
        "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch",
    ]  # fmt: skip
    assert "categories" not in entry
    server.client().create(SA, _account("ci", secrets=[{"name": "a"}, {"name": "b"}]), namespace="default")
    table = http.get("/api/v1/namespaces/default/serviceaccounts", headers={"Accept": TABLE}).json()
    columns = [(c["name"], c["type"]) for c in table["columnDefinitions"]]
    assert columns == [("Name", "string"), ("Secrets", "string"), ("Age", "string")]
    assert [row["cells"] for row in table["rows"]] == [["ci", 2, "0s"], ["default", 0, "0s"]]


def test_the_python_client_lists_and_creates_service_accounts(kubeconfig):
    from kubernetes import client

    with python_api_client(kubeconfig[1]) as api:
        core = client.CoreV1Api(api)
        [default] = core.list_namespaced_service_account("kube-system").items
        assert (default.metadata.name, default.secrets, default.automount_service_account_token) == (
            "default",
            None,
            None,
        )
        body = client.V1ServiceAccount(
            metadata=client.V1ObjectMeta(name="ci"),
            automount_service_account_token=False,
            image_pull_secrets=[client.V1LocalObjectReference(name="pull")],
        )
        core.create_namespaced_service_account("default", body)
        read = core.read_namespaced_service_account("ci", "default")
        assert read.automount_service_account_token is False
        assert [s.name for s in read.image_pull_secrets] == ["pull"]
        every = core.list_service_account_for_all_namespaces().items
        assert len(every) == len(STARTING) + 1
        deleted = core.delete_namespaced_service_account("ci", "default")  # the object, not a Status
        assert (deleted.kind, deleted.metadata.name) == ("ServiceAccount", "ci")
