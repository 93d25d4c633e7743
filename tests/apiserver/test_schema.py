"""CRD schema handling: validation messages as kube-apiserver writes them, pruning, defaulting."""

from __future__ import annotations

import pytest

from harness.kube.errors import Invalid

from .conftest import WIDGET, widget


def _invalid(client, obj) -> Invalid:
    with pytest.raises(Invalid) as info:
        client.create(WIDGET, obj)
    return info.value


def test_missing_required_field_is_required_value_with_the_field_path(client):
    error = _invalid(client, {"metadata": {"name": "x"}, "spec": {}})
    assert error.message == 'Widget.example.com "x" is invalid: spec.repo: Required value'
    assert [(c.reason, c.field) for c in error.causes] == [("FieldValueRequired", "spec.repo")]
    assert error.to_status()["details"]["kind"] == "Widget"


def test_enum_violation_lists_supported_values(client):
    error = _invalid(client, widget("x", scheme="Foo"))
    assert error.causes[0].message == 'Unsupported value: "Foo": supported values: "HTTP", "HTTPS"'
    assert error.causes[0].field == "spec.scheme"


def test_pattern_violation_names_the_indexed_path(client):
    error = _invalid(client, widget("x", windows=[{"from": "8:00"}]))
    assert error.causes[0].field == "spec.windows[0].from"
    assert error.causes[0].message == (
        "Invalid value: \"8:00\": spec.windows[0].from in body should match '^(?:\\d\\d):\\d\\d$'"
    )


def test_type_and_minimum_violations(client):
    error = _invalid(client, widget("x", count="many"))
    assert (
        error.causes[0].message
        == 'Invalid value: "string": spec.count in body must be of type integer: "string"'
    )
    error = _invalid(client, widget("x", count=0))
    assert (
        error.causes[0].message == "Invalid value: 0: spec.count in body should be greater than or equal to 1"
    )


def test_several_errors_are_listed_in_brackets(client):
    error = _invalid(client, {"metadata": {"name": "x"}, "spec": {"scheme": "Foo"}})
    assert error.message.startswith('Widget.example.com "x" is invalid: [')
    assert {c.field for c in error.causes} == {"spec.repo", "spec.scheme"}


def test_unknown_fields_are_pruned_but_preserved_where_the_schema_says_so(client):
    out = client.create(
        WIDGET, {**widget("p", free={"any": {"thing": 1}}), "extra": 1, "metadata": {"name": "p", "bogus": 1}}
    )
    assert "extra" not in out and "bogus" not in out["metadata"]
    assert out["spec"]["free"] == {"any": {"thing": 1}}


def test_defaults_are_applied_on_write(client):
    assert client.create(WIDGET, widget("d"))["spec"]["scheme"] == "HTTPS"


def test_strict_field_validation_turns_unknown_fields_into_bad_request(http):
    body = {**widget("s"), "spec": {"repo": "r", "nope": 1}}
    r = http.post("/apis/example.com/v1alpha2/widgets", params={"fieldValidation": "Strict"}, json=body)
    assert r.status_code == 400
    assert 'strict decoding error: unknown field "spec.nope"' in r.json()["message"]


def test_warn_field_validation_sends_a_warning_header(http):
    body = {**widget("s"), "spec": {"repo": "r", "nope": 1}}
    r = http.post("/apis/example.com/v1alpha2/widgets", params={"fieldValidation": "Warn"}, json=body)
    assert r.status_code == 201
    # quotes escaped inside the quoted text, as apimachinery's NewWarningHeader writes them
    assert r.headers["warning"] == '299 - "unknown field \\"spec.nope\\""'


def test_invalid_names_are_refused(client):
    error = _invalid(client, widget("Not_A_Name"))
    assert error.causes[0].field == "metadata.name"
