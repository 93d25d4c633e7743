"""Module-operations automation as a platform engineer writes it with real clients (the Python
``kubernetes`` client, ``kubectl``): each test is a difference such a client saw between the sandbox
and kube-apiserver 1.32, pinned to what the real server answers."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import python_api_client, widget
from .test_kubectl import ENV

G, V, P = "example.com", "v1alpha2", "widgets"
WIDGETS = f"/apis/{G}/{V}/{P}"
KUBECTL = shutil.which("kubectl")


def _custom_objects(path: str) -> Any:
    from kubernetes import client

    return client.CustomObjectsApi(python_api_client(path))


def _status(exc: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(exc.body)
    return body


def test_force_on_the_python_clients_merge_patch_is_refused_before_the_lookup(kubeconfig):
    """``patch_cluster_custom_object(..., force=True)`` sends a merge patch with ``force``: a real
    server refuses the options (``ValidatePatchOptions``) with a 422, even for a missing object."""
    from kubernetes.client.exceptions import ApiException

    _server, path = kubeconfig
    co = _custom_objects(path)
    co.create_cluster_custom_object(G, V, P, widget("w"))
    for name in ("w", "missing"):
        with pytest.raises(ApiException) as info:
            co.patch_cluster_custom_object(
                G, V, P, name, {"spec": {"count": 2}}, field_manager="me", force=True
            )
        status = _status(info.value)
        assert (info.value.status, status["reason"]) == (422, "Invalid")
        assert status["message"] == (
            'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: '
            "may not be specified for non-apply patch"
        )
        assert status["details"] == {
            "group": "meta.k8s.io",
            "kind": "PatchOptions",
            "causes": [
                {
                    "reason": "FieldValueForbidden",
                    "message": "Forbidden: may not be specified for non-apply patch",
                    "field": "force",
                }
            ],
        }
    assert "count" not in co.get_cluster_custom_object(G, V, P, "w")["spec"]


def _apply(http: httpx.Client, query: str, dry_run: str = "") -> httpx.Response:
    body = json.dumps(widget("w")).encode()
    return http.patch(
        f"{WIDGETS}/w?{query}{dry_run}",
        content=body,
        headers={"Content-Type": "application/apply-patch+yaml"},
    )


def test_apply_without_a_field_manager_is_the_422_of_patch_options(http):
    """Controllers must name their manager for server-side apply; kube-apiserver says so as an
    invalid ``PatchOptions`` (422), not a 400, and lists a bad ``dryRun`` in the same answer."""
    answer = _apply(http, "", "dryRun=Some")
    assert answer.status_code == 422
    assert answer.json()["message"] == (
        'PatchOptions.meta.k8s.io "" is invalid: [fieldManager: Required value: is required for apply patch, '
        'dryRun: Unsupported value: []string{"Some"}: supported values: "All"]'
    )
    assert _apply(http, "fieldManager=me").status_code == 201


def test_field_manager_must_be_short_and_printable_on_every_write(http):
    """``ValidateFieldManager``: at most 128 bytes, every character printable, on create, update and
    patch alike; the position of a bad character is its byte offset."""
    created = http.post(f"{WIDGETS}?fieldManager={'m' * 129}", json=widget("w"))
    assert created.status_code == 422
    assert created.json()["message"] == (
        'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes'
    )
    assert http.post(f"{WIDGETS}?fieldManager={'m' * 128}", json=widget("w")).status_code == 201
    patched = http.patch(
        f"{WIDGETS}/w",
        params={"fieldManager": "é\tx"},
        content=b"{}",
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert patched.status_code == 422
    assert patched.json()["message"] == (
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "é\\tx": '
        "invalid character U+0009 (at position 2)"
    )


def _kubectl(kubeconfig: str, tmp: Path, *args: str, stdin: str | None = None) -> str:
    """The real kubectl with a fresh discovery cache; fails the test on a non-zero exit."""
    cache = tmp / f"cache-{len(list(tmp.glob('cache-*')))}"
    argv = [str(KUBECTL), "--kubeconfig", kubeconfig, "--cache-dir", str(cache), *args]
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60, env=ENV)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_orphaning_delete_drops_the_owner_reference_from_its_dependents(kubeconfig, tmp_path):
    """``kubectl delete --cascade=orphan`` keeps the dependents; kube-controller-manager's garbage
    collector removes the gone owner's entry from their ``ownerReferences`` (other owners stay)."""
    if KUBECTL is None:
        pytest.skip("kubectl not found: install it to run the client-workflow tests with kubectl")
    _server, path = kubeconfig
    co = _custom_objects(path)
    owner = co.create_cluster_custom_object(G, V, P, widget("owner"))
    other = co.create_cluster_custom_object(G, V, P, widget("other"))
    refs = [
        {
            "apiVersion": f"{G}/{V}",
            "kind": "Widget",
            "name": o["metadata"]["name"],
            "uid": o["metadata"]["uid"],
        }
        for o in (owner, other)
    ]
    co.create_cluster_custom_object(
        G, V, P, dict(widget("both"), metadata={"name": "both", "ownerReferences": refs})
    )
    co.create_cluster_custom_object(
        G, V, P, dict(widget("one"), metadata={"name": "one", "ownerReferences": refs[:1]})
    )
    _kubectl(path, tmp_path, "delete", "widgets.example.com", "owner", "--cascade=orphan")
    left = json.loads(_kubectl(path, tmp_path, "get", "widgets.example.com", "-o", "json"))["items"]
    by_name = {i["metadata"]["name"]: i["metadata"].get("ownerReferences") for i in left}
    assert by_name == {"both": refs[1:], "one": None, "other": None}


