"""Fidelity with Python clients: the `kubernetes` client (CRUD, watch) and lightkube (list, apply)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from harness.apiserver import ApiServer

from .conftest import python_api_client

G, V, P = "example.com", "v1alpha2", "widgets"


def _widget_maker(server: ApiServer) -> Callable[[str], None]:
    """Creates a Widget of that name through the server's in-process client."""
    c = server.client()
    widgets = c.resolve(f"{G}/{V}", "Widget")

    def create(name: str) -> None:
        c.create(widgets, {"metadata": {"name": name}, "spec": {"repo": "r"}})

    return create


_api = python_api_client


def test_kubernetes_client_crud_through_custom_objects_api(kubeconfig):
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    _server, path = kubeconfig
    with _api(path) as api:
        co = client.CustomObjectsApi(api)
        body = {"apiVersion": f"{G}/{V}", "kind": "Widget", "metadata": {"name": "k"}, "spec": {"repo": "r"}}
        created = co.create_cluster_custom_object(G, V, P, body)
        assert created["spec"]["scheme"] == "HTTPS"
        co.patch_cluster_custom_object(G, V, P, "k", {"spec": {"count": 2}})
        co.patch_cluster_custom_object_status(G, V, P, "k", {"status": {"phase": "Ready"}})
        got = co.get_cluster_custom_object(G, V, P, "k")
        assert got["spec"]["count"] == 2 and got["status"]["phase"] == "Ready"
        assert [i["metadata"]["name"] for i in co.list_cluster_custom_object(G, V, P)["items"]] == ["k"]
        stale = dict(created, spec={"repo": "x"})
        with pytest.raises(ApiException) as info:
            co.replace_cluster_custom_object(G, V, P, "k", stale)
        assert info.value.status == 409
        co.delete_cluster_custom_object(G, V, P, "k")
        with pytest.raises(ApiException) as info:
            co.get_cluster_custom_object(G, V, P, "k")
        assert info.value.status == 404


def test_kubernetes_client_core_api_pods_and_logs(kubeconfig):
    from kubernetes import client

    server, path = kubeconfig
    server.set_pod_log_source(lambda ns, pod, c: "a\nb\nc\n")
    with _api(path) as api:
        core = client.CoreV1Api(api)
        pod = client.V1Pod(
            metadata=client.V1ObjectMeta(name="p", labels={"app": "deckhouse"}),
            spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="i")]),
        )
        core.create_namespaced_pod("d8-system", pod)
        pods = core.list_namespaced_pod("d8-system", label_selector="app=deckhouse")
        assert [p.metadata.name for p in pods.items] == ["p"]
        assert core.read_namespaced_pod_log("p", "d8-system", container="c", tail_lines=1) == "c\n"
        assert "d8-system" in [n.metadata.name for n in core.list_namespace().items]


def test_kubernetes_client_watch_sees_existing_and_new_objects(kubeconfig):
    from kubernetes import client, watch

    server, path = kubeconfig
    create = _widget_maker(server)
    create("a")
    with _api(path) as api:
        co = client.CustomObjectsApi(api)
        stream = watch.Watch().stream(co.list_cluster_custom_object, G, V, P, timeout_seconds=5)
        first = next(stream)
        assert (first["type"], first["object"]["metadata"]["name"]) == ("ADDED", "a")
        create("b")
        second = next(stream)
        assert (second["type"], second["object"]["metadata"]["name"]) == ("ADDED", "b")
        stream.close()


def test_lightkube_lists_and_applies_generic_resources(kubeconfig):
    from lightkube import Client, KubeConfig
    from lightkube.generic_resource import create_global_resource

    _server, path = kubeconfig
    Widget = create_global_resource(G, V, "Widget", P)
    lk = Client(config=KubeConfig.from_file(path), field_manager="lightkube")
    obj = Widget(metadata={"name": "lk"}, spec={"repo": "r", "count": 3})
    applied = lk.apply(obj)
    assert applied.spec["count"] == 3
    assert [w.metadata.name for w in lk.list(Widget)] == ["lk"]
    again = lk.apply(Widget(metadata={"name": "lk"}, spec={"repo": "r", "count": 4}))
    assert again.spec["count"] == 4
    lk.close()


def test_kubernetes_client_reads_the_crds_through_apiextensions_v1(kubeconfig):
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    _server, path = kubeconfig
    with _api(path) as api:
        ext = client.ApiextensionsV1Api(api)
        listed = ext.list_custom_resource_definition()
        assert {i.metadata.name for i in listed.items} >= {"widgets.example.com"}
        one = ext.read_custom_resource_definition("widgets.example.com")
        assert one.status.accepted_names.kind == "Widget"
        assert [v.name for v in one.spec.versions if v.storage] == one.status.stored_versions
        with pytest.raises(ApiException) as info:
            ext.delete_custom_resource_definition("widgets.example.com")
        assert info.value.status == 405


