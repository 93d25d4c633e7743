"""Metadata as kube-apiserver 1.32 returns it: what its typed ObjectMeta and per-kind strategies do.

Each case is something a real client sees (kubectl, or the in-process client that stands for the
controllers) and was checked against the upstream sources named in the test's docstring.
"""

from __future__ import annotations

import json

import pytest
import yaml

from harness.apiserver import ApiServer
from harness.kube import workloads
from harness.kube.client import EventType, PatchType
from harness.kube.errors import Invalid
from harness.kube.resources import Resource

from .conftest import CONFIGMAP, POD, WIDGET, widget
from .test_kubectl import MC
from .test_kubectl import cluster as cluster  # the kubectl fixture, shared

NAMESPACE = Resource("", "v1", "namespaces", "Namespace")
SECRET = Resource("", "v1", "secrets", "Secret", namespaced=True)
DEPLOYMENT = Resource("apps", "v1", "deployments", "Deployment", namespaced=True)
REPLICASET = Resource("apps", "v1", "replicasets", "ReplicaSet", namespaced=True)
SERVICE = Resource("", "v1", "services", "Service", namespaced=True)

_TEMPLATE = {
    "metadata": {"labels": {"app": "a"}},
    "spec": {"containers": [{"name": "c", "image": "i"}]},
}


def _workload(kind: str, name: str) -> dict[str, object]:
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "a"}}, "template": _TEMPLATE},
    }


# ---- empty metadata maps and lists ----------------------------------------------------------------


def test_empty_annotations_labels_and_finalizers_are_not_returned_after_a_merge_patch(cluster):
    """ObjectMeta's maps and lists are ``omitempty``; custom resources go through the same typed
    ObjectMeta (apiextensions-apiserver's ``pkg/registry/customresource`` coerces it), so ``{}``
    and ``[]`` are never stored. (k8s.io/apimachinery/pkg/apis/meta/v1/types.go)"""
    _server, kubectl = cluster
    kubectl("create", "-f", "-", stdin=json.dumps(MC))
    empty = '{"metadata":{"annotations":{},"labels":{},"finalizers":[]}}'
    kubectl("patch", "mc", "module-one", "--type", "merge", "-p", empty)
    meta = yaml.safe_load(kubectl("get", "mc", "module-one", "-o", "yaml").stdout)["metadata"]
    assert not {"annotations", "labels", "finalizers"} & set(meta)


def test_a_configmap_created_with_empty_maps_comes_back_without_them(client):
    body = {
        "metadata": {"name": "c", "namespace": "default", "annotations": {}, "labels": {}, "finalizers": []},
        "data": {"a": "1"},
    }
    created = client.create(CONFIGMAP, body)
    assert not {"annotations", "labels", "finalizers", "ownerReferences"} & set(created["metadata"])


def test_server_side_apply_then_diff_reports_no_difference(cluster):
    """``kubectl diff`` (client-side) sends a dry-run merge patch built from the manifest with its
    annotations emptied (``annotations: {}``); a real cluster drops the empty map, so the merged
    object equals the live one and diff exits 0."""
    _server, kubectl = cluster
    path = kubectl.tmp / "mc.yaml"
    path.write_text(yaml.safe_dump(MC))
    kubectl("apply", "--server-side", "-f", str(path))
    diff = kubectl("diff", "-f", str(path), ok=False)
    assert diff.returncode == 0, diff.stdout + diff.stderr


def test_a_write_that_only_adds_empty_maps_is_not_a_commit(client):
    created = client.create(WIDGET, widget("w"))
    same = client.patch(WIDGET, "w", {"metadata": {"annotations": {}, "labels": {}}})
    assert same["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]


# ---- metadata.generation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "body"),
    [
        (CONFIGMAP, {"metadata": {"name": "c", "namespace": "default"}, "data": {"a": "1"}}),
        (SECRET, {"metadata": {"name": "s", "namespace": "default"}, "stringData": {"a": "1"}}),
        (NAMESPACE, {"metadata": {"name": "ns1"}}),
        (POD, {"metadata": {"name": "p", "namespace": "default"}, "spec": _TEMPLATE["spec"]}),
        (SERVICE, {"metadata": {"name": "svc", "namespace": "default"}, "spec": {"ports": [{"port": 80}]}}),
    ],
)
def test_kinds_whose_strategy_never_sets_generation_have_none(client, resource, body):
    """pkg/registry/core/{configmap,secret,namespace,pod,service}/strategy.go: their
    PrepareForCreate/PrepareForUpdate never touch Generation (pods gained it in 1.33)."""
    created = client.create(resource, body)
    assert "generation" not in created["metadata"]
    meta = created["metadata"]
    changed = client.patch(
        resource, meta["name"], {"metadata": {"labels": {"x": "y"}}}, namespace=meta.get("namespace")
    )
    assert "generation" not in changed["metadata"]


