"""Repeated keys in request bodies, answered as kube-apiserver 1.32 answers them.

The expected words are those of kubernetes/kubernetes' ``test/integration/apiserver/
field_validation_test.go`` (sigs.k8s.io/json's ``duplicate field "<path>"``, go-yaml's ``line N:
key "<k>" already set in map``), with the handlers' shapes: create/update ``400``, patches ``422``
on ``patch``, server-side apply ``400 error strict decoding YAML``. ``Warn`` is the default.
Before, every repeated key was silently dropped, whatever ``fieldValidation`` said.
"""

from __future__ import annotations

import http.client
import re
from typing import Any

from .conftest import AUTH, CM_PATH, Hostile

_WARNING = re.compile(r'^299 - "((?:[^"\\]|\\.)*)"$')


def _send(hostile: Hostile, method: str, path: str, body: str, media: str) -> tuple[int, list[str], Any]:
    """The status, the ``Warning`` texts (every header, unquoted) and the JSON answer."""
    conn = http.client.HTTPConnection("127.0.0.1", hostile.port, timeout=10)
    try:
        conn.request(method, path, body=body.encode(), headers={**AUTH, "Content-Type": media})
        response = conn.getresponse()
        warnings = []
        for header in response.headers.get_all("Warning") or []:
            found = _WARNING.match(header)
            assert found, header
            warnings.append(re.sub(r"\\(.)", r"\1", found.group(1)))
        import json

        return response.status, warnings, json.loads(response.read())
    finally:
        conn.close()


JSON = "application/json"
CM_BODY = (
    '{"apiVersion": "v1", "kind": "ConfigMap",'
    ' "metadata": {"name": "dupename", "name": "%s", "unknownMeta": "m"},'
    ' "bogus": 1, "bogus": 2,'
    ' "data": {"a": "1", "a": "2"}}'
)
CM_ERRORS = [
    'duplicate field "metadata.name"',
    'unknown field "metadata.unknownMeta"',
    'unknown field "bogus"',  # repeated too, but the typed decoder skips an unknown field's value
    'duplicate field "data.a"',
]


def test_a_create_with_repeated_keys_is_refused_under_strict_in_the_decoders_order(hostile: Hostile):
    status, warnings, body = _send(hostile, "POST", f"{CM_PATH}?fieldValidation=Strict", CM_BODY % "s", JSON)
    assert (status, body["reason"]) == (400, "BadRequest")
    assert body["message"] == (
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: '
        + ", ".join(CM_ERRORS)
    )
    assert warnings == []
    assert hostile.request("GET", f"{CM_PATH}/s").status == 404


def test_warn_is_the_default_and_the_last_value_wins(hostile: Hostile):
    for name, query in (("w1", ""), ("w2", "?fieldValidation=Warn")):
        status, warnings, body = _send(hostile, "POST", CM_PATH + query, CM_BODY % name, JSON)
        assert status == 201, body
        assert warnings == CM_ERRORS
        assert (body["metadata"]["name"], body["data"]) == (name, {"a": "2"})


def test_ignore_writes_silently(hostile: Hostile):
    status, warnings, body = _send(hostile, "POST", f"{CM_PATH}?fieldValidation=Ignore", CM_BODY % "i", JSON)
    assert (status, warnings, body["data"]) == (201, [], {"a": "2"})


def test_an_update_is_refused_the_same_way(hostile: Hostile):
    assert _send(hostile, "POST", CM_PATH, CM_BODY % "u", JSON)[0] == 201
    status, _, body = _send(hostile, "PUT", f"{CM_PATH}/u?fieldValidation=Strict", CM_BODY % "u", JSON)
    assert status == 400
    assert body["message"].endswith("strict decoding error: " + ", ".join(CM_ERRORS))


YAML_BODY = """apiVersion: v1
kind: ConfigMap
metadata:
  name: dupename
  name: %s
  unknownMeta: m
bogus: 1
bogus: 2
data:
  a: "1"
  a: "2"
"""


def test_a_yaml_body_has_its_repetitions_worded_by_the_yaml_decoder(hostile: Hostile):
    """One ``yaml: unmarshal errors:`` error (a warning per line), then the unknown fields sorted:
    the YAML-to-JSON conversion writes keys sorted."""
    lines = [
        'line 5: key "name" already set in map',
        'line 8: key "bogus" already set in map',
        'line 11: key "a" already set in map',
    ]
    unknown = ['unknown field "bogus"', 'unknown field "metadata.unknownMeta"']
    media = "application/yaml"
    status, _, body = _send(hostile, "POST", f"{CM_PATH}?fieldValidation=Strict", YAML_BODY % "yml", media)
    assert status == 400
    assert body["message"].endswith(
        "strict decoding error: yaml: unmarshal errors:\n  " + "\n  ".join(lines) + ", " + ", ".join(unknown)
    )
    status, warnings, body = _send(hostile, "POST", CM_PATH, YAML_BODY % "yml", media)
    assert (status, warnings, body["data"]) == (201, lines + unknown, {"a": "2"})


