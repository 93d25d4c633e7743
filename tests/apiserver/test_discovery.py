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
    assert http.get("/openapi/v2").status_code == 404


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