def test_a_client_sent_generation_is_dropped_where_the_kind_has_none(client):
    body = {"metadata": {"name": "c", "namespace": "default", "generation": 7}, "data": {}}
    assert "generation" not in client.create(CONFIGMAP, body)["metadata"]


def test_initial_namespaces_have_no_generation(client):
    assert "generation" not in client.get(NAMESPACE, "d8-system")["metadata"]


def test_deployment_generation_moves_on_spec_and_annotation_changes(client):
    """pkg/registry/apps/deployment/strategy.go: Generation 1 on create, then bumped when the spec
    or the annotations change (annotations are copied to the ReplicaSets); labels do not."""
    created = client.create(DEPLOYMENT, _workload("Deployment", "d"))
    assert created["metadata"]["generation"] == 1
    labelled = client.patch(DEPLOYMENT, "d", {"metadata": {"labels": {"x": "y"}}}, namespace="default")
    assert labelled["metadata"]["generation"] == 1
    annotated = client.patch(DEPLOYMENT, "d", {"metadata": {"annotations": {"a": "b"}}}, namespace="default")
    assert annotated["metadata"]["generation"] == 2


def test_replicaset_generation_ignores_annotation_changes(client):
    """pkg/registry/apps/replicaset/strategy.go: only a spec change bumps Generation."""
    created = client.create(REPLICASET, _workload("ReplicaSet", "rs"))
    assert created["metadata"]["generation"] == 1
    annotated = client.patch(REPLICASET, "rs", {"metadata": {"annotations": {"a": "b"}}}, namespace="default")
    assert annotated["metadata"]["generation"] == 1


def test_delete_of_a_finalized_object_bumps_its_generation(client):
    """k8s.io/apiserver/pkg/registry/generic/registry/store.go ``markAsDeleting``: the first
    deletionTimestamp bumps a generation that is set (controllers watching generation see it)."""
    client.create(WIDGET, {**widget("f"), "metadata": {"name": "f", "finalizers": ["example.com/keep"]}})
    client.delete(WIDGET, "f")
    deleting = client.get(WIDGET, "f")["metadata"]
    assert deleting["generation"] == 2 and deleting["deletionGracePeriodSeconds"] == 0
    client.delete(WIDGET, "f")
    assert client.get(WIDGET, "f")["metadata"]["generation"] == 2


def test_delete_of_a_finalized_configmap_sets_no_generation(client):
    body = {"metadata": {"name": "c", "namespace": "default", "finalizers": ["example.com/keep"]}}
    client.create(CONFIGMAP, body)
    client.delete(CONFIGMAP, "c", namespace="default")
    assert "generation" not in client.get(CONFIGMAP, "c", namespace="default")["metadata"]


# ---- namespaces ---------------------------------------------------------------------------------


def test_namespaces_carry_the_metadata_name_label_and_the_kubernetes_finalizer(cluster):
    """pkg/registry/core/namespace/strategy.go: Canonicalize sets ``kubernetes.io/metadata.name``
    (also after generateName), PrepareForCreate adds the ``kubernetes`` spec finalizer."""
    _server, kubectl = cluster
    kubectl("create", "namespace", "team-a")
    made = kubectl("create", "-o", "json", "-f", "-", stdin=json.dumps(_generated_namespace()))
    generated = json.loads(made.stdout)
    for name in ("default", "kube-system", "d8-system", "team-a", generated["metadata"]["name"]):
        ns = json.loads(kubectl("get", "ns", name, "-o", "json").stdout)
        assert ns["metadata"]["labels"]["kubernetes.io/metadata.name"] == name
        assert ns["spec"] == {"finalizers": ["kubernetes"]}
    selected = kubectl("get", "ns", "-l", "kubernetes.io/metadata.name=team-a", "-o", "name").stdout
    assert selected.split() == ["namespace/team-a"]