def _seed(hostile: Hostile, name: str) -> None:
    assert (
        hostile.request(
            "POST", CM_PATH, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
        ).status
        == 201
    )


def test_a_merge_patch_is_refused_on_the_field_patch_with_the_patched_object(hostile: Hostile):
    """``jsonPatcher``: the patch's repetitions, then the patched object's unknown fields, as a
    ``422`` naming the patched JSON; it used to be a ``400`` that named no repetition."""
    _seed(hostile, "mp")
    patch = '{"data": {"a": "1", "a": "2"}, "zeta": 1, "bogus": 1}'
    path = f"{CM_PATH}/mp?fieldValidation=Strict"
    status, _, body = _send(hostile, "PATCH", path, patch, "application/merge-patch+json")
    assert (status, body["reason"]) == (422, "Invalid")
    assert body["message"].startswith(' "" is invalid: patch: Invalid value: "{')
    assert body["message"].endswith(
        'strict decoding error: duplicate field "data.a", unknown field "bogus", unknown field "zeta"'
    )
    assert body["details"]["causes"][0]["field"] == "patch"
    status, warnings, body = _send(hostile, "PATCH", f"{CM_PATH}/mp", patch, "application/merge-patch+json")
    assert (status, body["data"]) == (200, {"a": "2"})
    assert warnings == ['duplicate field "data.a"', 'unknown field "bogus"', 'unknown field "zeta"']


def test_a_json_patch_names_its_own_operations(hostile: Hostile):
    _seed(hostile, "jp")
    patch = (
        '[{"op": "add", "path": "/data", "value": {}, "foo": "bar"},'
        ' {"op": "add", "path": "/data/y", "path": "/data/z", "value": "2"}]'
    )
    status, warnings, body = _send(hostile, "PATCH", f"{CM_PATH}/jp", patch, "application/json-patch+json")
    assert status == 200, body
    assert warnings == ['json patch unknown field "[0].foo"', 'json patch duplicate field "[1].path"']
    assert body["data"] == {"z": "2"}


def test_a_strategic_merge_patch_prints_the_patch_as_go_prints_a_map(hostile: Hostile):
    _seed(hostile, "smp")
    path = f"{CM_PATH}/smp?fieldValidation=Strict"
    status, _, body = _send(
        hostile, "PATCH", path, '{"data": {"a": "1", "a": "2"}}', "application/strategic-merge-patch+json"
    )
    assert status == 422
    assert body["message"] == (
        ' "" is invalid: patch: Invalid value: "map[data:map[a:2]]": '
        'strict decoding error: duplicate field "data.a"'
    )


def test_a_secrets_values_stay_out_of_a_patch_refusal(hostile: Hostile):
    secrets = "/api/v1/namespaces/default/secrets"
    assert (
        hostile.request(
            "POST", secrets, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "sp"}}
        ).status
        == 201
    )
    for media in ("application/merge-patch+json", "application/strategic-merge-patch+json"):
        patch = '{"stringData": {"pw": "hunter2", "pw": "hunter3"}}'
        status, _, body = _send(hostile, "PATCH", f"{secrets}/sp?fieldValidation=Strict", patch, media)
        assert status == 422
        assert "hunter" not in body["message"] and "aHVudGVy" not in body["message"]


def test_server_side_apply_words_repetitions_as_its_yaml_decoder(hostile: Hostile):
    """``applyPatcher`` reads the body as YAML, JSON included, and checks after applying."""
    body = "\n".join(
        [
            '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ssa"},',
            '"data": {"a": "1",',
            '"a": "2"}}',
        ]
    )
    media = "application/apply-patch+yaml"
    path = f"{CM_PATH}/ssa?fieldManager=m"
    status, _, answer = _send(hostile, "PATCH", path + "&fieldValidation=Strict", body, media)
    assert (status, answer["message"]) == (
        400,
        "error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n"
        '  line 3: key "a" already set in map',
    )
    status, warnings, answer = _send(hostile, "PATCH", path, body, media)
    assert (status, warnings, answer["data"]) == (201, ['line 3: key "a" already set in map'], {"a": "2"})
    hostile.assert_healthy()
