"""Bodies whose kind the decoder cannot read, refused in kube-apiserver 1.32's words.

When apimachinery's serializer fails before it knows the body's kind (the YAML-to-JSON conversion,
``SimpleMetaFactory.Interpret``, or the unstructured decoder of a custom resource finding no
``kind``), the create and update handlers answer ``the object provided is unrecognized (must be of
type K): <error> (<summary>)`` (``transformDecodeError`` and ``summarizeData`` in
``k8s.io/apiserver/pkg/endpoints/handlers/rest.go``). A YAML map key JSON cannot hold is
``sigs.k8s.io/yaml`` v1.4.0's ``unsupported map key of type: %s, key: %+#v, value: %+#v``; the
harness stored a ``null`` key as ``"null"``. A custom resource without ``kind`` was taken as the
URL's kind, where apiextensions-apiserver's decoder refuses it.
"""

from __future__ import annotations

import pytest

from harness.steps.documents import DocumentError, parse_documents
from tests.hostile.conftest import CM_PATH, Hostile

MC_PATH = "/apis/deckhouse.io/v1alpha1/moduleconfigs"
YAML = {"Content-Type": "application/yaml"}
APPLY = {"Content-Type": "application/apply-patch+yaml"}
CM_HEAD = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keys\n"


def _refusal(reply) -> str:
    status = reply.status_object()
    assert (status["code"], status["reason"], status["status"]) == (400, "BadRequest", "Failure"), status
    return str(status["message"])


def _unrecognized(kind: str, problem: str, body: bytes) -> str:
    summary = body[:30].hex() + (" ..." if len(body) > 30 else "")
    return f"the object provided is unrecognized (must be of type {kind}): {problem} ({summary})"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"data:\n  ~: x\n", 'unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"'),
        (b"data:\n  null: x\n", 'unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"'),
        (
            b"data:\n  ? \n  : {b: [1, ~], 2: c}\n",
            "unsupported map key of type: %!s(<nil>), key: <nil>, value: "
            'map[interface {}]interface {}{2:"c", "b":[]interface {}{1, interface {}(nil)}}',
        ),
        (
            b"data:\n  9223372036854775808: x\n",
            'unsupported map key of type: uint64, key: 0x8000000000000000, value: "x"',
        ),
    ],
)
def test_a_yaml_key_json_cannot_hold_is_refused_as_the_conversion_refuses_it(
    hostile: Hostile, data: bytes, problem: str
):
    body = CM_HEAD + data
    reply = hostile.request("POST", CM_PATH, body, headers=YAML)
    assert _refusal(reply) == _unrecognized("ConfigMap", problem, body)
    assert hostile.request("GET", f"{CM_PATH}/keys").status == 404
    hostile.assert_healthy()


def test_an_update_and_a_server_side_apply_refuse_it_too(hostile: Hostile):
    body = CM_HEAD + b"data:\n  ~: x\n"
    problem = 'unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"'
    updated = hostile.request("PUT", f"{CM_PATH}/keys", body, headers=YAML)
    assert _refusal(updated) == _unrecognized("ConfigMap", problem, body)
    applied = hostile.request("PATCH", f"{CM_PATH}/keys?fieldManager=m", body, headers=APPLY)
    assert _refusal(applied) == f"error decoding YAML: error converting YAML to JSON: {problem}"


def test_keys_beyond_uint64_and_infinite_ones_are_float_keys_written_as_float32():
    [document] = parse_documents(
        "kind: ConfigMap\nmetadata: {name: k}\n"
        "data: {1.23456789: a, 18446744073709551616: b, .inf: c, -.inf: d}\n"
    )
    assert document["data"] == {"1.2345679": "a", "1.8446744e+19": "b", ".inf": "c", "-.inf": "d"}


def test_a_steps_null_key_is_refused_as_kubectl_refuses_it():
    with pytest.raises(DocumentError) as info:
        parse_documents("kind: ConfigMap\nmetadata: {name: k}\ndata:\n  ~: x\n")
    message = str(info.value)
    assert 'unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"' in message
    assert "line 4" in message


def test_an_infinite_value_is_what_json_marshal_says_of_it(hostile: Hostile):
    body = CM_HEAD + b"data:\n  a: -.inf\n"
    reply = hostile.request("POST", CM_PATH, body, headers=YAML)
    assert _refusal(reply) == _unrecognized("ConfigMap", "json: unsupported value: -Inf", body)


def test_an_empty_or_non_object_body_shows_what_was_sent(hostile: Hostile):
    assert _refusal(hostile.request("POST", CM_PATH, b"")) == (
        "the object provided is unrecognized (must be of type ConfigMap): "
        "couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)"
    )
    listed = _refusal(hostile.request("POST", CM_PATH, b"[1, 2]"))
    assert listed == _unrecognized(
        "ConfigMap",
        "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type "
        'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
        'Kind string "json:\\"kind,omitempty\\"" }',
        b"[1, 2]",
    )