def _generated_namespace() -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"generateName": "gen-"}}


def test_the_namespace_label_cannot_be_changed_or_removed(client):
    client.create(NAMESPACE, {"metadata": {"name": "team-b", "labels": {"kubernetes.io/metadata.name": "x"}}})
    assert client.get(NAMESPACE, "team-b")["metadata"]["labels"] == {"kubernetes.io/metadata.name": "team-b"}
    patched = client.patch(
        NAMESPACE, "team-b", {"metadata": {"labels": {"kubernetes.io/metadata.name": None}}}
    )
    assert patched["metadata"]["labels"] == {"kubernetes.io/metadata.name": "team-b"}


def test_namespace_spec_finalizers_are_kept_on_update(client):
    """PrepareForUpdate keeps the stored spec.finalizers: only the /finalize subresource changes them."""
    client.create(NAMESPACE, {"metadata": {"name": "team-c"}})
    patched = client.patch(NAMESPACE, "team-c", {"spec": {"finalizers": []}})
    assert patched["spec"] == {"finalizers": ["kubernetes"]}


def test_watch_sees_the_canonical_namespace(server: ApiServer):
    client = server.client()
    seen: list[dict[str, object]] = []
    unsubscribe = client.subscribe(
        lambda e: seen.append(e.object) if e.type is EventType.ADDED else None, NAMESPACE
    )
    try:
        client.create(NAMESPACE, {"metadata": {"name": "team-d", "annotations": {}}})
    finally:
        unsubscribe()
    added = [o for o in seen if o["metadata"]["name"] == "team-d"]  # type: ignore[index]
    assert added and "annotations" not in added[0]["metadata"]  # type: ignore[index]


# ---- field selectors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("cm", "--field-selector", "data.a=1"),
            '"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"',
        ),
        (("ns", "--field-selector", "metadata.namespace=x"), "field label not supported: metadata.namespace"),
        (
            ("node", "--field-selector", "metadata.namespace=x"),
            "field label not supported: metadata.namespace",
        ),
        (("mc", "--field-selector", "spec.enabled=true"), "field label not supported: spec.enabled"),
        (("mc", "--field-selector", "metadata.namespace=x"), "field label not supported: metadata.namespace"),
        (("secret", "--field-selector", "data.a=x"), "field label not supported: data.a"),
    ],
)
def test_a_refused_field_selector_says_what_kube_apiserver_says(cluster, args, message):
    """Kinds with their own field label conversion (pkg/apis/core/v1/conversion.go; custom
    resources: apiextensions-apiserver pkg/apiserver/conversion/converter.go) refuse with
    "field label not supported", and cluster-scoped ones do not offer metadata.namespace; the
    others fall back to apimachinery's DefaultMetaV1FieldSelectorConversion wording."""
    _server, kubectl = cluster
    refused = kubectl("get", *args, ok=False)
    assert refused.returncode == 1
    assert refused.stderr.rstrip().endswith(message), refused.stderr


def test_services_can_be_selected_by_type_and_cluster_ip(cluster):
    """Service field labels spec.clusterIP (1.30) and spec.type (1.31)."""
    _server, kubectl = cluster
    for name, kind, ip in (("a", "ClusterIP", "10.0.0.1"), ("b", "NodePort", "10.0.0.2")):
        spec = {"type": kind, "clusterIP": ip, "ports": [{"port": 80}]}
        service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}
        kubectl("create", "-f", "-", stdin=json.dumps(service))
    found = kubectl("get", "svc", "--field-selector", "spec.type=ClusterIP", "-o", "name").stdout
    assert found.split() == ["service/a"]
    found = kubectl("get", "svc", "--field-selector", "spec.clusterIP=10.0.0.2", "-o", "name").stdout
    assert found.split() == ["service/b"]


# ---- server-set fields on create ------------------------------------------------------------------