def test_legacy_discovery_names_the_storage_version_hash_of_stored_kinds(kubeconfig):
    """The Python client's ``get_api_resources`` reads ``storageVersionHash`` (what storage-version
    migrators compare): the same for every served version of a kind, taken from its storage
    version; pinned to values kube-apiserver 1.32 lists (``/v1/Pod``, ``apps/v1/Deployment``)."""
    from kubernetes import client

    _server, path = kubeconfig
    api = _custom_objects(path).api_client
    hashes = {r.name: r.storage_version_hash for r in client.CoreV1Api(api).get_api_resources().resources}
    assert hashes["pods"] == "xPOwRZ+Yhw8=" and hashes["pods/status"] is None
    apps = {r.name: r.storage_version_hash for r in client.AppsV1Api(api).get_api_resources().resources}
    assert apps["deployments"] == "8aSe+NMegvE="
    co = client.CustomObjectsApi(api)
    stored = [
        r.storage_version_hash
        for v in ("v1alpha1", "v1alpha2")
        for r in co.get_api_resources(G, v).resources
        if r.name == P
    ]
    assert stored == ["2MJoxQW+7WY="] * 2  # example.com/v1alpha2/Widget
    reviews = client.AuthorizationV1Api(api).get_api_resources().resources
    assert {r.name: r.storage_version_hash for r in reviews}["selfsubjectaccessreviews"] is None


def test_a_foreground_delete_answers_the_marked_owner_and_waits_for_blocking_dependents(kubeconfig):
    """``propagation_policy="Foreground"``: kube-apiserver answers 200 with the owner marked
    (``deletionTimestamp``, ``foregroundDeletion`` after its own finalizers); the garbage collector
    deletes the dependents and drops that finalizer once no ``blockOwnerDeletion`` one is left."""
    from kubernetes.client.exceptions import ApiException

    _server, path = kubeconfig
    co = _custom_objects(path)
    owner = co.create_cluster_custom_object(G, V, P, widget("owner"))
    ref = {"apiVersion": f"{G}/{V}", "kind": "Widget", "name": "owner", "uid": owner["metadata"]["uid"]}
    blocking = {
        "name": "blocking",
        "finalizers": ["example.com/keep"],
        "ownerReferences": [dict(ref, blockOwnerDeletion=True)],
    }
    co.create_cluster_custom_object(G, V, P, dict(widget(), metadata=blocking))
    co.create_cluster_custom_object(
        G, V, P, dict(widget(), metadata={"name": "free", "ownerReferences": [ref]})
    )
    answer = co.delete_cluster_custom_object(G, V, P, "owner", propagation_policy="Foreground")
    assert answer["kind"] == "Widget" and answer["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert "deletionTimestamp" in co.get_cluster_custom_object(G, V, P, "owner")["metadata"]
    assert "deletionTimestamp" in co.get_cluster_custom_object(G, V, P, "blocking")["metadata"]
    with pytest.raises(ApiException) as info:
        co.get_cluster_custom_object(G, V, P, "free")
    assert info.value.status == 404
    co.patch_cluster_custom_object(G, V, P, "blocking", {"metadata": {"finalizers": None}})
    names = [i["metadata"]["name"] for i in co.list_cluster_custom_object(G, V, P)["items"]]
    assert names == []


def test_a_replace_whose_body_names_another_object_is_a_400_before_the_lookup(kubeconfig):
    """``replace_cluster_custom_object(name=X, body named Y)``: upstream's update handler compares
    the names before it reads anything, so the answer is the 400 naming both, stored or not."""
    from kubernetes.client.exceptions import ApiException

    _server, path = kubeconfig
    co = _custom_objects(path)
    body = co.create_cluster_custom_object(G, V, P, widget("real"))
    co.create_cluster_custom_object(G, V, P, widget("stored"))
    for url_name in ("missing", "stored"):
        with pytest.raises(ApiException) as info:
            co.replace_cluster_custom_object(G, V, P, url_name, body)
        assert info.value.status == 400
        assert _status(info.value)["message"] == (
            f"the name of the object (real) does not match the name on the URL ({url_name})"
        )


def test_kubectl_explain_documents_the_type_meta_of_a_custom_kind(kubeconfig, tmp_path):
    """apiextensions-apiserver's OpenAPI builder gives every CRD kind TypeMeta's ``apiVersion`` and
    ``kind`` and a described ``metadata``, so ``kubectl explain`` never shows ``<no description>``
    for them on a real cluster."""
    if KUBECTL is None:
        pytest.skip("kubectl not found: install it to run the client-workflow tests with kubectl")
    _server, path = kubeconfig
    out = _kubectl(path, tmp_path, "explain", "widgets.example.com")
    fields = out.split("FIELDS:", 1)[1]
    assert "<no description>" not in fields.split("spec\t", 1)[0]
    assert "APIVersion defines the versioned schema of this representation" in fields
    assert "Kind is a string value representing the REST resource" in fields
    assert "Standard object's metadata." in fields


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "resourceVersion=0&resourceVersionMatch=Exact",
            "resourceVersionMatch: Forbidden: "
            'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
        ("sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"),
        (
            "watch=1&resourceVersion=1&resourceVersionMatch=NotOlderThan",
            "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless "
            "sendInitialEvents is provided",
        ),
        (
            "watch=1&sendInitialEvents=true&allowWatchBookmarks=true",
            "resourceVersionMatch: Forbidden: "
            "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
        ),
        (
            "watch=1&sendInitialEvents=true&resourceVersionMatch=Exact&resourceVersion=1",
            "[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to "
            "NotOlderThan, "
            'resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]',
        ),
    ],
)
def test_list_and_watch_options_follow_validate_list_options(http, query, message):
    """A list and a watch are validated by different rules (``ValidateListOptions``): a watch-list
    request missing ``resourceVersionMatch=NotOlderThan`` is a 422, not a silently different stream."""
    answer = http.get(f"{WIDGETS}?{query}&timeoutSeconds=1")
    assert answer.status_code == 422
    assert answer.json()["message"] == f'ListOptions.meta.k8s.io "" is invalid: {message}'


