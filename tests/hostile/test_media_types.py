"""A body is read as its ``Content-Type`` says, as kube-apiserver 1.32 reads it.

kube-apiserver picks a create's or an update's decoder by the media type
(``NegotiateInputSerializer``, ``k8s.io/apiserver/pkg/endpoints/handlers/negotiation``): a YAML body
sent as ``application/json`` (``kubectl create --raw -f file.yaml``) meets Go's JSON decoder,
which refuses it before it learns the kind (``couldn't get version/kind; json parse error: ...``,
worded by ``transformDecodeError``); a type no serializer serves is a ``415``. A patch's
``Content-Type`` must name one of the endpoint's patch types exactly, and a JSON, merge or
strategic merge patch is JSON only (``handlers/patch.go``). The harness read any body as JSON or
YAML whatever its type, and took a patch without a type as a merge patch.
"""

from __future__ import annotations

import pytest

from harness.apiserver.go_json_syntax import syntax_error
from tests.hostile.conftest import CM_PATH, Hostile

SERVED = "application/json, application/yaml, application/vnd.kubernetes.protobuf"
BUILTIN_PATCHES = (
    "application/json-patch+json, application/merge-patch+json, "
    "application/strategic-merge-patch+json, application/apply-patch+yaml"
)
CUSTOM_PATCHES = "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
MC_PATH = "/apis/deckhouse.io/v1alpha1/moduleconfigs"
YAML_CM = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml-as-json\ndata:\n  a: b\n"


def _status(reply, code: int, reason: str) -> str:
    status = reply.status_object()
    assert (status["code"], status.get("reason")) == (code, reason), status
    return str(status["message"])


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", ""])
def test_a_yaml_body_sent_as_json_is_refused_by_the_json_decoder(hostile: Hostile, content_type: str):
    headers = {"Content-Type": content_type} if content_type else {}
    reply = hostile.request("POST", CM_PATH, YAML_CM, headers=headers)
    assert _status(reply, 400, "BadRequest") == (
        "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; "
        "json parse error: invalid character 'a' looking for beginning of value "
        f"({YAML_CM[:30].hex()} ...)"
    )
    assert hostile.request("GET", f"{CM_PATH}/yaml-as-json").status == 404
    hostile.assert_healthy()


def test_an_update_refuses_it_too_and_yaml_sent_as_yaml_is_read(hostile: Hostile):
    yaml = {"Content-Type": "application/yaml"}
    assert hostile.request("POST", CM_PATH, YAML_CM, headers=yaml).status == 201
    reply = hostile.request(
        "PUT", f"{CM_PATH}/yaml-as-json", YAML_CM, headers={"Content-Type": "application/json"}
    )
    assert "json parse error: invalid character 'a' looking for beginning of value" in _status(
        reply, 400, "BadRequest"
    )
    assert hostile.request("PUT", f"{CM_PATH}/yaml-as-json", YAML_CM, headers=yaml).status == 200
    assert hostile.request("DELETE", f"{CM_PATH}/yaml-as-json").status == 200


def test_a_custom_resource_refuses_yaml_sent_as_json(hostile: Hostile):
    body = b"apiVersion: deckhouse.io/v1alpha1\nkind: ModuleConfig\nmetadata:\n  name: prometheus\n"
    reply = hostile.request("POST", MC_PATH, body, headers={"Content-Type": "application/json"})
    assert _status(reply, 400, "BadRequest").startswith(
        "the object provided is unrecognized (must be of type ModuleConfig): couldn't get version/kind; "
        "json parse error: invalid character 'a' looking for beginning of value ("
    )


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/merge-patch+json",
        "json",
        "application/json; charset",
        "application/json; a=1; a=2",
        "; charset=utf-8",
    ],
)
def test_a_create_in_a_type_no_serializer_serves_is_a_415(hostile: Hostile, content_type: str):
    body = b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"typed"}}'
    reply = hostile.request("POST", CM_PATH, body, headers={"Content-Type": content_type})
    message = _status(reply, 415, "UnsupportedMediaType")
    assert (
        message
        == f"the body of the request was in an unknown format - accepted media types include: {SERVED}"
    )
    assert hostile.request("GET", f"{CM_PATH}/typed").status == 404
    mc = hostile.request("POST", MC_PATH, body, headers={"Content-Type": content_type})
    assert _status(mc, 415, "UnsupportedMediaType") == message


@pytest.mark.parametrize("content_type", ["APPLICATION/JSON", "application/json;", 'Application/Yaml; x="y"'])
def test_the_type_is_read_as_go_parses_a_media_type(hostile: Hostile, content_type: str):
    body = b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cased"}}'
    assert hostile.request("POST", CM_PATH, body, headers={"Content-Type": content_type}).status == 201
    assert hostile.request("DELETE", f"{CM_PATH}/cased").status == 200