def test_creating_with_a_resource_version_is_a_500_status_without_a_reason(http):
    """k8s.io/apiserver/pkg/storage/etcd3/store.go Create refuses a resourceVersion it parses as a
    non-zero uint64 with a plain error (a 500, no reason); unparsable ones are ignored, and the
    dry-run storage never gets that far. kubectl clears the field before it creates."""
    for ignored in ("-1", "abc", "0"):
        body = {"metadata": {"name": f"ok{ignored}".replace("-", ""), "resourceVersion": ignored}}
        assert http.post("/api/v1/namespaces/default/configmaps", json=body).status_code == 201
    body = {"metadata": {"name": "x", "resourceVersion": "5"}}
    refused = http.post("/api/v1/namespaces/default/configmaps", json=body)
    assert refused.status_code == 500
    status = refused.json()
    assert status["message"] == "resourceVersion should not be set on objects to be created"
    assert "reason" not in status and status["code"] == 500
    assert http.post("/api/v1/namespaces/default/configmaps?dryRun=All", json=body).status_code == 201


# ---- lists --------------------------------------------------------------------------------------


def test_a_namespaced_page_counts_the_items_that_remain_in_the_namespace(http):
    """etcd3's GetList (k8s.io/apiserver/pkg/storage/etcd3/store.go) sets remainingItemCount
    whenever no selector filters the list; a namespace is part of the key prefix, not a filter."""
    for namespace, name in (("default", "a"), ("default", "b"), ("default", "c"), ("kube-public", "z")):
        http.post(f"/api/v1/namespaces/{namespace}/configmaps", json={"metadata": {"name": name}})
    page = http.get("/api/v1/namespaces/default/configmaps", params={"limit": 1}).json()
    assert page["metadata"]["remainingItemCount"] == 2
    after = {"limit": 1, "continue": page["metadata"]["continue"]}
    second = http.get("/api/v1/namespaces/default/configmaps", params=after).json()
    assert [i["metadata"]["name"] for i in second["items"]] == ["b"]
    assert second["metadata"]["remainingItemCount"] == 1
    selected = {"limit": 1, "labelSelector": "x!=y"}
    assert "remainingItemCount" not in http.get("/api/v1/configmaps", params=selected).json()["metadata"]


def test_a_list_at_resource_version_zero_ignores_limit(http):
    """The 1.32 watch cache serves resourceVersion=0 lists whole (cacher.go GetList)."""
    for name in ("a", "b", "c"):
        http.post("/api/v1/namespaces/default/configmaps", json={"metadata": {"name": name}})
    whole = http.get(
        "/api/v1/namespaces/default/configmaps", params={"limit": 1, "resourceVersion": "0"}
    ).json()
    assert [i["metadata"]["name"] for i in whole["items"]] == ["a", "b", "c"]
    assert "continue" not in whole["metadata"]
    paged = http.get("/api/v1/namespaces/default/configmaps", params={"limit": 1}).json()
    assert len(paged["items"]) == 1 and paged["metadata"]["continue"]


# ---- secrets and configmaps -------------------------------------------------------------------------


def test_secret_string_data_is_folded_into_data_and_never_returned(cluster):
    """pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret: stringData overwrites data
    (base64 on the wire) and is write-only."""
    _server, kubectl = cluster
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "creds"},
        "data": {"a": "b2xk", "keep": "eA=="},
        "stringData": {"a": "new"},
    }
    created = json.loads(kubectl("create", "-o", "json", "-f", "-", stdin=json.dumps(secret)).stdout)
    assert "stringData" not in created
    assert created["data"] == {"a": "bmV3", "keep": "eA=="}
    kubectl("patch", "secret", "creds", "--type", "merge", "-p", '{"stringData":{"b":"two"}}')
    stored = json.loads(kubectl("get", "secret", "creds", "-o", "json").stdout)
    assert "stringData" not in stored and stored["data"]["b"] == "dHdv"
    value = kubectl("get", "secret", "creds", "-o", "jsonpath={.data.b}").stdout
    assert value == "dHdv"


def test_an_immutable_configmap_refuses_changes_to_its_data_and_to_immutable(cluster):
    """pkg/apis/core/validation ValidateConfigMapUpdate."""
    _server, kubectl = cluster
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "frozen"}, "immutable": True}
    kubectl("create", "-f", "-", stdin=json.dumps({**cm, "data": {"a": "1"}}))
    refused = kubectl("patch", "cm", "frozen", "--type", "merge", "-p", '{"data":{"a":"2"}}', ok=False)
    assert refused.returncode == 1
    assert 'ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set' in (
        refused.stderr
    )
    thawed = kubectl("patch", "cm", "frozen", "--type", "merge", "-p", '{"immutable":false}', ok=False)
    assert "immutable: Forbidden: field is immutable when `immutable` is set" in thawed.stderr
    kubectl("label", "cm", "frozen", "x=y")  # metadata stays writable


