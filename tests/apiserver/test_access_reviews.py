"""The access reviews (``kubectl auth whoami``/``can-i``) and Services (``kubectl cluster-info``).

The reviews are create-only and answered from the body: the token's holder is the cluster's
admin. kubectl posts them as protobuf, so that path is tested with bytes built here field by field
(the same wire format as k8s.io/api's generated.proto) and with kubectl itself.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.apiserver.protobuf import MAGIC, ProtobufError
from harness.apiserver.protobuf import decode as decode_review

SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
SSR = "/apis/authentication.k8s.io/v1/selfsubjectreviews"
RULES = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"
PROTOBUF = {"Content-Type": "application/vnd.kubernetes.protobuf"}


def _field(number: int, value: bytes) -> bytes:
    length, out = len(value), b""
    while True:
        byte, length = length & 0x7F, length >> 7
        out += bytes([byte | (0x80 if length else 0)])
        if not length:
            break
    return bytes([number << 3 | 2]) + out + value


def _unknown(kind: str, message: bytes) -> bytes:
    type_meta = _field(1, b"authorization.k8s.io/v1") + _field(2, kind.encode())
    return (
        MAGIC + _field(1, type_meta) + _field(2, message) + _field(4, b"application/vnd.kubernetes.protobuf")
    )


def _access_review(**attributes: str) -> bytes:
    numbers = {
        "namespace": 1,
        "verb": 2,
        "group": 3,
        "version": 4,
        "resource": 5,
        "subresource": 6,
        "name": 7,
    }
    resource = b"".join(_field(numbers[k], v.encode()) for k, v in attributes.items())
    return _unknown("SelfSubjectAccessReview", _field(1, b"") + _field(2, _field(1, resource)))


def test_the_protobuf_access_review_reads_as_its_json_spec():
    raw = _access_review(verb="create", group="deckhouse.io", resource="moduleconfigs", name="a" * 200)
    review = decode_review(raw, "SelfSubjectAccessReview")
    assert review == {
        "metadata": {},
        "spec": {
            "resourceAttributes": {
                "verb": "create",
                "group": "deckhouse.io",
                "resource": "moduleconfigs",
                "name": "a" * 200,
            }
        },
    }


@pytest.mark.parametrize(
    "raw",
    [b"{}", MAGIC + b"\x12\x7f", MAGIC + b"\xff" * 12, MAGIC + b"\x0b"],
    ids=["no-magic", "length-past-end", "endless-varint", "group-wire-type"],
)
def test_a_broken_protobuf_body_is_a_protobuf_error(raw):
    with pytest.raises(ProtobufError):
        decode_review(raw, "SelfSubjectAccessReview")


def test_a_protobuf_access_review_is_allowed(http):
    answer = http.post(SSAR, content=_access_review(verb="get", resource="pods"), headers=PROTOBUF)
    assert answer.status_code == 201, answer.text
    review = answer.json()
    assert review["kind"] == "SelfSubjectAccessReview"
    assert review["spec"]["resourceAttributes"] == {"verb": "get", "resource": "pods"}
    assert review["status"] == {"allowed": True}


def test_whoami_names_the_admin_and_its_groups(http):
    body = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
    review = http.post(SSR, json=body).json()
    assert review["status"]["userInfo"] == {
        "username": "kubernetes-admin",
        "groups": ["system:masters", "system:authenticated"],
    }


def test_rules_review_allows_everything(http):
    body = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectRulesReview",
        "spec": {"namespace": "default"},
    }
    status = http.post(RULES, json=body).json()["status"]
    assert status["resourceRules"][0] == {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}
    assert status["nonResourceRules"][0] == {"verbs": ["*"], "nonResourceURLs": ["*"]}
    assert status["incomplete"] is False


def test_rules_review_adds_the_bootstrap_roles_of_every_authenticated_user(http):
    body = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": {}}
    status = http.post(RULES, json=body).json()["status"]
    assert {
        "verbs": ["create"],
        "apiGroups": ["authentication.k8s.io"],
        "resources": ["selfsubjectreviews"],
    } in (status["resourceRules"])
    urls = sorted(url for rule in status["nonResourceRules"][1:] for url in rule["nonResourceURLs"])
    assert urls.count("/readyz") == 2 and urls.count("/openapi/*") == 1, urls  # discovery + public info


def test_an_access_review_without_attributes_is_kube_apiservers_422(http):
    answer = http.post(
        SSAR, json={"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview"}
    )
    assert answer.status_code == 422
    assert (
        "exactly one of nonResourceAttributes or resourceAttributes must be specified"
        in answer.json()["message"]
    )


def test_reviews_are_never_stored_and_cannot_be_read(http):
    answer = http.get(SSAR)
    assert answer.status_code == 405
    assert answer.json()["reason"] == "MethodNotAllowed"


def test_reviews_offer_only_create_in_discovery(http):
    resources = http.get("/apis/authorization.k8s.io/v1").json()["resources"]
    assert {r["name"]: r["verbs"] for r in resources} == {
        "selfsubjectaccessreviews": ["create"],
        "selfsubjectrulesreviews": ["create"],
    }


def test_a_protobuf_body_for_a_custom_resource_is_no_415_and_a_broken_one_a_400(http):
    """The CR handler serves protobuf, and panics decoding it (:mod:`.test_custom_protobuf`)."""
    widget = http.post("/apis/example.com/v1alpha2/widgets", content=MAGIC + b"\x0a\x00", headers=PROTOBUF)
    assert widget.status_code == 500
    broken = http.post(SSAR, content=MAGIC + b"\x12\x7f", headers=PROTOBUF)
    assert broken.status_code == 400
    assert broken.json()["message"].startswith('SelfSubjectAccessReview in version "v1" cannot be handled')


def test_services_print_kubectls_columns(http):
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "registry", "namespace": "default"},
        "spec": {
            "type": "NodePort",
            "clusterIP": "10.96.0.20",
            "selector": {"app": "registry"},
            "ports": [{"port": 5000, "nodePort": 30500, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}],
        },
    }
    assert http.post("/api/v1/namespaces/default/services", json=service).status_code == 201
    table = http.get(
        "/api/v1/namespaces/default/services",
        headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"},
    ).json()
    names = [c["name"] for c in table["columnDefinitions"]]
    assert names == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"]
    cells = table["rows"][0]["cells"]
    stored = http.get("/api/v1/namespaces/default/services/registry").json()["spec"]["ports"]
    allocated = stored[1]["nodePort"]  # a NodePort Service's port without one gets one
    assert 30000 <= allocated <= 32767 and stored[0]["nodePort"] == 30500
    assert cells[:5] == ["registry", "NodePort", "10.96.0.20", "<none>", f"5000:30500/TCP,53:{allocated}/UDP"]
    assert cells[6] == "app=registry"


@given(st.binary(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_bytes_after_the_magic_are_a_review_or_a_protobuf_error(tail):
    for kind in ("SelfSubjectAccessReview", "SelfSubjectRulesReview", "SelfSubjectReview"):
        try:
            review = decode_review(MAGIC + tail, kind)
        except ProtobufError:
            continue
        assert isinstance(review, dict)


def _varint_field(number: int, value: int) -> bytes:
    value &= (1 << 64) - 1  # Go writes a negative int32/int64 as its 64-bit two's complement
    out = b""
    while True:
        byte, value = value & 0x7F, value >> 7
        out += bytes([byte | (0x80 if value else 0)])
        if not value:
            return bytes([number << 3]) + out


def test_a_protobuf_deployment_keeps_pointer_zeros_and_drops_plain_ones():
    """Go's marshaller writes every non-pointer field; its JSON omits the zero ``omitempty`` ones."""
    container = _field(1, b"app") + _field(2, b"app:1") + _field(8, b"")  # resources: empty
    template = _field(3, _field(2, _field(2, container)))  # spec.template.spec.containers
    spec = (
        _varint_field(1, 0)  # replicas (*int32): 0 is meant
        + template
        + _field(4, b"")  # strategy: an empty struct
        + _varint_field(5, 0)  # minReadySeconds (int32, omitempty)
        + _varint_field(6, -1)  # revisionHistoryLimit (*int32)
        + _varint_field(7, 0)  # paused (bool, omitempty)
    )
    body = _unknown("Deployment", _field(1, _field(1, b"web")) + _field(2, spec))
    decoded = decode_review(body, "Deployment")
    assert decoded == {
        "metadata": {"name": "web"},
        "spec": {
            "replicas": 0,
            "template": {"spec": {"containers": [{"name": "app", "image": "app:1", "resources": {}}]}},
            "strategy": {},
            "revisionHistoryLimit": -1,
        },
    }


def test_a_protobuf_service_port_reads_its_int_or_string_target():
    by_number = _field(1, _field(1, b"http") + _varint_field(3, 80) + _field(4, _varint_field(2, 8080)))
    by_name = _field(1, _varint_field(3, 81) + _field(4, _varint_field(1, 1) + _field(3, b"web")))
    decoded = decode_review(_unknown("Service", _field(2, by_number + by_name)), "Service")
    assert decoded["spec"]["ports"] == [
        {"name": "http", "port": 80, "targetPort": 8080},
        {"port": 81, "targetPort": "web"},
    ]
