"""Error texts rendered the way go-containerregistry prints them (what DKP shows)."""

from __future__ import annotations

import json

import pytest

from harness.registry.errors import go_value, redact_url, render_http_error


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"Tag": "stable"}, "map[Tag:stable]"),
        ({"b": "2", "a": "1"}, "map[a:1 b:2]"),
        (
            [{"Type": "repository", "Class": "", "Name": "x", "Action": "pull"}],
            "[map[Action:pull Class: Name:x Type:repository]]",
        ),
        ("sha256:00", "sha256:00"),
        (None, "<nil>"),
        (True, "true"),
        (3, "3"),
        (1.5, "1.5"),
        (1000000, "1e+06"),
        (123456, "123456"),
        (0.00001, "1e-05"),
        ({"n": {"m": [1, "a"]}}, "map[n:map[m:[1 a]]]"),
    ],
    ids=[
        "map",
        "sorted-keys",
        "list-of-maps",
        "string",
        "nil",
        "bool",
        "int",
        "float",
        "big-float",
        "six-digits",
        "tiny-float",
        "nested",
    ],
)
def test_go_value_prints_json_values_like_go_percent_v(value, expected):
    assert go_value(value) == expected


def _body(*errors):
    return json.dumps({"errors": list(errors)}).encode()


def test_single_error_renders_method_url_code_message_and_detail():
    body = _body({"code": "MANIFEST_UNKNOWN", "message": "manifest unknown", "detail": {"Tag": "stable"}})
    error = render_http_error("GET", "https://r.example/v2/m/release/manifests/stable", 404, body)
    assert str(error) == (
        "GET https://r.example/v2/m/release/manifests/stable: "
        "MANIFEST_UNKNOWN: manifest unknown; map[Tag:stable]"
    )
    assert error.status_code == 404
    assert error.codes == ("MANIFEST_UNKNOWN",)


def test_null_detail_is_left_out():
    body = _body({"code": "UNAUTHORIZED", "message": "authentication required", "detail": None})
    assert str(render_http_error("GET", "http://h/v2/", 401, body)) == (
        "GET http://h/v2/: UNAUTHORIZED: authentication required"
    )


def test_several_errors_are_joined_as_multiple_errors_returned():
    body = _body({"code": "A", "message": "one"}, {"code": "B", "message": "two", "detail": "x"})
    assert str(render_http_error("GET", "http://h/v2/x", 400, body)) == (
        "GET http://h/v2/x: multiple errors returned: A: one; B: two; x"
    )


@pytest.mark.parametrize(
    ("method", "body", "expected"),
    [
        ("GET", b"", "unexpected status code 502 Bad Gateway"),
        ("GET", b"oops", "unexpected status code 502 Bad Gateway: oops"),
        (
            "HEAD",
            b"",
            "unexpected status code 502 Bad Gateway (HEAD responses have no body, use GET for details)",
        ),
    ],
    ids=["empty", "raw-body", "head"],
)
def test_bodies_that_are_not_registry_errors_render_the_status(method, body, expected):
    assert str(render_http_error(method, "http://h/v2/x", 502, body)) == f"{method} http://h/v2/x: {expected}"


def test_unknown_query_values_are_redacted_from_urls():
    assert redact_url("http://h/v2/x/blobs/uploads/1?_state=SECRET&digest=sha256:ab") == (
        "http://h/v2/x/blobs/uploads/1?_state=REDACTED&digest=sha256%3Aab"
    )
