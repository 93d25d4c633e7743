"""Custom resources: repeated keys and numbers, as apiextensions-apiserver decodes and validates them.

Numbers: the unstructured decoder keeps an int64 literal an int64 and makes anything else a
float64 (an int beyond int64 included); go-openapi takes a whole float64 within ±(2^53-1) for
``type: integer`` (``swag.IsFloat64AJSONInteger``, kube-openapi ``validate/type.go``), and Go
writes a whole float64 below 1e21 as digits. Before, ``count: 1.0`` was refused, and
``99999999999999999999`` was stored as an exact integer no Go client could hold.
"""

from __future__ import annotations

import httpx

WIDGETS = "/apis/example.com/v1alpha2/widgets"
GADGETS = "/apis/example.com/v1/namespaces/default/gadgets"


def _widget(name: str, count: str) -> str:
    head = f'{{"apiVersion": "example.com/v1alpha2", "kind": "Widget", "metadata": {{"name": "{name}"}},'
    return head + f' "spec": {{"repo": "r", "count": {count}}}}}'


def _post(
    http: httpx.Client, path: str, body: str, media: str = "application/json", **params: str
) -> httpx.Response:
    return http.post(path, content=body.encode(), headers={"Content-Type": media}, params=params)


def test_a_whole_float_is_an_integer_and_is_read_back_without_its_fraction(http: httpx.Client):
    for name, literal in (("one", "1.0"), ("exp", "1e0"), ("safe", "9007199254740991.0")):
        created = _post(http, WIDGETS, _widget(name, literal))
        assert created.status_code == 201, created.text
        expected = "1" if name != "safe" else "9007199254740991"
        assert f'"count":{expected}' in http.get(f"{WIDGETS}/{name}").text


def test_a_number_beyond_int64_is_a_float_and_not_an_integer(http: httpx.Client):
    for literal in ("99999999999999999999", "1e20", "9007199254740993.0"):
        refused = _post(http, WIDGETS, _widget("big", literal))
        assert refused.status_code == 422, literal
        assert refused.json()["message"] == (
            'Widget.example.com "big" is invalid: spec.count: Invalid value: "number": '
            'spec.count in body must be of type integer: "number"'
        )
    assert _post(http, WIDGETS, _widget("i64", "9007199254740993")).status_code == 201  # an int64


def test_large_numbers_in_free_fields_come_back_as_go_writes_a_float64(http: httpx.Client):
    body = (
        '{"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "n"},'
        ' "spec": {"big": 12345678901234567890, "huge": 1e21, "whole": 2.0, "half": 2.5,'
        ' "i": 9223372036854775807}}'
    )
    assert _post(http, GADGETS, body).status_code == 201
    text = http.get(f"{GADGETS}/n").text
    for shown in (
        '"big":12345678901234567000',
        '"huge":1e+21',
        '"whole":2',
        '"half":2.5',
        '"i":9223372036854775807',
    ):
        assert shown in text, text


def test_a_yaml_whole_float_becomes_an_integer_through_the_json_conversion(http: httpx.Client):
    body = (
        "apiVersion: example.com/v1alpha2\nkind: Widget\nmetadata: {name: yw}\nspec: {repo: r, count: 2.0}\n"
    )
    assert _post(http, WIDGETS, body, "application/yaml").status_code == 201
    assert '"count":2' in http.get(f"{WIDGETS}/yw").text


def test_a_built_in_int_field_names_the_literal_it_refuses(http: httpx.Client):
    body = (
        '{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"replicas": 1e0,'
        ' "selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}},'
        ' "spec": {"containers": [{"name": "c", "image": "i"}]}}}}'
    )
    refused = _post(http, "/apis/apps/v1/namespaces/default/deployments", body)
    assert refused.status_code == 400
    assert refused.json()["message"].endswith(
        "json: cannot unmarshal number 1e0 into Go struct field DeploymentSpec.spec.replicas of type int32"
    )


CR_BODY = (
    '{"apiVersion": "example.com/v1alpha2", "kind": "Widget",'
    ' "metadata": {"name": "dupename", "name": "cr", "unknownMeta": "m"},'
    ' "spec": {"nope": 1, "nope": 2, "repo": "a", "repo": "b",'
    ' "windows": [{"from": "08:00", "from": "09:00"}]}}'
)


def test_a_custom_resource_lists_repetitions_first_then_what_pruning_dropped(http: httpx.Client):
    """The unstructured decoder reports every repeated key (unknown ones too), then pruning."""
    refused = _post(http, WIDGETS, CR_BODY, fieldValidation="Strict")
    assert refused.status_code == 400
    assert refused.json()["message"] == (
        'Widget in version "v1alpha2" cannot be handled as a Widget: strict decoding error: '
        'duplicate field "metadata.name", duplicate field "spec.nope", duplicate field "spec.repo", '
        'duplicate field "spec.windows[0].from", unknown field "metadata.unknownMeta", '
        'unknown field "spec.nope"'
    )
    created = _post(http, WIDGETS, CR_BODY)
    assert created.status_code == 201
    assert created.headers.get_list("warning")[:2] == [
        '299 - "duplicate field \\"metadata.name\\""',
        '299 - "duplicate field \\"spec.nope\\""',
    ]
    assert created.json()["spec"]["repo"] == "b"
    assert created.json()["spec"]["windows"] == [{"from": "09:00"}]