def test_delete_collection_keeps_the_propagation_policy_and_the_lists_resource_version(kubeconfig):
    """``delete_collection_cluster_custom_object(propagation_policy="Orphan")``: the registry deletes
    every listed object with the request's options, so dependents outside the selection keep
    living without the reference; the answer is the list as read, with its resourceVersion."""
    _server, path = kubeconfig
    co = _custom_objects(path)
    owner = co.create_cluster_custom_object(
        G, V, P, dict(widget(), metadata={"name": "owner", "labels": {"t": "x"}})
    )
    ref = {"apiVersion": f"{G}/{V}", "kind": "Widget", "name": "owner", "uid": owner["metadata"]["uid"]}
    co.create_cluster_custom_object(
        G, V, P, dict(widget(), metadata={"name": "dep", "ownerReferences": [ref]})
    )
    listed_at = co.list_cluster_custom_object(G, V, P)["metadata"]["resourceVersion"]
    answer = co.delete_collection_cluster_custom_object(
        G, V, P, label_selector="t=x", propagation_policy="Orphan"
    )
    assert answer["metadata"] == {"continue": "", "resourceVersion": listed_at}  # an unstructured list's
    assert [i["metadata"]["name"] for i in answer["items"]] == ["owner"]
    left = co.list_cluster_custom_object(G, V, P)["items"]
    assert [(i["metadata"]["name"], i["metadata"].get("ownerReferences")) for i in left] == [("dep", None)]


