"""What kube-apiserver refuses, refused here with its status, reason and message."""

from __future__ import annotations

import json
import re
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.conftest import CM_PATH, TOKEN, Hostile, parse_raw

PROBES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
# Written from apimachinery's IsValidLabelValue, independently of the server's code.
LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")


def configmap(name: str, **fields: object) -> dict:
    meta = fields.pop("metadata", {})
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, **meta}, **fields}  # type: ignore[dict-item]


def _invalid(reply) -> dict:
    status = reply.status_object()
    assert (status["code"], status["reason"]) == (422, "Invalid"), status
    return status


def test_a_bad_label_key_is_refused_with_apimachinerys_message(hostile: Hostile):
    status = _invalid(
        hostile.request("POST", CM_PATH, configmap("l1", metadata={"labels": {"bad key!": "v"}}))
    )
    assert (
        status["message"]
        == f'ConfigMap "l1" is invalid: metadata.labels: Invalid value: "bad key!": {NAME_PART}'
    )
    assert status["details"]["causes"] == [
        {
            "reason": "FieldValueInvalid",
            "message": f'Invalid value: "bad key!": {NAME_PART}',
            "field": "metadata.labels",
        }
    ]
    assert hostile.request("GET", f"{CM_PATH}/l1").status == 404


def test_a_400_character_label_key_and_a_1mib_label_value_are_refused(hostile: Hostile):
    status = _invalid(
        hostile.request("POST", CM_PATH, configmap("l2", metadata={"labels": {"k" * 400: "v"}}))
    )
    assert "name part must be no more than 63 characters" in status["message"]
    big = "v" * (1024 * 1024)
    status = _invalid(hostile.request("POST", CM_PATH, configmap("l3", metadata={"labels": {"k": big}})))
    assert status["details"]["causes"][0]["message"].endswith(": must be no more than 63 characters")
    for name in ("l2", "l3"):
        assert hostile.request("GET", f"{CM_PATH}/{name}").status == 404


def test_annotations_over_256_kib_are_refused(hostile: Hostile):
    annotations = {"a": "x" * (256 * 1024)}
    status = _invalid(
        hostile.request("POST", CM_PATH, configmap("a1", metadata={"annotations": annotations}))
    )
    assert (
        status["message"]
        == 'ConfigMap "a1" is invalid: metadata.annotations: Too long: must have at most 262144 bytes'
    )
    just_fits = {"a": "x" * (256 * 1024 - 1)}
    assert (
        hostile.request("POST", CM_PATH, configmap("a2", metadata={"annotations": just_fits})).status == 201
    )


def test_bad_finalizers_and_generate_name_are_refused(hostile: Hostile):
    status = _invalid(hostile.request("POST", CM_PATH, configmap("f1", metadata={"finalizers": ["a/b/c"]})))
    assert status["details"]["causes"][0]["field"] == "metadata.finalizers"
    body = configmap("", metadata={"generateName": "Bad_Prefix-"})
    del body["metadata"]["name"]
    status = _invalid(hostile.request("POST", CM_PATH, body))
    assert status["details"]["causes"][0]["field"] == "metadata.generateName"
    assert "a lowercase RFC 1123 subdomain must consist of" in status["message"]
    body["metadata"]["generateName"] = "fine-"
    made = hostile.request("POST", CM_PATH, body)
    assert made.status == 201 and made.json()["metadata"]["name"].startswith("fine-")


def test_configmap_data_must_be_strings_on_create_and_through_a_merge_patch(hostile: Hostile):
    status = hostile.request("POST", CM_PATH, configmap("t1", data={"a": 1})).status_object()
    assert (status["code"], status["reason"]) == (400, "BadRequest")
    assert status["message"] == (
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: '
        "json: cannot unmarshal number into Go struct field ConfigMap.data of type string"
    )
    assert hostile.request("POST", CM_PATH, configmap("t2", data={"a": "1"})).status == 201
    patched = hostile.request(
        "PATCH",
        f"{CM_PATH}/t2",
        b'{"data":{"a":1}}',
        headers={"Content-Type": "application/merge-patch+json"},
    )
    status = _invalid(patched)
    assert status["details"]["causes"][0]["field"] == "patch"
    assert status["message"].endswith(
        "json: cannot unmarshal number into Go struct field ConfigMap.data of type string"
    )
    assert hostile.request("GET", f"{CM_PATH}/t2").json()["data"] == {"a": "1"}


def test_configmap_keys_are_validated(hostile: Hostile):
    status = _invalid(hostile.request("POST", CM_PATH, configmap("k1", data={"bad key": "v", "..x": "v"})))
    fields = sorted(c["field"] for c in status["details"]["causes"])
    assert fields == ["data[..x]", "data[bad key]"]