def test_a_secret_type_cannot_change_and_an_immutable_secret_keeps_its_data(client):
    """pkg/apis/core/validation ValidateSecretUpdate."""
    body = {"metadata": {"name": "s", "namespace": "default"}, "data": {"a": "eA=="}, "immutable": True}
    client.create(SECRET, body)
    with pytest.raises(Invalid) as info:
        client.patch(
            SECRET, "s", {"type": "example.com/other", "stringData": {"a": "y"}}, namespace="default"
        )
    assert str(info.value) == (
        'Secret "s" is invalid: [type: Invalid value: "example.com/other": field is immutable, '
        "data: Forbidden: field is immutable when `immutable` is set]"
    )


# ---- namespace lifecycle ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["default", "kube-system", "kube-public"])
def test_the_immortal_namespaces_cannot_be_deleted(cluster, name):
    """plugin/pkg/admission/namespace/lifecycle/admission.go refuses their deletion (dry run too)."""
    _server, kubectl = cluster
    for extra in ((), ("--dry-run=server",)):
        refused = kubectl("delete", "namespace", name, *extra, ok=False)
        assert refused.returncode == 1
        expected = f'namespaces "{name}" is forbidden: this namespace may not be deleted'
        assert f"Error from server (Forbidden): {expected}" in refused.stderr
    assert kubectl("get", "namespace", name, "-o", "name").stdout.strip() == f"namespace/{name}"


def test_the_replica_sets_a_deployment_controller_makes_carry_their_generation():
    """A ReplicaSet's strategy sets generation 1 on create (pkg/registry/apps/replicaset/strategy.go);
    its status.observedGeneration reports it."""
    template = {"metadata": {"labels": {"app": "a", "pod-template-hash": "h"}}, "spec": {}}
    owner = {"kind": "Deployment", "name": "d", "uid": "u"}
    made = workloads.replica_set("ns", "d-h", template, 1, uid="x", created="t", owner=owner, replicas=1)
    assert made["metadata"]["generation"] == made["status"]["observedGeneration"] == 1


# ---- strategic merge patch ----------------------------------------------------------------------


def _two_containers() -> dict[str, object]:
    containers = [
        {
            "name": "app",
            "image": "app:1",
            "env": [{"name": "A", "value": "1"}],
            "ports": [{"containerPort": 80}],
        },
        {"name": "sidecar", "image": "side:1"},
    ]
    deployment = _workload("Deployment", "web")
    deployment["spec"]["template"] = {
        "metadata": {"labels": {"app": "a"}},
        "spec": {"containers": containers},
    }  # type: ignore[index]
    return deployment


def _containers(kubectl, name: str = "web") -> list[dict[str, object]]:
    out = kubectl("get", "deploy", name, "-o", "jsonpath={.spec.template.spec.containers}").stdout
    return json.loads(out)  # type: ignore[no-any-return]