def test_a_dry_run_delete_answers_the_object_as_the_deletion_would_mark_it(kubeconfig):
    """``dry_run="All"`` runs the registry's marking as a dry-run update: a finalizer-held object
    comes back with ``deletionTimestamp`` (and a foreground request with ``foregroundDeletion``),
    while nothing is stored; an object that would simply go is a ``Status``, as before."""
    _server, path = kubeconfig
    co = _custom_objects(path)
    held = dict(widget(), metadata={"name": "held", "finalizers": ["example.com/keep"]})
    co.create_cluster_custom_object(G, V, P, held)
    co.create_cluster_custom_object(G, V, P, widget("free"))
    answer = co.delete_cluster_custom_object(G, V, P, "held", dry_run="All")
    assert "deletionTimestamp" in answer["metadata"] and answer["metadata"]["generation"] == 2
    marked = co.delete_cluster_custom_object(G, V, P, "free", dry_run="All", propagation_policy="Foreground")
    assert marked["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert co.delete_cluster_custom_object(G, V, P, "free", dry_run="All")["kind"] == "Status"
    stored = {i["metadata"]["name"]: i["metadata"] for i in co.list_cluster_custom_object(G, V, P)["items"]}
    assert all("deletionTimestamp" not in m and m["generation"] == 1 for m in stored.values())
    assert stored["free"].get("finalizers") is None


def test_every_answer_carries_the_audit_id_of_its_request(http):
    """kube-apiserver's audit filter echoes the client's ``Audit-ID`` or makes a UUID for every
    answer, errors and watch streams included; clients log it to find the request later."""
    import uuid

    missing = http.get(f"{WIDGETS}/nope")
    assert missing.status_code == 404 and uuid.UUID(missing.headers["Audit-Id"]).version == 4
    again = http.get(f"{WIDGETS}/nope")
    assert again.headers["Audit-Id"] != missing.headers["Audit-Id"]
    echoed = http.get(WIDGETS, headers={"Audit-ID": "my-trace-1"})
    assert echoed.headers["Audit-Id"] == "my-trace-1"
    with http.stream("GET", f"{WIDGETS}?watch=1&timeoutSeconds=1") as stream:
        assert uuid.UUID(stream.headers["Audit-Id"])


def test_a_nameless_create_lists_every_validation_error_in_one_answer(kubeconfig):
    """The custom resource validator checks the metadata (``ValidateObjectMetaAccessor``: ``name
    or generateName is required``) and the schema together, so a create without a name and
    without a required field names both; the sandbox used to name only the schema's error, and
    the missing name only once the schema held."""
    from kubernetes.client.exceptions import ApiException

    _server, path = kubeconfig
    co = _custom_objects(path)
    body = {"apiVersion": f"{G}/{V}", "kind": "Widget", "metadata": {}, "spec": {}}
    with pytest.raises(ApiException) as info:
        co.create_cluster_custom_object(G, V, P, body)
    status = _status(info.value)
    assert status["message"] == (
        'Widget.example.com "" is invalid: [metadata.name: Required value: name or generateName is required, '
        "spec.repo: Required value]"
    )
    assert [c["field"] for c in status["details"]["causes"]] == ["metadata.name", "spec.repo"]
    generated = co.create_cluster_custom_object(
        G, V, P, dict(body, metadata={"generateName": "w-"}, spec={"repo": "r"})
    )
    assert generated["metadata"]["name"].startswith("w-")


def test_an_unsupported_patch_type_lists_the_accepted_ones_in_kube_apiservers_order(kubeconfig):
    """A strategic merge patch of a custom resource (``_content_type=`` of the Python client) is
    the 415 of the custom resource handler, whose ``supportedTypes`` start with JSON patch; a
    built-in kind lists strategic merge patch too (``installer.go``)."""
    from kubernetes.client.exceptions import ApiException

    server, path = kubeconfig
    co = _custom_objects(path)
    co.create_cluster_custom_object(G, V, P, widget("w"))
    with pytest.raises(ApiException) as info:
        co.patch_cluster_custom_object(
            G, V, P, "w", {"spec": {"count": 2}}, _content_type="application/strategic-merge-patch+json"
        )
    assert (info.value.status, _status(info.value)["reason"]) == (415, "UnsupportedMediaType")
    prefix = "the body of the request was in an unknown format - accepted media types include: "
    assert _status(info.value)["message"] == (
        prefix + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    )
    with httpx.Client(
        base_url=server.url, verify=False, headers={"Authorization": f"Bearer {server.token}"}
    ) as http:
        answer = http.patch(
            "/api/v1/namespaces/default/configmaps/c", content=b"{}", headers={"Content-Type": "text/plain"}
        )
    assert answer.json()["message"] == prefix + (
        "application/json-patch+json, application/merge-patch+json, "
        "application/strategic-merge-patch+json, application/apply-patch+yaml"
    )


def test_a_list_from_a_future_resource_version_is_a_timeout_that_asks_for_a_retry(kubeconfig):
    """``storage.NewTooLargeResourceVersionError``: a ``NewTimeoutError`` (``Timeout:`` prefix,
    ``retryAfterSeconds`` 1, so a ``Retry-After: 1`` header that client-go and the Python client's
    ``client_go_retries`` act on), its cause without a ``field`` key (``StatusCause`` omits an
    empty one)."""
    from kubernetes.client.exceptions import ApiException

    _server, path = kubeconfig
    co = _custom_objects(path)
    current = int(co.list_cluster_custom_object(G, V, P)["metadata"]["resourceVersion"])
    with pytest.raises(ApiException) as info:
        co.list_cluster_custom_object(G, V, P, resource_version=str(current + 100))
    status = _status(info.value)
    assert (info.value.status, status["reason"]) == (504, "Timeout")
    assert status["message"] == f"Timeout: Too large resource version: {current + 100}, current: {current}"
    assert status["details"] == {
        "causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
        "retryAfterSeconds": 1,
    }
    assert info.value.headers["Retry-After"] == "1"