def test_a_custom_resource_without_kind_is_refused_with_the_body_as_sent(hostile: Hostile):
    body = b'{"apiVersion": "deckhouse.io/v1alpha1", "metadata": {"name": "no-kind"}}'
    reply = hostile.request("POST", MC_PATH, body)
    assert _refusal(reply) == (
        "the object provided is unrecognized (must be of type ModuleConfig): "
        f"Object 'Kind' is missing in '{body.decode()}' ({body[:30].decode()} ...)"
    )
    assert hostile.request("GET", f"{MC_PATH}/no-kind").status == 404
    for kind in (b'""', b"null"):  # an empty string to Go: Unstructured reads no kind either
        sent = body[:-1] + b', "kind": ' + kind + b"}"
        assert "Object 'Kind' is missing in" in _refusal(hostile.request("POST", MC_PATH, sent))


def test_a_yaml_custom_resource_without_kind_and_an_update_without_kind(hostile: Hostile):
    body = b"apiVersion: deckhouse.io/v1alpha1\nmetadata:\n  name: no-kind\n"
    created = hostile.request("POST", MC_PATH, body, headers=YAML)
    missing = f"Object 'Kind' is missing in '{body.decode()}'"
    assert _refusal(created) == _unrecognized("ModuleConfig", missing, body)
    updated = hostile.request("PUT", f"{MC_PATH}/no-kind", body, headers=YAML)
    assert _refusal(updated) == _refusal(created)


def test_under_ignore_the_url_kind_names_the_refusal_and_the_body_is_json(hostile: Hostile):
    body = b"apiVersion: deckhouse.io/v1alpha1\nmetadata:\n  name: no-kind\n"
    reply = hostile.request("POST", f"{MC_PATH}?fieldValidation=Ignore", body, headers=YAML)
    assert _refusal(reply) == (
        'ModuleConfig in version "v1alpha1" cannot be handled as a ModuleConfig: '
        "Object 'Kind' is missing in "
        '\'{"apiVersion":"deckhouse.io/v1alpha1","metadata":{"name":"no-kind"}}\''
    )


def test_a_custom_resource_without_api_version_is_refused_by_the_handler(hostile: Hostile):
    for extra in (b"", b', "apiVersion": "v1"'):
        body = b'{"kind": "ModuleConfig", "metadata": {"name": "no-version"}' + extra + b"}"
        sent = "v1" if extra else ""
        assert _refusal(hostile.request("POST", MC_PATH, body)) == (
            f"the API version in the data ({sent}) does not match the expected API version "
            "(deckhouse.io/v1alpha1)"
        )
    assert hostile.request("GET", f"{MC_PATH}/no-version").status == 404


def test_a_built_in_kind_takes_the_urls_kind_and_version(hostile: Hostile):
    """The typed decoder defaults a missing kind and version from the URL (``gvkWithDefaults``)."""
    created = hostile.request("POST", CM_PATH, {"metadata": {"name": "kindless"}, "data": {"a": "b"}})
    assert created.status == 201, created.body
    assert (created.json()["kind"], created.json()["apiVersion"]) == ("ConfigMap", "v1")


SECRETS_PATH = "/api/v1/namespaces/default/secrets"
NUMBER_KIND, ARRAY_KIND = "number into Go struct field .kind", "array into Go struct field .kind"
OBJECT_VERSION = "object into Go struct field .apiVersion"
ARRAY_VERSION = "array into Go struct field .apiVersion"


@pytest.mark.parametrize(
    ("path", "kind", "body", "problem"),
    [
        (CM_PATH, "ConfigMap", b'{"apiVersion":"v1","kind":5,"metadata":{"name":"k"}}', NUMBER_KIND),
        (CM_PATH, "ConfigMap", b'{"kind":["ConfigMap"],"apiVersion":"v1"}', ARRAY_KIND),
        (CM_PATH, "ConfigMap", b'{"apiVersion":{"v":1},"kind":true}', OBJECT_VERSION),
        (CM_PATH, "ConfigMap", b"apiVersion: v1\nkind: true\n", "bool into Go struct field .kind"),
        (MC_PATH, "ModuleConfig", b'{"apiVersion":"deckhouse.io/v1alpha1","kind":5}', NUMBER_KIND),
        (MC_PATH, "ModuleConfig", b'{"apiVersion":["x"],"kind":"ModuleConfig"}', ARRAY_VERSION),
    ],
)
def test_a_kind_or_api_version_that_is_no_string_is_refused_as_interpret_refuses_it(
    hostile: Hostile, path: str, kind: str, body: bytes, problem: str
):
    """``SimpleMetaFactory.Interpret`` unmarshals both into strings before anything else: the
    harness said "does not match the expected v1 ConfigMap" or "Object 'Kind' is missing"."""
    headers = YAML if not body.startswith(b"{") else None
    message = _refusal(hostile.request("POST", path, body, headers=headers))
    summary = body[:30].decode() if body.startswith(b"{") else body[:30].hex()
    expected = (
        f"the object provided is unrecognized (must be of type {kind}): couldn't get version/kind; "
        f"json parse error: json: cannot unmarshal {problem} of type string ({summary}"
    )
    assert message.startswith(expected), message
    hostile.assert_healthy()