def test_dry_run_bogus_is_refused_and_creates_nothing(hostile: Hostile):
    status = _invalid(hostile.request("POST", f"{CM_PATH}?dryRun=Bogus", configmap("d1")))
    assert status["message"] == (
        'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Bogus"}: '
        'supported values: "All"'
    )
    assert hostile.request("GET", f"{CM_PATH}/d1").status == 404
    assert hostile.request("POST", f"{CM_PATH}?dryRun=All", configmap("d1")).status == 201
    assert hostile.request("GET", f"{CM_PATH}/d1").status == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_an_unknown_field_validation_is_refused_before_anything_is_written(hostile: Hostile, method):
    """``strict`` (lower case) is not ``Strict``: kube-apiserver refuses it with a 422 on the verb's
    options (``ValidateFieldValidation``); read as the default ``Warn``, a write meant to be
    checked strictly went through with its unknown fields dropped."""
    kept, made = f"fv-{method.lower()}", f"fv-{method.lower()}-new"  # the server is the module's
    assert hostile.request("POST", CM_PATH, configmap(kept)).status == 201
    path = CM_PATH if method == "POST" else f"{CM_PATH}/{kept}"
    body = configmap(made if method == "POST" else kept, data={"a": "changed"})
    headers = {"Content-Type": "application/merge-patch+json"} if method == "PATCH" else None
    kind = {"POST": "CreateOptions", "PUT": "UpdateOptions", "PATCH": "PatchOptions"}[method]
    status = _invalid(hostile.request(method, f"{path}?fieldValidation=strict", body, headers=headers))
    assert status["message"] == (
        f'{kind}.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": '
        'supported values: "", "Ignore", "Strict", "Warn"'
    )
    assert hostile.request("GET", f"{CM_PATH}/{made}").status == 404
    assert hostile.request("GET", f"{CM_PATH}/{kept}").json().get("data") in (None, {})