@pytest.mark.parametrize(
    ("path", "accepted"),
    [(f"{CM_PATH}/sentinel", BUILTIN_PATCHES), (f"{MC_PATH}/global", CUSTOM_PATCHES)],
    ids=["built-in", "custom"],
)
@pytest.mark.parametrize("content_type", ["", "application/json", "APPLICATION/MERGE-PATCH+JSON"])
def test_a_patch_needs_one_of_its_patch_types_exactly(
    hostile: Hostile, path: str, accepted: str, content_type: str
):
    headers = {"Content-Type": content_type} if content_type else {}
    reply = hostile.request("PATCH", path, b'{"metadata":{"labels":{"keep":"no"}}}', headers=headers)
    assert _status(reply, 415, "UnsupportedMediaType") == (
        f"the body of the request was in an unknown format - accepted media types include: {accepted}"
    )
    hostile.assert_healthy()


YAML_PATCH = b"metadata:\n  labels:\n    keep: no\n"


@pytest.mark.parametrize(
    ("content_type", "query", "message"),
    [
        (
            "application/merge-patch+json",
            "",
            "error decoding patch: invalid character 'm' looking for beginning of value",
        ),
        ("application/merge-patch+json", "?fieldValidation=Ignore", "Invalid JSON Patch"),
        (
            "application/json-patch+json",
            "?fieldValidation=Strict",
            "error decoding patch: invalid character 'm' looking for beginning of value",
        ),
        (
            "application/json-patch+json",
            "?fieldValidation=Ignore",
            "invalid character 'm' looking for beginning of value",
        ),
        (
            "application/strategic-merge-patch+json",
            "",
            "invalid character 'm' looking for beginning of value",
        ),
    ],
)
def test_a_yaml_patch_in_a_json_patch_type_is_refused(
    hostile: Hostile, content_type: str, query: str, message: str
):
    path = f"{CM_PATH}/sentinel{query}"
    reply = hostile.request(
        "PATCH", path, YAML_PATCH, headers={"Content-Type": f"{content_type}; charset=utf-8"}
    )
    assert _status(reply, 400, "BadRequest") == message
    hostile.assert_healthy()


def test_a_missing_object_is_not_found_before_its_patch_is_read(hostile: Hostile):
    headers = {"Content-Type": "application/merge-patch+json"}
    reply = hostile.request("PATCH", f"{CM_PATH}/nowhere", YAML_PATCH, headers=headers)
    assert _status(reply, 404, "NotFound") == 'configmaps "nowhere" not found'


def test_a_server_side_apply_still_reads_yaml(hostile: Hostile):
    body = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: b\n"
    headers = {"Content-Type": "application/apply-patch+yaml"}
    reply = hostile.request("PATCH", f"{CM_PATH}/applied?fieldManager=m", body, headers=headers)
    assert reply.status == 201, reply.body
    assert reply.json()["data"] == {"a": "b"}
    assert hostile.request("DELETE", f"{CM_PATH}/applied").status == 200


def test_a_delete_body_in_an_unserved_type_is_a_415_and_an_empty_one_needs_none(hostile: Hostile):
    body = b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"gone"}}'
    assert hostile.request("POST", CM_PATH, body).status == 201
    refused = hostile.request(
        "DELETE", f"{CM_PATH}/gone", b'{"gracePeriodSeconds": 0}', headers={"Content-Type": "text/plain"}
    )
    assert _status(refused, 415, "UnsupportedMediaType").endswith(SERVED)
    assert hostile.request("GET", f"{CM_PATH}/gone").status == 200
    assert hostile.request("DELETE", f"{CM_PATH}/gone", headers={"Content-Type": "text/plain"}).status == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"apiVersion: v1", "invalid character 'a' looking for beginning of value"),
        (b'{"a" 1}', "invalid character '1' after object key"),
        (b'{"a":1 "b":2}', "invalid character '\"' after object key:value pair"),
        (b"[1 2]", "invalid character '2' after array element"),
        (b"{1:2}", "invalid character '1' looking for beginning of object key string"),
        (b'{"a":1}x', "invalid character 'x' after top-level value"),
        (b'{"a":tru}', "invalid character '}' in literal true (expecting 'e')"),
        (b'{"a":nul', "invalid character ' ' in literal null (expecting 'l')"),
        (b'{"a":', "unexpected end of JSON input"),
        (b"", "unexpected end of JSON input"),
        (b'{"a":1.}', "invalid character '}' after decimal point in numeric literal"),
        (b'{"a":1e}', "invalid character '}' in exponent of numeric literal"),
        (b'{"a":-}', "invalid character '}' in numeric literal"),
        (b'{"a":"\\x"}', "invalid character 'x' in string escape code"),
        (b'{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"),
        (b'{"a":"\x01"}', "invalid character '\\x01' in string literal"),
        (b'{"a":NaN}', "invalid character 'N' looking for beginning of value"),
        (b'{"a":-Infinity}', "invalid character 'I' in numeric literal"),
        (b"\xef\xbb\xbf{}", "invalid character '\u00ef' looking for beginning of value"),
        (b"\x80", "invalid character '\\u0080' looking for beginning of value"),
        (b"'a'", "invalid character '\\'' looking for beginning of value"),
        (b"01", "invalid character '1' after top-level value"),
        (b'{"a":[1,]}', "invalid character ']' looking for beginning of value"),
        (b'{"a":{},}', "invalid character '}' looking for beginning of object key string"),
        (b'{"a": [] , "b": {"c": [true, false, null, -0.5e+3]}}', None),
    ],
)
def test_json_syntax_errors_are_worded_as_gos_scanner_words_them(data: bytes, message: str | None):
    assert syntax_error(data) == message