def test_kubernetes_client_asks_for_access_reviews(kubeconfig):
    from kubernetes import client

    _server, path = kubeconfig
    with _api(path) as api:
        attributes = client.V1ResourceAttributes(
            verb="create", group="deckhouse.io", resource="moduleconfigs"
        )
        review = client.V1SelfSubjectAccessReview(
            spec=client.V1SelfSubjectAccessReviewSpec(resource_attributes=attributes)
        )
        answer = client.AuthorizationV1Api(api).create_self_subject_access_review(review)
        assert answer.status.allowed is True
        me = client.AuthenticationV1Api(api).create_self_subject_review(client.V1SelfSubjectReview())
        assert me.status.user_info.username == "kubernetes-admin"


def test_kubernetes_client_cannot_recreate_an_object_it_read_back(kubeconfig):
    """Re-creating an object as read (its resourceVersion still set) fails on a real cluster:
    etcd3's store refuses it (k8s.io/apiserver/pkg/storage/etcd3/store.go), a 500."""
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    _server, path = kubeconfig
    with _api(path) as api:
        co = client.CustomObjectsApi(api)
        body = {"apiVersion": f"{G}/{V}", "kind": "Widget", "metadata": {"name": "k"}, "spec": {"repo": "r"}}
        created = co.create_cluster_custom_object(G, V, P, body)
        co.delete_cluster_custom_object(G, V, P, "k")
        with pytest.raises(ApiException) as info:
            co.create_cluster_custom_object(G, V, P, created)
        assert info.value.status == 500
        assert "resourceVersion should not be set on objects to be created" in info.value.body


def test_kubernetes_client_pod_delete_answers_with_the_pod(kubeconfig):
    """Pod storage sets ReturnDeletedObject (pkg/registry/core/pod/storage/storage.go): the
    typed client's V1Pod is the pod, not a Status read as a pod; a ConfigMap's delete is a Status."""
    from kubernetes import client

    _server, path = kubeconfig
    with _api(path) as api:
        core = client.CoreV1Api(api)
        pod = {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "i"}]}}
        created = core.create_namespaced_pod("default", pod)
        deleted = core.delete_namespaced_pod("p", "default")
        assert deleted.kind == "Pod" and deleted.metadata.name == "p"
        assert deleted.metadata.resource_version == created.metadata.resource_version
        core.create_namespaced_config_map("default", {"metadata": {"name": "c"}})
        assert core.delete_namespaced_config_map("c", "default")["status"] == "Success"


def test_a_watch_with_timeout_seconds_zero_runs_as_one_without_a_timeout(kubeconfig):
    """kube-apiserver takes ``timeoutSeconds=0`` as no timeout at all (the server's 30-60 minutes,
    ``ListResource`` in ``handlers/get.go``); the sandbox used to end such a watch at once, so a
    ``watch.Watch().stream(..., timeout_seconds=0)`` loop saw nothing after the first list."""
    from kubernetes import client, watch

    server, path = kubeconfig
    create = _widget_maker(server)
    create("a")
    with _api(path) as api:
        co = client.CustomObjectsApi(api)
        stream = watch.Watch().stream(co.list_cluster_custom_object, G, V, P, timeout_seconds=0)
        assert next(stream)["object"]["metadata"]["name"] == "a"
        create("b")
        later = next(stream, None)
        stream.close()
    assert later is not None and (later["type"], later["object"]["metadata"]["name"]) == ("ADDED", "b")


def test_a_core_kinds_delete_answer_has_no_empty_group(kubeconfig):
    """``metav1.StatusDetails`` encodes every field ``omitempty``: deleting a ConfigMap answers
    ``{"name", "kind": "configmaps", "uid"}`` without ``"group": ""`` (the Python client's
    ``V1Status.details.group`` is None, not an empty string, as against a real cluster)."""
    import json

    from kubernetes import client

    _server, path = kubeconfig
    with _api(path) as api:
        core = client.CoreV1Api(api)
        created = core.create_namespaced_config_map("default", client.V1ConfigMap(metadata={"name": "c"}))
        answer = core.delete_namespaced_config_map("c", "default", _preload_content=False)
        body = json.loads(answer.read())
    assert body["status"] == "Success"
    assert body["details"] == {"name": "c", "kind": "configmaps", "uid": created.metadata.uid}


_POD_FIELDS = (
    "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
    "`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
)