def test_an_unknown_propagation_policy_is_refused_and_deletes_nothing(hostile: Hostile):
    assert hostile.request("POST", CM_PATH, configmap("p1")).status == 201
    body = {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Evil"}
    status = _invalid(hostile.request("DELETE", f"{CM_PATH}/p1", body))
    assert status["message"] == (
        'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Evil": '
        'supported values: "Foreground", "Background", "Orphan", "nil"'
    )
    _invalid(hostile.request("DELETE", f"{CM_PATH}/p1?propagationPolicy=Evil"))
    assert hostile.request("GET", f"{CM_PATH}/p1").status == 200


def test_a_malformed_list_resource_version_is_a_400_and_a_watch_one_a_422(hostile: Hostile):
    status = hostile.request("GET", f"{CM_PATH}?resourceVersion=abc").status_object()
    assert (status["code"], status["reason"]) == (400, "BadRequest")
    assert 'strconv.ParseUint: parsing "abc": invalid syntax' in status["message"]
    status = _invalid(hostile.request("GET", f"{CM_PATH}?watch=true&resourceVersion=abc"))
    assert status["message"].startswith('configmaps "" is invalid: resourceVersion: Invalid value: "abc"')


def test_a_resource_version_from_the_future_is_the_watch_caches_504(hostile: Hostile):
    current = int(hostile.request("GET", CM_PATH).json()["metadata"]["resourceVersion"])
    future = current + 1000
    for query in (f"watch=true&resourceVersion={future}", f"resourceVersion={future}"):
        status = hostile.request("GET", f"{CM_PATH}?{query}").status_object()
        assert (status["code"], status["reason"]) == (504, "Timeout")
        assert status["message"].startswith(f"Timeout: Too large resource version: {future}, current: ")
        assert status["details"]["causes"][0]["reason"] == "ResourceVersionTooLarge"


@PROBES
@given(st.text(alphabet=st.sampled_from("aZ09-_.!/ é"), max_size=70))
def test_label_values_are_accepted_exactly_when_apimachinery_accepts_them(hostile: Hostile, value: str):
    expected = len(value) <= 63 and LABEL_VALUE.fullmatch(value) is not None
    reply = hostile.request(
        "POST", f"{CM_PATH}?dryRun=All", configmap("prop", metadata={"labels": {"k": value}})
    )
    assert (reply.status == 201) == expected, (value, reply.body[:300])
    if not expected:
        _invalid(reply)


def test_concurrent_hostile_writes_lose_nothing(hostile: Hostile):
    assert hostile.request("POST", CM_PATH, configmap("counter", data={"n": "0"})).status == 201
    errors: list[str] = []

    def bump(worker: int) -> None:
        for _ in range(20):
            while True:
                current = hostile.request("GET", f"{CM_PATH}/counter").json()
                current["data"]["n"] = str(int(current["data"]["n"]) + 1)
                reply = hostile.request("PUT", f"{CM_PATH}/counter", current)
                if reply.status == 200:
                    break
                if reply.status != 409:
                    errors.append(f"{worker}: {reply.status}")
                    return
            hostile.request("POST", CM_PATH, configmap("x", data={"bad": 1}))  # noise between writes

    threads = [threading.Thread(target=bump, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert hostile.request("GET", f"{CM_PATH}/counter").json()["data"]["n"] == "80"
    hostile.assert_healthy()


def test_resource_version_match_is_validated_like_list_options(hostile: Hostile):
    status = _invalid(hostile.request("GET", f"{CM_PATH}?resourceVersion=1&resourceVersionMatch=Bogus"))
    assert status["message"].startswith(
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported'
    )
    status = _invalid(hostile.request("GET", f"{CM_PATH}?resourceVersionMatch=Exact"))
    assert "resourceVersionMatch is forbidden unless resourceVersion is provided" in status["message"]
    assert (
        hostile.request("GET", f"{CM_PATH}?resourceVersion=1&resourceVersionMatch=NotOlderThan").status == 200
    )


def test_an_unknown_field_of_a_built_in_kind_is_refused_under_strict_and_never_stored(hostile: Hostile):
    """``date:`` for ``data:`` (kubectl sends ``fieldValidation=Strict``): kube-apiserver's decoder
    refuses it; it used to be stored, listed in managedFields and served back. The typed decoder
    meets the fields in document order (``metadata`` comes first in this body)."""
    typo = configmap("typo", date={"a": "b"}, metadata={"labels": {"x": "y"}, "bogus": 1})
    status = hostile.request("POST", f"{CM_PATH}?fieldValidation=Strict", typo).status_object()
    assert (status["code"], status["reason"]) == (400, "BadRequest")
    assert status["message"] == (
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: '
        'unknown field "metadata.bogus", unknown field "date"'
    )
    created = hostile.request("POST", CM_PATH, typo)  # Warn, the server's default
    assert created.status == 201
    assert created.headers["Warning"].startswith('299 - "unknown field \\"')
    stored = hostile.request("GET", f"{CM_PATH}/typo").json()
    assert "date" not in stored and "bogus" not in stored["metadata"]
    assert stored["metadata"]["labels"] == {"x": "y"}
    assert "f:date" not in json.dumps(stored["metadata"].get("managedFields", []))


def test_a_field_name_cannot_write_headers_into_the_answer(hostile: Hostile):
    """An unknown field named ``x\\r\\nX-Evil: 1\\r\\n\\r\\n`` went into the ``Warning`` header as it
    was: the answer's headers ended there and the client chose the rest. apimachinery's
    ``NewWarningHeader`` refuses control characters (no warning) and escapes quotes."""
    body = json.dumps(configmap("crlf", **{'x"\r\nX-Evil: 1\r\n\r\n': 1, 'quote"d\\': 2})).encode()
    head = (
        f"POST {CM_PATH} HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    reply = parse_raw(hostile.raw(head.encode() + body))
    assert reply.status == 201
    assert "X-Evil" not in reply.headers
    assert reply.headers["Warning"] == '299 - "unknown field \\"quote\\"d\\\\\\""'
    assert reply.json()["metadata"]["name"] == "crlf"
    hostile.assert_healthy()


def test_a_secret_replaced_without_its_type_keeps_opaque(hostile: Hostile):
    """``SetDefaults_Secret`` gives every decoded Secret without a ``type`` ``Opaque``; the update
    path did not, so ``kubectl replace`` of such a Secret was refused as a change of type."""
    secrets = "/api/v1/namespaces/default/secrets"
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "untyped"}, "stringData": {"a": "1"}}
    assert hostile.request("POST", secrets, body).status == 201
    replaced = hostile.request("PUT", f"{secrets}/untyped", {**body, "stringData": {"a": "2"}})
    assert replaced.status == 200, replaced.body[:300]
    assert replaced.json()["type"] == "Opaque"
    untyped = hostile.request(
        "PATCH", f"{secrets}/untyped", {"type": None}, {"Content-Type": "application/merge-patch+json"}
    )
    assert untyped.status == 200 and untyped.json()["type"] == "Opaque"


DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"


def _deployment(name: str, replicas: object) -> dict[str, object]:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "c", "image": "i"}]},
            },
        },
    }


@pytest.mark.parametrize(
    ("replicas", "literal"),
    [
        (2**31, "2147483648"),
        (99999999999999999999, "99999999999999999999"),
        (-(2**31) - 1, "-2147483649"),
        (2.5, "2.5"),
    ],
)
def test_a_count_beyond_int32_is_refused_with_its_literal_and_never_stored(
    hostile: Hostile, replicas, literal
):
    """It used to be stored: every typed client (kubectl's Deployment table) then failed to read it."""
    status = hostile.request("POST", DEPLOYMENTS, _deployment("huge", replicas)).status_object()
    assert status["code"] == 400
    assert status["message"].endswith(
        f"json: cannot unmarshal number {literal} into Go struct field"
        " DeploymentSpec.spec.replicas of type int32"
    )
    assert hostile.request("GET", f"{DEPLOYMENTS}/huge").status == 404
    hostile.assert_healthy()


def test_int32_bounds_themselves_are_stored(hostile: Hostile):
    created = hostile.request("POST", DEPLOYMENTS, _deployment("edge", 2**31 - 1))
    assert created.status == 201, created.body[:300]
    assert hostile.request("DELETE", f"{DEPLOYMENTS}/edge").status == 200
