from __future__ import annotations

AGG_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
AGG_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"


def test_version_reports_minor_32_without_a_token(server):
    import httpx

    url = server.start()
    body = httpx.get(f"{url}/version", verify=False).json()
    assert (body["major"], body["minor"]) == ("1", "32")


def test_legacy_discovery_by_default(http):
    assert http.get("/api").json()["kind"] == "APIVersions"
    groups = http.get("/apis").json()
    assert groups["kind"] == "APIGroupList"
    example = next(g for g in groups["groups"] if g["name"] == "example.com")
    assert example["preferredVersion"]["version"] == "v1"
    assert [v["version"] for v in example["versions"]] == ["v1", "v1alpha2", "v1alpha1"]
    resources = http.get("/apis/example.com/v1alpha2").json()["resources"]
    assert {r["name"] for r in resources} == {"widgets", "widgets/status"}
    widget = next(r for r in resources if r["name"] == "widgets")
    assert widget["shortNames"] == ["wd"] and widget["namespaced"] is False


def test_core_group_lists_pods_log(http):
    names = {r["name"] for r in http.get("/api/v1").json()["resources"]}
    assert {"pods", "pods/log", "pods/status", "namespaces", "events", "secrets", "configmaps"} <= names


def test_aggregated_v2_only_when_asked(http):
    r = http.get("/apis", headers={"Accept": f"{AGG_V2},{AGG_V2BETA1},application/json"})
    assert r.headers["content-type"] == AGG_V2
    body = r.json()
    assert body["apiVersion"] == "apidiscovery.k8s.io/v2"
    example = next(i for i in body["items"] if i["metadata"]["name"] == "example.com")
    v1alpha2 = next(v for v in example["versions"] if v["version"] == "v1alpha2")
    assert v1alpha2["resources"][0]["subresources"][0]["subresource"] == "status"


def test_aggregated_v2beta1_for_clients_that_only_know_it(http):
    r = http.get("/api", headers={"Accept": f"{AGG_V2BETA1},application/json"})
    assert r.headers["content-type"] == AGG_V2BETA1
    assert r.json()["items"][0]["metadata"]["name"] == ""


def test_unserved_version_is_absent_from_discovery(http):
    assert http.get("/apis/example.com/v1beta1").status_code == 404


def test_openapi_v3_index_and_group_document(http):
    index = http.get("/openapi/v3").json()["paths"]
    url = index["apis/example.com/v1alpha2"]["serverRelativeURL"]
    doc = http.get(url).json()
    schema = doc["components"]["schemas"]["com.example.v1alpha2.Widget"]
    assert schema["x-kubernetes-group-version-kind"] == [
        {"group": "example.com", "version": "v1alpha2", "kind": "Widget"}
    ]
    patch = doc["paths"]["/apis/example.com/v1alpha2/widgets/{name}"]["patch"]
    assert "fieldValidation" in {p["name"] for p in patch["parameters"]}


def test_openapi_v2_holds_the_custom_kinds_in_their_v2_form(http):
    """kubectl validates a ``kind: List`` against ``/openapi/v2`` (a 404 before); the schemas
    are turned into v2 as apiextensions-apiserver's ``ToStructuralOpenAPIV2`` turns them."""
    answer = http.get("/openapi/v2")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/json"
    doc = answer.json()
    assert doc["swagger"] == "2.0" and doc["paths"] == {}
    widget = doc["definitions"]["com.example.v1alpha2.Widget"]
    assert widget["x-kubernetes-group-version-kind"] == [
        {"group": "example.com", "version": "v1alpha2", "kind": "Widget"}
    ]
    meta = widget["properties"]["metadata"]
    assert meta["$ref"] == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    assert "allOf" not in meta
    assert not [name for name in doc["definitions"] if name.startswith("io.k8s.api.")]
    proto = http.get(
        "/openapi/v2", headers={"Accept": "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"}
    )
    assert proto.headers["Content-Type"] == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
    assert proto.content.startswith(b"\n\x032.0")  # field 1 (swagger), "2.0"


def test_a_v2_schema_drops_what_openapi_v2_cannot_say():
    from harness.apiserver.openapi_v2 import to_v2

    schema = {
        "type": "object",
        "required": ["a", "b"],
        "properties": {
            "a": {"type": "string", "nullable": True},
            "b": {"type": "object", "x-kubernetes-preserve-unknown-fields": True, "properties": {"c": {}}},
            "d": {"type": "array", "x-kubernetes-preserve-unknown-fields": True, "items": {"type": "string"}},
            "e": {"oneOf": [{"type": "string"}], "type": "string"},
        },
    }
    assert to_v2(schema) == {
        "type": "object",
        "required": ["b"],
        "properties": {
            "a": {},
            "b": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            "d": {"x-kubernetes-preserve-unknown-fields": True},
            "e": {"type": "string"},
        },
    }


def test_openapi_v3_documents_the_fields_of_the_built_in_kinds(http):
    """kubectl explain walks these schemas: an open one made every built-in field unknown to it."""
    index = http.get("/openapi/v3").json()["paths"]
    schemas = http.get(index["apis/apps/v1"]["serverRelativeURL"]).json()["components"]["schemas"]
    deployment = schemas["io.k8s.api.apps.v1.Deployment"]
    assert deployment["x-kubernetes-group-version-kind"] == [
        {"group": "apps", "version": "v1", "kind": "Deployment"}
    ]
    assert "x-kubernetes-preserve-unknown-fields" not in deployment
    assert deployment["properties"]["spec"] == {
        "allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"}]
    }
    spec = schemas["io.k8s.api.apps.v1.DeploymentSpec"]
    assert spec["properties"]["replicas"] == {"type": "integer"}
    assert spec["required"] == ["selector", "template"]
    pod_spec = schemas["io.k8s.api.core.v1.PodSpec"]  # every struct the kind leads to is in its document
    assert pod_spec["required"] == ["containers"]
    assert pod_spec["properties"]["nodeSelector"] == {
        "type": "object",
        "additionalProperties": {"type": "string"},
    }
    core = http.get(index["api/v1"]["serverRelativeURL"]).json()["components"]["schemas"]
    assert set(core["io.k8s.api.core.v1.ConfigMap"]["properties"]) == {
        "apiVersion",
        "binaryData",
        "data",
        "immutable",
        "kind",
        "metadata",
    }


def test_deprecated_version_warns(http, client):
    r = http.get("/apis/example.com/v1alpha1/widgets")
    assert r.headers["warning"] == '299 - "example.com/v1alpha1 Widget is deprecated"'