def test_kubectl_set_env_and_set_image_merge_containers_by_name(cluster):
    """k8s.io/api/core/v1/types.go tags PodSpec.containers and Container.env with
    patchStrategy merge on ``name``: kubectl's strategic patches name only what changes."""
    _server, kubectl = cluster
    kubectl("create", "-f", "-", stdin=json.dumps(_two_containers()))
    kubectl("set", "env", "deploy/web", "-c", "app", "B=2")
    kubectl("set", "image", "deploy/web", "sidecar=side:2")
    app, sidecar = _containers(kubectl)
    assert app["image"] == "app:1" and app["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert app["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    assert sidecar == {
        "name": "sidecar",
        "image": "side:2",
        "imagePullPolicy": "IfNotPresent",  # defaulted at create, for side:1; kept
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }


def test_client_side_apply_changes_one_service_port_and_keeps_the_others(cluster):
    """ServiceSpec.ports merges on ``port``: the second apply's patch carries the changed port only."""
    _server, kubectl = cluster
    ports = [{"name": "http", "port": 80, "targetPort": 8080}, {"name": "metrics", "port": 9090}]
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc"}, "spec": {"ports": ports}}
    kubectl.apply(service)
    ports[0]["targetPort"] = 8081
    kubectl.apply(service)
    stored = json.loads(kubectl("get", "svc", "svc", "-o", "jsonpath={.spec.ports}").stdout)
    # with the defaults kube-apiserver fills: the protocol, and a missing targetPort is the port
    assert stored == [
        {"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8081},
        {"name": "metrics", "port": 9090, "protocol": "TCP", "targetPort": 9090},
    ]


def test_strategic_directives_delete_an_entry_and_a_finalizer(client):
    body = _two_containers()
    body["metadata"]["finalizers"] = ["example.com/a", "example.com/b"]  # type: ignore[index]
    client.create(DEPLOYMENT, body)
    patch = {
        "metadata": {"$deleteFromPrimitiveList/finalizers": ["example.com/a"]},
        "spec": {"template": {"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}}},
    }
    out = client.patch(DEPLOYMENT, "web", patch, patch_type=PatchType.STRATEGIC, namespace="default")
    assert out["metadata"]["finalizers"] == ["example.com/b"]
    assert [c["name"] for c in out["spec"]["template"]["spec"]["containers"]] == ["app"]


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("kubernetes.io/dockerconfigjson", {}, "data[.dockerconfigjson]: Required value"),
        ("kubernetes.io/tls", {"tls.crt": "eA=="}, "data[tls.key]: Required value"),
        ("kubernetes.io/basic-auth", {}, "[data[username]: Required value, data[password]: Required value]"),
        ("kubernetes.io/ssh-auth", {"other": "eA=="}, "data[ssh-privatekey]: Required value"),
    ],
)
def test_a_typed_secret_needs_its_keys(client, kind, data, message):
    """pkg/apis/core/validation ValidateSecret: each well-known type names the keys it needs."""
    body = {"metadata": {"name": "typed", "namespace": "default"}, "type": kind, "data": data}
    with pytest.raises(Invalid) as info:
        client.create(SECRET, body)
    assert str(info.value) == f'Secret "typed" is invalid: {message}'
    client.create(SECRET, {**body, "type": "Opaque"})


# ---- status writes of built-in kinds --------------------------------------------------------------


def test_a_deployment_status_write_keeps_annotations_but_not_labels(cluster):
    """pkg/registry/apps/deployment/strategy.go: the status strategy resets the spec and the labels
    only, so the deployment controller records its revision annotation through /status without a
    new generation; a custom resource's status write keeps nothing but the status."""
    _server, kubectl = cluster
    kubectl("create", "-f", "-", stdin=json.dumps(_workload("Deployment", "web")))
    patch = {
        "metadata": {"annotations": {"deployment.kubernetes.io/revision": "1"}, "labels": {"x": "y"}},
        "spec": {"replicas": 5},
        "status": {"observedGeneration": 1},
    }
    kubectl("patch", "deploy", "web", "--subresource=status", "--type=merge", "-p", json.dumps(patch))
    deployment = json.loads(kubectl("get", "deploy", "web", "-o", "json").stdout)
    assert deployment["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}
    assert "labels" not in deployment["metadata"] and deployment["spec"]["replicas"] == 1
    assert deployment["metadata"]["generation"] == 1 and deployment["status"]["observedGeneration"] == 1
    kubectl("create", "-f", "-", stdin=json.dumps(MC))
    kubectl("patch", "mc", "module-one", "--subresource=status", "--type=merge", "-p", json.dumps(patch))
    assert (
        "annotations" not in json.loads(kubectl("get", "mc", "module-one", "-o", "json").stdout)["metadata"]
    )


def test_a_pod_status_write_keeps_the_owner_references(client):
    """pkg/registry/core/pod/strategy.go: /status never touches ownerReferences."""
    owner = {"apiVersion": "v1", "kind": "ConfigMap", "name": "o", "uid": "u-1"}
    body = {
        "metadata": {"name": "p", "namespace": "default", "ownerReferences": [owner]},
        "spec": _TEMPLATE["spec"],
    }
    client.create(POD, body)
    patch = {"metadata": {"ownerReferences": None, "labels": {"k": "v"}}, "status": {"phase": "Running"}}
    out = client.patch(POD, "p", patch, namespace="default", subresource="status")
    assert out["metadata"]["ownerReferences"] == [owner] and out["metadata"]["labels"] == {"k": "v"}