def test_a_pods_spec_changes_only_where_validate_pod_update_allows(kubeconfig):
    """``ValidatePodUpdate`` (``pkg/apis/core/validation``): a new image, a shorter deadline and
    added tolerations pass; a node name, a restart policy or another container are refused with
    upstream's first line (its ``cmp.Diff`` of the Go spec is replaced by the changed paths). The
    sandbox used to store any change."""
    import json

    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    _server, path = kubeconfig
    with _api(path) as api:
        core = client.CoreV1Api(api)
        pod = client.V1Pod(
            metadata=client.V1ObjectMeta(name="p"),
            spec=client.V1PodSpec(
                containers=[client.V1Container(name="c", image="i:1")], active_deadline_seconds=60
            ),
        )
        core.create_namespaced_pod("default", pod)
        extra = {"key": "k", "operator": "Exists"}
        changed = core.patch_namespaced_pod(
            "p",
            "default",
            {"spec": {"containers": [{"name": "c", "image": "i:2"}], "activeDeadlineSeconds": 30}},
        )
        assert (changed.spec.containers[0].image, changed.spec.active_deadline_seconds) == ("i:2", 30)
        tolerated = [t.to_dict() for t in changed.spec.tolerations]
        core.patch_namespaced_pod(
            "p", "default", [{"op": "add", "path": "/spec/tolerations/-", "value": extra}]
        )
        refused = {}
        for label, patch in {
            "node": {"spec": {"nodeName": "other"}},
            "restart": {"spec": {"restartPolicy": "Never"}},
            "longer deadline": {"spec": {"activeDeadlineSeconds": 90}},
            "another container": {"spec": {"containers": [{"name": "d", "image": "j"}]}},
        }.items():
            with pytest.raises(ApiException) as info:
                core.patch_namespaced_pod("p", "default", patch)
            refused[label] = json.loads(info.value.body)
        stored = core.read_namespaced_pod("p", "default")
    assert len(stored.spec.tolerations) == len(tolerated) + 1 and stored.spec.node_name is None
    node = refused["node"]
    assert (node["code"], node["reason"]) == (422, "Invalid")
    forbidden = f"spec: Forbidden: pod updates may not change fields other than {_POD_FIELDS}"
    assert node["message"] == f'Pod "p" is invalid: {forbidden}\n  spec.nodeName'
    assert node["details"]["causes"][0]["field"] == "spec"
    assert refused["restart"]["message"].endswith("\n  spec.restartPolicy")
    assert refused["longer deadline"]["message"] == (
        'Pod "p" is invalid: spec.activeDeadlineSeconds: Invalid value: 90: '
        "must be less than or equal to previous value"
    )
    assert refused["another container"]["message"] == (
        'Pod "p" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers'
    )


def test_a_custom_resource_answer_is_written_as_an_unstructured_map(kubeconfig):
    """apiextensions-apiserver answers with Go maps, which ``encoding/json`` writes with sorted
    keys, and a list whose ``metadata.continue`` is set even when empty (``UpdateList``); the
    harness wrote the envelope in a typed list's order and left ``continue`` out, so
    ``list_cluster_custom_object(...)["metadata"]`` lacked the key a real cluster sends."""
    import json

    from kubernetes import client

    server, path = kubeconfig
    _widget_maker(server)("a")
    with _api(path) as api:
        co = client.CustomObjectsApi(api)
        listed = co.list_cluster_custom_object(G, V, P)
        assert listed["metadata"] == {
            "continue": "",
            "resourceVersion": listed["metadata"]["resourceVersion"],
        }
        raw = co.list_cluster_custom_object(G, V, P, _preload_content=False).data
        assert list(json.loads(raw)) == ["apiVersion", "items", "kind", "metadata"]
        one = json.loads(co.get_cluster_custom_object(G, V, P, "a", _preload_content=False).data)
        assert list(one) == ["apiVersion", "kind", "metadata", "spec"]
        assert list(one["metadata"]) == sorted(one["metadata"])
        watched = co.list_cluster_custom_object(
            G, V, P, watch=True, timeout_seconds=1, _preload_content=False
        )
        lines = watched.data.decode().splitlines()
        assert lines and all(line.startswith('{"type":"ADDED","object":{"apiVersion":') for line in lines)


def test_kubernetes_client_create_of_a_custom_object_without_kind_is_refused(kubeconfig):
    """``CustomObjectsApi`` sends the dict as given; without ``kind`` (or ``apiVersion``) the
    server refuses it as apiextensions-apiserver does, where it used to store it."""
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    _server, path = kubeconfig
    with _api(path) as api:
        co = client.CustomObjectsApi(api)
        for body, words in [
            ({"apiVersion": f"{G}/{V}", "metadata": {"name": "k"}}, "Object 'Kind' is missing in"),
            (
                {"kind": "Widget", "metadata": {"name": "k"}},
                f"the API version in the data () does not match the expected API version ({G}/{V})",
            ),
        ]:
            with pytest.raises(ApiException) as info:
                co.create_cluster_custom_object(G, V, P, body)
            assert info.value.status == 400
            status = json.loads(info.value.body)
            assert status["reason"] == "BadRequest" and words in status["message"], status
        assert co.list_cluster_custom_object(G, V, P)["items"] == []


def test_kubernetes_client_creates_a_service_account_token_and_reads_its_expiry(kubeconfig):
    """``CoreV1Api.create_namespaced_service_account_token`` (``serviceaccounts/token``): the typed
    ``AuthenticationV1TokenRequest`` comes back with ``status.token`` and a parsed
    ``expiration_timestamp``; it used to be a 404."""
    from kubernetes import client

    _server, path = kubeconfig
    with _api(path) as api:
        request = client.AuthenticationV1TokenRequest(spec=client.V1TokenRequestSpec(audiences=[]))
        answer = client.CoreV1Api(api).create_namespaced_service_account_token("default", "default", request)
        assert answer.spec.expiration_seconds == 3600
        assert answer.status.token.count(".") == 2
        assert answer.status.expiration_timestamp.tzinfo is not None