@pytest.mark.parametrize(
    ("body", "sent"),
    [
        (b"metadata:\n  name: ap\ndata:\n  a: b\n", "/, Kind="),
        (b"apiVersion: v1\nmetadata:\n  name: ap\n", "/v1, Kind="),
        (b"apiVersion: v1\nkind: List\nmetadata:\n  name: ap\n", "/v1, Kind=List"),
        (b"kind: ConfigMap\napiVersion: 5\nmetadata:\n  name: ap\n", "/, Kind=ConfigMap"),
    ],
)
def test_a_server_side_apply_without_its_kind_and_version_is_refused(
    hostile: Hostile, body: bytes, sent: str
):
    """The field manager's version check (``versionCheckManager.Apply``) compares the patch's
    group, version and kind with the endpoint's; the harness created the object."""
    reply = hostile.request("PATCH", f"{CM_PATH}/ap?fieldManager=x", body, headers=APPLY)
    assert _refusal(reply) == f"invalid object type: {sent}"
    assert hostile.request("GET", f"{CM_PATH}/ap").status == 404
    spec = b"spec:\n  enabled: true\n"
    reply = hostile.request("PATCH", f"{MC_PATH}/ap?fieldManager=x", spec, headers=APPLY)
    assert _refusal(reply) == "invalid object type: /, Kind="
    hostile.assert_healthy()


def test_the_summary_of_a_secrets_body_shows_none_of_it(hostile: Hostile):
    """kube-apiserver prints the body's first 30 bytes, which for a Secret are its values (a
    password cut short is not recognised as one by the report's redaction): the harness does not."""
    body = b'{"data":{"x":"c2VjcmV0cGFzc3dvcmQ="},"kind":5}'
    message = _refusal(hostile.request("POST", SECRETS_PATH, body))
    assert message.endswith("of type string (<redacted>)"), message
    assert "c2VjcmV0" not in message
    message = _refusal(hostile.request("POST", SECRETS_PATH, b"\x00" * 40))
    assert message.endswith("(<redacted>)") and "00000000" not in message


def _wrong_kind(reply, name: str) -> None:
    """apiextensions-apiserver's ``ValidateTypeMeta`` 422, qualified by the body's own kind."""
    status = reply.status_object()
    cause = {
        "reason": "FieldValueInvalid",
        "message": 'Invalid value: "Module": must be ModuleConfig',
        "field": "kind",
    }
    assert (status["code"], status["reason"]) == (422, "Invalid"), status
    assert status["message"] == f'Module.deckhouse.io "{name}" is invalid: kind: {cause["message"]}'
    assert status["details"] == {"name": name, "group": "deckhouse.io", "kind": "Module", "causes": [cause]}


def test_a_custom_resource_in_another_kind_is_the_validators_422(hostile: Hostile):
    """The unstructured decoder takes any kind, the handler checks only the group and version,
    and the strategy's validator refuses the kind; the harness answered a 400 of its own words."""
    body = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "Module",
        "metadata": {"name": "other-kind"},
        "spec": {},
    }
    _wrong_kind(hostile.request("POST", MC_PATH, body), "other-kind")
    assert hostile.request("GET", f"{MC_PATH}/other-kind").status == 404
    missing = hostile.request("PUT", f"{MC_PATH}/other-kind", body)
    assert missing.status_object()["reason"] == "NotFound"  # the update looks the object up first
    kept = {**body, "kind": "ModuleConfig"}
    assert hostile.request("POST", MC_PATH, kept).status == 201
    _wrong_kind(hostile.request("PUT", f"{MC_PATH}/other-kind", body), "other-kind")
    merge = {"Content-Type": "application/merge-patch+json"}
    _wrong_kind(
        hostile.request("PATCH", f"{MC_PATH}/other-kind", b'{"kind": "Module"}', headers=merge), "other-kind"
    )
    assert hostile.request("GET", f"{MC_PATH}/other-kind").json()["kind"] == "ModuleConfig"
    assert hostile.request("DELETE", f"{MC_PATH}/other-kind").status == 200


@pytest.mark.parametrize(
    ("api_version", "shown"),
    [
        ("deckhouse.io/v1", "deckhouse.io/v1, Kind=ModuleConfig"),
        (None, "/, Kind=ModuleConfig"),
        ("a/b/c", "/, Kind="),  # ParseGroupVersion fails: the whole GroupVersionKind is empty
    ],
)
def test_a_server_side_apply_in_another_version_is_the_version_checks_400(
    hostile: Hostile, api_version: str | None, shown: str
):
    """``versionCheckManager`` is the field manager's outermost layer: a patch in another version
    never reaches ``structuredMergeManager``'s own "Incorrect version specified" check."""
    body = {"kind": "ModuleConfig", "metadata": {"name": "applied"}}
    if api_version is not None:
        body["apiVersion"] = api_version
    reply = hostile.request("PATCH", f"{MC_PATH}/applied?fieldManager=m", body, headers=APPLY)
    assert _refusal(reply) == f"invalid object type: {shown}"
    assert hostile.request("GET", f"{MC_PATH}/applied").status == 404
